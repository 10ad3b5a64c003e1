//! Branding: how the vendor's customer-facing pages (shop and customer portal) look and whom they name. An
//! extension of this server (`GET`/`POST branding`); the hosted service keeps the same settings in its console.

use crate::{document::Item, error::CodecError};

use super::{Entity, ItemReader, ItemWriter};

/// The vendor's branding (`item type="Branding"`). Every field is optional; an empty value on update clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// Number of the vendor (read-only).
    pub vendor_number: Option<String>,
    /// The name customers see (the vendor number without one).
    pub name: Option<String>,
    /// The logo as a `data:image/<png|jpeg|gif|webp|svg+xml>;base64,...` URL.
    pub logo: Option<String>,
    /// The accent colour, `#rrggbb`.
    pub accent_color: Option<String>,
    /// Contact e-mail address.
    pub email: Option<String>,
    /// The vendor's web site (`http(s)://`).
    pub website: Option<String>,
    /// The postal address, one line per `\n`-separated line.
    pub address: Option<String>,
    /// Terms and conditions (`http(s)://`).
    pub terms_url: Option<String>,
    /// Privacy policy (`http(s)://`).
    pub privacy_url: Option<String>,
    /// Imprint / legal notice (`http(s)://`).
    pub imprint_url: Option<String>,
    /// `PRIVATE` (no VAT; the default) or `COMPANY` (the shop applies EU VAT rules).
    pub vendor_type: Option<String>,
    /// The country the vendor is established in (ISO 3166-1 alpha-2), for VAT.
    pub country_code: Option<String>,
    /// The vendor's own VAT identification number, shown on order confirmations.
    pub vat_id: Option<String>,
}

impl Branding {
    /// The writable properties: wire name and the field, in the order items carry them.
    pub const FIELDS: [&'static str; 12] = [
        "name",
        "logo",
        "accentColor",
        "email",
        "website",
        "address",
        "termsUrl",
        "privacyUrl",
        "imprintUrl",
        "vendorType",
        "countryCode",
        "vatId",
    ];

    /// The writable field of a wire name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "name" => &mut self.name,
            "logo" => &mut self.logo,
            "accentColor" => &mut self.accent_color,
            "email" => &mut self.email,
            "website" => &mut self.website,
            "address" => &mut self.address,
            "termsUrl" => &mut self.terms_url,
            "privacyUrl" => &mut self.privacy_url,
            "imprintUrl" => &mut self.imprint_url,
            "vendorType" => &mut self.vendor_type,
            "countryCode" => &mut self.country_code,
            "vatId" => &mut self.vat_id,
            _ => return None,
        })
    }

    /// The value of a writable field by wire name.
    pub fn field(&self, name: &str) -> Option<&str> {
        match name {
            "name" => self.name.as_deref(),
            "logo" => self.logo.as_deref(),
            "accentColor" => self.accent_color.as_deref(),
            "email" => self.email.as_deref(),
            "website" => self.website.as_deref(),
            "address" => self.address.as_deref(),
            "termsUrl" => self.terms_url.as_deref(),
            "privacyUrl" => self.privacy_url.as_deref(),
            "imprintUrl" => self.imprint_url.as_deref(),
            "vendorType" => self.vendor_type.as_deref(),
            "countryCode" => self.country_code.as_deref(),
            "vatId" => self.vat_id.as_deref(),
            _ => None,
        }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        Self::FIELDS.iter().all(|name| self.field(name).is_none())
    }
}

impl Entity for Branding {
    const TYPE: &'static str = "Branding";
    const STANDARD: &'static [&'static str] = &[
        "vendorNumber",
        "name",
        "logo",
        "accentColor",
        "email",
        "website",
        "address",
        "termsUrl",
        "privacyUrl",
        "imprintUrl",
        "vendorType",
        "countryCode",
        "vatId",
    ];
    const READ_ONLY: &'static [&'static str] = &["vendorNumber"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        let mut branding = Self { vendor_number: r.text("vendorNumber"), ..Self::default() };
        for name in Self::FIELDS {
            if let Some(field) = branding.field_mut(name) {
                *field = r.text(name).filter(|v| !v.is_empty());
            }
        }
        Ok(branding)
    }

    fn to_item(&self) -> Item {
        let mut w = ItemWriter::new();
        w.opt("vendorNumber", &self.vendor_number);
        for name in Self::FIELDS {
            if let Some(value) = self.field(name) {
                w.put(name, &value.to_owned());
            }
        }
        w.finish(Self::TYPE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branding_round_trips_through_an_item() {
        let branding = Branding {
            vendor_number: Some("V1".into()),
            name: Some("Acme".into()),
            accent_color: Some("#0b5cad".into()),
            address: Some("1 Road\nTown".into()),
            imprint_url: Some("https://acme.example/imprint".into()),
            country_code: Some("DE".into()),
            ..Branding::default()
        };
        let item = branding.to_item();
        let names: Vec<_> = item.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["vendorNumber", "name", "accentColor", "address", "imprintUrl", "countryCode"]);
        assert_eq!(Branding::from_item(item).unwrap(), branding);
        assert!(Branding::default().is_empty());
        assert!(!branding.is_empty());
    }
}
