//! What a record keeps beside its row, written: custom properties, aliases, sessions, node secrets, discounts,
//! bundle templates and transaction licenses, each table only when it changed.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
};

use netlicensing_core::{
    RepoError, VendorId,
    model::List,
    record::{Kind, RecordId},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DeleteMany, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Query},
};

use super::{
    super::{
        entity::{
            attribute, bundle_template, license_node, license_session, licensee_alias, product_discount,
            transaction_license,
        },
        errors::{Class, classify, failure},
        fields::money_minor,
        schema::{Table, table},
    },
    Split,
};

/// What a write does to one side table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// A new record: insert.
    Insert,
    /// Delete the old rows, insert the new.
    Replace,
    /// Unchanged: nothing.
    Keep,
}

fn step<T: PartialEq>(new: &T, before: Option<&T>, known: bool) -> Step {
    match (known, before) {
        (false, _) => Step::Insert,
        (true, Some(before)) if before == new => Step::Keep,
        (true, _) => Step::Replace,
    }
}

/// Readies a side table for its new rows: false when it is unchanged (nothing to write); its rows before (those
/// `old` deletes) deleted when they are replaced.
async fn clear<C: ConnectionTrait, E: EntityTrait>(db: &C, step: Step, old: DeleteMany<E>) -> Result<bool, RepoError> {
    match step {
        Step::Keep => return Ok(false),
        Step::Replace => {
            old.exec(db).await.map_err(failure)?;
        }
        Step::Insert => {}
    }
    Ok(true)
}

/// Writes what a record keeps beside its row. `before` is what was there (`None` for a new record; the
/// default `Split` for an update whose previous state is unknown, which rewrites everything).
pub(super) async fn write_beside<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    table: &Table,
    id: RecordId,
    split: &Split,
    before: Option<Split>,
) -> Result<(), RepoError> {
    let known = before.is_some();
    // An update whose previous state is unknown compares against nothing: every table is rewritten.
    let old = before.as_ref().filter(|b| b.complete);
    let attributes = step(&split.attributes, old.map(|b| &b.attributes), known);
    write_attributes(db, vendor, table, id, &split.attributes, attributes).await?;
    match table.kind {
        Kind::Licensee => {
            write_aliases(db, vendor, id, &split.aliases, step(&split.aliases, old.map(|b| &b.aliases), known)).await
        }
        Kind::License => {
            let sessions = step(&split.sessions, old.map(|b| &b.sessions), known);
            let nodes = step(&split.nodes, old.map(|b| &b.nodes), known);
            write_validation_state(db, vendor, id, split, old, sessions, nodes).await
        }
        Kind::Product => {
            let discounts = step(&split.discounts, old.map(|b| &b.discounts), known);
            write_discounts(db, vendor, id, &split.discounts, discounts).await
        }
        Kind::Bundle => {
            let templates = step(&split.templates, old.map(|b| &b.templates), known);
            write_templates(db, vendor, id, &split.templates, templates).await
        }
        Kind::Transaction => {
            write_joins(db, vendor, id, &split.joins, step(&split.joins, old.map(|b| &b.joins), known)).await
        }
        _ => Ok(()),
    }
}

async fn write_attributes<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    table: &Table,
    id: RecordId,
    attributes: &[(String, String)],
    step: Step,
) -> Result<(), RepoError> {
    let old = attribute::Entity::delete_many()
        .filter(attribute::Column::Kind.eq(table.name))
        .filter(attribute::Column::EntityId.eq(id));
    if !clear(db, step, old).await? || attributes.is_empty() {
        return Ok(());
    }
    let rows = attributes.iter().enumerate().map(|(position, (name, value))| attribute::ActiveModel {
        kind: Set(table.name.to_owned()),
        entity_id: Set(id),
        name: Set(name.clone()),
        vendor_id: Set(vendor.0),
        position: Set(position as i32),
        value: Set(value.clone()),
    });
    attribute::Entity::insert_many(rows).exec_without_returning(db).await.map_err(failure)?;
    Ok(())
}

