//! Records from rows: the resource row (its columns, links and `inUse`), then what the tables beside it hold
//! for a batch of records (custom properties, aliases, sessions, node secrets, discounts, bundle templates,
//! transaction licenses), each read with one indexed query per batch.

use std::collections::HashMap;

use netlicensing_core::{
    RepoError, VendorId,
    model::{List, Property},
    record::{Kind, Link, Links, Record},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    sea_query::{Expr, ExprTrait, JoinType, Query, SelectStatement, UnionType},
};

use super::{
    entity::{attribute, bundle_template, product_discount},
    errors::failure,
    schema::{joins, table},
};

/// Property names kept in tables of their own.
pub mod names {
    /// A licensee's aliases (JSON array of strings).
    pub const ALIASES: &str = "aliases";
    /// Prefix of a floating session (`sessionId_<id>` = its expiry).
    pub const SESSION: &str = "sessionId_";
    /// Prefix of a node secret (`nodeSecret<slot>`).
    pub const NODE: &str = "nodeSecret";
    /// A bundle's templates (comma-separated numbers).
    pub const BUNDLE_TEMPLATES: &str = "licenseTemplateNumbers";
    /// A product's discount lists.
    pub const DISCOUNT: &str = "discount";
    /// A transaction's license lists.
    pub const JOIN: &str = "licenseTransactionJoin";
}

/// Largest id batch of one `IN` list.
const BATCH: usize = 500;

/// The records of rows of [`super::select::records`], without what the side tables hold (the link columns
/// are named once for all rows).
pub fn records(kind: Kind, rows: &[QueryResult]) -> Result<Vec<Record>, RepoError> {
    let links: Vec<(Kind, String, String)> = joins(kind)
        .into_iter()
        .map(|join| (join.link, format!("{}_id", join.alias), format!("{}_number", join.alias)))
        .collect();
    rows.iter().map(|row| record(kind, &links, row)).collect()
}

/// A record from a row, its links read from the named columns.
fn record(kind: Kind, link_columns: &[(Kind, String, String)], row: &QueryResult) -> Result<Record, RepoError> {
    let get_i64 = |c: &str| row.try_get_by::<i64, _>(c).map_err(|e| RepoError::Failure(format!("{c}: {e:?}")));
    let mut links = Links::default();
    for (link, id_column, number_column) in link_columns {
        let id = get_i64(id_column)?;
        let number: String = row
            .try_get_by(number_column.as_str())
            .map_err(|e| RepoError::Failure(format!("{number_column}: {e:?}")))?;
        links.set(*link, Some(Link { id, number }));
    }
    let mut properties = Vec::new();
    for field in table(kind).fields {
        if let Some(value) = field.read(row)? {
            properties.push(Property { name: field.wire.to_owned(), value });
        }
    }
    Ok(Record {
        id: get_i64("id")?,
        number: row.try_get_by("number").map_err(|e| RepoError::Failure(format!("number: {e:?}")))?,
        active: row.try_get_by("active").map_err(|e| RepoError::Failure(format!("active: {e:?}")))?,
        links,
        properties,
        lists: Vec::new(),
        in_use: row.try_get_by("in_use").map_err(|e| RepoError::Failure(format!("in_use: {e:?}")))?,
    })
}

/// Adds to each record what the side tables hold for it, in one query per table and batch.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    records: &mut [Record],
) -> Result<(), RepoError> {
    if records.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    for batch in ids.chunks(BATCH) {
        let batch = batch.to_vec();
        match kind {
            // The hot path of validation: everything beside the row in one query.
            Kind::Licensee | Kind::License => {
                beside(db, vendor, kind, &batch, records).await?;
                continue;
            }
            Kind::Product => discounts(db, vendor, &batch, records, &index).await?,
            Kind::Bundle => bundle_templates(db, vendor, &batch, records, &index).await?,
            Kind::Transaction => transaction_licenses(db, vendor, &batch, records, &index).await?,
            _ => {}
        }
        let rows = attribute::Entity::find()
            .filter(attribute::Column::VendorId.eq(vendor.0))
            .filter(attribute::Column::Kind.eq(table(kind).name))
            .filter(attribute::Column::EntityId.is_in(batch))
            .order_by_asc(attribute::Column::EntityId)
            .order_by_asc(attribute::Column::Position)
            .all(db)
            .await
            .map_err(failure)?;
        for row in rows {
            if let Some(&i) = index.get(&row.entity_id) {
                records[i].properties.push(Property { name: row.name, value: row.value });
            }
        }
    }
    Ok(())
}

