//! Bundle: a set of license templates obtained together.

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{Currency, Money},
};

use super::{Entity, ItemReader, ItemWriter};

/// Spellings of the template list: current, pre-2024 (wiki), and the MCP client's.
const TEMPLATE_NUMBERS: &[&str] = &["licenseTemplateNumbers", "licenseTemplatesNumbers", "licenseTemplateNumber"];

/// A bundle (`item type="Bundle"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// Vendor-unique number.
    pub number: String,
    /// False means it cannot be obtained.
    pub active: bool,
    /// Bundle name.
    pub name: Option<String>,
    /// Price of the bundle.
    pub price: Option<Money>,
    /// Currency of the price.
    pub currency: Option<Currency>,
    /// Description.
    pub description: Option<String>,
    /// Templates of the bundle (a comma list on the wire, duplicates dropped).
    pub license_template_numbers: Option<Vec<String>>,
    /// Product the templates belong to.
    pub product_number: Option<String>,
    /// Templates of the bundle that no longer exist (read-only).
    pub stale_license_template_numbers: Option<Vec<String>>,
    /// Custom properties (such as `logo`), in order.
    pub custom: Vec<Property>,
}

impl Entity for Bundle {
    const TYPE: &'static str = "Bundle";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "name",
        "price",
        "currency",
        "description",
        "licenseTemplateNumbers",
        "licenseTemplatesNumbers",
        "licenseTemplateNumber",
        "productNumber",
        "staleLicenseTemplateNumbers",
    ];
    const READ_ONLY: &'static [&'static str] = &["inUse", "staleLicenseTemplateNumbers"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            price: r.value("price")?,
            currency: r.value("currency")?,
            description: r.text("description"),
            license_template_numbers: r.comma_list(TEMPLATE_NUMBERS)?,
            product_number: r.text("productNumber"),
            stale_license_template_numbers: r.comma_list(&["staleLicenseTemplateNumbers"])?,
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
            .opt("description", &self.description)
            .comma_list("licenseTemplateNumbers", &self.license_template_numbers)
            .opt("productNumber", &self.product_number)
            .comma_list("staleLicenseTemplateNumbers", &self.stale_license_template_numbers)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
