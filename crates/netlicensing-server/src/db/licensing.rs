//! Validation's read in one statement: a licensee (by number, else by alias) with what the tables beside it
//! hold, its licenses and theirs. The licensee is an ordinary row; the rest comes as three JSON arrays built in
//! correlated subqueries (`json_group_array` on SQLite, `json_agg` on PostgreSQL), so the read is one round
//! trip and one row whatever the number of licenses. One statement reads one snapshot, so no transaction is
//! needed.

use netlicensing_core::{
    RepoError, VendorId,
    record::{Kind, LicenseeRecords, Link, Links, Record},
};
use std::sync::OnceLock;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, Statement, Value, Values,
    sea_query::{Alias, Expr, ExprTrait, Func, PostgresQueryBuilder, Query, SelectStatement, SqliteQueryBuilder},
};

use super::{
    errors::failure,
    fields::ColumnType,
    // The statement's last column (named as the licensee's): the revision, an integer.
    revision::COLUMN as REVISION,
    rows::{self, Owners, SideRow},
    schema::{T, joins, table},
    select,
};

/// Alias of the licensee row the subqueries refer to.
const OUTER: &str = "lx";

/// A licensee and its licenses, each completed from the side tables, with the licensee's revision; `None` when
/// no licensee of the vendor has `key` as its number or as an alias.
pub async fn read<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    key: &str,
) -> Result<Option<LicenseeRecords>, RepoError> {
    let Some(row) = db.query_one_raw(prepared(db.get_database_backend(), vendor, key)).await.map_err(failure)? else {
        return Ok(None);
    };
    let text = |column: &str| -> Result<Option<String>, RepoError> {
        row.try_get_by(column).map_err(|e| RepoError::Failure(format!("{column}: {e:?}")))
    };
    let texts = [text(COLUMNS[0])?, text(COLUMNS[1])?, text(COLUMNS[2])?, text(COLUMNS[3])?];
    let revision: i64 = row.try_get_by(REVISION).map_err(|e| RepoError::Failure(format!("{REVISION}: {e:?}")))?;
    decode(texts.each_ref().map(Option::as_deref), revision).map(Some)
}

/// The statement's first columns, each JSON text: the licensee's row, its side rows, its licenses, theirs.
pub const COLUMNS: [&str; 4] = ["licensee", "licensee_side", "licenses", "license_side"];

/// The licensee and its licenses from the statement's one row (its [`COLUMNS`] in order, and the revision).
/// The JSON is read straight into flat cells borrowed from the text (no `serde_json::Value` tree), then into
/// records.
pub fn decode(texts: [Option<&str>; 4], revision: i64) -> Result<LicenseeRecords, RepoError> {
    fn parse<'a, T: serde::Deserialize<'a>>(text: Option<&'a str>, i: usize, empty: T) -> Result<T, RepoError> {
        match text {
            None => Ok(empty),
            Some(text) => serde_json::from_str(text).map_err(|e| RepoError::Failure(format!("{}: {e}", COLUMNS[i]))),
        }
    }
    let licensee_row: Vec<Cell<'_>> = parse(texts[0], 0, Vec::new())?;
    let licensee_side: Vec<Vec<Cell<'_>>> = parse(texts[1], 1, Vec::new())?;
    let license_rows: Vec<Vec<Cell<'_>>> = parse(texts[2], 2, Vec::new())?;
    let license_side: Vec<Vec<Cell<'_>>> = parse(texts[3], 3, Vec::new())?;
    let mut licensee = vec![record(Kind::Licensee, &licensee_row)?];
    let mut licenses = license_rows.iter().map(|l| record(Kind::License, l)).collect::<Result<Vec<_>, _>>()?;
    licenses.sort_by_key(|l| l.id);
    rows::apply_side(Kind::Licensee, side_rows(&licensee_side)?, &mut licensee)?;
    rows::apply_side(Kind::License, side_rows(&license_side)?, &mut licenses)?;
    let licensee = licensee.pop().ok_or_else(|| RepoError::Failure("licensee: no row".into()))?;
    Ok(LicenseeRecords { licensee, licenses, revision: Some(revision) })
}

