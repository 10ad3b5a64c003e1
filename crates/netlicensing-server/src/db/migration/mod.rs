//! The migrations, one set for SQLite and PostgreSQL. Nothing was released before
//! `m20261130_000001_schema`, which replaced every earlier migration; from it on, every schema change ships as
//! a new migration here, and `tests/upgrade.rs` proves that a filled database keeps its data across them.

use sea_orm_migration::prelude::*;

mod m20261130_000001_schema;
mod m20261201_000001_summary_and_ttl;
mod m20261202_000001_outbox;
mod m20261202_000001_web_session;
mod m20261203_000001_vendor_branding;
mod m20261204_000001_dashboard_figures;
mod m20261205_000001_vendor_currency;
mod m20261205_000002_vendor_tax;
mod m20261206_000001_transaction_by_licensee;
mod m20261207_000001_attribute_clustered;
mod m20261208_000001_licensee_revision;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_schema::Migration),
            Box::new(m20261201_000001_summary_and_ttl::Migration),
            Box::new(m20261202_000001_outbox::Migration),
            Box::new(m20261202_000001_web_session::Migration),
            Box::new(m20261203_000001_vendor_branding::Migration),
            Box::new(m20261204_000001_dashboard_figures::Migration),
            Box::new(m20261205_000001_vendor_currency::Migration),
            Box::new(m20261205_000002_vendor_tax::Migration),
            Box::new(m20261206_000001_transaction_by_licensee::Migration),
            Box::new(m20261207_000001_attribute_clustered::Migration),
            Box::new(m20261208_000001_licensee_revision::Migration),
        ]
    }
}
