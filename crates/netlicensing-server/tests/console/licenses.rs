//! The license page: a license opened from its customer, its properties, floating sessions and custom
//! properties shown; changed through the API's update rules (errors beside the field, typed values kept),
//! deactivated and activated again, renumbered and deleted; every post needs the session's token.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

/// A customer with a time-volume license (with a custom property) and a floating license with a session.
async fn catalogue(api: &Api<'_>) {
    let made = [
        ("product", "number=PL&name=Licenses"),
        ("productmodule", "number=MS&productNumber=PL&name=Updates&licensingModel=Subscription"),
        (
            "licensetemplate",
            "number=ET&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=30&timeVolumePeriod=DAY\
             &price=10&currency=EUR",
        ),
        ("productmodule", "number=MF&productNumber=PL&name=Seats&licensingModel=Floating"),
        ("licensetemplate", "number=EF&productModuleNumber=MF&name=Seat&licenseType=FLOATING&maxSessions=2"),
        ("licensee", "number=IL&productNumber=PL&name=Ada"),
        ("license", "number=L1&licenseeNumber=IL&licenseTemplateNumber=ET&startDate=2026-01-01T00:00:00Z&crm=42"),
        ("license", "number=L2&licenseeNumber=IL&licenseTemplateNumber=EF"),
    ];
    for (path, form) in made {
        let answer = api.post(path, form).await;
        assert_eq!(answer.status, 200, "{path} {form}: {:?}", answer.doc);
    }
    let checkout = "productNumber=PL&productModuleNumber0=MF&sessionId0=seat-1&action0=checkOut";
    assert_eq!(api.post("licensee/IL/validate", checkout).await.status, 200);
}

