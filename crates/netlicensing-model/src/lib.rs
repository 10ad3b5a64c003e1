//! NetLicensing wire model: the generic document, its XML and JSON forms, form-encoded input, typed entities
//! and enums. No I/O.

pub mod account;
pub mod api;
pub mod codec;
pub mod document;
pub mod entity;
pub mod error;
pub mod info;
pub mod pricing_table;
pub mod types;

pub use codec::Format;
pub use document::{Document, Info, Item, Items, List, Paging, Property};
pub use error::CodecError;
