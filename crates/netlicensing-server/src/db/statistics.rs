//! The dashboard's figures as aggregate queries over indexes: customers per warning level
//! (`ix_licensee_vendor_warning_level`), floating sessions checked out (`ix_license_session_vendor_expires`;
//! expiries are wire timestamps, which sort as text), and validations per day (`validation_day`, added to by
//! an upsert per batch).

use chrono::{DateTime, NaiveDate, Utc};
use netlicensing_core::{
    RepoError, VendorId,
    model::types::WireValue,
    repo::{DayCount, WarningLevels},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, OnConflict, Query, SelectStatement},
};

use super::{entity::validation_day, errors::failure};

/// The count of customers per warning level: one `GROUP BY` over the vendor's part of the level index.
pub fn levels_query(vendor: VendorId) -> SelectStatement {
    Query::select()
        .from("licensee")
        .column("warning_level")
        .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("warning_level").is_not_null())
        .group_by_col("warning_level")
        .to_owned()
}

/// The count of floating sessions expiring after `now`: a range of the vendor's part of the expiry index.
pub fn sessions_query(vendor: VendorId, now: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .from("license_session")
        .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("expires").gt(now.to_wire().into_owned()))
        .to_owned()
}

/// Customers per warning level.
pub async fn warning_levels<C: ConnectionTrait>(db: &C, vendor: VendorId) -> Result<WarningLevels, RepoError> {
    let mut levels = WarningLevels::default();
    for row in db.query_all(&levels_query(vendor)).await.map_err(failure)? {
        let level: String = row.try_get_by("warning_level").map_err(failure)?;
        let n: i64 = row.try_get_by("n").map_err(failure)?;
        let n = u64::try_from(n).unwrap_or_default();
        match level.as_str() {
            "RED" => levels.red = n,
            "YELLOW" => levels.yellow = n,
            "GREEN" => levels.green = n,
            _ => {}
        }
    }
    Ok(levels)
}

/// Floating sessions of the vendor's licenses that expire after `now`.
pub async fn floating_sessions<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    now: DateTime<Utc>,
) -> Result<u64, RepoError> {
    let row = db.query_one(&sessions_query(vendor, now)).await.map_err(failure)?;
    let n: i64 = match row {
        Some(row) => row.try_get_by("n").map_err(failure)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or_default())
}

/// Adds the days' validations to the vendor's counts: one statement, each day inserted or added to.
pub async fn add_validations<C: ConnectionTrait>(db: &C, vendor: VendorId, days: &[DayCount]) -> Result<(), RepoError> {
    // One row per day in the statement (PostgreSQL refuses to update a row twice in one upsert).
    let mut merged: Vec<DayCount> = Vec::new();
    for day in days.iter().filter(|d| d.validations > 0) {
        match merged.iter_mut().find(|m| m.day == day.day) {
            Some(m) => m.validations += day.validations,
            None => merged.push(*day),
        }
    }
    if merged.is_empty() {
        return Ok(());
    }
    let rows = merged.iter().map(|d| validation_day::ActiveModel {
        vendor_id: Set(vendor.0),
        day: Set(d.day),
        validations: Set(i64::try_from(d.validations).unwrap_or(i64::MAX)),
    });
    let upsert = OnConflict::columns([validation_day::Column::VendorId, validation_day::Column::Day])
        .value(validation_day::Column::Validations, Expr::cust("validation_day.validations + excluded.validations"))
        .to_owned();
    validation_day::Entity::insert_many(rows).on_conflict(upsert).exec_without_returning(db).await.map_err(failure)?;
    Ok(())
}

/// The vendor's validations per day from `since` on, by day.
pub async fn validations<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    since: NaiveDate,
) -> Result<Vec<DayCount>, RepoError> {
    let rows = validation_day::Entity::find()
        .filter(validation_day::Column::VendorId.eq(vendor.0))
        .filter(validation_day::Column::Day.gte(since))
        .order_by_asc(validation_day::Column::Day)
        .all(db)
        .await
        .map_err(failure)?;
    Ok(rows
        .into_iter()
        .map(|row| DayCount { day: row.day, validations: u64::try_from(row.validations).unwrap_or_default() })
        .collect())
}