#[tokio::test]
async fn a_license_is_shown_changed_deactivated_and_deleted() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        catalogue(&api).await;
        let web = Web::signed_in(&server, "demo", "demo").await;

        let customer = web.get("/console/customers/IL").await;
        assert!(customer.body.contains("<a href=\"/console/licenses/L1\">L1</a>"), "{}", customer.body);
        let shown = web.get("/console/licenses/L1").await;
        assert_eq!(shown.status, 200, "{}", shown.body);
        for part in [
            "<dd><a href=\"/console/customers/IL\">Ada (IL)</a></dd>",
            "Updates (MS, Subscription)",
            "Month (ET, TIMEVOLUME)",
            "<dt>Ends</dt><dd>2026-01-31 00:00:00 UTC</dd>",
            "<dt>price</dt><dd>10.00</dd>",
            "<dt>currency</dt><dd>EUR</dd>",
            "<dt>crm</dt><dd>42</dd>",
            ">Deactivate</button>",
        ] {
            assert!(shown.body.contains(part), "{backend:?} {part}: {}", shown.body);
        }
        let seats = web.get("/console/licenses/L2").await;
        assert!(seats.body.contains("<code>seat-1</code>") && seats.body.contains("checked out"), "{}", seats.body);
        assert!(!seats.body.contains("<dt>sessionId_seat-1</dt>"), "a session is no custom property");

        // The form asks for what applies to a TIMEVOLUME license, and starts without a transaction.
        let form = web.get("/console/licenses/L1/edit").await;
        assert_eq!(form.status, 200);
        assert!(
            form.body
                .contains("id=\"f-timeVolume\" name=\"timeVolume\" type=\"text\" inputmode=\"numeric\" value=\"30\"")
        );
        assert!(
            form.body.contains("id=\"f-startDate\"") && !form.body.contains("id=\"f-maxSessions\""),
            "{}",
            form.body
        );
        assert!(form.body.contains("id=\"f-transactionNumber\" name=\"transactionNumber\" type=\"text\" value=\"\""));
        assert!(web.get("/console/licenses/L2/edit").await.body.contains("id=\"f-maxSessions\""));

        // Refused by core's rules: the error beside its field, what was typed kept, nothing changed.
        let typed = [("name", "Typed"), ("active", "true"), ("timeVolume", "abc")];
        let refused = web.post("/console/licenses/L1/edit", &typed).await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(refused.body.contains("id=\"f-timeVolume-error\""), "{}", refused.body);
        assert!(refused.body.contains("value=\"abc\"") && refused.body.contains("value=\"Typed\""));
        let unknown = [("name", "Typed"), ("active", "true"), ("transactionNumber", "TNOPE")];
        let refused = web.post("/console/licenses/L1/edit", &unknown).await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        assert!(refused.body.contains("id=\"f-transactionNumber-error\""), "{}", refused.body);
        assert_eq!(api.get("license/L1").await.property("name"), Some("Month"), "refused: unchanged");

        let changed = [
            ("number", "L1"),
            ("name", "Quarter"),
            ("active", "true"),
            ("startDate", "2026-02-01T00:00:00Z"),
            ("timeVolume", "90"),
            ("timeVolumePeriod", "DAY"),
        ];
        let saved = web.post("/console/licenses/L1/edit", &changed).await;
        assert_eq!((saved.status, saved.location.as_deref()), (303, Some("/console/licenses/L1")), "{}", saved.body);
        let license = api.get("license/L1").await;
        assert_eq!(
            [license.property("name"), license.property("timeVolume"), license.property("startDate")],
            [Some("Quarter"), Some("90"), Some("2026-02-01T00:00:00.000Z")]
        );
        assert_eq!((license.property("price"), license.property("crm")), (Some("10.00"), Some("42")), "kept");
        let recorded = api.get("transaction?source=AUTO_LICENSE_UPDATE").await;
        assert!(!recorded.doc.items().is_empty(), "the change is recorded as through the API");
        assert!(web.get("/console/licenses/L1").await.body.contains("<dd>2026-05-02 00:00:00 UTC</dd>"));

        // Deactivate and activate again: the same update.
        let off = web.post("/console/licenses/L1/active", &[("active", "false")]).await;
        assert_eq!((off.status, off.location.as_deref()), (303, Some("/console/licenses/L1")));
        assert_eq!(api.get("license/L1").await.property("active"), Some("false"));
        let page = web.get("/console/licenses/L1").await;
        assert!(page.body.contains(">Activate</button>") && page.body.contains("no: validation ignores it"));
        assert!(web.get("/console/customers/IL").await.body.contains("<td>no</td>"));
        let bad = web.post("/console/licenses/L1/active", &[("active", "perhaps")]).await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert!(bad.body.contains("id=\"form-error\""), "{}", bad.body);
        assert_eq!(web.post("/console/licenses/L1/active", &[("active", "true")]).await.status, 303);
        assert_eq!(api.get("license/L1").await.property("active"), Some("true"));

        // Every post needs the session's token.
        for (path, fields) in [
            ("/console/licenses/L1/edit", vec![("name", "Forged"), ("active", "true")]),
            ("/console/licenses/L1/active", vec![("active", "false")]),
            ("/console/licenses/L1/delete", vec![]),
        ] {
            assert_eq!(web.post_raw(path, &fields).await.status, 403, "{path}");
        }
        let license = api.get("license/L1").await;
        assert_eq!((license.property("name"), license.property("active")), (Some("Quarter"), Some("true")));

        // A new number leads to the license's new page; deleting it asks first and returns to the customer.
        let renamed = web.post("/console/licenses/L1/edit", &[("number", "L1B"), ("active", "true")]).await;
        assert_eq!(renamed.location.as_deref(), Some("/console/licenses/L1B"), "{}", renamed.body);
        assert_eq!(web.get("/console/licenses/L1").await.status, 404);
        let ask = web.get("/console/licenses/L1B/delete").await;
        assert_eq!(ask.status, 200);
        assert!(ask.body.contains("Delete license L1B"), "{}", ask.body);
        let deleted = web.post("/console/licenses/L1B/delete", &[]).await;
        assert_eq!((deleted.status, deleted.location.as_deref()), (303, Some("/console/customers/IL")));
        assert_eq!(api.get("license/L1B").await.status, 404);
        let customer = web.get("/console/customers/IL").await;
        assert!(!customer.body.contains("L1B"), "{backend:?}: {}", customer.body);
        assert_eq!(web.get("/console/licenses/NOPE").await.status, 404);
        server.stop().await;
    }
}
