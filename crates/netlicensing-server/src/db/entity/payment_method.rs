//! `payment_method`: the vendor's payment providers and their settings (custom properties).

use sea_orm::entity::prelude::*;

use crate::db::fields::Field;

/// A payment method.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_method")]
pub struct Model {
    /// Storage id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning vendor.
    pub vendor_id: i64,
    /// Number (the provider), unique per vendor.
    pub number: String,
    /// Active flag.
    pub active: bool,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns: none beyond number and active.
pub const FIELDS: &[Field] = &[];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
