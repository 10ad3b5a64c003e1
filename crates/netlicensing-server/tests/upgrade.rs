//! Upgrades keep every vendor's data: a database filled through the API, then migrated (or reopened), serves
//! exactly the same full API dump as before.
//!
//! `fixtures/upgrade/<migration>/` holds a database filled at that migration (`sqlite.db`, and `postgres.sql`
//! from `pg_dump`) with their API dumps (`dump.sqlite.json`, `dump.postgres.json`). The upgrade test loads each, applies every later migration,
//! and compares the dump; so each new migration is proven against the data of every schema before it. Make
//! the fixture of a new schema with `cargo test -p netlicensing-server --test integration -- --ignored
//! make_upgrade_fixture` (needs `pg_dump` and `DATABASE_URL` for the PostgreSQL half).

use std::path::{Path, PathBuf};

use netlicensing_model::Format;
use netlicensing_server::testing::TestDb;
use sea_orm::ConnectionTrait;
use sea_orm_migration::MigratorTrait;

use crate::common::{Api, Backend, TestServer};

/// Every list the API has, for the dump.
const LISTS: &[&str] = &[
    "product",
    "productmodule",
    "licensetemplate",
    "licensee",
    "license",
    "bundle",
    "transaction",
    "token",
    "notification",
    "paymentmethod",
];

/// Fills a vendor's account with every kind of data the store keeps.
pub(crate) async fn fill(api: &Api<'_>) {
    let ok = |status: u16, what: &str| assert!(status == 200 || status == 204, "{what}: {status}");
    for (path, form) in [
        (
            "product",
            "number=PU&name=Upgrade&licenseeAutoCreate=true&vatMode=GROSS&crm=p1&discount=100;EUR;10&discount=200;EUR;5%25",
        ),
        ("productmodule", "number=MF&productNumber=PU&name=Seats&licensingModel=Floating&maxCheckoutValidity=3600"),
        ("productmodule", "number=MP&productNumber=PU&name=Credits&licensingModel=PayPerUse"),
        ("productmodule", "number=MN&productNumber=PU&name=Nodes&licensingModel=NodeLocked&nodeSecretMode=CLIENT"),
        ("productmodule", "number=MS&productNumber=PU&name=Sub&licensingModel=Subscription&tier=gold"),
        (
            "licensetemplate",
            "number=EF&productModuleNumber=MF&name=Seats&licenseType=FLOATING&maxSessions=5&price=9.90&currency=EUR",
        ),
        ("licensetemplate", "number=EP&productModuleNumber=MP&name=Pack&licenseType=QUANTITY&quantity=50"),
        ("licensetemplate", "number=EN&productModuleNumber=MN&name=Nodes&licenseType=QUANTITY&quota=2"),
        (
            "licensetemplate",
            "number=ES&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&automatic=true",
        ),
        ("licensee", "number=IU&productNumber=PU&name=Customer&aliases=%5B%22u%40example.com%22%2C%22u2%22%5D&crm=c1"),
        ("licensee", "number=IV&productNumber=PU&markedForTransfer=true"),
        ("license", "number=LF&licenseeNumber=IU&licenseTemplateNumber=EF&crm=l1"),
        ("license", "number=LP&licenseeNumber=IU&licenseTemplateNumber=EP"),
        ("license", "number=LN&licenseeNumber=IU&licenseTemplateNumber=EN"),
        ("license", "number=LS&licenseeNumber=IV&licenseTemplateNumber=ES&startDate=2026-01-01T00:00:00.000Z"),
        ("bundle", "number=BU&name=Bundle&price=19.99&currency=EUR&licenseTemplateNumbers=EF,EP"),
        (
            "notification",
            "number=NU&name=Hook&protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fhook&events=LICENSEE_CREATED,LICENSE_CREATED",
        ),
        ("transaction", "number=TU&status=CLOSED&source=SHOP&grandTotal=19.99&currency=EUR&licenseeNumber=IU"),
        ("token", "tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_LICENSEE"),
    ] {
        let answer = api.post(path, form).await;
        ok(answer.status, &format!("{path} {form}: {:?}", answer.doc));
    }
    // Validation state: a floating session, consumed credits, a bound node, an auto-created licensee.
    let state = "productModuleNumber0=MF&sessionId0=s1&action0=checkOut&productModuleNumber1=MP&usedQuantity1=7\
                 &productModuleNumber2=MN&nodeSecret2=node-a";
    ok(api.post("licensee/IU/validate", state).await.status, "validate with state");
    ok(api.post("licensee/IW/validate", "productNumber=PU").await.status, "auto-create");
    ok(api.post("bundle/BU/obtain", "licenseeNumber=IV").await.status, "obtain");
}

