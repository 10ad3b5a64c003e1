//! Schema migrations: one set for SQLite and PostgreSQL, applied in order at start.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

mod m20261123_000001_create_tables;
mod m20261123_000002_index_token_number;
mod m20261123_000003_licensee_alias;

/// Every migration, oldest first.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tables::Migration),
            Box::new(m20261123_000002_index_token_number::Migration),
            Box::new(m20261123_000003_licensee_alias::Migration),
        ]
    }
}
