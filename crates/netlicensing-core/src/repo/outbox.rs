//! The outbox: events of committed changes, queued for delivery to the notifications subscribed to them.
//!
//! A service transaction queues an event with [`super::Tx::enqueue`] before it commits, so the event is stored
//! if and only if the change that caused it is. One row per (event, notification): each notification's
//! deliveries are ordered and logged on their own. The server's delivery worker sends them.

use chrono::{DateTime, Utc};

use crate::record::RecordId;

/// Attempts after which an event is marked failed (the backoff spreads them over more than 24 hours).
pub const MAX_ATTEMPTS: u32 = 15;

/// An event to queue for one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The notification it goes to.
    pub notification: RecordId,
    /// Its unique id, sent with every attempt so that receivers can drop duplicates.
    pub event_id: String,
    /// The event's wire name (`LICENSEE_CREATED`, ...).
    pub event: String,
    /// The body to send, rendered when the event happened.
    pub body: String,
    /// When the event happened.
    pub created: DateTime<Utc>,
}

/// Where an event's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Sent,
    /// Every attempt failed; only a re-send tries again.
    Failed,
}

impl DeliveryStatus {
    /// Its stored and shown spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Sent => "SENT",
            Self::Failed => "FAILED",
        }
    }

    /// The status of a stored spelling.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Failed].into_iter().find(|s| s.as_str() == text)
    }
}

/// One event of a notification's delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Storage id (the log's order).
    pub id: i64,
    /// The event id sent in `webhook-id`.
    pub event_id: String,
    /// The event's wire name.
    pub event: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// When the event happened.
    pub created: DateTime<Utc>,
    /// When the next attempt is due (pending events).
    pub next_attempt: Option<DateTime<Utc>>,
    /// When the last attempt was made.
    pub last_attempt: Option<DateTime<Utc>>,
    /// Why the last attempt failed (an HTTP status or a connection error).
    pub last_error: Option<String>,
}

/// At most this many of a notification's latest events are shown in its log.
pub const LOG_LIMIT: u64 = 100;
