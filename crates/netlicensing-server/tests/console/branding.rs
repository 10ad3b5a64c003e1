//! The branding page: the current branding with the logo previewed, the form through core's rules (an error
//! beside its field, nothing changed), the pasted logo kept when left empty and removed when asked, and CSRF.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

/// A 1×1 GIF.
const GIF: &str = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";

#[tokio::test]
async fn the_branding_is_shown_and_changed_from_the_console() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        let web = Web::signed_in(&server, "demo", "demo").await;
        let page = web.get("/console/branding").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("id=\"no-logo\"") && page.body.contains("id=\"no-branding\""), "{}", page.body);
        assert!(page.body.contains("href=\"/console/branding\" aria-current=\"page\""), "in the navigation");

        let all = [
            ("name", "Console Shop"),
            ("logo", GIF),
            ("accentColor", "#aa3300"),
            ("email", "sales@demo.example"),
            ("address", "Road 1\r\nTown"),
            ("website", "https://demo.example"),
        ];
        let saved = web.post("/console/branding", &all).await;
        assert_eq!((saved.status, saved.location.as_deref()), (303, Some("/console/branding")), "{}", saved.body);
        let page = web.get("/console/branding").await;
        assert!(page.body.contains("<dd>Console Shop</dd>") && page.body.contains("<dd>#aa3300</dd>"), "{}", page.body);
        assert!(page.body.contains("id=\"logo-preview\" src=\"/assets/logo/VDEMO?v="), "{}", page.body);
        assert!(page.body.contains("value=\"Console Shop\""), "the form holds the values");
        let logo = web.get("/assets/logo/VDEMO").await;
        assert_eq!(logo.status, 200);
        assert_eq!(logo.headers.get("content-type").unwrap(), "image/gif");
        let read = api.get("branding").await;
        assert_eq!(read.property("address"), Some("Road 1\nTown"));
        assert_eq!(read.property("logo"), Some(GIF));

        // Refused beside its field, the value kept in the form, nothing changed.
        let refused = web.post("/console/branding", &[("name", "Changed"), ("accentColor", "red")]).await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(refused.body.contains("id=\"f-accentColor-error\""), "{}", refused.body);
        assert!(refused.body.contains("value=\"red\"") && refused.body.contains("value=\"Changed\""));
        let refused = web.post("/console/branding", &[("email", "nobody")]).await;
        assert!(refused.body.contains("id=\"f-email-error\"") && !refused.body.contains("f-address-error"));
        let big = format!("data:image/png;base64,{}", "A".repeat(200 * 1024));
        let refused = web.post("/console/branding", &[("name", "Changed"), ("logo", &big)]).await;
        assert_eq!(refused.status, 400);
        assert!(refused.body.contains("id=\"f-logo-error\""), "{}", &refused.body[..2000.min(refused.body.len())]);
        // The VAT profile: a company needs its country (the error beside it); then the shop charges VAT.
        let refused = web.post("/console/branding", &[("vendorType", "COMPANY"), ("countryCode", "")]).await;
        assert_eq!(refused.status, 400);
        assert!(refused.body.contains("id=\"f-countryCode-error\""), "{}", refused.body);
        assert!(refused.body.contains("<option value=\"AT\">Austria</option>"), "the countries to choose from");
        let read = api.get("branding").await;
        assert_eq!(read.property("name"), Some("Console Shop"), "nothing changed");
        assert_eq!(read.property("accentColor"), Some("#aa3300"));

        // An empty logo field keeps the logo; the other fields are as posted.
        let kept =
            web.post("/console/branding", &[("name", "Renamed"), ("logo", ""), ("accentColor", "#0a6cff")]).await;
        assert_eq!(kept.status, 303, "{}", kept.body);
        let read = api.get("branding").await;
        assert_eq!((read.property("name"), read.property("logo")), (Some("Renamed"), Some(GIF)));
        assert_eq!(read.property("email"), None, "a field left empty clears");

        // CSRF refused, nothing changed.
        let forged = web.post_raw("/console/branding", &[("name", "Forged"), ("removeLogo", "true")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(api.get("branding").await.property("name"), Some("Renamed"));

        // Removed when asked.
        let removed = web.post("/console/branding", &[("name", "Renamed"), ("removeLogo", "true")]).await;
        assert_eq!(removed.status, 303);
        assert_eq!(api.get("branding").await.property("logo"), None);
        assert!(web.get("/console/branding").await.body.contains("id=\"no-logo\""));

        let other = Web::signed_in(&server, "other", "other").await;
        let theirs = other.get("/console/branding").await;
        assert!(theirs.body.contains("id=\"no-branding\"") && !theirs.body.contains("Renamed"), "each vendor its own");
        server.stop().await;
    }
}
