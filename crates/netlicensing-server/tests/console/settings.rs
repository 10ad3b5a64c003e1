//! The settings page: the vendor's validation TTL, in effect for the API's validation answers at once.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn the_validation_ttl_is_set_from_the_console() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PS&name=Settings&licenseeAutoCreate=true").await;
        let web = Web::signed_in(&server, "demo", "demo").await;
        let page = web.get("/console/settings").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("the default, 1d"), "{}", page.body);

        let saved = web.post("/console/settings", &[("validationTtl", "2h")]).await;
        assert_eq!((saved.status, saved.location.as_deref()), (303, Some("/console/settings")));
        let page = web.get("/console/settings").await;
        assert!(page.body.contains("The validation TTL is 2h.") && page.body.contains("value=\"2h\""), "{}", page.body);
        let answer = api.post("licensee/IS/validate", "productNumber=PS").await;
        let ttl = answer.doc.ttl.expect("a ttl") - chrono::Utc::now();
        assert!(ttl <= chrono::Duration::hours(2) && ttl > chrono::Duration::minutes(119), "{ttl}");

        for bad in ["soon", "5s", "40d"] {
            let refused = web.post("/console/settings", &[("validationTtl", bad)]).await;
            assert_eq!(refused.status, 400, "{bad}");
            assert!(refused.body.contains("id=\"f-validationTtl-error\""), "{bad}: {}", refused.body);
            assert!(refused.body.contains(&format!("value=\"{bad}\"")));
        }
        let forged = web.post_raw("/console/settings", &[("validationTtl", "1m")]).await;
        assert_eq!(forged.status, 403);
        assert!(web.get("/console/settings").await.body.contains("The validation TTL is 2h."));
        let other = Web::signed_in(&server, "other", "other").await;
        assert!(other.get("/console/settings").await.body.contains("the default, 1d"), "each vendor its own");
        let reset = web.post("/console/settings", &[("validationTtl", "")]).await;
        assert_eq!(reset.status, 303);
        assert!(web.get("/console/settings").await.body.contains("the default, 1d"));
        server.stop().await;
    }
}
