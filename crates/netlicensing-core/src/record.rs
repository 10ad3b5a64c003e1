//! Stored entities as the repositories see them: a number, an active flag, links to parent entities, and the
//! remaining properties in order. Services convert records to and from typed entities.

use netlicensing_model::{List, Property};

/// Storage id of a record (unique per kind).
pub type RecordId = i64;

/// The kinds of entity a vendor owns: the API's resources, declared once in the model
/// ([`netlicensing_model::api::SPECS`]: noun, number prefix, parents; links and children derived).
pub use netlicensing_model::api::Resource as Kind;

/// A parent link, named by the kind of record it points to.
pub type LinkKind = Kind;

/// A link to another record: its id and (current) number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Storage id.
    pub id: RecordId,
    /// Number at the time of reading.
    pub number: String,
}

/// The parent links of a record. Reads fill every link reachable upward (a license's product module and
/// product too); writes use only the kind's direct parents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// Product.
    pub product: Option<Link>,
    /// Product module.
    pub product_module: Option<Link>,
    /// Licensee.
    pub licensee: Option<Link>,
    /// License template.
    pub license_template: Option<Link>,
}

impl Links {
    /// The link of a kind (none for kinds that are nobody's parent; a test checks every parent has a field).
    pub fn get(&self, kind: LinkKind) -> Option<&Link> {
        match kind {
            Kind::Product => self.product.as_ref(),
            Kind::ProductModule => self.product_module.as_ref(),
            Kind::Licensee => self.licensee.as_ref(),
            Kind::LicenseTemplate => self.license_template.as_ref(),
            _ => None,
        }
    }

    /// Sets the link of a kind.
    pub fn set(&mut self, kind: LinkKind, link: Option<Link>) {
        match kind {
            Kind::Product => self.product = link,
            Kind::ProductModule => self.product_module = link,
            Kind::Licensee => self.licensee = link,
            Kind::LicenseTemplate => self.license_template = link,
            _ => {}
        }
    }
}

/// A stored entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Storage id.
    pub id: RecordId,
    /// Number, unique per vendor and kind.
    pub number: String,
    /// Active flag.
    pub active: bool,
    /// Parent links.
    pub links: Links,
    /// Every other property, in order (typed ones in their wire form, then custom ones).
    pub properties: Vec<Property>,
    /// Nested lists (product discounts ...), in order.
    pub lists: Vec<List>,
    /// True when other records hang off this one.
    pub in_use: bool,
}

/// A licensee's revision: a number the store changes, in the same transaction, with every write of the
/// licensee, its aliases or its licenses (and what they keep beside them: custom properties, floating
/// sessions, node secrets). Two reads that saw the same revision saw the same licensee and licenses.
pub type Revision = i64;

/// A licensee and its licenses as one read saw them (validation's read), with the licensee's revision then
/// (`None` where the store keeps no revisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseeRecords {
    /// The licensee.
    pub licensee: Record,
    /// Its licenses, by id.
    pub licenses: Vec<Record>,
    /// The licensee's revision at the read.
    pub revision: Option<Revision>,
}

/// The aliases a licensee's properties give it (`aliases`, a JSON array of strings), without blanks and
/// repeats; none when the property is absent or unreadable (the service refuses unreadable ones).
pub fn aliases(properties: &[Property]) -> Vec<String> {
    let Some(text) = properties.iter().find(|p| p.name == "aliases").map(|p| p.value.as_str()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for alias in serde_json::from_str::<Vec<String>>(text).unwrap_or_default() {
        if !alias.is_empty() && !out.contains(&alias) {
            out.push(alias);
        }
    }
    out
}

impl Record {
    /// The value of a property.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }
}

/// A record to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    /// Number (already generated when the vendor gave none).
    pub number: String,
    /// Active flag.
    pub active: bool,
    /// Direct parent ids.
    pub links: Links,
    /// Every other property, in order.
    pub properties: Vec<Property>,
    /// Nested lists, in order.
    pub lists: Vec<List>,
}

/// A condition of a list query (all conditions must hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The number equals.
    Number(String),
    /// The active flag equals.
    Active(bool),
    /// The linked record's number equals.
    Link(LinkKind, String),
    /// A property (standard or custom) has exactly this value.
    Property(String, String),
    /// The storage id is greater (a walk through every record of a kind, page after page, as the export does).
    After(RecordId),
}

/// The order of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// By storage id: the order of creation (the API's order).
    #[default]
    Id,
    /// By `name` (records without a name first), then by id; by id alone for a kind without names.
    Name,
    /// By storage id, newest first (the console's lists).
    Newest,
}

/// A list query: conditions plus the page wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Conditions, all of which must hold.
    pub conditions: Vec<Condition>,
    /// Zero-based page number.
    pub page: u64,
    /// Page size.
    pub items: u64,
    /// The order of the pages.
    pub order: Order,
    /// Whether the total of matching records is wanted (a count beside the page); without it, the listing's
    /// total is the number of records on the page.
    pub counted: bool,
}

impl Query {
    /// Every record matching the conditions, in one page (for the service's own reads).
    pub fn all(conditions: Vec<Condition>) -> Self {
        Self { conditions, page: 0, items: i64::MAX as u64, order: Order::Id, counted: true }
    }

    /// The next `items` records after the storage id `after`, uncounted: one step of a walk through a kind.
    pub fn after(after: RecordId, items: u64) -> Self {
        Self { conditions: vec![Condition::After(after)], page: 0, items, order: Order::Id, counted: false }
    }
}

impl Default for Query {
    fn default() -> Self {
        Self { conditions: Vec::new(), page: 0, items: DEFAULT_PAGE_SIZE, order: Order::Id, counted: true }
    }
}

/// Page size when the request names none.
pub const DEFAULT_PAGE_SIZE: u64 = 100;
/// Largest page size served.
pub const MAX_PAGE_SIZE: u64 = 1000;

/// One page of a list query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The records of the page, ordered by id.
    pub records: Vec<Record>,
    /// Number of records matching the query (of the page, when the query was not counted).
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_hold_every_parent_kind() {
        for kind in Kind::ALL.into_iter().filter(|kind| !kind.children().is_empty()) {
            let mut links = Links::default();
            let link = Link { id: 7, number: "X7".into() };
            links.set(kind, Some(link.clone()));
            assert_eq!(links.get(kind), Some(&link), "{kind:?} needs a field in Links");
        }
    }
}
