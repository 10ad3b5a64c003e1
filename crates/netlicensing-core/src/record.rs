//! Stored entities as the repositories see them: a number, an active flag, links to parent entities, and the
//! remaining properties in order. Services convert records to and from typed entities.

use netlicensing_model::{List, Property};

/// Storage id of a record (unique per kind).
pub type RecordId = i64;

/// The kinds of entity a vendor owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Products.
    Product,
    /// Product modules (linked to a product).
    ProductModule,
    /// License templates (linked to a product module).
    LicenseTemplate,
    /// Licensees (linked to a product).
    Licensee,
    /// Licenses (linked to a licensee and a license template).
    License,
    /// Bundles.
    Bundle,
    /// Tokens.
    Token,
    /// Transactions.
    Transaction,
    /// Notifications.
    Notification,
    /// Payment methods.
    PaymentMethod,
}

impl Kind {
    /// Every kind, parents before children.
    pub const ALL: [Kind; 10] = [
        Kind::Product,
        Kind::ProductModule,
        Kind::LicenseTemplate,
        Kind::Licensee,
        Kind::License,
        Kind::Bundle,
        Kind::Token,
        Kind::Transaction,
        Kind::Notification,
        Kind::PaymentMethod,
    ];

    /// Lower-case noun for messages (`Requested license template does not exist`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Product => "product",
            Kind::ProductModule => "product module",
            Kind::LicenseTemplate => "license template",
            Kind::Licensee => "licensee",
            Kind::License => "license",
            Kind::Bundle => "bundle",
            Kind::Token => "token",
            Kind::Transaction => "transaction",
            Kind::Notification => "notification",
            Kind::PaymentMethod => "payment method",
        }
    }

    /// Prefix of generated numbers (`P…`, `M…`); tokens get UUIDs instead.
    pub fn number_prefix(self) -> char {
        match self {
            Kind::Product => 'P',
            Kind::ProductModule => 'M',
            Kind::LicenseTemplate => 'E',
            Kind::Licensee => 'I',
            Kind::License => 'L',
            Kind::Bundle => 'B',
            Kind::Token => 'K',
            Kind::Transaction => 'T',
            Kind::Notification => 'N',
            Kind::PaymentMethod => 'Y',
        }
    }

    /// The parent links a record of this kind is created with.
    pub fn parents(self) -> &'static [LinkKind] {
        match self {
            Kind::ProductModule | Kind::Licensee => &[LinkKind::Product],
            Kind::LicenseTemplate => &[LinkKind::ProductModule],
            Kind::License => &[LinkKind::Licensee, LinkKind::LicenseTemplate],
            _ => &[],
        }
    }

    /// The kinds whose records hang off a record of this kind (deleted with it on cascade).
    pub fn children(self) -> &'static [Kind] {
        match self {
            Kind::Product => &[Kind::ProductModule, Kind::Licensee],
            Kind::ProductModule => &[Kind::LicenseTemplate],
            Kind::LicenseTemplate | Kind::Licensee => &[Kind::License],
            _ => &[],
        }
    }
}

/// The kinds of parent link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// The product (of a module or licensee; derived for templates and licenses).
    Product,
    /// The product module (of a template; derived for licenses).
    ProductModule,
    /// The licensee (of a license).
    Licensee,
    /// The license template (of a license).
    LicenseTemplate,
}

impl LinkKind {
    /// The kind of record the link points to.
    pub fn kind(self) -> Kind {
        match self {
            LinkKind::Product => Kind::Product,
            LinkKind::ProductModule => Kind::ProductModule,
            LinkKind::Licensee => Kind::Licensee,
            LinkKind::LicenseTemplate => Kind::LicenseTemplate,
        }
    }
}

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
    /// The link of a kind.
    pub fn get(&self, kind: LinkKind) -> Option<&Link> {
        match kind {
            LinkKind::Product => self.product.as_ref(),
            LinkKind::ProductModule => self.product_module.as_ref(),
            LinkKind::Licensee => self.licensee.as_ref(),
            LinkKind::LicenseTemplate => self.license_template.as_ref(),
        }
    }

    /// Sets the link of a kind.
    pub fn set(&mut self, kind: LinkKind, link: Option<Link>) {
        match kind {
            LinkKind::Product => self.product = link,
            LinkKind::ProductModule => self.product_module = link,
            LinkKind::Licensee => self.licensee = link,
            LinkKind::LicenseTemplate => self.license_template = link,
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
}

impl Query {
    /// Every record matching the conditions, in one page (for the service's own reads).
    pub fn all(conditions: Vec<Condition>) -> Self {
        Self { conditions, page: 0, items: i64::MAX as u64 }
    }
}

impl Default for Query {
    fn default() -> Self {
        Self { conditions: Vec::new(), page: 0, items: DEFAULT_PAGE_SIZE }
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
    /// Number of records matching the query.
    pub total: u64,
}
