//! The web console's sessions: one row per signed-in browser, keyed by the hash of the cookie's id, so that
//! every replica on the database knows every session. Rows go with their vendor.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `web_session`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_web_session"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("web_session")
                    .col(string("key").primary_key())
                    .col(big_integer("vendor_id"))
                    .col(string("vendor_number"))
                    .col(string("login"))
                    .col(string("csrf"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("seen_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_web_session_vendor")
                            .from("web_session", "vendor_id")
                            .to("vendor", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_web_session_vendor").table("web_session").col("vendor_id").to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_web_session_seen").table("web_session").col("seen_at").to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("web_session").to_owned()).await
    }
}
