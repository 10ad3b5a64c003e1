//! The per-vendor assets of customer pages: `/assets/logo/{vendorNumber}` (the logo, with its content type)
//! and `/assets/brand/{vendorNumber}.css` (the accent colour as CSS variables). Public, as logos and colours
//! are; the URLs the layout uses carry a version, so browsers may keep them a day.

use actix_web::{HttpResponse, http::header, web};
use netlicensing_core::service::branding::decode_logo;

use super::{CustomerError, CustomerSite, palette};

/// How long browsers keep a vendor asset (its URL changes with it).
const CACHE: &str = "public, max-age=86400";

/// The policy of a served logo: nothing runs; an SVG is sandboxed besides (no scripts, no same origin).
const LOGO_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// `GET /assets/logo/{vendorNumber}`: the vendor's logo, or 404.
pub async fn logo(site: web::Data<CustomerSite>, vendor: web::Path<String>) -> Result<HttpResponse, CustomerError> {
    let missing = || CustomerError::NotFound("There is no such logo.".into());
    let branding = site.core.branding_by_number(&vendor).await?.ok_or_else(missing)?;
    let logo = decode_logo(branding.logo.as_deref().ok_or_else(missing)?).map_err(|_| missing())?;
    let policy = if logo.is_svg() { format!("{LOGO_CSP}; sandbox") } else { LOGO_CSP.to_owned() };
    Ok(HttpResponse::Ok()
        .content_type(logo.content_type)
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::CACHE_CONTROL, CACHE))
        .body(logo.bytes))
}

/// `GET /assets/brand/{vendorNumber}.css`: the vendor's accent colour as the variables `--accent`,
/// `--accent-ink` and `--accent-text` (see [`palette`]), or 404.
pub async fn stylesheet(site: web::Data<CustomerSite>, file: web::Path<String>) -> Result<HttpResponse, CustomerError> {
    let missing = || CustomerError::NotFound("There is no such stylesheet.".into());
    let vendor = file.strip_suffix(".css").ok_or_else(missing)?;
    let branding = site.core.branding_by_number(vendor).await?.ok_or_else(missing)?;
    let (accent, ink, text) = branding.accent_color.as_deref().and_then(palette).ok_or_else(missing)?;
    let css = format!(":root {{ --accent: {accent}; --accent-ink: {ink}; --accent-text: {text}; }}\n");
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, CACHE))
        .body(css))
}
