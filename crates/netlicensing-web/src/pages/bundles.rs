//! Bundles: the list, the form that creates or changes one (its license templates picked from the vendor's,
//! all of one product; price and currency together, as core requires), and deleting one.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_model::{
    entity::{Bundle, Product},
    types::{Currency, WireEnum},
};

use super::{FormPage, Nav, Pager, list_page, pages, products::encode, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// The bundle list.
const LIST: &str = "/console/bundles";

/// Registers the bundle pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bundles", web::get().to(list))
        .route("/bundles/new", web::get().to(new_form))
        .route("/bundles/new", web::post().to(create))
        .route("/bundles/{number}", web::get().to(edit_form))
        .route("/bundles/{number}", web::post().to(update))
        .route("/bundles/{number}/delete", web::get().to(confirm_delete))
        .route("/bundles/{number}/delete", web::post().to(delete));
}

/// The page of a bundle (its form).
fn path(number: &str) -> String {
    format!("{LIST}/{}", encode(number))
}

/// A bundle as the list shows it.
struct Row {
    number: String,
    name: String,
    product: String,
    templates: String,
    price: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "bundles.html")]
struct ListPage {
    nav: Option<Nav>,
    bundles: Vec<Row>,
    pager: Pager,
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    query: web::Query<super::products::PageQuery>,
) -> Result<HttpResponse, WebError> {
    let page = query.into_inner().page;
    let (bundles, total) = list_page::<Bundle>(&console.core, &signed, &[], page, false).await?;
    let bundles = bundles
        .into_iter()
        .map(|b| Row {
            name: b.name.clone().unwrap_or_default(),
            product: b.product_number.clone().unwrap_or_default(),
            templates: b.license_template_numbers.clone().unwrap_or_default().join(", "),
            price: match (&b.price, b.currency) {
                (Some(price), Some(currency)) => format!("{price} {}", currency.as_str()),
                (Some(price), None) => price.to_string(),
                _ => String::new(),
            },
            active: b.active,
            number: b.number,
        })
        .collect();
    let pager = Pager { page, pages: pages(total), total, query: String::new() };
    render::page(&ListPage { nav: Nav::of(&signed, "bundles"), bundles, pager })
}

/// The form's fields: the templates to pick are every template of every product of the vendor.
async fn fields(console: &Console, signed: &Signed) -> Result<Vec<Field>, WebError> {
    let products = console.core.list::<Product>(&signed.caller, None, &[("items", "1000")]).await?.items;
    let mut templates = Vec::new();
    for product in products {
        let product_name = product.name.clone().unwrap_or_else(|| product.number.clone());
        for (module, mine) in super::products::modules_of(&console.core, signed, &product.number).await? {
            let module_name = module.name.clone().unwrap_or_else(|| module.number.clone());
            for template in mine {
                let label = format!(
                    "{product_name} › {module_name} › {} ({})",
                    template.name.clone().unwrap_or_default(),
                    template.number
                );
                templates.push((template.number, label));
            }
        }
    }
    Ok(vec![
        Field::text("number", "Number").help("Leave blank on create for a generated number."),
        Field::text("name", "Name"),
        Field::text("description", "Description").input(Input::TextArea),
        Field::text("licenseTemplateNumbers", "License templates")
            .input(Input::Many(templates))
            .help("The licenses a bundle gives, all of one product; obtaining the bundle creates one license of each."),
        Field::text("price", "Price").help("Decimal, e.g. 49.00; required with a currency when above zero."),
        Field::text("currency", "Currency").input(resource::choices(Currency::ALL, Some("(none)"))),
        Field::text("active", "Active").input(Input::Checkbox),
    ])
}

fn form(signed: &Signed, title: String, action: String, fields: Vec<Field>, state: FormState) -> FormPage {
    FormPage::new(signed, "bundles", title, action, LIST, "Save bundle", fields, state)
}

async fn new_form(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let fields = fields(&console, &signed).await?;
    let mut values = vec![("active", "true".to_owned())];
    values.extend(resource::price_defaults(&console.core, &signed).await?);
    render::page(&form(&signed, "New bundle".into(), format!("{LIST}/new"), fields, FormState::with(values)))
}

async fn create(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let fields = fields(&console, &signed).await?;
    resource::submit(
        &posted,
        &fields,
        false,
        &[],
        |state| form(&signed, "New bundle".into(), format!("{LIST}/new"), fields.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_bundle(&caller, &form).await }
        },
        |_: &Bundle| LIST.to_owned(),
    )
    .await
}

async fn edit_form(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let bundle: Bundle = console.core.get(&signed.caller, &number).await?;
    let fields = fields(&console, &signed).await?;
    let page = form(&signed, format!("Bundle {number}"), path(&number), fields, resource::state_of(&bundle));
    render::page(&page.intro(stale_note(&bundle)).deletable(format!("{}/delete", path(&number))))
}

/// What the form says of templates the bundle names that were deleted since.
fn stale_note(bundle: &Bundle) -> String {
    match bundle.stale_license_template_numbers.as_deref() {
        Some(stale) if !stale.is_empty() => {
            format!("License templates deleted since (saving drops them): {}.", stale.join(", "))
        }
        _ => String::new(),
    }
}

async fn update(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let _: Bundle = console.core.get(&signed.caller, &number).await?;
    let fields = fields(&console, &signed).await?;
    resource::submit(
        &posted,
        &fields,
        true,
        &[],
        |state| form(&signed, format!("Bundle {number}"), path(&number), fields.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            let number = number.clone();
            move |form| async move { core.update_bundle(&caller, &number, &form).await }
        },
        |_: &Bundle| LIST.to_owned(),
    )
    .await
}

async fn confirm_delete(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::confirm::<Bundle>(&signed, &console.core, "bundles", &number, path(&number)).await
}

async fn delete(
    posted: Posted,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    resource::delete::<Bundle>(&posted, &console.core, "bundles", &number, path(&number), LIST).await
}
