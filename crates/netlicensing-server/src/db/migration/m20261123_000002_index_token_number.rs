//! API keys are looked up by token number across vendors: index `token.number`.

use sea_orm_migration::prelude::*;

/// Adds `idx_token_number`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_index_token_number"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(Index::create().name("idx_token_number").table("token").col("number").to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_token_number").table("token").to_owned()).await
    }
}
