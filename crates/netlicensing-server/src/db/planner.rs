//! Keeps PostgreSQL's planner statistics current where autovacuum does not (`autovacuum = off`, as some
//! operators and test machines run it): every [`EVERY`], the tables of the store's schema that changed by
//! more than autovacuum's default analyse threshold since their last analysis are analysed.
//!
//! Why it matters: a prepared statement keeps the generic plan it settled on while its tables' statistics
//! stand still. Planned while the floating sessions were empty (the state a bulk load's `VACUUM (ANALYZE)`
//! records), validation's statement reads a license's sessions by a scan, and went on scanning every session
//! of every vendor once there were thousands. An analysis replans it (PostgreSQL invalidates the plans that
//! depend on an analysed table). With autovacuum on, autovacuum does the same and this does nothing.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// How often the changed tables are looked for.
pub const EVERY: Duration = Duration::from_secs(5);

/// The tables of the current schema changed since their last analysis by more than 50 rows plus a tenth of
/// their rows (autovacuum's defaults), each as a ready `ANALYZE` statement with quoted names.
const CHANGED: &str = "SELECT format('ANALYZE %I.%I', s.schemaname, s.relname) AS analyze \
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid \
     WHERE s.schemaname = current_schema() \
       AND s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)";

/// The longest wait between tries while they keep failing.
pub const AT_MOST: Duration = Duration::from_secs(300);

/// Analyses the changed tables every [`EVERY`] while autovacuum is off; returns when autovacuum is on or
/// the pool closes. While the tries fail (the database down, the role lacking the right), the wait doubles
/// up to [`AT_MOST`], and with it the warnings each failure logs.
pub async fn keep(db: DatabaseConnection) {
    let mut wait = EVERY;
    loop {
        tokio::time::sleep(wait).await;
        let failed = match analyse_changed(&db).await {
            Ok(Some(_)) => false,
            Ok(None) => return,
            Err(DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::ConnectionClosed)) => return,
            Err(error) => {
                log::warn!("planner statistics not refreshed ({error}); tried again in {:?}", next_wait(wait, true));
                true
            }
        };
        wait = next_wait(wait, failed);
        if db.get_postgres_connection_pool().is_closed() {
            return;
        }
    }
}

/// The wait before the next try: [`EVERY`] after a success, twice the last (at most [`AT_MOST`]) after a
/// failure.
fn next_wait(last: Duration, failed: bool) -> Duration {
    if failed { (last * 2).min(AT_MOST) } else { EVERY }
}

/// Analyses the tables that changed (`Some` with their count), or `None` when autovacuum is on.
pub async fn analyse_changed(db: &DatabaseConnection) -> Result<Option<usize>, DbErr> {
    let backend = db.get_database_backend();
    let setting =
        db.query_one_raw(Statement::from_string(backend, "SELECT current_setting('autovacuum') AS on")).await?;
    if setting.and_then(|row| row.try_get::<String>("", "on").ok()).as_deref() != Some("off") {
        return Ok(None);
    }
    let mut analysed = 0;
    for row in db.query_all_raw(Statement::from_string(backend, CHANGED)).await? {
        let statement: String = row.try_get("", "analyze")?;
        db.execute_unprepared(&statement).await?;
        analysed += 1;
    }
    Ok(Some(analysed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_and_a_success_resets() {
        assert_eq!(next_wait(EVERY, true), EVERY * 2);
        assert_eq!(next_wait(EVERY * 2, true), EVERY * 4);
        assert_eq!(next_wait(Duration::from_secs(200), true), AT_MOST);
        assert_eq!(next_wait(AT_MOST, true), AT_MOST);
        assert_eq!(next_wait(AT_MOST, false), EVERY);
    }
}
