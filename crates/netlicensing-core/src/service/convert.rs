//! Records to typed entities and back. The record holds number, active and links in their own fields; the
//! stored properties are the entity's item without those and without what is computed on reading.

use netlicensing_model::{Item, List, Property, entity::Entity};

use crate::{
    error::CoreResult,
    record::{Kind, Record},
};

/// Names never stored as properties of a kind: held in record fields or computed on reading.
pub fn unstored(kind: Kind, name: &str) -> bool {
    matches!(name, "number" | "active" | "inUse")
        || kind.shown_links().iter().any(|(_, property)| *property == name)
        || (kind == Kind::LicenseTemplate && name == "productModuleName")
        || (kind == Kind::Bundle && super::bundle::COMPUTED.contains(&name))
        || (kind == Kind::Transaction && name == "inUse")
}

/// Properties stored but never shown (a notification's signing secret, shown once when it is created).
/// The shop's payment secrets are written through the API (payment method update) but never shown.
const HIDDEN: &[(Kind, &str)] = &[
    (Kind::Notification, super::notification::SECRET),
    (Kind::PaymentMethod, super::shop::STRIPE_SECRET_KEY),
    (Kind::PaymentMethod, super::shop::STRIPE_WEBHOOK_SECRET),
];

/// Hidden properties an update may set (write-only secrets); the other hidden ones are the service's own.
pub fn writable_secret(kind: Kind, name: &str) -> bool {
    kind == Kind::PaymentMethod && hidden(kind, name)
}

/// Whether a kind has hidden properties.
pub fn hides(kind: Kind) -> bool {
    HIDDEN.iter().any(|(k, _)| *k == kind)
}

/// Whether a property of a kind is stored but never shown.
pub fn hidden(kind: Kind, name: &str) -> bool {
    HIDDEN.iter().any(|(k, n)| *k == kind && *n == name)
}

/// The item of a record: number, active, link numbers, the stored properties, and `inUse` where the service
/// shows it.
pub fn record_item(kind: Kind, ty: &str, record: &Record, extra: Vec<Property>) -> Item {
    let mut item = Item::new(ty);
    item.push("number", record.number.as_str());
    item.push("active", if record.active { "true" } else { "false" });
    for (link, name) in kind.shown_links() {
        if let Some(link) = record.links.get(*link) {
            item.push(*name, link.number.as_str());
        }
    }
    item.properties.extend(extra);
    if shows_in_use(kind) {
        item.push("inUse", if record.in_use { "true" } else { "false" });
    }
    item.properties.extend(record.properties.iter().cloned());
    item.lists.extend(record.lists.iter().cloned());
    item
}

/// Kinds whose items carry `inUse`.
fn shows_in_use(kind: Kind) -> bool {
    matches!(kind, Kind::Product | Kind::ProductModule | Kind::LicenseTemplate | Kind::Licensee | Kind::License)
}

/// The typed entity of a record.
pub fn to_entity<E: Entity>(kind: Kind, record: &Record, extra: Vec<Property>) -> CoreResult<E> {
    Ok(E::from_item(record_item(kind, E::TYPE, record, extra))?)
}

/// The properties and lists to store for an entity.
pub fn stored_properties<E: Entity>(kind: Kind, entity: &E) -> (Vec<Property>, Vec<List>) {
    let item = entity.to_item();
    (item.properties.into_iter().filter(|p| !unstored(kind, &p.name)).collect(), item.lists)
}
