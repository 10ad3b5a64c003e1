//! The vendor's branding (an extension of this server): the name, logo, accent colour, contact data and legal
//! links its customer-facing pages (shop and customer portal) show. Read and changed through the API by the
//! vendor login or an ADMIN API key; read without a caller by the customer pages, which know the vendor from a
//! token, and by the public logo asset, which names the vendor by number.
//!
//! Rules: URLs are absolute `http` or `https`, the colour is `#rrggbb`, texts are bounded, the e-mail address
//! has one `@`, and the logo is a base64 `data:` URL of a PNG, JPEG, GIF, WebP or SVG image of at most
//! [`MAX_LOGO`] bytes (as text).

use base64::Engine;
use netlicensing_model::{codec::Form, entity::Branding};

use super::Core;
use crate::{
    caller::{Caller, Permission, VendorId},
    error::{CoreError, CoreResult},
};

/// Longest logo accepted: its `data:` URL, in bytes.
pub const MAX_LOGO: usize = 128 * 1024;

/// Longest name.
pub const MAX_NAME: usize = 100;

/// Longest URL.
pub const MAX_URL: usize = 2000;

/// Longest e-mail address.
pub const MAX_EMAIL: usize = 254;

/// Most address lines, and the longest line.
pub const MAX_ADDRESS: (usize, usize) = (6, 100);

/// The image types a logo may have, as in its `data:` URL.
pub const LOGO_TYPES: [&str; 5] = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

/// A logo decoded from its `data:` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// Its media type (one of [`LOGO_TYPES`]).
    pub content_type: &'static str,
    /// The image.
    pub bytes: Vec<u8>,
}

impl Logo {
    /// Whether the image is SVG (which can carry scripts, so it is served sandboxed).
    pub fn is_svg(&self) -> bool {
        self.content_type == "image/svg+xml"
    }
}

/// Decodes a logo's `data:image/<type>;base64,<data>` URL.
pub fn decode_logo(url: &str) -> CoreResult<Logo> {
    let bad = |why: &str| CoreError::Malformed(format!("The logo {why}"));
    if url.len() > MAX_LOGO {
        return Err(bad(&format!("is larger than {} KiB", MAX_LOGO / 1024)));
    }
    let rest = url.strip_prefix("data:").ok_or_else(|| bad("must be a 'data:image/...;base64,...' URL"))?;
    let (media, data) =
        rest.split_once(";base64,").ok_or_else(|| bad("must be base64 ('data:image/...;base64,...')"))?;
    let content_type = LOGO_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(media))
        .ok_or_else(|| bad("must be a PNG, JPEG, GIF, WebP or SVG image"))?;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|_| bad("is not valid base64"))?;
    if bytes.is_empty() {
        return Err(bad("is empty"));
    }
    Ok(Logo { content_type, bytes })
}

/// Checks an absolute `http(s)` URL of at most [`MAX_URL`] bytes.
fn check_url(name: &str, url: &str) -> CoreResult<()> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.and_then(|r| r.split(['/', '?', '#']).next()).unwrap_or("");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'));
    if host.is_empty() || !clean || url.len() > MAX_URL {
        return Err(CoreError::Malformed(format!(
            "'{name}' must be an http:// or https:// URL of at most {MAX_URL} characters"
        )));
    }
    Ok(())
}

