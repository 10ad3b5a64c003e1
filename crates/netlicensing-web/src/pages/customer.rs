//! The customer page: what a support call needs on one screen — the customer's licenses per module, a dry-run
//! validation showing each module's result and warning level as the API returns it (floating sessions and
//! node bindings included), transactions, and a button that makes a shop or portal link. Plus the license
//! form and the delete confirmation.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::Caller;
use netlicensing_model::{
    Property,
    entity::{License, Licensee, Token, Transaction, ValidationParameters, ValidationResult},
    types::WireEnum,
};

use super::{FormPage, Nav, TransactionView, list_page, products::encode, resource};
use crate::{
    Console,
    error::{WebError, core_status},
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// Registers the customer page and its forms.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/customers/{number}", web::get().to(show))
        .route("/customers/{number}/validate", web::post().to(validate))
        .route("/customers/{number}/token", web::post().to(token))
        .route("/customers/{number}/delete", web::get().to(confirm_delete))
        .route("/customers/{number}/delete", web::post().to(delete))
        .route("/customers/{number}/licenses/new", web::get().to(new_license_form))
        .route("/customers/{number}/licenses/new", web::post().to(create_license));
}

/// The page of a customer.
pub fn path(number: &str) -> String {
    format!("/console/customers/{}", encode(number))
}

struct LicenseView {
    number: String,
    template: String,
    active: bool,
    details: String,
}

struct ModuleLicenses {
    title: String,
    licenses: Vec<LicenseView>,
}

struct ResultView {
    module: String,
    model: String,
    valid: String,
    level: String,
    details: String,
}

#[derive(Template)]
#[template(path = "customer.html")]
struct CustomerPage {
    nav: Option<Nav>,
    csrf: String,
    number: String,
    name: String,
    path: String,
    level: String,
    details: Vec<(String, String)>,
    modules: Vec<ModuleLicenses>,
    transactions: Vec<TransactionView>,
    results: Vec<ResultView>,
    validation_error: Option<String>,
    link: Option<String>,
}