/// A licensee's alias (the sources [`side`] reads, in the order their properties are shown).
pub const ALIAS: i32 = 0;
/// A license's floating session.
pub const SESSION: i32 = 1;
/// A license's node secret.
pub const NODE: i32 = 2;
/// A custom property.
pub const ATTRIBUTE: i32 = 3;

/// One row of [`side`]: where it comes from, whose it is, its position, name and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideRow {
    /// Which table ([`ALIAS`], [`SESSION`], [`NODE`] or [`ATTRIBUTE`]).
    pub src: i32,
    /// The record's id.
    pub owner: i64,
    /// Position (alias, attribute), slot (node secret) or 0.
    pub pos: i32,
    /// Attribute name or session id (empty otherwise).
    pub name: String,
    /// The value.
    pub value: String,
}

/// Whose side rows a [`side`] select reads.
#[derive(Debug, Clone, Copy)]
pub enum Owners<'a> {
    /// The records with these ids.
    Ids(&'a [i64]),
    /// The record `<alias>.id` of the enclosing query (a correlated subquery).
    Outer(&'static str),
    /// The licenses of the licensee `<alias>.id` of the enclosing query, joined from the license table's
    /// (vendor, licensee) index: an `IN (SELECT id FROM license ...)` would make SQLite build a temporary index
    /// of the ids in each part, on every run. SQLite only: the license table is the outer loop of a
    /// `CROSS JOIN` (SQLite keeps that order), so each side table is probed per license; on its own, without
    /// statistics of `attribute` (empty when last analysed), the planner read every custom property of every
    /// license in `attribute`'s key (`kind=?`) and looked each owner up among the licensee's licenses.
    LicensesOfOuter(&'static str),
    /// The same licenses, each license's side rows read by their own index probes, in a `LATERAL` join
    /// (PostgreSQL). Joined as [`Owners::LicensesOfOuter`], PostgreSQL may hash-join a sequential scan of a
    /// whole side table whenever its costs favour that (floating sessions from a few thousand rows on, reading
    /// every session of every vendor on each validation that missed the cache); a lateral part can only be
    /// probed per license. SQLite has no `LATERAL` (and probes per license anyway).
    EachLicenseOfOuter(&'static str),
}

/// Alias of the license whose side rows a lateral part of [`Owners::EachLicenseOfOuter`] reads.
const LICENSE: &str = "o";
/// Alias of the lateral select of [`Owners::EachLicenseOfOuter`].
const LATERAL: &str = "p";

/// Alias of the side table in each part of [`side`].
const S: &str = "s";

/// What the tables beside a licensee (aliases, custom properties) or a license (sessions, node secrets,
/// custom properties) hold, as one `UNION ALL` select of `src, owner, pos, name, value` for the `owners`.
///
/// Each part is found through its owner (the primary key's leading columns, or the alias table's licensee
/// index); the vendor is tested on every row found but written `+vendor_id`, which no index can serve. Left
/// indexable, the vendor test ties with the owner test (one equality each, or two against two on `attribute`),
/// and on SQLite without statistics of the table (empty when last analysed: the floating sessions of a new
/// server) the planner chose the vendor's index, `ix_license_session_vendor_expires` or
/// `ix_attribute_vendor_kind_name_value`, and read every session or custom property of the vendor on every
/// validation that missed the cache.
pub fn side(kind: Kind, vendor: VendorId, owners: Owners<'_>) -> SelectStatement {
    if let Owners::EachLicenseOfOuter(outer) = owners {
        let each = side(kind, vendor, Owners::Outer(LICENSE));
        let mut q = Query::select();
        q.columns(["src", "owner", "pos", "name", "value"].map(|c| (LATERAL, c)))
            .from_as("license", LICENSE)
            .join_lateral(JoinType::InnerJoin, each, LATERAL, Expr::cust("TRUE"))
            .and_where(Expr::col((LICENSE, "vendor_id")).eq(vendor.0))
            .and_where(Expr::col((LICENSE, "licensee_id")).equals((outer, "id")));
        return q;
    }
    let part = |src: i32, table: &'static str, owner: &'static str, pos: Expr, name: Expr, value: &'static str| {
        let mut q = Query::select();
        q.expr_as(Expr::cust(src.to_string()), "src")
            .expr_as(Expr::col((S, owner)), "owner")
            .expr_as(pos, "pos")
            .expr_as(name, "name")
            .expr_as(Expr::col((S, value)), "value");
        match owners {
            Owners::Ids(ids) => q.from_as(table, S).and_where(Expr::col((S, owner)).is_in(ids.iter().copied())),
            Owners::Outer(outer) => q.from_as(table, S).and_where(Expr::col((S, owner)).equals((outer, "id"))),
            // (sea-query writes no `ON` after a `CROSS JOIN`: the join's condition is in the `WHERE`.)
            Owners::LicensesOfOuter(outer) => q
                .from_as("license", LICENSE)
                .join_as(JoinType::CrossJoin, table, S, Expr::cust("TRUE"))
                .and_where(Expr::col((S, owner)).equals((LICENSE, "id")))
                .and_where(Expr::col((LICENSE, "vendor_id")).eq(vendor.0))
                .and_where(Expr::col((LICENSE, "licensee_id")).equals((outer, "id"))),
            // The parts of the lateral select (built with `Outer`, see above).
            Owners::EachLicenseOfOuter(_) => {
                q.from_as(table, S).and_where(Expr::col((S, owner)).equals((LICENSE, "id")))
            }
        };
        q.and_where(Expr::cust(format!("+\"{S}\".\"vendor_id\"")).eq(vendor.0));
        q
    };
    let column = |name: &'static str| Expr::col((S, name));
    let mut q = part(ATTRIBUTE, "attribute", "entity_id", column("position"), column("name"), "value");
    q.and_where(column("kind").eq(table(kind).name));
    if kind == Kind::Licensee {
        let aliases = part(ALIAS, "licensee_alias", "licensee_id", column("position"), Expr::cust("''"), "alias");
        q.union(UnionType::All, aliases);
    } else {
        let sessions = part(SESSION, "license_session", "license_id", Expr::cust("0"), column("session_id"), "expires");
        let nodes = part(NODE, "license_node", "license_id", column("slot"), Expr::cust("''"), "secret");
        q.union(UnionType::All, sessions).union(UnionType::All, nodes);
    }
    q
}

/// A licensee's aliases and custom properties, or a license's sessions, node secrets and custom properties,
/// for a batch of records in one query (one round trip where validation would need three).
async fn beside<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    kind: Kind,
    ids: &[i64],
    records: &mut [Record],
) -> Result<(), RepoError> {
    let q = side(kind, vendor, Owners::Ids(ids));
    let fail = |e: sea_orm::DbErr| RepoError::Failure(format!("{e:?}"));
    let mut found = Vec::new();
    for row in db.query_all(&q).await.map_err(failure)? {
        found.push(SideRow {
            src: row.try_get_by("src").map_err(fail)?,
            owner: row.try_get_by("owner").map_err(fail)?,
            pos: row.try_get_by("pos").map_err(fail)?,
            name: row.try_get_by("name").map_err(fail)?,
            value: row.try_get_by("value").map_err(fail)?,
        });
    }
    apply_side(kind, found, records)
}

/// Adds side rows to their records, in the order the properties are shown (by owner, source, position).
pub fn apply_side(kind: Kind, mut found: Vec<SideRow>, records: &mut [Record]) -> Result<(), RepoError> {
    found.sort_by_key(|row| (row.owner, row.src, row.pos));
    let index: HashMap<i64, usize> = records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut aliases: Vec<(i64, Vec<String>)> = Vec::new();
    for row in found {
        let Some(&i) = index.get(&row.owner) else { continue };
        let property = match row.src {
            ALIAS if kind == Kind::Licensee => {
                match aliases.last_mut() {
                    Some((owner, list)) if *owner == row.owner => list.push(row.value),
                    _ => aliases.push((row.owner, vec![row.value])),
                }
                continue;
            }
            SESSION => Property::new(format!("{}{}", names::SESSION, row.name), row.value),
            NODE => Property::new(format!("{}{}", names::NODE, row.pos), row.value),
            _ => Property { name: row.name, value: row.value },
        };
        records[i].properties.push(property);
    }
    for (owner, list) in aliases {
        if let Some(&i) = index.get(&owner) {
            let text = serde_json::to_string(&list).map_err(|e| RepoError::Failure(e.to_string()))?;
            // A standard property: where it stands among the others does not matter.
            records[i].properties.push(Property::new(names::ALIASES, text));
        }
    }
    Ok(())
}

async fn discounts<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    ids: &[i64],
    records: &mut [Record],
    index: &HashMap<i64, usize>,
) -> Result<(), RepoError> {
    let rows = product_discount::Entity::find()
        .filter(product_discount::Column::VendorId.eq(vendor.0))
        .filter(product_discount::Column::ProductId.is_in(ids.to_vec()))
        .order_by_asc(product_discount::Column::ProductId)
        .order_by_asc(product_discount::Column::Position)
        .all(db)
        .await
        .map_err(failure)?;
    for row in rows {
        if let Some(&i) = index.get(&row.product_id) {
            let mut list = List::new(names::DISCOUNT);
            list.push("totalPrice", super::fields::money_text(row.total_price_minor));
            list.push("currency", row.currency);
            if let Some(fix) = row.amount_fix {
                list.push("amountFix", fix);
            }
            if let Some(percent) = row.amount_percent {
                list.push("amountPercent", percent);
            }
            records[i].lists.push(list);
        }
    }
    Ok(())
}

