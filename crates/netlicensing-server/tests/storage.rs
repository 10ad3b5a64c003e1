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
