//! Against a scripted stub: retries of idempotent requests only, backoff, request headers, unreadable answers.

use std::time::{Duration, Instant};

use netlicensing_client::{
    Context, Error, ErrorId, Format, RetryPolicy, Security,
    entity::{Entity, Product, ValidationParameters},
    model::Document,
};

use crate::common::{Canned, Stub};

fn product_json() -> String {
    let product = Product { number: "P1".into(), active: true, name: Some("One".into()), ..Product::default() };
    Format::Json.encode(&Document::with_items(vec![product.to_item()]))
}

fn busy(status: u16) -> Canned {
    let body = Format::Xml.encode(&Document::error(ErrorId::ServiceUnavailable.as_str(), "Busy, try again"));
    Canned::new(status, "application/xml", body)
}

fn context(stub: &Stub, security: Security, retry: RetryPolicy) -> Context {
    Context::builder()
        .base_url(&stub.base)
        .security(security)
        .format(Format::Json)
        .timeout(Duration::from_secs(5))
        .retry(retry)
        .build()
        .unwrap()
}

fn fast(max_retries: u32) -> RetryPolicy {
    RetryPolicy::new(max_retries, Duration::from_millis(20), Duration::from_millis(40))
}

fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    request.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[tokio::test]
async fn get_is_retried_on_503_and_429_with_backoff() {
    let stub = Stub::start(vec![
        busy(503),
        Canned::new(429, "text/plain", "slow down").header("Retry-After", "0"),
        Canned::new(200, "application/json", product_json()),
    ])
    .await;
    let context = context(&stub, Security::basic("demo", "demo"), fast(3));
    let started = Instant::now();
    let product = context.products().get("P1").await.unwrap();
    assert_eq!((product.number.as_str(), product.name.as_deref()), ("P1", Some("One")));
    assert!(started.elapsed() >= Duration::from_millis(20), "the first retry waits the backoff");
    let requests = stub.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert!(request.starts_with("GET /core/v2/rest/product/P1 HTTP/1.1\r\n"), "{request}");
        assert_eq!(header(request, "accept"), Some("application/json"));
        assert_eq!(header(request, "authorization"), Some("Basic ZGVtbzpkZW1v"));
        let agent = header(request, "user-agent").unwrap();
        assert_eq!(agent, format!("netlicensing-client/{}", env!("CARGO_PKG_VERSION")));
    }
}

#[tokio::test]
async fn retries_stop_at_the_configured_maximum() {
    let stub = Stub::start(vec![busy(503)]).await;
    let context = context(&stub, Security::api_key("k-1"), fast(2));
    let started = Instant::now();
    let error = context.products().delete("P1", true).await.expect_err("always busy");
    assert_eq!((error.status(), error.error_id()), (Some(503), Some("ServiceUnavailableException")));
    assert_eq!(error.info().map(|i| i.value.as_str()), Some("Busy, try again"));
    assert!(started.elapsed() >= Duration::from_millis(60), "backoff 20 ms then 40 ms");
    let requests = stub.requests();
    assert_eq!(requests.len(), 3, "one attempt and two retries");
    assert!(requests[0].starts_with("DELETE /core/v2/rest/product/P1?forceCascade=true "), "{}", requests[0]);
    assert_eq!(header(&requests[0], "authorization"), Some("Basic YXBpS2V5OmstMQ=="), "apiKey:k-1");

    let none = Stub::start(vec![busy(503)]).await;
    let once = self::context(&none, Security::Anonymous, RetryPolicy::NONE);
    once.products().get("P1").await.expect_err("busy");
    assert_eq!(none.requests().len(), 1);
    assert_eq!(header(&none.requests()[0], "authorization"), None, "anonymous sends no credentials");
}

#[tokio::test]
async fn post_requests_are_never_retried() {
    let stub = Stub::start(vec![busy(503), Canned::new(200, "application/json", product_json())]).await;
    let context = context(&stub, Security::basic("demo", "demo"), fast(3));
    let product = Product { number: "P1".into(), active: true, name: Some("One & two".into()), ..Product::default() };
    let error = context.products().create(&product).await.expect_err("503 once is enough");
    assert!(matches!(error, Error::Api { status: 503, .. }), "{error:?}");
    let requests = stub.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].starts_with("POST /core/v2/rest/product HTTP/1.1\r\n"));
    assert_eq!(header(&requests[0], "content-type"), Some("application/x-www-form-urlencoded"));
    assert!(requests[0].ends_with("\r\n\r\nnumber=P1&active=true&name=One+%26+two"), "{}", requests[0]);

    let busy_validate = Stub::start(vec![busy(502)]).await;
    let context = self::context(&busy_validate, Security::basic("demo", "demo"), fast(3));
    let parameters = ValidationParameters { dry_run: true, ..ValidationParameters::default() };
    context.licensees().validate("I1", &parameters).await.expect_err("502");
    let requests = busy_validate.requests();
    assert_eq!(requests.len(), 1, "validate is sent once");
    assert!(requests[0].starts_with("POST /core/v2/rest/licensee/I1/validate "));
    assert!(requests[0].ends_with("\r\n\r\ndryRun=true"));
}

#[tokio::test]
async fn timeouts_are_retried_for_idempotent_requests() {
    let stub = Stub::start(vec![Canned::new(0, "", "")]).await;
    let context = Context::builder()
        .base_url(&stub.base)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::new(1, Duration::from_millis(10), Duration::from_millis(10)))
        .build()
        .unwrap();
    let error = context.products().get("P1").await.expect_err("never answers");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn unreadable_answers_are_decode_or_http_errors() {
    let stub = Stub::start(vec![
        Canned::new(200, "text/html", "<html>a portal</html>"),
        Canned::new(500, "text/plain", "oops"),
        Canned::new(200, "application/json", product_json()),
    ])
    .await;
    let context = context(&stub, Security::Anonymous, RetryPolicy::NONE);
    let error = context.products().get("P1").await.expect_err("HTML");
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error:?}");
    let error = context.products().get("P1").await.expect_err("plain text");
    assert!(matches!(&error, Error::Http { status: 500, body } if body == "oops"), "{error:?}");
    // A document of another type than the one asked for.
    let error = context.licensees().get("P1").await.expect_err("a product, not a licensee");
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error:?}");
}
