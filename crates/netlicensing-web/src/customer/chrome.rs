//! The frame of every customer page: the vendor's branding and the layout flags.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use blake2::{Blake2s256, Digest};
use netlicensing_core::{Core, CoreError, VendorId};
use netlicensing_model::{codec::Form, entity::Branding};

/// Which parts of the layout a page shows, from its query (`header=false`, `footer=false`, `shop=false`, as
/// the hosted portal accepts them; anything but `false` keeps the default `true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// Show the header (vendor name and logo).
    pub header: bool,
    /// Show the footer (vendor card and legal links).
    pub footer: bool,
    /// Show links into the shop (renewals).
    pub shop: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Self { header: true, footer: true, shop: true }
    }
}

impl Flags {
    /// The flags of a query string.
    pub fn from_query(query: &str) -> Self {
        let form = Form::parse(query);
        let on = |name: &str| !form.get(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("false"));
        Self { header: on("header"), footer: on("footer"), shop: on("shop") }
    }

    /// The query that carries the flags that differ from the default (`header=false&shop=false`), or `""`.
    pub fn query(&self) -> String {
        let off: Vec<&str> = [("header", self.header), ("footer", self.footer), ("shop", self.shop)]
            .into_iter()
            .filter(|(_, on)| !on)
            .map(|(name, _)| name)
            .collect();
        off.iter().map(|name| format!("{name}=false")).collect::<Vec<_>>().join("&")
    }

    /// [`Flags::query`] with a leading `?`, or `""`: append it to links and form actions so the flags stay.
    pub fn suffix(&self) -> String {
        let query = self.query();
        if query.is_empty() { query } else { format!("?{query}") }
    }
}

impl FromRequest for Flags {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Flags::from_query(req.query_string())))
    }
}

/// The vendor's branding as the customer layout shows it, and the layout flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chrome {
    /// The vendor's number (empty on pages of no vendor).
    pub vendor_number: String,
    /// The name shown: the branding's name, else the vendor number.
    pub name: String,
    /// Where the logo is served (`/assets/logo/{vendorNumber}?v=...`), if the vendor has one.
    pub logo: Option<String>,
    /// The vendor's stylesheet (`/assets/brand/{vendorNumber}.css?v=...`), if it set an accent colour.
    pub stylesheet: Option<String>,
    /// Contact e-mail address.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Terms and conditions.
    pub terms: Option<String>,
    /// Privacy policy.
    pub privacy: Option<String>,
    /// Imprint.
    pub imprint: Option<String>,
    /// The layout flags.
    pub flags: Flags,
}

/// A short hash of a value, to version an asset's URL.
fn version(value: &str) -> String {
    Blake2s256::digest(value.as_bytes()).iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// `%`-encodes a path segment (vendor numbers are plain, but nothing is assumed).
pub(crate) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Chrome {
    /// The chrome of a vendor's branding.
    pub fn of(vendor_number: &str, branding: &Branding, flags: Flags) -> Self {
        let path = segment(vendor_number);
        Self {
            vendor_number: vendor_number.to_owned(),
            name: branding.name.clone().unwrap_or_else(|| vendor_number.to_owned()),
            logo: branding.logo.as_deref().map(|logo| format!("/assets/logo/{path}?v={}", version(logo))),
            stylesheet: branding
                .accent_color
                .as_deref()
                .map(|color| format!("/assets/brand/{path}.css?v={}", version(color))),
            email: branding.email.clone(),
            website: branding.website.clone(),
            address: branding.address.as_deref().map(|a| a.lines().map(str::to_owned).collect()).unwrap_or_default(),
            terms: branding.terms_url.clone(),
            privacy: branding.privacy_url.clone(),
            imprint: branding.imprint_url.clone(),
            flags,
        }
    }

    /// The chrome of a vendor, its branding read through core.
    pub async fn load(core: &Core, vendor: VendorId, vendor_number: &str, flags: Flags) -> Result<Self, CoreError> {
        Ok(Self::of(vendor_number, &core.vendor_branding(vendor).await?, flags))
    }

    /// The chrome of a page of no vendor (an unknown link): no branding, header and footer plain.
    pub fn neutral() -> Self {
        Self::of("", &Branding::default(), Flags::default())
    }

    /// Whether the page is a vendor's (header and vendor card show; not on pages of an unknown link).
    pub fn has_card(&self) -> bool {
        !self.vendor_number.is_empty()
    }

    /// Whether any legal link is set.
    pub fn has_legal(&self) -> bool {
        self.terms.is_some() || self.privacy.is_some() || self.imprint.is_some()
    }
}

/// `(red, green, blue)` of `#rrggbb`.
fn rgb(hex: &str) -> Option<[u8; 3]> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

const WHITE: [u8; 3] = [255, 255, 255];
const INK: [u8; 3] = [0, 0, 0];

/// The colours of an accent `#rrggbb`: the accent, the ink on it (white or black, whichever contrasts
/// more), and the accent darkened until it has 4.5:1 on white (for links and headings). `None` for no colour.
pub fn palette(accent: &str) -> Option<(String, String, String)> {
    let color = rgb(accent)?;
    let ink = if contrast(color, WHITE) >= contrast(color, INK) { WHITE } else { INK };
    let mut text = color;
    for _ in 0..64 {
        if contrast(text, WHITE) >= 4.5 {
            break;
        }
        text = text.map(|c| (f64::from(c) * 0.9) as u8);
    }
    Some((hex(color), hex(ink), hex(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_false_only() {
        assert_eq!(Flags::from_query(""), Flags::default());
        let flags = Flags::from_query("header=false&footer=FALSE&shop=no");
        assert_eq!(flags, Flags { header: false, footer: false, shop: true });
        assert_eq!(flags.suffix(), "?header=false&footer=false");
        assert_eq!(Flags::default().suffix(), "");
    }

    #[test]
    fn every_accent_gets_readable_ink_and_text() {
        for accent in ["#ffff00", "#000000", "#ffffff", "#0b5cad", "#ff8800", "#777777"] {
            let (shown, ink, text) = palette(accent).unwrap();
            assert_eq!(shown, accent);
            let color = rgb(accent).unwrap();
            assert!(contrast(color, rgb(&ink).unwrap()) >= 4.5, "{accent}: ink {ink}");
            assert!(contrast(rgb(&text).unwrap(), WHITE) >= 4.5, "{accent}: text {text}");
        }
        assert_eq!(palette("#0b5cad").unwrap().2, "#0b5cad", "a dark accent is kept for text");
        assert!(palette("red").is_none());
    }

    #[test]
    fn chrome_names_the_vendor_and_versions_its_assets() {
        let branding = Branding {
            accent_color: Some("#aa0000".into()),
            logo: Some("data:image/png;base64,AA==".into()),
            address: Some("Road 1\nTown".into()),
            ..Branding::default()
        };
        let chrome = Chrome::of("V 1", &branding, Flags::default());
        assert_eq!(chrome.name, "V 1");
        assert!(chrome.stylesheet.as_deref().unwrap().starts_with("/assets/brand/V%201.css?v="));
        assert!(chrome.logo.as_deref().unwrap().starts_with("/assets/logo/V%201?v="));
        assert_eq!(chrome.address, ["Road 1", "Town"]);
        assert!(!chrome.has_legal());
        assert!(!Chrome::neutral().has_card());
    }
}
