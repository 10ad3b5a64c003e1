//! Licensee: a customer of a product, holder of licenses.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{WarningLevel, WireValue},
};

use super::{Entity, ItemReader, ItemWriter};

/// A licensee (`item type="Licensee"`).
/// The serde form (derived) is a compact, positional form for in-process caches, not the wire format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licensee {
    /// Vendor-unique number (up to 1000 characters).
    pub number: String,
    /// False disables validation and new licenses.
    pub active: bool,
    /// Number of the licensee's product.
    pub product_number: Option<String>,
    /// Name of the licensee.
    pub name: Option<String>,
    /// True lets another licensee take over its licenses.
    pub marked_for_transfer: Option<bool>,
    /// Deprecated licensee secret.
    pub licensee_secret: Option<String>,
    /// Alternative unique identifiers usable in validate (a JSON array on the wire).
    pub aliases: Option<Vec<String>>,
    /// Cached warning levels of the licensee's modules (read-only).
    pub warning_level_summary: Option<WarningLevelSummary>,
    /// True when the licensee has licenses (read-only).
    pub in_use: Option<bool>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for Licensee {
    const TYPE: &'static str = "Licensee";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "productNumber",
        "name",
        "markedForTransfer",
        "licenseeSecret",
        "aliases",
        "warningLevelSummary",
        "inUse",
    ];
    const READ_ONLY: &'static [&'static str] = &["inUse", "warningLevelSummary"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            product_number: r.text("productNumber"),
            name: r.text("name"),
            marked_for_transfer: r.value("markedForTransfer")?,
            licensee_secret: r.text("licenseeSecret"),
            aliases: r.value::<Aliases>("aliases")?.map(|a| a.0),
            warning_level_summary: r.value("warningLevelSummary")?,
            in_use: r.value("inUse")?,
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("productNumber", &self.product_number)
            .opt("name", &self.name)
            .opt("markedForTransfer", &self.marked_for_transfer)
            .opt("licenseeSecret", &self.licensee_secret)
            .opt("aliases", &self.aliases.clone().map(Aliases))
            .opt("warningLevelSummary", &self.warning_level_summary)
            .opt("inUse", &self.in_use)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}

/// The `aliases` property: a JSON array of strings in the property text.
struct Aliases(Vec<String>);

impl WireValue for Aliases {
    const EXPECTED: &'static str = "a JSON array of strings such as [\"alias1\",\"alias2\"]";
    fn parse_wire(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok().map(Aliases)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(serde_json::to_string(&self.0).expect("a list of strings always serialises"))
    }
}

/// Module numbers per warning level (`warningLevelSummary`, a JSON object in the property text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningLevelSummary {
    /// Modules at RED.
    #[serde(rename = "RED", default)]
    pub red: Vec<String>,
    /// Modules at YELLOW.
    #[serde(rename = "YELLOW", default)]
    pub yellow: Vec<String>,
    /// Modules at GREEN.
    #[serde(rename = "GREEN", default)]
    pub green: Vec<String>,
}

impl WarningLevelSummary {
    /// The customer's level: the worst of its modules' (RED, then YELLOW, then GREEN), `None` without any.
    pub fn worst(&self) -> Option<WarningLevel> {
        [(&self.red, WarningLevel::Red), (&self.yellow, WarningLevel::Yellow), (&self.green, WarningLevel::Green)]
            .into_iter()
            .find(|(modules, _)| !modules.is_empty())
            .map(|(_, level)| level)
    }
}

impl WireValue for WarningLevelSummary {
    const EXPECTED: &'static str = "a JSON object such as {\"RED\":[],\"YELLOW\":[],\"GREEN\":[\"M1\"]}";
    fn parse_wire(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(serde_json::to_string(self).expect("lists of strings under string keys always serialise"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_summary_are_json_text() {
        let mut item = Item::new("Licensee");
        item.push("number", "I1");
        item.push("active", "true");
        item.push("aliases", r#"["a@b.c","x"]"#);
        item.push("warningLevelSummary", r#"{"RED":["M1"],"YELLOW":[],"GREEN":["M2"]}"#);
        let licensee = Licensee::from_item(item.clone()).unwrap();
        assert_eq!(licensee.aliases.as_deref(), Some(&["a@b.c".to_string(), "x".to_string()][..]));
        assert_eq!(licensee.to_item(), item);

        assert_eq!(
            licensee.warning_level_summary.as_ref().and_then(WarningLevelSummary::worst),
            Some(WarningLevel::Red)
        );
        assert_eq!(WarningLevelSummary::default().worst(), None);

        let mut bad = item;
        bad.properties[2].value = "a,b".into();
        assert_eq!(Licensee::from_item(bad).unwrap_err().property(), Some("aliases"));
    }
}