/// `name=value` pairs of properties, `; `-separated.
fn pairs(properties: &[Property]) -> String {
    properties
        .iter()
        .filter(|p| !p.value.is_empty())
        .map(|p| format!("{}={}", p.name, p.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the page shows beside the validation and the link.
async fn page(console: &Console, signed: &Signed, number: &str) -> Result<CustomerPage, WebError> {
    let caller: &Caller = &signed.caller;
    let customer: Licensee = console.core.get(caller, number).await?;
    let item = netlicensing_model::entity::Entity::to_item(&customer);
    let licenses =
        console.core.list::<License>(caller, None, &[("licenseeNumber", number), ("items", "1000")]).await?.items;
    let names: Vec<(String, String)> = match &customer.product_number {
        Some(product) => super::products::modules_of(&console.core, signed, product)
            .await?
            .into_iter()
            .map(|(m, _)| {
                (
                    m.number.clone(),
                    format!(
                        "{} ({}, {})",
                        m.name.unwrap_or_default(),
                        m.number,
                        m.licensing_model.map(|l| l.as_str()).unwrap_or("")
                    ),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let mut modules: Vec<(String, ModuleLicenses)> = Vec::new();
    for license in licenses {
        let module = license.product_module_number.clone().unwrap_or_default();
        let view = LicenseView {
            template: license.license_template_number.clone().unwrap_or_default(),
            active: license.active,
            details: pairs(
                &netlicensing_model::entity::Entity::to_item(&license)
                    .properties
                    .into_iter()
                    .filter(|p| {
                        !["number", "active", "licenseeNumber", "licenseTemplateNumber", "productModuleNumber", "inUse"]
                            .contains(&p.name.as_str())
                    })
                    .collect::<Vec<_>>(),
            ),
            number: license.number,
        };
        match modules.iter_mut().find(|(m, _)| *m == module) {
            Some((_, group)) => group.licenses.push(view),
            None => {
                let title = names.iter().find(|(n, _)| *n == module).map_or_else(|| module.clone(), |(_, t)| t.clone());
                modules.push((module, ModuleLicenses { title, licenses: vec![view] }));
            }
        }
    }
    let (transactions, _) =
        list_page::<Transaction>(&console.core, signed, &[("licenseeNumber", number)], 0, true).await?;
    let transactions = transactions.iter().map(TransactionView::of).collect();
    Ok(CustomerPage {
        nav: Nav::of(signed, "customers"),
        csrf: signed.session.csrf.clone(),
        path: path(&customer.number),
        level: super::customers::level(&customer).to_owned(),
        name: customer.name.clone().unwrap_or_default(),
        number: customer.number.clone(),
        details: resource::shown(&item.properties),
        modules: modules.into_iter().map(|(_, m)| m).collect(),
        transactions,
        results: Vec::new(),
        validation_error: None,
        link: None,
    })
}

async fn show(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::page(&page(&console, &signed, &number).await?)
}

/// The rows of a validation result.
fn results(result: &ValidationResult) -> Vec<ResultView> {
    result
        .modules
        .iter()
        .map(|m| {
            let mut details = pairs(&m.properties);
            for list in &m.lists {
                if !details.is_empty() {
                    details.push_str("; ");
                }
                details.push_str(&format!("{}: [{}]", list.name, pairs(&list.properties)));
            }
            ResultView {
                module: format!("{} ({})", m.product_module_name.clone().unwrap_or_default(), m.product_module_number),
                model: m.licensing_model.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                valid: m.valid.map_or("—".to_owned(), |v| v.to_string()),
                level: m.warning_level.map_or("NONE".to_owned(), |l| l.as_str().to_owned()),
                details,
            }
        })
        .collect()
}

/// `POST .../validate`: validates with `dryRun` (nothing consumed, no session taken, nothing created) and shows
/// each module's answer.
async fn validate(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let params = ValidationParameters { dry_run: true, ..ValidationParameters::default() };
    let outcome = console.core.validate(&signed.caller, &number, &params).await;
    let mut shown = page(&console, signed, &number).await?;
    match outcome {
        Ok(result) => shown.results = results(&result),
        Err(error) if !core_status(&error).is_server_error() => shown.validation_error = Some(error.to_string()),
        Err(error) => return Err(error.into()),
    }
    render::page(&shown)
}

/// `POST .../token`: a SHOP token (the shop link) or an ACTION token with `licenseeLogin` (the portal link).
async fn token(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let mut form = netlicensing_model::codec::Form::new();
    form.push("licenseeNumber", number.as_str());
    if posted.form.get("kind") == Some("portal") {
        form.push("tokenType", "ACTION").push("action", "licenseeLogin");
    } else {
        form.push("tokenType", "SHOP");
    }
    let created: Token = console.core.create_token(&signed.caller, &form).await?;
    let mut shown = page(&console, signed, &number).await?;
    shown.link = created.shop_url.or(created.customer_portal_url);
    render::page(&shown)
}

async fn confirm_delete(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::confirm::<Licensee>(&signed, &console.core, "customers", &number, path(&number)).await
}

async fn delete(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::delete::<Licensee>(&posted, &console.core, "customers", &number, path(&number), "/console/customers")
        .await
}

async fn license_fields(console: &Console, signed: &Signed, customer: &str) -> Result<Vec<Field>, WebError> {
    let found: Licensee = console.core.get(&signed.caller, customer).await?;
    let product = found.product_number.unwrap_or_default();
    let choices = super::products::modules_of(&console.core, signed, &product)
        .await?
        .into_iter()
        .flat_map(|(m, templates)| {
            templates.into_iter().map(move |t| {
                (
                    t.number.clone(),
                    format!("{} — {} ({})", m.name.clone().unwrap_or_default(), t.name.unwrap_or_default(), t.number),
                )
            })
        })
        .collect();
    Ok(vec![
        Field::text("number", "Number").help("Leave blank for a generated number."),
        Field::text("licenseTemplateNumber", "License template").input(Input::Select(choices)),
        Field::text("startDate", "Start date").help("TIMEVOLUME licenses: an ISO date-time, or 'now'."),
        Field::text("active", "Active").input(Input::Checkbox),
    ])
}

fn license_form(signed: &Signed, customer: &str, fields: Vec<Field>, state: FormState) -> FormPage {
    let back = path(customer);
    FormPage::new(
        signed,
        "customers",
        format!("New license for {customer}"),
        format!("{back}/licenses/new"),
        back,
        "Save license",
        fields,
        state,
    )
}

async fn new_license_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let fields = license_fields(&console, &signed, &number).await?;
    render::page(&license_form(&signed, &number, fields, FormState::with([("active", "true")])))
}

async fn create_license(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let number = number.into_inner();
    let fields = license_fields(&console, &signed, &number).await?;
    let back = path(&number);
    resource::submit(
        &posted,
        &fields,
        false,
        &[("licenseeNumber", &number)],
        |state| license_form(&signed, &number, fields.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_license(&caller, &form).await }
        },
        |_: &License| back.clone(),
    )
    .await
}
