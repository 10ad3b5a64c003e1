//! The outbox in SQL: events queued by service transactions, claimed and settled by the delivery worker, shown
//! as a notification's delivery log.
//!
//! A worker claims due events by setting a lease (`lease_until`) in one `UPDATE ... WHERE id IN (SELECT ...)`;
//! on PostgreSQL the select takes its rows `FOR UPDATE SKIP LOCKED`, so replicas claiming at the same time
//! never take the same event, and a claimed event is not claimable again until its lease ends (a replica that
//! died mid-send gives it back that way). Only the oldest pending event of each notification is claimable,
//! which keeps each notification's deliveries in order. The claim first reads whether anything is due, so an
//! idle worker's poll never takes SQLite's write lock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use netlicensing_core::{
    RepoError, VendorId,
    record::RecordId,
    repo::{Delivery, DeliveryStatus, NewEvent, outbox::LOG_LIMIT},
    service::notification::SECRET,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Condition, Expr, ExprTrait, LockBehavior, LockType, Order, Query},
};

use super::{
    entity::{attribute, notification, outbox_event},
    errors::failure,
};

const TABLE: &str = "outbox_event";

/// Queues an event (inside the caller's transaction).
pub async fn enqueue<C: ConnectionTrait>(db: &C, vendor: VendorId, event: &NewEvent) -> Result<(), RepoError> {
    let row = outbox_event::ActiveModel {
        vendor_id: Set(vendor.0),
        notification_id: Set(event.notification),
        event_id: Set(event.event_id.clone()),
        event: Set(event.event.clone()),
        body: Set(event.body.clone()),
        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        created_at: Set(event.created),
        next_attempt_at: Set(Some(event.created)),
        last_attempt_at: Set(None),
        last_error: Set(None),
        lease_until: Set(None),
        ..Default::default()
    };
    outbox_event::Entity::insert(row).exec_without_returning(db).await.map_err(failure)?;
    Ok(())
}

fn delivery(row: outbox_event::Model) -> Delivery {
    Delivery {
        id: row.id,
        event_id: row.event_id,
        event: row.event,
        status: DeliveryStatus::parse(&row.status).unwrap_or(DeliveryStatus::Pending),
        attempts: u32::try_from(row.attempts).unwrap_or_default(),
        created: row.created_at,
        next_attempt: row.next_attempt_at,
        last_attempt: row.last_attempt_at,
        last_error: row.last_error,
    }
}

/// The latest events of a notification of the vendor, newest first.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    notification: RecordId,
) -> Result<Vec<Delivery>, RepoError> {
    let rows = outbox_event::Entity::find()
        .filter(outbox_event::Column::VendorId.eq(vendor.0))
        .filter(outbox_event::Column::NotificationId.eq(notification))
        .order_by_desc(outbox_event::Column::Id)
        .limit(LOG_LIMIT)
        .all(db)
        .await
        .map_err(failure)?;
    Ok(rows.into_iter().map(delivery).collect())
}

