//! Products: the list, a product with its modules and templates, and the forms that create and change them.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::Core;
use netlicensing_model::{
    entity::{DiscountAmount, LicenseTemplate, Product, ProductModule},
    types::{Currency, LicenseType, LicensingModel, NodeSecretMode, TimeVolumePeriod, WireEnum},
};

use super::{FormPage, Nav, Pager, list_page, pages, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// Registers the product pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/products", web::get().to(list))
        .route("/products/new", web::get().to(new_form))
        .route("/products/new", web::post().to(create))
        .route("/products/{number}", web::get().to(show))
        .route("/products/{number}/edit", web::get().to(edit_form))
        .route("/products/{number}/edit", web::post().to(update))
        .route("/products/{number}/delete", web::get().to(confirm_delete))
        .route("/products/{number}/delete", web::post().to(delete))
        .route("/products/{number}/modules/new", web::get().to(new_module_form))
        .route("/products/{number}/modules/new", web::post().to(create_module))
        .route("/modules/{number}/templates/new", web::get().to(new_template_form))
        .route("/modules/{number}/templates/new", web::post().to(create_template));
}

/// `?page=`.
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    /// The zero-based page.
    #[serde(default)]
    pub page: u64,
}

#[derive(Template)]
#[template(path = "products.html")]
struct ListPage {
    nav: Option<Nav>,
    products: Vec<Product>,
    pager: Pager,
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, WebError> {
    let (products, total) = list_page::<Product>(&console.core, &signed, &[], query.page, false).await?;
    let pager = Pager { page: query.page, pages: pages(total), total, query: String::new() };
    render::page(&ListPage { nav: Nav::of(&signed, "products"), products, pager })
}

fn product_fields() -> Vec<Field> {
    vec![
        Field::text("number", "Number").help("Leave blank on create for a generated number."),
        Field::text("name", "Name"),
        Field::text("version", "Version"),
        Field::text("description", "Description").input(Input::TextArea),
        Field::text("licensingInfo", "Licensing information").input(Input::TextArea),
        Field::text("licenseeAutoCreate", "Create unknown customers on validation").input(Input::Checkbox),
        Field::text("active", "Active").input(Input::Checkbox),
    ]
}

fn product_form(signed: &Signed, title: String, action: String, back: String, state: FormState) -> FormPage {
    FormPage::new(signed, "products", title, action, back, "Save product", product_fields(), state)
}

async fn new_form(signed: Signed) -> Result<HttpResponse, WebError> {
    let state = FormState::with([("active", "true")]);
    let page =
        product_form(&signed, "New product".into(), "/console/products/new".into(), "/console/products".into(), state);
    render::page(&page)
}

async fn create(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let page = |state| {
        product_form(&signed, "New product".into(), "/console/products/new".into(), "/console/products".into(), state)
    };
    resource::submit(
        &posted,
        &product_fields(),
        false,
        &[],
        page,
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_product(&caller, &form).await }
        },
        |product: &Product| product_path(&product.number),
    )
    .await
}

/// The page of a product.
pub fn product_path(number: &str) -> String {
    format!("/console/products/{}", encode(number))
}

/// A path segment, percent-encoded.
pub fn encode(segment: &str) -> String {
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

async fn edit_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let product: Product = console.core.get(&signed.caller, &number).await?;
    let path = product_path(&number);
    let page = product_form(
        &signed,
        format!("Edit product {number}"),
        format!("{path}/edit"),
        path,
        resource::state_of(&product),
    );
    render::page(&page)
}

async fn update(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let path = product_path(&number);
    let page =
        |state| product_form(&signed, format!("Edit product {number}"), format!("{path}/edit"), path.clone(), state);
    resource::submit(
        &posted,
        &product_fields(),
        true,
        &[],
        page,
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            let number = number.clone();
            move |form| async move { core.update_product(&caller, &number, &form).await }
        },
        |product: &Product| product_path(&product.number),
    )
    .await
}

async fn confirm_delete(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::confirm::<Product>(&signed, &console.core, "products", &number, product_path(&number)).await
}

