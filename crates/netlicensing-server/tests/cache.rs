//! Validation reads served from memory never outlive a change: every write is seen by the next validation on
//! the same server, and by another replica on the same PostgreSQL as soon as its notification arrives. And
//! they outlive every write they do not depend on: other licensees, other products, tokens, transactions.

use std::time::{Duration, Instant};

use netlicensing_model::{Document, Format};
use sea_orm::ConnectionTrait;

use crate::common::{Api, Backend, TestServer};

/// A product with a Subscription module and a Multi-Feature module, a licensee with one license of each.
async fn catalogue(api: &Api<'_>) {
    api.post("product", "number=PC&name=P").await;
    api.post("productmodule", "number=MS&productNumber=PC&name=Subscription&licensingModel=Subscription").await;
    api.post(
        "licensetemplate",
        "number=ES&productModuleNumber=MS&name=Year&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=YEAR",
    )
    .await;
    api.post("productmodule", "number=MF&productNumber=PC&name=Features&licensingModel=MultiFeature").await;
    api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=Export&licenseType=FEATURE").await;
    api.post("licensee", "number=IC&productNumber=PC").await;
    api.post("license", "number=LS&licenseeNumber=IC&licenseTemplateNumber=ES&startDate=now").await;
    api.post("license", "number=LF&licenseeNumber=IC&licenseTemplateNumber=EF").await;
}

/// `valid` of the Subscription module and of the feature, as validation answers now.
async fn state(api: &Api<'_>) -> (Option<String>, Option<String>, usize) {
    let answer = api.post("licensee/IC/validate", "productNumber=PC").await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    let items = answer.doc.items();
    let subscription = items
        .iter()
        .find(|i| i.property("productModuleNumber") == Some("MS"))
        .and_then(|i| i.property("valid"))
        .map(str::to_owned);
    let feature = items
        .iter()
        .find(|i| i.property("productModuleNumber") == Some("MF"))
        .and_then(|i| i.lists.iter().find(|l| l.name == "EF"))
        .and_then(|l| l.property("valid"))
        .map(str::to_owned);
    (subscription, feature, items.len())
}

fn t(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[tokio::test]
async fn every_change_is_seen_by_the_next_validation() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Xml);
        catalogue(&api).await;
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}");
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}: answered again, unchanged");

        api.post("license/LS", "active=false").await;
        assert_eq!(state(&api).await, (t("false"), t("true"), 2), "{backend:?}: license deactivated");
        api.post("license/LS", "active=true").await;
        api.post("license/LF", "active=false").await;
        assert_eq!(state(&api).await, (t("true"), t("false"), 2), "{backend:?}: feature deactivated");
        api.post("license", "number=LF2&licenseeNumber=IC&licenseTemplateNumber=EF").await;
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}: a new license counts");
        api.post("productmodule/MF", "active=false").await;
        assert_eq!(state(&api).await, (t("true"), None, 1), "{backend:?}: an inactive module is not reported");
        api.post("licensee/IC", "active=false").await;
        assert_eq!(state(&api).await, (t("false"), None, 1), "{backend:?}: an inactive licensee validates nothing");
        api.post("licensee/IC", "active=true").await;
        assert_eq!(api.delete("license/LS").await.status, 204);
        assert_eq!(state(&api).await, (t("false"), None, 1), "{backend:?}: a deleted license is gone");
        server.stop().await;
    }
}

/// A second licensee IB of product PC with an Export license, and a product PO with a licensee IO.
async fn neighbours(api: &Api<'_>) {
    api.post("licensee", "number=IB&productNumber=PC").await;
    api.post("license", "number=LB&licenseeNumber=IB&licenseTemplateNumber=EF").await;
    api.post("product", "number=PO&name=O").await;
    api.post("productmodule", "number=MO&productNumber=PO&name=Other&licensingModel=MultiFeature").await;
    api.post("licensetemplate", "number=EO&productModuleNumber=MO&name=Scan&licenseType=FEATURE").await;
    api.post("licensee", "number=IO&productNumber=PO").await;
    api.post("license", "number=LO&licenseeNumber=IO&licenseTemplateNumber=EO").await;
}

