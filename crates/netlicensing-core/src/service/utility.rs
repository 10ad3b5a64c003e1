//! The utility lists: license types and licensing models.

use netlicensing_model::{
    entity::{LicenseTypeItem, LicensingModelItem},
    types::{LicenseType, LicensingModel, WireEnum},
};

use super::Core;
use crate::{
    caller::{Caller, Permission},
    error::CoreResult,
};

impl Core {
    /// Every license type.
    pub fn license_types(&self, caller: &Caller) -> CoreResult<Vec<LicenseTypeItem>> {
        caller.require(Permission::Read)?;
        Ok(LicenseType::ALL.iter().map(|name| LicenseTypeItem { name: *name }).collect())
    }

    /// The current licensing models (legacy names are accepted on input but not listed).
    pub fn licensing_models(&self, caller: &Caller) -> CoreResult<Vec<LicensingModelItem>> {
        caller.require(Permission::Read)?;
        Ok(LicensingModel::CURRENT.iter().map(|name| LicensingModelItem { name: *name }).collect())
    }
}
