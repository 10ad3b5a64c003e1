//! The record selects, built with sea-query: a kind's row with its links and `inUse`, the list conditions
//! (numbers, flags, links, standard and custom properties), counts and pages. Every condition is a test on
//! the record's own table (links and custom properties through indexed subqueries), so counts need no joins.

use netlicensing_core::{
    VendorId,
    record::{Condition, Kind, LinkKind, Order as ListOrder},
};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, LockType, NullOrdering, Order, Query, SelectStatement,
};

use super::schema::{T, joins, reaches, table};

/// The columns and joins of a kind's records: `id, number, active`, the field columns, per link
/// `<alias>_id, <alias>_number`, and `in_use`; scoped to the vendor.
pub fn records(kind: Kind, vendor: VendorId) -> SelectStatement {
    records_knowing(kind, vendor, &[])
}

/// [`records`] for rows whose links of some kinds the enclosing query knows already: such a link's
/// `<alias>_id, <alias>_number` are the given expressions instead of a join (validation's licenses all belong
/// to the licensee it read, and to that licensee's product). A link reached through a known one must be
/// known too.
pub fn records_knowing(kind: Kind, vendor: VendorId, known: &[(Kind, Expr, Expr)]) -> SelectStatement {
    let table = table(kind);
    let mut q = Query::select();
    q.from_as(table.name, T).columns([(T, "id"), (T, "number"), (T, "active")]);
    for field in table.fields {
        q.column((T, field.column));
    }
    for join in joins(kind) {
        let (id, number) = match known.iter().find(|(link, _, _)| *link == join.link) {
            Some((_, id, number)) => (id.clone(), number.clone()),
            None => {
                q.join_as(
                    JoinType::InnerJoin,
                    join.table,
                    join.alias,
                    Expr::col((join.alias, "id")).equals((join.from, join.column)),
                );
                (Expr::col((join.alias, "id")), Expr::col((join.alias, "number")))
            }
        };
        q.expr_as(id, Alias::new(format!("{}_id", join.alias)));
        q.expr_as(number, Alias::new(format!("{}_number", join.alias)));
    }
    q.expr_as(in_use(kind), "in_use");
    q.and_where(Expr::col((T, "vendor_id")).eq(vendor.0));
    q
}

/// `in_use`: whether a child row points at the record (each test served by the child's (vendor, parent)
/// index).
fn in_use(kind: Kind) -> Expr {
    let tests: Vec<Expr> = super::schema::children(kind)
        .into_iter()
        .map(|(child, column)| {
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(child, "c")
                    .and_where(Expr::col(("c", "vendor_id")).equals((T, "vendor_id")))
                    .and_where(Expr::col(("c", column)).equals((T, "id")))
                    .to_owned(),
            )
        })
        .collect();
    tests.into_iter().reduce(|a, b| a.or(b)).unwrap_or_else(|| Expr::val(false))
}

/// One record by number or id.
pub fn one(kind: Kind, vendor: VendorId, key: Key<'_>) -> SelectStatement {
    let mut q = records(kind, vendor);
    match key {
        Key::Number(number) => q.and_where(Expr::col((T, "number")).eq(number)),
        Key::Id(id) => q.and_where(Expr::col((T, "id")).eq(id)),
    };
    q
}

/// How a single record is named.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// By number.
    Number(&'a str),
    /// By storage id.
    Id(i64),
}

/// The licensee one of whose aliases is `alias`.
pub fn licensee_by_alias(vendor: VendorId, alias: &str) -> SelectStatement {
    let mut q = records(Kind::Licensee, vendor);
    q.and_where(
        Expr::col((T, "id")).in_subquery(
            Query::select()
                .column("licensee_id")
                .from("licensee_alias")
                .and_where(Expr::col("vendor_id").eq(vendor.0))
                .and_where(Expr::col("alias").eq(alias))
                .to_owned(),
        ),
    );
    q
}

/// Adds the list conditions to a select over `t`.
pub fn filter(q: &mut SelectStatement, kind: Kind, vendor: VendorId, conditions: &[Condition]) {
    for condition in conditions {
        q.and_where(test(kind, vendor, condition));
    }
}

fn test(kind: Kind, vendor: VendorId, condition: &Condition) -> Expr {
    match condition {
        Condition::Number(number) => Expr::col((T, "number")).eq(number.as_str()),
        Condition::Active(active) => Expr::col((T, "active")).eq(*active),
        Condition::Link(link, number) => link_test(kind, Some(T), vendor, *link, number),
        Condition::Property(name, value) => property_test(kind, vendor, name, value),
        Condition::After(id) => Expr::col((T, "id")).gt(*id),
    }
}

/// `link` has `number`: the foreign key is in the ids of the parent's table (direct) or of the parent rows
/// that themselves reach it, each found by the (vendor, number) or (vendor, parent) index.
fn link_test(kind: Kind, qualifier: Option<&'static str>, vendor: VendorId, link: LinkKind, number: &str) -> Expr {
    let column = |c: &'static str| match qualifier {
        Some(q) => Expr::col((q, c)),
        None => Expr::col(c),
    };
    let table = table(kind);
    if let Some(fk) = table.parent_column(link) {
        return column(fk).in_subquery(
            Query::select()
                .column("id")
                .from(super::schema::table(link).name)
                .and_where(Expr::col("vendor_id").eq(vendor.0))
                .and_where(Expr::col("number").eq(number))
                .to_owned(),
        );
    }
    for (parent, fk) in table.parents {
        if reaches(*parent, link) {
            return column(fk).in_subquery(
                Query::select()
                    .column("id")
                    .from(super::schema::table(*parent).name)
                    .and_where(Expr::col("vendor_id").eq(vendor.0))
                    .and_where(link_test(*parent, None, vendor, link, number))
                    .to_owned(),
            );
        }
    }
    Expr::val(false)
}

