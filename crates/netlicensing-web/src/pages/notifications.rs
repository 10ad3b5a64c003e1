//! Notifications (webhooks): the list, the form that creates (showing the signing secret once) or changes one,
//! a notification's page with its delivery log and **Re-send** for failed events, and deleting one.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_model::{
    entity::{Notification, NotificationDelivery},
    types::{NotificationEvent, NotificationProtocol, WireEnum},
};

use super::{FormPage, Nav, Pager, list_page, pages, products::encode, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// The notification list.
const LIST: &str = "/console/notifications";

/// Registers the notification pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/notifications", web::get().to(list))
        .route("/notifications/new", web::get().to(new_form))
        .route("/notifications/new", web::post().to(create))
        .route("/notifications/{number}", web::get().to(show))
        .route("/notifications/{number}/edit", web::get().to(edit_form))
        .route("/notifications/{number}/edit", web::post().to(update))
        .route("/notifications/{number}/resend", web::post().to(resend))
        .route("/notifications/{number}/delete", web::get().to(confirm_delete))
        .route("/notifications/{number}/delete", web::post().to(delete));
}

/// The page of a notification.
fn path(number: &str) -> String {
    format!("{LIST}/{}", encode(number))
}

/// A notification as the list and its page show it.
struct Row {
    number: String,
    name: String,
    events: String,
    endpoint: String,
    active: bool,
}

