//! Transactions: the list (newest first, filtered by status and source) and a transaction's page with its
//! properties and the licenses joined to it.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::CoreError;
use netlicensing_model::{
    entity::{Entity, License, Transaction},
    types::{TransactionSource, TransactionStatus, WireEnum},
};

use super::{Nav, Pager, TransactionView, list_page, pages, resource};
use crate::{Console, error::WebError, guard::Signed, render};

/// Registers the transaction pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/transactions", web::get().to(list)).route("/transactions/{number}", web::get().to(show));
}

/// `?status=&source=&page=`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    page: u64,
}

#[derive(Template)]
#[template(path = "transactions.html")]
struct ListPage {
    nav: Option<Nav>,
    status: String,
    source: String,
    statuses: Vec<&'static str>,
    sources: Vec<&'static str>,
    transactions: Vec<TransactionView>,
    pager: Pager,
}

/// The spelling of a wire enum value among `all`, or empty (no filter) when it is none of them.
fn known<T: WireEnum + 'static>(all: &'static [T], given: &str) -> &'static str {
    all.iter().find(|v| v.as_str() == given).map(WireEnum::as_str).unwrap_or_default()
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let status = known(TransactionStatus::ALL, &query.status);
    let source = known(TransactionSource::ALL, &query.source);
    let mut conditions = Vec::new();
    if !status.is_empty() {
        conditions.push(("status", status));
    }
    if !source.is_empty() {
        conditions.push(("source", source));
    }
    let (transactions, total) = list_page::<Transaction>(&console.core, &signed, &conditions, query.page, true).await?;
    let pager =
        Pager { page: query.page, pages: pages(total), total, query: format!("status={status}&source={source}&") };
    let page = ListPage {
        nav: Nav::of(&signed, "transactions"),
        status: status.to_owned(),
        source: source.to_owned(),
        statuses: TransactionStatus::ALL.iter().map(WireEnum::as_str).collect(),
        sources: TransactionSource::ALL.iter().map(WireEnum::as_str).collect(),
        transactions: transactions.iter().map(TransactionView::of).collect(),
        pager,
    };
    render::page(&page)
}

/// A license joined to the transaction, as its page shows it.
struct JoinedLicense {
    number: String,
    /// Its customer, template and module; empty when the license was deleted since.
    customer: String,
    template: String,
    module: String,
    active: bool,
    gone: bool,
}

#[derive(Template)]
#[template(path = "transaction.html")]
struct TransactionPage {
    nav: Option<Nav>,
    number: String,
    details: Vec<(String, String)>,
    licenses: Vec<JoinedLicense>,
}

async fn show(
    signed: Signed,
    console: web::Data<Console>,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let transaction: Transaction = console.core.get(&signed.caller, &number).await?;
    let mut licenses = Vec::new();
    for join in &transaction.license_transaction_joins {
        let number = join.license_number.clone();
        licenses.push(match console.core.get::<License>(&signed.caller, &number).await {
            Ok(license) => JoinedLicense {
                number,
                customer: license.licensee_number.unwrap_or_default(),
                template: license.license_template_number.unwrap_or_default(),
                module: license.product_module_number.unwrap_or_default(),
                active: license.active,
                gone: false,
            },
            Err(CoreError::NotFound(_)) => JoinedLicense {
                number,
                customer: String::new(),
                template: String::new(),
                module: String::new(),
                active: false,
                gone: true,
            },
            Err(error) => return Err(error.into()),
        });
    }
    let item = transaction.to_item();
    let page = TransactionPage {
        nav: Nav::of(&signed, "transactions"),
        number: transaction.number.clone(),
        details: resource::shown(&item.properties),
        licenses,
    };
    render::page(&page)
}
