//! The vendor's branding for its customer pages (shop and customer portal): one row per vendor that set any,
//! going with its vendor. Every field is optional text; the logo is its `data:` URL (at most 128 KiB, checked
//! by core).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `vendor_branding`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_vendor_branding"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("vendor_branding")
                    .col(big_integer("vendor_id").primary_key())
                    .col(text_null("name"))
                    .col(text_null("logo"))
                    .col(text_null("accent_color"))
                    .col(text_null("email"))
                    .col(text_null("website"))
                    .col(text_null("address"))
                    .col(text_null("terms_url"))
                    .col(text_null("privacy_url"))
                    .col(text_null("imprint_url"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_vendor_branding_vendor")
                            .from("vendor_branding", "vendor_id")
                            .to("vendor", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("vendor_branding").to_owned()).await
    }
}
