//! `vendor`: the accounts that own everything else.

use sea_orm::entity::prelude::*;

/// A vendor account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendor")]
pub struct Model {
    /// Storage id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Vendor number (`VDEMO`), unique.
    #[sea_orm(unique)]
    pub number: String,
    /// Login name, unique.
    #[sea_orm(unique)]
    pub login: String,
    /// Argon2 PHC string of the password.
    pub password_hash: String,
    /// How long validation answers may be cached (`ttl`), in seconds; none for the default.
    pub validation_ttl_seconds: Option<i64>,
    /// The currency the console preselects where a price is entered (`EUR`, `USD`); none when not set.
    pub default_currency: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// A vendor owns every resource row; each table's relation to it is declared on the owning side.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
