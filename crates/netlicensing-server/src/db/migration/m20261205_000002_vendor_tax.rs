//! The vendor's VAT profile beside its branding (the shop's EU VAT rules): `vendor_type` (`PRIVATE` or
//! `COMPANY`), `country_code` (where the vendor is established) and `vat_id` (its VAT identification number).
//! Existing vendors keep no value, which the shop reads as `PRIVATE`: no VAT, as before.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `vendor_branding.vendor_type`, `country_code` and `vat_id`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000002_vendor_tax"
    }
}

/// The columns added, in order.
const COLUMNS: [&str; 3] = ["vendor_type", "country_code", "vat_id"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in COLUMNS {
            manager
                .alter_table(Table::alter().table("vendor_branding").add_column(text_null(column)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS.iter().rev() {
            manager.alter_table(Table::alter().table("vendor_branding").drop_column(*column).to_owned()).await?;
        }
        Ok(())
    }
}
