//! `product_module`: a licensed part of a product, with its licensing model.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A product module.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_module")]
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
    /// The product.
    pub product_id: i64,
    /// `name`.
    pub name: Option<String>,
    /// `licensingModel` (enum spelling).
    pub licensing_model: Option<String>,
    /// `maxCheckoutValidity` (seconds).
    pub max_checkout_validity: Option<i64>,
    /// `yellowThreshold`.
    pub yellow_threshold: Option<i64>,
    /// `redThreshold`.
    pub red_threshold: Option<i64>,
    /// `nodeSecretMode` (enum spelling).
    pub node_secret_mode: Option<String>,
    /// `licenseeSecretMode` (enum spelling).
    pub licensee_secret_mode: Option<String>,
    /// `skudef` (Pricing Table, JSON text).
    pub skudef: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns.
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("licensingModel", "licensing_model", Text),
    Field::new("maxCheckoutValidity", "max_checkout_validity", Int),
    Field::new("yellowThreshold", "yellow_threshold", Int),
    Field::new("redThreshold", "red_threshold", Int),
    Field::new("nodeSecretMode", "node_secret_mode", Text),
    Field::new("licenseeSecretMode", "licensee_secret_mode", Text),
    Field::new("skudef", "skudef", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product.
    #[sea_orm(
        belongs_to = "super::product::Entity",
        from = "Column::ProductId",
        to = "super::product::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
    /// Its license templates.
    #[sea_orm(has_many = "super::license_template::Entity")]
    LicenseTemplate,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::license_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseTemplate.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
