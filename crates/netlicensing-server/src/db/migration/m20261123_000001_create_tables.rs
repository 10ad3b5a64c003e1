//! Vendors, and one table per resource. Every resource table has the same shape: `id`, `vendor_id`,
//! `number` (unique per vendor), `active`, foreign keys to its parents (deleted with them), and `data`, the
//! ordered properties and lists as JSON text.

use sea_orm_migration::{prelude::*, schema::*};

use crate::db::tables::{TABLES, Table as ResourceTable};

/// Creates the vendor table and every resource table.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_create_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("vendor")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("number"))
                    .col(string_uniq("login"))
                    .col(string("password_hash"))
                    .to_owned(),
            )
            .await?;
        for table in TABLES {
            manager.create_table(resource_table(table)).await?;
            for (_, column, _) in table.parents {
                manager
                    .create_index(
                        Index::create()
                            .name(format!("idx_{}_{}", table.name, column))
                            .table(table.name)
                            .col(*column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager.drop_table(Table::drop().table(table.name).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table("vendor").to_owned()).await
    }
}

fn resource_table(table: &ResourceTable) -> TableCreateStatement {
    let mut create = Table::create();
    create
        .table(table.name)
        .col(big_pk_auto("id"))
        .col(big_integer("vendor_id"))
        .col(text("number"))
        .col(boolean("active"))
        .col(text("data"))
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{}_vendor", table.name))
                .from(table.name, "vendor_id")
                .to("vendor", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .index(
            Index::create().name(format!("uq_{}_vendor_number", table.name)).col("vendor_id").col("number").unique(),
        );
    for (_, column, parent) in table.parents {
        create.col(big_integer(*column)).foreign_key(
            ForeignKey::create()
                .name(format!("fk_{}_{}", table.name, column))
                .from(table.name, *column)
                .to(*parent, "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
    }
    create.to_owned()
}
