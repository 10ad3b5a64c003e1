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

/// The select of a form field as rendered: the value of its selected option.
fn selected(body: &str, field: &str) -> Option<String> {
    let start = body.find(&format!("<select id=\"f-{field}\""))?;
    let select = &body[start..start + body[start..].find("</select>")?];
    let at = select.find(" selected>")?;
    let value = &select[..at];
    Some(value[value.rfind("value=\"")? + 7..].trim_end_matches('"').to_owned())
}

#[tokio::test]
async fn the_default_currency_is_preselected_in_new_price_forms() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PC&name=Currency").await;
        api.post("productmodule", "number=MC&productNumber=PC&name=Mod&licensingModel=Subscription").await;
        api.post("licensetemplate", "number=EC&productModuleNumber=MC&name=Free&licenseType=FEATURE").await;
        assert_eq!(api.post("bundle", "number=BC&name=Unpriced&licenseTemplateNumbers=EC").await.status, 200);
        let web = Web::signed_in(&server, "demo", "demo").await;
        let page = web.get("/console/settings").await;
        assert!(page.body.contains("There is no default currency."), "{}", page.body);
        assert_eq!(selected(&page.body, "defaultCurrency").as_deref(), Some(""));
        for form in ["/console/modules/MC/templates/new", "/console/bundles/new"] {
            let body = web.get(form).await.body;
            assert_eq!(selected(&body, "currency").as_deref(), Some(""), "{form}: no currency without the setting");
        }

        // Refused (either value): the error beside its field, what was typed kept, nothing stored.
        let refused = web.post("/console/settings", &[("validationTtl", "2h"), ("defaultCurrency", "GBP")]).await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(refused.body.contains("id=\"f-defaultCurrency-error\""), "{}", refused.body);
        assert!(refused.body.contains("value=\"2h\""), "the TTL typed is kept");
        let refused = web.post("/console/settings", &[("validationTtl", "40d"), ("defaultCurrency", "USD")]).await;
        assert_eq!(refused.status, 400);
        assert_eq!(selected(&refused.body, "defaultCurrency").as_deref(), Some("USD"), "the currency chosen is kept");
        assert!(web.get("/console/settings").await.body.contains("the default, 1d. There is no default currency."));

        let saved = web.post("/console/settings", &[("validationTtl", ""), ("defaultCurrency", "USD")]).await;
        assert_eq!((saved.status, saved.location.as_deref()), (303, Some("/console/settings")));
        let page = web.get("/console/settings").await;
        assert!(page.body.contains("The default currency is USD."), "{}", page.body);
        assert_eq!(selected(&page.body, "defaultCurrency").as_deref(), Some("USD"));
        assert!(web.post_raw("/console/settings", &[("defaultCurrency", "EUR")]).await.status == 403);

        // New templates and bundles start in it (with a price, which core needs beside a currency); an
        // existing bundle's form shows what the bundle has.
        for form in ["/console/modules/MC/templates/new", "/console/bundles/new"] {
            let body = web.get(form).await.body;
            assert_eq!(selected(&body, "currency").as_deref(), Some("USD"), "{form}: {body}");
            assert!(body.contains("id=\"f-price\" name=\"price\" type=\"text\" value=\"0.00\""), "{form}: {body}");
        }
        assert_eq!(selected(&web.get("/console/bundles/BC").await.body, "currency").as_deref(), Some(""));
        let template = [("name", "Pro"), ("licenseType", "FEATURE"), ("price", "0.00"), ("currency", "USD")];
        let made = web.post("/console/modules/MC/templates/new", &template).await;
        assert_eq!(made.status, 303, "the form as it starts is accepted: {}", made.body);
        let templates = api.get("licensetemplate?productModuleNumber=MC").await;
        let pro = templates.doc.items().iter().find(|i| i.property("name") == Some("Pro")).expect("Pro");
        assert_eq!((pro.property("price"), pro.property("currency")), (Some("0.00"), Some("USD")));

        // Each vendor its own; the operator sets the same with `vendor currency` (the binary, on SQLite).
        let other = Web::signed_in(&server, "other", "other").await;
        assert!(other.get("/console/settings").await.body.contains("There is no default currency."));
        if let Some(file) = server.db.sqlite_file() {
            let run = |value: &str| {
                std::process::Command::new(env!("CARGO_BIN_EXE_netlicensing-server"))
                    .args(["vendor", "currency", "--login", "other", "--default-currency", value])
                    .arg(format!("--database-url=sqlite://{}", file.display()))
                    .output()
                    .expect("the binary runs")
            };
            let output = run("eur");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            assert!(other.get("/console/settings").await.body.contains("The default currency is EUR."));
            let output = run("GBP");
            assert!(!output.status.success());
            assert!(String::from_utf8_lossy(&output.stderr).contains("'GBP' is not a currency"));
            assert!(run("default").status.success());
            assert!(other.get("/console/settings").await.body.contains("There is no default currency."));
        }
        assert!(web.get("/console/settings").await.body.contains("The default currency is USD."));
        let cleared = web.post("/console/settings", &[("validationTtl", ""), ("defaultCurrency", "")]).await;
        assert_eq!(cleared.status, 303);
        let body = web.get("/console/bundles/new").await.body;
        assert_eq!(selected(&body, "currency").as_deref(), Some(""), "cleared: none preselected");
        server.stop().await;
    }
}
