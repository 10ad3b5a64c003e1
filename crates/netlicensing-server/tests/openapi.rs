//! The route table and its description are one: the server answers every described route, answers 405 for every
//! other method at a described path, and serves the OpenAPI document byte for byte as committed.

use netlicensing_model::{
    Document, Format,
    api::{self, Method, Operation},
    info::ErrorId,
};

use crate::common::{Backend, TestServer};

fn method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// Sends a request as the demo vendor with an empty form; returns the status and the document, if any.
async fn call(server: &TestServer, verb: Method, path: &str) -> (u16, Option<Document>) {
    let (status, doc, _) = call_allow(server, verb, path).await;
    (status, doc)
}

/// [`call`], with the `Allow` header of the answer.
async fn call_allow(server: &TestServer, verb: Method, path: &str) -> (u16, Option<Document>, Option<String>) {
    let url = format!("{}{}", server.base, path.replace("{number}", "X1"));
    let response = reqwest::Client::new()
        .request(method(verb), url)
        .basic_auth("demo", Some("demo"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap_or("").to_owned());
    let json = response.headers().get("content-type").is_some_and(|c| c.to_str().unwrap_or("").contains("json"));
    let body = response.bytes().await.expect("body");
    let doc = if json { Format::Json.decode(&body).ok() } else { None };
    (status, doc, allow)
}

/// True when the answer is the router's own 404 (no such path), not a missing entity.
fn no_route(status: u16, doc: &Option<Document>) -> bool {
    status == 404 && doc.as_ref().and_then(|d| d.errors().next()).is_some_and(|e| e.value.starts_with("No resource at"))
}

#[tokio::test]
async fn every_described_route_is_served_and_no_other_method() {
    let server = TestServer::start(Backend::Sqlite).await;
    let routes = api::routes();
    for route in &routes {
        let (status, doc) = call(&server, route.method, &route.path).await;
        let label = format!("{} {} ({})", route.method.as_str(), route.path, route.operation_id);
        assert_ne!(status, 405, "{label} answers 405");
        assert!(!no_route(status, &doc), "{label} is not routed");
        if matches!(route.operation, Operation::Health | Operation::OpenApi | Operation::List(_)) {
            assert_eq!(status, 200, "{label}");
        }
    }
    let mut paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
    paths.dedup();
    for path in paths {
        for verb in Method::ALL {
            if routes.iter().any(|r| r.path == path && r.method == verb) {
                continue;
            }
            let (status, doc, allow) = call_allow(&server, verb, path).await;
            assert_eq!(status, 405, "{} {path} is not described but answers {status}", verb.as_str());
            let described: Vec<&str> = routes.iter().filter(|r| r.path == path).map(|r| r.method.as_str()).collect();
            assert_eq!(allow, Some(described.join(", ")), "{} {path}: the Allow header", verb.as_str());
            if path.starts_with(api::BASE) {
                let error = doc.as_ref().and_then(|d| d.errors().next().cloned()).expect("an error info");
                assert_eq!(error.id.as_deref(), Some(ErrorId::MethodNotAllowed.as_str()));
            }
        }
    }
    let (status, doc) = call(&server, Method::Get, &format!("{}/product/X1/nothing", api::BASE)).await;
    assert!(no_route(status, &doc), "undescribed paths are 404: {status}");
    server.stop().await;
}

#[tokio::test]
async fn openapi_document_is_served_without_credentials_as_committed() {
    let server = TestServer::start(Backend::Sqlite).await;
    let response = reqwest::get(format!("{}{}", server.base, api::openapi::path())).await.expect("request sent");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap_or("").to_owned());
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let served = response.text().await.expect("body");
    assert_eq!(served, api::openapi::text(&api::routes()), "served text is the generated text");
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json"))
        .expect("docs/openapi.json is committed");
    assert!(served == committed, "docs/openapi.json is stale: run `cargo xtask codegen`");
    server.stop().await;
}

