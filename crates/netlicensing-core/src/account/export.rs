//! Records out as account file lines: one kind a page at a time, in storage-id order (the order the records
//! were created in, which an import keeps), so that an export is deterministic and a second export after an
//! import gives the same bytes.

use netlicensing_model::{
    account::{RecordLine, VendorSettings, secret_property, secret_record},
    entity::{Branding, Entity},
};

use crate::{
    caller::VendorId,
    error::RepoError,
    record::{Kind, Query, Record, RecordId},
    repo::{Store, Tx, Vendor},
};

/// Records read per page.
pub const PAGE: u64 = 1000;

/// One page of a kind's records as lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportPage {
    /// The lines of the records (secret records left out unless secrets were asked for).
    pub lines: Vec<RecordLine>,
    /// The id of the last record read, where the next page starts; `None` when there are no more.
    pub last: Option<RecordId>,
    /// Records left out as secrets.
    pub omitted: u64,
}

/// The page of the kind's records after the id `after` (0 for the first page).
pub async fn page(
    tx: &mut dyn Tx,
    vendor: VendorId,
    kind: Kind,
    after: RecordId,
    secrets: bool,
) -> Result<ExportPage, RepoError> {
    // Uncounted: a count of what is left on every page would make the walk quadratic in the kind's size.
    let records = tx.list(vendor, kind, &Query::after(after, PAGE)).await?.records;
    let last = records.last().map(|r| r.id);
    let mut out = ExportPage { last, ..ExportPage::default() };
    for record in &records {
        match line(kind, record, secrets) {
            Some(line) => out.lines.push(line),
            None => out.omitted += 1,
        }
    }
    Ok(out)
}

/// A record as its line: number, active, the numbers of its direct parents, the stored properties and lists;
/// `None` for a secret record without secrets, and secret properties left out.
pub fn line(kind: Kind, record: &Record, secrets: bool) -> Option<RecordLine> {
    if !secrets && secret_record(kind, &record.properties) {
        return None;
    }
    let links = kind
        .parents()
        .iter()
        .filter_map(|parent| record.links.get(*parent).map(|link| (*parent, link.number.clone())))
        .collect();
    let properties = record.properties.iter().filter(|p| secrets || !secret_property(kind, &p.name)).cloned().collect();
    Some(RecordLine {
        kind,
        number: record.number.clone(),
        active: record.active,
        links,
        properties,
        lists: record.lists.clone(),
    })
}

/// The vendor's settings line (the password hash only with secrets).
pub async fn vendor_settings(store: &dyn Store, vendor: &Vendor, secrets: bool) -> Result<VendorSettings, RepoError> {
    Ok(VendorSettings {
        login: vendor.login.clone(),
        validation_ttl: store.validation_ttl(vendor.id).await?,
        default_currency: store.default_currency(vendor.id).await?,
        branding: store
            .branding(vendor.id)
            .await?
            .map(|branding| Entity::to_item(&Branding { vendor_number: None, ..branding }).properties)
            .unwrap_or_default(),
        password_hash: secrets.then(|| vendor.password_hash.clone()),
    })
}

#[cfg(test)]
mod tests {
    use netlicensing_model::Property;

    use super::*;
    use crate::record::{Link, Links};

    fn token(ty: &str) -> Record {
        Record {
            id: 1,
            number: "K1".into(),
            active: true,
            links: Links::default(),
            properties: vec![Property::new("tokenType", ty), Property::new("privateKey", "PEM")],
            lists: Vec::new(),
            in_use: false,
        }
    }

    #[test]
    fn secrets_go_only_when_asked_for() {
        assert_eq!(line(Kind::Token, &token("APIKEY"), false), None);
        let with = line(Kind::Token, &token("APIKEY"), true).expect("a line");
        assert_eq!(with.property("privateKey"), Some("PEM"));
        let shop = line(Kind::Token, &token("SHOP"), false).expect("shop tokens are no secret");
        assert_eq!(shop.property("privateKey"), None);
    }

    #[test]
    fn lines_name_only_the_direct_parents() {
        let link = |id, number: &str| Some(Link { id, number: number.into() });
        let license = Record {
            id: 9,
            number: "L1".into(),
            active: false,
            links: Links {
                product: link(1, "P1"),
                product_module: link(2, "M1"),
                licensee: link(3, "I1"),
                license_template: link(4, "E1"),
            },
            properties: vec![Property::new("sessionId_s", "2026-01-01T00:00:00.000Z")],
            lists: Vec::new(),
            in_use: true,
        };
        let line = line(Kind::License, &license, false).expect("a line");
        let links: Vec<(Kind, &str)> = line.links.iter().map(|(k, n)| (*k, n.as_str())).collect();
        assert_eq!(links, [(Kind::LicenseTemplate, "E1"), (Kind::Licensee, "I1")]);
        assert_eq!((line.active, line.properties.len()), (false, 1));
    }
}
