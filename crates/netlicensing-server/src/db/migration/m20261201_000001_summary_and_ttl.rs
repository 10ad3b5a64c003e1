//! The licensee's `warningLevelSummary` (the warning levels of its last validation) and the vendor's validation
//! TTL setting: one nullable column each, so existing rows keep their meaning (no summary yet; the default TTL).

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `licensee.warning_level_summary` and `vendor.validation_ttl_seconds`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000001_summary_and_ttl"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("licensee").add_column(text_null("warning_level_summary")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table("vendor").add_column(big_integer_null("validation_ttl_seconds")).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("vendor").drop_column("validation_ttl_seconds").to_owned()).await?;
        manager.alter_table(Table::alter().table("licensee").drop_column("warning_level_summary").to_owned()).await
    }
}