/// Queues a failed event of the vendor's notification again, due now.
pub async fn resend<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    notification: RecordId,
    event_id: &str,
) -> Result<bool, RepoError> {
    let updated = outbox_event::Entity::update_many()
        .col_expr(outbox_event::Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
        .col_expr(outbox_event::Column::Attempts, Expr::value(0))
        .col_expr(outbox_event::Column::NextAttemptAt, Expr::value(Some(Utc::now())))
        .col_expr(outbox_event::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox_event::Column::VendorId.eq(vendor.0))
        .filter(outbox_event::Column::NotificationId.eq(notification))
        .filter(outbox_event::Column::EventId.eq(event_id))
        .filter(outbox_event::Column::Status.eq(DeliveryStatus::Failed.as_str()))
        .exec(db)
        .await
        .map_err(failure)?;
    Ok(updated.rows_affected > 0)
}

/// An event a worker claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// Storage id.
    pub id: i64,
    /// Owning vendor.
    pub vendor: VendorId,
    /// The notification.
    pub notification: RecordId,
    /// The id sent in `webhook-id`.
    pub event_id: String,
    /// The body to send.
    pub body: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// Claims up to `limit` due events for `lease` (see the module documentation).
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Claimed>, RepoError> {
    let pending = DeliveryStatus::Pending.as_str();
    // Whether anything is due, by a read (the `(status, next_attempt_at)` index): an idle worker never takes
    // SQLite's write lock, which every validation that writes waits for.
    // Pending, due and not leased: the worker's claimable events but for their notification's order.
    let due_now = Condition::all()
        .add(Expr::col(("e", "status")).eq(pending))
        .add(Expr::col(("e", "next_attempt_at")).lte(now))
        .add(Expr::col(("e", "lease_until")).is_null().or(Expr::col(("e", "lease_until")).lt(now)));
    let any_due =
        Query::select().expr(Expr::val(1)).from_as(TABLE, "e").cond_where(due_now.clone()).limit(1).to_owned();
    if db.query_one(&any_due).await.map_err(failure)?.is_none() {
        return Ok(Vec::new());
    }
    let earlier = Query::select()
        .expr(Expr::val(1))
        .from_as(TABLE, "p")
        .and_where(Expr::col(("p", "notification_id")).equals(("e", "notification_id")))
        .and_where(Expr::col(("p", "status")).eq(pending))
        .and_where(Expr::col(("p", "id")).lt(Expr::col(("e", "id"))))
        .to_owned();
    let mut due = Query::select();
    due.column(("e", "id"))
        .from_as(TABLE, "e")
        .cond_where(due_now)
        .and_where(Expr::exists(earlier).not())
        .order_by(("e", "next_attempt_at"), Order::Asc)
        .order_by(("e", "id"), Order::Asc)
        .limit(limit);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let until = now + chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::minutes(5));
    let update = Query::update()
        .table(TABLE)
        .value("lease_until", until)
        .and_where(Expr::col("id").in_subquery(due))
        .returning(Query::returning().columns(["id", "vendor_id", "notification_id", "event_id", "body", "attempts"]))
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&update).await.map_err(failure)? {
        let get = |e: sea_orm::DbErr| RepoError::Failure(format!("claimed row: {e}"));
        let attempts: i32 = row.try_get("", "attempts").map_err(get)?;
        out.push(Claimed {
            id: row.try_get("", "id").map_err(get)?,
            vendor: VendorId(row.try_get("", "vendor_id").map_err(get)?),
            notification: row.try_get("", "notification_id").map_err(get)?,
            event_id: row.try_get("", "event_id").map_err(get)?,
            body: row.try_get("", "body").map_err(get)?,
            attempts: u32::try_from(attempts).unwrap_or_default(),
        });
    }
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Where a claimed event goes: its notification's endpoint, state and signing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The endpoint URL.
    pub endpoint: String,
    /// Whether the notification is active.
    pub active: bool,
    /// Its signing secret (notifications created before signing have none).
    pub secret: Option<String>,
}

/// The target of an event (`None` when its notification is gone).
pub async fn target<C: ConnectionTrait>(
    db: &C,
    vendor: VendorId,
    notification: RecordId,
) -> Result<Option<Target>, RepoError> {
    let Some(row) = notification::Entity::find_by_id(notification)
        .filter(notification::Column::VendorId.eq(vendor.0))
        .one(db)
        .await
        .map_err(failure)?
    else {
        return Ok(None);
    };
    let secret = attribute::Entity::find()
        .filter(attribute::Column::Kind.eq("notification"))
        .filter(attribute::Column::EntityId.eq(notification))
        .filter(attribute::Column::Name.eq(SECRET))
        .one(db)
        .await
        .map_err(failure)?
        .map(|a| a.value);
    Ok(Some(Target { endpoint: row.endpoint.unwrap_or_default(), active: row.active, secret }))
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver took it.
    Sent,
    /// It failed; try again at the time given.
    Retry(DateTime<Utc>, String),
    /// It failed for good.
    Failed(String),
}

/// Settles an attempt of a claimed event and ends its lease.
pub async fn settle<C: ConnectionTrait>(db: &C, id: i64, outcome: &Outcome) -> Result<(), RepoError> {
    let now = Utc::now();
    let (status, next, error) = match outcome {
        Outcome::Sent => (DeliveryStatus::Sent, None, None),
        Outcome::Retry(at, error) => (DeliveryStatus::Pending, Some(*at), Some(error.clone())),
        Outcome::Failed(error) => (DeliveryStatus::Failed, None, Some(error.clone())),
    };
    outbox_event::Entity::update_many()
        .col_expr(outbox_event::Column::Status, Expr::value(status.as_str()))
        .col_expr(outbox_event::Column::Attempts, Expr::col(outbox_event::Column::Attempts).add(1))
        .col_expr(outbox_event::Column::NextAttemptAt, Expr::value(next))
        .col_expr(outbox_event::Column::LastAttemptAt, Expr::value(Some(now)))
        .col_expr(outbox_event::Column::LastError, Expr::value(error))
        .col_expr(outbox_event::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox_event::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(failure)?;
    Ok(())
}

/// Events waiting for delivery (the queue depth).
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<u64, RepoError> {
    outbox_event::Entity::find()
        .filter(outbox_event::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .count(db)
        .await
        .map_err(failure)
}

/// The earliest time a pending event is due, if any (the worker sleeps until then).
pub async fn next_due<C: ConnectionTrait>(db: &C) -> Result<Option<DateTime<Utc>>, RepoError> {
    let row = outbox_event::Entity::find()
        .filter(outbox_event::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .order_by_asc(outbox_event::Column::NextAttemptAt)
        .one(db)
        .await
        .map_err(failure)?;
    Ok(row.and_then(|r| r.next_attempt_at))
}
