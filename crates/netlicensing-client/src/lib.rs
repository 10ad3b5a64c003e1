//! A typed, async Rust client for the NetLicensing REST API: the hosted service at
//! `https://go.netlicensing.io/core/v2/rest` or a self-hosted `netlicensing-server`.
//!
//! A [`Context`] holds the base URL, the security mode (Basic login, API key or anonymous), the answer format
//! (XML or JSON), the timeout and the retry policy. Each resource has a service with the operations of the
//! official Java, JavaScript and Python clients: [`Context::products`], [`Context::product_modules`],
//! [`Context::license_templates`], [`Context::licensees`] (with `validate` and `transfer`),
//! [`Context::licenses`], [`Context::tokens`], [`Context::transactions`], [`Context::payment_methods`],
//! [`Context::bundles`] (with `obtain`), [`Context::notifications`] and [`Context::utility`]. Entities are the
//! typed ones of [`netlicensing_model`] (re-exported as [`entity`]), custom properties included; lists take a
//! [`Filter`] and return a [`Page`]. Every failure is one [`Error`].
//!
//! # Example
//!
//! ```no_run
//! use netlicensing_client::{
//!     Context, Filter, Format,
//!     entity::{LicenseTemplate, ModuleParameters, Product, ProductModule, ValidationParameters},
//!     types::{LicenseType, LicensingModel},
//! };
//!
//! #[tokio::main]
//! async fn main() -> Result<(), netlicensing_client::Error> {
//!     let context = Context::builder()
//!         .base_url("http://127.0.0.1:8080/core/v2/rest")
//!         .basic_auth("demo", "demo")
//!         .format(Format::Json)
//!         .build()?;
//!
//!     let product = Product {
//!         number: "P-APP".into(),
//!         active: true,
//!         name: Some("My app".into()),
//!         licensee_auto_create: Some(true),
//!         ..Product::default()
//!     };
//!     context.products().create(&product).await?;
//!     let module = ProductModule {
//!         number: "M-APP".into(),
//!         active: true,
//!         name: Some("Subscription".into()),
//!         licensing_model: Some(LicensingModel::Subscription),
//!         ..ProductModule::default()
//!     };
//!     context.product_modules().create("P-APP", &module).await?;
//!     let template = LicenseTemplate {
//!         number: "E-TRIAL".into(),
//!         active: true,
//!         name: Some("Trial".into()),
//!         license_type: Some(LicenseType::Feature),
//!         automatic: Some(true),
//!         ..LicenseTemplate::default()
//!     };
//!     context.license_templates().create("M-APP", &template).await?;
//!
//!     let parameters = ValidationParameters {
//!         product_number: Some("P-APP".into()),
//!         licensee_name: Some("Jo Doe".into()),
//!         modules: vec![ModuleParameters::new("M-APP")],
//!         ..ValidationParameters::default()
//!     };
//!     let result = context.licensees().validate("I-CUSTOMER", &parameters).await?;
//!     println!("valid: {:?}, cache until {:?}", result.module("M-APP").and_then(|m| m.valid), result.ttl);
//!
//!     // Lists come a page at a time.
//!     let mut page_number = 0;
//!     loop {
//!         let page = context.licensees().list(&Filter::new().with("productNumber", "P-APP").page(page_number)).await?;
//!         page.iter().for_each(|licensee| println!("{}", licensee.number));
//!         if !page.has_next() {
//!             break;
//!         }
//!         page_number += 1;
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Entities in, entities out
//!
//! Create and update send the entity's form (`Entity::to_form`: standard properties, then custom ones; read-only
//! ones left out), as the official clients do. An empty `number` is left out, so the service generates one on
//! create and keeps the current one on update. `active` is a plain `bool` and always sent: set it to `true` when
//! creating (`Default` gives `false`). To remove a custom property on update, send it with an empty value. Parent
//! numbers (the product of a module, the licensee and template of a license ...) are arguments of `create`, as
//! in the official clients, and take precedence over the entity's fields.
//!
//! # Errors and retries
//!
//! An error answer becomes [`Error::Api`] with the HTTP status and the infos of the document (the ERROR info's id
//! and text), in either format; [`Error::is`] compares the id with an [`ErrorId`]. Connection failures and
//! timeouts are [`Error::Transport`]. Infos that come with a successful answer are not errors: a validation
//! keeps them in [`ValidationResult::infos`](entity::ValidationResult::infos). Idempotent requests (GET,
//! DELETE) are retried on 429 and 5xx answers and on connection failures and timeouts, with exponential backoff
//! ([`RetryPolicy`]); creates, updates, validate, transfer and obtain are sent once.
//!
//! # TLS
//!
//! HTTPS uses rustls with the platform's root certificates and the aws-lc-rs provider (or the application's
//! default rustls provider, when one is installed before the context is built); OpenSSL is not used.

mod context;
mod error;
mod filter;
mod page;
mod service;
mod tls;
mod transport;

pub use context::{Context, ContextBuilder, DEFAULT_TIMEOUT, RetryPolicy, Security, USER_AGENT};
pub use error::{Error, Result};
pub use filter::Filter;
pub use netlicensing_model as model;
pub use netlicensing_model::{Format, Info, Paging, Property, entity, info::ErrorId, types};
pub use page::Page;
pub use reqwest;
pub use service::{
    BundleService, LicenseService, LicenseTemplateService, LicenseeService, NotificationService, PaymentMethodService,
    ProductModuleService, ProductService, TokenService, TransactionService, UtilityService,
};

/// Base URL of the hosted NetLicensing service.
pub const DEFAULT_BASE_URL: &str = "https://go.netlicensing.io/core/v2/rest";
