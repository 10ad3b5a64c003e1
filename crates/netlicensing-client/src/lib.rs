//! Rust client for the NetLicensing REST API (the HTTP services arrive with the client issue).

pub use netlicensing_model as model;

/// Base URL of the hosted NetLicensing service.
pub const DEFAULT_BASE_URL: &str = "https://go.netlicensing.io/core/v2/rest";
