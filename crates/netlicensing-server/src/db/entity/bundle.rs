//! `bundle`: license templates sold together.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A bundle.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bundle")]
pub struct Model {
    /// Storage id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning vendor.
    pub vendor_id: i64,
    /// Number, unique per vendor.
    pub number: String,
    /// Active flag.
    pub active: bool,
    /// `name`.
    pub name: Option<String>,
    /// `price` in minor units (cents).
    pub price_minor: Option<i64>,
    /// `currency` (enum spelling).
    pub currency: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns (`licenseTemplateNumbers` lives in `bundle_template`).
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("price", "price_minor", Money),
    Field::new("currency", "currency", Text),
    Field::new("description", "description", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its templates.
    #[sea_orm(has_many = "super::bundle_template::Entity")]
    BundleTemplate,
}

impl Related<super::bundle_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BundleTemplate.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
