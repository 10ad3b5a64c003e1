//! Moving whole accounts: a source server (SQLite) filled with the demo catalogue, a bundle, tokens and
//! validation state is imported over its REST API into a fresh database on every backend, and exported to an
//! account file and imported from it; the full API dumps and the validation answers of every licensee match, an
//! interrupted import re-run completes without duplicates, and export → import → export gives the same bytes.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
};

use netlicensing_core::{Caller, Core, repo::Store};
use netlicensing_model::{
    Format,
    account::{Line, RecordLine},
    codec::Form,
};
use netlicensing_server::{
    account::{self, AccountError, ExportOptions, ImportOptions, ImportReport, Progress},
    testing::TestDb,
};

use crate::{
    common::{Api, Backend, TestServer},
    upgrade::{dump, fill},
};

/// A source server with the demo catalogue, the upgrade test's data (discounts, a bundle, a notification, a
/// transaction, an API key, a floating check-out, consumed credits, a bound node), a signing API key and a shop
/// token.
async fn source() -> TestServer {
    let server = TestServer::start(Backend::Sqlite).await;
    let store = Arc::new(server.db.store());
    let vendor = store.vendor_by_login("demo").await.unwrap().unwrap();
    let core = Core::new(store.clone());
    core.create_demo_catalogue(&Caller::vendor(vendor.id, vendor.number)).await.unwrap();
    core.set_default_currency("demo", Some(netlicensing_model::types::Currency::Usd)).await.unwrap();
    let api = Api::demo(&server, Format::Json);
    fill(&api).await;
    let pem = std::fs::read_to_string(corpus("xmldsig/rsa_private.pem")).unwrap();
    let mut signing = Form::new();
    signing.push("tokenType", "APIKEY");
    signing.push("apiKeyRole", "ROLE_APIKEY_ADMIN");
    signing.push("privateKey", pem);
    assert_eq!(api.post("token", &signing.encode()).await.status, 200);
    let shop = api.post("token", "tokenType=SHOP&licenseeNumber=IU").await;
    assert_eq!(shop.status, 200, "{:?}", shop.doc);
    let branding =
        "name=Demo+Shop&accentColor=%23aa3300&address=Road+1%0ATown&imprintUrl=https%3A%2F%2Fdemo.example%2Fi";
    assert_eq!(api.post("branding", branding).await.status, 200, "the branding travels with the account");
    let checkout = "productNumber=P001-DEMO&productModuleNumber0=M003-DEMO&sessionId0=seat-1&action0=checkOut";
    assert_eq!(api.post("licensee/I001-DEMO/validate", checkout).await.status, 200);
    // Every licensee validated once: their stored warning level summaries are settled (a validation stores it,
    // even a dry run), so the comparisons' own validations change nothing.
    answers(&api).await;
    server
}

