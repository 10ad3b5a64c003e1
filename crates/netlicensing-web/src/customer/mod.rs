//! The customer-facing foundation shared by the shop (`/shop`) and the customer portal (`/portal`): pages
//! for people without a login, who arrive with a token in a link.
//!
//! - [`Chrome`]: the vendor's branding and the layout flags (`header=false`, `footer=false`, `shop=false` in
//!   the query) for `templates/customer/layout.html`. Every customer page struct has a `chrome: Chrome` field
//!   and `{% extends "customer/layout.html" %}` with the blocks `title` and `content`.
//! - [`Csrf`] and [`CustomerForm`]: CSRF protection without a session, by double submit: a random value in an
//!   `HttpOnly`, `SameSite=Strict` cookie (`__Host-` prefixed and `Secure` behind an https public URL), set by
//!   the page that shows the form, and the same value in the form's hidden `csrf` field; [`CustomerForm`]
//!   refuses a post whose field and cookie differ (compared in constant time) or that a browser marks
//!   cross-site.
//! - [`CustomerError`]: every refusal as a page with a clear message and the right status (404 for an unknown
//!   or wrong link, 410 for an expired or used one, 403 for a stale form), never a stack trace.
//! - [`assets`]: the per-vendor stylesheet (the accent colour as CSS variables) and the logo.
//!
//! The accent colour reaches the pages without inline styles (the policy has no `'unsafe-inline'`): the layout
//! links `/assets/brand/{vendorNumber}.css?v=<hash>`, a three-line stylesheet that sets `--accent`,
//! `--accent-ink` (white or black, whichever contrasts more with the accent) and `--accent-text` (the accent
//! darkened until it reaches 4.5:1 on white, for links). Any colour works, contrast stays AA, and the
//! version in the URL lets browsers cache it for long.

pub mod assets;
mod chrome;
mod csrf;
mod error;

use actix_web::{HttpRequest, web};
use netlicensing_core::Core;

pub(crate) use chrome::segment;
pub use chrome::{Chrome, Flags, palette};
pub use csrf::{CSRF_FIELD, Csrf, CustomerForm, cookie_name};
pub use error::CustomerError;

/// What customer pages share: the domain services and whether cookies are `Secure`. Registered as app data
/// by [`crate::configure`], so every scope (shop, portal) finds it.
pub struct CustomerSite {
    /// The domain services.
    pub core: Core,
    /// Send cookies only over https (the public URL is https).
    pub secure: bool,
}

/// The customer site of a request.
pub fn site(req: &HttpRequest) -> Result<web::Data<CustomerSite>, CustomerError> {
    req.app_data::<web::Data<CustomerSite>>()
        .cloned()
        .ok_or_else(|| CustomerError::Core(netlicensing_core::CoreError::IllegalOperation("no customer site".into())))
}
