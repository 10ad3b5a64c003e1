//! `outbox_event`: an event queued for one notification, with the state of its delivery.

use sea_orm::entity::prelude::*;

/// One queued event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_event")]
pub struct Model {
    /// Storage id: the order of events.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning vendor.
    pub vendor_id: i64,
    /// The notification it goes to.
    pub notification_id: i64,
    /// The id sent in `webhook-id`, the same on every attempt.
    #[sea_orm(unique)]
    pub event_id: String,
    /// The event's wire name.
    pub event: String,
    /// The body to send.
    pub body: String,
    /// `PENDING`, `SENT` or `FAILED`.
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// When the event happened.
    pub created_at: DateTimeUtc,
    /// When the next attempt is due (pending events).
    pub next_attempt_at: Option<DateTimeUtc>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTimeUtc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Until when a worker holds the event (it is being sent).
    pub lease_until: Option<DateTimeUtc>,
}

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The notification.
    #[sea_orm(
        belongs_to = "super::notification::Entity",
        from = "Column::NotificationId",
        to = "super::notification::Column::Id",
        on_delete = "Cascade"
    )]
    Notification,
}

impl Related<super::notification::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notification.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
