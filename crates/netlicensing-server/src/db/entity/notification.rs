//! `notification`: a webhook subscription to events.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A notification.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
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
    /// `protocol` (enum spelling).
    pub protocol: Option<String>,
    /// `endpoint`.
    pub endpoint: Option<String>,
    /// `events`, comma-separated enum spellings.
    pub events: Option<String>,
    /// `payload`.
    pub payload: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns.
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("protocol", "protocol", Text),
    Field::new("endpoint", "endpoint", Text),
    Field::new("events", "events", Text),
    Field::new("payload", "payload", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
