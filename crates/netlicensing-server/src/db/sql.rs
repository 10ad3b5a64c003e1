//! Every SQL statement of the store, written once for both databases. Placeholders are written `?` and
//! numbered for PostgreSQL by [`statement`]; everything else is common SQL.

use netlicensing_core::record::{Condition, Kind, LinkKind};
use sea_orm::{DatabaseBackend, Statement, Value};

use super::tables::{Table, table};

/// A statement for the backend, with `?` placeholders numbered for PostgreSQL.
pub fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Table alias of each link in the record select.
pub fn alias(link: LinkKind) -> &'static str {
    match link {
        LinkKind::Product => "p",
        LinkKind::ProductModule => "m",
        LinkKind::Licensee => "le",
        LinkKind::LicenseTemplate => "lt",
    }
}

/// Joins that bring in every link of a kind (direct and derived).
fn joins(kind: Kind) -> &'static str {
    match kind {
        Kind::ProductModule | Kind::Licensee => " JOIN product p ON p.id = t.product_id",
        Kind::LicenseTemplate => {
            " JOIN product_module m ON m.id = t.product_module_id JOIN product p ON p.id = m.product_id"
        }
        Kind::License => concat!(
            " JOIN licensee le ON le.id = t.licensee_id",
            " JOIN license_template lt ON lt.id = t.license_template_id",
            " JOIN product_module m ON m.id = lt.product_module_id",
            " JOIN product p ON p.id = le.product_id"
        ),
        _ => "",
    }
}

/// Which links a kind's select carries.
pub fn links(kind: Kind) -> &'static [LinkKind] {
    match kind {
        Kind::ProductModule | Kind::Licensee => &[LinkKind::Product],
        Kind::LicenseTemplate => &[LinkKind::ProductModule, LinkKind::Product],
        Kind::License => &[LinkKind::Licensee, LinkKind::LicenseTemplate, LinkKind::ProductModule, LinkKind::Product],
        _ => &[],
    }
}

/// `in_use`: 1 when a child record points at the row.
fn in_use(kind: Kind) -> String {
    let tests: Vec<String> = kind
        .children()
        .iter()
        .flat_map(|child| {
            let child_table = table(*child);
            child_table.parents.iter().filter(|(link, _, _)| link.kind() == kind).map(move |(_, column, _)| {
                format!("EXISTS (SELECT 1 FROM \"{}\" c WHERE c.{column} = t.id)", child_table.name)
            })
        })
        .collect();
    if tests.is_empty() {
        "CAST(0 AS BIGINT)".into()
    } else {
        format!("CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT)", tests.join(" OR "))
    }
}

/// The column list and FROM clause of a kind's records: `id, number, active, data, in_use`, then per link
/// `<alias>_id, <alias>_number` in the order of [`links`].
fn select_from(kind: Kind) -> String {
    let table: &Table = table(kind);
    let mut sql = format!("SELECT t.id, t.number, t.active, t.data, {} AS in_use", in_use(kind));
    for link in links(kind) {
        let a = alias(*link);
        sql.push_str(&format!(", {a}.id AS {a}_id, {a}.number AS {a}_number"));
    }
    sql.push_str(&format!(" FROM \"{}\" t{} WHERE t.vendor_id = ?", table.name, joins(kind)));
    sql
}

/// Records of a kind matching the SQL-side conditions (number, active, links), ordered by id. Returns the
/// statement text and its values after the vendor id.
pub fn select(kind: Kind, conditions: &[Condition]) -> (String, Vec<Value>) {
    let mut sql = select_from(kind);
    let mut values = Vec::new();
    push_conditions(&mut sql, &mut values, conditions);
    sql.push_str(" ORDER BY t.id");
    (sql, values)
}

/// The number of records matching the SQL-side conditions.
pub fn count(kind: Kind, conditions: &[Condition]) -> (String, Vec<Value>) {
    let table = table(kind);
    let mut sql = format!("SELECT COUNT(*) AS n FROM \"{}\" t{} WHERE t.vendor_id = ?", table.name, joins(kind));
    let mut values = Vec::new();
    push_conditions(&mut sql, &mut values, conditions);
    (sql, values)
}

