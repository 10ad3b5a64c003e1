//! Branding: the name, logo, accent colour, contact data and legal links the vendor's shop and customer
//! portal show. Every value goes through core's branding rules; a refusal is shown beside its field and
//! changes nothing. The logo is pasted as a `data:image/...;base64,...` URL (no file upload, so no multipart):
//! an empty logo field keeps the current logo, and **Remove the logo** clears it.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::service::branding::MAX_LOGO;
use netlicensing_model::{codec::Form, entity::Branding};

use super::{Nav, resource};
use crate::{
    Console,
    customer::{Chrome, Flags},
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// The branding page.
const PATH: &str = "/console/branding";

/// The field of the pasted logo.
const LOGO: &str = "logo";

/// The checkbox that removes the logo.
const REMOVE_LOGO: &str = "removeLogo";

/// Largest form body of the branding page: room for the largest logo, `%`-encoded.
pub const FORM_LIMIT: usize = 4 * MAX_LOGO;

/// Registers the branding page (its form may carry a logo, so it reads larger bodies than other forms).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/branding")
            .app_data(web::PayloadConfig::new(FORM_LIMIT))
            .route(web::get().to(show))
            .route(web::post().to(update)),
    );
}

/// The form's fields, named as core's branding properties (plus the remove-logo checkbox).
fn fields() -> Vec<Field> {
    vec![
        Field::text("name", "Name").help("The name customers see; empty: your vendor number."),
        Field::text(LOGO, "New logo").input(Input::TextArea).help(format!(
            "Paste the logo as a data URL (data:image/png;base64,… — PNG, JPEG, GIF, WebP or SVG, at most {} KiB); \
             there is no file upload. Leave empty to keep the current logo.",
            MAX_LOGO / 1024
        )),
        Field::text(REMOVE_LOGO, "Remove the logo").input(Input::Checkbox).help("Ignored when a new logo is pasted."),
        Field::text("accentColor", "Accent colour").help("As #rrggbb, for example #0a6cff; empty: the default."),
        Field::text("email", "Contact e-mail"),
        Field::text("website", "Web site").help("An http:// or https:// URL."),
        Field::text("address", "Postal address").input(Input::TextArea).help("At most 6 lines of 100 characters."),
        Field::text("termsUrl", "Terms and conditions").help("An http:// or https:// URL."),
        Field::text("privacyUrl", "Privacy policy").help("An http:// or https:// URL."),
        Field::text("imprintUrl", "Imprint").help("An http:// or https:// URL."),
        Field::text("vendorType", "Seller type (VAT)")
            .input(Input::Select(vec![
                (String::new(), "Private (the default): no VAT".into()),
                ("PRIVATE".into(), "Private: no VAT".into()),
                ("COMPANY".into(), "Company: the shop applies the EU VAT rules".into()),
            ]))
            .help(
                "A company's shop asks the customer's country (and company and VAT ID) and charges VAT where the EU \
                 rules say: the customer's country's rate; none outside the EU; reverse charge for businesses in \
                 another EU country. Each product's VAT mode says whether its prices include VAT (gross) or not (net).",
            ),
        Field::text("countryCode", "Country (VAT)")
            .input(Input::Select(country_choices()))
            .help("Where you are established; a company needs it."),
        Field::text("vatId", "Your VAT ID").help("Shown on order confirmations, e.g. DE123456789."),
    ]
}

/// Every country of the table as a choice, with an empty one first.
fn country_choices() -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), "—".to_owned())];
    choices.extend(
        netlicensing_core::service::shop::vat::countries()
            .into_iter()
            .map(|c| (c.code, crate::shop::country_name(&c.name))),
    );
    choices
}