/// The full API dump of the vendor: every list, in JSON.
pub(crate) async fn dump(api: &Api<'_>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for list in LISTS {
        let answer = api.get(&format!("{list}?filter=items%3D1000")).await;
        assert_eq!(answer.status, 200, "{list}: {:?}", answer.doc);
        let mut doc = answer.doc;
        doc.ttl = None;
        let text = Format::Json.encode(&doc);
        out.insert((*list).to_owned(), serde_json::from_str(&text).expect("JSON"));
    }
    serde_json::Value::Object(out)
}

/// The customers per warning level the dump's summaries give (RED, YELLOW, GREEN).
fn levels_of(dumped: &serde_json::Value) -> [u64; 3] {
    use netlicensing_model::{
        entity::WarningLevelSummary,
        types::{WarningLevel, WireValue},
    };
    let mut out = [0; 3];
    let items = dumped["licensee"]["items"]["item"].as_array().cloned().unwrap_or_default();
    for item in items {
        let properties = item["property"].as_array().cloned().unwrap_or_default();
        let summary = properties.iter().find(|p| p["name"] == "warningLevelSummary");
        let level = summary.and_then(|p| WarningLevelSummary::parse_wire(p["value"].as_str()?)).and_then(|s| s.worst());
        match level {
            Some(WarningLevel::Red) => out[0] += 1,
            Some(WarningLevel::Yellow) => out[1] += 1,
            Some(WarningLevel::Green) => out[2] += 1,
            None => {}
        }
    }
    out
}

/// The customers per warning level the store counts for the dashboard (the column the upgrade fills).
async fn counted_levels(db: &TestDb) -> [u64; 3] {
    let mut out = [0; 3];
    let sql =
        "SELECT warning_level, COUNT(*) AS n FROM licensee WHERE warning_level IS NOT NULL GROUP BY warning_level";
    let statement = sea_orm::Statement::from_string(db.connection.get_database_backend(), sql);
    for row in db.connection.query_all_raw(statement).await.expect("counted") {
        let level: String = row.try_get_by("warning_level").expect("level");
        let n: i64 = row.try_get_by("n").expect("count");
        let slot = ["RED", "YELLOW", "GREEN"].iter().position(|l| *l == level).expect("a level");
        out[slot] = n as u64;
    }
    out
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// Filled, dumped, restarted (migrations run again), dumped: nothing changes.
#[tokio::test]
async fn a_restart_keeps_every_row() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        fill(&Api::demo(&server, Format::Json)).await;
        let before = dump(&Api::demo(&server, Format::Json)).await;
        let server = server.restart().await;
        let after = dump(&Api::demo(&server, Format::Json)).await;
        assert_eq!(before, after, "{backend:?}");
        server.stop().await;
    }
}

/// The migrations a fixture directory was made at: its name is the last migration it had.
fn applied_at(name: &str) -> usize {
    let all = netlicensing_server::db::migration::Migrator::migrations();
    all.iter().position(|m| m.name() == name).map(|i| i + 1).unwrap_or_else(|| panic!("no migration {name}"))
}

/// Loads a PostgreSQL fixture (`pg_dump --inserts` of its schema, the schema named `__SCHEMA__`).
async fn load_postgres(db: &TestDb, sql: &str) {
    let schema = db.schema.as_deref().expect("a PostgreSQL schema");
    let text = sql.replace("__SCHEMA__", schema);
    db.connection.execute_unprepared(&text).await.expect("fixture loads");
}

