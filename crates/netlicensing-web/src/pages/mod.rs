//! The console's pages: one file per area, each a few thin handlers (read the form, call core, render).

mod account;
mod branding;
mod bundles;
mod chart;
mod customer;
mod customers;
mod dashboard;
mod license;
mod notifications;
mod payment_methods;
mod products;
mod resource;
mod settings;
mod tokens;
mod transactions;

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::{Core, CoreResult, Resource, record::Order};
use netlicensing_model::{entity::Transaction, types::WireEnum};

use crate::{
    fields::{Field, FormState},
    guard::Signed,
    render,
};

/// The sign-in page.
pub const SIGN_IN: &str = "/console/sign-in";

/// Items per list page.
pub const PAGE_SIZE: u64 = 25;

/// Registers the console's routes (below `/console`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(dashboard::show))
        .route("/", web::get().to(dashboard::show))
        .configure(account::configure)
        .configure(products::configure)
        .configure(customers::configure)
        .configure(customer::configure)
        .configure(license::configure)
        .configure(tokens::configure)
        .configure(transactions::configure)
        .configure(payment_methods::configure)
        .configure(bundles::configure)
        .configure(notifications::configure)
        .configure(settings::configure)
        .configure(branding::configure);
}

/// `GET /`: the console.
pub async fn root() -> HttpResponse {
    render::see_other(crate::CONSOLE)
}

/// What the navigation bar shows: the vendor, the current area, and the token its sign-out form carries.
pub struct Nav {
    /// The signed-in vendor's number.
    pub vendor_number: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The area shown (`dashboard`, `products`, `customers`, `tokens`, `branding`, `account`, ...).
    pub current: &'static str,
}

impl Nav {
    /// The navigation of a signed-in page in an area.
    pub fn of(signed: &Signed, current: &'static str) -> Option<Nav> {
        Some(Nav { vendor_number: signed.caller.vendor_number.clone(), csrf: signed.session.csrf.clone(), current })
    }
}

/// A form page: its fields with values and errors.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    nav: Option<Nav>,
    csrf: String,
    title: String,
    intro: String,
    action: String,
    back: String,
    submit: &'static str,
    fields: Vec<Field>,
    state: FormState,
    delete: String,
}

impl FormPage {
    /// A form page of a signed-in vendor.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        signed: &Signed,
        area: &'static str,
        title: impl Into<String>,
        action: impl Into<String>,
        back: impl Into<String>,
        submit: &'static str,
        fields: Vec<Field>,
        state: FormState,
    ) -> Self {
        Self {
            nav: Nav::of(signed, area),
            csrf: signed.session.csrf.clone(),
            title: title.into(),
            intro: String::new(),
            action: action.into(),
            back: back.into(),
            submit,
            fields,
            state,
            delete: String::new(),
        }
    }

    /// The same page with an introduction.
    pub fn intro(mut self, intro: impl Into<String>) -> Self {
        self.intro = intro.into();
        self
    }

    /// The same page with a **Delete** button leading to `path` (the confirmation).
    pub fn deletable(mut self, path: impl Into<String>) -> Self {
        self.delete = path.into();
        self
    }
}

/// Paging links of a list: the page shown (zero-based), how many there are, and the query of the other pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// Zero-based page shown.
    pub page: u64,
    /// Number of pages.
    pub pages: u64,
    /// Number of items over all pages.
    pub total: u64,
    /// The query string of the list without `page` (`q=...&by=...&`).
    pub query: String,
}

impl Pager {
    /// The one-based page shown.
    pub fn shown(&self) -> u64 {
        self.page + 1
    }

    /// Whether a previous page exists.
    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    /// Whether a next page exists.
    pub fn has_next(&self) -> bool {
        self.page + 1 < self.pages
    }

    /// The zero-based previous page.
    pub fn previous(&self) -> u64 {
        self.page.saturating_sub(1)
    }

    /// The zero-based next page.
    pub fn next(&self) -> u64 {
        self.page + 1
    }
}

/// One page of a list through core, in creation order or newest first (each an index walk from its end).
pub async fn list_page<E: Resource>(
    core: &Core,
    signed: &Signed,
    conditions: &[(&str, &str)],
    page: u64,
    newest_first: bool,
) -> CoreResult<(Vec<E>, u64)> {
    let order = if newest_first { Order::Newest } else { Order::Id };
    ordered_page(core, signed, conditions, page, order).await
}

/// One page of a list through core in order of name (without a name first), then creation.
pub async fn name_page<E: Resource>(
    core: &Core,
    signed: &Signed,
    conditions: &[(&str, &str)],
    page: u64,
) -> CoreResult<(Vec<E>, u64)> {
    ordered_page(core, signed, conditions, page, Order::Name).await
}

async fn ordered_page<E: Resource>(
    core: &Core,
    signed: &Signed,
    conditions: &[(&str, &str)],
    page: u64,
    order: Order,
) -> CoreResult<(Vec<E>, u64)> {
    let (size, number) = (PAGE_SIZE.to_string(), page.to_string());
    let mut plain: Vec<(&str, &str)> = conditions.to_vec();
    plain.push(("page", &number));
    plain.push(("items", &size));
    let found = core.list_in_order::<E>(&signed.caller, None, &plain, order).await?;
    Ok((found.items, found.paging.total_items))
}

/// The number of pages of `total` items.
pub fn pages(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

/// A transaction as the lists show it.
pub struct TransactionView {
    /// Its number.
    pub number: String,
    /// Its customer's number.
    pub customer: String,
    /// What caused it.
    pub source: String,
    /// PENDING, CLOSED or CANCELLED.
    pub status: String,
    /// Grand total with currency.
    pub total: String,
    /// When it was created (UTC).
    pub created: String,
}

impl TransactionView {
    /// The view of a transaction.
    pub fn of(t: &Transaction) -> Self {
        Self {
            number: t.number.clone(),
            customer: t.licensee_number.clone().unwrap_or_default(),
            source: t.source.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            status: t.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            total: match (&t.grand_total, t.currency) {
                (Some(total), Some(currency)) => format!("{total} {}", currency.as_str()),
                (Some(total), None) => total.to_string(),
                _ => String::new(),
            },
            created: t.date_created.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default(),
        }
    }
}
