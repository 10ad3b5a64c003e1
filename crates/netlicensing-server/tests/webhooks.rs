//! Webhooks end to end: a receiver on loopback gets every event of every path once, signed, in order, with the
//! documented payload or the vendor's template; retries keep the event id; the SSRF guard refuses private
//! endpoints unless allowed; vendors never see each other's events; replicas never send one event twice.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use netlicensing_model::Format;
use netlicensing_server::webhook::{Policy, Settings};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use sha2::Sha256;

use crate::common::{Api, Backend, TestServer};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Hit {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The event name of a default body.
    pub fn event(&self) -> String {
        self.json()["entities"]["Event"][0]["name"].as_str().unwrap_or_default().to_owned()
    }
}

#[derive(Default)]
struct Shared {
    hits: Mutex<Vec<Hit>>,
    failures: AtomicUsize,
    delay_ms: AtomicUsize,
}

/// An HTTP receiver on loopback: records every request, answers 500 to the next `fail_next` of them.
pub struct Receiver {
    pub base: String,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn receive(req: HttpRequest, body: web::Bytes, shared: web::Data<Arc<Shared>>) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let delay = shared.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay as u64)).await;
    }
    let hit = Hit { path: req.path().to_owned(), headers, body: String::from_utf8_lossy(&body).into_owned() };
    shared.hits.lock().unwrap().push(hit);
    let fail = shared.failures.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
    if fail { HttpResponse::InternalServerError().finish() } else { HttpResponse::Ok().finish() }
}

