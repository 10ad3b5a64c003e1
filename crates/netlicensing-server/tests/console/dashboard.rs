//! The dashboard: counts with the floating sessions checked out, customers per warning level, and the
//! validations-per-day chart from the in-memory counter (current before a flush, stored by it, kept across a
//! restart); the counts of products, customers, licenses and transactions with the ten newest transactions and
//! their revenue; the flusher stores counts on its own and when it stops.

use std::{sync::Arc, time::Duration};

use netlicensing_core::{Core, repo::Store};
use netlicensing_model::{Format, entity::ValidationParameters};
use netlicensing_server::flush::Flusher;

use super::Web;
use crate::common::{Api, Backend, TestServer};

/// The number a page shows in an element with that id (`<strong id="...">N</strong>`).
fn figure(body: &str, id: &str) -> u64 {
    let start = body.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("no {id}")) + id.len() + 6;
    body[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// Today's validations in the chart's table.
fn today(body: &str) -> u64 {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let row = format!("<tr><td>{day}</td><td>");
    let start = body.rfind(&row).unwrap_or_else(|| panic!("no row for {day}")) + row.len();
    body[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[tokio::test]
async fn dashboard_figures_and_the_validation_chart() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PD&name=Dash&licenseeAutoCreate=true").await;
        api.post("productmodule", "number=MT&productNumber=PD&name=Trial&licensingModel=TryAndBuy").await;
        api.post(
            "licensetemplate",
            "number=EVAL&productModuleNumber=MT&name=Eval&licenseType=TIMEVOLUME&timeVolume=30&automatic=true",
        )
        .await;
        api.post("productmodule", "number=MF&productNumber=PD&name=Seats&licensingModel=Floating").await;
        api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=Seats&licenseType=FLOATING&maxSessions=5")
            .await;
        let web = Web::signed_in(&server, "demo", "demo").await;
        let empty = web.get("/console").await;
        assert!(empty.body.contains("No validations in the last 30 days."), "{}", empty.body);
        assert!(empty.body.contains("id=\"validations-chart\"") && empty.body.contains("role=\"img\""));

        for customer in ["ID1", "ID2", "ID3"] {
            assert_eq!(api.post(&format!("licensee/{customer}/validate"), "productNumber=PD").await.status, 200);
        }
        api.post("licensee", "number=INEW&productNumber=PD").await;
        api.post("license", "number=LF&licenseeNumber=ID1&licenseTemplateNumber=EF").await;
        let checkout =
            api.post("licensee/ID1/validate", "productModuleNumber0=MF&sessionId0=s1&action0=checkOut").await;
        assert_eq!(checkout.status, 200);
        let dry = api.post("licensee/ID2/validate", "dryRun=true").await;
        assert_eq!(dry.status, 200);
        let page = web.get("/console").await;
        assert_eq!(today(&page.body), 4, "counted before any flush; the dry run not");
        assert!(page.body.contains("4 validations in the last 30 days"), "{}", page.body);
        let levels = ["level-red", "level-yellow", "level-green"].map(|id| figure(&page.body, id));
        assert_eq!(levels.iter().sum::<u64>(), 3, "three validated customers: {levels:?}");
        assert_eq!(figure(&page.body, "level-none"), 1, "one never validated");
        assert!(page.body.contains("<strong>1</strong> floating sessions checked out"), "{}", page.body);

        // Stored by a flush, and kept across a restart; each vendor its own.
        assert_eq!(server.flush_validations().await, 4);
        assert_eq!(today(&web.get("/console").await.body), 4);
        let other = Web::signed_in(&server, "other", "other").await;
        let theirs = other.get("/console").await;
        assert_eq!(today(&theirs.body), 0);
        assert_eq!(figure(&theirs.body, "level-none"), 0);
        assert!(theirs.body.contains("<strong>0</strong> floating sessions checked out"));
        let server = server.restart().await;
        let web = Web::signed_in(&server, "demo", "demo").await;
        assert_eq!(today(&web.get("/console").await.body), 4);
        server.stop().await;
    }
}

/// The numbers of an API list's items, in the API's order (by id).
async fn listed(api: &Api<'_>, path: &str) -> Vec<String> {
    let answer = api.get(path).await;
    assert_eq!(answer.status, 200, "{path}");
    answer.doc.items().iter().filter_map(|item| item.property("number")).map(str::to_owned).collect()
}

#[tokio::test]
async fn counts_and_the_ten_newest_transactions() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PC&name=Counted").await;
        api.post("productmodule", "number=MC&productNumber=PC&name=Sub&licensingModel=Subscription").await;
        api.post(
            "licensetemplate",
            "number=EC&productModuleNumber=MC&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH",
        )
        .await;
        for i in 0..3 {
            assert_eq!(api.post("licensee", &format!("number=IC{i}&productNumber=PC")).await.status, 200);
            let license = format!("number=LC{i}&licenseeNumber=IC{i}&licenseTemplateNumber=EC");
            assert_eq!(api.post("license", &license).await.status, 200);
        }
        for i in 0..12 {
            let form = format!("number=TX{i:02}&status=CLOSED&source=SHOP&grandTotal=2&currency=EUR");
            assert_eq!(api.post("transaction", &form).await.status, 200);
        }
        let web = Web::signed_in(&server, "demo", "demo").await;
        let page = web.get("/console").await;
        assert_eq!(page.status, 200);
        let transactions = listed(&api, "transaction").await;
        for (label, path) in [
            ("products", "product"),
            ("customers", "licensee"),
            ("licenses", "license"),
            ("transactions", "transaction"),
        ] {
            let n = listed(&api, path).await.len();
            assert!(page.body.contains(&format!("<strong>{n}</strong> {label}</a>")), "{label} {n}: {}", page.body);
        }
        let shown: Vec<String> = page
            .body
            .split("<a href=\"/console/transactions/")
            .skip(1)
            .map(|s| s.chars().take_while(|c| *c != '"').collect())
            .collect();
        let newest: Vec<String> = transactions.iter().rev().take(10).cloned().collect();
        assert_eq!(shown, newest, "the ten newest, newest first");
        assert_eq!(&shown[..2], ["TX11", "TX10"]);
        assert!(
            page.body.contains("<strong>20.00 EUR</strong>"),
            "ten closed SHOP transactions of 2 EUR: {}",
            page.body
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_flusher_stores_counts_on_its_own_and_when_it_stops() {
    let server = TestServer::start(Backend::Sqlite).await;
    let api = Api::demo(&server, Format::Json);
    api.post("product", "number=PF&name=Flush&licenseeAutoCreate=true").await;
    let store: Arc<dyn Store> = Arc::new(server.db.store());
    let counting = Core::new(store.clone());
    let caller = caller_of(&counting, "demo").await;
    let params = ValidationParameters { product_number: Some("PF".into()), ..ValidationParameters::default() };
    // What a fresh core (nothing counted in its memory) reads from the store for today.
    let stored = |store: Arc<dyn Store>| async move {
        let fresh = Core::new(store);
        fresh.validations_per_day(&caller_of(&fresh, "demo").await, 1).await.unwrap()[0].validations
    };
    let flusher = Flusher::start(counting.clone(), Duration::from_millis(50));
    counting.validate(&caller, "IF1", &params).await.unwrap();
    counting.validate(&caller, "IF2", &params).await.unwrap();
    let mut seen = 0;
    for _ in 0..100 {
        seen = stored(store.clone()).await;
        if seen == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 2, "flushed on its own");
    let slow = Flusher::start(counting.clone(), Duration::from_secs(3600));
    flusher.shutdown().await;
    counting.validate(&caller, "IF3", &params).await.unwrap();
    slow.shutdown().await;
    assert_eq!(stored(store.clone()).await, 3, "flushed when it stops");
    server.stop().await;
}

async fn caller_of(core: &Core, login: &str) -> netlicensing_core::Caller {
    let vendor = core.store().vendor_by_login(login).await.unwrap().unwrap();
    netlicensing_core::Caller::vendor(vendor.id, vendor.number)
}
