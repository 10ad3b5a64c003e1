//! `licensee_alias`: a licensee's aliases (the `aliases` property), unique per vendor, in order.

use sea_orm::entity::prelude::*;

/// One alias.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licensee_alias")]
pub struct Model {
    /// Owning vendor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub vendor_id: i64,
    /// The alias, unique per vendor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub alias: String,
    /// The licensee.
    pub licensee_id: i64,
    /// Position among the licensee's aliases (0-based).
    pub position: i32,
}

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
}

impl Related<super::licensee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Licensee.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
