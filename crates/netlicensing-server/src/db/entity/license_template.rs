//! `license_template`: what a license is made from, within a product module.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A license template.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license_template")]
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
    /// The product module.
    pub product_module_id: i64,
    /// `name`.
    pub name: Option<String>,
    /// `licenseType` (enum spelling).
    pub license_type: Option<String>,
    /// `price` in minor units (cents).
    pub price_minor: Option<i64>,
    /// `currency` (enum spelling).
    pub currency: Option<String>,
    /// `automatic`.
    pub automatic: Option<bool>,
    /// `hidden`.
    pub hidden: Option<bool>,
    /// `hideLicenses`.
    pub hide_licenses: Option<bool>,
    /// `timeVolumePeriod` (enum spelling).
    pub time_volume_period: Option<String>,
    /// `timeVolume`.
    pub time_volume: Option<i64>,
    /// `maxSessions`.
    pub max_sessions: Option<i64>,
    /// `quantity`.
    pub quantity: Option<i64>,
    /// `quota`.
    pub quota: Option<i64>,
    /// `gracePeriod`.
    pub grace_period: Option<bool>,
    /// `description`.
    pub description: Option<String>,
    /// `skus` (Pricing Table, JSON text).
    pub skus: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns.
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("licenseType", "license_type", Text),
    Field::new("price", "price_minor", Money),
    Field::new("currency", "currency", Text),
    Field::new("automatic", "automatic", Bool),
    Field::new("hidden", "hidden", Bool),
    Field::new("hideLicenses", "hide_licenses", Bool),
    Field::new("timeVolumePeriod", "time_volume_period", Text),
    Field::new("timeVolume", "time_volume", Int),
    Field::new("maxSessions", "max_sessions", Int),
    Field::new("quantity", "quantity", Int),
    Field::new("quota", "quota", Int),
    Field::new("gracePeriod", "grace_period", Bool),
    Field::new("description", "description", Text),
    Field::new("skus", "skus", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product module.
    #[sea_orm(
        belongs_to = "super::product_module::Entity",
        from = "Column::ProductModuleId",
        to = "super::product_module::Column::Id",
        on_delete = "Cascade"
    )]
    ProductModule,
    /// The licenses made from it.
    #[sea_orm(has_many = "super::license::Entity")]
    License,
}

impl Related<super::product_module::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductModule.def()
    }
}

impl Related<super::license::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::License.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
