//! `attribute`: every resource's custom properties, one row per (entity, name), in order. Filters on a custom
//! property use the index on (vendor, kind, name, value). Rows go with their entity (a trigger per resource
//! table, since one table serves every kind).

use sea_orm::entity::prelude::*;

/// One custom property.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attribute")]
pub struct Model {
    /// The kind of entity (its table name).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// The entity's id in its table.
    #[sea_orm(primary_key, auto_increment = false)]
    pub entity_id: i64,
    /// Property name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// Owning vendor.
    pub vendor_id: i64,
    /// Position among the entity's custom properties (0-based).
    pub position: i32,
    /// Property value.
    pub value: String,
}

/// Relations: polymorphic over the resource tables (see the module doc).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
