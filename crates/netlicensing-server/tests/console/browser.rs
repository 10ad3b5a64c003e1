//! The console in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`) driven over
//! WebDriver (fantoccini). Without the browser the test is skipped, except under CI (`CI` set), where a
//! missing browser is a failure. With `NETLICENSING_SCREENSHOTS=DIR` it saves screenshots of the pages there
//! (how `docs/console-*.png` were taken).

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use netlicensing_core::repo::{DayCount, Store};
use netlicensing_model::Format;

use crate::common::{Api, Backend, TestServer};

const CHROMIUM: &str = "/usr/bin/chromium";
const DRIVER: &str = "/usr/bin/chromedriver";

/// One browser at a time: three Chromiums at once on a small machine make page loads outlast the waits.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// chromedriver, stopped when dropped; holds the turn of its test until then.
pub struct Driver(Child, #[allow(dead_code)] tokio::sync::MutexGuard<'static, ()>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Starts chromedriver and a headless Chromium session, or `None` (skip) when they are not installed outside CI.
pub async fn browser() -> Option<(Driver, Client)> {
    let installed = [CHROMIUM, DRIVER].iter().all(|path| std::path::Path::new(path).exists());
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs {CHROMIUM} and {DRIVER} (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: no {CHROMIUM} / {DRIVER} (apt-get install chromium chromium-driver)");
        return None;
    }
    let turn = ONE_AT_A_TIME.lock().await;
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child, turn);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::native().capabilities(capabilities.clone()).connect(&url).await {
            return Some((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer at {url}");
}

/// Saves a screenshot of the current page when `NETLICENSING_SCREENSHOTS` names a directory.
async fn screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("NETLICENSING_SCREENSHOTS") else { return };
    let png = client.screenshot().await.unwrap();
    std::fs::write(PathBuf::from(dir).join(format!("console-{name}.png")), png).unwrap();
}

async fn fill(client: &Client, id: &str, value: &str) {
    let field = client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn select(client: &Client, id: &str, value: &str) {
    let field = client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Id(id)).await.unwrap();
    field.select_by_value(value).await.unwrap();
}

async fn submit(client: &Client) {
    element(client, Locator::Css("main form.stack button[type=submit]")).await.click().await.unwrap();
}

/// The element, waiting for it to appear (the page may still be loading on a busy machine).
pub async fn element(client: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    let wait = client.wait().at_most(Duration::from_secs(20));
    wait.for_element(locator).await.unwrap_or_else(|e| panic!("no element: {e}"))
}

/// The text of the element, waiting for it to appear (the page may still be loading). An element that goes
/// stale between finding and reading (the page was replaced by a navigation) is looked up again.
pub async fn text(client: &Client, css: &str) -> String {
    for _ in 0..50 {
        let wait = client.wait().at_most(Duration::from_secs(20));
        let found = wait.for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        // A page being replaced answers "stale element" or "node does not belong to the document": look again.
        match found.text().await {
            Ok(text) => return text,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("{css} kept going stale")
}

/// Waits until the browser's address has this query string (a GET form was submitted and its page loaded).
pub async fn at_query(client: &Client, needle: &str) {
    for _ in 0..200 {
        if client.current_url().await.unwrap().query().is_some_and(|query| query.contains(needle)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser is at {}, without {needle}", client.current_url().await.unwrap());
}

/// Waits until the browser shows the path (after a form post and its redirect).
pub async fn at(client: &Client, expected: &str) {
    for _ in 0..200 {
        if client.current_url().await.unwrap().path() == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser is at {}, not {expected}", client.current_url().await.unwrap());
}

#[tokio::test]
async fn the_console_in_chromium() {
    let Some((_driver, client)) = browser().await else { return };
    let server = TestServer::start(Backend::Sqlite).await;
    let base = &server.base;
    let outcome = async {
        // Signed out, every page leads to the sign-in form; a wrong password is refused.
        client.goto(&format!("{base}/console/customers")).await.unwrap();
        at(&client, "/console/sign-in").await;
        fill(&client, "login", "demo").await;
        fill(&client, "password", "wrong").await;
        submit(&client).await;
        assert!(text(&client, "#form-error").await.contains("wrong password"));
        fill(&client, "login", "demo").await;
        fill(&client, "password", "demo").await;
        screenshot(&client, "sign-in").await;
        submit(&client).await;
        at(&client, "/console").await;
        assert_eq!(text(&client, "#vendor-number").await, "VDEMO");

        // Product: core's error beside the field, then the product.
        client.goto(&format!("{base}/console/products/new")).await.unwrap();
        fill(&client, "f-number", "PBROWSER").await;
        submit(&client).await;
        assert!(text(&client, "#f-name-error").await.contains("Product name is required"));
        fill(&client, "f-name", "Browser Tool").await;
        submit(&client).await;
        at(&client, "/console/products/PBROWSER").await;

        // Module, template, customer, license.
        client.goto(&format!("{base}/console/products/PBROWSER/modules/new")).await.unwrap();
        fill(&client, "f-number", "MBROWSER").await;
        fill(&client, "f-name", "Core").await;
        select(&client, "f-licensingModel", "Subscription").await;
        submit(&client).await;
        // The module exists once its form's answer arrived (a navigation now would abort the post).
        at(&client, "/console/products/PBROWSER").await;
        client.goto(&format!("{base}/console/modules/MBROWSER/templates/new")).await.unwrap();
        fill(&client, "f-number", "EBROWSER").await;
        fill(&client, "f-name", "One year").await;
        select(&client, "f-licenseType", "TIMEVOLUME").await;
        fill(&client, "f-timeVolume", "12").await;
        select(&client, "f-timeVolumePeriod", "MONTH").await;
        fill(&client, "f-price", "99").await;
        select(&client, "f-currency", "EUR").await;
        submit(&client).await;
        at(&client, "/console/products/PBROWSER").await;
        assert!(text(&client, "main").await.contains("EBROWSER"));
        screenshot(&client, "product").await;
        client.goto(&format!("{base}/console/customers/new")).await.unwrap();
        fill(&client, "f-number", "IBROWSER").await;
        select(&client, "f-productNumber", "PBROWSER").await;
        fill(&client, "f-name", "Ada Browser").await;
        submit(&client).await;
        at(&client, "/console/customers/IBROWSER").await;
        client.goto(&format!("{base}/console/customers/IBROWSER/licenses/new")).await.unwrap();
        select(&client, "f-licenseTemplateNumber", "EBROWSER").await;
        fill(&client, "f-startDate", "now").await;
        submit(&client).await;
        at(&client, "/console/customers/IBROWSER").await;

        // Validate now (dry run): the module's answer as the API gives it, and nothing consumed.
        element(&client, Locator::Id("validate")).await.click().await.unwrap();
        let results = text(&client, "#validation").await;
        assert!(results.contains("MBROWSER") && results.contains("true"), "{results}");
        element(&client, Locator::Id("make-link")).await.click().await.unwrap();
        let link = element(&client, Locator::Id("link")).await.prop("value").await.unwrap().unwrap_or_default();
        assert!(link.starts_with(&format!("{base}/shop/")), "{link}");
        screenshot(&client, "customer").await;

        // The license page from the customer page: its button deactivates it (a real form post with the
        // session's token), the form renames it.
        let row = element(&client, Locator::Css("main table a[href^='/console/licenses/']")).await;
        let license = row.attr("href").await.unwrap().expect("a link to the license");
        row.click().await.unwrap();
        at(&client, &license).await;
        assert_eq!(text(&client, "#active").await, "yes");
        element(&client, Locator::Id("toggle-active")).await.click().await.unwrap();
        let mut shown = String::new();
        for _ in 0..200 {
            shown = text(&client, "#active").await;
            if shown.starts_with("no") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(shown.starts_with("no"), "deactivated: {shown}");
        element(&client, Locator::Css("main .actions a.button")).await.click().await.unwrap();
        at(&client, &format!("{license}/edit")).await;
        fill(&client, "f-name", "Renamed in Chromium").await;
        element(&client, Locator::Id("f-active")).await.click().await.unwrap();
        submit(&client).await;
        at(&client, &license).await;
        assert!(text(&client, "h1").await.contains("Renamed in Chromium"));
        assert_eq!(text(&client, "#active").await, "yes", "the ticked box activated it again");

        // Search finds the customer by name; an unknown number finds nobody.
        client.goto(&format!("{base}/console/customers")).await.unwrap();
        fill(&client, "q", "Ada Browser").await;
        select(&client, "by", "name").await;
        element(&client, Locator::Css("form.search button")).await.click().await.unwrap();
        at_query(&client, "by=name").await;
        assert!(text(&client, "#customers").await.contains("IBROWSER"));
        client.goto(&format!("{base}/console/customers?q=INOBODY&by=number")).await.unwrap();
        element(&client, Locator::Id("no-customers")).await;
        // The dashboard's chart: a month of validations (earlier days stored as the flusher would have).
        let store = server.db.store();
        let vendor = store.vendor_by_login("demo").await.unwrap().unwrap().id;
        let today = chrono::Utc::now().date_naive();
        let days: Vec<DayCount> = (1..30u64)
            .map(|ago| DayCount { day: today - chrono::Days::new(ago), validations: 40 + (ago * 37) % 60 })
            .collect();
        store.add_validations(vendor, &days).await.unwrap();
        let api = Api::demo(&server, Format::Json);
        assert_eq!(api.post("licensee/IBROWSER/validate", "").await.status, 200);
        client.goto(&format!("{base}/console")).await.unwrap();
        let summary = text(&client, "#chart-summary").await;
        let total: u64 = days.iter().map(|d| d.validations).sum::<u64>() + 1;
        assert!(summary.starts_with(&format!("{total} validations in the last 30 days")), "{summary}");
        screenshot(&client, "dashboard").await;

        // An API key made in the console works against the REST API, with its role.
        client.goto(&format!("{base}/console/tokens")).await.unwrap();
        element(&client, Locator::Id("new-api-key")).await.click().await.unwrap();
        at(&client, "/console/tokens/api-key").await;
        select(&client, "f-apiKeyRole", "ROLE_APIKEY_ANALYTICS").await;
        submit(&client).await;
        let key = element(&client, Locator::Id("secret")).await.prop("value").await.unwrap().unwrap_or_default();
        assert_eq!(key.len(), 36, "{key}");
        let http = reqwest::Client::new();
        let products = http
            .get(format!("{base}/core/v2/rest/product"))
            .basic_auth("apiKey", Some(&key))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(products.status(), 200);
        assert!(products.text().await.unwrap().contains("PBROWSER"));
        let write = http
            .post(format!("{base}/core/v2/rest/product"))
            .basic_auth("apiKey", Some(&key))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("number=PKEY&name=Key")
            .send()
            .await
            .unwrap();
        assert_eq!(write.status(), 403, "an ANALYTICS key reads, never writes");
        client.goto(&format!("{base}/console/tokens")).await.unwrap();
        let tokens = text(&client, "#tokens").await;
        assert!(tokens.contains(&key[..8]) && !tokens.contains(&key), "{tokens}");
        screenshot(&client, "tokens").await;

        // The keyboard reaches the skip link first.
        element(&client, Locator::Css("body")).await.send_keys("\u{e004}").await.unwrap();
        let focused = client.active_element().await.unwrap().text().await.unwrap();
        assert_eq!(focused, "Skip to content");

        // Sign out: the console is closed again.
        element(&client, Locator::Css("header form button")).await.click().await.unwrap();
        at(&client, "/console/sign-in").await;
        client.goto(&format!("{base}/console")).await.unwrap();
        at(&client, "/console/sign-in").await;
    }
    .await;
    client.close().await.ok();
    let _: () = outcome;
    let api = Api::demo(&server, Format::Json);
    let license = api.get("license?licenseeNumber=IBROWSER").await;
    assert_eq!(license.doc.items().len(), 1, "the license made in the browser exists for the API");
    server.stop().await;
}