/// Every fixture, made at an older (or the current) schema, upgrades to the current schema and serves the dump
/// it was made with.
#[tokio::test]
async fn every_older_database_upgrades_with_its_data() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let dir = entry.expect("entry").path();
        let name = dir.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
        let _ = applied_at(&name);
        let expected = |engine: &str| -> serde_json::Value {
            let file = dir.join(format!("dump.{engine}.json"));
            serde_json::from_slice(&std::fs::read(&file).expect("dump file")).expect("JSON")
        };
        for backend in Backend::available() {
            let db = TestDb::empty(backend).await;
            match backend {
                Backend::Sqlite => {
                    db.connection.close_by_ref().await.ok();
                    let path = db.sqlite_file().expect("a SQLite file").to_owned();
                    std::fs::copy(dir.join("sqlite.db"), &path).expect("fixture copied");
                    let server = TestServer::over(db.reopen().await).await;
                    assert_eq!(dump(&Api::demo(&server, Format::Json)).await, expected("sqlite"), "{name} on SQLite");
                    let levels = counted_levels(&server.db).await;
                    assert_eq!(levels, levels_of(&expected("sqlite")), "{name}: warning levels filled in");
                    server.stop().await;
                }
                Backend::Postgres => {
                    load_postgres(&db, &std::fs::read_to_string(dir.join("postgres.sql")).expect("sql")).await;
                    let server = TestServer::over(db).await;
                    let dumped = dump(&Api::demo(&server, Format::Json)).await;
                    assert_eq!(dumped, expected("postgres"), "{name} on PostgreSQL");
                    let levels = counted_levels(&server.db).await;
                    assert_eq!(levels, levels_of(&expected("postgres")), "{name}: warning levels filled in");
                    server.stop().await;
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no upgrade fixture found");
}

/// Makes the fixture of the current schema (run by hand when a migration is added; see the module doc).
#[tokio::test]
#[ignore]
async fn make_upgrade_fixture() {
    let last = netlicensing_server::db::migration::Migrator::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .expect("a migration");
    let dir = fixtures().join(&last);
    std::fs::create_dir_all(&dir).expect("fixture directory");
    let server = TestServer::start(Backend::Sqlite).await;
    fill(&Api::demo(&server, Format::Json)).await;
    let dumped = dump(&Api::demo(&server, Format::Json)).await;
    std::fs::write(dir.join("dump.sqlite.json"), serde_json::to_vec_pretty(&dumped).expect("JSON")).expect("written");
    let target = dir.join("sqlite.db");
    std::fs::remove_file(&target).ok();
    let vacuum = format!("VACUUM INTO '{}'", target.display());
    server.db.connection.execute_unprepared(&vacuum).await.expect("database copied");
    server.stop().await;
    if let Some(url) = netlicensing_server::testing::postgres_url() {
        // The same data on PostgreSQL: the rows' ids must match, so it is filled the same way.
        let server = TestServer::start(Backend::Postgres).await;
        fill(&Api::demo(&server, Format::Json)).await;
        let dumped = dump(&Api::demo(&server, Format::Json)).await;
        std::fs::write(dir.join("dump.postgres.json"), serde_json::to_vec_pretty(&dumped).expect("JSON"))
            .expect("dump");
        let schema = server.db.schema.clone().expect("schema");
        let output = std::process::Command::new("pg_dump")
            .args(["--inserts", "--no-owner", "--no-privileges", "--schema", &schema, &url])
            .output()
            .expect("pg_dump runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('\\') && !l.starts_with("SET ") && !l.contains("set_config('search_path'"))
            .filter(|l| !l.starts_with("CREATE SCHEMA") && !l.starts_with("--"))
            .collect();
        std::fs::write(dir.join("postgres.sql"), kept.join("\n").replace(&schema, "__SCHEMA__")).expect("written");
        server.stop().await;
    }
}
