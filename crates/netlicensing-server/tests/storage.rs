//! The core's storage conformance suite on the real schema: SQLite always, PostgreSQL when `DATABASE_URL` is set.

use std::sync::Arc;

use netlicensing_core::testing;
use netlicensing_server::testing::{Backend, TestDb};

async fn suite(backend: Backend) {
    let db = TestDb::new(backend).await;
    testing::run_all(&testing::core_over(Arc::new(db.store()))).await;
    db.drop_all().await;
}

#[tokio::test]
async fn sqlite_passes_the_storage_suite() {
    suite(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_passes_the_storage_suite() {
    if Backend::available().contains(&Backend::Postgres) {
        suite(Backend::Postgres).await;
    } else {
        eprintln!("DATABASE_URL names no PostgreSQL database: PostgreSQL storage suite not run");
    }
}

/// Custom properties, aliases and validation state go with their entity, also when a cascade deletes it.
#[tokio::test]
async fn side_rows_go_with_their_entity() {
    use netlicensing_model::Format;
    use sea_orm::{ConnectionTrait, Statement};

    use crate::common::{Api, TestServer};

    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PX&name=P&crm=1").await;
        api.post("productmodule", "number=MX&productNumber=PX&name=M&licensingModel=Floating&tier=a").await;
        api.post("licensetemplate", "number=EX&productModuleNumber=MX&name=E&licenseType=FLOATING&maxSessions=2&c=1")
            .await;
        api.post("licensee", "number=IX&productNumber=PX&aliases=%5B%22x%40example.com%22%5D&crm=2").await;
        api.post("license", "number=LX&licenseeNumber=IX&licenseTemplateNumber=EX&crm=3").await;
        let out = api.post("licensee/IX/validate", "productModuleNumber0=MX&sessionId0=s1&action0=checkOut").await;
        assert_eq!(out.status, 200);
        let count = |table: &'static str| {
            let db = &server.db.connection;
            async move {
                let stmt =
                    Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}"));
                let row = db.query_one_raw(stmt).await.unwrap().unwrap();
                row.try_get_by::<i64, _>("n").unwrap()
            }
        };
        assert_eq!(count("attribute").await, 5, "{backend:?}");
        assert_eq!(count("license_session").await, 1, "{backend:?}");
        assert_eq!(count("licensee_alias").await, 1, "{backend:?}");
        let deleted = api.delete("product/PX?forceCascade=true").await;
        assert_eq!(deleted.status, 204, "{backend:?}");
        for table in ["attribute", "license_session", "licensee_alias", "license", "licensee"] {
            assert_eq!(count(table).await, 0, "{backend:?}: {table} emptied by the cascade");
        }
        server.stop().await;
    }
}

/// SQLite's plan of a statement (`EXPLAIN QUERY PLAN`), one step per line.
async fn sqlite_plan(connection: &impl sea_orm::ConnectionTrait, sql: &str) -> String {
    let explain =
        sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Sqlite, format!("EXPLAIN QUERY PLAN {sql}"));
    let rows = connection.query_all_raw(explain).await.unwrap();
    let plan: Vec<String> = rows.iter().map(|r| r.try_get_by::<String, _>("detail").unwrap()).collect();
    plan.join("\n")
}

/// PostgreSQL's plan of validation's statement for a vendor and key (`EXPLAIN`, index probes priced high), one
/// step per line.
async fn postgres_validation_plan(
    connection: &sea_orm::DatabaseConnection,
    vendor: netlicensing_core::VendorId,
    key: &str,
) -> String {
    use netlicensing_server::db::licensing;
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let (sql, stand_ins) = licensing::template(sea_orm::DatabaseBackend::Postgres);
    let values = licensing::values(stand_ins, vendor, key);
    let explain =
        sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, format!("EXPLAIN {sql}"), values);
    let tx = connection.begin().await.unwrap();
    // Index probes priced far above scans: what PostgreSQL's own costs come to for some sizes of a table.
    tx.execute_unprepared("SET LOCAL random_page_cost = 1000").await.unwrap();
    let rows = tx.query_all_raw(explain).await.unwrap();
    tx.rollback().await.unwrap();
    let plan: Vec<String> = rows.iter().map(|r| r.try_get_by::<String, _>("QUERY PLAN").unwrap()).collect();
    plan.join("\n")
}

