//! License template: what a license is made from (type, price, time volume, quantities).

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{Currency, LicenseType, Money, TimeVolumePeriod},
};

use super::{Entity, ItemReader, ItemWriter};

/// A license template (`item type="LicenseTemplate"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenseTemplate {
    /// Vendor-unique number.
    pub number: String,
    /// False disables the template.
    pub active: bool,
    /// Name of the licensed item or plan.
    pub name: Option<String>,
    /// Type of the licenses made from it.
    pub license_type: Option<LicenseType>,
    /// Price of a license.
    pub price: Option<Money>,
    /// Currency of the price.
    pub currency: Option<Currency>,
    /// True gives every new licensee a license automatically.
    pub automatic: Option<bool>,
    /// True hides the template from the shop.
    pub hidden: Option<bool>,
    /// True hides its licenses from the customer (they still validate).
    pub hide_licenses: Option<bool>,
    /// Number of the product module the template belongs to.
    pub product_module_number: Option<String>,
    /// Name of that product module (read-only).
    pub product_module_name: Option<String>,
    /// True once licenses exist (read-only).
    pub in_use: Option<bool>,
    /// TIMEVOLUME: unit of the time volume.
    pub time_volume_period: Option<TimeVolumePeriod>,
    /// TIMEVOLUME: length of validity in periods.
    pub time_volume: Option<u32>,
    /// FLOATING: concurrent sessions per license.
    pub max_sessions: Option<u32>,
    /// QUANTITY: credits or quota per license (-1 is unlimited for Quota).
    pub quantity: Option<i64>,
    /// Node-Locked: number of nodes per license.
    pub quota: Option<u32>,
    /// Subscription: whether a grace period applies.
    pub grace_period: Option<bool>,
    /// Description (Pricing Table plans).
    pub description: Option<String>,
    /// Pricing Table: SKU values of the plan (JSON text).
    pub skus: Option<String>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for LicenseTemplate {
    const TYPE: &'static str = "LicenseTemplate";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "name",
        "licenseType",
        "price",
        "currency",
        "automatic",
        "hidden",
        "hideLicenses",
        "productModuleNumber",
        "productModuleName",
        "inUse",
        "timeVolumePeriod",
        "timeVolume",
        "maxSessions",
        "quantity",
        "quota",
        "gracePeriod",
        "description",
        "skus",
    ];
    const READ_ONLY: &'static [&'static str] = &["inUse", "productModuleName"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            license_type: r.value("licenseType")?,
            price: r.value("price")?,
            currency: r.value("currency")?,
            automatic: r.value("automatic")?,
            hidden: r.value("hidden")?,
            hide_licenses: r.value("hideLicenses")?,
            product_module_number: r.text("productModuleNumber"),
            product_module_name: r.text("productModuleName"),
            in_use: r.value("inUse")?,
            time_volume_period: r.value("timeVolumePeriod")?,
            time_volume: r.value("timeVolume")?,
            max_sessions: r.value("maxSessions")?,
            quantity: r.value("quantity")?,
            quota: r.value("quota")?,
            grace_period: r.value("gracePeriod")?,
            description: r.text("description"),
            skus: r.text("skus"),
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("name", &self.name)
            .opt("licenseType", &self.license_type)
            .opt("price", &self.price)
            .opt("currency", &self.currency)
            .opt("automatic", &self.automatic)
            .opt("hidden", &self.hidden)
            .opt("hideLicenses", &self.hide_licenses)
            .opt("productModuleNumber", &self.product_module_number)
            .opt("productModuleName", &self.product_module_name)
            .opt("inUse", &self.in_use)
            .opt("timeVolumePeriod", &self.time_volume_period)
            .opt("timeVolume", &self.time_volume)
            .opt("maxSessions", &self.max_sessions)
            .opt("quantity", &self.quantity)
            .opt("quota", &self.quota)
            .opt("gracePeriod", &self.grace_period)
            .opt("description", &self.description)
            .opt("skus", &self.skus)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
