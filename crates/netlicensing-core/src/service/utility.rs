//! The utility lists: license types, licensing models, countries.

use netlicensing_model::{
    Paging,
    entity::{Country, Entity, LicenseTypeItem, LicensingModelItem},
    types::{LicenseType, LicensingModel, Percent, WireEnum, WireValue},
};

use super::{Core, Page, filter};
use crate::{
    caller::{Caller, Permission},
    error::CoreResult,
    record::{Condition, Kind},
};

/// The country table: `code|name|vat` lines (VAT only for EU members).
const COUNTRIES: &str = include_str!("../data/countries.txt");

/// Every country, in code order.
pub fn countries() -> Vec<Country> {
    COUNTRIES
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut parts = line.split('|');
            let code = parts.next().unwrap_or_default().to_owned();
            let name = parts.next().unwrap_or_default().to_owned();
            let vat_percent = parts.next().and_then(Percent::parse_wire);
            Country { code, name, is_eu: vat_percent.is_some(), vat_percent, custom: Vec::new() }
        })
        .collect()
}

impl Core {
    /// Every license type.
    pub fn license_types(&self, caller: &Caller) -> CoreResult<Vec<LicenseTypeItem>> {
        caller.require(Permission::Read)?;
        Ok(LicenseType::ALL.iter().map(|name| LicenseTypeItem { name: *name }).collect())
    }

    /// The current licensing models (legacy names are accepted on input but not listed).
    pub fn licensing_models(&self, caller: &Caller) -> CoreResult<Vec<LicensingModelItem>> {
        caller.require(Permission::Read)?;
        Ok(LicensingModel::CURRENT.iter().map(|name| LicensingModelItem { name: *name }).collect())
    }
}

impl Core {
    /// One page of the countries; `filter` matches `code`, `name`, `isEu` or `vatPercent` exactly.
    pub fn countries(&self, caller: &Caller, filter_text: Option<&str>) -> CoreResult<Page<Country>> {
        caller.require(Permission::Read)?;
        // Countries have no links: every filter key is matched as a property.
        let query = filter::parse(Kind::Notification, filter_text, &[])?;
        let matching: Vec<Country> = countries()
            .into_iter()
            .filter(|country| {
                let item = country.to_item();
                query.conditions.iter().all(|condition| match condition {
                    Condition::Property(name, value) => item.property(name) == Some(value.as_str()),
                    Condition::Number(_) | Condition::Active(_) | Condition::Link(..) | Condition::After(_) => false,
                })
            })
            .collect();
        let total = matching.len() as u64;
        let items: Vec<Country> =
            matching.into_iter().skip((query.page * query.items) as usize).take(query.items as usize).collect();
        let paging = Paging::of(query.page, query.items, items.len() as u64, total);
        Ok(Page { items, paging })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_table() {
        let all = countries();
        assert_eq!(all.len(), 249);
        assert!(all.windows(2).all(|w| w[0].code < w[1].code), "sorted and unique");
        assert_eq!(all.iter().filter(|c| c.is_eu).count(), 27);
        let de = all.iter().find(|c| c.code == "DE").unwrap();
        assert_eq!((de.name.as_str(), de.vat_percent.map(|v| v.to_string())), ("GERMANY", Some("19".into())));
        assert_eq!(all.iter().find(|c| c.code == "AF").unwrap().vat_percent, None);
    }
}