/// Checks a branding against the rules of the module documentation.
pub fn check(branding: &Branding) -> CoreResult<()> {
    if let Some(name) = &branding.name
        && (name.chars().count() > MAX_NAME || name.chars().any(char::is_control))
    {
        return Err(CoreError::Malformed(format!("'name' must be one line of at most {MAX_NAME} characters")));
    }
    if let Some(color) = &branding.accent_color {
        let hex = color.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CoreError::Malformed("'accentColor' must be a colour #rrggbb".into()));
        }
    }
    if let Some(email) = &branding.email {
        let parts: Vec<&str> = email.split('@').collect();
        let shaped = parts.len() == 2 && !parts[0].is_empty() && parts[1].contains('.') && !parts[1].ends_with('.');
        if !shaped || email.len() > MAX_EMAIL || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(CoreError::Malformed(format!(
                "'email' must be an e-mail address of at most {MAX_EMAIL} characters"
            )));
        }
    }
    if let Some(address) = &branding.address {
        let (lines, width) = MAX_ADDRESS;
        let too_wide = address.lines().any(|l| l.chars().count() > width || l.chars().any(char::is_control));
        if address.lines().count() > lines || too_wide {
            return Err(CoreError::Malformed(format!(
                "'address' may have at most {lines} lines of at most {width} characters"
            )));
        }
    }
    for (name, url) in [
        ("website", &branding.website),
        ("termsUrl", &branding.terms_url),
        ("privacyUrl", &branding.privacy_url),
        ("imprintUrl", &branding.imprint_url),
    ] {
        if let Some(url) = url {
            check_url(name, url)?;
        }
    }
    if let Some(logo) = &branding.logo {
        decode_logo(logo)?;
    }
    super::shop::vat::check_seller(branding)
}

impl Core {
    /// The caller's branding (empty when never set): the vendor login or an ADMIN API key.
    pub async fn branding(&self, caller: &Caller) -> CoreResult<Branding> {
        caller.require(Permission::Administer)?;
        let mut branding = self.vendor_branding(caller.vendor).await?;
        branding.vendor_number = Some(caller.vendor_number.clone());
        Ok(branding)
    }

    /// Changes the caller's branding from form fields: the fields given change (an empty value clears one),
    /// the others stay; unknown fields are refused. Nothing changes when a value breaks a rule.
    pub async fn update_branding(&self, caller: &Caller, form: &Form) -> CoreResult<Branding> {
        caller.require(Permission::Administer)?;
        let mut branding = self.vendor_branding(caller.vendor).await?;
        for (name, value) in form.pairs() {
            let Some(field) = branding.field_mut(name) else {
                return Err(CoreError::Malformed(format!("Unknown branding property '{name}'")));
            };
            let value = if name == "address" { value.replace("\r\n", "\n") } else { value.trim().to_owned() };
            *field = (!value.trim().is_empty()).then_some(value);
        }
        check(&branding)?;
        self.store().set_branding(caller.vendor, &branding).await?;
        branding.vendor_number = Some(caller.vendor_number.clone());
        Ok(branding)
    }

    /// A vendor's branding for its customer pages (empty when never set), the vendor known from a token.
    pub async fn vendor_branding(&self, vendor: VendorId) -> CoreResult<Branding> {
        Ok(self.store().branding(vendor).await?.unwrap_or_default())
    }

