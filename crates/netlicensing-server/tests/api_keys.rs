//! API keys over HTTP: created with the vendor login, used as Basic `apiKey:<key>`, limited by role.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn api_keys(server: &TestServer, format: Format) {
    let vendor = Api::demo(server, format);
    let tag = format!("{format:?}");
    vendor.post("product", &format!("number=PK{tag}&name=K")).await;
    let licensee_key = vendor.post("token", "tokenType=APIKEY").await;
    assert_eq!((licensee_key.status, licensee_key.property("apiKeyRole")), (200, Some("ROLE_APIKEY_LICENSEE")));
    assert_eq!(licensee_key.property("expirationTime"), None);
    let key = licensee_key.property("number").unwrap().to_owned();
    let as_key = Api::login(server, format, "apiKey", &key);
    as_key.get("product").await.assert_error(403, ErrorId::AccessDenied);
    as_key.get("token").await.assert_error(403, ErrorId::AccessDenied);

    let analytics = vendor.post("token", "tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ANALYTICS").await;
    let reader = Api::login(server, format, "apiKey", analytics.property("number").unwrap());
    let products = reader.get("product").await;
    assert!(products.doc.items().iter().any(|p| p.property("number") == Some(&format!("PK{tag}"))));
    reader.post("product", "name=x").await.assert_error(403, ErrorId::AccessDenied);

    let maintenance = vendor.post("token", "tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_MAINTENANCE").await;
    let maintainer = Api::login(server, format, "apiKey", maintenance.property("number").unwrap());
    assert_eq!(maintainer.post("product", &format!("number=PM{tag}&name=M")).await.status, 200);

    let tokens = vendor.get("token?filter=tokenType%3DAPIKEY").await;
    assert!(tokens.doc.items().len() >= 3);
    assert!(tokens.doc.items().iter().all(|t| t.property("privateKey").is_none()));

    assert_eq!(vendor.delete(&format!("token/{key}")).await.status, 204);
    as_key.get("product").await.assert_error(401, ErrorId::Unauthorized);
    vendor
        .method(reqwest::Method::POST, &format!("token/{}", analytics.property("number").unwrap()))
        .await
        .assert_error(405, ErrorId::MethodNotAllowed);

    let other = Api::login(server, format, "other", "other");
    other.get(&format!("token/{}", maintenance.property("number").unwrap())).await.assert_error(404, ErrorId::NotFound);
    let other_key = other.post("token", "tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ADMIN").await;
    let other_admin = Api::login(server, format, "apiKey", other_key.property("number").unwrap());
    other_admin.get(&format!("product/PK{tag}")).await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn api_keys_authenticate_with_their_role() {
    crate::each_backend_and_format!(api_keys);
}
