//! `license_session`: the floating sessions checked out on a license (`sessionId_<id>` on the wire).

use sea_orm::entity::prelude::*;

/// One checked-out session.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license_session")]
pub struct Model {
    /// The license.
    #[sea_orm(primary_key, auto_increment = false)]
    pub license_id: i64,
    /// The client's session id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: String,
    /// Owning vendor.
    pub vendor_id: i64,
    /// When the check-out lapses, in the wire form.
    pub expires: String,
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
