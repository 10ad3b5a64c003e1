//! Product module: a part of a product licensed under one licensing model.

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{LicenseeSecretMode, LicensingModel, NodeSecretMode},
};

use super::{Entity, ItemReader, ItemWriter};

/// A product module (`item type="ProductModule"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductModule {
    /// Vendor-unique number.
    pub number: String,
    /// False disables the module.
    pub active: bool,
    /// Module name.
    pub name: Option<String>,
    /// Number of the product the module belongs to.
    pub product_number: Option<String>,
    /// Licensing model of the module.
    pub licensing_model: Option<LicensingModel>,
    /// True when the module has dependants (read-only).
    pub in_use: Option<bool>,
    /// Floating: longest validity of a check-out, in seconds.
    pub max_checkout_validity: Option<u64>,
    /// Rental: days left from which the warning level is yellow.
    pub yellow_threshold: Option<u32>,
    /// Rental: days left from which the warning level is red.
    pub red_threshold: Option<u32>,
    /// Node-Locked: how node secrets are set.
    pub node_secret_mode: Option<NodeSecretMode>,
    /// Deprecated licensee-secret mode.
    pub licensee_secret_mode: Option<LicenseeSecretMode>,
    /// Pricing Table: the SKU definitions (JSON text).
    pub skudef: Option<String>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for ProductModule {
    const TYPE: &'static str = "ProductModule";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "name",
        "productNumber",
        "licensingModel",
        "inUse",
        "maxCheckoutValidity",
        "yellowThreshold",
        "redThreshold",
        "nodeSecretMode",
        "licenseeSecretMode",
        "skudef",
    ];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            product_number: r.text("productNumber"),
            licensing_model: r.value("licensingModel")?,
            in_use: r.value("inUse")?,
            max_checkout_validity: r.value("maxCheckoutValidity")?,
            yellow_threshold: r.value("yellowThreshold")?,
            red_threshold: r.value("redThreshold")?,
            node_secret_mode: r.value("nodeSecretMode")?,
            licensee_secret_mode: r.value("licenseeSecretMode")?,
            skudef: r.text("skudef"),
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("name", &self.name)
            .opt("productNumber", &self.product_number)
            .opt("licensingModel", &self.licensing_model)
            .opt("inUse", &self.in_use)
            .opt("maxCheckoutValidity", &self.max_checkout_validity)
            .opt("yellowThreshold", &self.yellow_threshold)
            .opt("redThreshold", &self.red_threshold)
            .opt("nodeSecretMode", &self.node_secret_mode)
            .opt("licenseeSecretMode", &self.licensee_secret_mode)
            .opt("skudef", &self.skudef)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
