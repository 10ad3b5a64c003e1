//! `transaction_license`: the licenses a transaction created or changed (`licenseTransactionJoin`), in order.
//! The license's number is kept for when the license is gone; while it exists its current number is shown.

use sea_orm::entity::prelude::*;

/// One license of a transaction.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transaction_license")]
pub struct Model {
    /// The transaction.
    #[sea_orm(primary_key, auto_increment = false)]
    pub transaction_id: i64,
    /// Position in the transaction (0-based).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// Owning vendor.
    pub vendor_id: i64,
    /// The license's number when it was joined.
    pub license_number: String,
    /// The license, while it exists.
    pub license_id: Option<i64>,
}

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The transaction.
    #[sea_orm(
        belongs_to = "super::transaction::Entity",
        from = "Column::TransactionId",
        to = "super::transaction::Column::Id",
        on_delete = "Cascade"
    )]
    Transaction,
    /// The license.
    #[sea_orm(
        belongs_to = "super::license::Entity",
        from = "Column::LicenseId",
        to = "super::license::Column::Id",
        on_delete = "SetNull"
    )]
    License,
}

impl Related<super::transaction::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Transaction.def()
    }
}

impl Related<super::license::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::License.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
