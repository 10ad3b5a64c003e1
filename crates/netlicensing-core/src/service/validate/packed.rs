//! The validation cache's form of a licensee's data: the licensee and its licenses packed compactly (postcard,
//! then LZ4; about a tenth of their size in memory), the catalogue left to the catalogue cache.

use std::sync::Arc;

use netlicensing_model::entity::{License, Licensee};

use super::{Catalogue, Licensing};
use crate::{
    record::{RecordId, Revision},
    service::cache::Weighed,
};

impl Weighed for Catalogue {
    fn weight(&self) -> usize {
        // A module or template with its strings and properties: about a kilobyte.
        1024 * (1 + self.modules.len() + self.templates.len())
    }
}

/// A licensee's validation data as the cache keeps it.
#[derive(Debug)]
pub(crate) struct PackedLicensing {
    pub(super) licensee_id: i64,
    pub(super) product_id: i64,
    revision: Option<Revision>,
    bytes: Box<[u8]>,
}

/// What [`PackedLicensing`] holds, as written.
#[derive(serde::Serialize)]
struct PackRef<'a> {
    licensee: &'a Licensee,
    licenses: &'a [License],
    license_ids: &'a [RecordId],
}

/// What [`PackedLicensing`] holds, as read.
#[derive(serde::Deserialize)]
struct Unpacked {
    licensee: Licensee,
    licenses: Vec<License>,
    license_ids: Vec<RecordId>,
}

impl PackedLicensing {
    /// The compact form of a stored licensee's data (`None` for one validation would create).
    pub(super) fn pack(licensing: &Licensing) -> Option<Self> {
        let pack = PackRef {
            licensee: &licensing.licensee,
            licenses: &licensing.licenses,
            license_ids: &licensing.license_ids,
        };
        let plain = postcard::to_stdvec(&pack).ok()?;
        Some(Self {
            licensee_id: licensing.licensee_id?,
            product_id: licensing.product_id?,
            revision: licensing.revision,
            bytes: lz4_flex::compress_prepend_size(&plain).into_boxed_slice(),
        })
    }

    /// The licensee's data again, with its product's catalogue (`None` if the bytes do not read back, which
    /// would be a defect; the caller then reads the store).
    pub(super) fn unpack(&self, catalogue: Arc<Catalogue>) -> Option<Licensing> {
        let plain = lz4_flex::decompress_size_prepended(&self.bytes).ok()?;
        let Unpacked { licensee, licenses, license_ids } = postcard::from_bytes(&plain).ok()?;
        Some(Licensing {
            licensee,
            licensee_id: Some(self.licensee_id),
            product_id: Some(self.product_id),
            catalogue,
            licenses,
            license_ids,
            revision: self.revision,
        })
    }
}

impl Weighed for PackedLicensing {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use netlicensing_model::types::{Currency, Money, TimeVolumePeriod};

    use netlicensing_model::{Property, types::timestamp};

    use super::*;

    #[test]
    fn packed_licensings_read_back_exactly_and_small() {
        let licensee = Licensee {
            number: "I1".into(),
            active: true,
            product_number: Some("P1".into()),
            aliases: Some(vec!["a@example.com".into()]),
            custom: vec![Property::new("crm", "7")],
            ..Licensee::default()
        };
        let license = |n: usize| License {
            number: format!("L{n}"),
            active: n.is_multiple_of(2),
            name: Some("Subscription".into()),
            price: Some(format!("10.{n}5").parse::<Money>().expect("an amount")),
            currency: Some(Currency::Eur),
            hidden: Some(false),
            licensee_number: Some("I1".into()),
            license_template_number: Some("E1".into()),
            time_volume_period: Some(TimeVolumePeriod::Month),
            time_volume: Some(12),
            start_date: timestamp::parse("2026-11-30T12:44:28.635Z"),
            quantity: Some(-3),
            used_quantity: Some(i64::MAX),
            custom: vec![Property::new("sessionId_s1", "2026-11-30T13:44:28.635Z")],
            ..License::default()
        };
        let catalogue =
            Arc::new(Catalogue { product: None, secret_mode: None, modules: Vec::new(), templates: Vec::new() });
        let licensing = Licensing {
            licensee,
            licensee_id: Some(4),
            product_id: Some(9),
            catalogue: catalogue.clone(),
            licenses: (0..10).map(license).collect(),
            license_ids: (100..110).collect(),
            revision: Some(7),
        };
        let packed = PackedLicensing::pack(&licensing).expect("a stored licensee packs");
        let back = packed.unpack(catalogue).expect("reads back");
        assert_eq!((back.licensee_id, back.product_id), (Some(4), Some(9)));
        assert_eq!(back.licensee, licensing.licensee);
        assert_eq!(back.licenses, licensing.licenses);
        assert_eq!((back.license_ids, back.revision), (licensing.license_ids.clone(), Some(7)));
        assert!(packed.weight() < 1024, "{} bytes for ten licenses", packed.weight());
        let unstored = Licensing { licensee_id: None, ..licensing };
        assert!(PackedLicensing::pack(&unstored).is_none(), "only stored licensees are cached");
    }
}
