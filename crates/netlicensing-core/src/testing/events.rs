//! Storage suite checks: events of every path reach the outbox of the notifications subscribed to them.
#![allow(clippy::unwrap_used)]

use netlicensing_model::entity::{Notification, ValidationParameters};

use super::{chain, form, new_vendor, trial_catalogue};
use crate::{Core, caller::Caller, record::Kind};

/// The events queued for a notification, oldest first.
async fn queued(core: &Core, caller: &Caller, number: &str) -> Vec<String> {
    let mut events: Vec<String> =
        core.notification_deliveries(caller, number).await.unwrap().into_iter().map(|d| d.event).collect();
    events.reverse();
    events
}

/// Check: every event from every path, only for active webhook notifications subscribed to it, in the
/// transaction of its change; the signing secret is shown once.
pub async fn events_from_every_path(core: &Core) {
    let vendor = new_vendor(core).await;
    let other = new_vendor(core).await;
    let all = "name=All&protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fhook&events=LICENSEE_CREATED,LICENSE_CREATED,PAYMENT_TRANSACTION_PROCESSED,WARNING_LEVEL_CHANGED";
    let created = core.create_notification(&vendor, &form(&format!("number=N-ALL&{all}"))).await.unwrap();
    let secret = created.custom.iter().find(|p| p.name == "signingSecret").map(|p| p.value.clone()).unwrap();
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
    let shown: Notification = core.get(&vendor, "N-ALL").await.unwrap();
    assert!(shown.custom.iter().all(|p| p.name != "signingSecret"), "the secret is shown once");
    core.update_notification(&vendor, "N-ALL", &form("name=All+events&signingSecret=mine")).await.unwrap();
    let stored = core.store().read().await.unwrap().get(vendor.vendor, Kind::Notification, "N-ALL").await.unwrap();
    assert_eq!(stored.unwrap().property("signingSecret"), Some(secret.as_str()), "updates keep the secret");
    core.create_notification(&vendor, &form(&format!("number=N-OFF&active=false&{all}"))).await.unwrap();
    core.create_notification(
        &vendor,
        &form("number=N-LIC&name=L&protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fl&events=LICENSE_CREATED"),
    )
    .await
    .unwrap();
    core.create_notification(&other, &form(&format!("number=N-ALL&{all}"))).await.unwrap();

    // REST creates.
    chain(core, &vendor).await;
    core.create_license(&vendor, &form("number=L1&licenseeNumber=I1&licenseTemplateNumber=E1")).await.unwrap();
    // A failed create queues nothing.
    assert!(core.create_license(&vendor, &form("number=L1&licenseeNumber=I1&licenseTemplateNumber=E1")).await.is_err());
    assert_eq!(queued(core, &vendor, "N-ALL").await, ["LICENSEE_CREATED", "LICENSE_CREATED"]);

    // Shop transactions: created pending (nothing), then closed.
    core.create_transaction(&vendor, &form("number=T1&source=SHOP&status=PENDING")).await.unwrap();
    core.update_transaction(&vendor, "T1", &form("status=CLOSED")).await.unwrap();
    core.update_transaction(&vendor, "T1", &form("status=CLOSED")).await.unwrap();
    core.create_transaction(&vendor, &form("number=T2&source=SHOP&status=CANCELLED")).await.unwrap();

    // Validation: an auto-created licensee with its automatic license, then a change of warning level.
    trial_catalogue(core, &vendor).await;
    let params = |text: &str| ValidationParameters::from_form(&form(text)).unwrap();
    core.validate(&vendor, "AUTO-1", &params("productNumber=PV")).await.unwrap();
    core.validate(&vendor, "AUTO-1", &params("")).await.unwrap();
    core.create_license(&vendor, &form("number=LS&licenseeNumber=AUTO-1&licenseTemplateNumber=MONTH")).await.unwrap();
    core.validate(&vendor, "AUTO-1", &params("")).await.unwrap();
    core.validate(&vendor, "AUTO-1", &params("")).await.unwrap();

    // Bundle obtain.
    core.create_bundle(&vendor, &form("number=B1&name=Starter&licenseTemplateNumbers=E1")).await.unwrap();
    core.obtain_bundle(&vendor, "B1", &form("licenseeNumber=I1")).await.unwrap();

    assert_eq!(
        queued(core, &vendor, "N-ALL").await,
        [
            "LICENSEE_CREATED",
            "LICENSE_CREATED",
            "PAYMENT_TRANSACTION_PROCESSED",
            "PAYMENT_TRANSACTION_PROCESSED",
            "LICENSEE_CREATED",
            "LICENSE_CREATED",
            "LICENSE_CREATED",
            "WARNING_LEVEL_CHANGED",
            "LICENSE_CREATED",
        ]
    );
    assert_eq!(queued(core, &vendor, "N-LIC").await, ["LICENSE_CREATED"; 4]);
    assert!(queued(core, &vendor, "N-OFF").await.is_empty(), "inactive notifications get nothing");
    assert!(queued(core, &other, "N-ALL").await.is_empty(), "another vendor's notification gets nothing");

    let log = core.notification_deliveries(&vendor, "N-ALL").await.unwrap();
    assert!(log.iter().all(|d| d.status == "PENDING" && d.attempts == 0));
    assert!(core.resend_delivery(&vendor, "N-ALL", &log[0].event_id).await.is_err(), "only failed events");
    assert!(core.notification_deliveries(&other, "N-LIC").await.is_err());
}

