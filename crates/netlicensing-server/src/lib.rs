//! The NetLicensing-compatible server: configuration, storage, and (next) the HTTP API.

pub mod config;
pub mod db;
#[cfg(feature = "test-util")]
pub mod testing;
