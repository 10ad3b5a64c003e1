//! Reading requests: the answer format, the parameters, the caller.

pub mod auth;
pub mod format;
pub mod input;
