//! Enums of access: token types and API key roles.

use super::{WireEnum, wire_enum_text};

/// Type of a token (`tokenType`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// One-time token (the default).
    #[default]
    Default,
    /// Shop session token.
    Shop,
    /// API key.
    ApiKey,
    /// Customer-portal action token.
    Action,
}

impl WireEnum for TokenType {
    const ALL: &'static [Self] = &[Self::Default, Self::Shop, Self::ApiKey, Self::Action];
    const EXPECTED: &'static str = "a token type: DEFAULT, SHOP, APIKEY or ACTION";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Default => "DEFAULT",
            Self::Shop => "SHOP",
            Self::ApiKey => "APIKEY",
            Self::Action => "ACTION",
        }
    }
}

/// Role of an API key (`apiKeyRole`); each role includes the rights of the ones before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiKeyRole {
    /// Validate, transfer, create shop tokens (the default).
    #[default]
    Licensee,
    /// Plus read access to every entity.
    Analytics,
    /// Plus changes to licensees and licenses, bundle obtain.
    Operation,
    /// Plus changes to products, modules, templates and bundles.
    Maintenance,
    /// Everything a vendor login may do, with few exceptions.
    Admin,
}

impl WireEnum for ApiKeyRole {
    const ALL: &'static [Self] = &[Self::Licensee, Self::Analytics, Self::Operation, Self::Maintenance, Self::Admin];
    const EXPECTED: &'static str = "an API key role such as ROLE_APIKEY_LICENSEE";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Licensee => "ROLE_APIKEY_LICENSEE",
            Self::Analytics => "ROLE_APIKEY_ANALYTICS",
            Self::Operation => "ROLE_APIKEY_OPERATION",
            Self::Maintenance => "ROLE_APIKEY_MAINTENANCE",
            Self::Admin => "ROLE_APIKEY_ADMIN",
        }
    }
}

wire_enum_text!(TokenType, ApiKeyRole);