/// The lookups validation makes use their indexes: a licensee's licenses by (vendor, licensee), never a scan of
/// the vendor's licenses.
#[tokio::test]
async fn a_licensees_licenses_are_read_through_their_index() {
    use netlicensing_core::{
        VendorId,
        record::{Condition, Kind, LinkKind},
    };
    use netlicensing_server::db::select;
    use sea_orm::sea_query::SqliteQueryBuilder;

    let db = TestDb::new(Backend::Sqlite).await;
    let mut q = select::records(Kind::License, VendorId(1));
    select::filter(&mut q, Kind::License, VendorId(1), &[Condition::Link(LinkKind::Licensee, "I1".into())]);
    let plan = sqlite_plan(&db.connection, &q.to_string(SqliteQueryBuilder)).await;
    assert!(plan.contains("ix_license_licensee_id"), "{plan}");
    assert!(!plan.contains("SCAN t"), "{plan}");
    db.drop_all().await;
}

/// Validation's read finds a licensee's custom properties and aliases, and its licenses' sessions, node secrets
/// and custom properties, through their owners, never through the vendor's index of a side table: planned on a
/// database without statistics (as every table is that was empty when last analysed), where the vendor's
/// index would read every session or custom property of the vendor on each validation.
#[tokio::test]
async fn validations_side_tables_are_read_by_their_owners() {
    use netlicensing_core::{VendorId, record::Kind};
    use netlicensing_server::db::{licensing, rows};
    use sea_orm::DatabaseBackend;

    // Reopened: a connection of the pool that read the schema while the migrations ran would explain plans on
    // the tables as they were (only the execution of a statement checks that the schema is current).
    let db = TestDb::new(Backend::Sqlite).await.reopen().await;
    let (statement, _) = licensing::template(DatabaseBackend::Sqlite);
    let batch = |kind| rows::side(kind, VendorId(1), rows::Owners::Ids(&[1, 2, 3]));
    for (what, sql) in [
        ("validation's statement", statement.clone()),
        ("a batch of licensees", batch(Kind::Licensee).to_string(sea_orm::sea_query::SqliteQueryBuilder)),
        ("a batch of licenses", batch(Kind::License).to_string(sea_orm::sea_query::SqliteQueryBuilder)),
    ] {
        let plan = sqlite_plan(&db.connection, &sql).await;
        for vendors_index in ["ix_license_session_vendor_expires", "ix_attribute_vendor_kind_name_value"] {
            assert!(!plan.contains(vendors_index), "{what}: {plan}");
        }
        // `SCAN r` reads the rows a part found (a co-routine), no table.
        assert!(plan.lines().all(|step| !step.starts_with("SCAN") || step == "SCAN r"), "{what}: {plan}");
        // Custom properties from the table itself, stored in its key's order (a table without rowid): one
        // descent per owner, not the key's index and then the table.
        assert!(plan.contains("USING PRIMARY KEY (kind=? AND entity_id=?)"), "{what}: {plan}");
        assert!(!plan.contains("sqlite_autoindex_attribute_1") && !plan.contains("(kind=?)"), "{what}: {plan}");
        let sessions = plan.contains("sqlite_autoindex_license_session_1 (license_id=?)");
        let nodes = plan.contains("sqlite_autoindex_license_node_1 (license_id=?)");
        let aliases = plan.contains("ix_licensee_alias_licensee (licensee_id=?)");
        match what {
            "a batch of licensees" => assert!(aliases && !sessions, "{what}: {plan}"),
            "a batch of licenses" => assert!(sessions && nodes && !aliases, "{what}: {plan}"),
            _ => {
                assert!(sessions && nodes && aliases, "{what}: {plan}");
                // An `IN (SELECT ...)` is a temporary index built on every run.
                assert!(!plan.contains("LIST SUBQUERY"), "{what}: {plan}");
            }
        }
    }
    db.drop_all().await;
}