/// Posts a form as the demo vendor and returns the status.
async fn post_status(server: &TestServer, path: &str, form: &[(&str, &str)]) -> u16 {
    let mut encoded = netlicensing_model::codec::Form::new();
    for (key, value) in form {
        encoded.push(*key, *value);
    }
    let body = encoded.encode();
    reqwest::Client::new()
        .post(server.url(path))
        .basic_auth("demo", Some("demo"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request sent")
        .status()
        .as_u16()
}

/// The document is no looser than the server (what schemathesis found): a value the document calls valid is
/// accepted, and the ones the server refuses are outside the document — empty required values, a price without
/// its currency, zone offsets over 14 hours, malformed volume discounts, transaction sources other than `SHOP`.
#[tokio::test]
async fn the_document_states_the_rules_the_server_enforces() {
    let server = TestServer::start(Backend::Sqlite).await;
    let served = reqwest::get(format!("{}{}", server.base, api::openapi::path())).await.expect("request sent");
    let doc: serde_json::Value = serde_json::from_str(&served.text().await.expect("body")).expect("JSON");
    let bodies = doc["components"]["requestBodies"].as_object().expect("request bodies").clone();
    let body = |name: &str| bodies[name]["content"]["application/x-www-form-urlencoded"]["schema"].clone();

    for (name, _) in &bodies {
        let schema = body(name);
        for required in schema["required"].as_array().into_iter().flatten() {
            let property = &schema["properties"][required.as_str().expect("a name")];
            if property["type"] == "string" && property.get("enum").is_none() {
                assert_eq!(property["minLength"], 1, "{name}.{required}: an empty value is refused");
            }
        }
    }
    assert_eq!(post_status(&server, "product", &[("name", "")]).await, 400);

    for name in ["CreateLicenseTemplate", "CreateBundle"] {
        assert_eq!(body(name)["dependentRequired"]["price"], serde_json::json!(["currency"]), "{name}");
    }
    assert_eq!(post_status(&server, "bundle", &[("name", "B"), ("price", "5")]).await, 400);
    assert_eq!(body("CreateTransaction")["dependentRequired"]["grandTotal"], serde_json::json!(["currency"]));
    let shop = [("status", "CLOSED"), ("source", "SHOP")];
    assert_eq!(post_status(&server, "transaction", &[shop[0], shop[1], ("grandTotal", "5")]).await, 400);

    let timestamp =
        body("CreateTransaction")["properties"]["dateCreated"]["pattern"].as_str().expect("a pattern").to_owned();
    let timestamp = regex::Regex::new(&timestamp).expect("a regular expression");
    for value in [
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00.123+14:00",
        "2026-01-01T00:00:00-13:59",
        "2026-01-01T00:00:00+14:30",
        "2026-01-01T00:00:00+23:59",
        "2026-01-01T00:00:00-15:00",
    ] {
        let status = post_status(&server, "transaction", &[shop[0], shop[1], ("dateCreated", value)]).await;
        assert_eq!(timestamp.is_match(value), status == 200, "{value}: {status}");
    }

    let discount =
        body("CreateProduct")["properties"]["discount"]["items"]["pattern"].as_str().expect("a pattern").to_owned();
    let discount = regex::Regex::new(&discount).expect("a regular expression");
    for value in ["100;EUR;10", "100.50;USD;5%", "", "100;XXX;5", "100;EUR", "abc", "-5;EUR;1", "1;EUR;1;2"] {
        let status = post_status(&server, "product", &[("name", "D"), ("discount", value)]).await;
        assert_eq!(discount.is_match(value), status == 200, "{value:?}: {status}");
    }

    assert_eq!(body("CreateTransaction")["properties"]["source"]["enum"], serde_json::json!(["SHOP"]));
    let auto = [shop[0], ("source", "AUTO_LICENSE_CREATE")];
    assert_eq!(post_status(&server, "transaction", &auto).await, 400);
    server.stop().await;
}