/// Check: the webhooks an event is queued for follow every change of the vendor's notifications at once (a
/// notification created, deactivated, subscribed to other events, deleted), also between events of the same
/// kind whose webhook list the store may keep.
pub async fn webhooks_follow_their_notifications_at_once(core: &Core) {
    let vendor = new_vendor(core).await;
    chain(core, &vendor).await;
    let licensee = |n: u32| format!("number=W{n}&productNumber=P1");
    core.create_licensee(&vendor, &form(&licensee(0))).await.unwrap();
    let hook = "name=H&protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fh&events=LICENSEE_CREATED";
    core.create_notification(&vendor, &form(&format!("number=N-H&{hook}"))).await.unwrap();
    core.create_licensee(&vendor, &form(&licensee(1))).await.unwrap();
    core.create_licensee(&vendor, &form(&licensee(2))).await.unwrap();
    assert_eq!(queued(core, &vendor, "N-H").await, ["LICENSEE_CREATED"; 2], "a new webhook applies at once");
    core.update_notification(&vendor, "N-H", &form("active=false")).await.unwrap();
    core.create_licensee(&vendor, &form(&licensee(3))).await.unwrap();
    assert_eq!(queued(core, &vendor, "N-H").await.len(), 2, "a deactivated webhook gets nothing");
    core.update_notification(&vendor, "N-H", &form("active=true&events=LICENSE_CREATED")).await.unwrap();
    core.create_licensee(&vendor, &form(&licensee(4))).await.unwrap();
    core.create_license(&vendor, &form("licenseeNumber=W4&licenseTemplateNumber=E1")).await.unwrap();
    assert_eq!(queued(core, &vendor, "N-H").await, ["LICENSEE_CREATED", "LICENSEE_CREATED", "LICENSE_CREATED"]);
    core.create_notification(&vendor, &form(&format!("number=N-2&{hook}"))).await.unwrap();
    core.delete::<Notification>(&vendor, "N-H", None).await.unwrap();
    core.create_licensee(&vendor, &form(&licensee(5))).await.unwrap();
    core.create_license(&vendor, &form("licenseeNumber=W5&licenseTemplateNumber=E1")).await.unwrap();
    assert_eq!(queued(core, &vendor, "N-2").await, ["LICENSEE_CREATED"], "a deleted webhook is gone at once");
}