/// The console's figures and lists are read from their indexes alone: customers per warning level, the
/// floating sessions checked out, a page of customers by name, the newest transactions, a customer's
/// transactions (counted and paged newest first); never a scan and sort of the vendor's rows.
#[tokio::test]
async fn dashboard_figures_are_read_from_their_indexes() {
    use netlicensing_core::{
        VendorId,
        record::{Condition, Kind, Order},
    };
    use netlicensing_server::db::select;
    use netlicensing_server::db::statistics;
    use sea_orm::{ConnectionTrait, TransactionTrait, sea_query::SqliteQueryBuilder};

    let db = TestDb::new(Backend::Sqlite).await;
    // Transactions of many customers, with the planner's statistics of them (as a server keeps them), so the
    // choice between the transaction indexes is the one a filled database sees.
    // One connection for the statistics and the plans: SQLite loads what ANALYZE gathered into the connection
    // that ran it; another connection of the pool opened before keeps its plans until it reloads its schema.
    let conn = db.connection.begin().await.unwrap();
    conn.execute_unprepared(
        "INSERT INTO vendor (number, login, password_hash, created_at, updated_at) \
             VALUES ('V1', 'v1', '-', '2026-01-01', '2026-01-01'); \
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) \
             INSERT INTO \"transaction\" (vendor_id, number, active, licensee_number, created_at, updated_at) \
             SELECT 1, 'T' || i, 1, 'I' || (i % 500), '2026-01-01', '2026-01-01' FROM n; \
             ANALYZE;",
    )
    .await
    .unwrap();
    let now = chrono::Utc::now();
    let of_customer = [Condition::Property("licenseeNumber".into(), "I1".into())];
    for (query, index) in [
        (statistics::levels_query(VendorId(1)), "COVERING INDEX ix_licensee_vendor_warning_level"),
        (statistics::sessions_query(VendorId(1), now), "COVERING INDEX ix_license_session_vendor_expires"),
        (select::page_ids(Kind::Licensee, VendorId(1), &[], Order::Name, 25, 50), "INDEX ix_licensee_vendor_name"),
        (select::page_ids(Kind::Transaction, VendorId(1), &[], Order::Newest, 25, 0), "INDEX ix_transaction_vendor_id"),
        (select::count(Kind::Transaction, VendorId(1), &of_customer), "INDEX ix_transaction_vendor_licensee_number"),
        (
            select::page_ids(Kind::Transaction, VendorId(1), &of_customer, Order::Newest, 25, 0),
            "INDEX ix_transaction_vendor_licensee_number",
        ),
    ] {
        let sql = query.to_string(SqliteQueryBuilder);
        let plan = sqlite_plan(&conn, &sql).await;
        assert!(plan.contains(index), "{sql}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "grouped in index order: {plan}");
    }
    conn.commit().await.unwrap();
    db.drop_all().await;
}

/// A license's sessions are written as their difference and in batches: thousands of sessions (more than one
/// statement may bind on SQLite) are stored, and then expire, in one update each.
/// A server whose demo vendor has floating license `LF` of licensee `IX` (product `PX`), with its store and
/// the vendor's id.
async fn floating_license(
    backend: Backend,
) -> (crate::common::TestServer, netlicensing_server::db::store::SqlStore, netlicensing_core::VendorId) {
    use netlicensing_core::repo::Store;
    use netlicensing_model::Format;

    use crate::common::{Api, TestServer};

    let server = TestServer::start(backend).await;
    let api = Api::demo(&server, Format::Json);
    api.post("product", "number=PX&name=P").await;
    api.post("productmodule", "number=MF&productNumber=PX&name=F&licensingModel=Floating").await;
    api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=F&licenseType=FLOATING&maxSessions=9").await;
    api.post("licensee", "number=IX&productNumber=PX").await;
    api.post("license", "number=LF&licenseeNumber=IX&licenseTemplateNumber=EF").await;
    let store = server.db.store();
    let vendor = store.vendor_by_login("demo").await.unwrap().unwrap().id;
    (server, store, vendor)
}

#[tokio::test]
async fn thousands_of_sessions_are_written_in_batches() {
    use netlicensing_core::{model::Property, record::Kind, repo::Store};

    for backend in Backend::available() {
        let (server, store, vendor) = floating_license(backend).await;
        let sessions = |license: &netlicensing_core::record::Record| {
            license.properties.iter().filter(|p| p.name.starts_with("sessionId_")).count()
        };
        for (keep, total) in [(0, 9000), (500, 500)] {
            let mut tx = store.write().await.unwrap();
            let mut license = tx.get(vendor, Kind::License, "LF").await.unwrap().unwrap();
            if keep == 0 {
                license
                    .properties
                    .extend((0..total).map(|i| Property::new(format!("sessionId_s{i}"), "2030-01-01T00:00:00.000Z")));
            } else {
                let mut seen = 0;
                license.properties.retain(|p| {
                    !p.name.starts_with("sessionId_")
                        || (seen < keep && {
                            seen += 1;
                            true
                        })
                });
            }
            tx.update(vendor, Kind::License, &license).await.unwrap();
            tx.commit().await.unwrap();
            let licenses = store.licensing(vendor, "IX").await.unwrap().unwrap().licenses;
            assert_eq!(sessions(&licenses[0]), total, "{backend:?}");
            if backend == Backend::Postgres {
                let plan = postgres_validation_plan(&server.db.connection, vendor, "IX").await;
                // Each license's sessions are found through the license, whatever the planner's costs say (here
                // made to favour scans): never a scan of the whole table hashed against the licenses, which read
                // every session of every vendor on each validation that missed the cache.
                let hashed = plan.lines().any(|step| step.contains("Hash Cond") && step.contains("license_id"));
                assert!(!hashed, "{total} sessions: {plan}");
                assert!(plan.contains("(license_id = o.id)"), "{total} sessions: {plan}");
            }
        }
        server.stop().await;
    }
}

/// An update that changes only what a license keeps beside its row (a floating check-out adds a session)
/// leaves the row alone: one statement fewer per check-out, and `updated_at` tells when the row last changed.
#[tokio::test]
async fn a_session_change_leaves_the_licenses_row_alone() {
    use netlicensing_core::{model::Property, record::Kind, repo::Store};
    use sea_orm::{ConnectionTrait, Statement};

    for backend in Backend::available() {
        let (server, store, vendor) = floating_license(backend).await;
        let db = &server.db.connection;
        let updated = || async {
            let sql = "SELECT CAST(updated_at AS TEXT) AS u FROM license WHERE number = 'LF'";
            let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
            row.unwrap().try_get::<String>("", "u").unwrap()
        };
        let write = |change: fn(&mut netlicensing_core::record::Record)| {
            let store = &store;
            async move {
                let mut tx = store.write().await.unwrap();
                let mut license = tx.get(vendor, Kind::License, "LF").await.unwrap().unwrap();
                change(&mut license);
                tx.update(vendor, Kind::License, &license).await.unwrap();
                tx.commit().await.unwrap();
            }
        };
        let created = updated().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        write(|l| l.properties.push(Property::new("sessionId_s1", "2030-01-01T00:00:00.000Z"))).await;
        assert_eq!(updated().await, created, "{backend:?}: a new session leaves the row");
        let licenses = store.licensing(vendor, "IX").await.unwrap().unwrap().licenses;
        assert!(licenses[0].properties.iter().any(|p| p.name == "sessionId_s1"), "{backend:?}: the session is kept");
        write(|l| l.active = false).await;
        assert_ne!(updated().await, created, "{backend:?}: a changed column rewrites the row");
        let licenses = store.licensing(vendor, "IX").await.unwrap().unwrap().licenses;
        assert!(!licenses[0].active, "{backend:?}");
        server.stop().await;
    }
}

/// Product `PX` with a floating module `MF` (template `EF`, 3 sessions) and a node-locked one `MN` (`EN`).
async fn floating_and_node_locked(api: &crate::common::Api<'_>) {
    api.post("product", "number=PX&name=P").await;
    api.post("productmodule", "number=MF&productNumber=PX&name=F&licensingModel=Floating").await;
    api.post("productmodule", "number=MN&productNumber=PX&name=N&licensingModel=NodeLocked").await;
    api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=F&licenseType=FLOATING&maxSessions=3").await;
    api.post("licensetemplate", "number=EN&productModuleNumber=MN&name=N&licenseType=QUANTITY&quota=2").await;
}

/// Validation's one-statement read gives what the transactional reads give: the licensee (by number before
/// alias) with its aliases and custom properties, its licenses with sessions, node secrets and custom properties.
#[tokio::test]
async fn validations_one_statement_read_equals_the_transactional_read() {
    use netlicensing_core::{
        record::{Condition, Kind, LinkKind, Query},
        repo::Store,
    };
    use netlicensing_model::Format;

    use crate::common::{Api, TestServer};

    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        floating_and_node_locked(&api).await;
        let aliases = "aliases=%5B%22b%40example.com%22%2C%22a%40example.com%22%5D";
        api.post("licensee", &format!("number=IX&productNumber=PX&{aliases}&crm=2&zone=eu")).await;
        api.post("licensee", "number=IY&productNumber=PX&aliases=%5B%22IZ%22%5D").await;
        api.post("license", "number=LF&licenseeNumber=IX&licenseTemplateNumber=EF&crm=3&price=10.5").await;
        api.post("license", "number=LN&licenseeNumber=IX&licenseTemplateNumber=EN&nodeSecret1=b&nodeSecret0=a").await;
        api.post("license", "number=LO&licenseeNumber=IY&licenseTemplateNumber=EF").await;
        for session in ["s2", "s1"] {
            let out = api
                .post("licensee/IX/validate", &format!("productModuleNumber0=MF&sessionId0={session}&action0=checkOut"))
                .await;
            assert_eq!(out.status, 200, "{backend:?}");
        }
        let store = server.db.store();
        let vendor = store.vendor_by_login("demo").await.unwrap().unwrap().id;
        for (key, number) in [("IX", "IX"), ("a@example.com", "IX"), ("IZ", "IY")] {
            let found = store.licensing(vendor, key).await.unwrap().unwrap();
            let (licensee, licenses) = (found.licensee, found.licenses);
            let mut tx = store.read().await.unwrap();
            let expected = tx.get(vendor, Kind::Licensee, number).await.unwrap().unwrap();
            let mine = Query::all(vec![Condition::Link(LinkKind::Licensee, number.into())]);
            let expected_licenses = tx.list(vendor, Kind::License, &mine).await.unwrap().records;
            assert_eq!(licensee, expected, "{backend:?} {key}");
            assert_eq!(licenses, expected_licenses, "{backend:?} {key}");
            assert!(!licenses.is_empty());
            // The same read inside a write transaction (validation's consumption re-reads so).
            let mut tx = store.write().await.unwrap();
            let again = tx.licensing(vendor, key).await.unwrap().unwrap();
            assert_eq!(again.revision, found.revision, "{backend:?} {key}: one revision for one state");
            let (licensee, licenses) = (again.licensee, again.licenses);
            assert_eq!((licensee, licenses), (expected, expected_licenses), "{backend:?} {key} in a transaction");
        }
        let licenses = store.licensing(vendor, "IX").await.unwrap().unwrap().licenses;
        let names = |number: &str| -> Vec<String> {
            let license = licenses.iter().find(|l| l.number == number).unwrap();
            license.properties.iter().map(|p| p.name.clone()).collect()
        };
        assert!(names("LN").contains(&"nodeSecret0".to_owned()) && names("LN").contains(&"nodeSecret1".to_owned()));
        assert_eq!(names("LF").iter().filter(|n| n.starts_with("sessionId_")).count(), 2, "{backend:?}");
        assert!(store.licensing(vendor, "NOPE").await.unwrap().is_none());
        assert!(store.licensing(netlicensing_core::VendorId(vendor.0 + 1000), "IX").await.unwrap().is_none());
        server.stop().await;
    }
}

