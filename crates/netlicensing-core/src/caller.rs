//! Who is calling: the vendor every operation is scoped to, and what the credential may do.

use netlicensing_model::{api, types::ApiKeyRole};

use crate::error::CoreError;

/// Storage id of a vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VendorId(pub i64);

/// The authenticated caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The vendor all data is scoped to.
    pub vendor: VendorId,
    /// That vendor's number (e.g. `VDEMO`).
    pub vendor_number: String,
    /// How the caller authenticated.
    pub access: Access,
}

/// How a caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The vendor's own login (Basic authentication): full access.
    Vendor,
    /// An API key with a role, optionally limited to one licensee.
    ApiKey {
        /// The key (the APIKEY token's number).
        key: String,
        /// Role of the key.
        role: ApiKeyRole,
        /// The only licensee the key may act on, if scoped.
        licensee: Option<String>,
    },
}

/// What an operation needs, following the service's per-endpoint role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Validate or transfer licenses of a licensee, create shop tokens: every role.
    Licensee,
    /// List and get entities, utility lists: ANALYTICS and up.
    Read,
    /// Create, update and delete licensees and licenses, obtain bundles: OPERATION and up.
    Operate,
    /// Create, update and delete products, modules, templates and bundles: MAINTENANCE and up.
    Maintain,
    /// Transactions, payment methods, notifications: ADMIN.
    Administer,
    /// Token management and API key creation: the vendor login only.
    VendorLogin,
}

impl Permission {
    /// The permission of a described access (`api::Resource::read_access` ...). No resource is public.
    pub const fn of(access: api::Access) -> Permission {
        match access {
            api::Access::Role(ApiKeyRole::Licensee) => Permission::Licensee,
            api::Access::Role(ApiKeyRole::Analytics) => Permission::Read,
            api::Access::Role(ApiKeyRole::Operation) => Permission::Operate,
            api::Access::Role(ApiKeyRole::Maintenance) => Permission::Maintain,
            api::Access::Role(ApiKeyRole::Admin) => Permission::Administer,
            api::Access::VendorLogin => Permission::VendorLogin,
            api::Access::Public => panic!("no resource is public: its services need a caller"),
        }
    }

    /// The least API key role that has the permission (`None`: no API key has it).
    fn least_role(self) -> Option<ApiKeyRole> {
        match self {
            Permission::Licensee => Some(ApiKeyRole::Licensee),
            Permission::Read => Some(ApiKeyRole::Analytics),
            Permission::Operate => Some(ApiKeyRole::Operation),
            Permission::Maintain => Some(ApiKeyRole::Maintenance),
            Permission::Administer => Some(ApiKeyRole::Admin),
            Permission::VendorLogin => None,
        }
    }
}

impl Caller {
    /// A caller using the vendor login.
    pub fn vendor(vendor: VendorId, vendor_number: impl Into<String>) -> Self {
        Self { vendor, vendor_number: vendor_number.into(), access: Access::Vendor }
    }

    /// Refuses the operation unless the credential has the permission.
    pub fn require(&self, permission: Permission) -> Result<(), CoreError> {
        match &self.access {
            Access::Vendor => Ok(()),
            Access::ApiKey { role, .. } => match permission.least_role() {
                Some(least) if *role >= least => Ok(()),
                _ => Err(CoreError::Forbidden(format!("Access is denied for an API key of role {role}"))),
            },
        }
    }

    /// Refuses acting on a licensee other than the one an API key is limited to.
    pub fn require_licensee(&self, licensee_number: &str) -> Result<(), CoreError> {
        match &self.access {
            Access::ApiKey { licensee: Some(only), .. } if only != licensee_number => {
                Err(CoreError::Forbidden("This API key is limited to another licensee".into()))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(role: ApiKeyRole) -> Caller {
        Caller {
            vendor: VendorId(1),
            vendor_number: "V".into(),
            access: Access::ApiKey { key: "k".into(), role, licensee: None },
        }
    }

    #[test]
    fn roles_form_a_hierarchy_and_token_management_needs_the_login() {
        assert!(key(ApiKeyRole::Licensee).require(Permission::Licensee).is_ok());
        assert!(key(ApiKeyRole::Licensee).require(Permission::Read).is_err());
        assert!(key(ApiKeyRole::Analytics).require(Permission::Read).is_ok());
        assert!(key(ApiKeyRole::Analytics).require(Permission::Operate).is_err());
        assert!(key(ApiKeyRole::Operation).require(Permission::Operate).is_ok());
        assert!(key(ApiKeyRole::Operation).require(Permission::Maintain).is_err());
        assert!(key(ApiKeyRole::Maintenance).require(Permission::Maintain).is_ok());
        assert!(key(ApiKeyRole::Maintenance).require(Permission::Administer).is_err());
        assert!(key(ApiKeyRole::Admin).require(Permission::Administer).is_ok());
        assert!(key(ApiKeyRole::Admin).require(Permission::VendorLogin).is_err());
        assert!(Caller::vendor(VendorId(1), "V").require(Permission::VendorLogin).is_ok());
    }

    #[test]
    fn scoped_keys_act_on_their_licensee_only() {
        let scoped = Caller {
            vendor: VendorId(1),
            vendor_number: "V".into(),
            access: Access::ApiKey { key: "k".into(), role: ApiKeyRole::Licensee, licensee: Some("I1".into()) },
        };
        assert!(scoped.require_licensee("I1").is_ok());
        assert!(scoped.require_licensee("I2").is_err());
        assert!(key(ApiKeyRole::Licensee).require_licensee("I2").is_ok());
    }
}
