//! The bundle pages: templates picked from the vendor's (one product), price with currency, edit and delete.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn bundles_pick_templates_of_one_product() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        for (product, module, templates) in [("P1", "M1", ["E1", "E2"].as_slice()), ("P2", "M2", ["E3"].as_slice())] {
            api.post("product", &format!("number={product}&name=Product+{product}")).await;
            api.post(
                "productmodule",
                &format!("number={module}&productNumber={product}&name=Mod&licensingModel=Subscription"),
            )
            .await;
            for template in templates {
                let made = api
                    .post(
                        "licensetemplate",
                        &format!(
                            "number={template}&productModuleNumber={module}&name=T+{template}&licenseType=FEATURE"
                        ),
                    )
                    .await;
                assert_eq!(made.status, 200);
            }
        }
        let web = Web::signed_in(&server, "demo", "demo").await;
        assert!(web.get("/console/bundles").await.body.contains("id=\"no-bundles\""));
        let form = web.get("/console/bundles/new").await;
        for template in ["E1", "E2", "E3"] {
            assert!(form.body.contains(&format!("value=\"{template}\"")), "{template}: {}", form.body);
        }

        let nameless = web.post("/console/bundles/new", &[("licenseTemplateNumbers", "E1")]).await;
        assert_eq!(nameless.status, 400);
        assert!(nameless.body.contains("id=\"f-name-error\""), "{}", nameless.body);
        let mixed = web
            .post(
                "/console/bundles/new",
                &[("name", "Mixed"), ("licenseTemplateNumbers", "E1"), ("licenseTemplateNumbers", "E3")],
            )
            .await;
        assert_eq!(mixed.status, 400);
        assert!(mixed.body.contains("id=\"f-licenseTemplateNumbers-error\""), "{}", mixed.body);
        assert!(mixed.body.contains("value=\"E3\" checked"), "the ticks are kept: {}", mixed.body);
        let priceless = web.post("/console/bundles/new", &[("name", "P"), ("price", "20")]).await;
        assert_eq!(priceless.status, 400);
        assert!(priceless.body.contains("accompanied with the"), "{}", priceless.body);
        assert!(api.get("bundle").await.doc.items().is_empty(), "nothing refused was stored");

        let made = web
            .post(
                "/console/bundles/new",
                &[
                    ("number", "B1"),
                    ("name", "Pack"),
                    ("licenseTemplateNumbers", "E1"),
                    ("licenseTemplateNumbers", "E2"),
                    ("price", "20"),
                    ("currency", "EUR"),
                    ("active", "true"),
                ],
            )
            .await;
        assert_eq!((made.status, made.location.as_deref()), (303, Some("/console/bundles")), "{}", made.body);
        let bundle = api.get("bundle/B1").await;
        assert_eq!(bundle.property("licenseTemplateNumbers"), Some("E1,E2"));
        assert_eq!(bundle.property("productNumber"), Some("P1"));
        let list = web.get("/console/bundles").await;
        assert!(
            list.body.contains("E1, E2") && list.body.contains("20.00 EUR") && list.body.contains("<td>P1</td>"),
            "{}",
            list.body
        );

        let edit = web.get("/console/bundles/B1").await;
        assert!(edit.body.contains("value=\"E1\" checked") && !edit.body.contains("value=\"E3\" checked"));
        assert!(edit.body.contains("/console/bundles/B1/delete"));
        let changed = web
            .post(
                "/console/bundles/B1",
                &[
                    ("name", "Pack 2"),
                    ("licenseTemplateNumbers", "E2"),
                    ("price", "25"),
                    ("currency", "EUR"),
                    ("active", "true"),
                ],
            )
            .await;
        assert_eq!(changed.status, 303, "{}", changed.body);
        let bundle = api.get("bundle/B1").await;
        assert_eq!((bundle.property("name"), bundle.property("licenseTemplateNumbers")), (Some("Pack 2"), Some("E2")));
        let forged = web.post_raw("/console/bundles/B1", &[("name", "Forged")]).await;
        assert_eq!(forged.status, 403);
        let forged = web.post_raw("/console/bundles/B1/delete", &[]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(api.get("bundle/B1").await.property("name"), Some("Pack 2"));
        assert_eq!(web.get("/console/bundles/BNOPE").await.status, 404);

        assert_eq!(web.get("/console/bundles/B1/delete").await.status, 200);
        let deleted = web.post("/console/bundles/B1/delete", &[]).await;
        assert_eq!((deleted.status, deleted.location.as_deref()), (303, Some("/console/bundles")));
        assert_eq!(api.get("bundle/B1").await.status, 404);
        server.stop().await;
    }
}