fn corpus(name: &str) -> PathBuf {
    let dir = std::env::var("NETLICENSING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    dir.join("corpus").join(name)
}

fn file(tag: &str) -> PathBuf {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::env::temp_dir().join(format!("netlicensing-account-{tag}-{hex}.ndjson"))
}

fn core_over(db: &TestDb) -> Core {
    Core::new(Arc::new(db.store()))
}

fn from_file(path: &std::path::Path, vendor: &str) -> ImportOptions {
    ImportOptions {
        file: Some(path.to_owned()),
        from: None,
        vendor: vendor.into(),
        login: None,
        password: None,
        api_key: None,
        dry_run: false,
    }
}

fn from_url(url: &str) -> ImportOptions {
    ImportOptions {
        file: None,
        from: Some(url.into()),
        vendor: "VDEMO".into(),
        login: Some("demo".into()),
        password: Some("demo".into()),
        api_key: None,
        dry_run: false,
    }
}

async fn export_to(core: &Core, path: &std::path::Path, secrets: bool) -> Vec<u8> {
    let options = ExportOptions { vendor: "VDEMO".into(), output: path.to_owned(), include_secrets: secrets };
    account::export(core, &options, &Progress::hidden()).await.expect("exports");
    std::fs::read(path).expect("written")
}

/// The validation answer of every licensee (a dry run: nothing changes), without the cache time.
async fn answers(api: &Api<'_>) -> Vec<(String, serde_json::Value)> {
    let list = api.get("licensee?filter=items%3D1000").await;
    let mut out = Vec::new();
    for item in list.doc.items() {
        let number = item.property("number").unwrap().to_owned();
        let answer = api.post(&format!("licensee/{number}/validate"), "dryRun=true").await;
        assert_eq!(answer.status, 200, "{number}: {:?}", answer.doc);
        let mut doc = answer.doc;
        doc.ttl = None;
        out.push((number, serde_json::from_str(&Format::Json.encode(&doc)).unwrap()));
    }
    assert!(out.len() >= 5, "every licensee: {out:?}");
    out
}

/// Asserts the imported vendor serves the same dump and validation answers as the source.
async fn assert_same_account(source: &TestServer, target: &TestServer, what: &str) {
    let (from, to) = (Api::demo(source, Format::Json), Api::demo(target, Format::Json));
    let (a, b) = (dump(&from).await, dump(&to).await);
    let (a, b) = (serde_json::to_string_pretty(&a).unwrap(), serde_json::to_string_pretty(&b).unwrap());
    let differing: Vec<(&str, &str)> = a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
    assert!(a == b, "{what}: the full API dump differs: {differing:?}");
    let (expected, actual) = (answers(&from).await, answers(&to).await);
    assert_eq!(expected.len(), actual.len(), "{what}: the licensees");
    for ((number, a), (_, b)) in expected.iter().zip(&actual) {
        let (a, b) = (serde_json::to_string_pretty(a).unwrap(), serde_json::to_string_pretty(b).unwrap());
        // Expiries computed from the time of the validation (of a license it would create) differ by the time
        // between the two requests; every other line must be equal.
        let differing: Vec<(&str, &str)> =
            a.lines().zip(b.lines()).filter(|(x, y)| x != y && !moments_apart(x, y)).collect();
        assert_eq!(a.lines().count(), b.lines().count(), "{what}: the validation answer of {number}");
        assert!(differing.is_empty(), "{what}: the validation answer of {number}: {differing:?}");
    }
}

/// Whether two lines are the same timestamp value taken less than a minute apart.
fn moments_apart(a: &str, b: &str) -> bool {
    let moment = |line: &str| {
        let value = line.trim().strip_prefix("\"value\": \"")?.strip_suffix('"')?;
        chrono::DateTime::parse_from_rfc3339(value).ok()
    };
    match (moment(a), moment(b)) {
        (Some(x), Some(y)) => (x - y).num_seconds().abs() < 60,
        _ => false,
    }
}

fn totals(report: &ImportReport) -> (u64, u64, u64, u64) {
    let t = report.summary.total();
    (t.created, t.updated, t.unchanged, t.skipped)
}

#[tokio::test]
async fn an_account_moves_over_the_rest_api_with_every_number_and_answer() {
    let source = source().await;
    let url = source.url("");
    let url = url.trim_end_matches('/');
    for backend in Backend::available() {
        let db = TestDb::new(backend).await;
        let core = core_over(&db);
        // A dry run writes nothing, not even the vendor.
        let dry = account::import(&core, &ImportOptions { dry_run: true, ..from_url(url) }, &Progress::hidden())
            .await
            .expect("dry run");
        assert!(dry.summary.total().created > 30, "{}", dry.render());
        assert!(core.store().vendor_by_number("VDEMO").await.unwrap().is_none(), "a dry run creates nothing");

        let report = account::import(&core, &from_url(url), &Progress::hidden()).await.expect("imports");
        assert_eq!(report.summary.total().created, dry.summary.total().created, "{}", report.render());
        assert_eq!(report.summary.warning_count, 0, "{}", report.render());
        let again = account::import(&core, &from_url(url), &Progress::hidden()).await.expect("re-imports");
        let t = again.summary.total();
        assert_eq!((t.created, t.updated, t.skipped), (0, 0, 0), "{}", again.render());
        let target = TestServer::over(db).await;
        assert_same_account(&source, &target, &format!("REST import into {backend:?}")).await;
        // The API key works on the new server.
        let key = Api::demo(&source, Format::Json).get("token?filter=tokenType%3DAPIKEY").await;
        let admin = key.doc.items().iter().find(|t| t.property("apiKeyRole") == Some("ROLE_APIKEY_ADMIN")).unwrap();
        let key = admin.property("number").unwrap().to_owned();
        let by_key = reqwest::Client::new()
            .get(target.url("product"))
            .basic_auth("apiKey", Some(&key))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(by_key.status().as_u16(), 200);
        target.stop().await;
    }
    source.stop().await;
}

#[tokio::test]
async fn export_import_export_gives_the_same_bytes_on_every_backend() {
    let source = source().await;
    let path = file("source");
    let exported = export_to(&core_over(&source.db), &path, true).await;
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(text.starts_with(
        r#"{"type":"header","format":"netlicensing-account","version":1,"vendor":"VDEMO","secrets":true}"#
    ));
    assert!(text.contains("privateKey") && text.contains("passwordHash") && text.contains("sessionId_"), "{text}");
    assert!(text.contains(r##""branding":[["name","Demo Shop"],["accentColor","#aa3300"]"##), "{text}");
    assert!(text.contains(r#""defaultCurrency":"USD""#), "the default currency travels too: {text}");
    for backend in Backend::available() {
        let db = TestDb::new(backend).await;
        let core = core_over(&db);
        // The file holds the login and password hash: the vendor is created from them.
        let report = account::import(&core, &from_file(&path, "VDEMO"), &Progress::hidden()).await.expect("imports");
        assert_eq!(report.summary.warning_count, 0, "{}", report.render());
        let second = file("second");
        assert_eq!(export_to(&core, &second, true).await, exported, "{backend:?}: export → import → export");
        let vendor = core.store().vendor_by_number("VDEMO").await.unwrap().unwrap();
        let branding = core.store().branding(vendor.id).await.unwrap().unwrap_or_default();
        assert_eq!(branding.address.as_deref(), Some("Road 1\nTown"), "{backend:?}: the branding was imported");
        let currency = core.store().default_currency(vendor.id).await.unwrap();
        assert_eq!(currency, Some(netlicensing_model::types::Currency::Usd), "{backend:?}: the currency was imported");
        std::fs::remove_file(&second).ok();
        let target = TestServer::over(db).await;
        assert_same_account(&source, &target, &format!("file import into {backend:?}")).await;
        target.stop().await;
    }
    std::fs::remove_file(&path).ok();
    source.stop().await;
}

#[tokio::test]
async fn secrets_stay_out_unless_asked_for() {
    let source = source().await;
    let path = file("plain");
    let text = String::from_utf8(export_to(&core_over(&source.db), &path, false).await).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        Line::parse_header(lines.next().unwrap()).unwrap(),
        netlicensing_model::account::Header::new("VDEMO", false)
    );
    assert!(!text.contains("passwordHash") && !text.contains("privateKey"), "{text}");
    let tokens: Vec<RecordLine> = lines
        .filter_map(|l| match Line::parse(l).unwrap() {
            Line::Record(r) if r.kind == netlicensing_core::record::Kind::Token => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(tokens.len(), 1, "only the shop token: {tokens:?}");
    assert_eq!(tokens[0].property("tokenType"), Some("SHOP"));
    // Without a password hash in the file, a missing vendor needs credentials.
    let db = TestDb::new(Backend::Sqlite).await;
    let core = core_over(&db);
    let refused = account::import(&core, &from_file(&path, "VNEW"), &Progress::hidden()).await;
    assert!(matches!(refused, Err(AccountError::NeedCredentials(_))), "{refused:?}");
    let options =
        ImportOptions { login: Some("new".into()), password: Some("secret".into()), ..from_file(&path, "VNEW") };
    let report = account::import(&core, &options, &Progress::hidden()).await.expect("imports with credentials");
    assert!(report.render().contains("no secrets"), "{}", report.render());
    let vendor = core.store().vendor_by_login("new").await.unwrap().expect("created");
    assert_eq!(vendor.number, "VNEW");
    std::fs::remove_file(&path).ok();
    db.drop_all().await;
    source.stop().await;
}

#[tokio::test]
async fn an_interrupted_file_import_completes_on_a_rerun_without_duplicates() {
    let source = source().await;
    let path = file("full");
    let exported = String::from_utf8(export_to(&core_over(&source.db), &path, true).await).unwrap();
    let lines: Vec<&str> = exported.lines().collect();
    let half = file("half");
    std::fs::write(&half, lines[..lines.len() / 2].join("\n")).unwrap();
    for backend in Backend::available() {
        let db = TestDb::new(backend).await;
        let core = core_over(&db);
        let first = account::import(&core, &from_file(&half, "VDEMO"), &Progress::hidden()).await.expect("half");
        let rerun = account::import(&core, &from_file(&path, "VDEMO"), &Progress::hidden()).await.expect("all");
        let (created, updated, unchanged, skipped) = totals(&rerun);
        assert_eq!((updated, skipped), (0, 0), "{}", rerun.render());
        assert_eq!(unchanged, first.summary.total().created, "{}", rerun.render());
        assert_eq!(created + unchanged, lines.len() as u64 - 2, "{}", rerun.render());
        let second = file("after-rerun");
        assert_eq!(export_to(&core, &second, true).await, exported.as_bytes(), "{backend:?}");
        std::fs::remove_file(&second).ok();
        db.drop_all().await;
    }
    std::fs::remove_file(&half).ok();
    std::fs::remove_file(&path).ok();
    source.stop().await;
}

/// A proxy that forwards `budget` requests to the source and then answers 401 to everything, as a source
/// that stops honouring the credentials halfway.
fn failing_proxy(source: String, budget: i64) -> String {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    let left = Arc::new(AtomicI64::new(budget));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                let (left, source) = (left.clone(), source.clone());
                App::new().default_service(web::to(move |request: HttpRequest| {
                    let (left, source) = (left.clone(), source.clone());
                    async move {
                        if left.fetch_sub(1, Ordering::SeqCst) <= 0 {
                            return HttpResponse::Unauthorized().finish();
                        }
                        let url = format!("{source}{}", request.uri());
                        let mut forward = reqwest::Client::new().get(url);
                        for name in ["authorization", "accept"] {
                            if let Some(value) = request.headers().get(name).and_then(|v| v.to_str().ok()) {
                                forward = forward.header(name, value);
                            }
                        }
                        let answer = forward.send().await.unwrap();
                        let status = answer.status().as_u16();
                        let content_type = answer.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
                        let body = answer.bytes().await.unwrap();
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                            .content_type(content_type)
                            .body(body.to_vec())
                    }
                }))
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run();
            sender.send(server.handle()).unwrap();
            server.await.ok();
        })
    });
    receiver.recv().unwrap();
    base
}

#[tokio::test]
async fn a_remote_import_stopped_halfway_completes_on_a_rerun_without_duplicates() {
    let source = source().await;
    let proxy = failing_proxy(source.base.clone(), 5);
    let through_proxy = format!("{proxy}/core/v2/rest");
    let direct = source.url("");
    let direct = direct.trim_end_matches('/');
    let db = TestDb::new(Backend::Sqlite).await;
    let core = core_over(&db);
    let stopped = account::import(&core, &from_url(&through_proxy), &Progress::hidden()).await;
    assert!(matches!(stopped, Err(AccountError::Refused { status: 401, .. })), "{stopped:?}");
    let rerun = account::import(&core, &from_url(direct), &Progress::hidden()).await.expect("completes");
    let (created, updated, unchanged, skipped) = totals(&rerun);
    assert!(created > 0 && unchanged > 0, "{}", rerun.render());
    assert_eq!((updated, skipped), (0, 0), "{}", rerun.render());
    let target = TestServer::over(db).await;
    assert_same_account(&source, &target, "an interrupted REST import, re-run").await;
    target.stop().await;
    source.stop().await;
}
