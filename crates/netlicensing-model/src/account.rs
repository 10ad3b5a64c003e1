//! The account file: a vendor's whole account as NDJSON, one JSON object per line (`docs/operations.md`,
//! "The account file"). The first line is the [`Header`] (format name, version, vendor number, whether secrets
//! are included), the second the vendor's settings ([`VendorSettings`]), then one [`RecordLine`] per entity in
//! dependency order ([`ORDER`]: a record's parents come before it), each kind in the order its records were
//! created in. The lines hold the entities as the store keeps them: number, active flag, the numbers of the
//! direct parents, the stored properties (standard and custom, validation state included: floating sessions
//! `sessionId_<id>`, node secrets `nodeSecret<N>`, consumed quantities) and lists (discounts, a transaction's
//! licenses). Nothing computed on reading (`inUse`, link numbers of ancestors) is written.
//!
//! Writing is deterministic (fields in declaration order, links sorted by kind), so an export, imported and
//! exported again, gives the same bytes. Secrets ([`secret_record`], [`secret_property`], the password hash)
//! are written only when the header says `"secrets":true`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    api::Resource,
    document::{List, Property},
    types::Currency,
};

/// The format name the header carries.
pub const FORMAT: &str = "netlicensing-account";

/// The format version this code writes and reads. A reader refuses other versions.
pub const VERSION: u32 = 1;

/// The order kinds are written and read in: every record after its parents (and bundles after the templates
/// they name, transactions after the licenses they list).
pub const ORDER: [Resource; 10] = [
    Resource::Product,
    Resource::ProductModule,
    Resource::LicenseTemplate,
    Resource::Bundle,
    Resource::Licensee,
    Resource::License,
    Resource::Transaction,
    Resource::PaymentMethod,
    Resource::Notification,
    Resource::Token,
];

/// One line of an account file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Line {
    /// The first line.
    Header(Header),
    /// The vendor's settings (the second line).
    Vendor(VendorSettings),
    /// One entity.
    Record(RecordLine),
}

/// What the file is: `{"type":"header","format":"netlicensing-account","version":1,"vendor":"VDEMO",
/// "secrets":false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// The number of the vendor exported.
    pub vendor: String,
    /// Whether secrets are included (API keys and other credential tokens, signing keys, payment secrets,
    /// the password hash).
    pub secrets: bool,
}

impl Header {
    /// The header of an export of the vendor.
    pub fn new(vendor: impl Into<String>, secrets: bool) -> Self {
        Self { format: FORMAT.into(), version: VERSION, vendor: vendor.into(), secrets }
    }
}

/// The vendor's account settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VendorSettings {
    /// The vendor's login.
    pub login: String,
    /// How long validation answers may be cached, in seconds (absent: the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_ttl: Option<i64>,
    /// The currency the console preselects where a price is entered, `"EUR"` or `"USD"` (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "currency")]
    pub default_currency: Option<Currency>,
    /// The vendor's branding for its shop and customer portal, as `[name, value]` pairs of the `Branding` item
    /// (absent: none set).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "pairs")]
    pub branding: Vec<Property>,
    /// The Argon2 PHC string of the password (a secret: only with secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

/// One entity as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordLine {
    /// Its kind, by path (`productmodule`).
    pub kind: Resource,
    /// Its number.
    pub number: String,
    /// Its active flag.
    pub active: bool,
    /// The numbers of its direct parents, by the parent's kind (in the kinds' declaration order).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<Resource, String>,
    /// The stored properties in order, as `[name, value]` pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "pairs")]
    pub properties: Vec<Property>,
    /// The stored lists in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "lists")]
    pub lists: Vec<List>,
}

impl RecordLine {
    /// The value of a property.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }
}

/// Why a line cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// Not JSON of a line's shape.
    #[error("not an account file line: {0}")]
    Json(#[from] serde_json::Error),
    /// The first line is no header of this format.
    #[error("not a {FORMAT} file (the first line must be its header)")]
    NoHeader,
    /// A version this code does not read.
    #[error("{FORMAT} version {0} is not supported (this version reads version {VERSION})")]
    Version(u32),
}

