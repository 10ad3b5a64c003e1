//! `licensee`: a vendor's customer, for one product.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A licensee.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licensee")]
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
    /// `markedForTransfer`.
    pub marked_for_transfer: Option<bool>,
    /// `licenseeSecret`.
    pub licensee_secret: Option<String>,
    /// `warningLevelSummary` (JSON text: the module numbers per warning level of the last validation).
    pub warning_level_summary: Option<String>,
    /// The worst level of the summary (RED, YELLOW, GREEN; NULL without one), kept by the store for counts.
    pub warning_level: Option<String>,
    /// Raised by the store with every write of the licensee or its licenses (`Revision` in core).
    pub revision: i64,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns (`aliases` lives in `licensee_alias`).
pub const FIELDS: &[Field] = &[
    Field::new("name", "name", Text),
    Field::new("markedForTransfer", "marked_for_transfer", Bool),
    Field::new("licenseeSecret", "licensee_secret", Text),
    Field::new("warningLevelSummary", "warning_level_summary", Text),
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
    /// Its licenses.
    #[sea_orm(has_many = "super::license::Entity")]
    License,
    /// Its aliases.
    #[sea_orm(has_many = "super::licensee_alias::Entity")]
    LicenseeAlias,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::license::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::License.def()
    }
}

impl Related<super::licensee_alias::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseeAlias.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