async fn delete(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::delete::<Product>(&posted, &console.core, "products", &number, product_path(&number), "/console/products")
        .await
}

/// A module as the product page shows it.
struct ModuleView {
    number: String,
    name: String,
    model: String,
    active: bool,
    templates: Vec<TemplateView>,
}

/// A template as the product page shows it.
struct TemplateView {
    number: String,
    name: String,
    kind: String,
    price: String,
    flags: String,
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    nav: Option<Nav>,
    number: String,
    details: Vec<(String, String)>,
    discounts: Vec<String>,
    modules: Vec<ModuleView>,
}

/// The product's modules with their templates (every one: a product has a handful).
pub async fn modules_of(
    core: &Core,
    signed: &Signed,
    product: &str,
) -> Result<Vec<(ProductModule, Vec<LicenseTemplate>)>, WebError> {
    let filter = [("productNumber", product), ("items", "1000")];
    let modules = core.list::<ProductModule>(&signed.caller, None, &filter).await?.items;
    let templates = core.list::<LicenseTemplate>(&signed.caller, None, &filter).await?.items;
    Ok(modules
        .into_iter()
        .map(|module| {
            let mine = templates
                .iter()
                .filter(|t| t.product_module_number.as_deref() == Some(module.number.as_str()))
                .cloned()
                .collect();
            (module, mine)
        })
        .collect())
}

async fn show(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let product: Product = console.core.get(&signed.caller, &number).await?;
    let item = netlicensing_model::entity::Entity::to_item(&product);
    let discounts = product
        .discounts
        .iter()
        .map(|d| {
            let amount = match d.amount {
                DiscountAmount::Fix(fix) => format!("{} {} off", fix.value(), d.currency.as_str()),
                DiscountAmount::Percent(percent) => format!("{} % off", percent.value()),
            };
            format!("from {} {}: {amount}", d.total_price, d.currency.as_str())
        })
        .collect();
    let modules = modules_of(&console.core, &signed, &number)
        .await?
        .into_iter()
        .map(|(m, templates)| ModuleView {
            name: m.name.clone().unwrap_or_default(),
            model: m.licensing_model.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            active: m.active,
            number: m.number,
            templates: templates
                .into_iter()
                .map(|t| TemplateView {
                    name: t.name.clone().unwrap_or_default(),
                    kind: t.license_type.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                    price: match (&t.price, t.currency) {
                        (Some(price), Some(currency)) => format!("{price} {}", currency.as_str()),
                        (Some(price), None) => price.to_string(),
                        _ => String::new(),
                    },
                    flags: [
                        (t.automatic == Some(true), "automatic"),
                        (t.hidden == Some(true), "hidden"),
                        (!t.active, "inactive"),
                    ]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, name)| *name)
                    .collect::<Vec<_>>()
                    .join(", "),
                    number: t.number,
                })
                .collect(),
        })
        .collect();
    let page = ProductPage {
        nav: Nav::of(&signed, "products"),
        number: product.number.clone(),
        details: resource::shown(&item.properties),
        discounts,
        modules,
    };
    render::page(&page)
}

fn module_fields() -> Vec<Field> {
    vec![
        Field::text("number", "Number").help("Leave blank for a generated number."),
        Field::text("name", "Name"),
        Field::text("licensingModel", "Licensing model")
            .input(resource::choices(LicensingModel::CURRENT, None))
            .help("How validation decides: Try & Buy and Subscription by time, Floating by concurrent sessions, \
                   Quota and Pay-per-Use by amounts, Node-Locked by machine, Multi-Feature and Pricing Table by features."),
        Field::text("maxCheckoutValidity", "Longest floating session (seconds)")
            .input(Input::Number)
            .help("Floating only: how long a checked-out session lasts without renewal."),
        Field::text("yellowThreshold", "Yellow threshold").input(Input::Number).help("Quota and Pay-per-Use: remaining amount at which the warning level turns YELLOW."),
        Field::text("redThreshold", "Red threshold").input(Input::Number).help("Quota and Pay-per-Use: remaining amount at which it turns RED."),
        Field::text("nodeSecretMode", "Node secret mode")
            .input(resource::choices(NodeSecretMode::ALL, Some("(not node-locked)")))
            .help("Node-Locked only: PREDEFINED secrets stored in the licenses, or CLIENT secrets bound on first use."),
        Field::text("active", "Active").input(Input::Checkbox),
    ]
}

