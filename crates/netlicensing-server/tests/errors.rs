//! Bad input gets a 4xx with an ERROR info in the requested format, and changes nothing.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn bad_input(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=P{tag}&name=N&version=1")).await;
    api.post("productmodule", &format!("number=M{tag}&productNumber=P{tag}&name=M&licensingModel=Subscription")).await;
    let before = api.get(&format!("product/P{tag}")).await.doc;

    let cases: Vec<(String, &str, u16, ErrorId)> = vec![
        (format!("product/P{tag}"), "vatMode=SOMETIMES", 400, ErrorId::MalformedRequest),
        (format!("product/P{tag}"), "licenseeAutoCreate=perhaps", 400, ErrorId::MalformedRequest),
        (format!("product/P{tag}"), "discount=100;EUR", 400, ErrorId::MalformedRequest),
        (format!("product/P{tag}"), "discount=ten;EUR;1", 400, ErrorId::MalformedRequest),
        ("product".into(), "number=X1", 400, ErrorId::MalformedRequest),
        ("productmodule".into(), "productNumber=NOPE&name=x&licensingModel=Quota", 404, ErrorId::NotFound),
        ("productmodule".into(), "productNumber=P&name=x&licensingModel=Renting", 400, ErrorId::MalformedRequest),
        ("licensetemplate".into(), "name=x&licenseType=FEATURE", 400, ErrorId::MalformedRequest),
        ("license".into(), "licenseeNumber=I&licenseTemplateNumber=NOPE", 404, ErrorId::NotFound),
        (format!("product/NOPE{tag}"), "name=x", 404, ErrorId::NotFound),
    ];
    for (path, form, status, id) in cases {
        let form = form.replace("productNumber=P&", &format!("productNumber=P{tag}&"));
        let form =
            if path == "licensetemplate" { format!("{form}&productModuleNumber=M{tag}&timeVolume=x") } else { form };
        api.post(&path, &form).await.assert_error(status, id);
    }
    let tv = api.post("licensetemplate", &format!("productModuleNumber=M{tag}&name=x&licenseType=TIMEVOLUME")).await;
    tv.assert_error(400, ErrorId::IllegalOperation);
    let date = api
        .post(
            "licensetemplate",
            &format!("number=E{tag}&productModuleNumber=M{tag}&name=x&licenseType=TIMEVOLUME&timeVolume=1"),
        )
        .await;
    assert_eq!(date.status, 200);
    api.post("licensee", &format!("number=I{tag}&productNumber=P{tag}")).await;
    let bad_date =
        api.post("license", &format!("licenseeNumber=I{tag}&licenseTemplateNumber=E{tag}&startDate=yesterday")).await;
    bad_date.assert_error(400, ErrorId::MalformedRequest);
    // An amount beyond what a column holds (64-bit cents) is the request's fault, and stores nothing.
    let huge = format!(
        "number=EHUGE{tag}&productModuleNumber=M{tag}&name=x&licenseType=FEATURE&price=99999999999999999999&currency=EUR"
    );
    api.post("licensetemplate", &huge).await.assert_error(400, ErrorId::MalformedRequest);
    api.get(&format!("licensetemplate/EHUGE{tag}")).await.assert_error(404, ErrorId::NotFound);
    assert!(
        api.get(&format!("license?filter=licenseeNumber%3DI{tag}")).await.doc.items().is_empty(),
        "no license was created"
    );

    let huge = api.post_raw("product", "application/x-www-form-urlencoded", vec![b'a'; 300 * 1024]).await;
    huge.assert_error(413, ErrorId::PayloadTooLarge);
    api.post_raw("product", "application/json", b"{\"name\":\"x\"}".to_vec())
        .await
        .assert_error(415, ErrorId::UnsupportedMediaType);
    api.delete(&format!("product/P{tag}?forceCascade=maybe")).await.assert_error(400, ErrorId::MalformedRequest);
    api.get("nowhere").await.assert_error(404, ErrorId::NotFound);
    api.method(reqwest::Method::PATCH, "product").await.assert_error(405, ErrorId::MethodNotAllowed);
    api.get("product?filter=page%3D-1").await.assert_error(400, ErrorId::MalformedRequest);

    assert_eq!(api.get(&format!("product/P{tag}")).await.doc, before, "refused requests changed the product");
}

async fn authentication(server: &TestServer, format: Format) {
    Api::anonymous(server, format).get("product").await.assert_error(401, ErrorId::Unauthorized);
    Api::login(server, format, "demo", "wrong").get("product").await.assert_error(401, ErrorId::Unauthorized);
    Api::login(server, format, "nobody", "demo").get("product").await.assert_error(401, ErrorId::Unauthorized);
    Api::login(server, format, "apiKey", "00000000-0000-4000-8000-000000000000")
        .get("product")
        .await
        .assert_error(401, ErrorId::Unauthorized);
    let response = reqwest::Client::new().get(server.url("product")).send().await.unwrap();
    assert_eq!(
        response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()),
        Some("Basic realm=\"NetLicensing\"")
    );
    assert_eq!(
        response.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/xml; charset=utf-8"),
        "XML without Accept"
    );
    let health = reqwest::get(format!("{}/health", server.base)).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
}

async fn throttling(server: &TestServer, format: Format) {
    if format == Format::Json {
        return;
    }
    for _ in 0..10 {
        Api::login(server, format, "other", "guess").get("product").await.assert_error(401, ErrorId::Unauthorized);
    }
    let refused = Api::login(server, format, "other", "other").get("product").await;
    refused.assert_error(401, ErrorId::Unauthorized);
    assert!(refused.doc.errors().next().unwrap().value.contains("Too many failed logins"));
    assert_eq!(Api::demo(server, format).get("product").await.status, 200, "other logins are not affected");
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled() {
    crate::each_backend_and_format!(throttling);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    crate::each_backend_and_format!(bad_input);
}

#[tokio::test]
async fn unauthenticated_requests_get_a_basic_challenge() {
    crate::each_backend_and_format!(authentication);
}

/// A stampede of requests with one credential runs one verification per turn, not one per request: the
/// Argon2id memory stays bounded and the waiting requests find the credential verified.
#[tokio::test]
async fn a_login_stampede_verifies_the_password_once_per_turn() {
    let server = TestServer::start(crate::common::Backend::Sqlite).await;
    let before = server.password_verifications();
    let requests: Vec<_> = (0..40)
        .map(|_| {
            let server = &server;
            async move { Api::demo(server, Format::Json).get("product").await.status }
        })
        .collect();
    let statuses = futures_util::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let ran = server.password_verifications() - before;
    assert!(ran <= 2, "{ran} verifications for one credential");
    // Bad credentials queue the same way and are refused.
    let bad: Vec<_> = (0..20)
        .map(|i| {
            let server = &server;
            async move { Api::login(server, Format::Json, &format!("nobody{i}"), "wrong").get("product").await.status }
        })
        .collect();
    assert!(futures_util::future::join_all(bad).await.iter().all(|s| *s == 401));
    server.stop().await;
}
