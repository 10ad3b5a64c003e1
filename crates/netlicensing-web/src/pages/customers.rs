//! Customers (licensees): the list with paging, order (newest or oldest first, or by name) and search (by
//! number, name or a custom property — each an indexed exact match in the store, and each order an index walk,
//! so the list stays fast at 100k customers), and the create form.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use netlicensing_model::entity::{Licensee, Product};

use super::{FormPage, Nav, Pager, list_page, name_page, pages, products::encode, resource};
use crate::{
    Console,
    error::{WebError, core_status},
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
};

/// Registers the customer list and the create form.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/customers", web::get().to(list))
        .route("/customers/new", web::get().to(new_form))
        .route("/customers/new", web::post().to(create));
}

/// The list's query: search text, what it is matched against, the order and the page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    property: String,
    #[serde(default)]
    order: String,
    #[serde(default)]
    page: u64,
}

/// A customer as the list shows it.
pub struct Row {
    number: String,
    name: String,
    product: String,
    level: String,
    active: bool,
}

/// A customer's warning level: the worst of its last validation's modules (RED, YELLOW, GREEN), or "—".
pub fn level(customer: &Licensee) -> &'static str {
    match &customer.warning_level_summary {
        Some(s) if !s.red.is_empty() => "RED",
        Some(s) if !s.yellow.is_empty() => "YELLOW",
        Some(s) if !s.green.is_empty() => "GREEN",
        _ => "NONE",
    }
}

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage {
    nav: Option<Nav>,
    q: String,
    by: String,
    property: String,
    order: String,
    error: Option<String>,
    customers: Vec<Row>,
    pager: Pager,
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    search: web::Query<Search>,
) -> Result<HttpResponse, WebError> {
    let search = search.into_inner();
    let q = search.q.trim().to_owned();
    let by = if search.by.is_empty() { "number".to_owned() } else { search.by.clone() };
    let property = search.property.trim().to_owned();
    let order = match search.order.as_str() {
        "oldest" => "oldest",
        "name" => "name",
        _ => "newest",
    }
    .to_owned();
    let mut conditions: Vec<(&str, &str)> = Vec::new();
    let mut error = None;
    if !q.is_empty() {
        match by.as_str() {
            "name" => conditions.push(("name", &q)),
            "property" if property.is_empty() => error = Some("Name the custom property to search in".to_owned()),
            "property" if ["page", "items", "number", "active", "filter"].contains(&property.as_str()) => {
                error = Some(format!("'{property}' is not a custom property"))
            }
            "property" => conditions.push((property.as_str(), &q)),
            _ => conditions.push(("number", &q)),
        }
    }
    let query = format!("q={}&by={}&property={}&order={}&", encode(&q), encode(&by), encode(&property), order);
    let (customers, total, status) = if error.is_some() {
        (Vec::new(), 0, StatusCode::BAD_REQUEST)
    } else {
        let found = match order.as_str() {
            "name" => name_page::<Licensee>(&console.core, &signed, &conditions, search.page).await,
            _ => list_page::<Licensee>(&console.core, &signed, &conditions, search.page, order == "newest").await,
        };
        match found {
            Ok((customers, total)) => (customers, total, StatusCode::OK),
            Err(e) if !core_status(&e).is_server_error() => {
                error = Some(e.to_string());
                (Vec::new(), 0, core_status(&e))
            }
            Err(e) => return Err(e.into()),
        }
    };
    let customers = customers
        .into_iter()
        .map(|c| Row {
            level: level(&c).to_owned(),
            name: c.name.clone().unwrap_or_default(),
            product: c.product_number.clone().unwrap_or_default(),
            active: c.active,
            number: c.number,
        })
        .collect();
    let pager = Pager { page: search.page, pages: pages(total), total, query };
    let page = ListPage { nav: Nav::of(&signed, "customers"), q, by, property, order, error, customers, pager };
    render::page_with(status, &page)
}

async fn customer_fields(console: &Console, signed: &Signed) -> Result<Vec<Field>, WebError> {
    let products = console.core.list::<Product>(&signed.caller, None, &[("items", "1000")]).await?.items;
    let choices = products
        .into_iter()
        .map(|p| (p.number.clone(), format!("{} ({})", p.name.unwrap_or_default(), p.number)))
        .collect();
    Ok(vec![
        Field::text("number", "Number").help("Leave blank for a generated number."),
        Field::text("productNumber", "Product").input(Input::Select(choices)),
        Field::text("name", "Name"),
        Field::text("active", "Active").input(Input::Checkbox),
    ])
}

fn customer_form(signed: &Signed, fields: Vec<Field>, state: FormState) -> FormPage {
    FormPage::new(
        signed,
        "customers",
        "New customer",
        "/console/customers/new",
        "/console/customers",
        "Save customer",
        fields,
        state,
    )
}

async fn new_form(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let fields = customer_fields(&console, &signed).await?;
    render::page(&customer_form(&signed, fields, FormState::with([("active", "true")])))
}

async fn create(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = posted.signed.clone();
    let fields = customer_fields(&console, &signed).await?;
    resource::submit(
        &posted,
        &fields,
        false,
        &[],
        |state| customer_form(&signed, fields.clone(), state),
        {
            let (core, caller) = (console.core.clone(), posted.signed.caller.clone());
            move |form| async move { core.create_licensee(&caller, &form).await }
        },
        |customer: &Licensee| super::customer::path(&customer.number),
    )
    .await
}
