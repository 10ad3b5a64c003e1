//! `license_node`: the node secrets bound to a Node-Locked license (`nodeSecret<slot>` on the wire).

use sea_orm::entity::prelude::*;

/// One node slot.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license_node")]
pub struct Model {
    /// The license.
    #[sea_orm(primary_key, auto_increment = false)]
    pub license_id: i64,
    /// The slot (`nodeSecret0`, `nodeSecret1`, …).
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: i32,
    /// Owning vendor.
    pub vendor_id: i64,
    /// The node's secret.
    pub secret: String,
}

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The license.
    #[sea_orm(
        belongs_to = "super::license::Entity",
        from = "Column::LicenseId",
        to = "super::license::Column::Id",
        on_delete = "Cascade"
    )]
    License,
}

impl Related<super::license::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::License.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
