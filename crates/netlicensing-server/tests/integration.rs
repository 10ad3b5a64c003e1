//! The server's integration tests: one test binary (link time matters on small machines).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod account;
mod api_chain;
mod api_keys;
mod api_resources;
mod branding;
mod cache;
mod common;
mod concurrency;
mod console;
mod errors;
mod fidelity;
mod hostile;
mod isolation;
mod models;
mod official_clients;
mod openapi;
mod operator;
mod portal;
mod references;
mod scale_seed;
mod seeds;
mod shop;
mod signing;
mod storage;
mod upgrade;
mod validate;
mod webhook_restart;
mod webhooks;
