//! The license page: one license with its template, module and customer, its properties, the floating
//! sessions checked out on it, the nodes it is bound to and its custom properties; the form that changes it
//! (the API's update parameters, through core's update rules, as `POST /license/{number}`), **Deactivate** /
//! **Activate** through the same update, and deleting it.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use netlicensing_core::service::license_detail::LicenseDetail;
use netlicensing_model::{
    codec::Form,
    entity::{Entity, License},
    types::{LicenseType, LicensingModel, TimeVolumePeriod, WireEnum},
};

use super::{FormPage, Nav, customer, products::encode, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// Registers the license pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/licenses/{number}", web::get().to(show))
        .route("/licenses/{number}/edit", web::get().to(edit_form))
        .route("/licenses/{number}/edit", web::post().to(update))
        .route("/licenses/{number}/active", web::post().to(set_active))
        .route("/licenses/{number}/delete", web::get().to(confirm_delete))
        .route("/licenses/{number}/delete", web::post().to(delete));
}

/// The page of a license.
pub fn path(number: &str) -> String {
    format!("/console/licenses/{}", encode(number))
}

/// Properties shown in the page's own rows rather than among the license's properties.
const SHOWN_APART: &[&str] =
    &["number", "active", "name", "licenseeNumber", "licenseTemplateNumber", "productModuleNumber"];

/// A floating session as the page shows it.
struct SessionView {
    id: String,
    expires: String,
    live: bool,
}

#[derive(Template)]
#[template(path = "license.html")]
struct LicensePage {
    nav: Option<Nav>,
    csrf: String,
    path: String,
    number: String,
    name: String,
    active: bool,
    customer: String,
    customer_path: String,
    module: String,
    template: String,
    expires: String,
    details: Vec<(String, String)>,
    sessions: Vec<SessionView>,
    nodes: Vec<String>,
    custom: Vec<(String, String)>,
    error: Option<String>,
}

