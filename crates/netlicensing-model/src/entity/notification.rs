//! Notification: a webhook subscription to events.

use chrono::{DateTime, Utc};

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{NotificationEvent, NotificationProtocol},
};

use super::{Entity, ItemReader, ItemWriter};

/// A notification (`item type="Notification"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notification {
    /// Vendor-unique number.
    pub number: String,
    /// Only active notifications are delivered.
    pub active: bool,
    /// Name.
    pub name: Option<String>,
    /// Delivery protocol.
    pub protocol: Option<NotificationProtocol>,
    /// Where deliveries go.
    pub endpoint: Option<String>,
    /// Events subscribed to (a comma list on the wire).
    pub events: Option<Vec<NotificationEvent>>,
    /// Payload template.
    pub payload: Option<String>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for Notification {
    const TYPE: &'static str = "Notification";
    const STANDARD: &'static [&'static str] =
        &["number", "active", "name", "protocol", "endpoint", "events", "payload"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            protocol: r.value("protocol")?,
            endpoint: r.text("endpoint"),
            events: r.comma_list(&["events"])?,
            payload: r.text("payload"),
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("name", &self.name)
            .opt("protocol", &self.protocol)
            .opt("endpoint", &self.endpoint)
            .comma_list("events", &self.events)
            .opt("payload", &self.payload)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}

/// One event of a notification's delivery log (`item type="NotificationDelivery"`; an extension of this
/// server, `GET notification/{number}/deliveries`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationDelivery {
    /// The event id, sent in `webhook-id` with every attempt.
    pub event_id: String,
    /// The event (`LICENSEE_CREATED`, ...).
    pub event: String,
    /// `PENDING`, `SENT` or `FAILED`.
    pub status: String,
    /// Attempts made.
    pub attempts: u32,
    /// When the event happened.
    pub created: Option<DateTime<Utc>>,
    /// When the next attempt is due.
    pub next_attempt: Option<DateTime<Utc>>,
    /// When the last attempt was made.
    pub last_attempt: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl Entity for NotificationDelivery {
    const TYPE: &'static str = "NotificationDelivery";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            event_id: r.required_text("eventId")?,
            event: r.required_text("event")?,
            status: r.required_text("status")?,
            attempts: r.required("attempts")?,
            created: r.value("created")?,
            next_attempt: r.value("nextAttempt")?,
            last_attempt: r.value("lastAttempt")?,
            last_error: r.text("lastError"),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("eventId", &self.event_id)
            .put("event", &self.event)
            .put("status", &self.status)
            .put("attempts", &self.attempts)
            .opt("created", &self.created)
            .opt("nextAttempt", &self.next_attempt)
            .opt("lastAttempt", &self.last_attempt)
            .opt("lastError", &self.last_error)
            .finish(Self::TYPE)
    }
}
