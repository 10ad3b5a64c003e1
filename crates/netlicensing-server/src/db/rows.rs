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
    sea_query::{Expr, ExprTrait, JoinType, Query},
};

use super::{
    entity::{attribute, bundle_template, license_node, license_session, licensee_alias, product_discount},
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

/// A record from a row of [`super::select::records`], without what the side tables hold.
pub fn record(kind: Kind, row: &QueryResult) -> Result<Record, RepoError> {
    let get_i64 = |c: &str| row.try_get_by::<i64, _>(c).map_err(|e| RepoError::Failure(format!("{c}: {e:?}")));
    let mut links = Links::default();
    for join in joins(kind) {
        let id = get_i64(&format!("{}_id", join.alias))?;
        let number: String = row
            .try_get_by(format!("{}_number", join.alias).as_str())
            .map_err(|e| RepoError::Failure(format!("{}_number: {e:?}", join.alias)))?;
        links.set(join.link, Some(Link { id, number }));
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
            Kind::Licensee => aliases(db, vendor, &batch, records, &index).await?,
            Kind::License => validation_state(db, vendor, &batch, records, &index).await?,
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

async fn aliases<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    ids: &[i64],
    records: &mut [Record],
    index: &HashMap<i64, usize>,
) -> Result<(), RepoError> {
    let rows = licensee_alias::Entity::find()
        .filter(licensee_alias::Column::VendorId.eq(vendor.0))
        .filter(licensee_alias::Column::LicenseeId.is_in(ids.to_vec()))
        .order_by_asc(licensee_alias::Column::LicenseeId)
        .order_by_asc(licensee_alias::Column::Position)
        .all(db)
        .await
        .map_err(failure)?;
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        grouped.entry(row.licensee_id).or_default().push(row.alias);
    }
    for (id, aliases) in grouped {
        if let Some(&i) = index.get(&id) {
            let text = serde_json::to_string(&aliases).map_err(|e| RepoError::Failure(e.to_string()))?;
            records[i].properties.push(Property::new(names::ALIASES, text));
        }
    }
    Ok(())
}

async fn validation_state<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    ids: &[i64],
    records: &mut [Record],
    index: &HashMap<i64, usize>,
) -> Result<(), RepoError> {
    let sessions = license_session::Entity::find()
        .filter(license_session::Column::VendorId.eq(vendor.0))
        .filter(license_session::Column::LicenseId.is_in(ids.to_vec()))
        .order_by_asc(license_session::Column::LicenseId)
        .order_by_asc(license_session::Column::SessionId)
        .all(db)
        .await
        .map_err(failure)?;
    for row in sessions {
        if let Some(&i) = index.get(&row.license_id) {
            records[i].properties.push(Property::new(format!("{}{}", names::SESSION, row.session_id), row.expires));
        }
    }
    let nodes = license_node::Entity::find()
        .filter(license_node::Column::VendorId.eq(vendor.0))
        .filter(license_node::Column::LicenseId.is_in(ids.to_vec()))
        .order_by_asc(license_node::Column::LicenseId)
        .order_by_asc(license_node::Column::Slot)
        .all(db)
        .await
        .map_err(failure)?;
    for row in nodes {
        if let Some(&i) = index.get(&row.license_id) {
            records[i].properties.push(Property::new(format!("{}{}", names::NODE, row.slot), row.secret));
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