    /// The branding of the vendor with that number, for public assets (its logo); `None` for no such vendor.
    pub async fn branding_by_number(&self, vendor_number: &str) -> CoreResult<Option<Branding>> {
        let Some(vendor) = self.store().vendor_by_number(vendor_number).await? else { return Ok(None) };
        let mut branding = self.vendor_branding(vendor.id).await?;
        branding.vendor_number = Some(vendor.number);
        Ok(Some(branding))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use netlicensing_model::types::ApiKeyRole;

    use super::*;
    use crate::{
        caller::Access,
        repo::{NewVendor, Store, memory::MemoryStore},
    };

    const PNG: &str = "data:image/png;base64,iVBORw0KGgo=";

    async fn vendors() -> (Core, Caller, Caller) {
        let store = Arc::new(MemoryStore::new());
        let mut callers = Vec::new();
        for number in ["VA", "VB"] {
            let new = NewVendor { number: number.into(), login: number.to_lowercase(), password_hash: "x".into() };
            let vendor = store.create_vendor(&new).await.unwrap();
            callers.push(Caller::vendor(vendor.id, number));
        }
        let b = callers.pop().unwrap();
        (Core::new(store), callers.pop().unwrap(), b)
    }

    #[tokio::test]
    async fn a_vendor_changes_its_own_branding_only() {
        let (core, a, b) = vendors().await;
        assert!(core.branding(&a).await.unwrap().name.is_none());
        let form = Form::parse("name=Acme&accentColor=%23aa0000&address=1+Road%0D%0ATown&termsUrl=https://a.example/t");
        let changed = core.update_branding(&a, &form).await.unwrap();
        assert_eq!(changed.name.as_deref(), Some("Acme"));
        assert_eq!(changed.address.as_deref(), Some("1 Road\nTown"));
        assert_eq!(changed.vendor_number.as_deref(), Some("VA"));
        let kept = core.update_branding(&a, &Form::parse(&format!("logo={}&name=", urlencode(PNG)))).await.unwrap();
        assert_eq!(kept.name, None, "an empty value clears");
        assert_eq!(kept.accent_color.as_deref(), Some("#aa0000"), "what is not given stays");
        assert!(kept.logo.is_some());
        assert!(core.branding(&b).await.unwrap().is_empty(), "vendor B sees none of A's branding");
        let by_number = core.branding_by_number("VA").await.unwrap().unwrap();
        assert_eq!(by_number.logo.as_deref(), Some(PNG));
        assert!(core.branding_by_number("VX").await.unwrap().is_none());
    }

    fn urlencode(text: &str) -> String {
        let mut form = Form::new();
        form.push("x", text);
        form.encode().trim_start_matches("x=").to_owned()
    }

    #[tokio::test]
    async fn bad_values_are_refused_and_change_nothing() {
        let (core, a, _) = vendors().await;
        core.update_branding(&a, &Form::parse("name=Acme")).await.unwrap();
        for bad in [
            "accentColor=red",
            "accentColor=%23abcd",
            "termsUrl=javascript:alert(1)",
            "website=ftp://x.example",
            "privacyUrl=https://",
            "email=nobody",
            "logo=data:text/html;base64,PGI%2B",
            "logo=data:image/png;base64,!!!",
            "logo=https://x.example/logo.png",
            "unknown=1",
            "address=1%0A2%0A3%0A4%0A5%0A6%0A7",
        ] {
            let refused = core.update_branding(&a, &Form::parse(&format!("name=Changed&{bad}"))).await;
            assert!(matches!(refused, Err(CoreError::Malformed(_))), "{bad}: {refused:?}");
        }
        let big = format!("data:image/png;base64,{}", "A".repeat(MAX_LOGO));
        assert!(decode_logo(&big).is_err());
        assert_eq!(core.branding(&a).await.unwrap().name.as_deref(), Some("Acme"), "nothing changed");
    }

    #[tokio::test]
    async fn only_the_login_and_admin_keys_may_use_it() {
        let (core, a, _) = vendors().await;
        let key = |role| Caller { access: Access::ApiKey { key: "k".into(), role, licensee: None }, ..a.clone() };
        assert!(core.branding(&key(ApiKeyRole::Admin)).await.is_ok());
        for role in [ApiKeyRole::Licensee, ApiKeyRole::Analytics, ApiKeyRole::Maintenance] {
            assert!(matches!(core.branding(&key(role)).await, Err(CoreError::Forbidden(_))));
            let changed = core.update_branding(&key(role), &Form::parse("name=X")).await;
            assert!(matches!(changed, Err(CoreError::Forbidden(_))));
        }
    }

    #[test]
    fn logos_decode_with_their_type() {
        let logo = decode_logo(PNG).unwrap();
        assert_eq!(logo.content_type, "image/png");
        assert_eq!(&logo.bytes[..4], b"\x89PNG");
        assert!(decode_logo("data:image/svg+xml;base64,PHN2Zy8+").unwrap().is_svg());
    }
}