async fn write_aliases<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    id: RecordId,
    aliases: &[String],
    step: Step,
) -> Result<(), RepoError> {
    let old = licensee_alias::Entity::delete_many()
        .filter(licensee_alias::Column::VendorId.eq(vendor.0))
        .filter(licensee_alias::Column::LicenseeId.eq(id));
    if !clear(db, step, old).await? {
        return Ok(());
    }
    for (position, alias) in aliases.iter().enumerate() {
        let row = licensee_alias::ActiveModel {
            vendor_id: Set(vendor.0),
            alias: Set(alias.clone()),
            licensee_id: Set(id),
            position: Set(position as i32),
        };
        licensee_alias::Entity::insert(row).exec_without_returning(db).await.map_err(|e| match classify(&e) {
            Class::Unique => RepoError::AliasTaken(alias.clone()),
            _ => failure(e),
        })?;
    }
    Ok(())
}

/// Rows (or keys) per statement when a license's sessions or node secrets are written: four values a row, well
/// under SQLite's 32,766 and PostgreSQL's 65,535 bound values.
const BATCH: usize = 1000;

/// What changed between a side table's rows before and after, by key: the keys whose rows to delete (gone or
/// changed) and the rows to insert (new or changed).
fn changed<'a, K: Eq + Hash, V: Eq + Hash>(old: &'a [(K, V)], new: &'a [(K, V)]) -> (Vec<&'a K>, Vec<&'a (K, V)>) {
    let (before, after): (HashSet<_>, HashSet<_>) = (old.iter().collect(), new.iter().collect());
    let removed = old.iter().filter(|row| !after.contains(row)).map(|(key, _)| key).collect();
    let added = new.iter().filter(|row| !before.contains(row)).collect();
    (removed, added)
}

/// Writes a license's floating sessions and node secrets. A table that changed is written as the difference
/// when its rows before are known (a check-out inserts one session, whatever the license holds), else
/// rewritten.
async fn write_validation_state<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    id: RecordId,
    split: &Split,
    old: Option<&Split>,
    sessions: Step,
    nodes: Step,
) -> Result<(), RepoError> {
    let (mut gone_sessions, mut new_sessions) = (Vec::new(), split.sessions.iter().collect::<Vec<_>>());
    let (mut gone_nodes, mut new_nodes) = (Vec::new(), split.nodes.iter().collect::<Vec<_>>());
    match (sessions, old) {
        (Step::Replace, Some(old)) => (gone_sessions, new_sessions) = changed(&old.sessions, &split.sessions),
        (Step::Replace, None) => {
            license_session::Entity::delete_many()
                .filter(license_session::Column::LicenseId.eq(id))
                .exec(db)
                .await
                .map_err(failure)?;
        }
        (Step::Keep, _) => new_sessions.clear(),
        (Step::Insert, _) => {}
    }
    match (nodes, old) {
        (Step::Replace, Some(old)) => (gone_nodes, new_nodes) = changed(&old.nodes, &split.nodes),
        (Step::Replace, None) => {
            license_node::Entity::delete_many()
                .filter(license_node::Column::LicenseId.eq(id))
                .exec(db)
                .await
                .map_err(failure)?;
        }
        (Step::Keep, _) => new_nodes.clear(),
        (Step::Insert, _) => {}
    }
    // In batches, so that no statement exceeds the engines' limits on bound values (however many sessions a
    // license holds or lets expire at once).
    for gone in gone_sessions.chunks(BATCH) {
        license_session::Entity::delete_many()
            .filter(license_session::Column::LicenseId.eq(id))
            .filter(license_session::Column::SessionId.is_in(gone.iter().copied().cloned()))
            .exec(db)
            .await
            .map_err(failure)?;
    }
    for gone in gone_nodes.chunks(BATCH) {
        license_node::Entity::delete_many()
            .filter(license_node::Column::LicenseId.eq(id))
            .filter(license_node::Column::Slot.is_in(gone.iter().copied().copied()))
            .exec(db)
            .await
            .map_err(failure)?;
    }
    for batch in new_sessions.chunks(BATCH) {
        let rows = batch.iter().map(|(session, expires)| license_session::ActiveModel {
            license_id: Set(id),
            session_id: Set(session.clone()),
            vendor_id: Set(vendor.0),
            expires: Set(expires.clone()),
        });
        license_session::Entity::insert_many(rows).exec_without_returning(db).await.map_err(failure)?;
    }
    for batch in new_nodes.chunks(BATCH) {
        let rows = batch.iter().map(|(slot, secret)| license_node::ActiveModel {
            license_id: Set(id),
            slot: Set(*slot),
            vendor_id: Set(vendor.0),
            secret: Set(secret.clone()),
        });
        license_node::Entity::insert_many(rows).exec_without_returning(db).await.map_err(failure)?;
    }
    Ok(())
}