async fn bundle_templates<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    ids: &[i64],
    records: &mut [Record],
    index: &HashMap<i64, usize>,
) -> Result<(), RepoError> {
    let rows = bundle_template::Entity::find()
        .filter(bundle_template::Column::VendorId.eq(vendor.0))
        .filter(bundle_template::Column::BundleId.is_in(ids.to_vec()))
        .order_by_asc(bundle_template::Column::BundleId)
        .order_by_asc(bundle_template::Column::Position)
        .all(db)
        .await
        .map_err(failure)?;
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        grouped.entry(row.bundle_id).or_default().push(row.license_template_number);
    }
    for (id, numbers) in grouped {
        if let Some(&i) = index.get(&id) {
            records[i].properties.push(Property::new(names::BUNDLE_TEMPLATES, numbers.join(",")));
        }
    }
    Ok(())
}

async fn transaction_licenses<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    ids: &[i64],
    records: &mut [Record],
    index: &HashMap<i64, usize>,
) -> Result<(), RepoError> {
    // The license's current number while it exists, else the number it had when joined.
    let q = Query::select()
        .column(("tl", "transaction_id"))
        .expr_as(Expr::col(("l", "number")).if_null(Expr::col(("tl", "license_number"))), "license_number")
        .from_as("transaction_license", "tl")
        .join_as(JoinType::LeftJoin, "license", "l", Expr::col(("l", "id")).equals(("tl", "license_id")))
        .and_where(Expr::col(("tl", "vendor_id")).eq(vendor.0))
        .and_where(Expr::col(("tl", "transaction_id")).is_in(ids.to_vec()))
        .order_by(("tl", "transaction_id"), sea_orm::sea_query::Order::Asc)
        .order_by(("tl", "position"), sea_orm::sea_query::Order::Asc)
        .to_owned();
    for row in db.query_all(&q).await.map_err(failure)? {
        let id: i64 = row.try_get_by("transaction_id").map_err(|e| RepoError::Failure(format!("{e:?}")))?;
        let number: String = row.try_get_by("license_number").map_err(|e| RepoError::Failure(format!("{e:?}")))?;
        if let Some(&i) = index.get(&id) {
            let mut list = List::new(names::JOIN);
            list.push("licenseNumber", number);
            list.push("transactionNumber", records[i].number.clone());
            records[i].lists.push(list);
        }
    }
    Ok(())
}
