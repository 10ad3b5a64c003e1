//! The generic NetLicensing document: `netlicensing` → `infos` / `items` → `item` → `property` / `list`.
//!
//! Every request answer of the API, in XML or JSON, is one [`Document`]. Typed entities are read from and
//! written to its [`Item`]s (see [`crate::entity`]).

use chrono::{DateTime, Utc};

use crate::types::InfoType;

/// XML namespace of the NetLicensing context schema.
pub const CONTEXT_NS: &str = "http://netlicensing.labs64.com/schema/context";
/// XML namespace of XML Signature (the default namespace of the server's documents).
pub const XMLDSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// One response document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Optional request identifier (`@id`).
    pub id: Option<String>,
    /// Time to live of the answer (`@ttl`): the result may be cached until then. Set on validate answers.
    pub ttl: Option<DateTime<Utc>>,
    /// Enveloped XML signature of a signed validate answer (XML only; JSON always carries `null`).
    pub signature: Option<Signature>,
    /// Errors, warnings and notes about the request.
    pub infos: Vec<Info>,
    /// The entities of the answer; absent on error answers.
    pub items: Option<Items>,
}

impl Document {
    /// A document carrying the given items and nothing else.
    pub fn with_items(items: Vec<Item>) -> Self {
        Self { items: Some(Items { item: items, paging: None }), ..Self::default() }
    }

    /// A list document: the items of one page with its paging attributes.
    pub fn page(items: Vec<Item>, paging: Paging) -> Self {
        Self { items: Some(Items { item: items, paging: Some(paging) }), ..Self::default() }
    }

    /// An error document with one info of type error.
    pub fn error(id: impl Into<String>, message: impl Into<String>) -> Self {
        Self { infos: vec![Info::new(InfoType::Error, id, message)], ..Self::default() }
    }

    /// All items (empty when the document has no `items`).
    pub fn items(&self) -> &[Item] {
        self.items.as_ref().map_or(&[], |items| items.item.as_slice())
    }

    /// Consumes the document and returns its items.
    pub fn into_items(self) -> Vec<Item> {
        self.items.map(|items| items.item).unwrap_or_default()
    }

    /// Paging attributes of a list answer.
    pub fn paging(&self) -> Option<&Paging> {
        self.items.as_ref().and_then(|items| items.paging.as_ref())
    }

    /// The infos of type error.
    pub fn errors(&self) -> impl Iterator<Item = &Info> {
        self.infos.iter().filter(|info| info.kind == Some(InfoType::Error))
    }

    /// True when at least one info is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// One `info` element: a message with an id and a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// Code of the message, e.g. `NotFoundException`.
    pub id: Option<String>,
    /// Error, warning or info.
    pub kind: Option<InfoType>,
    /// Human readable text.
    pub value: String,
}

impl Info {
    /// A new info.
    pub fn new(kind: InfoType, id: impl Into<String>, value: impl Into<String>) -> Self {
        Self { id: Some(id.into()), kind: Some(kind), value: value.into() }
    }
}

/// The `items` element: entities plus, for lists, the paging attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Items {
    /// The entities, in order.
    pub item: Vec<Item>,
    /// Present on list answers.
    pub paging: Option<Paging>,
}

/// Paging attributes of a list answer (`pagenumber`, `itemsnumber`, `totalpages`, `totalitems`, `hasnext`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paging {
    /// Zero-based number of this page.
    pub page_number: u64,
    /// Number of items on this page.
    pub items_number: u64,
    /// Number of pages of the whole query.
    pub total_pages: u64,
    /// Number of items of the whole query.
    pub total_items: u64,
    /// True when a further page exists.
    pub has_next: bool,
}

impl Paging {
    /// Paging of page `page_number` (zero-based) of size `page_size` over `total_items` items,
    /// `items_number` of which are on this page.
    pub fn of(page_number: u64, page_size: u64, items_number: u64, total_items: u64) -> Self {
        let total_pages = if page_size == 0 { 0 } else { total_items.div_ceil(page_size) };
        Self { page_number, items_number, total_pages, total_items, has_next: page_number + 1 < total_pages }
    }

    /// Paging of a complete, unpaged list.
    pub fn single(items: u64) -> Self {
        Self { page_number: 0, items_number: items, total_pages: 1, total_items: items, has_next: false }
    }
}

/// One `item` element: an entity of the given type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// Entity type name, e.g. `Product`.
    pub ty: String,
    /// Properties in document order.
    pub properties: Vec<Property>,
    /// Nested lists in document order.
    pub lists: Vec<List>,
}

impl Item {
    /// An empty item of the given type.
    pub fn new(ty: impl Into<String>) -> Self {
        Self { ty: ty.into(), properties: Vec::new(), lists: Vec::new() }
    }

    /// The value of the first property of that name.
    pub fn property(&self, name: &str) -> Option<&str> {
        find_property(&self.properties, name)
    }

    /// The lists of that name.
    pub fn lists_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a List> + 'a {
        self.lists.iter().filter(move |list| list.name == name)
    }

    /// Appends a property.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.properties.push(Property::new(name, value));
    }
}

/// One `property` element: a name and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Property {
    /// Property name.
    pub name: String,
    /// Property text.
    pub value: String,
}

impl Property {
    /// A new property.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), value: value.into() }
    }
}

/// One `list` element: a named group of properties and nested lists, any depth.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    /// List name.
    pub name: String,
    /// Properties in document order.
    pub properties: Vec<Property>,
    /// Nested lists in document order.
    pub lists: Vec<List>,
}

impl List {
    /// An empty list of the given name.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), properties: Vec::new(), lists: Vec::new() }
    }

    /// The value of the first property of that name.
    pub fn property(&self, name: &str) -> Option<&str> {
        find_property(&self.properties, name)
    }

    /// Appends a property.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.properties.push(Property::new(name, value));
    }
}

fn find_property<'a>(properties: &'a [Property], name: &str) -> Option<&'a str> {
    properties.iter().find(|p| p.name == name).map(|p| p.value.as_str())
}

/// An enveloped XML signature (`ds:Signature`) of a signed validate answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// `SignedInfo/CanonicalizationMethod/@Algorithm`.
    pub canonicalization_method: String,
    /// `SignedInfo/SignatureMethod/@Algorithm`.
    pub signature_method: String,
    /// `SignedInfo/Reference` elements.
    pub references: Vec<SignatureReference>,
    /// Base64 text of `SignatureValue`.
    pub signature_value: String,
}

/// One `Reference` of a signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureReference {
    /// `@URI` (empty for the whole document).
    pub uri: String,
    /// `Transforms/Transform/@Algorithm`, in order.
    pub transforms: Vec<String>,
    /// `DigestMethod/@Algorithm`.
    pub digest_method: String,
    /// Base64 text of `DigestValue`.
    pub digest_value: String,
}