fn when(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `name (number, extra)`, or the number alone.
fn named(name: Option<&str>, number: &str, extra: Option<&str>) -> String {
    match (name.filter(|n| !n.is_empty()), extra) {
        (Some(name), Some(extra)) => format!("{name} ({number}, {extra})"),
        (Some(name), None) => format!("{name} ({number})"),
        (None, Some(extra)) => format!("{number} ({extra})"),
        (None, None) => number.to_owned(),
    }
}

fn page(signed: &Signed, detail: LicenseDetail, error: Option<String>) -> LicensePage {
    let license = &detail.license;
    let now = Utc::now();
    let item = license.to_item();
    let custom: Vec<&str> = license.custom.iter().map(|p| p.name.as_str()).collect();
    let details = resource::shown(&item.properties)
        .into_iter()
        .filter(|(name, _)| !SHOWN_APART.contains(&name.as_str()) && !custom.contains(&name.as_str()))
        .collect();
    let customer = license.licensee_number.clone().unwrap_or_default();
    let module = match &detail.module {
        Some(m) => named(m.name.as_deref(), &m.number, m.licensing_model.map(|l| l.as_str())),
        None => license.product_module_number.clone().unwrap_or_default(),
    };
    let template = match &detail.template {
        Some(t) => named(t.name.as_deref(), &t.number, t.license_type.map(|l| l.as_str())),
        None => license.license_template_number.clone().unwrap_or_default(),
    };
    let customer_name = detail.licensee.as_ref().and_then(|l| l.name.as_deref());
    LicensePage {
        nav: Nav::of(signed, "customers"),
        csrf: signed.session.csrf.clone(),
        path: path(&license.number),
        number: license.number.clone(),
        name: license.name.clone().unwrap_or_default(),
        active: license.active,
        customer_path: customer::path(&customer),
        customer: named(customer_name, &customer, None),
        module,
        template,
        expires: detail.expires.map(when).unwrap_or_default(),
        details,
        sessions: detail
            .custom
            .sessions
            .iter()
            .map(|s| SessionView { id: s.id.clone(), expires: when(s.expires), live: s.expires > now })
            .collect(),
        nodes: detail.custom.nodes.iter().map(|n| n.secret.clone()).collect(),
        custom: detail.custom.other.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
        error,
    }
}

async fn show(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let detail = console.core.license_detail(&signed.caller, &number).await?;
    render::page(&page(&signed, detail, None))
}

/// `POST …/active` (`active=true|false`): activates or deactivates the license through the API's update.
async fn set_active(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let mut form = Form::new();
    form.push("active", posted.form.get("active").unwrap_or_default());
    match console.core.update_license(&signed.caller, &number, &form).await {
        Ok(license) => Ok(render::see_other(&path(&license.number))),
        Err(error) => {
            let status = resource::refused(error.clone())?;
            let detail = console.core.license_detail(&signed.caller, &number).await?;
            render::page_with(status, &page(signed, detail, Some(error.to_string())))
        }
    }
}

/// The form's fields: the API's update parameters that apply to the license (by its template's license type
/// and its module's licensing model), and any the license has a value of.
fn fields(detail: &LicenseDetail) -> Vec<Field> {
    let kind = detail.template.as_ref().and_then(|t| t.license_type);
    let model = detail.module.as_ref().and_then(|m| m.licensing_model);
    let item = detail.license.to_item();
    let has = |name: &str| item.property(name).is_some_and(|v| !v.is_empty());
    let time_volume = kind == Some(LicenseType::TimeVolume) || has("startDate") || has("timeVolume");
    let mut out = vec![
        Field::text("number", "Number").help("A new number for the license; blank keeps it."),
        Field::text("name", "Name"),
        Field::text("active", "Active").input(Input::Checkbox).help("Validation ignores inactive licenses."),
        Field::text("hidden", "Hidden in the shop").input(Input::Checkbox),
    ];
    if time_volume {
        out.extend([
            Field::text("startDate", "Start date").help("An ISO date-time (2026-01-31T00:00:00Z), or 'now'."),
            Field::text("timeVolume", "Time volume").input(Input::Number).help("How many periods it is valid for."),
            Field::text("timeVolumePeriod", "Time volume period")
                .input(resource::choices(TimeVolumePeriod::ALL, Some("(not set)"))),
            Field::text("gracePeriod", "Grace period").input(Input::Checkbox),
        ]);
    }
    if model == Some(LicensingModel::Rental) || has("parentFeature") {
        out.push(
            Field::text("parentFeature", "Parent feature")
                .help("Rental: the FEATURE license of the customer this one extends."),
        );
    }
    if kind == Some(LicenseType::Floating) || has("maxSessions") {
        out.push(Field::text("maxSessions", "Sessions").input(Input::Number).help("Concurrent floating sessions."));
    }
    if (kind == Some(LicenseType::Quantity) && model != Some(LicensingModel::NodeLocked)) || has("quantity") {
        out.push(Field::text("quantity", "Quantity").input(Input::Number).help("The credits or quota it gives."));
    }
    if model == Some(LicensingModel::PayPerUse) || has("usedQuantity") {
        out.push(
            Field::text("usedQuantity", "Used quantity").input(Input::Number).help("Pay-per-Use: credits consumed."),
        );
    }
    if model == Some(LicensingModel::NodeLocked) || has("quota") {
        out.push(
            Field::text("quota", "Nodes").input(Input::Number).help("Node-Locked: how many nodes it may be bound to."),
        );
    }
    out.push(Field::text("transactionNumber", "Transaction").help(
        "Joins the license to this transaction; blank records the change by an AUTO_LICENSE_UPDATE transaction.",
    ));
    out
}

/// The form's values from the license: its properties, without the transaction (blank unless typed).
fn state_of(license: &License) -> FormState {
    let values = license.to_item().properties.into_iter().filter(|p| p.name != "transactionNumber");
    FormState::with(values.map(|p| (p.name, p.value)))
}

fn form(signed: &Signed, number: &str, fields: Vec<Field>, state: FormState) -> FormPage {
    let back = path(number);
    FormPage::new(
        signed,
        "customers",
        format!("Edit license {number}"),
        format!("{back}/edit"),
        back,
        "Save license",
        fields,
        state,
    )
    .intro("Price and currency are the template's; an empty field keeps its value.")
}

async fn edit_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let detail = console.core.license_detail(&signed.caller, &number).await?;
    let state = state_of(&detail.license);
    render::page(&form(&signed, &number, fields(&detail), state))
}