async fn new_module_form(
    signed: Signed,
    console: web::Data<Console>,
    product: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let _: Product = console.core.get(&signed.caller, &product).await?;
    render::page(&module_form(
        &signed,
        &product,
        FormState::with([("active", "true"), ("licensingModel", "TryAndBuy")]),
    ))
}

fn module_form(signed: &Signed, product: &str, state: FormState) -> FormPage {
    let path = product_path(product);
    FormPage::new(
        signed,
        "products",
        format!("New module of product {product}"),
        format!("{path}/modules/new"),
        path,
        "Save module",
        module_fields(),
        state,
    )
    .intro("A module is one licensed part of the product; its licensing model decides how validation answers for it.")
}

async fn create_module(
    posted: Posted,
    console: web::Data<Console>,
    product: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let product = product.into_inner();
    let path = product_path(&product);
    resource::submit(
        &posted,
        &module_fields(),
        false,
        &[("productNumber", &product)],
        |state| module_form(&signed, &product, state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_product_module(&caller, &form).await }
        },
        |_: &ProductModule| path.clone(),
    )
    .await
}

fn template_fields() -> Vec<Field> {
    vec![
        Field::text("number", "Number").help("Leave blank for a generated number."),
        Field::text("name", "Name"),
        Field::text("licenseType", "License type")
            .input(resource::choices(LicenseType::ALL, None))
            .help("FEATURE: on/off; TIMEVOLUME: valid for a period from its start; FLOATING: concurrent sessions; QUANTITY: an amount."),
        Field::text("price", "Price").help("Decimal, e.g. 9.90; required with a currency when above zero."),
        Field::text("currency", "Currency").input(resource::choices(Currency::ALL, Some("(none)"))),
        Field::text("timeVolume", "Time volume").input(Input::Number).help("TIMEVOLUME: how many periods."),
        Field::text("timeVolumePeriod", "Time volume period").input(resource::choices(TimeVolumePeriod::ALL, Some("(default: DAY)"))),
        Field::text("maxSessions", "Sessions").input(Input::Number).help("FLOATING: concurrent sessions a license gives."),
        Field::text("quantity", "Quantity").input(Input::Number).help("QUANTITY: the amount a license gives."),
        Field::text("automatic", "Create automatically for every customer").input(Input::Checkbox),
        Field::text("hidden", "Hidden in the shop").input(Input::Checkbox),
        Field::text("active", "Active").input(Input::Checkbox),
    ]
}

fn template_form(signed: &Signed, module: &str, back: String, state: FormState) -> FormPage {
    FormPage::new(
        signed,
        "products",
        format!("New license template of module {module}"),
        format!("/console/modules/{}/templates/new", encode(module)),
        back,
        "Save template",
        template_fields(),
        state,
    )
}

async fn new_template_form(
    signed: Signed,
    console: web::Data<Console>,
    module: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let found: ProductModule = console.core.get(&signed.caller, &module).await?;
    let back = product_path(found.product_number.as_deref().unwrap_or_default());
    let mut values = vec![("active", "true".to_owned()), ("licenseType", "FEATURE".to_owned())];
    values.extend(resource::price_defaults(&console.core, &signed).await?);
    render::page(&template_form(&signed, &module, back, FormState::with(values)))
}

async fn create_template(
    posted: Posted,
    console: web::Data<Console>,
    module: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let module = module.into_inner();
    let found: ProductModule = console.core.get(&signed.caller, &module).await?;
    let back = product_path(found.product_number.as_deref().unwrap_or_default());
    resource::submit(
        &posted,
        &template_fields(),
        false,
        &[("productModuleNumber", &module)],
        |state| template_form(&signed, &module, back.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_license_template(&caller, &form).await }
        },
        |_: &LicenseTemplate| back.clone(),
    )
    .await
}
