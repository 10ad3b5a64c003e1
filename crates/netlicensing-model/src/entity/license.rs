//! License: a licensee's right made from a license template.

use chrono::{DateTime, Utc};

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{Currency, Money, TimeVolumePeriod},
};

use super::{Entity, ItemReader, ItemWriter};

/// A license (`item type="License"`). Node secrets (`nodeSecret<N>`) and floating sessions
/// (`sessionId_<id>`) travel as custom properties.
/// The serde form (derived) is a compact, positional form for in-process caches, not the wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct License {
    /// Vendor-unique number.
    pub number: String,
    /// Inactive licenses are ignored by validation.
    pub active: bool,
    /// Name (the template's unless given).
    pub name: Option<String>,
    /// Price (from the template).
    pub price: Option<Money>,
    /// Currency of the price.
    pub currency: Option<Currency>,
    /// True hides the license in the shop.
    pub hidden: Option<bool>,
    /// Number of the licensee holding the license.
    pub licensee_number: Option<String>,
    /// Number of the template the license was made from.
    pub license_template_number: Option<String>,
    /// Number of the template's product module (read-only).
    pub product_module_number: Option<String>,
    /// True when the license has dependants (read-only).
    pub in_use: Option<bool>,
    /// TIMEVOLUME: whether a grace period applies (from the template).
    pub grace_period: Option<bool>,
    /// TIMEVOLUME: unit of the time volume.
    pub time_volume_period: Option<TimeVolumePeriod>,
    /// TIMEVOLUME: length of validity in periods.
    pub time_volume: Option<u32>,
    /// TIMEVOLUME: start of validity.
    #[serde(with = "crate::types::timestamp::compact")]
    pub start_date: Option<DateTime<Utc>>,
    /// Rental: number of the FEATURE license this one extends (input also `parentfeature`).
    pub parent_feature: Option<String>,
    /// FLOATING: concurrent sessions.
    pub max_sessions: Option<u32>,
    /// QUANTITY: credits or quota.
    pub quantity: Option<i64>,
    /// Pay-per-Use: credits consumed.
    pub used_quantity: Option<i64>,
    /// Node-Locked: number of nodes.
    pub quota: Option<u32>,
    /// Transaction the license was created or changed by.
    pub transaction_number: Option<String>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for License {
    const TYPE: &'static str = "License";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "name",
        "price",
        "currency",
        "hidden",
        "licenseeNumber",
        "licenseTemplateNumber",
        "productModuleNumber",
        "inUse",
        "gracePeriod",
        "timeVolumePeriod",
        "timeVolume",
        "startDate",
        "parentFeature",
        "parentfeature",
        "maxSessions",
        "quantity",
        "usedQuantity",
        "quota",
        "transactionNumber",
    ];
    const READ_ONLY: &'static [&'static str] = &["inUse", "productModuleNumber"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            price: r.value("price")?,
            currency: r.value("currency")?,
            hidden: r.value("hidden")?,
            licensee_number: r.text("licenseeNumber"),
            license_template_number: r.text("licenseTemplateNumber"),
            product_module_number: r.text("productModuleNumber"),
            in_use: r.value("inUse")?,
            grace_period: r.value("gracePeriod")?,
            time_volume_period: r.value("timeVolumePeriod")?,
            time_volume: r.value("timeVolume")?,
            start_date: r.value("startDate")?,
            parent_feature: r.text_any(&["parentFeature", "parentfeature"]).map(|(_, v)| v),
            max_sessions: r.value("maxSessions")?,
            quantity: r.value("quantity")?,
            used_quantity: r.value("usedQuantity")?,
            quota: r.value("quota")?,
            transaction_number: r.text("transactionNumber"),
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("name", &self.name)
            .opt("price", &self.price)
            .opt("currency", &self.currency)
            .opt("hidden", &self.hidden)
            .opt("licenseeNumber", &self.licensee_number)
            .opt("licenseTemplateNumber", &self.license_template_number)
            .opt("productModuleNumber", &self.product_module_number)
            .opt("inUse", &self.in_use)
            .opt("gracePeriod", &self.grace_period)
            .opt("timeVolumePeriod", &self.time_volume_period)
            .opt("timeVolume", &self.time_volume)
            .opt("startDate", &self.start_date)
            .opt("parentFeature", &self.parent_feature)
            .opt("maxSessions", &self.max_sessions)
            .opt("quantity", &self.quantity)
            .opt("usedQuantity", &self.used_quantity)
            .opt("quota", &self.quota)
            .opt("transactionNumber", &self.transaction_number)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