impl Line {
    /// The line as one line of JSON (without the line break).
    pub fn to_json(&self) -> String {
        // Serialising these types cannot fail: every map key is a string and every value plain data.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a line.
    pub fn parse(text: &str) -> Result<Line, LineError> {
        Ok(serde_json::from_str(text)?)
    }

    /// Reads the first line, which must be a header of a version this code reads.
    pub fn parse_header(text: &str) -> Result<Header, LineError> {
        match serde_json::from_str::<Line>(text) {
            Ok(Line::Header(header)) if header.format == FORMAT => match header.version {
                VERSION => Ok(header),
                other => Err(LineError::Version(other)),
            },
            _ => Err(LineError::NoHeader),
        }
    }
}

/// Whether a whole record is a secret: a token that is a credential (an API key, a vendor login or
/// customer-portal token). Shop tokens are links shown to customers and are not.
pub fn secret_record(kind: Resource, properties: &[Property]) -> bool {
    kind == Resource::Token && properties.iter().find(|p| p.name == "tokenType").is_none_or(|p| p.value != "SHOP")
}

/// Whether a property is a secret: a token's `privateKey`, and a payment method's or notification's setting
/// whose name says it is one (`…secret…`, `…password…`, `…key…`, `…token…`, any case).
pub fn secret_property(kind: Resource, name: &str) -> bool {
    match kind {
        Resource::Token => name == "privateKey",
        Resource::PaymentMethod | Resource::Notification => {
            let lower = name.to_ascii_lowercase();
            ["secret", "password", "key", "token"].iter().any(|word| lower.contains(word))
        }
        _ => false,
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.path())
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Resource::ALL
            .into_iter()
            .find(|r| r.path() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown kind '{text}'")))
    }
}

/// Properties as `[name, value]` pairs.
mod pairs {
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};

    use crate::document::Property;

    pub fn serialize<S: Serializer>(properties: &[Property], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(properties.len()))?;
        for p in properties {
            seq.serialize_element(&(&p.name, &p.value))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Property>, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
        Ok(pairs.into_iter().map(|(name, value)| Property { name, value }).collect())
    }
}

/// A currency in its wire spelling (`"EUR"`).
mod currency {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::types::{Currency, WireEnum};

