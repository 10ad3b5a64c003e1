//! `license`: a licensee's right, made from a license template.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A license.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license")]
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
    /// The licensee holding it.
    pub licensee_id: i64,
    /// The template it was made from.
    pub license_template_id: i64,
    /// `name`.
    pub name: Option<String>,
    /// `price` in minor units (cents).
    pub price_minor: Option<i64>,
    /// `currency` (enum spelling).
    pub currency: Option<String>,
    /// `hidden`.
    pub hidden: Option<bool>,
    /// `gracePeriod`.
    pub grace_period: Option<bool>,
    /// `timeVolumePeriod` (enum spelling).
    pub time_volume_period: Option<String>,
    /// `timeVolume`.
    pub time_volume: Option<i64>,
    /// `startDate`.
    pub start_date: Option<DateTimeUtc>,
    /// `parentFeature`.
    pub parent_feature: Option<String>,
    /// `maxSessions`.
    pub max_sessions: Option<i64>,
    /// `quantity`.
    pub quantity: Option<i64>,
    /// `usedQuantity` (consumed credits).
    pub used_quantity: Option<i64>,
    /// `quota`.
    pub quota: Option<i64>,
    /// `transactionNumber`.
    pub transaction_number: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns (floating sessions and node secrets live in tables of their own).
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("price", "price_minor", Money),
    Field::new("currency", "currency", Text),
    Field::new("hidden", "hidden", Bool),
    Field::new("gracePeriod", "grace_period", Bool),
    Field::new("timeVolumePeriod", "time_volume_period", Text),
    Field::new("timeVolume", "time_volume", Int),
    Field::new("startDate", "start_date", Time),
    Field::new("parentFeature", "parent_feature", Text),
    Field::new("maxSessions", "max_sessions", Int),
    Field::new("quantity", "quantity", Int),
    Field::new("usedQuantity", "used_quantity", Int),
    Field::new("quota", "quota", Int),
    Field::new("transactionNumber", "transaction_number", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The licensee.
    #[sea_orm(
        belongs_to = "super::licensee::Entity",
        from = "Column::LicenseeId",
        to = "super::licensee::Column::Id",
        on_delete = "Cascade"
    )]
    Licensee,
    /// The template.
    #[sea_orm(
        belongs_to = "super::license_template::Entity",
        from = "Column::LicenseTemplateId",
        to = "super::license_template::Column::Id",
        on_delete = "Cascade"
    )]
    LicenseTemplate,
    /// Its checked-out floating sessions.
    #[sea_orm(has_many = "super::license_session::Entity")]
    LicenseSession,
    /// Its node secrets.
    #[sea_orm(has_many = "super::license_node::Entity")]
    LicenseNode,
}

impl Related<super::licensee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Licensee.def()
    }
}

impl Related<super::license_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseTemplate.def()
    }
}

impl Related<super::license_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseSession.def()
    }
}

impl Related<super::license_node::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseNode.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
