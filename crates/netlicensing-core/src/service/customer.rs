//! Customer-facing access: the token a shop or customer-portal link carries. Customers have no login; the
//! token in the link is their credential, resolved across vendors by its number (as API keys are, see
//! [`Core::api_key_caller`]) and checked again on every page and every form post, so its expiry ends the
//! session. A token found acts for its own vendor only, and for its own licensee when it names one: its
//! [`CustomerToken::caller`] has the rights of a LICENSEE-role API key limited to that licensee.

use netlicensing_model::{
    entity::Token,
    types::{ApiKeyRole, TokenType},
};

use super::{Core, convert};
use crate::{
    caller::{Access, Caller, VendorId},
    error::CoreError,
    record::Kind,
};

/// Why a customer link's token does not open its page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    /// No token has that number.
    #[error("This link is not valid. Ask the vendor for a new one.")]
    Unknown,
    /// The token exists but is not for this page (an API key, a shop token at the portal ...).
    #[error("This link does not lead here. Ask the vendor for a new one.")]
    WrongKind,
    /// The token's expiry has passed.
    #[error("This link has expired. Ask the vendor for a new one.")]
    Expired,
    /// The token was used up or revoked (inactive).
    #[error("This link is no longer valid: it was used already or revoked. Ask the vendor for a new one.")]
    Inactive,
    /// The store failed.
    #[error("{0}")]
    Failed(#[from] CoreError),
}

/// A live token of a customer link, with its vendor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerToken {
    /// The vendor owning the token.
    pub vendor: VendorId,
    /// That vendor's number.
    pub vendor_number: String,
    /// The token as the API shows it (never a private key).
    pub token: Token,
}

impl CustomerToken {
    /// The licensee the token is for, if it names one.
    pub fn licensee(&self) -> Option<&str> {
        self.token.licensee_number.as_deref()
    }

    /// The caller the token's pages act as: the token's vendor, with the rights of a LICENSEE-role API key
    /// limited to the token's licensee (validate that licensee, create SHOP tokens for it).
    pub fn caller(&self) -> Caller {
        Caller {
            vendor: self.vendor,
            vendor_number: self.vendor_number.clone(),
            access: Access::ApiKey {
                key: self.token.number.clone(),
                role: ApiKeyRole::Licensee,
                licensee: self.token.licensee_number.clone(),
            },
        }
    }
}

impl Core {
    /// The live token of a customer link: of the given type, active and unexpired; else why not. Read afresh
    /// on every call (nothing cached), so a revoked or expired token stops working at once.
    pub async fn customer_token(&self, number: &str, kind: TokenType) -> Result<CustomerToken, TokenRefusal> {
        // Token numbers are UUIDs: anything else is no token (and costs no lookup).
        let plausible =
            !number.is_empty() && number.len() <= 64 && number.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !plausible {
            return Err(TokenRefusal::Unknown);
        }
        let Some((vendor, record)) = self.store().token_by_number(number).await.map_err(CoreError::from)? else {
            return Err(TokenRefusal::Unknown);
        };
        let mut token: Token = convert::to_entity(Kind::Token, &self.shown_token(&record), Vec::new())?;
        if token.token_type != Some(kind) {
            return Err(TokenRefusal::WrongKind);
        }
        if token.expiration_time.is_some_and(|t| t <= self.now()) {
            return Err(TokenRefusal::Expired);
        }
        if !token.active {
            return Err(TokenRefusal::Inactive);
        }
        token.private_key = None;
        Ok(CustomerToken { vendor: vendor.id, vendor_number: vendor.number, token })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use chrono::{DateTime, Duration, Utc};
    use netlicensing_model::codec::Form;

    use super::*;
    use crate::{
        repo::{NewVendor, Store, memory::MemoryStore},
        testing::chain,
    };

    #[tokio::test]
    async fn tokens_open_customer_pages_until_they_expire() {
        let store = Arc::new(MemoryStore::new());
        let new = NewVendor { number: "VA".into(), login: "va".into(), password_hash: "x".into() };
        let vendor = store.create_vendor(&new).await.unwrap();
        let now = Arc::new(Mutex::new(Utc::now()));
        let clock = now.clone();
        let core = Core::new(store).with_clock(Arc::new(move || -> DateTime<Utc> { *clock.lock().unwrap() }));
        let owner = Caller::vendor(vendor.id, "VA");
        chain(&core, &owner).await;
        let portal = core
            .create_token(&owner, &Form::parse("tokenType=ACTION&action=licenseeLogin&licenseeNumber=I1"))
            .await
            .unwrap();
        let key = core.create_token(&owner, &Form::parse("tokenType=APIKEY")).await.unwrap();

        let found = core.customer_token(&portal.number, TokenType::Action).await.unwrap();
        assert_eq!((found.vendor, found.licensee()), (vendor.id, Some("I1")));
        let caller = found.caller();
        assert!(caller.require_licensee("I1").is_ok());
        assert!(caller.require_licensee("I2").is_err(), "limited to the token's licensee");
        assert!(caller.require(crate::caller::Permission::Read).is_err(), "no reads beyond its licensee");

        assert_eq!(core.customer_token(&portal.number, TokenType::Shop).await, Err(TokenRefusal::WrongKind));
        assert_eq!(core.customer_token(&key.number, TokenType::Action).await, Err(TokenRefusal::WrongKind));
        assert_eq!(core.customer_token("no-such-token", TokenType::Action).await, Err(TokenRefusal::Unknown));
        assert_eq!(core.customer_token("../etc", TokenType::Action).await, Err(TokenRefusal::Unknown));
        *now.lock().unwrap() += Duration::minutes(31);
        assert_eq!(core.customer_token(&portal.number, TokenType::Action).await, Err(TokenRefusal::Expired));
    }
}