async fn write_discounts<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    id: RecordId,
    discounts: &[List],
    step: Step,
) -> Result<(), RepoError> {
    if !clear(db, step, product_discount::Entity::delete_many().filter(product_discount::Column::ProductId.eq(id)))
        .await?
    {
        return Ok(());
    }
    let mut rows = Vec::new();
    for (position, list) in discounts.iter().enumerate() {
        let total = list.property("totalPrice").unwrap_or_default();
        let minor = money_minor(total).ok_or_else(|| RepoError::OutOfRange(format!("totalPrice: '{total}'")))?;
        rows.push(product_discount::ActiveModel {
            product_id: Set(id),
            position: Set(position as i32),
            vendor_id: Set(vendor.0),
            total_price_minor: Set(minor),
            currency: Set(list.property("currency").unwrap_or_default().to_owned()),
            amount_fix: Set(list.property("amountFix").map(str::to_owned)),
            amount_percent: Set(list.property("amountPercent").map(str::to_owned)),
        });
    }
    if !rows.is_empty() {
        product_discount::Entity::insert_many(rows).exec_without_returning(db).await.map_err(failure)?;
    }
    Ok(())
}

async fn write_templates<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    id: RecordId,
    numbers: &[String],
    step: Step,
) -> Result<(), RepoError> {
    let owner = (bundle_template::Column::BundleId, id);
    write_links(db, vendor, owner, Kind::LicenseTemplate, numbers, step, |position, number, found| {
        bundle_template::ActiveModel {
            bundle_id: Set(id),
            position: Set(position),
            vendor_id: Set(vendor.0),
            license_template_number: Set(number),
            license_template_id: Set(found),
        }
    })
    .await
}

async fn write_joins<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    id: RecordId,
    numbers: &[String],
    step: Step,
) -> Result<(), RepoError> {
    let owner = (transaction_license::Column::TransactionId, id);
    write_links(db, vendor, owner, Kind::License, numbers, step, |position, number, found| {
        transaction_license::ActiveModel {
            transaction_id: Set(id),
            position: Set(position),
            vendor_id: Set(vendor.0),
            license_number: Set(number),
            license_id: Set(found),
        }
    })
    .await
}

/// Writes a record's ordered links by number to records of `target` (a bundle's templates, a transaction's
/// licenses): the rows of table `E` whose `owner` column holds the record's id, each made by `row` from its
/// position, the number and the id of the record it names (`None` while no such record exists).
async fn write_links<C, E, A>(
    db: &C,
    vendor: VendorId,
    (owner, id): (E::Column, RecordId),
    target: Kind,
    numbers: &[String],
    step: Step,
    row: impl Fn(i32, String, Option<i64>) -> A,
) -> Result<(), RepoError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    if !clear(db, step, E::delete_many().filter(owner.eq(id))).await? || numbers.is_empty() {
        return Ok(());
    }
    let ids = ids_by_number(db, vendor, target, numbers).await?;
    let rows = numbers
        .iter()
        .enumerate()
        .map(|(position, number)| row(position as i32, number.clone(), ids.get(number).copied()));
    E::insert_many(rows).exec_without_returning(db).await.map_err(failure)?;
    Ok(())
}

/// The ids of the vendor's records of a kind that have these numbers (the others are absent).
async fn ids_by_number<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    numbers: &[String],
) -> Result<HashMap<String, i64>, RepoError> {
    let q = Query::select()
        .columns(["id", "number"])
        .from(table(kind).name)
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("number").is_in(numbers.to_vec()))
        .to_owned();
    let fail = |e: sea_orm::DbErr| RepoError::Failure(format!("{e:?}"));
    let mut ids = HashMap::new();
    for row in db.query_all(&q).await.map_err(failure)? {
        ids.insert(row.try_get_by::<String, _>("number").map_err(fail)?, row.try_get_by::<i64, _>("id").map_err(fail)?);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_rows_change_by_their_difference() {
        let row = |key: &str, value: &str| (key.to_owned(), value.to_owned());
        let old = [row("s1", "t1"), row("s2", "t2"), row("s3", "t3")];
        let new = [row("s1", "t1"), row("s3", "t9"), row("s4", "t4")];
        let (removed, added) = changed(&old, &new);
        assert_eq!(removed, [&"s2".to_owned(), &"s3".to_owned()]);
        assert_eq!(added, [&row("s3", "t9"), &row("s4", "t4")]);
        let (removed, added) = changed(&old, &old);
        assert!(removed.is_empty() && added.is_empty());
    }
}
