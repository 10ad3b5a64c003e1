//! Hostile input: none of it may give a 5xx, a panic, a hang, unbounded memory or a change it should not make.

use std::{net::IpAddr, time::Duration};

use netlicensing_model::{Format, info::ErrorId};
use netlicensing_server::guard::Limits;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::common::{Api, Backend, TestServer};

const MAX: &str = "9223372036854775807";

/// Post-paid consumption can never wrap round and give credits back, whoever asks.
async fn consumption(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let t = format!("{format:?}");
    api.post("product", &format!("number=PO{t}&name=O")).await;
    api.post("productmodule", &format!("number=MO{t}&productNumber=PO{t}&name=C&licensingModel=PayPerUse")).await;
    api.post(
        "licensetemplate",
        &format!("number=EO{t}&productModuleNumber=MO{t}&name=P&licenseType=QUANTITY&quantity=10"),
    )
    .await;
    api.post("licensee", &format!("number=IO{t}&productNumber=PO{t}")).await;
    api.post("license", &format!("number=LO{t}&licenseeNumber=IO{t}&licenseTemplateNumber=EO{t}")).await;
    let key = api.post("token", &format!("tokenType=APIKEY&licenseeNumber=IO{t}")).await;
    let licensee = Api::login(server, format, "apiKey", key.property("number").unwrap());
    let path = format!("licensee/IO{t}/validate");
    let use_up = format!("productModuleNumber0=MO{t}&usedQuantity0={MAX}");
    let first = licensee.post(&path, &use_up).await;
    assert_eq!(first.status, 200, "{:?}", first.doc);
    for caller in [&licensee, &api] {
        caller.post(&path, &use_up).await.assert_error(400, ErrorId::MalformedRequest);
        caller
            .post(&path, &format!("productModuleNumber0=MO{t}&usedQuantity0=1"))
            .await
            .assert_error(400, ErrorId::MalformedRequest);
    }
    licensee
        .post(&path, &format!("productModuleNumber0=MO{t}&usedQuantity0=9223372036854775808"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    assert_eq!(api.get(&format!("license/LO{t}")).await.property("usedQuantity"), Some(MAX), "nothing was written");
    let after = api.post(&path, "").await;
    let module = after.doc.items().iter().find(|i| i.property("productModuleNumber") == Some(&format!("MO{t}")));
    assert_eq!(module.and_then(|m| m.property("valid")), Some("false"), "no credits came back");
}

#[tokio::test]
async fn post_paid_consumption_never_wraps_round() {
    crate::each_backend_and_format!(consumption);
}

/// Time values too long for any date are refused when written; validation near the limits never panics.
async fn huge_times(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let t = format!("{format:?}");
    api.post("product", &format!("number=PH{t}&name=H")).await;
    for huge in ["18446744073709551615", "9223372036854775807", "3153600000000"] {
        let module =
            format!("number=MH{t}&productNumber=PH{t}&name=F&licensingModel=Floating&maxCheckoutValidity={huge}");
        api.post("productmodule", &module).await.assert_error(400, ErrorId::MalformedRequest);
    }
    let longest = netlicensing_core::service::MAX_CHECKOUT_VALIDITY;
    let module = api
        .post(
            "productmodule",
            &format!("number=MH{t}&productNumber=PH{t}&name=F&licensingModel=Floating&maxCheckoutValidity={longest}"),
        )
        .await;
    assert_eq!(module.status, 200, "{:?}", module.doc);
    api.post(&format!("productmodule/MH{t}"), &format!("maxCheckoutValidity={}", longest + 1))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    api.post(
        "licensetemplate",
        &format!("number=EH{t}&productModuleNumber=MH{t}&name=S&licenseType=FLOATING&maxSessions=2"),
    )
    .await;
    api.post("licensee", &format!("number=IH{t}&productNumber=PH{t}")).await;
    api.post("license", &format!("licenseeNumber=IH{t}&licenseTemplateNumber=EH{t}")).await;
    let out = api
        .post(
            &format!("licensee/IH{t}/validate"),
            &format!("productModuleNumber0=MH{t}&sessionId0=s&action0=checkOut&maxCheckoutValidity0={MAX}"),
        )
        .await;
    assert_eq!(out.status, 200, "{:?}", out.doc);
    let module = out.doc.items().iter().find(|i| i.property("productModuleNumber") == Some(&format!("MH{t}"))).cloned();
    assert_eq!(module.as_ref().and_then(|m| m.property("valid")), Some("true"));

    api.post("productmodule", &format!("number=MT{t}&productNumber=PH{t}&name=S&licensingModel=Subscription")).await;
    for (volume, period) in [("300000", "YEAR"), ("4294967295", "DAY"), ("12001", "MONTH")] {
        api.post(
            "licensetemplate",
            &format!(
                "productModuleNumber=MT{t}&name=T&licenseType=TIMEVOLUME&timeVolume={volume}&timeVolumePeriod={period}"
            ),
        )
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    }
    let ok = api
        .post(
            "licensetemplate",
            &format!("number=ET{t}&productModuleNumber=MT{t}&name=T&licenseType=TIMEVOLUME&timeVolume=1000&timeVolumePeriod=YEAR"),
        )
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.doc);
    api.post("license", &format!("number=LT{t}&licenseeNumber=IH{t}&licenseTemplateNumber=ET{t}&timeVolume=300000"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    let made = api.post("license", &format!("number=LT{t}&licenseeNumber=IH{t}&licenseTemplateNumber=ET{t}")).await;
    assert_eq!(made.status, 200, "{:?}", made.doc);
    api.post(&format!("license/LT{t}"), "timeVolume=1001").await.assert_error(400, ErrorId::MalformedRequest);
    let sub = api.post(&format!("licensee/IH{t}/validate"), "").await;
    let module = sub.doc.items().iter().find(|i| i.property("productModuleNumber") == Some(&format!("MT{t}"))).cloned();
    assert_eq!(module.as_ref().and_then(|m| m.property("valid")), Some("true"), "1000 years are valid");
}

#[tokio::test]
async fn huge_time_values_are_refused_and_never_panic() {
    crate::each_backend_and_format!(huge_times);
}

/// A NUL byte anywhere is refused before it reaches storage: 400, or 401 inside credentials.
async fn nul_bytes(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let t = format!("{format:?}");
    api.post("product", &format!("number=PN{t}&name=N")).await;
    api.get(&format!("product/PN{t}%00")).await.assert_error(400, ErrorId::MalformedRequest);
    api.post(&format!("product/PN%00{t}"), "name=x").await.assert_error(400, ErrorId::MalformedRequest);
    api.get("product?filter=name%3Da%00b").await.assert_error(400, ErrorId::MalformedRequest);
    api.post("product", &format!("number=PN2{t}&name=a%00b")).await.assert_error(400, ErrorId::MalformedRequest);
    api.post(&format!("product/PN{t}"), "custom%00=x").await.assert_error(400, ErrorId::MalformedRequest);
    api.post(&format!("licensee/I%00{t}/validate"), "").await.assert_error(400, ErrorId::MalformedRequest);
    api.post(&format!("licensee/I{t}/validate"), &format!("productNumber=PN{t}%00"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    for (login, password) in [("de\0mo", "demo"), ("demo", "de\0mo"), ("apiKey", "\0"), ("\0", "")] {
        Api::login(server, format, login, password).get("product").await.assert_error(401, ErrorId::Unauthorized);
    }
    assert_eq!(api.get(&format!("product/PN{t}")).await.property("name"), Some("N"), "nothing changed");
}

#[tokio::test]
async fn nul_bytes_are_refused_on_every_engine() {
    crate::each_backend_and_format!(nul_bytes);
}

/// Raw HTTP/1.1 on a fresh connection (from `from`, when given): the status line and the rest of what came
/// within `wait`.
async fn raw(server: &TestServer, from: Option<IpAddr>, request: &[u8], wait: Duration) -> (u16, String) {
    let mut stream = connect(server, from).await;
    stream.write_all(request).await.unwrap();
    read_answer(&mut stream, wait).await
}

async fn connect(server: &TestServer, from: Option<IpAddr>) -> TcpStream {
    let address: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    match from {
        Some(local) => {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind((local, 0).into()).unwrap();
            socket.connect(address).await.unwrap()
        }
        None => TcpStream::connect(address).await.unwrap(),
    }
}

async fn read_answer(stream: &mut TcpStream, wait: Duration) -> (u16, String) {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok());
            if length.is_some_and(|length| body.len() >= length) {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

const DEMO: &str = "Authorization: Basic ZGVtbzpkZW1v\r\n";

/// Declared lengths over the limit are refused at once, bodies and heads that do not come time out, and one
/// address cannot hold more than its share of connections. Every refusal of the application carries the API's
/// error body in the negotiated format.
#[tokio::test]
async fn stalled_and_lying_requests_are_answered_in_time() {
    let limits = Limits {
        head_timeout: Duration::from_secs(2),
        body_timeout: Duration::from_secs(1),
        connections_per_address: 6,
    };
    let server = TestServer::start_limited(Backend::Sqlite, limits).await;
    let started = std::time::Instant::now();
    let lying = format!(
        "POST /core/v2/rest/product HTTP/1.1\r\nHost: x\r\n{DEMO}Accept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10737418240\r\n\r\nname=x"
    );
    let (status, text) = raw(&server, None, lying.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("PayloadTooLargeException") && text.contains("application/json"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(3), "413 at once, not after {:?}", started.elapsed());

    let started = std::time::Instant::now();
    let stalled = format!(
        "POST /core/v2/rest/product HTTP/1.1\r\nHost: x\r\n{DEMO}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname="
    );
    let (status, text) = raw(&server, None, stalled.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(status, 408, "{text}");
    assert!(text.contains("RequestTimeoutException") && text.contains("application/xml"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());

    let started = std::time::Instant::now();
    let (status, text) = raw(&server, None, b"GET /health HTTP/1.1\r\nHost: x\r\n", Duration::from_secs(6)).await;
    assert_eq!(status, 408, "a head that never ends: {text}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

    // Six connections held open from one address: a seventh is refused and closed; other addresses are served.
    let mut held = Vec::new();
    for _ in 0..6 {
        held.push(connect(&server, None).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let health = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    let (status, text) = raw(&server, None, health, Duration::from_secs(2)).await;
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("ServiceUnavailableException") && text.to_ascii_lowercase().contains("retry-after"),
        "{text}"
    );
    let (status, text) = raw(&server, Some([127, 0, 0, 2].into()), health, Duration::from_secs(2)).await;
    assert_eq!(status, 200, "another address: {text}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, text) = raw(&server, None, health, Duration::from_secs(2)).await;
    assert_eq!(status, 200, "once the connections closed: {text}");
    server.stop().await;
}

/// Errors found before a handler runs carry the API's error body, and every module index follows one rule.
async fn http_layer(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    api.get("product/%FF%FE").await.assert_error(400, ErrorId::MalformedRequest);
    api.get("licensee/%C3/validate").await.assert_error(400, ErrorId::MalformedRequest);
    let long = format!("productModuleNumber{}=M", "1".repeat(10_000));
    api.post("licensee/I/validate", &long).await.assert_error(400, ErrorId::MalformedRequest);
    api.post("licensee/I/validate", "productModuleNumber1000=M").await.assert_error(400, ErrorId::MalformedRequest);
}

#[tokio::test]
async fn http_layer_errors_carry_the_api_error_body() {
    crate::each_backend_and_format!(http_layer);
}

/// A Pricing Table plan's SKU values are checked against the module's SKU definition.
async fn skus(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let t = format!("{format:?}");
    let skudef = r#"{"skudef":[{"number":"USERS","name":"Users","type":"QUOTA"},{"number":"API","name":"API","type":"FEATURE"}]}"#;
    api.post("product", &format!("number=PS{t}&name=S")).await;
    api.post(
        "productmodule",
        &format!("number=MS{t}&productNumber=PS{t}&name=P&licensingModel=PricingTable&skudef={skudef}"),
    )
    .await;
    let plan = |skus: &str| format!("productModuleNumber=MS{t}&name=Plan&licenseType=FEATURE&skus={skus}");
    for bad in [r#"{"USERS":"abc"}"#, r#"{"NOPE":"1"}"#, r#"{"API":"maybe"}"#, r#"{"USERS":true}"#, r#"{"USERS":-5}"#] {
        api.post("licensetemplate", &plan(bad)).await.assert_error(400, ErrorId::MalformedRequest);
    }
    let good = api.post("licensetemplate", &format!("number=ES{t}&{}", plan(r#"{"USERS":"5","API":true}"#))).await;
    assert_eq!(good.status, 200, "{:?}", good.doc);
    api.post(&format!("licensetemplate/ES{t}"), r#"skus={"USERS":"five"}"#)
        .await
        .assert_error(400, ErrorId::MalformedRequest);
}

#[tokio::test]
async fn pricing_table_skus_are_type_checked() {
    crate::each_backend_and_format!(skus);
}

/// A client of the test server from another loopback address.
fn from(address: [u8; 4], login: &str, password: &str) -> (reqwest::Client, String, String) {
    let client = reqwest::Client::builder().local_address(IpAddr::from(address)).build().unwrap();
    (client, login.to_owned(), password.to_owned())
}

/// Failed logins slow down that login from that address only: the right password from another address is
/// never refused.
#[tokio::test]
async fn failed_logins_never_lock_out_another_address() {
    let server = TestServer::start(Backend::Sqlite).await;
    for _ in 0..netlicensing_server::extract::auth::BURST {
        Api::login(&server, Format::Xml, "other", "guess")
            .get("product")
            .await
            .assert_error(401, ErrorId::Unauthorized);
    }
    let refused = Api::login(&server, Format::Xml, "other", "other").get("product").await;
    refused.assert_error(401, ErrorId::Unauthorized);
    for address in [[127, 0, 0, 2], [127, 0, 0, 3]] {
        let (client, login, password) = from(address, "other", "other");
        let answer = client.get(server.url("product")).basic_auth(login, Some(password)).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 200, "from {address:?}");
    }
    server.stop().await;
}

/// A storm of unknown logins queues for a bounded number of verifications; the rest is answered 503 with
/// `Retry-After` at once, the working memory stays at two verifications, and the vendor still logs in.
#[tokio::test]
async fn an_unknown_login_storm_is_bounded() {
    let server = TestServer::start(Backend::Sqlite).await;
    let client = reqwest::Client::new();
    let requests: Vec<_> = (0..200)
        .map(|i| {
            let request = client.get(server.url("product")).basic_auth(format!("nobody{i}"), Some("x"));
            async move {
                let answer = request.send().await.unwrap();
                (answer.status().as_u16(), answer.headers().get("retry-after").is_some())
            }
        })
        .collect();
    let answers = futures_util::future::join_all(requests).await;
    assert!(answers.iter().all(|(status, _)| *status == 401 || *status == 503), "{answers:?}");
    let busy: Vec<_> = answers.iter().filter(|(status, _)| *status == 503).collect();
    assert!(!busy.is_empty(), "more than the queue holds are refused");
    assert!(busy.iter().all(|(_, retry)| *retry), "503 carries Retry-After");
    let held = server.password_working_memory();
    assert!(held <= netlicensing_server::extract::auth::VERIFYING * 19 * 1024 * 1024, "{held} bytes");
    assert_eq!(Api::demo(&server, Format::Json).get("product").await.status, 200);
    server.stop().await;
}
