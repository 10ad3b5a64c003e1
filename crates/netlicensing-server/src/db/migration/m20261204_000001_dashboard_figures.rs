//! What the console's dashboard reads with aggregate queries over indexes instead of scanning rows:
//! - `licensee.warning_level`: the worst level of the licensee's `warningLevelSummary` (RED, YELLOW, GREEN or
//!   NULL), kept by the store as it writes the summary, indexed with the vendor; existing rows are filled from
//!   their summaries here;
//! - an index of `license_session` by vendor and expiry (the floating sessions checked out now);
//! - an index of `licensee` by vendor and name (the console's customer list sorted by name; exact name search);
//! - `validation_day`: validations per vendor and day (UTC), added to in batches from memory, going with the
//!   vendor.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `licensee.warning_level`, `validation_day` and the indexes of the console's figures and lists.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000001_dashboard_figures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("licensee").add_column(text_null("warning_level")).to_owned()).await?;
        // The summary is stored as serde writes it: `{"RED":["M1"],"YELLOW":[],"GREEN":[]}`.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE licensee SET warning_level = CASE \
                 WHEN warning_level_summary LIKE '%\"RED\":[\"%' THEN 'RED' \
                 WHEN warning_level_summary LIKE '%\"YELLOW\":[\"%' THEN 'YELLOW' \
                 WHEN warning_level_summary LIKE '%\"GREEN\":[\"%' THEN 'GREEN' END \
                 WHERE warning_level_summary IS NOT NULL",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_licensee_vendor_warning_level")
                    .table("licensee")
                    .col("vendor_id")
                    .col("warning_level")
                    .to_owned(),
            )
            .await?;
        // Customers by name, page after page: the console's list sorted by name (NULLS FIRST on both).
        let by_name = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "CREATE INDEX ix_licensee_vendor_name ON licensee (vendor_id, name NULLS FIRST, id)"
            }
            _ => "CREATE INDEX ix_licensee_vendor_name ON licensee (vendor_id, name, id)",
        };
        manager.get_connection().execute_unprepared(by_name).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_license_session_vendor_expires")
                    .table("license_session")
                    .col("vendor_id")
                    .col("expires")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("validation_day")
                    .col(big_integer("vendor_id"))
                    .col(date("day"))
                    .col(big_integer("validations"))
                    .primary_key(Index::create().col("vendor_id").col("day"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_day_vendor")
                            .from("validation_day", "vendor_id")
                            .to("vendor", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("validation_day").to_owned()).await?;
        manager
            .drop_index(Index::drop().name("ix_license_session_vendor_expires").table("license_session").to_owned())
            .await?;
        manager.drop_index(Index::drop().name("ix_licensee_vendor_warning_level").table("licensee").to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_licensee_vendor_name").table("licensee").to_owned()).await?;
        manager.alter_table(Table::alter().table("licensee").drop_column("warning_level").to_owned()).await
    }
}
