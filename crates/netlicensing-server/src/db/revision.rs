//! Licensee revisions (`netlicensing_core::record::Revision`): `licensee.revision` is raised at the end of
//! every write transaction for each licensee whose row, aliases or licenses it changed (the licensee scopes
//! of the transaction's [`Written`]), in the transaction itself, so a read sees data and revision together.
//! On PostgreSQL the raise travels in the statement that announces the changes to the other replicas
//! ([`announce`]): no round trip of its own.

use std::collections::{BTreeMap, HashSet};

use netlicensing_core::{
    VendorId,
    record::RecordId,
    repo::{Scope, changes::Written},
};
use sea_orm::{
    DatabaseBackend, Statement,
    sea_query::{
        CommonTableExpression, Cond, Expr, ExprTrait, LockType, Query, SelectStatement, UpdateStatement, WithClause,
    },
};

use super::changes::CHANNEL_SQL;

/// The column.
pub const COLUMN: &str = "revision";

/// Raises the revision of every licensee `written` changed, except those inserted by the transaction
/// (`fresh`: no read can have seen them before it commits); a change of every licensee of a vendor raises
/// each of theirs. `None` when there is nothing to raise.
pub fn raise(written: &Written, fresh: &HashSet<RecordId>) -> Option<UpdateStatement> {
    let mut ids: BTreeMap<i64, Vec<RecordId>> = BTreeMap::new();
    let mut every: Vec<i64> = Vec::new();
    for scope in written.scopes() {
        match scope {
            Scope::Licensee(vendor, Some(id)) if !fresh.contains(id) => ids.entry(vendor.0).or_default().push(*id),
            Scope::Licensee(vendor, None) => every.push(vendor.0),
            _ => {}
        }
    }
    ids.retain(|vendor, _| !every.contains(vendor));
    if ids.is_empty() && every.is_empty() {
        return None;
    }
    let mut which = Cond::any();
    for (vendor, ids) in ids {
        which = which.add(Expr::col("vendor_id").eq(vendor).and(Expr::col("id").is_in(ids)));
    }
    for vendor in every {
        which = which.add(Expr::col("vendor_id").eq(vendor));
    }
    let mut q = Query::update();
    q.table("licensee").value(COLUMN, Expr::col(COLUMN).add(1)).cond_where(which);
    Some(q)
}

/// `SELECT pg_notify(<channel>, payload), ...` for the payloads, with the revisions' raise (if any) as a
/// data-modifying `WITH` (which PostgreSQL runs whether or not the query refers to it): one statement.
pub fn announce(payloads: &[String], raise: Option<UpdateStatement>) -> Statement {
    let mut notify = Query::select();
    for payload in payloads {
        notify.expr(Expr::cust_with_values(format!("pg_notify({CHANNEL_SQL}, $1)"), [payload.clone()]));
    }
    let postgres = DatabaseBackend::Postgres;
    match raise {
        Some(raise) => {
            let raised = CommonTableExpression::new().query(raise).table_name("raised").to_owned();
            postgres.build(&WithClause::new().cte(raised).to_owned().query(notify))
        }
        None => postgres.build(&notify),
    }
}

/// The licensee's revision, its row locked for the transaction (`FOR UPDATE`) where `lock` says so.
pub fn of(vendor: VendorId, id: RecordId, lock: bool) -> SelectStatement {
    let mut q = Query::select();
    q.column(COLUMN).from("licensee").and_where(Expr::col("vendor_id").eq(vendor.0)).and_where(Expr::col("id").eq(id));
    if lock {
        q.lock(LockType::Update);
    }
    q
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    use super::*;

    #[test]
    fn the_licensees_a_transaction_changed_are_raised_once_in_one_statement() {
        let mut written = Written::default();
        written.licensee(VendorId(3), Some(10));
        written.licensee(VendorId(3), Some(11));
        written.licensee(VendorId(3), Some(12));
        written.catalogue(VendorId(3), Some(1));
        written.licensee(VendorId(4), None);
        written.licensee(VendorId(4), Some(40));
        let fresh = HashSet::from([12]);
        let sql = raise(&written, &fresh).unwrap().to_string(SqliteQueryBuilder);
        assert_eq!(
            sql,
            r#"UPDATE "licensee" SET "revision" = "revision" + 1 WHERE ("vendor_id" = 3 AND "id" IN (10, 11)) OR "vendor_id" = 4"#
        );
        let mut inserted_only = Written::default();
        inserted_only.licensee(VendorId(3), Some(12));
        inserted_only.catalogue(VendorId(3), None);
        assert!(raise(&inserted_only, &fresh).is_none(), "a licensee the transaction inserted needs no raise");
    }

    #[test]
    fn on_postgresql_the_raise_travels_with_the_announcement() {
        let mut written = Written::default();
        written.licensee(VendorId(3), Some(10));
        let both = announce(&["o:1 l:3:10".into(), "o:1 k:3:ff".into()], raise(&written, &HashSet::new()));
        let sql = both.sql;
        assert!(sql.starts_with(r#"WITH "raised" AS (UPDATE "licensee" SET "revision" = "revision" + $1"#), "{sql}");
        assert!(sql.contains("pg_notify('netlicensing_' || current_schema(), $4)"), "{sql}");
        assert!(sql.contains("pg_notify('netlicensing_' || current_schema(), $5)"), "{sql}");
        assert_eq!(both.values.map(|v| v.0.len()), Some(5));
        let plain = announce(&["o:1 c:3:1".into()], None).sql;
        assert!(plain.starts_with("SELECT pg_notify("), "{plain}");
    }

    #[test]
    fn the_revision_is_read_under_the_lock_on_postgresql() {
        let sql = of(VendorId(3), 10, true).to_string(PostgresQueryBuilder);
        assert_eq!(sql, r#"SELECT "revision" FROM "licensee" WHERE "vendor_id" = 3 AND "id" = 10 FOR UPDATE"#);
        assert!(!of(VendorId(3), 10, false).to_string(SqliteQueryBuilder).contains("FOR UPDATE"));
    }
}
