//! Payment methods: the vendor's four providers and their settings. Stripe's keys are write-only: the pages
//! say only whether each is set, and an empty field keeps the stored value. Only one of STRIPE and
//! STRIPE_TESTING may be active at a time (core's rule; its refusal is shown beside **Active**).

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_model::{
    codec::Form,
    entity::{Entity, PaymentMethod},
};

use super::{FormPage, Nav, products::encode, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// The list of payment methods.
const LIST: &str = "/console/payment-methods";

/// Registers the payment method pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/payment-methods", web::get().to(list))
        .route("/payment-methods/{number}/edit", web::get().to(edit_form))
        .route("/payment-methods/{number}/edit", web::post().to(update));
}

/// A payment method as the list shows it.
struct Row {
    number: String,
    active: bool,
    /// Its settings: a PayPal subject, whether each Stripe secret is set.
    settings: String,
}

#[derive(Template)]
#[template(path = "payment_methods.html")]
struct ListPage {
    nav: Option<Nav>,
    methods: Vec<Row>,
    webhook: String,
}

/// The address Stripe sends the vendor's payment events to.
fn webhook_url(console: &Console, signed: &Signed) -> String {
    format!("{}stripe/{}/webhook", console.core.token_urls().shop, encode(&signed.caller.vendor_number))
}

fn is_stripe(number: &str) -> bool {
    number.starts_with("STRIPE")
}

/// "set" or "not set".
fn set(stored: bool) -> &'static str {
    if stored { "set" } else { "not set" }
}

async fn list(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let methods = console.core.list::<PaymentMethod>(&signed.caller, None, &[("items", "100")]).await?.items;
    let mut rows = Vec::new();
    for method in methods {
        let secrets = console.core.payment_method_secrets(&signed.caller, &method.number).await?;
        let mut settings: Vec<String> = method
            .to_item()
            .properties
            .into_iter()
            .filter(|p| p.name.contains('.'))
            .map(|p| format!("{}={}", p.name, p.value))
            .collect();
        settings.extend(secrets.iter().map(|(name, stored)| format!("{name}: {}", set(*stored))));
        rows.push(Row { number: method.number, active: method.active, settings: settings.join("; ") });
    }
    render::page(&ListPage {
        nav: Nav::of(&signed, "payment-methods"),
        methods: rows,
        webhook: webhook_url(&console, &signed),
    })
}

/// The fields of a provider's form: what is sent as posted, and the write-only secrets (sent only when given).
fn fields(number: &str, secrets: &[(&'static str, bool)], webhook: &str) -> (Vec<Field>, Vec<Field>) {
    let stored = |name: &str| secrets.iter().any(|(n, stored)| *n == name && *stored);
    if !is_stripe(number) {
        let sent = vec![
            Field::text("active", "Active").input(Input::Checkbox),
            Field::text("paypal.subject", "PayPal account")
                .help("The PayPal account (e-mail address or merchant id) payments go to."),
        ];
        return (sent, Vec::new());
    }
    let sent = vec![Field::text("active", "Active").input(Input::Checkbox).help(
        "Only one of STRIPE (live keys) and STRIPE_TESTING (test keys) may be active at a time; the shop takes payment with it.",
    )];
    let secret = vec![
        Field::text("stripe.secretKey", "Secret key").input(Input::Password).help(format!(
            "Now {}. Stripe's secret API key (sk_live_… for STRIPE, sk_test_… for STRIPE_TESTING); leave empty to keep the stored one. It is never shown.",
            set(stored("stripe.secretKey"))
        )),
        Field::text("stripe.webhookSecret", "Webhook signing secret").input(Input::Password).help(format!(
            "Now {}. In Stripe, add a webhook endpoint for {webhook} (events checkout.session.completed and checkout.session.expired) and paste its signing secret (whsec_…) here; leave empty to keep the stored one.",
            set(stored("stripe.webhookSecret"))
        )),
    ];
    (sent, secret)
}

async fn form_page(
    console: &Console,
    signed: &Signed,
    number: &str,
    state: Option<FormState>,
) -> Result<(FormPage, Vec<Field>, Vec<Field>), WebError> {
    let method: PaymentMethod = console.core.get(&signed.caller, number).await?;
    let secrets = console.core.payment_method_secrets(&signed.caller, number).await?;
    let (sent, secret) = fields(number, &secrets, &webhook_url(console, signed));
    let state = state.unwrap_or_else(|| resource::state_of(&method));
    let all = sent.iter().chain(secret.iter()).cloned().collect();
    let path = format!("{LIST}/{}/edit", encode(number));
    let page =
        FormPage::new(signed, "payment-methods", format!("Payment method {number}"), path, LIST, "Save", all, state);
    Ok((page, sent, secret))
}

async fn edit_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::page(&form_page(&console, &signed, &number, None).await?.0)
}

async fn update(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let (_, sent, secret) = form_page(&console, signed, &number, None).await?;
    // Secrets go to core only when typed: an empty field keeps the stored value.
    let given: Vec<(&str, &str)> = secret
        .iter()
        .filter_map(|f| posted.form.get(f.name).map(str::trim).filter(|v| !v.is_empty()).map(|v| (f.name, v)))
        .collect();
    let (core, caller, method) = (console.core.clone(), signed.caller.clone(), number.clone());
    let outcome = resource::attempt(&posted, &sent, true, &given, move |form: Form| async move {
        core.update_payment_method(&caller, &method, &form).await
    })
    .await?;
    match outcome {
        Ok(_) => Ok(render::see_other(LIST)),
        Err((status, state)) => {
            let (page, _, _) = form_page(&console, signed, &number, Some(state)).await?;
            render::page_with(status, &page)
        }
    }
}
