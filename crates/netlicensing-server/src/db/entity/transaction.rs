//! `transaction`: a purchase or a change of licenses, by the shop or the system.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A transaction.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transaction")]
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
    /// `status` (enum spelling).
    pub status: Option<String>,
    /// `source` (enum spelling).
    pub source: Option<String>,
    /// `grandTotal` in minor units (cents).
    pub grand_total_minor: Option<i64>,
    /// `discount` in minor units (cents).
    pub discount_minor: Option<i64>,
    /// `currency` (enum spelling).
    pub currency: Option<String>,
    /// `datecreated`.
    pub date_created: Option<DateTimeUtc>,
    /// `dateclosed`.
    pub date_closed: Option<DateTimeUtc>,
    /// `paymentMethod` (enum spelling).
    pub payment_method: Option<String>,
    /// `licenseeNumber`.
    pub licensee_number: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns (the license joins live in `transaction_license`).
pub const FIELDS: &[Field] = &[
    Field::new("status", "status", Text),
    Field::new("source", "source", Text),
    Field::new("grandTotal", "grand_total_minor", Money),
    Field::new("discount", "discount_minor", Money),
    Field::new("currency", "currency", Text),
    Field::new("datecreated", "date_created", Time),
    Field::new("dateclosed", "date_closed", Time),
    Field::new("paymentMethod", "payment_method", Text),
    Field::new("licenseeNumber", "licensee_number", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The licenses it created or changed.
    #[sea_orm(has_many = "super::transaction_license::Entity")]
    TransactionLicense,
}

impl Related<super::transaction_license::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TransactionLicense.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
