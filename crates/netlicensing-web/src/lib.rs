//! The web pages of netlicensing-rs, served by the same binary as the REST API: the vendor console under
//! `/console`, and the customer-facing pages (the shop under `/shop`, the customer portal under `/portal`) on
//! the foundation in [`customer`].
//!
//! The foundation every page builds on:
//! - [`session`]: server-side sessions (a random id in an `HttpOnly`, `SameSite=Strict` cookie; only its hash
//!   is stored, through [`session::SessionStore`], which the server keeps in the database), idle and absolute
//!   timeouts;
//! - [`guard`]: the extractors — [`guard::Signed`] (a signed-in vendor) and [`guard::Posted`] (a form post with
//!   its synchronizer CSRF token checked against the session's);
//! - [`accounts::Accounts`]: sign-in and password change, implemented by the server with the API's
//!   credential checks (same Argon2 bounds and throttling);
//! - [`render`]: askama templates compiled into the binary, the embedded stylesheet, security headers
//!   (`Content-Security-Policy` without scripts, `no-store`), and error pages.
//!
//! Handlers are thin: they read the form, call core, and render; every query goes through core with the
//! session's vendor as the caller.

pub mod accounts;
pub mod customer;
pub mod error;
pub mod fields;
pub mod guard;
mod pages;
pub mod portal;
pub mod render;
pub mod session;
pub mod shop;

use std::sync::Arc;

use actix_web::web;
use netlicensing_core::Core;

pub use accounts::{Accounts, SignInError};
pub use error::WebError;
pub use session::{MemorySessions, SessionPolicy, SessionRow, SessionStore, Sessions};

/// Where the console lives.
pub const CONSOLE: &str = "/console";

/// What the console pages share: the domain services, the credential checks and the sessions.
pub struct Console {
    /// The domain services (every page goes through them with the session's vendor as caller).
    pub core: Core,
    /// Sign-in and password change.
    pub accounts: Arc<dyn Accounts>,
    /// The sessions.
    pub sessions: Sessions,
}

impl Console {
    /// The console over core, the accounts and a session store, with a session policy.
    pub fn new(core: Core, accounts: Arc<dyn Accounts>, store: Arc<dyn SessionStore>, policy: SessionPolicy) -> Self {
        let sessions = Sessions::new(store, policy, core.clone());
        Self { core, accounts, sessions }
    }
}

/// Mounts the web pages: `/` (to the console), the embedded assets under `/assets` (with the vendors' logos
/// and stylesheets), and the console. The customer site ([`customer::CustomerSite`]) is app data, so every
/// customer scope finds it. These routes never answer CORS (only the API scope does).
pub fn configure(cfg: &mut web::ServiceConfig, console: web::Data<Console>) {
    let site =
        web::Data::new(customer::CustomerSite { core: console.core.clone(), secure: console.sessions.policy().secure });
    cfg.app_data(site)
        .route("/", web::get().to(pages::root))
        .service(
            web::scope("/assets")
                .wrap(render::headers(false))
                .route("/logo/{vendor}", web::get().to(customer::assets::logo))
                .route("/brand/{file}", web::get().to(customer::assets::stylesheet))
                .route("/{name}", web::get().to(render::asset)),
        )
        .service(
            web::scope(portal::PORTAL)
                .app_data(web::PayloadConfig::new(guard::FORM_LIMIT))
                .wrap(render::headers(true))
                .configure(portal::configure)
                .default_service(web::to(portal::no_page)),
        )
        .service(
            web::scope(CONSOLE)
                .app_data(console)
                .app_data(web::PayloadConfig::new(guard::FORM_LIMIT))
                .wrap(render::headers(true))
                .configure(pages::configure),
        );
}

/// Mounts the shop under `/shop` (the customer site must be registered too, by [`configure`]).
pub fn configure_shop(cfg: &mut web::ServiceConfig, shop: web::Data<shop::Shop>) {
    cfg.service(
        web::scope("/shop")
            .app_data(shop)
            .app_data(web::PayloadConfig::new(guard::FORM_LIMIT))
            .wrap(render::headers(true))
            .configure(shop::configure),
    );
}
