//! The notification pages: the form (core's rules beside the fields, the signing secret shown once), a
//! notification's delivery log with re-send of a failed event, edit, delete; CSRF.

use std::time::Duration;

use netlicensing_model::Format;
use netlicensing_server::webhook::Settings;

use super::{Web, secret_of};
use crate::{
    common::{Api, Backend, TestServer},
    webhooks::{Receiver, fast},
};

/// Waits until the notification's page shows the text.
async fn shows(web: &Web, path: &str, text: &str) -> String {
    for _ in 0..200 {
        let page = web.get(path).await;
        if page.body.contains(text) {
            return page.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{path} never showed {text}");
}

#[tokio::test]
async fn notifications_with_their_delivery_log_and_resend() {
    let backend = Backend::available().pop().unwrap_or(Backend::Sqlite);
    let receiver = Receiver::start();
    let server = TestServer::start_webhooks(backend, Settings { max_attempts: 1, ..fast() }).await;
    let api = Api::demo(&server, Format::Json);
    api.post("product", "number=PN&name=Notified").await;
    let web = Web::signed_in(&server, "demo", "demo").await;
    assert!(web.get("/console/notifications").await.body.contains("id=\"no-notifications\""));
    assert_eq!(web.get("/console/notifications/new").await.status, 200);

    let hook = receiver.url("/hook");
    let base = [("number", "N1"), ("name", "Hook"), ("protocol", "WEBHOOK"), ("active", "true")];
    let mut eventless = base.to_vec();
    eventless.push(("endpoint", hook.as_str()));
    let refused = web.post("/console/notifications/new", &eventless).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("id=\"f-events-error\""), "{}", refused.body);
    let mut bad_url = base.to_vec();
    bad_url.extend([("events", "LICENSEE_CREATED"), ("endpoint", "not a url")]);
    let refused = web.post("/console/notifications/new", &bad_url).await;
    assert!(refused.body.contains("id=\"f-endpoint-error\""), "{}", refused.body);
    assert!(refused.body.contains("value=\"LICENSEE_CREATED\" checked"));
    let mut good = base.to_vec();
    good.extend([("events", "LICENSEE_CREATED"), ("events", "LICENSE_CREATED"), ("endpoint", hook.as_str())]);
    let made = web.post("/console/notifications/new", &good).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let secret = secret_of(&made.body).unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(!web.get("/console/notifications/N1").await.body.contains(&secret), "shown once");
    let listed = web.get("/console/notifications").await;
    assert!(listed.body.contains("LICENSEE_CREATED, LICENSE_CREATED") && listed.body.contains(&hook));

    // A failed event, re-sent from its page.
    receiver.fail_next(1);
    assert_eq!(api.post("licensee", "number=IN1&productNumber=PN").await.status, 200);
    let page = shows(&web, "/console/notifications/N1", "<td>FAILED</td>").await;
    assert!(page.contains("/console/notifications/N1/resend") && page.contains("name=\"eventId\""), "{page}");
    let event = api.get("notification/N1/deliveries").await.property("eventId").unwrap().to_owned();
    let forged = web.post_raw("/console/notifications/N1/resend", &[("eventId", &event)]).await;
    assert_eq!(forged.status, 403);
    let unknown = web.post("/console/notifications/N1/resend", &[("eventId", "evt_nope")]).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("id=\"form-error\""));
    let resent = web.post("/console/notifications/N1/resend", &[("eventId", &event)]).await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    assert!(resent.body.contains("is queued again"));
    receiver.wait_for("/hook", 2, 10).await;
    shows(&web, "/console/notifications/N1", "<td>SENT</td>").await;

    // Edit keeps the secret; delete asks first.
    let edit = web.get("/console/notifications/N1/edit").await;
    assert!(edit.body.contains("value=\"LICENSE_CREATED\" checked"), "{}", edit.body);
    let changed = web
        .post(
            "/console/notifications/N1/edit",
            &[
                ("name", "Hook 2"),
                ("protocol", "WEBHOOK"),
                ("events", "WARNING_LEVEL_CHANGED"),
                ("endpoint", &hook),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(
        (changed.status, changed.location.as_deref()),
        (303, Some("/console/notifications/N1")),
        "{}",
        changed.body
    );
    let stored = api.get("notification/N1").await;
    assert_eq!((stored.property("name"), stored.property("events")), (Some("Hook 2"), Some("WARNING_LEVEL_CHANGED")));
    let forged = web.post_raw("/console/notifications/N1/edit", &[("name", "Forged")]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(web.get("/console/notifications/N1/delete").await.status, 200);
    assert_eq!(web.post_raw("/console/notifications/N1/delete", &[]).await.status, 403);
    let deleted = web.post("/console/notifications/N1/delete", &[]).await;
    assert_eq!((deleted.status, deleted.location.as_deref()), (303, Some("/console/notifications")));
    assert_eq!(api.get("notification/N1").await.status, 404);
    assert_eq!(web.get("/console/notifications/N1").await.status, 404);
    server.stop().await;
    receiver.stop().await;
}