    pub fn serialize<S: Serializer>(currency: &Option<Currency>, serializer: S) -> Result<S::Ok, S::Error> {
        match currency {
            Some(currency) => serializer.serialize_str(currency.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Currency>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.map(|text| {
            Currency::from_wire(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown currency '{text}'")))
        })
        .transpose()
    }
}

/// Lists as `{"name":…,"properties":[[name, value]…],"lists":[…]}`.
mod lists {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::document::{List, Property};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Shape {
        name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty", with = "super::pairs")]
        properties: Vec<Property>,
        #[serde(default, skip_serializing_if = "Vec::is_empty", with = "self")]
        lists: Vec<List>,
    }

    fn shape(list: &List) -> Shape {
        Shape { name: list.name.clone(), properties: list.properties.clone(), lists: list.lists.clone() }
    }

    pub fn serialize<S: Serializer>(lists: &[List], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(lists.iter().map(shape))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<List>, D::Error> {
        let shapes = Vec::<Shape>::deserialize(deserializer)?;
        Ok(shapes.into_iter().map(|s| List { name: s.name, properties: s.properties, lists: s.lists }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn license() -> RecordLine {
        let mut discount = List::new("discount");
        discount.push("totalPrice", "100");
        RecordLine {
            kind: Resource::License,
            number: "L1".into(),
            active: true,
            links: BTreeMap::from([(Resource::LicenseTemplate, "E1".into()), (Resource::Licensee, "I1".into())]),
            properties: vec![Property::new("sessionId_s1", "2026-01-01T00:00:00.000Z"), Property::new("crm", "a\"b")],
            lists: vec![discount],
        }
    }

    #[test]
    fn lines_are_written_in_one_stable_form_and_read_back() {
        let line = Line::Record(license());
        let text = line.to_json();
        assert_eq!(
            text,
            r#"{"type":"record","kind":"license","number":"L1","active":true,"links":{"licensetemplate":"E1","licensee":"I1"},"properties":[["sessionId_s1","2026-01-01T00:00:00.000Z"],["crm","a\"b"]],"lists":[{"name":"discount","properties":[["totalPrice","100"]]}]}"#
        );
        assert_eq!(Line::parse(&text).expect("reads"), line);
        let bare = RecordLine { links: BTreeMap::new(), properties: Vec::new(), lists: Vec::new(), ..license() };
        assert_eq!(Line::Record(bare).to_json(), r#"{"type":"record","kind":"license","number":"L1","active":true}"#);
    }

    #[test]
    fn the_header_names_format_version_vendor_and_secrets() {
        let text = Line::Header(Header::new("VDEMO", false)).to_json();
        assert_eq!(
            text,
            r#"{"type":"header","format":"netlicensing-account","version":1,"vendor":"VDEMO","secrets":false}"#
        );
        assert_eq!(Line::parse_header(&text).expect("header"), Header::new("VDEMO", false));
        let future = text.replace("\"version\":1", "\"version\":2");
        assert!(matches!(Line::parse_header(&future), Err(LineError::Version(2))));
        assert!(matches!(Line::parse_header(r#"{"type":"vendor","login":"x"}"#), Err(LineError::NoHeader)));
        assert!(matches!(Line::parse_header("not json"), Err(LineError::NoHeader)));
    }

    #[test]
    fn the_vendor_line_names_its_settings_in_their_wire_spelling() {
        let settings = VendorSettings {
            login: "v".into(),
            validation_ttl: Some(3600),
            default_currency: Some(Currency::Usd),
            branding: Vec::new(),
            password_hash: None,
        };
        let text = Line::Vendor(settings.clone()).to_json();
        assert_eq!(text, r#"{"type":"vendor","login":"v","validationTtl":3600,"defaultCurrency":"USD"}"#);
        assert_eq!(Line::parse(&text).expect("reads"), Line::Vendor(settings.clone()));
        let none = VendorSettings { default_currency: None, ..settings };
        assert_eq!(Line::Vendor(none).to_json(), r#"{"type":"vendor","login":"v","validationTtl":3600}"#);
        assert!(Line::parse(r#"{"type":"vendor","login":"v","defaultCurrency":"GBP"}"#).is_err());
    }

    #[test]
    fn unknown_kinds_and_fields_are_refused() {
        assert!(Line::parse(r#"{"type":"record","kind":"gadget","number":"G","active":true}"#).is_err());
        assert!(Line::parse(r#"{"type":"record","kind":"license","number":"L","active":true,"x":1}"#).is_err());
    }

    #[test]
    fn credentials_are_secrets_and_shop_tokens_are_not() {
        let token = |ty: &str| vec![Property::new("tokenType", ty)];
        assert!(secret_record(Resource::Token, &token("APIKEY")));
        assert!(secret_record(Resource::Token, &token("DEFAULT")));
        assert!(!secret_record(Resource::Token, &token("SHOP")));
        assert!(!secret_record(Resource::License, &[]));
        assert!(secret_property(Resource::Token, "privateKey"));
        assert!(secret_property(Resource::PaymentMethod, "stripe.secretKey"));
        assert!(!secret_property(Resource::PaymentMethod, "paypal.subject"));
        assert!(!secret_property(Resource::License, "nodeSecret0"));
    }

    #[test]
    fn the_order_lists_every_kind_after_its_parents() {
        for (i, kind) in ORDER.iter().enumerate() {
            for parent in kind.parents() {
                assert!(ORDER[..i].contains(parent), "{kind:?} after {parent:?}");
            }
        }
        assert_eq!(ORDER.len(), Resource::ALL.len());
        assert!(Resource::ALL.iter().all(|r| ORDER.contains(r)));
    }
}
