//! The token pages: an API key made in the console works against the REST API with its role and scope, is
//! shown once and named by a fingerprint afterwards; shop and portal links; revoking; CSRF.

use netlicensing_model::Format;

use super::{Web, secret_of};
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn api_keys_links_and_revoking() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PT&name=Tokens").await;
        assert_eq!(api.post("licensee", "number=IT&productNumber=PT").await.status, 200);
        let web = Web::signed_in(&server, "demo", "demo").await;
        let empty = web.get("/console/tokens").await;
        assert_eq!(empty.status, 200);
        assert!(empty.body.contains("id=\"no-tokens\""), "{}", empty.body);
        assert_eq!(web.get("/console/tokens/api-key").await.status, 200);

        // An ANALYTICS key: shown once, reads through the API, may not write.
        let made = web.post("/console/tokens/api-key", &[("apiKeyRole", "ROLE_APIKEY_ANALYTICS")]).await;
        assert_eq!(made.status, 200, "{}", made.body);
        let key = secret_of(&made.body).expect("the key is shown");
        assert_eq!(key.len(), 36, "{key}");
        let with_key = Api::login(&server, Format::Json, "apiKey", &key);
        assert_eq!(with_key.get("product").await.status, 200);
        assert_eq!(with_key.post("product", "number=PX&name=X").await.status, 403);
        let listed = web.get("/console/tokens").await;
        assert!(listed.body.contains(&format!("{}…", &key[..8])), "{}", listed.body);
        assert!(listed.body.contains("ANALYTICS"));
        assert!(!listed.body.contains(&key), "the list never shows the whole key");

        // A key limited to one customer; an unknown customer is refused and nothing is made.
        let scoped = web
            .post("/console/tokens/api-key", &[("apiKeyRole", "ROLE_APIKEY_LICENSEE"), ("licenseeNumber", "IT")])
            .await;
        let scoped = secret_of(&scoped.body).expect("scoped key");
        let scoped_api = Api::login(&server, Format::Json, "apiKey", &scoped);
        assert_eq!(scoped_api.post("licensee/IT/validate", "").await.status, 200);
        assert_eq!(scoped_api.post("licensee/IOTHER/validate", "productNumber=PT").await.status, 403);
        let unknown = web
            .post("/console/tokens/api-key", &[("apiKeyRole", "ROLE_APIKEY_LICENSEE"), ("licenseeNumber", "INOPE")])
            .await;
        assert_eq!(unknown.status, 404, "{}", unknown.body);
        assert!(unknown.body.contains("licensee does not exist"), "{}", unknown.body);
        assert!(secret_of(&unknown.body).is_none());
        assert_eq!(api.get("token?tokenType=APIKEY").await.doc.items().len(), 2);

        // Shop and portal links for a customer; a shop link needs a customer or a product (error beside it).
        let shop = web.post("/console/tokens/link", &[("tokenType", "SHOP"), ("licenseeNumber", "IT")]).await;
        assert_eq!(shop.status, 200, "{}", shop.body);
        assert!(secret_of(&shop.body).unwrap().contains("/shop/"), "{}", shop.body);
        let portal = web.post("/console/tokens/link", &[("tokenType", "ACTION"), ("licenseeNumber", "IT")]).await;
        let portal = secret_of(&portal.body).unwrap();
        assert!(portal.contains("/portal/do/") && portal.ends_with("/licenseeLogin"), "{portal}");
        let permanent = web.post("/console/tokens/link", &[("tokenType", "SHOP"), ("productNumber", "PT")]).await;
        assert!(secret_of(&permanent.body).unwrap().contains("/shop/"));
        let neither = web.post("/console/tokens/link", &[("tokenType", "SHOP")]).await;
        assert_eq!(neither.status, 400);
        assert!(neither.body.contains("id=\"f-licenseeNumber-error\""), "{}", neither.body);
        let shops = web.get("/console/tokens?type=SHOP").await;
        assert!(shops.body.contains("/shop/") && !shops.body.contains("ANALYTICS"), "{}", shops.body);

        // CSRF: a forged form makes no key.
        let forged = web.post_raw("/console/tokens/api-key", &[("apiKeyRole", "ROLE_APIKEY_ADMIN")]).await;
        assert_eq!(forged.status, 403);
        let forged = web.post_raw("/console/tokens/link", &[("tokenType", "SHOP"), ("licenseeNumber", "IT")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(api.get("token").await.doc.items().len(), 5);

        // Revoking: the confirmation names the key by its start only; afterwards the key is refused.
        let reference = format!("key-{}", &netlicensing_web::session::key_of(&key)[..16]);
        let ask = web.get(&format!("/console/tokens/{reference}/delete")).await;
        assert_eq!(ask.status, 200, "{}", ask.body);
        assert!(!ask.body.contains(&key));
        let refused = web.post_raw(&format!("/console/tokens/{reference}/delete"), &[]).await;
        assert_eq!(refused.status, 403, "CSRF");
        assert_eq!(with_key.get("product").await.status, 200);
        let revoked = web.post(&format!("/console/tokens/{reference}/delete"), &[]).await;
        assert_eq!((revoked.status, revoked.location.as_deref()), (303, Some("/console/tokens")));
        assert_eq!(with_key.get("product").await.status, 401);
        assert_eq!(web.get(&format!("/console/tokens/{reference}/delete")).await.status, 404);
        let shop_number = api.get("token?tokenType=SHOP").await.doc.items()[0].property("number").unwrap().to_owned();
        let revoked = web.post(&format!("/console/tokens/{shop_number}/delete"), &[]).await;
        assert_eq!(revoked.status, 303);
        assert_eq!(api.get(&format!("token/{shop_number}")).await.status, 404);
        server.stop().await;
    }
}
