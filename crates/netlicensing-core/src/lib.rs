//! NetLicensing domain rules over repository traits: what each API operation does, independent of HTTP and of
//! the storage engine.

pub mod account;
pub mod caller;
pub mod error;
pub mod record;
pub mod repo;
pub mod service;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time_volume;
pub mod validation;

pub use caller::{Access, Caller, Permission, VendorId};
pub use error::{CoreError, CoreResult, RepoError};
pub use netlicensing_model as model;
pub use service::{Core, Page, Resource, TokenUrls};
