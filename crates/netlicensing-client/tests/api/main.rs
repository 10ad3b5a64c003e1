//! The client against the real server (in-process, random port) and against a scripted HTTP stub: one test
//! binary, as linking is the slow part.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
mod entities;
mod errors;
mod https;
mod retries;
mod validation;
