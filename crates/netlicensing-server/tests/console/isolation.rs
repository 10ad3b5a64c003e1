//! Vendor isolation through the console: another vendor's session neither sees nor changes a vendor's data
//! through any page or form (the matrix of the API's isolation test, over the pages).

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn a_session_never_shows_or_changes_another_vendors_data() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let a = Api::demo(&server, Format::Json);
        a.post("product", "number=PSECRET&name=Classified7").await;
        a.post("productmodule", "number=MSECRET&productNumber=PSECRET&name=Classified7&licensingModel=TryAndBuy").await;
        a.post("licensetemplate", "number=ESECRET&productModuleNumber=MSECRET&name=Classified7&licenseType=FEATURE")
            .await;
        a.post("licensee", "number=ISECRET&productNumber=PSECRET&name=Classified7").await;
        let license = a.post("license", "number=LSECRET&licenseeNumber=ISECRET&licenseTemplateNumber=ESECRET").await;
        assert_eq!(license.status, 200);
        a.post("transaction", "number=TSECRET&status=CLOSED&source=SHOP&licenseeNumber=ISECRET&transactionNumber=x")
            .await;
        assert_eq!(a.post("paymentmethod/PAYPAL", "paypal.subject=Classified7").await.status, 200);
        let branding =
            "name=Classified7&accentColor=%23aa3300&logo=data%3Aimage%2Fgif%3Bbase64%2CR0lGODlhAQABAAAAACw%3D";
        assert_eq!(a.post("branding", branding).await.status, 200);
        let notification = a
            .post("notification", "number=NSECRET&name=Classified7&protocol=WEBHOOK&events=LICENSE_CREATED&endpoint=https%3A%2F%2Fexample.com%2Fhook")
            .await;
        assert_eq!(notification.status, 200);
        let bundle = a.post("bundle", "number=BSECRET&name=Classified7&licenseTemplateNumbers=ESECRET").await;
        assert_eq!(bundle.status, 200);
        let key = a.post("token", "tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ADMIN").await;
        let key = key.property("number").unwrap().to_owned();
        let key_ref = format!("key-{}", &netlicensing_web::session::key_of(&key)[..16]);
        let shop = a.post("token", "tokenType=SHOP&licenseeNumber=ISECRET").await;
        let shop = shop.property("number").unwrap().to_owned();

        let b = Web::signed_in(&server, "other", "other").await;
        for path in [
            "/console/products/PSECRET",
            "/console/products/PSECRET/edit",
            "/console/products/PSECRET/delete",
            "/console/products/PSECRET/modules/new",
            "/console/modules/MSECRET/templates/new",
            "/console/customers/ISECRET",
            "/console/customers/ISECRET/delete",
            "/console/customers/ISECRET/licenses/new",
            "/console/licenses/LSECRET",
            "/console/licenses/LSECRET/edit",
            "/console/licenses/LSECRET/delete",
            &format!("/console/tokens/{key_ref}/delete"),
            &format!("/console/tokens/{shop}/delete"),
            "/console/transactions/TSECRET",
            "/console/bundles/BSECRET",
            "/console/bundles/BSECRET/delete",
            "/console/notifications/NSECRET",
            "/console/notifications/NSECRET/edit",
            "/console/notifications/NSECRET/delete",
        ] {
            let page = b.get(path).await;
            assert_eq!(page.status, 404, "GET {path}: {}", page.body);
            assert!(!page.body.contains("Classified7"), "GET {path} leaked");
        }
        for (path, fields) in [
            ("/console/products/PSECRET/edit", vec![("name", "stolen")]),
            ("/console/products/PSECRET/delete", vec![("forceCascade", "true")]),
            ("/console/products/PSECRET/modules/new", vec![("name", "x"), ("licensingModel", "Quota")]),
            ("/console/modules/MSECRET/templates/new", vec![("name", "x"), ("licenseType", "FEATURE")]),
            ("/console/customers/ISECRET/validate", vec![]),
            ("/console/customers/ISECRET/token", vec![("kind", "shop")]),
            ("/console/customers/ISECRET/token", vec![("kind", "portal")]),
            ("/console/customers/ISECRET/delete", vec![("forceCascade", "true")]),
            ("/console/customers/ISECRET/licenses/new", vec![("licenseTemplateNumber", "ESECRET")]),
            ("/console/customers/new", vec![("productNumber", "PSECRET"), ("number", "ISTOLEN")]),
            ("/console/licenses/LSECRET/edit", vec![("name", "stolen"), ("active", "false")]),
            ("/console/licenses/LSECRET/active", vec![("active", "false")]),
            ("/console/licenses/LSECRET/delete", vec![]),
            (&format!("/console/tokens/{key_ref}/delete"), vec![]),
            (&format!("/console/tokens/{shop}/delete"), vec![]),
            ("/console/tokens/api-key", vec![("apiKeyRole", "ROLE_APIKEY_ADMIN"), ("licenseeNumber", "ISECRET")]),
            ("/console/tokens/link", vec![("tokenType", "SHOP"), ("licenseeNumber", "ISECRET")]),
            ("/console/tokens/link", vec![("tokenType", "ACTION"), ("licenseeNumber", "ISECRET")]),
            ("/console/bundles/BSECRET", vec![("name", "stolen")]),
            ("/console/bundles/BSECRET/delete", vec![]),
            ("/console/bundles/new", vec![("name", "x"), ("licenseTemplateNumbers", "ESECRET")]),
            ("/console/notifications/NSECRET/edit", vec![("name", "stolen")]),
            ("/console/notifications/NSECRET/resend", vec![("eventId", "evt_x")]),
            ("/console/notifications/NSECRET/delete", vec![]),
        ] {
            let page = b.post(path, &fields).await;
            assert_eq!(page.status, 404, "POST {path}: {}", page.body);
            assert!(!page.body.contains("Classified7"), "POST {path} leaked: {}", page.body);
        }
        for path in [
            "/console",
            "/console/products",
            "/console/customers",
            "/console/customers?q=ISECRET&by=number",
            "/console/customers?q=Classified7&by=name",
            "/console/customers?order=name",
            "/console/customers/new",
            "/console/account",
            "/console/tokens",
            "/console/tokens?type=APIKEY",
            "/console/tokens/api-key",
            "/console/tokens/link",
            "/console/transactions",
            "/console/transactions?source=SHOP",
            "/console/payment-methods",
            "/console/payment-methods/PAYPAL/edit",
            "/console/bundles",
            "/console/bundles/new",
            "/console/notifications",
            "/console/notifications/new",
            "/console/settings",
            "/console/branding",
        ] {
            let page = b.get(path).await;
            assert_eq!(page.status, 200, "GET {path}");
            let marks = [
                "<td>Classified7",
                "customers/ISECRET",
                "products/PSECRET",
                "MSECRET",
                "LSECRET",
                "PSECRET",
                "TSECRET",
            ];
            let leaked = marks.iter().chain([&key[..8], &key_ref, &shop].iter()).any(|mark| page.body.contains(mark));
            assert!(!leaked, "GET {path} leaked: {}", page.body);
        }
        // Forms of the vendor's own settings change B's, never A's.
        let own = b.post("/console/payment-methods/PAYPAL/edit", &[("paypal.subject", "b@example.com")]).await;
        assert_eq!(own.status, 303);
        assert_eq!(a.get("paymentmethod/PAYPAL").await.property("paypal.subject"), Some("Classified7"));
        assert_eq!(b.post("/console/settings", &[("validationTtl", "5m")]).await.status, 303);
        let web_a = Web::signed_in(&server, "demo", "demo").await;
        assert!(web_a.get("/console/settings").await.body.contains("the default, 1d"), "B's TTL is B's");
        let theirs = b.get("/console/branding").await;
        let leaked = ["/assets/logo/VDEMO", "#aa3300", "Classified7"].iter().any(|mark| theirs.body.contains(mark));
        assert!(!leaked, "A's branding unseen: {}", theirs.body);
        let own = b.post("/console/branding", &[("name", "B's own"), ("removeLogo", "true")]).await;
        assert_eq!(own.status, 303);
        let read = a.get("branding").await;
        assert_eq!((read.property("name"), read.property("accentColor")), (Some("Classified7"), Some("#aa3300")));
        assert!(read.property("logo").is_some(), "B's form changes B's branding, never A's");

        // Everything of A is as it was.
        assert_eq!(a.get("product/PSECRET").await.property("name"), Some("Classified7"));
        assert_eq!(a.get("bundle/BSECRET").await.property("name"), Some("Classified7"));
        assert_eq!(a.get("notification/NSECRET").await.property("name"), Some("Classified7"));
        for path in ["productmodule/MSECRET", "licensetemplate/ESECRET", "licensee/ISECRET", "license/LSECRET"] {
            assert_eq!(a.get(path).await.status, 200, "{path}");
        }
        let license = a.get("license/LSECRET").await;
        assert_eq!((license.property("name"), license.property("active")), (Some("Classified7"), Some("true")));
        assert_eq!(a.get("licensee/ISTOLEN").await.status, 404);
        let tokens = a.get("token").await;
        assert_eq!(tokens.doc.items().len(), 2, "no token was made for A's customer, none revoked");

        // A's own session sees it all.
        assert!(web_a.get("/console/customers?q=ISECRET&by=number").await.body.contains("ISECRET"));
        assert!(web_a.get("/console/products/PSECRET").await.body.contains("MSECRET"));
        assert!(web_a.get("/console/licenses/LSECRET").await.body.contains("Classified7"));
        server.stop().await;
    }
}
