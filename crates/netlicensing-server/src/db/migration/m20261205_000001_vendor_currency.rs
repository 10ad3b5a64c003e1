//! The vendor's default currency (`EUR` or `USD`, checked by core), the one the console preselects where a
//! price is entered: one nullable column, so existing vendors keep having none.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `vendor.default_currency`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000001_vendor_currency"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("vendor").add_column(text_null("default_currency")).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("vendor").drop_column("default_currency").to_owned()).await
    }
}