/// The branding page: the current branding (the logo previewed) and the form changing it.
#[derive(Template)]
#[template(path = "branding.html")]
struct BrandingPage {
    nav: Option<Nav>,
    csrf: String,
    /// The current values shown: (label, value), set ones only.
    current: Vec<(&'static str, String)>,
    /// Where the current logo is served, if there is one.
    logo: Option<String>,
    fields: Vec<Field>,
    state: FormState,
}

fn page(signed: &Signed, branding: &Branding, state: FormState) -> BrandingPage {
    let fields = fields();
    let current = fields
        .iter()
        .filter(|f| f.name != LOGO)
        .filter_map(|f| branding.field(f.name).map(|value| (f.label, value.to_owned())))
        .collect();
    let vendor = &signed.caller.vendor_number;
    BrandingPage {
        nav: Nav::of(signed, "branding"),
        csrf: signed.session.csrf.clone(),
        current,
        logo: Chrome::of(vendor, branding, Flags::default()).logo,
        fields,
        state,
    }
}

/// The form's values from a branding: every field but the logo (empty: kept).
fn state_of(branding: &Branding) -> FormState {
    FormState::with(Branding::FIELDS.iter().filter(|f| **f != LOGO).map(|f| (*f, branding.field(f).unwrap_or(""))))
}

/// What goes to core: the posted fields, the logo only when pasted, or cleared when **Remove the logo** is
/// ticked; the checkbox itself never.
fn to_core(posted: &Form) -> Form {
    let remove = posted.get(REMOVE_LOGO) == Some("true");
    let mut out = Form::new();
    for (name, value) in posted.pairs() {
        match name {
            REMOVE_LOGO => {}
            LOGO if value.is_empty() && remove => {
                out.push(LOGO, "");
            }
            LOGO if value.is_empty() => {}
            _ => {
                out.push(name, value);
            }
        }
    }
    out
}

/// Places core's error: beside the property it names in quotes (`'email'`), not one whose label the text
/// mentions ("an e-mail address" is no postal address); else as [`FormState::fail`] places it.
fn fail_beside(state: &mut FormState, message: &str, fields: &[Field]) {
    let named: Vec<Field> = fields.iter().filter(|f| message.contains(&format!("'{}'", f.name))).cloned().collect();
    state.fail(message, if named.is_empty() { fields } else { &named });
}

async fn show(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let branding = console.core.branding(&signed.caller).await?;
    render::page(&page(&signed, &branding, state_of(&branding)))
}

async fn update(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let fields = fields();
    let (mut state, form) = FormState::posted(&posted.form, &fields, true);
    match console.core.update_branding(&signed.caller, &to_core(&form)).await {
        Ok(_) => Ok(render::see_other(PATH)),
        Err(error) => {
            let message = error.to_string();
            let status = resource::refused(error)?;
            fail_beside(&mut state, &message, &fields);
            let branding = console.core.branding(&signed.caller).await?;
            render::page_with(status, &page(signed, &branding, state))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logo_goes_to_core_only_when_pasted_or_removed() {
        let (_, kept) = FormState::posted(&Form::parse("name=A&logo=&removeLogo="), &fields(), true);
        assert!(!to_core(&kept).encode().contains("logo"), "{}", to_core(&kept).encode());
        assert!(to_core(&kept).encode().starts_with("name=A&accentColor="));
        let (_, removed) = FormState::posted(&Form::parse("name=A&logo=&removeLogo=on"), &fields(), true);
        assert!(to_core(&removed).encode().contains("&logo=&"), "{}", to_core(&removed).encode());
        let (_, pasted) = FormState::posted(&Form::parse("logo=data%3Ax&removeLogo=on"), &fields(), true);
        assert!(to_core(&pasted).encode().contains("logo=data%3Ax"), "{}", to_core(&pasted).encode());
        assert!(!to_core(&pasted).encode().contains("removeLogo"));
    }

    #[test]
    fn an_error_goes_beside_the_property_core_names() {
        let message = "'email' must be an e-mail address of at most 254 characters";
        let mut state = FormState::default();
        fail_beside(&mut state, message, &fields());
        assert!(state.error("email").is_some() && state.error("address").is_none());
        let mut state = FormState::default();
        fail_beside(&mut state, "The logo must be a PNG, JPEG, GIF, WebP or SVG image", &fields());
        assert!(state.error(LOGO).is_some());
    }
}
