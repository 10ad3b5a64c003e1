//! The dashboard: counts (floating sessions checked out among them), customers per warning level,
//! validations per day over the last 30 days, recent transactions and their revenue. Every figure is a count
//! or an aggregate the store answers from an index; none scans the vendor's rows. The license count (an index walk
//! over every license) runs beside the other figures.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::{Core, CoreResult, Resource, record::Order};
use netlicensing_model::{
    entity::{License, Licensee, Product, Transaction},
    types::{TransactionStatus, WireEnum},
};
use rust_decimal::Decimal;

use super::{Nav, TransactionView, chart::Chart};
use crate::{Console, error::WebError, guard::Signed, render};

/// How many of the latest transactions the dashboard shows and sums.
const RECENT: usize = 10;

/// The days of the validations chart.
const CHART_DAYS: u32 = 30;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Option<Nav>,
    counts: Vec<(&'static str, u64, &'static str)>,
    levels: Vec<(&'static str, u64)>,
    unvalidated: u64,
    chart: Chart,
    transactions: Vec<TransactionView>,
    revenue: Vec<String>,
    recent_window: usize,
}

/// How many entities of a kind the vendor has (a count in the store, not a scan).
async fn count<E: Resource>(core: &Core, signed: &Signed) -> CoreResult<u64> {
    Ok(core.list::<E>(&signed.caller, None, &[("items", "1")]).await?.paging.total_items)
}

/// `GET /console`.
pub async fn show(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let core = &console.core;
    // Counting a million licenses is the one figure that takes tens of milliseconds (an index-only walk of the
    // vendor's licenses); it runs on a connection of its own while the other figures are read.
    let (licenses, (products, customers, latest, sessions, levels, days)) =
        futures_util::future::try_join(count::<License>(core, &signed), async {
            // The latest transactions and their count in one list: newest first, an index walk from the end.
            let recent = RECENT.to_string();
            let latest = core
                .list_in_order::<Transaction>(&signed.caller, None, &[("items", recent.as_str())], Order::Newest)
                .await?;
            Ok((
                count::<Product>(core, &signed).await?,
                count::<Licensee>(core, &signed).await?,
                latest,
                core.floating_sessions(&signed.caller).await?,
                core.warning_levels(&signed.caller).await?,
                core.validations_per_day(&signed.caller, CHART_DAYS).await?,
            ))
        })
        .await?;
    let counts = vec![
        ("products", products, "/console/products"),
        ("customers", customers, "/console/customers"),
        ("licenses", licenses, "/console/customers"),
        ("transactions", latest.paging.total_items, "/console/transactions"),
        ("floating sessions checked out", sessions, "/console/customers"),
    ];
    let unvalidated = customers.saturating_sub(levels.red + levels.yellow + levels.green);
    let levels = vec![("RED", levels.red), ("YELLOW", levels.yellow), ("GREEN", levels.green)];
    let chart = Chart::of(&days);
    let latest = latest.items;
    let mut sums: Vec<(String, Decimal)> = Vec::new();
    for t in latest.iter().filter(|t| t.status == Some(TransactionStatus::Closed)) {
        let (Some(total), Some(currency)) = (&t.grand_total, t.currency) else { continue };
        let currency = currency.as_str().to_owned();
        let amount = total.amount();
        match sums.iter_mut().find(|(c, _)| *c == currency) {
            Some((_, sum)) => *sum += amount,
            None => sums.push((currency, amount)),
        }
    }
    let transactions = latest.iter().map(TransactionView::of).collect();
    let page = DashboardPage {
        nav: Nav::of(&signed, "dashboard"),
        counts,
        levels,
        unvalidated,
        chart,
        transactions,
        revenue: sums.into_iter().map(|(currency, sum)| format!("{sum} {currency}")).collect(),
        recent_window: RECENT,
    };
    render::page(&page)
}
