//! `product`: a vendor's licensed software.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product")]
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
    /// `version`.
    pub version: Option<String>,
    /// `licenseeAutoCreate`.
    pub licensee_auto_create: Option<bool>,
    /// `description`.
    pub description: Option<String>,
    /// `licensingInfo`.
    pub licensing_info: Option<String>,
    /// `licenseeSecretMode` (enum spelling).
    pub licensee_secret_mode: Option<String>,
    /// `vatMode` (enum spelling).
    pub vat_mode: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns.
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("version", "version", Text),
    Field::new("licenseeAutoCreate", "licensee_auto_create", Bool),
    Field::new("description", "description", Text),
    Field::new("licensingInfo", "licensing_info", Text),
    Field::new("licenseeSecretMode", "licensee_secret_mode", Text),
    Field::new("vatMode", "vat_mode", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning vendor.
    #[sea_orm(belongs_to = "super::vendor::Entity", from = "Column::VendorId", to = "super::vendor::Column::Id")]
    Vendor,
    /// Its modules.
    #[sea_orm(has_many = "super::product_module::Entity")]
    ProductModule,
    /// Its licensees.
    #[sea_orm(has_many = "super::licensee::Entity")]
    Licensee,
    /// Its volume discounts.
    #[sea_orm(has_many = "super::product_discount::Entity")]
    ProductDiscount,
}

impl Related<super::vendor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Vendor.def()
    }
}

impl Related<super::product_module::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductModule.def()
    }
}

impl Related<super::licensee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Licensee.def()
    }
}

impl Related<super::product_discount::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductDiscount.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
