//! SQLite: `attribute` as a `WITHOUT ROWID` table, its rows stored in their primary key's order (kind, entity,
//! name). Its primary key is its only lookup by owner, so a rowid table answered each one twice: a descent of
//! the key's index, then of the table by rowid. Validation reads the custom properties of a licensee and of
//! each of its licenses; at a million licenses the table and its key's index outgrow every page cache, and the
//! second descent was one to two page reads from the operating system per validation (1.2 of 6.6 on average,
//! `sqlite3` `.stats` over random licensees with the reading connections' cache). PostgreSQL keeps its heap
//! and key index: this migration changes nothing there.

use sea_orm::{DatabaseBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

/// Rebuilds SQLite's `attribute` without rowid.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000001_attribute_clustered"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, false).await
    }

    /// One transaction on every engine: on one connection (another connection of the pool, its schema read
    /// before the old table was dropped, refuses the rename), and nothing half done if a step fails.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// The table under construction.
const REBUILT: &str = "attribute_rebuilt";

/// Rebuilds `attribute` on SQLite, without rowid or (`clustered` false) with it: a new table, the rows copied
/// in key order, the old one dropped and the new one renamed. The triggers that delete an entity's attributes
/// name the table in their bodies, which SQLite's rename checks, so they are dropped first and recreated from
/// their own text.
async fn rebuild(manager: &SchemaManager<'_>, clustered: bool) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(());
    }
    let db = manager.get_connection();
    let triggers = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%DELETE FROM attribute%'",
        ))
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by::<String, _>("name")?, row.try_get_by::<String, _>("sql")?)))
        .collect::<Result<Vec<_>, DbErr>>()?;
    for (name, _) in &triggers {
        db.execute_unprepared(&format!("DROP TRIGGER \"{name}\"")).await?;
    }
    let mut table = Table::create();
    table
        .table(REBUILT)
        .col(text("kind"))
        .col(big_integer("entity_id"))
        .col(text("name"))
        .col(big_integer("vendor_id"))
        .col(integer("position"))
        .col(text("value"))
        .primary_key(Index::create().col("kind").col("entity_id").col("name"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_attribute_vendor_id")
                .from(REBUILT, "vendor_id")
                .to("vendor", "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
    if clustered {
        table.extra("WITHOUT ROWID");
    }
    manager.create_table(table.to_owned()).await?;
    db.execute_unprepared(&format!(
        "INSERT INTO {REBUILT} (kind, entity_id, name, vendor_id, position, value) \
         SELECT kind, entity_id, name, vendor_id, position, value FROM attribute ORDER BY kind, entity_id, name"
    ))
    .await?;
    manager.drop_table(Table::drop().table("attribute").to_owned()).await?;
    manager.rename_table(Table::rename().table(REBUILT, "attribute").to_owned()).await?;
    manager
        .create_index(
            Index::create()
                .name("ix_attribute_vendor_kind_name_value")
                .table("attribute")
                .col("vendor_id")
                .col("kind")
                .col("name")
                .col("value")
                .to_owned(),
        )
        .await?;
    for (_, sql) in &triggers {
        db.execute_unprepared(sql).await?;
    }
    // The planner's statistics of the old table went with it.
    db.execute_unprepared("ANALYZE attribute").await?;
    Ok(())
}