impl Row {
    fn of(n: &Notification) -> Self {
        Self {
            number: n.number.clone(),
            name: n.name.clone().unwrap_or_default(),
            events: n.events.iter().flatten().map(WireEnum::as_str).collect::<Vec<_>>().join(", "),
            endpoint: n.endpoint.clone().unwrap_or_default(),
            active: n.active,
        }
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    nav: Option<Nav>,
    notifications: Vec<Row>,
    pager: Pager,
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    query: web::Query<super::products::PageQuery>,
) -> Result<HttpResponse, WebError> {
    let page = query.into_inner().page;
    let (notifications, total) = list_page::<Notification>(&console.core, &signed, &[], page, false).await?;
    let pager = Pager { page, pages: pages(total), total, query: String::new() };
    let notifications = notifications.iter().map(Row::of).collect();
    render::page(&ListPage { nav: Nav::of(&signed, "notifications"), notifications, pager })
}

fn fields() -> Vec<Field> {
    let events =
        NotificationEvent::ALL.iter().map(|e| (e.as_str().to_owned(), e.as_str().to_owned())).collect::<Vec<_>>();
    vec![
        Field::text("number", "Number").help("Leave blank on create for a generated number."),
        Field::text("name", "Name"),
        Field::text("events", "Events").input(Input::Many(events)).help(
            "LICENSEE_CREATED and LICENSE_CREATED: a customer or license was created (also by validation); \
             WARNING_LEVEL_CHANGED: a validation changed a customer's warning level; \
             PAYMENT_TRANSACTION_PROCESSED: a shop payment was completed or cancelled.",
        ),
        Field::text("protocol", "Protocol")
            .input(resource::choices(NotificationProtocol::ALL, None))
            .help("WEBHOOK: an HTTP POST of the event, signed with the notification's secret (Standard Webhooks)."),
        Field::text("endpoint", "Endpoint")
            .help("The https:// address the events are sent to; private and local addresses are refused."),
        Field::text("payload", "Payload template").input(Input::TextArea).help(
            "Optional: the body to send instead of the default, each {$path} replaced by the value at that path of \
             the default body ({$} the whole body, {$.entities.Licensee[0].number}, ...).",
        ),
        Field::text("active", "Active").input(Input::Checkbox),
    ]
}

fn form(signed: &Signed, title: String, action: String, back: String, state: FormState) -> FormPage {
    FormPage::new(signed, "notifications", title, action, back, "Save notification", fields(), state)
}

async fn new_form(signed: Signed) -> Result<HttpResponse, WebError> {
    let state = FormState::with([("active", "true"), ("protocol", NotificationProtocol::Webhook.as_str())]);
    render::page(&form(&signed, "New notification".into(), format!("{LIST}/new"), LIST.into(), state))
}

async fn create(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let (core, caller) = (console.core.clone(), signed.caller.clone());
    let made = resource::attempt(&posted, &fields(), false, &[], move |form| async move {
        core.create_notification(&caller, &form).await
    })
    .await?;
    match made {
        Ok(created) => {
            let secret = created
                .custom
                .iter()
                .find(|p| p.name == netlicensing_core::service::notification::SECRET)
                .map(|p| p.value.clone())
                .unwrap_or_default();
            render::page(&resource::SecretPage::new(
                signed,
                "notifications",
                format!("Notification {} made", created.number),
                "Copy the signing secret now: it is not shown again. The receiver checks each webhook's signature \
                 with it (webhook-signature header, Standard Webhooks).",
                "Signing secret",
                secret,
                path(&created.number),
            ))
        }
        Err((status, state)) => render::page_with(
            status,
            &form(signed, "New notification".into(), format!("{LIST}/new"), LIST.into(), state),
        ),
    }
}

/// An event of the delivery log as the page shows it.
struct DeliveryRow {
    event_id: String,
    event: String,
    status: String,
    attempts: u32,
    created: String,
    last_attempt: String,
    next_attempt: String,
    last_error: String,
    failed: bool,
}

fn when(time: Option<chrono::DateTime<chrono::Utc>>) -> String {
    time.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default()
}

impl DeliveryRow {
    fn of(d: NotificationDelivery) -> Self {
        Self {
            failed: d.status == "FAILED",
            created: when(d.created),
            last_attempt: when(d.last_attempt),
            next_attempt: when(d.next_attempt),
            last_error: d.last_error.unwrap_or_default(),
            event_id: d.event_id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
        }
    }
}

#[derive(Template)]
#[template(path = "notification.html")]
struct NotificationPage {
    nav: Option<Nav>,
    csrf: String,
    path: String,
    notification: Row,
    payload: String,
    deliveries: Vec<DeliveryRow>,
    /// A re-send refused (no such failed event).
    error: Option<String>,
    /// The event just queued again.
    resent: Option<String>,
}

async fn page(console: &Console, signed: &Signed, number: &str) -> Result<NotificationPage, WebError> {
    let notification: Notification = console.core.get(&signed.caller, number).await?;
    let deliveries = console.core.notification_deliveries(&signed.caller, number).await?;
    Ok(NotificationPage {
        nav: Nav::of(signed, "notifications"),
        csrf: signed.session.csrf.clone(),
        path: path(number),
        payload: notification.payload.clone().unwrap_or_default(),
        notification: Row::of(&notification),
        deliveries: deliveries.into_iter().map(DeliveryRow::of).collect(),
        error: None,
        resent: None,
    })
}

async fn show(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::page(&page(&console, &signed, &number).await?)
}

/// `POST …/resend` (`eventId`): queues a failed event again and shows the log.
async fn resend(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let event = posted.form.get("eventId").unwrap_or_default().to_owned();
    let outcome = console.core.resend_delivery(&signed.caller, &number, &event).await;
    let mut shown = page(&console, signed, &number).await?;
    match outcome {
        Ok(()) => {
            shown.resent = Some(event);
            render::page(&shown)
        }
        Err(error) => {
            let status = resource::refused(error.clone())?;
            shown.error = Some(error.to_string());
            render::page_with(status, &shown)
        }
    }
}

async fn edit_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let notification: Notification = console.core.get(&signed.caller, &number).await?;
    let back = path(&number);
    let page = form(
        &signed,
        format!("Edit notification {number}"),
        format!("{back}/edit"),
        back,
        resource::state_of(&notification),
    );
    render::page(&page)
}

async fn update(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let back = path(&number);
    let _: Notification = console.core.get(&signed.caller, &number).await?;
    resource::submit(
        &posted,
        &fields(),
        true,
        &[],
        |state| form(&signed, format!("Edit notification {number}"), format!("{back}/edit"), back.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            let number = number.clone();
            move |form| async move { core.update_notification(&caller, &number, &form).await }
        },
        |n: &Notification| path(&n.number),
    )
    .await
}

async fn confirm_delete(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::confirm::<Notification>(&signed, &console.core, "notifications", &number, path(&number)).await
}

async fn delete(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::delete::<Notification>(&posted, &console.core, "notifications", &number, path(&number), LIST).await
}