async fn update(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let detail = console.core.license_detail(&signed.caller, &number).await?;
    let fields = fields(&detail);
    resource::submit(
        &posted,
        &fields,
        true,
        &[],
        |state| form(&signed, &number, fields.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            let number = number.clone();
            move |form| async move { core.update_license(&caller, &number, &form).await }
        },
        |license: &License| path(&license.number),
    )
    .await
}

async fn confirm_delete(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::confirm::<License>(&signed, &console.core, "customers", &number, path(&number)).await
}

/// `POST …/delete`: deletes the license (asked first) and goes back to its customer.
async fn delete(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let license: License = console.core.get(&posted.signed.caller, &number).await?;
    let done = customer::path(license.licensee_number.as_deref().unwrap_or_default());
    resource::delete::<License>(&posted, &console.core, "customers", &number, path(&number), &done).await
}

#[cfg(test)]
mod tests {
    use netlicensing_model::entity::{LicenseTemplate, ProductModule};

    use super::*;

    fn detail(kind: LicenseType, model: LicensingModel, license: License) -> LicenseDetail {
        LicenseDetail {
            license,
            template: Some(LicenseTemplate { license_type: Some(kind), ..LicenseTemplate::default() }),
            module: Some(ProductModule { licensing_model: Some(model), ..ProductModule::default() }),
            licensee: None,
            expires: None,
            custom: Default::default(),
        }
    }

    fn names(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn the_form_asks_for_what_applies_to_the_license() {
        let base = ["number", "name", "active", "hidden"];
        let feature = fields(&detail(LicenseType::Feature, LicensingModel::Subscription, License::default()));
        assert_eq!(names(&feature), [&base[..], &["transactionNumber"]].concat());
        let rental = fields(&detail(LicenseType::TimeVolume, LicensingModel::Rental, License::default()));
        let time = ["startDate", "timeVolume", "timeVolumePeriod", "gracePeriod", "parentFeature"];
        assert_eq!(names(&rental), [&base[..], &time, &["transactionNumber"]].concat());
        let floating = fields(&detail(LicenseType::Floating, LicensingModel::Floating, License::default()));
        assert!(names(&floating).contains(&"maxSessions") && !names(&floating).contains(&"quantity"));
        let payg = fields(&detail(LicenseType::Quantity, LicensingModel::PayPerUse, License::default()));
        assert!(names(&payg).contains(&"quantity") && names(&payg).contains(&"usedQuantity"));
        let nodes = fields(&detail(LicenseType::Quantity, LicensingModel::NodeLocked, License::default()));
        assert!(names(&nodes).contains(&"quota") && !names(&nodes).contains(&"quantity"));
        // A value the license has is always editable.
        let odd = License { quantity: Some(5), ..License::default() };
        assert!(names(&fields(&detail(LicenseType::Feature, LicensingModel::Subscription, odd))).contains(&"quantity"));
        // Every field is one of the API's update parameters (`POST /license/{number}`).
        let update = netlicensing_model::api::routes()
            .into_iter()
            .find(|r| {
                r.operation == netlicensing_model::api::Operation::Update(netlicensing_model::api::Resource::License)
            })
            .expect("the update route");
        for field in [rental, floating, payg, nodes].concat() {
            assert!(update.params.iter().any(|p| p.name == field.name), "{}", field.name);
        }
    }

    #[test]
    fn the_form_starts_without_the_transaction() {
        let license = License { number: "L1".into(), transaction_number: Some("T1".into()), ..License::default() };
        let state = state_of(&license);
        assert_eq!((state.value("number"), state.value("transactionNumber")), ("L1", ""));
    }
}
