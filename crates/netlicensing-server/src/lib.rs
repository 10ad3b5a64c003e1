//! The NetLicensing-compatible server. Until the HTTP layer lands, this crate holds its configuration.

pub mod config;