/// The webhook worker's poll of an empty outbox only reads: it answers at once while another connection holds
/// SQLite's write lock (a validation writing), where a claim by `UPDATE` would wait for the lock.
#[tokio::test]
async fn an_idle_outbox_poll_takes_no_write_lock() {
    use netlicensing_server::db::outbox;
    use sea_orm::{ConnectionTrait, TransactionTrait};

    let db = TestDb::new(Backend::Sqlite).await;
    let writer = db.connection.begin().await.unwrap();
    writer
        .execute_unprepared(
            "INSERT INTO vendor (number, login, password_hash, created_at, updated_at) \
             VALUES ('V1', 'v1', '-', '2026-01-01', '2026-01-01')",
        )
        .await
        .unwrap();
    let lease = std::time::Duration::from_secs(60);
    let poll = outbox::claim(&db.connection, chrono::Utc::now(), lease, 10);
    let claimed = tokio::time::timeout(std::time::Duration::from_secs(2), poll).await;
    assert!(matches!(claimed, Ok(Ok(ref events)) if events.is_empty()), "{claimed:?}");
    writer.rollback().await.unwrap();
    db.drop_all().await;
}

/// While autovacuum is off, the server analyses the tables that changed much since their last analysis (so
/// that PostgreSQL replans the statements that depend on them); with autovacuum on, it leaves that to it.
#[tokio::test]
async fn changed_tables_are_analysed_while_autovacuum_is_off() {
    use netlicensing_server::db::planner;
    use sea_orm::{ConnectionTrait, Statement};

    if !Backend::available().contains(&Backend::Postgres) {
        return;
    }
    let db = TestDb::new(Backend::Postgres).await;
    let value = |sql: &'static str| {
        let connection = db.connection.clone();
        async move {
            let row = connection.query_one_raw(Statement::from_string(connection.get_database_backend(), sql));
            row.await.unwrap().and_then(|row| row.try_get_by_index::<Option<String>>(0).unwrap())
        }
    };
    db.connection
        .execute_unprepared(
            "INSERT INTO vendor (number, login, password_hash, created_at, updated_at) \
             SELECT 'V' || i, 'v' || i, '-', now(), now() FROM generate_series(1, 60) i",
        )
        .await
        .unwrap();
    if value("SELECT current_setting('autovacuum')").await.as_deref() == Some("on") {
        assert_eq!(planner::analyse_changed(&db.connection).await.unwrap(), None, "left to autovacuum");
    } else {
        // The counts of changes reach the statistics PostgreSQL shows other sessions within a second or so.
        let mut analysed = Some(0);
        for _ in 0..100 {
            analysed = planner::analyse_changed(&db.connection).await.unwrap();
            if analysed != Some(0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(analysed, Some(1), "the vendor table, the only one that changed");
        let last = "SELECT last_analyze::text FROM pg_stat_user_tables \
                    WHERE schemaname = current_schema() AND relname = 'vendor'";
        assert!(value(last).await.is_some(), "analysed");
        assert_eq!(planner::analyse_changed(&db.connection).await.unwrap(), Some(0), "nothing changed since");
    }
    db.drop_all().await;
}

/// A licensee's revision changes with every write of it, its aliases or its licenses (and what they keep
/// beside them), in the writing transaction, and with nothing else: a write of another licensee or of the
/// catalogue leaves it. Consumption relies on it to skip its read under the lock.
#[tokio::test]
async fn a_licensees_revision_changes_with_every_write_of_it_or_its_licenses() {
    use netlicensing_core::repo::Store;
    use netlicensing_model::Format;

    use crate::common::{Api, TestServer};

    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        floating_and_node_locked(&api).await;
        for licensee in ["IX", "IY"] {
            api.post("licensee", &format!("number={licensee}&productNumber=PX")).await;
        }
        api.post("license", "number=LF&licenseeNumber=IX&licenseTemplateNumber=EF").await;
        api.post("license", "number=LY&licenseeNumber=IY&licenseTemplateNumber=EF").await;
        let store = server.db.store();
        let vendor = store.vendor_by_login("demo").await.unwrap().unwrap().id;
        let revision = async |number: &str| store.licensing(vendor, number).await.unwrap().unwrap().revision.unwrap();
        let changes = [
            ("the licensee's row", "licensee/IX", "name=Renamed"),
            ("a custom property", "licensee/IX", "crm=7"),
            ("its aliases", "licensee/IX", "aliases=%5B%22x%40example.com%22%5D"),
            ("a new license", "license", "number=LN&licenseeNumber=IX&licenseTemplateNumber=EN"),
            ("a license's row", "license/LF", "active=false"),
            ("a license's custom property", "license/LF", "zone=eu"),
            ("a floating session", "licensee/IX/validate", "productModuleNumber0=MF&sessionId0=s1&action0=checkOut"),
            ("a node secret", "license/LN", "nodeSecret0=n1"),
        ];
        for (what, path, form) in changes {
            if what == "a floating session" {
                api.post("license/LF", "active=true").await;
            }
            let (before, other) = (revision("IX").await, revision("IY").await);
            let answer = api.post(path, form).await;
            assert_eq!(answer.status, 200, "{backend:?}: {what}: {:?}", answer.doc);
            assert_ne!(revision("IX").await, before, "{backend:?}: {what}");
            assert_eq!(revision("IY").await, other, "{backend:?}: {what} leaves another licensee's revision");
        }
        let before = revision("IX").await;
        for (path, form) in [("licensee/IY", "name=Other"), ("license/LY", "zone=us"), ("product/PX", "name=Q")] {
            assert_eq!(api.post(path, form).await.status, 200, "{backend:?}: {path}");
        }
        assert_eq!(api.post("licensee/IX/validate", "").await.status, 200);
        assert_eq!(revision("IX").await, before, "{backend:?}: other licensees, the catalogue, a plain validation");
        assert_eq!(api.delete("license/LN").await.status, 204, "{backend:?}");
        assert_ne!(revision("IX").await, before, "{backend:?}: a deleted license");
        let (x, y) = (revision("IX").await, revision("IY").await);
        assert_eq!(api.post("licensee/IX", "markedForTransfer=true").await.status, 200);
        let x = Ord::max(x, revision("IX").await);
        assert_eq!(api.post("licensee/IY/transfer", "sourceLicenseeNumber=IX").await.status, 204);
        assert!(revision("IX").await > x && revision("IY").await > y, "{backend:?}: a transfer changes both");
        server.stop().await;
    }
}
