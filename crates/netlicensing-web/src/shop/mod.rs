//! The shop under `/shop`: what a SHOP token's `shopURL` opens. The token is the customer's credential; every
//! page reads it again through core (its vendor's catalogue only, its licensee only) and refuses it once
//! expired or used. Prices are computed by core from the catalogue; the browser sends only template numbers
//! and quantities (and, when the vendor charges VAT, the buyer's country, company and VAT id). Payment by
//! Stripe Checkout (the vendor's keys), or none when no payment method is active.
//!
//! - `GET /shop/{token}`: the offer (pick quantities; a bundle or predefined item as a whole);
//! - `POST /shop/{token}/review`: the priced cart, discount and total, with the button that checks out;
//! - `POST /shop/{token}/checkout`: the order (one per token), then Stripe or completion without payment;
//! - `GET /shop/{token}/paid`, `GET /shop/{token}/back`: where Stripe returns the customer;
//! - `POST /shop/{token}/cancel`: cancels and returns to the vendor's `cancelURL`;
//! - `GET /shop/{token}/done`: the order's outcome and licenses, with the link back to `successURL`;
//! - `POST /shop/stripe/{vendorNumber}/webhook`: Stripe's signed events complete paid orders;
//! - `GET /shop/v2/?shoptoken=…`: the hosted shop's URL shape, sent on to `/shop/{token}`.

mod describe;
mod outcome;
mod pages;
pub mod stripe;
mod vat;
mod webhook;

use actix_web::web;

pub use stripe::Stripe;
pub use vat::country_name;

/// What the shop needs beyond the customer site: Stripe's API.
pub struct Shop {
    /// Stripe at its configured base URL.
    pub stripe: Stripe,
}

/// Registers the shop's routes (below `/shop`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v2/", web::get().to(pages::hosted_url))
        .route("/v2", web::get().to(pages::hosted_url))
        .route("/stripe/{vendor}/webhook", web::post().to(webhook::stripe))
        .route("/{token}", web::get().to(pages::offer))
        .route("/{token}/review", web::post().to(pages::review))
        .route("/{token}/checkout", web::post().to(pages::checkout))
        .route("/{token}/paid", web::get().to(outcome::paid))
        .route("/{token}/back", web::get().to(outcome::back))
        .route("/{token}/cancel", web::post().to(outcome::cancel))
        .route("/{token}/done", web::get().to(outcome::done));
}