/// One value of the statement's JSON arrays: a scalar, its text borrowed from the statement's answer unless
/// it had escapes.
#[derive(Debug, Clone, PartialEq)]
enum Cell<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Any other number (not written by the statement; kept to say so).
    Float(f64),
    /// A string.
    Text(std::borrow::Cow<'a, str>),
}

impl<'a> Cell<'a> {
    fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            _ => None,
        }
    }

    /// A boolean as either engine writes it in JSON (SQLite: 0/1, PostgreSQL: false/true).
    fn boolean(&self) -> Option<bool> {
        match self {
            Cell::Bool(b) => Some(*b),
            Cell::Int(n) => Some(*n != 0),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Cell<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Cell<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON scalar")
            }
            fn visit_unit<E>(self) -> Result<Cell<'de>, E> {
                Ok(Cell::Null)
            }
            fn visit_none<E>(self) -> Result<Cell<'de>, E> {
                Ok(Cell::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Cell<'de>, E> {
                Ok(Cell::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Cell<'de>, E> {
                Ok(Cell::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Cell<'de>, E> {
                i64::try_from(v).map(Cell::Int).map_err(|_| E::custom("a number beyond 64 bits"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Cell<'de>, E> {
                Ok(Cell::Float(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cell<'de>, E> {
                Ok(Cell::Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Cell<'de>, E> {
                Ok(Cell::Text(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Cell<'de>, E> {
                Ok(Cell::Text(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Stand-ins for the vendor and the key in the statement built once per engine.
const VENDOR_STAND_IN: i64 = i64::MIN + 7_345_112;
const KEY_STAND_IN: &str = "\0key";

/// The statement's SQL and values with stand-ins, built once per engine (sea-query's building costs more than
/// SQLite's run of the query).
pub fn template(backend: DatabaseBackend) -> &'static (String, Values) {
    static SQLITE: OnceLock<(String, Values)> = OnceLock::new();
    static POSTGRES: OnceLock<(String, Values)> = OnceLock::new();
    let stand_ins = || statement(backend, VendorId(VENDOR_STAND_IN), KEY_STAND_IN);
    match backend {
        DatabaseBackend::Postgres => POSTGRES.get_or_init(|| stand_ins().build(PostgresQueryBuilder)),
        _ => SQLITE.get_or_init(|| stand_ins().build(SqliteQueryBuilder)),
    }
}

/// The statement's values for a vendor and key: the template's, with the stand-ins replaced.
pub fn values<'a>(template: &'a Values, vendor: VendorId, key: &'a str) -> impl Iterator<Item = Value> + 'a {
    template.iter().map(move |value| match value {
        Value::BigInt(Some(VENDOR_STAND_IN)) => Value::from(vendor.0),
        Value::String(Some(text)) if text.as_str() == KEY_STAND_IN => Value::from(key),
        other => other.clone(),
    })
}

/// The statement for a vendor and key.
fn prepared(backend: DatabaseBackend, vendor: VendorId, key: &str) -> Statement {
    let (sql, stand_ins) = template(backend);
    Statement::from_sql_and_values(backend, sql.as_str(), values(stand_ins, vendor, key))
}

/// The statement: the licensee's row (found by number, else by alias) and its `licensee_side`, `licenses` and
/// `license_side`, each as JSON text; no row when there is no such licensee.
fn statement(backend: DatabaseBackend, vendor: VendorId, key: &str) -> SelectStatement {
    // The licensee's id by number, else by alias: two index lookups (an `OR` of the two would make PostgreSQL
    // scan the vendor's licensees).
    let by_number = Query::select()
        .column("id")
        .from("licensee")
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("number").eq(key))
        .to_owned();
    let by_alias = Query::select()
        .column("licensee_id")
        .from("licensee_alias")
        .and_where(Expr::col("vendor_id").eq(vendor.0))
        .and_where(Expr::col("alias").eq(key))
        .to_owned();
    let id = Func::coalesce([
        Expr::SubQuery(None, Box::new(by_number.into())),
        Expr::SubQuery(None, Box::new(by_alias.into())),
    ]);
    let mut licensee = select::records(Kind::Licensee, vendor);
    licensee.and_where(Expr::col((T, "id")).eq(id)).expr_as(Expr::col((T, REVISION)), REVISION);

    // The licensee and its product are the row read above: no joins to them for each license.
    let known = [
        (Kind::Licensee, Expr::col((OUTER, "id")), Expr::col((OUTER, "number"))),
        (Kind::Product, Expr::col((OUTER, "product_id")), Expr::col((OUTER, "product_number"))),
    ];
    let mut licenses = select::records_knowing(Kind::License, vendor, &known);
    licenses.and_where(Expr::col((T, "licensee_id")).equals((OUTER, "id")));
    let license_columns = record_columns(Kind::License);

    let side_columns = ["src", "owner", "pos", "name", "value"];
    let licensee_side = rows::side(Kind::Licensee, vendor, Owners::Outer(OUTER));
    let license_side = match backend {
        DatabaseBackend::Postgres => rows::side(Kind::License, vendor, Owners::EachLicenseOfOuter(OUTER)),
        _ => rows::side(Kind::License, vendor, Owners::LicensesOfOuter(OUTER)),
    };
    let licensee_columns = record_columns(Kind::Licensee);
    let mut q = Query::select();
    q.expr_as(json_array(backend, OUTER, &licensee_columns), COLUMNS[0])
        .from_subquery(licensee, OUTER)
        .expr_as(aggregate(backend, licensee_side, &side_columns), COLUMNS[1])
        .expr_as(aggregate(backend, licenses, &license_columns), COLUMNS[2])
        .expr_as(aggregate(backend, license_side, &side_columns), COLUMNS[3])
        .expr_as(Expr::col((OUTER, REVISION)), REVISION);
    q
}

/// The columns of a record's select ([`select::records`]), in order: `id, number, active`, the fields, per
/// link `<alias>_id, <alias>_number`, `in_use`.
fn record_columns(kind: Kind) -> Vec<String> {
    let mut columns: Vec<String> = ["id", "number", "active"].map(String::from).to_vec();
    columns.extend(table(kind).fields.iter().map(|f| f.column.to_owned()));
    for join in joins(kind) {
        columns.push(format!("{}_id", join.alias));
        columns.push(format!("{}_number", join.alias));
    }
    columns.push("in_use".to_owned());
    columns
}

/// A JSON array of the columns of `table`'s row (as text on PostgreSQL).
fn json_array(backend: DatabaseBackend, table: &str, columns: &[impl AsRef<str>]) -> Expr {
    let array = if backend == DatabaseBackend::Postgres { "json_build_array" } else { "json_array" };
    let values = columns.iter().map(|c| Expr::col((Alias::new(table), Alias::new(c.as_ref()))));
    let array: Expr = Func::cust(array).args(values).into();
    if backend == DatabaseBackend::Postgres { array.cast_as("text") } else { array }
}

/// `(SELECT <array of arrays of the columns> FROM (inner) AS r)` as JSON text.
fn aggregate(backend: DatabaseBackend, inner: SelectStatement, columns: &[impl AsRef<str>]) -> Expr {
    let (array, group) = match backend {
        DatabaseBackend::Postgres => ("json_build_array", "json_agg"),
        _ => ("json_array", "json_group_array"),
    };
    let values = columns.iter().map(|c| Expr::col(("r", Alias::new(c.as_ref()))));
    let mut agg: Expr = Func::cust(group).arg(Func::cust(array).args(values)).into();
    if backend == DatabaseBackend::Postgres {
        agg = agg.cast_as("text");
    }
    let select = Query::select().expr(agg).from_subquery(inner, "r").to_owned();
    Expr::SubQuery(None, Box::new(select.into()))
}

/// Side rows from their JSON arrays `[src, owner, pos, name, value]`.
fn side_rows(arrays: &[Vec<Cell<'_>>]) -> Result<Vec<SideRow>, RepoError> {
    arrays
        .iter()
        .map(|a| {
            let bad = || RepoError::Failure(format!("side row: {a:?}"));
            let [src, owner, pos, name, value] = a.as_slice() else { return Err(bad()) };
            Ok(SideRow {
                src: src.int().and_then(|n| i32::try_from(n).ok()).ok_or_else(bad)?,
                owner: owner.int().ok_or_else(bad)?,
                pos: pos.int().and_then(|n| i32::try_from(n).ok()).ok_or_else(bad)?,
                name: name.text().ok_or_else(bad)?.to_owned(),
                value: value.text().ok_or_else(bad)?.to_owned(),
            })
        })
        .collect()
}

/// A record (without its side rows) from its JSON array, in [`record_columns`] order.
fn record(kind: Kind, values: &[Cell<'_>]) -> Result<Record, RepoError> {
    let bad = |what: &str| RepoError::Failure(format!("{kind:?} {what}: {values:?}"));
    let mut next = values.iter();
    let mut take = || next.next().ok_or_else(|| bad("columns"));
    let id = take()?.int().ok_or_else(|| bad("id"))?;
    let number = take()?.text().ok_or_else(|| bad("number"))?.to_owned();
    let active = take()?.boolean().ok_or_else(|| bad("active"))?;
    let fields = table(kind).fields;
    let mut properties = Vec::with_capacity(fields.len());
    for field in fields {
        let value = take()?;
        if let Some(text) = field_text(field.ty, value).map_err(|()| bad(field.column))? {
            properties.push(netlicensing_core::model::Property { name: field.wire.to_owned(), value: text });
        }
    }
    let mut links = Links::default();
    for join in joins(kind) {
        let id = take()?.int().ok_or_else(|| bad("link id"))?;
        let number = take()?.text().ok_or_else(|| bad("link number"))?.to_owned();
        links.set(join.link, Some(Link { id, number }));
    }
    let in_use = take()?.boolean().ok_or_else(|| bad("in_use"))?;
    Ok(Record { id, number, active, links, properties, lists: Vec::new(), in_use })
}

/// A field's property text from its JSON value (`None` for NULL), as [`super::fields::Field::read`] gives it
/// from a row.
fn field_text(ty: ColumnType, value: &Cell<'_>) -> Result<Option<String>, ()> {
    use netlicensing_model::types::WireValue;
    if *value == Cell::Null {
        return Ok(None);
    }
    Ok(Some(match ty {
        ColumnType::Text => value.text().ok_or(())?.to_owned(),
        ColumnType::Bool => value.boolean().ok_or(())?.to_wire().into_owned(),
        ColumnType::Int => value.int().ok_or(())?.to_string(),
        ColumnType::Money => super::fields::money_text(value.int().ok_or(())?),
        ColumnType::Time => {
            let time = chrono::DateTime::parse_from_rfc3339(value.text().ok_or(())?).map_err(|_| ())?;
            time.with_timezone(&chrono::Utc).to_wire().into_owned()
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_either_engine_writes_them() {
        let text = |ty, json: &str| field_text(ty, &serde_json::from_str::<Cell<'_>>(json).unwrap());
        assert_eq!(text(ColumnType::Bool, "1"), Ok(Some("true".into())));
        assert_eq!(text(ColumnType::Bool, "false"), Ok(Some("false".into())));
        assert_eq!(text(ColumnType::Money, "1050"), Ok(Some("10.50".into())));
        assert_eq!(text(ColumnType::Int, "null"), Ok(None));
        let sqlite = text(ColumnType::Time, r#""2026-11-30T12:44:28.635+00:00""#);
        let postgres = text(ColumnType::Time, r#""2026-11-30T13:44:28.635+01:00""#);
        assert_eq!(sqlite, postgres);
        assert_eq!(sqlite, Ok(Some("2026-11-30T12:44:28.635Z".into())));
        assert!(text(ColumnType::Int, r#""x""#).is_err());
    }

    #[test]
    fn cells_borrow_plain_strings_and_own_escaped_ones() {
        let beyond = serde_json::from_str::<Vec<Cell<'_>>>("[18446744073709551615]");
        assert!(beyond.is_err(), "a number beyond 64 bits is refused");
        let cells: Vec<Cell<'_>> = serde_json::from_str(r#"[null, true, 0, -7, 1.5, "plain", "esc\"aped"]"#).unwrap();
        assert_eq!(cells[0], Cell::Null);
        assert_eq!((cells[1].boolean(), cells[2].boolean()), (Some(true), Some(false)));
        assert_eq!(cells[3].int(), Some(-7));
        assert_eq!(cells[4], Cell::Float(1.5));
        assert!(matches!(&cells[5], Cell::Text(std::borrow::Cow::Borrowed("plain"))));
        assert!(matches!(&cells[6], Cell::Text(std::borrow::Cow::Owned(text)) if text == "esc\"aped"));
        assert!(decode([Some("[1]"), None, None, None], 0).is_err(), "a short row is an error, not a panic");
        assert!(decode([Some("{}"), None, None, None], 0).is_err());
    }

    /// The statement for vendor 3 and `key`, built fresh for `backend`: SQL with placeholders, and values.
    fn built(backend: DatabaseBackend, key: &str) -> (String, Values) {
        match backend {
            DatabaseBackend::Postgres => statement(backend, VendorId(3), key).build(PostgresQueryBuilder),
            _ => statement(backend, VendorId(3), key).build(SqliteQueryBuilder),
        }
    }

    #[test]
    fn the_statement_built_once_takes_the_vendor_and_key_of_each_call() {
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            let fresh = built(backend, "I'1");
            let reused = prepared(backend, VendorId(3), "I'1");
            assert_eq!(reused.sql, fresh.0);
            assert_eq!(reused.values, Some(fresh.1), "{backend:?}");
        }
    }

    #[test]
    fn one_statement_without_joins_in_the_aggregates_order() {
        use sea_orm::sea_query::SqliteQueryBuilder;
        let sql = statement(DatabaseBackend::Sqlite, VendorId(3), "I1").to_string(SqliteQueryBuilder);
        assert_eq!(sql.matches("json_group_array").count(), 3, "{sql}");
        assert!(sql.contains(r#""t"."id" = COALESCE((SELECT "id" FROM "licensee""#), "{sql}");
        assert!(!sql.contains(" OR "), "an OR would scan the vendor's licensees on PostgreSQL: {sql}");
        assert!(!sql.contains("IN (SELECT"), "SQLite builds a temporary index for an IN subquery: {sql}");
        assert!(!sql.contains("LATERAL"), "SQLite has no LATERAL: {sql}");
    }

    #[test]
    fn licenses_take_their_licensee_and_product_from_the_licensees_row() {
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            let (sql, _) = built(backend, "I1");
            assert!(sql.contains(r#""lx"."id" AS "licensee_id", "lx"."number" AS "licensee_number""#), "{sql}");
            assert!(sql.contains(r#""lx"."product_id" AS "product_id""#), "{sql}");
            assert!(!sql.contains(r#"JOIN "licensee" AS "licensee""#), "{backend:?}: {sql}");
        }
    }

    #[test]
    fn on_postgresql_each_licenses_side_rows_are_probed_on_their_own() {
        let (sql, _) = built(DatabaseBackend::Postgres, "I1");
        assert_eq!(sql.matches("JOIN LATERAL").count(), 1, "{sql}");
        assert!(sql.contains(r#""s"."license_id" = "o"."id""#), "{sql}");
    }
}