/// A property has exactly `value`: a standard one in its column (a value its column cannot hold matches
/// nothing), a custom one through `attribute`'s (vendor, kind, name, value) index.
fn property_test(kind: Kind, vendor: VendorId, name: &str, value: &str) -> Expr {
    let table = table(kind);
    if let Some(field) = table.field(name) {
        return match field.value(value) {
            Ok(value) => Expr::col((T, field.column)).eq(value),
            Err(_) => Expr::val(false),
        };
    }
    Expr::col((T, "id")).in_subquery(
        Query::select()
            .column("entity_id")
            .from("attribute")
            .and_where(Expr::col("vendor_id").eq(vendor.0))
            .and_where(Expr::col("kind").eq(table.name))
            .and_where(Expr::col("name").eq(name))
            .and_where(Expr::col("value").eq(value))
            .to_owned(),
    )
}

/// The ids of one page of matching records, in the query's order: by id, either way (an index-only walk of
/// (vendor, id)), or by name, without a name first (licensees: a walk of (vendor, name, id)).
pub fn page_ids(
    kind: Kind,
    vendor: VendorId,
    conditions: &[Condition],
    order: ListOrder,
    limit: u64,
    offset: u64,
) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(table(kind).name, T).column((T, "id")).and_where(Expr::col((T, "vendor_id")).eq(vendor.0));
    filter(&mut q, kind, vendor, conditions);
    order_by(&mut q, kind, order);
    q.limit(limit).offset(offset);
    q
}

/// Orders a select over `t` as a list asks.
pub fn order_by(q: &mut SelectStatement, kind: Kind, order: ListOrder) {
    if let (ListOrder::Name, Some(name)) = (order, table(kind).field("name")) {
        // NULLS FIRST on both databases (SQLite's order of NULLs in an ascending index; PostgreSQL's index on
        // licensee names is made so).
        q.order_by_with_nulls((T, name.column), Order::Asc, NullOrdering::First);
    }
    // Newest first walks the (vendor, id) index backwards: the first page reads 25 entries, not the whole index.
    q.order_by((T, "id"), if order == ListOrder::Newest { Order::Desc } else { Order::Asc });
}

/// The number of matching records, without joins.
pub fn count(kind: Kind, vendor: VendorId, conditions: &[Condition]) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(table(kind).name, T)
        .expr_as(Expr::col(Asterisk).count(), "n")
        .and_where(Expr::col((T, "vendor_id")).eq(vendor.0));
    filter(&mut q, kind, vendor, conditions);
    q
}

/// Locks a record's row until the transaction ends (PostgreSQL).
pub fn lock(kind: Kind, vendor: VendorId, id: i64) -> SelectStatement {
    Query::select()
        .column("id")
        .from(table(kind).name)
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("id").eq(id))
        .lock(LockType::Update)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    use super::*;

    #[test]
    fn a_licensees_licenses_are_found_through_its_number_without_joins() {
        let vendor = VendorId(7);
        let condition = Condition::Link(LinkKind::Licensee, "I1".into());
        let sql = count(Kind::License, vendor, std::slice::from_ref(&condition)).to_string(SqliteQueryBuilder);
        assert!(!sql.contains("JOIN"), "{sql}");
        assert!(
            sql.contains(
                r#""t"."licensee_id" IN (SELECT "id" FROM "licensee" WHERE "vendor_id" = 7 AND "number" = 'I1')"#
            ),
            "{sql}"
        );
        let derived = Condition::Link(LinkKind::Product, "P1".into());
        let sql = count(Kind::LicenseTemplate, vendor, &[derived]).to_string(PostgresQueryBuilder);
        assert!(sql.contains(r#""product_module_id" IN (SELECT "id" FROM "product_module""#), "{sql}");
        assert!(sql.contains(r#""product_id" IN (SELECT "id" FROM "product""#), "{sql}");
    }

    #[test]
    fn property_filters_use_columns_or_attributes() {
        let vendor = VendorId(1);
        let standard = Condition::Property("price".into(), "10.5".into());
        let sql = count(Kind::License, vendor, &[standard]).to_string(SqliteQueryBuilder);
        assert!(sql.contains(r#""t"."price_minor" = 1050"#), "{sql}");
        let custom = Condition::Property("crm".into(), "7".into());
        let sql = count(Kind::License, vendor, &[custom]).to_string(SqliteQueryBuilder);
        assert!(sql.contains(r#""kind" = 'license' AND "name" = 'crm' AND "value" = '7'"#), "{sql}");
        let literal = Condition::Property("crm".into(), "what?".into());
        let sql = count(Kind::License, vendor, &[literal]).to_string(PostgresQueryBuilder);
        assert!(sql.contains("'what?'"), "a literal ? stays a literal: {sql}");
    }
}