/// What a validation answers, in short: per module `number(name)=valid`, then per feature
/// `list=valid/featureName`.
fn summary(doc: &Document) -> String {
    let mut out = Vec::new();
    for item in doc.items() {
        let mut text = format!(
            "{}({})={}",
            item.property("productModuleNumber").unwrap_or("-"),
            item.property("productModuleName").unwrap_or("-"),
            item.property("valid").unwrap_or("-")
        );
        for list in &item.lists {
            let feature = list.property("featureName").unwrap_or("-");
            text.push_str(&format!(" {}={}/{feature}", list.name, list.property("valid").unwrap_or("-")));
        }
        out.push(text);
    }
    out.join("; ")
}

/// Validates a licensee (by number or alias) on the server at `base` as the demo vendor.
async fn validate_at(http: &reqwest::Client, base: &str, path: &str) -> String {
    let response = http
        .post(format!("{base}/core/v2/rest/licensee/{path}/validate"))
        .basic_auth("demo", Some("demo"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("productNumber=PC")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "validating {path}");
    summary(&Format::Json.decode(&response.bytes().await.unwrap()).unwrap())
}

/// Validates `path` until an answer comes from the cache (a PostgreSQL store caches only once its listener
/// connected); returns the answer.
async fn cached(http: &reqwest::Client, base: &str, path: &str, hits: impl Fn() -> u64) -> String {
    let started = Instant::now();
    loop {
        let before = hits();
        let answer = validate_at(http, base, path).await;
        if hits() > before {
            return answer;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{path}: never answered from the cache");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_cached_validation_outlives_writes_it_does_not_depend_on() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        catalogue(&api).await;
        neighbours(&api).await;
        let http = reqwest::Client::new();
        let hits = || server.cache_stats().hits;
        let a = cached(&http, &server.base, "IC", hits).await;
        assert_eq!(a, "MS(Subscription)=true; MF(Features)=- EF=true/Export", "{backend:?}");
        let writes = [
            ("a new licensee", "licensee", "number=ID&productNumber=PC"),
            ("another licensee's license", "license/LB", "active=false"),
            ("another licensee", "licensee/IB", "name=Bea"),
            ("a license for another licensee", "license", "number=LB2&licenseeNumber=IB&licenseTemplateNumber=EF"),
            ("a token", "token", "tokenType=APIKEY"),
            ("a transaction", "transaction", "status=PENDING&source=SHOP"),
            ("another product", "product/PO", "name=O2"),
            ("another product's module", "productmodule/MO", "name=Others"),
            (
                "another product's template",
                "licensetemplate",
                "number=EO2&productModuleNumber=MO&name=Print&licenseType=FEATURE",
            ),
            ("another product's licensee", "licensee/IO", "name=Oz"),
        ];
        for (what, path, form) in writes {
            let before = server.cache_stats();
            let answer = api.post(path, form).await;
            assert_eq!(answer.status, 200, "{backend:?}: {what}: {:?}", answer.doc);
            assert_eq!(validate_at(&http, &server.base, "IC").await, a, "{backend:?}: after {what}");
            assert_eq!(
                server.cache_stats().hits,
                before.hits + 1,
                "{backend:?}: IC's validation is still served from the cache after a write to {what}"
            );
        }
        assert_eq!(api.delete("license/LB2").await.status, 204);
        assert_eq!(validate_at(&http, &server.base, "IC").await, a);
        assert_eq!(
            validate_at(&http, &server.base, "IB").await,
            "MS(Subscription)=false; MF(Features)=- EF=false/Export",
            "{backend:?}: B sees its own changes"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn every_change_a_validation_depends_on_is_seen_at_once() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        catalogue(&api).await;
        neighbours(&api).await;
        let http = reqwest::Client::new();
        let hits = || server.cache_stats().hits;
        let ic = |http: &reqwest::Client| {
            let http = http.clone();
            let base = server.base.clone();
            async move { validate_at(&http, &base, "IC").await }
        };
        cached(&http, &server.base, "IC", hits).await;
        let changes = [
            ("A's license", "license/LF", "active=false", "MS(Subscription)=true; MF(Features)=- EF=false/Export"),
            ("A's licensee", "licensee/IC", "active=false", "MS(Subscription)=false; MF(Features)=- EF=false/Export"),
            (
                "A's licensee again",
                "licensee/IC",
                "active=true",
                "MS(Subscription)=true; MF(Features)=- EF=false/Export",
            ),
            (
                "A's template",
                "licensetemplate/EF",
                "name=Exporting",
                "MS(Subscription)=true; MF(Features)=- EF=false/Exporting",
            ),
            ("A's module", "productmodule/MF", "name=Feats", "MS(Subscription)=true; MF(Feats)=- EF=false/Exporting"),
            ("A's product", "product/PC", "name=Renamed", "MS(Subscription)=true; MF(Feats)=- EF=false/Exporting"),
            (
                "a new license of A",
                "license",
                "number=LF2&licenseeNumber=IC&licenseTemplateNumber=EF",
                "MS(Subscription)=true; MF(Feats)=- EF=true/Exporting",
            ),
        ];
        for (what, path, form, expected) in changes {
            let before = server.cache_stats();
            let answer = api.post(path, form).await;
            assert_eq!(answer.status, 200, "{backend:?}: {what}: {:?}", answer.doc);
            assert_eq!(ic(&http).await, expected, "{backend:?}: after a change of {what}");
            assert_eq!(server.cache_stats().misses, before.misses + 1, "{backend:?}: {what} retires the entry");
            cached(&http, &server.base, "IC", hits).await;
        }

        // The alias moves from A to B.
        api.post("licensee/IC", "aliases=%5B%22ic-alias%22%5D").await;
        let a = cached(&http, &server.base, "ic-alias", hits).await;
        assert_eq!(a, "MS(Subscription)=true; MF(Feats)=- EF=true/Exporting", "{backend:?}");
        assert_eq!(api.post("licensee/IC", "aliases=%5B%5D").await.status, 200);
        assert_eq!(api.post("licensee/IB", "aliases=%5B%22ic-alias%22%5D").await.status, 200);
        let b = "MS(Subscription)=false; MF(Feats)=- EF=true/Exporting";
        assert_eq!(validate_at(&http, &server.base, "ic-alias").await, b, "{backend:?}: the alias names B now");

        // A's licenses are transferred to B.
        assert_eq!(api.post("licensee/IC", "markedForTransfer=true").await.status, 200);
        cached(&http, &server.base, "IC", hits).await;
        let before = server.cache_stats();
        assert_eq!(api.post("licensee/IB/transfer", "sourceLicenseeNumber=IC").await.status, 204);
        let none = "MS(Subscription)=false; MF(Feats)=- EF=false/Exporting";
        assert_eq!(ic(&http).await, none, "{backend:?}: A's licenses moved away");
        assert_eq!(server.cache_stats().misses, before.misses + 1);
        server.stop().await;
    }
}

/// A new customer's first validation (auto-create) takes its product from the catalogue cached under the
/// product's number, reading nothing of the product, and still sees every change of the product at once.
#[tokio::test]
async fn first_validations_of_new_customers_follow_their_product_at_once() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        catalogue(&api).await;
        assert_eq!(api.post("product/PC", "licenseeAutoCreate=true").await.status, 200);
        let first = |n: &str, product: &str| {
            let (path, form) = (format!("licensee/{n}/validate"), format!("productNumber={product}"));
            let api = &api;
            async move { api.post(&path, &form).await }
        };
        assert_eq!(first("N1", "PC").await.status, 200, "{backend:?}: the first creates N1");
        // White box: a change made behind the server's back (straight in the database, so no change is
        // recorded) shows whether the product was read: it was not.
        let direct = |value: bool| {
            let sql = format!("UPDATE product SET licensee_auto_create = {value} WHERE number = 'PC'");
            let db = &server.db.connection;
            async move { db.execute_unprepared(&sql).await.expect("a direct update") }
        };
        direct(false).await;
        let before = server.catalogue_cache_stats();
        let answer = first("N2", "PC").await;
        assert_eq!(answer.status, 200, "{backend:?}: from the cached product: {:?}", answer.doc);
        assert_eq!(summary(&answer.doc), "MS(Subscription)=false; MF(Features)=- EF=false/Export", "{backend:?}");
        assert_eq!(server.catalogue_cache_stats().misses, before.misses, "{backend:?}");
        direct(true).await;
        assert_eq!(api.get("licensee/N2").await.status, 200, "{backend:?}: N2 was created");

        let steps = [
            ("licenseeAutoCreate=false", "N3", "PC", 404),
            ("licenseeAutoCreate=true&active=false", "N4", "PC", 404),
            ("active=true", "N5", "PC", 200),
            ("number=PD", "N6", "PC", 404),
        ];
        for (change, number, product, status) in steps {
            assert_eq!(api.post("product/PC", change).await.status, 200, "{backend:?}: {change}");
            let answer = first(number, product).await;
            assert_eq!(answer.status, status, "{backend:?}: after {change}: {:?}", answer.doc);
            let exists = api.get(&format!("licensee/{number}")).await.status;
            assert_eq!(exists == 200, status == 200, "{backend:?}: {number} created only when allowed");
        }
        assert_eq!(first("N7", "PD").await.status, 200, "{backend:?}: the renamed product creates licensees");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_change_on_one_replica_reaches_the_others_validation() {
    if !Backend::available().contains(&Backend::Postgres) {
        eprintln!("DATABASE_URL names no PostgreSQL database: the replica test needs one");
        return;
    }
    let mut server = TestServer::start(Backend::Postgres).await;
    let replica = server.replica().await;
    let api = Api::demo(&server, Format::Json);
    catalogue(&api).await;
    neighbours(&api).await;
    let http = reqwest::Client::new();
    let replica_hits = || server.replica_cache_stats(0).unwrap().hits;
    // The replica's listener connects in the background; until then it reads everything from the database.
    let a = cached(&http, &replica, "IC", replica_hits).await;
    assert_eq!(a, "MS(Subscription)=true; MF(Features)=- EF=true/Export");

    // Changes of another licensee and of another product reach the replica, and leave A's entry alone.
    cached(&http, &replica, "IB", replica_hits).await;
    cached(&http, &replica, "IO", replica_hits).await;
    api.post("license/LB", "active=false").await;
    api.post("productmodule/MO", "name=Others").await;
    let changed = Instant::now();
    while validate_at(&http, &replica, "IB").await != "MS(Subscription)=false; MF(Features)=- EF=false/Export"
        || validate_at(&http, &replica, "IO").await != "MO(Others)=- EO=true/Scan"
    {
        assert!(changed.elapsed() < Duration::from_secs(5), "the replica still answers from stale data");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before = replica_hits();
    assert_eq!(validate_at(&http, &replica, "IC").await, a);
    assert_eq!(replica_hits(), before + 1, "A's validation stays cached on the replica");

    api.post("license/LS", "active=false").await;
    let changed = Instant::now();
    while validate_at(&http, &replica, "IC").await != "MS(Subscription)=false; MF(Features)=- EF=true/Export" {
        assert!(changed.elapsed() < Duration::from_secs(5), "the replica still answers from stale data");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    eprintln!("the replica saw the change after {:?}", changed.elapsed());
    api.post("licensetemplate/EF", "name=Exporting").await;
    let changed = Instant::now();
    while validate_at(&http, &replica, "IC").await != "MS(Subscription)=false; MF(Features)=- EF=true/Exporting" {
        assert!(changed.elapsed() < Duration::from_secs(5), "the replica still answers from a stale catalogue");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn the_server_reports_its_cache_when_it_stops() {
    let file = std::env::temp_dir().join(format!("netlicensing-cache-report-{}.db", std::process::id()));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_netlicensing-server"))
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .args(["--database-url", &format!("sqlite://{}?mode=rwc", file.display())])
        .env("NETLICENSING_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let customer = netlicensing_core::service::DEMO_CUSTOMER;
    let started = Instant::now();
    let validate = || {
        http.post(format!("{base}/core/v2/rest/licensee/{customer}/validate"))
            .basic_auth("demo", Some("demo"))
            .header("Accept", "application/json")
            .send()
    };
    while !validate().await.is_ok_and(|r| r.status().is_success()) {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for _ in 0..3 {
        assert!(validate().await.unwrap().status().is_success());
    }
    let stopped = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    let output = child.wait_with_output().unwrap();
    // Every connection closed at the stop (the writes' own one too): the last folded the WAL into the file.
    let wal_left = std::path::Path::new(&format!("{}-wal", file.display())).exists();
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", file.display())).ok();
    }
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(!wal_left, "a clean stop leaves no WAL beside the database:\n{log}");
    let line = log.lines().find(|l| l.contains("validation cache: ")).unwrap_or_else(|| panic!("no report in {log}"));
    let report = line.split("validation cache: ").nth(1).unwrap();
    let numbers: Vec<u64> = report.split([' ', ',']).filter_map(|w| w.parse().ok()).collect();
    assert!(report.ends_with(" misses") && report.contains(" hits, "), "{line}");
    assert_eq!(numbers.len(), 2, "{line}");
    assert!(numbers[0] >= 1 && numbers[0] + numbers[1] >= 4, "{line}");
    assert!(line.contains("INFO"), "{line}");
}
