//! The webhook outbox: one row per event and notification, written in the transaction of the change that
//! raised it, and the worker's state of its delivery (status, attempts, next try, last error, lease).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `outbox_event`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_outbox"
    }
}

const TABLE: &str = "outbox_event";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TABLE)
                    .col(big_pk_auto("id"))
                    .col(big_integer("vendor_id"))
                    .col(big_integer("notification_id"))
                    .col(string_uniq("event_id"))
                    .col(text("event"))
                    .col(text("body"))
                    .col(text("status"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("last_attempt_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_event_vendor_id")
                            .from(TABLE, "vendor_id")
                            .to("vendor", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_event_notification_id")
                            .from(TABLE, "notification_id")
                            .to("notification", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The worker's scan: pending events by due time; the log and per-notification order: by notification.
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_event_due")
                    .table(TABLE)
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_event_notification")
                    .table(TABLE)
                    .col("notification_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TABLE).to_owned()).await
    }
}
