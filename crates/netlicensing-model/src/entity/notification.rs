//! Notification: a webhook subscription to events.

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
