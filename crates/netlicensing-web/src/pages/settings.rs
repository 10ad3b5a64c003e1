//! Vendor settings: the validation TTL (how long clients may cache a validation answer) and the default
//! currency (preselected where a price is entered).

use actix_web::{HttpResponse, web};
use chrono::Duration;
use netlicensing_core::service::vendor_settings::{
    DEFAULT_VALIDATION_TTL, MAX_VALIDATION_TTL, MIN_VALIDATION_TTL, Settings,
};
use netlicensing_model::types::{Currency, WireEnum};

use super::{FormPage, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState},
    guard::{Posted, Signed},
    render,
};

/// The settings page.
const PATH: &str = "/console/settings";

/// Registers the settings page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/settings", web::get().to(show)).route("/settings", web::post().to(update));
}

/// A duration as people write it: `3d`, `2h`, `15m` or seconds.
fn short(ttl: Duration) -> String {
    let seconds = ttl.num_seconds();
    match seconds {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => s.to_string(),
    }
}

fn fields() -> Vec<Field> {
    vec![
        Field::text("validationTtl", "Validation TTL").help(format!(
            "How long clients may use a validation answer before validating again (its ttl; never past an expiry \
             in the answer): seconds (90) or a number with s, m, h or d (15m, 2h, 3d), from {} to {}. Empty: the \
             default, {}.",
            short(MIN_VALIDATION_TTL),
            short(MAX_VALIDATION_TTL),
            short(DEFAULT_VALIDATION_TTL)
        )),
        Field::text("defaultCurrency", "Default currency")
            .input(resource::choices(Currency::ALL, Some("(none)")))
            .help("The currency new license templates and bundles start with (their price then starts at 0.00)."),
    ]
}

/// The form's values from the settings.
fn state_of(settings: Settings) -> FormState {
    FormState::with([
        ("validationTtl", settings.validation_ttl.map(short).unwrap_or_default()),
        ("defaultCurrency", settings.default_currency.map(|c| c.as_str().to_owned()).unwrap_or_default()),
    ])
}

fn page(signed: &Signed, current: Settings, state: FormState) -> FormPage {
    let ttl = match current.validation_ttl {
        Some(ttl) => format!("The validation TTL is {}.", short(ttl)),
        None => format!("The validation TTL is the default, {}.", short(DEFAULT_VALIDATION_TTL)),
    };
    let currency = match current.default_currency {
        Some(currency) => format!("The default currency is {}.", currency.as_str()),
        None => "There is no default currency.".to_owned(),
    };
    FormPage::new(signed, "settings", "Settings", PATH, "/console", "Save settings", fields(), state)
        .intro(format!("{ttl} {currency}"))
}

async fn show(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let current = console.core.vendor_settings(&signed.caller).await?;
    render::page(&page(&signed, current, state_of(current)))
}

async fn update(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let (core, caller) = (console.core.clone(), signed.caller.clone());
    let outcome = resource::attempt(&posted, &fields(), true, &[], move |form| async move {
        core.set_vendor_settings(&caller, form.get("validationTtl"), form.get("defaultCurrency")).await
    })
    .await?;
    match outcome {
        Ok(_) => Ok(render::see_other(PATH)),
        Err((status, state)) => {
            let current = console.core.vendor_settings(&signed.caller).await?;
            render::page_with(status, &page(signed, current, state))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_people_write_them() {
        assert_eq!(short(Duration::days(1)), "1d");
        assert_eq!(short(Duration::hours(36)), "36h");
        assert_eq!(short(Duration::minutes(90)), "90m");
        assert_eq!(short(Duration::seconds(61)), "61");
    }
}
