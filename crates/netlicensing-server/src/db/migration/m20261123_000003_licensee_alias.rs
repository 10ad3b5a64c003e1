//! Licensee aliases, unique per vendor, for validating by alias: table `licensee_alias`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `licensee_alias` (vendor, alias, licensee), deleted with its licensee.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_licensee_alias"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("licensee_alias")
                    .col(big_pk_auto("id"))
                    .col(big_integer("vendor_id"))
                    .col(text("alias"))
                    .col(big_integer("licensee_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_licensee_alias_licensee")
                            .from("licensee_alias", "licensee_id")
                            .to("licensee", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create().name("uq_licensee_alias_vendor_alias").col("vendor_id").col("alias").unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_licensee_alias_licensee")
                    .table("licensee_alias")
                    .col("licensee_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("licensee_alias").to_owned()).await
    }
}
