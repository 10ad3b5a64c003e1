//! Payment method: a fixed payment provider with its settings.

use crate::{
    document::{Item, Property},
    error::CodecError,
};

use super::{Entity, ItemReader, ItemWriter};

/// A payment method (`item type="PaymentMethod"`); provider settings such as `paypal.subject` are custom
/// properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentMethod {
    /// Provider number (`PAYPAL`, `PAYPAL_SANDBOX`, `STRIPE`, `STRIPE_TESTING`).
    pub number: String,
    /// Whether the shop offers it.
    pub active: bool,
    /// Provider settings and other custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for PaymentMethod {
    const TYPE: &'static str = "PaymentMethod";
    const STANDARD: &'static [&'static str] = &["number", "active"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self { number: r.required_text("number")?, active: r.required("active")?, custom: r.custom() })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
