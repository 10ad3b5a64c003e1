//! `validation_day`: a vendor's validations of one day (UTC), added to in batches (see
//! `netlicensing_core::service::statistics`).

use sea_orm::entity::prelude::*;

/// Validations of a vendor on a day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_day")]
pub struct Model {
    /// The vendor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub vendor_id: i64,
    /// The day (UTC).
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// Validations answered that day.
    pub validations: i64,
}

/// A day's count belongs to its vendor (the foreign key cascades).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
