//! A remote server's API item as an account file line: what the item shows of the entity without what the
//! service computes on reading (`inUse`, the numbers of derived links, a bundle's prices, a template's module
//! name), its direct parents taken from their link properties. Lists the store has no place for are dropped
//! with a warning.

use netlicensing_model::{CodecError, Item, account::RecordLine, api::ResourceEntity, entity::Entity};

use crate::{record::Kind, service::convert::unstored};

/// The lists the store keeps, by kind (others cannot be represented).
pub const KEPT_LISTS: &[(Kind, &str)] = &[(Kind::Product, "discount"), (Kind::Transaction, "licenseTransactionJoin")];

/// The line of an item of the kind, with warnings about what it had that cannot be kept. A malformed item (a
/// value its typed entity refuses) is an error naming the property.
pub fn line(kind: Kind, item: &Item) -> Result<(RecordLine, Vec<String>), CodecError> {
    let (number, active) = netlicensing_model::with_entity!(kind, |E| {
        let entity = E::from_item(item.clone())?;
        (entity.number().to_owned(), entity.active())
    });
    let mut warnings = Vec::new();
    let links = kind
        .parents()
        .iter()
        .filter_map(|parent| {
            let property = parent.link_property()?;
            item.property(property).map(|number| (*parent, number.to_owned()))
        })
        .collect();
    let properties = item
        .properties
        .iter()
        .filter(|p| !unstored(kind, &p.name))
        // A transaction's vendor is shown, not stored; the importer sets it where it is stored.
        .filter(|p| !(kind == Kind::Transaction && p.name == "vendorNumber"))
        .cloned()
        .collect();
    let mut lists = Vec::new();
    for list in &item.lists {
        if KEPT_LISTS.contains(&(kind, list.name.as_str())) {
            lists.push(list.clone());
        } else {
            warnings.push(format!(
                "{} '{number}': its list '{}' cannot be represented and is left out",
                kind.noun(),
                list.name
            ));
        }
    }
    Ok((RecordLine { kind, number, active, links, properties, lists }, warnings))
}

#[cfg(test)]
mod tests {
    use netlicensing_model::List;

    use super::*;

    #[test]
    fn items_become_lines_without_what_is_computed() {
        let mut item = Item::new("License");
        for (name, value) in [
            ("number", "L1"),
            ("active", "true"),
            ("licenseeNumber", "I1"),
            ("licenseTemplateNumber", "E1"),
            ("productModuleNumber", "M1"),
            ("inUse", "false"),
            ("licenseType", "FLOATING"),
            ("sessionId_s1", "2026-01-01T00:00:00.000Z"),
            ("crm", "x"),
        ] {
            item.push(name, value);
        }
        item.lists.push(List::new("gadgets"));
        let (line, warnings) = line(Kind::License, &item).expect("a line");
        assert_eq!((line.number.as_str(), line.active), ("L1", true));
        assert_eq!(line.links.get(&Kind::Licensee).map(String::as_str), Some("I1"));
        assert_eq!(line.links.get(&Kind::LicenseTemplate).map(String::as_str), Some("E1"));
        let names: Vec<&str> = line.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["licenseType", "sessionId_s1", "crm"]);
        assert!(line.lists.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn malformed_items_are_refused() {
        let mut item = Item::new("Product");
        item.push("number", "P1");
        item.push("active", "maybe");
        assert!(line(Kind::Product, &item).is_err());
    }
}
