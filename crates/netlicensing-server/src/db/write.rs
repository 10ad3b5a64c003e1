//! Records to rows: the standard properties into their columns, everything else into the tables beside the
//! resource table (custom properties, aliases, sessions, node secrets, discounts, bundle templates,
//! transaction licenses; written by [`beside`]).

use std::collections::HashMap;

use chrono::Utc;
use netlicensing_core::{
    RepoError, VendorId,
    model::{
        List, Property,
        entity::WarningLevelSummary,
        types::{WireEnum, WireValue},
    },
    record::{Kind, NewRecord, Record, RecordId, aliases},
};
use sea_orm::{
    ConnectionTrait, Value,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};

mod beside;

use beside::write_beside;

use super::{
    errors::{failure, repo_error},
    rows::names,
    schema::table,
};

/// A record's properties and lists, sorted by where they are kept.
#[derive(Debug, Default)]
pub struct Split {
    /// Column values of the table's fields, in field order (NULL where absent).
    pub columns: Vec<(&'static str, Value)>,
    /// Custom properties, in order, names unique (the last value of a repeated name wins).
    pub attributes: Vec<(String, String)>,
    /// A licensee's aliases.
    pub aliases: Vec<String>,
    /// A license's floating sessions: id and expiry.
    pub sessions: Vec<(String, String)>,
    /// A license's node secrets: slot and secret.
    pub nodes: Vec<(i32, String)>,
    /// A bundle's template numbers.
    pub templates: Vec<String>,
    /// A product's discounts.
    pub discounts: Vec<List>,
    /// A transaction's license numbers.
    pub joins: Vec<String>,
    /// True when made from a record (false for the default, which stands for "unknown").
    pub complete: bool,
}

/// Sorts a record's properties and lists by where they are kept.
pub fn split(kind: Kind, properties: &[Property], lists: &[List]) -> Result<Split, RepoError> {
    let table = table(kind);
    let mut out = Split { complete: true, ..Split::default() };
    let mut values: HashMap<&str, Value> = HashMap::new();
    for property in properties {
        let (name, value) = (property.name.as_str(), property.value.as_str());
        if let Some(field) = table.field(name) {
            values.insert(field.column, field.value(value)?);
            continue;
        }
        match kind {
            Kind::Licensee if name == names::ALIASES => out.aliases = aliases(properties),
            Kind::License if name.starts_with(names::SESSION) && name.len() > names::SESSION.len() => {
                out.sessions.push((name[names::SESSION.len()..].to_owned(), value.to_owned()));
            }
            Kind::License if node_slot(name).is_some() => {
                out.nodes.push((node_slot(name).unwrap_or_default(), value.to_owned()));
            }
            Kind::Bundle if name == names::BUNDLE_TEMPLATES => {
                out.templates = value.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect();
            }
            _ => {
                out.attributes.retain(|(n, _)| n != name);
                out.attributes.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    for field in table.fields {
        out.columns.push((field.column, values.remove(field.column).unwrap_or_else(|| field.null())));
    }
    if kind == Kind::Licensee {
        out.columns.push((WARNING_LEVEL, warning_level(properties)));
    }
    for list in lists {
        match (kind, list.name.as_str()) {
            (Kind::Product, names::DISCOUNT) => out.discounts.push(list.clone()),
            (Kind::Transaction, names::JOIN) => {
                if let Some(number) = list.property("licenseNumber") {
                    out.joins.push(number.to_owned());
                }
            }
            (_, name) => log::warn!("a {kind:?} list '{name}' has no place in the store and is not kept"),
        }
    }
    Ok(out)
}

/// The licensee column holding the worst level of its `warningLevelSummary`, for the dashboard's counts.
const WARNING_LEVEL: &str = "warning_level";

/// The worst warning level of a licensee's summary (NULL without a summary or a level).
fn warning_level(properties: &[Property]) -> Value {
    let summary = properties.iter().find(|p| p.name == "warningLevelSummary");
    let level = summary.and_then(|p| WarningLevelSummary::parse_wire(&p.value)).and_then(|s| s.worst());
    Value::String(level.map(|l| l.as_str().to_owned()))
}

/// The slot of a `nodeSecret<N>` property.
fn node_slot(name: &str) -> Option<i32> {
    let digits = name.strip_prefix(names::NODE)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Inserts a record and what it keeps beside its row; returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    record: &NewRecord,
) -> Result<RecordId, RepoError> {
    insert_unless(db, vendor, kind, record, false).await?.ok_or_else(|| RepoError::Failure("no id returned".into()))
}

/// [`insert`], or nothing when `unless_taken` and the vendor has a record of that kind with the record's number
/// (`None`; `INSERT ... ON CONFLICT (vendor_id, number) DO NOTHING`, so the transaction goes on).
pub async fn insert_unless<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    record: &NewRecord,
    unless_taken: bool,
) -> Result<Option<RecordId>, RepoError> {
    let table = table(kind);
    let split = split(kind, &record.properties, &record.lists)?;
    let now = Utc::now();
    let mut columns: Vec<&str> = vec!["vendor_id", "number", "active", "created_at", "updated_at"];
    let mut values: Vec<Value> =
        vec![vendor.0.into(), record.number.clone().into(), record.active.into(), now.into(), now.into()];
    for (link, column) in table.parents {
        let id =
            record.links.get(*link).map(|l| l.id).ok_or_else(|| RepoError::Failure(format!("missing {link:?}")))?;
        columns.push(column);
        values.push(id.into());
    }
    for (column, value) in &split.columns {
        columns.push(column);
        values.push(value.clone());
    }
    let mut q = Query::insert();
    q.into_table(table.name)
        .columns(columns)
        .values(values.into_iter().map(Expr::val))
        .map_err(|e| RepoError::Failure(e.to_string()))?
        .returning_col("id");
    if unless_taken {
        q.on_conflict(OnConflict::columns(["vendor_id", "number"]).do_nothing().to_owned());
    }
    // No row: the number was taken (only possible with `unless_taken`; [`insert`] reports it otherwise).
    let Some(row) = db.query_one(&q).await.map_err(|e| repo_error(e, Some(&record.number)))? else {
        return Ok(None);
    };
    let id: i64 = row.try_get_by("id").map_err(|e| RepoError::Failure(format!("id: {e:?}")))?;
    write_beside(db, vendor, table, id, &split, None).await?;
    Ok(Some(id))
}

/// Replaces a record's number, active flag and properties (links stay). With the record as this transaction
/// read it (`previous`), only what changed is written: the row when one of its columns did (a floating
/// check-out, say, adds a session and leaves the license's row as it was), the side tables whose content did.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    record: &Record,
    previous: Option<&Record>,
) -> Result<(), RepoError> {
    let table = table(kind);
    let split = split(kind, &record.properties, &record.lists)?;
    let before = match previous {
        Some(previous) => Some(self::split(kind, &previous.properties, &previous.lists)?),
        None => None,
    };
    let row_changed = match (previous, &before) {
        (Some(previous), Some(before)) => {
            previous.number != record.number || previous.active != record.active || before.columns != split.columns
        }
        _ => true,
    };
    if row_changed {
        let mut q = Query::update();
        q.table(table.name)
            .value("number", record.number.clone())
            .value("active", record.active)
            .value("updated_at", Utc::now())
            .and_where(Expr::col("vendor_id").eq(vendor.0))
            .and_where(Expr::col("id").eq(record.id));
        for (column, value) in &split.columns {
            q.value(*column, value.clone());
        }
        db.execute(&q).await.map_err(|e| repo_error(e, Some(&record.number)))?;
    }
    write_beside(db, vendor, table, record.id, &split, Some(before.unwrap_or_default())).await
}

/// Deletes a record; its children and side rows go with it (foreign keys; triggers for `attribute`).
pub async fn delete<C: ConnectionTrait>(db: &C, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
    let q = Query::delete()
        .from_table(table(kind).name)
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    db.execute(&q).await.map_err(failure)?;
    Ok(())
}

/// Moves a record to another parent (the parent was found with a vendor-scoped read).
pub async fn relink<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    id: RecordId,
    column: &str,
    parent: RecordId,
) -> Result<(), RepoError> {
    let q = Query::update()
        .table(table(kind).name)
        .value(sea_orm::sea_query::Alias::new(column), parent)
        .value("updated_at", Utc::now())
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    db.execute(&q).await.map_err(failure)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_go_where_they_are_kept() {
        let properties = vec![
            Property::new("name", "L"),
            Property::new("usedQuantity", "3"),
            Property::new("sessionId_s1", "2024-01-10T00:10:00.000Z"),
            Property::new("nodeSecret0", "n0"),
            Property::new("nodeSecretMode", "custom"),
            Property::new("crm", "1"),
            Property::new("crm", "2"),
        ];
        let split = split(Kind::License, &properties, &[]).unwrap();
        assert_eq!(split.sessions, [("s1".to_owned(), "2024-01-10T00:10:00.000Z".to_owned())]);
        assert_eq!(split.nodes, [(0, "n0".to_owned())]);
        assert_eq!(
            split.attributes,
            [("nodeSecretMode".to_owned(), "custom".to_owned()), ("crm".to_owned(), "2".to_owned())]
        );
        assert!(split.columns.iter().any(|(c, v)| *c == "used_quantity" && *v == Value::from(3i64)));
        let summary = [Property::new("warningLevelSummary", r#"{"RED":[],"YELLOW":["M2"],"GREEN":["M1"]}"#)];
        let licensee = super::split(Kind::Licensee, &summary, &[]).unwrap();
        assert!(licensee.columns.contains(&(WARNING_LEVEL, Value::from("YELLOW".to_owned()))), "the worst level");
        let never = super::split(Kind::Licensee, &[], &[]).unwrap();
        assert!(never.columns.contains(&(WARNING_LEVEL, Value::String(None))));
        let overflow = [Property::new("quantity", "99999999999999999999")];
        assert!(matches!(super::split(Kind::License, &overflow, &[]), Err(RepoError::OutOfRange(_))));
    }
}
