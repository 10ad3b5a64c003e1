//! What the resource pages share: create and edit forms through core (errors beside their field), the
//! delete confirmation (cascading only when confirmed), and an entity's properties for display.

use std::future::Future;

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;
use netlicensing_core::{CoreError, CoreResult, Resource};
use netlicensing_model::{Property, codec::Form, types::WireEnum};

use super::{FormPage, Nav};
use crate::{
    error::{WebError, core_status},
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// The choices of a wire enum (value and label both its spelling), with a blank first choice when optional.
pub fn choices<T: WireEnum>(all: &[T], blank: Option<&str>) -> Input {
    let mut out: Vec<(String, String)> = blank.map(|b| (String::new(), b.to_owned())).into_iter().collect();
    out.extend(all.iter().map(|v| (v.as_str().to_owned(), v.as_str().to_owned())));
    Input::Select(out)
}

/// The values a new priced entity's form (template, bundle) starts with besides its own: the vendor's default
/// currency with a price of 0.00 (core takes no currency without a price), or none without a default currency.
pub async fn price_defaults(
    core: &netlicensing_core::Core,
    signed: &Signed,
) -> Result<Vec<(&'static str, String)>, WebError> {
    Ok(match core.vendor_default_currency(&signed.caller).await? {
        Some(currency) => vec![("price", "0.00".to_owned()), ("currency", currency.as_str().to_owned())],
        None => Vec::new(),
    })
}

/// A form's values from an entity: its properties by name.
pub fn state_of<E: Resource>(entity: &E) -> FormState {
    FormState::with(entity.to_item().properties.into_iter().map(|p| (p.name, p.value)))
}

/// Submits a create or edit form: the fields go to core (`call`); on success the browser goes to the page
/// `to` names, else the form is shown again with core's error beside its field.
pub async fn submit<T, F, Fut>(
    posted: &Posted,
    fields: &[Field],
    blanks: bool,
    extra: &[(&str, &str)],
    page: impl FnOnce(FormState) -> FormPage,
    call: F,
    to: impl FnOnce(&T) -> String,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(Form) -> Fut,
    Fut: Future<Output = CoreResult<T>>,
{
    match attempt(posted, fields, blanks, extra, call).await? {
        Ok(done) => Ok(render::see_other(&to(&done))),
        Err((status, state)) => render::page_with(status, &page(state)),
    }
}

/// A form refused by core: the status to show it with, and its values with the error beside its field.
pub type Refused = (StatusCode, FormState);

/// Sends a posted form's fields (and `extra`) to core: what core made, or the form refused with core's error
/// placed; a server failure is the error itself (a 5xx page).
pub async fn attempt<T, F, Fut>(
    posted: &Posted,
    fields: &[Field],
    blanks: bool,
    extra: &[(&str, &str)],
    call: F,
) -> Result<Result<T, Refused>, WebError>
where
    F: FnOnce(Form) -> Fut,
    Fut: Future<Output = CoreResult<T>>,
{
    let (mut state, mut form) = FormState::posted(&posted.form, fields, blanks);
    for (name, value) in extra {
        form.push(*name, *value);
    }
    match call(form).await {
        Ok(done) => Ok(Ok(done)),
        Err(error) => {
            let message = error.to_string();
            let status = refused(error)?;
            state.fail(&message, fields);
            Ok(Err((status, state)))
        }
    }
}

/// The status a refused form is shown with, or the error itself when the server failed (a 5xx page).
pub fn refused(error: CoreError) -> Result<StatusCode, WebError> {
    let status = core_status(&error);
    if status.is_server_error() { Err(WebError::Core(error)) } else { Ok(status) }
}

/// The delete confirmation page.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    nav: Option<Nav>,
    csrf: String,
    what: String,
    noun: &'static str,
    in_use: bool,
    action: String,
    back: String,
    error: Option<String>,
}

/// `GET .../delete`: asks first, and says when the entity is in use.
pub async fn confirm<E: Resource>(
    signed: &Signed,
    core: &netlicensing_core::Core,
    area: &'static str,
    number: &str,
    back: String,
) -> Result<HttpResponse, WebError> {
    let entity: E = core.get(&signed.caller, number).await?;
    render::page(&confirm_page::<E>(signed, area, &entity, back, None))
}

fn confirm_page<E: Resource>(
    signed: &Signed,
    area: &'static str,
    entity: &E,
    back: String,
    error: Option<String>,
) -> ConfirmPage {
    let noun = E::KIND.noun();
    let in_use = entity.to_item().property("inUse") == Some("true");
    ask(signed, area, format!("{noun} {}", entity.number()), noun, in_use, (format!("{back}/delete"), back), error)
}

/// The delete confirmation of something named in the page's own words (`what`): it posts to the pair's first
/// path and links back to its second.
pub fn ask(
    signed: &Signed,
    area: &'static str,
    what: String,
    noun: &'static str,
    in_use: bool,
    (action, back): (String, String),
    error: Option<String>,
) -> ConfirmPage {
    ConfirmPage {
        nav: Nav::of(signed, area),
        csrf: signed.session.csrf.clone(),
        what,
        noun,
        in_use,
        action,
        back,
        error,
    }
}

/// `POST .../delete`: deletes; an entity in use only with `forceCascade` ticked (else the question again).
pub async fn delete<E: Resource>(
    posted: &Posted,
    core: &netlicensing_core::Core,
    area: &'static str,
    number: &str,
    back: String,
    done: &str,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let force = posted.form.get("forceCascade").is_some_and(|v| v == "true");
    match core.delete::<E>(&signed.caller, number, force.then_some("true")).await {
        Ok(()) => Ok(render::see_other(done)),
        Err(error) => {
            let status = refused(error.clone())?;
            let entity: E = core.get(&signed.caller, number).await?;
            render::page_with(status, &confirm_page::<E>(signed, area, &entity, back, Some(error.to_string())))
        }
    }
}

/// The properties of an entity to show (name, value), without the empty ones.
pub fn shown(properties: &[Property]) -> Vec<(String, String)> {
    properties.iter().filter(|p| !p.value.is_empty()).map(|p| (p.name.clone(), p.value.clone())).collect()
}

/// A page showing a secret or a link once, right after it was made (an API key, a shop or portal link).
#[derive(Template)]
#[template(path = "secret.html")]
pub struct SecretPage {
    nav: Option<Nav>,
    title: String,
    /// What the value is, and what to do with it.
    intro: String,
    /// The label of the value.
    label: &'static str,
    /// The value.
    value: String,
    back: String,
}

impl SecretPage {
    /// The page of a value made by a signed-in vendor.
    pub fn new(
        signed: &Signed,
        area: &'static str,
        title: impl Into<String>,
        intro: impl Into<String>,
        label: &'static str,
        value: String,
        back: impl Into<String>,
    ) -> Self {
        Self { nav: Nav::of(signed, area), title: title.into(), intro: intro.into(), label, value, back: back.into() }
    }
}
