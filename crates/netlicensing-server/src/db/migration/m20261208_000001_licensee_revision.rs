//! A licensee's revision (see `netlicensing_core::record::Revision`): a counter the store raises with every
//! write of the licensee or its licenses, so that a consuming validation that finds it unchanged under the
//! licensee's lock writes what it read without reading it again. Existing licensees start at 0.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `licensee.revision`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000001_licensee_revision"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let column = big_integer("revision").default(0).to_owned();
        manager.alter_table(Table::alter().table("licensee").add_column(column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("licensee").drop_column("revision").to_owned()).await
    }
}