fn push_conditions(sql: &mut String, values: &mut Vec<Value>, conditions: &[Condition]) {
    for condition in conditions {
        match condition {
            Condition::Number(number) => {
                sql.push_str(" AND t.number = ?");
                values.push(number.clone().into());
            }
            Condition::Active(active) => {
                sql.push_str(" AND t.active = ?");
                values.push((*active).into());
            }
            Condition::Link(link, number) => {
                sql.push_str(&format!(" AND {}.number = ?", alias(*link)));
                values.push(number.clone().into());
            }
            Condition::Property(..) => {}
        }
    }
}

/// One record by number or by id.
pub fn select_one(kind: Kind, by_id: bool) -> String {
    format!("{} AND t.{} = ?", select_from(kind), if by_id { "id" } else { "number" })
}

/// The licensee with an alias; values: vendor, vendor, alias.
pub fn licensee_by_alias() -> String {
    format!(
        "{} AND t.id = (SELECT a.licensee_id FROM licensee_alias a WHERE a.vendor_id = ? AND a.alias = ?)",
        select_from(Kind::Licensee)
    )
}

/// Forgets a licensee's aliases; values: licensee id.
pub const CLEAR_ALIASES: &str = "DELETE FROM licensee_alias WHERE licensee_id = ?";

/// Adds an alias of a licensee; values: vendor, alias, licensee id.
pub const ADD_ALIAS: &str = "INSERT INTO licensee_alias (vendor_id, alias, licensee_id) VALUES (?, ?, ?)";

/// Inserts a record; values: vendor, number, active, data, then the parent ids in table order.
pub fn insert(kind: Kind) -> String {
    let table = table(kind);
    let mut columns = String::from("vendor_id, number, active, data");
    let mut marks = String::from("?, ?, ?, ?");
    for (_, column, _) in table.parents {
        columns.push_str(", ");
        columns.push_str(column);
        marks.push_str(", ?");
    }
    format!("INSERT INTO \"{}\" ({columns}) VALUES ({marks}) RETURNING id", table.name)
}

/// Replaces number, active and data; values: number, active, data, vendor, id.
pub fn update(kind: Kind) -> String {
    format!("UPDATE \"{}\" SET number = ?, active = ?, data = ? WHERE vendor_id = ? AND id = ?", table(kind).name)
}

/// Moves a record to another parent; values: parent id, vendor, id. The parent belongs to the same vendor:
/// the service found it with a vendor-scoped read.
pub fn relink(kind: Kind, column: &str) -> String {
    format!("UPDATE \"{}\" SET {column} = ? WHERE vendor_id = ? AND id = ?", table(kind).name)
}

/// Locks a record's row until the transaction ends (PostgreSQL); values: vendor, id.
pub fn lock(kind: Kind) -> String {
    format!("SELECT id FROM \"{}\" WHERE vendor_id = ? AND id = ? FOR UPDATE", table(kind).name)
}

/// Deletes a record (children go with it by foreign key); values: vendor, id.
pub fn delete(kind: Kind) -> String {
    format!("DELETE FROM \"{}\" WHERE vendor_id = ? AND id = ?", table(kind).name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let pg = statement(DatabaseBackend::Postgres, "a = ? AND b = ?", vec![1i64.into(), 2i64.into()]);
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let lite = statement(DatabaseBackend::Sqlite, "a = ?", vec![1i64.into()]);
        assert_eq!(lite.sql, "a = ?");
    }

    #[test]
    fn license_select_joins_every_link() {
        let sql = select_one(Kind::License, false);
        for needle in
            ["JOIN licensee le", "JOIN license_template lt", "JOIN product_module m", "JOIN product p", "p_number"]
        {
            assert!(sql.contains(needle), "{needle}: {sql}");
        }
        assert!(in_use(Kind::Product).contains("product_module") && in_use(Kind::Product).contains("licensee"));
    }
}