impl Receiver {
    pub fn start() -> Receiver {
        let shared = Arc::new(Shared::default());
        let data = web::Data::new(shared.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server =
                    HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(receive)))
                        .workers(2)
                        .disable_signals()
                        .listen(listener)
                        .unwrap()
                        .run();
                sender.send(server.handle()).ok();
                server.await.ok();
            })
        });
        Receiver { base, shared, handle: receiver.recv().unwrap() }
    }

    /// The next `n` requests are answered 500.
    pub fn fail_next(&self, n: usize) {
        self.shared.failures.store(n, Ordering::SeqCst);
    }

    /// Each request is answered after this long.
    pub fn delay(&self, millis: usize) {
        self.shared.delay_ms.store(millis, Ordering::SeqCst);
    }

    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().iter().filter(|h| h.path == path).cloned().collect()
    }

    /// Waits until `path` got at least `n` requests (at most `seconds`), then a little longer for any surplus.
    pub async fn wait_for(&self, path: &str, n: usize, seconds: u64) -> Vec<Hit> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while self.hits(path).len() < n {
            assert!(Instant::now() < deadline, "{path}: {} of {n} requests arrived", self.hits(path).len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.hits(path)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

/// Delivery as the tests want it: private addresses allowed, fast polls and retries.
pub fn fast() -> Settings {
    Settings {
        policy: Policy { allow_private: true },
        timeout: Duration::from_secs(5),
        first_retry: Duration::from_millis(200),
        max_retry: Duration::from_secs(1),
        poll: Duration::from_millis(25),
        ..Settings::default()
    }
}

pub fn enc(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

/// What a receiver does to check a request: five lines (Standard Webhooks).
pub fn verified(secret: &str, hit: &Hit) -> bool {
    let key = STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
    let signed = format!("{}.{}.{}", hit.header("webhook-id"), hit.header("webhook-timestamp"), hit.body);
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(signed.as_bytes());
    hit.header("webhook-signature") == format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

const ALL_EVENTS: &str = "LICENSEE_CREATED,LICENSE_CREATED,PAYMENT_TRANSACTION_PROCESSED,WARNING_LEVEL_CHANGED";

/// Creates a notification; returns its signing secret.
pub async fn notify(api: &Api<'_>, number: &str, endpoint: &str, events: &str, extra: &str) -> String {
    let form =
        format!("number={number}&name={number}&protocol=WEBHOOK&endpoint={}&events={events}{extra}", enc(endpoint));
    let created = api.post("notification", &form).await;
    assert_eq!(created.status, 200, "{:?}", created.doc);
    created.property("signingSecret").expect("the secret is shown at creation").to_owned()
}

async fn ok(api: &Api<'_>, path: &str, form: &str) {
    let answer = api.post(path, form).await;
    assert_eq!(answer.status, 200, "{path} {form}: {:?}", answer.doc);
}

#[tokio::test]
async fn every_path_delivers_each_event_once_signed_and_in_order() {
    for backend in Backend::available() {
        let receiver = Receiver::start();
        let server = TestServer::start_webhooks(backend, fast()).await;
        let demo = Api::demo(&server, Format::Json);
        let other = Api::login(&server, Format::Json, "other", "other");
        let secret = notify(&demo, "N-ALL", &receiver.url("/hook"), ALL_EVENTS, "").await;
        let template = r#"{"kind":"{$.entities.Event[0].name}","customer":"{$.entities.Licensee[0].number}"}"#;
        notify(&demo, "N-TPL", &receiver.url("/custom"), "LICENSEE_CREATED", &format!("&payload={}", enc(template)))
            .await;
        notify(&other, "N-ALL", &receiver.url("/other"), ALL_EVENTS, "").await;
        let shown = demo.get("notification/N-ALL").await;
        assert_eq!(shown.property("signingSecret"), None, "the secret is shown once");

        // REST creates and a shop transaction.
        ok(&demo, "product", "number=P1&name=One").await;
        ok(&demo, "productmodule", "number=M1&productNumber=P1&name=M&licensingModel=Subscription").await;
        ok(
            &demo,
            "licensetemplate",
            "number=E1&productModuleNumber=M1&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH",
        )
        .await;
        ok(&demo, "licensee", "number=I1&productNumber=P1").await;
        ok(&demo, "license", "number=L1&licenseeNumber=I1&licenseTemplateNumber=E1").await;
        ok(&demo, "transaction", "number=T1&source=SHOP&status=PENDING").await;
        ok(&demo, "transaction/T1", "status=CLOSED").await;
        // Validation: an auto-created licensee with its automatic license, then a change of warning level.
        ok(&demo, "product", "number=PV&name=V&licenseeAutoCreate=true").await;
        ok(&demo, "productmodule", "number=MT&productNumber=PV&name=Trial&licensingModel=TryAndBuy").await;
        ok(
            &demo,
            "licensetemplate",
            "number=EVAL&productModuleNumber=MT&name=Eval&licenseType=TIMEVOLUME&timeVolume=30&automatic=true",
        )
        .await;
        ok(&demo, "productmodule", "number=MS&productNumber=PV&name=Sub&licensingModel=Subscription").await;
        ok(
            &demo,
            "licensetemplate",
            "number=MONTH&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH",
        )
        .await;
        ok(&demo, "licensee/AUTO-1/validate", "productNumber=PV").await;
        ok(&demo, "licensee/AUTO-1/validate", "").await;
        ok(&demo, "license", "number=LS&licenseeNumber=AUTO-1&licenseTemplateNumber=MONTH").await;
        ok(&demo, "licensee/AUTO-1/validate", "").await;
        // Bundle obtain.
        ok(&demo, "bundle", "number=B1&name=Starter&licenseTemplateNumbers=E1").await;
        ok(&demo, "bundle/B1/obtain", "licenseeNumber=I1").await;
        // The other vendor.
        ok(&other, "product", "number=P1&name=Theirs").await;
        ok(&other, "licensee", "number=THEIRS-9&productNumber=P1").await;

        let hits = receiver.wait_for("/hook", 8, 30).await;
        let events: Vec<String> = hits.iter().map(Hit::event).collect();
        assert_eq!(
            events,
            [
                "LICENSEE_CREATED",
                "LICENSE_CREATED",
                "PAYMENT_TRANSACTION_PROCESSED",
                "LICENSEE_CREATED",
                "LICENSE_CREATED",
                "LICENSE_CREATED",
                "WARNING_LEVEL_CHANGED",
                "LICENSE_CREATED",
            ],
            "{backend:?}: each event once, in order"
        );
        let ids: HashSet<&str> = hits.iter().map(|h| h.header("webhook-id")).collect();
        assert_eq!(ids.len(), hits.len(), "one id per event");
        for hit in &hits {
            assert!(verified(&secret, hit), "signature of {}", hit.body);
            assert!(hit.header("user-agent").starts_with("netlicensing-rs/"), "{:?}", hit.headers);
            assert_eq!(hit.header("content-type"), "application/json");
            let body = hit.json();
            assert_eq!(body["origin"], "Notification");
            assert!(body["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')), "{body}");
        }
        let first = hits[0].json();
        assert_eq!(first["entities"]["Licensee"][0]["number"], "I1");
        assert_eq!(first["entities"]["Licensee"][0]["active"], true);
        assert_eq!(hits[1].json()["entities"]["License"][0]["licenseeNumber"], "I1");
        let payment = hits[2].json();
        assert_eq!(payment["entities"]["Transaction"][0]["number"], "T1");
        assert_eq!(payment["entities"]["Transaction"][0]["status"], "CLOSED");
        assert_eq!(hits[3].json()["entities"]["Licensee"][0]["number"], "AUTO-1");
        let warning = hits[6].json();
        assert_eq!(warning["entities"]["Licensee"][0]["number"], "AUTO-1");
        let answers = warning["entities"]["ProductModuleValidation"].as_array().expect("the module answers");
        assert!(!answers.is_empty(), "{warning}");
        assert!(answers.iter().all(|a| a["productModuleNumber"].is_string() && a["warningLevel"].is_string()));

        let custom: Vec<Value> = receiver.wait_for("/custom", 2, 10).await.iter().map(Hit::json).collect();
        assert_eq!(
            custom,
            [
                serde_json::json!({"kind": "LICENSEE_CREATED", "customer": "I1"}),
                serde_json::json!({"kind": "LICENSEE_CREATED", "customer": "AUTO-1"})
            ]
        );
        let theirs = receiver.wait_for("/other", 1, 10).await;
        assert_eq!(theirs.len(), 1, "the other vendor's licensee only");
        assert_eq!(theirs[0].json()["entities"]["Licensee"][0]["number"], "THEIRS-9");
        assert!(hits.iter().chain(&receiver.hits("/custom")).all(|h| !h.body.contains("THEIRS-9")));

        let log = demo.get("notification/N-ALL/deliveries").await;
        assert_eq!(log.status, 200);
        assert_eq!(log.doc.items().len(), 8);
        assert!(log.doc.items().iter().all(|i| i.property("status") == Some("SENT")), "{:?}", log.doc);
        assert_eq!(log.doc.items()[0].property("event"), Some("LICENSE_CREATED"), "newest first");
        assert_eq!(other.get("notification/N-TPL/deliveries").await.status, 404, "not the other vendor's");
        server.stop().await;
        receiver.stop().await;
    }
}

#[tokio::test]
async fn failed_attempts_are_retried_with_the_same_id_then_failed_and_resent() {
    let backend = Backend::available().pop().unwrap_or(Backend::Sqlite);
    let receiver = Receiver::start();
    let server = TestServer::start_webhooks(backend, Settings { max_attempts: 3, ..fast() }).await;
    let demo = Api::demo(&server, Format::Xml);
    notify(&demo, "N1", &receiver.url("/hook"), "LICENSEE_CREATED", "").await;
    ok(&demo, "product", "number=P1&name=One").await;

    receiver.fail_next(1);
    ok(&demo, "licensee", "number=I1&productNumber=P1").await;
    let hits = receiver.wait_for("/hook", 2, 10).await;
    assert_eq!(hits.len(), 2, "500, then 200");
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    assert_eq!(hits[0].body, hits[1].body);
    let log = demo.get("notification/N1/deliveries").await;
    assert_eq!(log.property("status"), Some("SENT"));
    assert_eq!(log.property("attempts"), Some("2"));

    receiver.fail_next(3);
    ok(&demo, "licensee", "number=I2&productNumber=P1").await;
    let hits = receiver.wait_for("/hook", 5, 10).await;
    assert_eq!(hits.len(), 5, "three attempts, then failed");
    let log = demo.get("notification/N1/deliveries").await;
    assert_eq!(log.property("status"), Some("FAILED"), "{:?}", log.doc);
    assert_eq!(log.property("lastError"), Some("HTTP 500"));
    let id = log.property("eventId").unwrap().to_owned();
    assert_eq!(id, hits[4].header("webhook-id"));
    demo.post("notification/N1/resend", "")
        .await
        .assert_error(400, netlicensing_model::info::ErrorId::MalformedRequest);
    assert_eq!(demo.post("notification/N1/resend", "eventId=evt_nope").await.status, 404);
    assert_eq!(demo.post("notification/N1/resend", &format!("eventId={id}")).await.status, 204);
    let hits = receiver.wait_for("/hook", 6, 10).await;
    assert_eq!(hits[5].header("webhook-id"), id, "re-sent with the same id");
    assert_eq!(demo.get("notification/N1/deliveries").await.property("status"), Some("SENT"));

    // A deactivated notification sends nothing more; a deleted one neither.
    ok(&demo, "notification/N1", "active=false").await;
    ok(&demo, "licensee", "number=I3&productNumber=P1").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.hits("/hook").len(), 6);
    assert_eq!(demo.delete("notification/N1").await.status, 204);
    ok(&demo, "licensee", "number=I4&productNumber=P1").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.hits("/hook").len(), 6);
    server.stop().await;
    receiver.stop().await;
}

/// A host name of this machine that resolves to a loopback address, if it has one besides `localhost`.
async fn loopback_name() -> Option<String> {
    let name = std::fs::read_to_string("/etc/hostname").ok()?.trim().to_owned();
    let addrs: Vec<_> = tokio::net::lookup_host((name.as_str(), 443)).await.ok()?.collect();
    addrs.iter().any(|a| a.ip().is_loopback()).then_some(name)
}

#[tokio::test]
async fn private_endpoints_are_refused_unless_allowed() {
    let mut hosts: Vec<String> = [
        "127.1",
        "0x7f000001",
        "2130706433",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "169.254.169.254",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "0.0.0.0",
        "localhost",
    ]
    .map(str::to_owned)
    .to_vec();
    hosts.extend(loopback_name().await);
    let strict = TestServer::start_webhooks(Backend::Sqlite, Settings::default()).await;
    let open = TestServer::start_webhooks(Backend::Sqlite, fast()).await;
    let (refusing, allowing) = (Api::demo(&strict, Format::Json), Api::demo(&open, Format::Json));
    for (n, host) in hosts.iter().enumerate() {
        let form = format!(
            "number=N{n}&name=x&protocol=WEBHOOK&events=LICENSEE_CREATED&endpoint={}",
            enc(&format!("https://{host}/hook"))
        );
        let refused = refusing.post("notification", &form).await;
        refused.assert_error(400, netlicensing_model::info::ErrorId::Validation);
        let message = &refused.doc.errors().next().unwrap().value;
        assert!(message.contains("Notification endpoint refused"), "{host}: {message}");
        assert_eq!(refusing.get(&format!("notification/N{n}")).await.status, 404, "{host}: nothing stored");
        assert_eq!(allowing.post("notification", &form.replace("https", "http")).await.status, 200, "{host} allowed");
    }
    let plain =
        format!("number=NP&name=x&protocol=WEBHOOK&events=LICENSEE_CREATED&endpoint={}", enc("http://93.184.215.14/"));
    refusing.post("notification", &plain).await.assert_error(400, netlicensing_model::info::ErrorId::Validation);
    let public = format!(
        "number=NOK&name=x&protocol=WEBHOOK&events=LICENSEE_CREATED&endpoint={}",
        enc("https://93.184.215.14/")
    );
    assert_eq!(refusing.post("notification", &public).await.status, 200, "a public address");
    let update = refusing.post("notification/NOK", &format!("endpoint={}", enc("https://10.1.2.3/"))).await;
    update.assert_error(400, netlicensing_model::info::ErrorId::Validation);
    strict.stop().await;
    open.stop().await;
}

#[tokio::test]
async fn two_replicas_send_every_event_once() {
    if !Backend::available().contains(&Backend::Postgres) {
        return;
    }
    let receiver = Receiver::start();
    let mut server = TestServer::start_webhooks(Backend::Postgres, fast()).await;
    let replica = server.webhook_replica(fast()).await;
    let demo = Api::demo(&server, Format::Json);
    for n in 0..4 {
        notify(&demo, &format!("N{n}"), &receiver.url(&format!("/hook{n}")), "LICENSEE_CREATED", "").await;
    }
    ok(&demo, "product", "number=P1&name=One").await;
    let licensees = 250;
    let client = reqwest::Client::new();
    let bases = [server.base.clone(), replica];
    let create = |i: usize| {
        let url = format!("{}/core/v2/rest/licensee", bases[i % 2]);
        let client = client.clone();
        async move {
            let response = client
                .post(url)
                .basic_auth("demo", Some("demo"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(format!("number=I{i}&productNumber=P1"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    };
    for start in (0..licensees).step_by(16) {
        futures_util::future::join_all((start..licensees.min(start + 16)).map(create)).await;
    }
    let mut all = Vec::new();
    for n in 0..4 {
        let hits = receiver.wait_for(&format!("/hook{n}"), licensees, 120).await;
        all.extend(hits);
    }
    let ids: HashSet<&str> = all.iter().map(|h| h.header("webhook-id")).collect();
    assert_eq!(all.len(), 4 * licensees, "no event sent twice");
    assert_eq!(ids.len(), 4 * licensees, "every event sent");
    server.stop().await;
    receiver.stop().await;
}

#[tokio::test]
async fn every_attempt_checks_the_endpoint_again() {
    let receiver = Receiver::start();
    // Notifications stored while private endpoints were allowed (no policy, no worker here).
    let server = TestServer::start(Backend::Sqlite).await;
    let demo = Api::demo(&server, Format::Json);
    notify(&demo, "N-HTTP", &receiver.url("/plain"), "LICENSEE_CREATED", "").await;
    let name = loopback_name().await;
    let by_name = name.as_ref().map(|name| receiver.url("/named").replace("127.0.0.1", name));
    if let Some(url) = &by_name {
        notify(&demo, "N-NAME", &url.replace("http://", "https://"), "LICENSEE_CREATED", "").await;
    }
    ok(&demo, "product", "number=P1&name=One").await;
    ok(&demo, "licensee", "number=I1&productNumber=P1").await;
    let strict =
        netlicensing_server::webhook::worker::Worker::new(server.db.connection.clone(), Settings::default()).unwrap();
    assert!(strict.round().await.unwrap() >= 1);
    let log = demo.get("notification/N-HTTP/deliveries").await;
    assert_eq!(log.property("status"), Some("PENDING"), "retried later");
    assert_eq!(log.property("lastError"), Some("endpoint refused: the endpoint must use https://"));
    if by_name.is_some() {
        let log = demo.get("notification/N-NAME/deliveries").await;
        let error = log.property("lastError").unwrap_or_default();
        assert!(error.contains("is not public"), "resolved at send time: {error}");
    }
    assert!(receiver.hits("/plain").is_empty() && receiver.hits("/named").is_empty());
    server.stop().await;
    receiver.stop().await;
}
