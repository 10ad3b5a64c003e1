//! Tokens: API keys, shop tokens, customer-portal action tokens and one-time tokens; and the API key check.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use chrono::Duration;
use netlicensing_model::{
    codec::Form,
    entity::{Entity, Token},
    types::{ApiKeyRole, TokenType, WireValue},
};

use super::{
    Core, find,
    input::{Input, base_item, merge_form},
    numbering,
};
use crate::{
    caller::{Access, Caller, Permission},
    error::{CoreError, CoreResult},
    record::{Kind, Links},
    validation::signing::Signer,
};

/// What a shop token names besides its licensee, each of which must exist for the caller's vendor:
/// `bundleNumber`, `productNumber` and every `licenseTemplateNumber_<N>`.
fn shop_references<'a>(input: &Input<'a>, form: &'a Form) -> Vec<(Kind, &'a str)> {
    let mut references = Vec::new();
    if let Some(bundle) = input.text("bundleNumber") {
        references.push((Kind::Bundle, bundle));
    }
    if let Some(product) = input.text("productNumber") {
        references.push((Kind::Product, product));
    }
    for (key, value) in form.pairs() {
        let index = key.strip_prefix("licenseTemplateNumber_");
        let indexed = index.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if indexed && !value.is_empty() {
            references.push((Kind::LicenseTemplate, value));
        }
    }
    references
}

/// How long a token lives when the request names no `expirationTime`.
const DEFAULT_LIFETIME_MINUTES: i64 = 30;

/// Parameters set by the service, never taken from the request.
const SKIP: &[&str] = &["number", "active", "vendorNumber", "shopURL", "customerPortalURL", "expirationTime"];

/// Where the shop and the customer portal live (the token's `shopURL` and `customerPortalURL` point there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUrls {
    /// Prefix of a shop URL; the token number is appended.
    pub shop: String,
    /// Prefix of a customer portal URL; `<token>/licenseeLogin` is appended.
    pub portal: String,
    /// The public base URL both are built on (`https://licensing.example.com`, no trailing slash).
    pub base: String,
}

impl TokenUrls {
    /// The shop and portal of the server at a public base URL (`https://licensing.example.com`): `/shop/<token>`
    /// and `/portal/do/<token>/licenseeLogin` (a path, not the hosted portal's `#/do/…` fragment, which a
    /// server-rendered page never receives).
    pub fn under(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self { shop: format!("{base}/shop/"), portal: format!("{base}/portal/do/"), base: base.to_owned() }
    }
}

impl Default for TokenUrls {
    fn default() -> Self {
        Self::under("http://127.0.0.1:8080")
    }
}

impl Core {
    /// Creates a token. The vendor login may create every type; an API key only SHOP tokens (for its own
    /// licensee when it is scoped). The number is a new UUID; `expirationTime` defaults to 30 minutes ahead,
    /// except for API keys and permanent shop tokens, which do not expire.
    pub async fn create_token(&self, caller: &Caller, form: &Form) -> CoreResult<Token> {
        let input = Input::new(form);
        let token_type: TokenType = input.value("tokenType")?.unwrap_or_default();
        if token_type == TokenType::Shop {
            caller.require(Permission::Licensee)?;
        } else {
            caller.require(Permission::VendorLogin)?;
        }
        let licensee = input.text("licenseeNumber");
        if let Some(licensee) = licensee {
            caller.require_licensee(licensee)?;
        } else if let Access::ApiKey { licensee: Some(_), .. } = caller.access {
            return Err(CoreError::Forbidden("This API key is limited to one licensee".into()));
        }
        let permanent_shop =
            token_type == TokenType::Shop && licensee.is_none() && input.text("productNumber").is_some();
        match token_type {
            TokenType::Shop if licensee.is_none() && !permanent_shop => {
                return Err(CoreError::Malformed(
                    "Malformed token request: property 'licenseeNumber' not found".into(),
                ));
            }
            TokenType::Action if licensee.is_none() => {
                return Err(CoreError::Malformed(
                    "Malformed token request: property 'licenseeNumber' not found".into(),
                ));
            }
            TokenType::Action if input.text("action") != Some("licenseeLogin") => {
                return Err(CoreError::Malformed("Malformed token request: 'action' must be licenseeLogin".into()));
            }
            _ => {}
        }
        if token_type == TokenType::ApiKey
            && let Some(key) = input.text("privateKey")
        {
            check_private_key(key)?;
        }
        let mut tx = self.store().write().await?;
        if let Some(licensee) = licensee {
            find(tx.as_mut(), caller, Kind::Licensee, licensee).await?;
        }
        if token_type == TokenType::Shop {
            for (kind, number) in shop_references(&input, form) {
                find(tx.as_mut(), caller, kind, number).await?;
            }
        }
        let number = numbering::uuid_v4()?;
        let mut item = base_item(Token::TYPE, &number, true);
        let expires = match input.value("expirationTime")? {
            Some(time) => Some(time),
            None if token_type == TokenType::ApiKey || permanent_shop => None,
            None => Some(self.now() + Duration::minutes(DEFAULT_LIFETIME_MINUTES)),
        };
        if let Some(expires) = expires {
            item.push("expirationTime", expires.to_wire());
        }
        item.push("tokenType", token_type.to_wire());
        let mut token: Token = merge_form(item, form, SKIP)?;
        token.token_type = Some(token_type);
        token.vendor_number = Some(caller.vendor_number.clone());
        match token_type {
            TokenType::Shop => token.shop_url = Some(format!("{}{number}", self.token_urls().shop)),
            TokenType::Action => {
                token.customer_portal_url = Some(format!("{}{number}/licenseeLogin", self.token_urls().portal));
            }
            TokenType::ApiKey => {
                token.api_key_role.get_or_insert(ApiKeyRole::Licensee);
            }
            TokenType::Default => {}
        }
        if token_type != TokenType::ApiKey {
            token.api_key_role = None;
            token.private_key = None;
        }
        let created = self.insert(tx.as_mut(), caller, &token, Links::default()).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The caller an API key stands for: an active, unexpired APIKEY token, with its role and licensee scope.
    pub async fn api_key_caller(&self, key: &str) -> CoreResult<Option<Caller>> {
        let Some((vendor, record)) = self.store().token_by_number(key).await? else { return Ok(None) };
        let token: Token = super::convert::to_entity(Kind::Token, &record, Vec::new())?;
        let usable = token.active
            && token.token_type == Some(TokenType::ApiKey)
            && token.expiration_time.is_none_or(|t| t > self.now());
        if !usable {
            self.signers.refresh(key, None);
            return Ok(None);
        }
        self.signers.refresh(key, token.private_key.as_deref());
        let role = token.api_key_role.unwrap_or_default();
        Ok(Some(Caller {
            vendor: vendor.id,
            vendor_number: vendor.number,
            access: Access::ApiKey { key: key.to_owned(), role, licensee: token.licensee_number },
        }))
    }

    /// The private key of an API key token, for signing (never part of an answer).
    pub async fn api_key_private_key(&self, caller: &Caller, key: &str) -> CoreResult<Option<String>> {
        let mut tx = self.store().read().await?;
        let record = tx.get(caller.vendor, Kind::Token, key).await?;
        Ok(record.and_then(|r| r.property("privateKey").map(str::to_owned)))
    }

    /// The parsed private key of the caller's API key, when it was created with one (the service signs XML
    /// validation answers of such keys). Kept per key from its authentication ([`Core::api_key_caller`]): parsed
    /// once, parsed again when the token's key changes, dropped when the token goes.
    pub async fn signer_for(&self, caller: &Caller) -> CoreResult<Option<Arc<Signer>>> {
        let Access::ApiKey { key, .. } = &caller.access else { return Ok(None) };
        if let Some(signer) = self.signers.get(key) {
            return Ok(Some(signer));
        }
        let Some(private_key) = self.api_key_private_key(caller, key).await? else { return Ok(None) };
        self.signers.refresh(key, Some(&private_key));
        match self.signers.get(key) {
            Some(signer) => Ok(Some(signer)),
            None => Signer::from_pem(&private_key)
                .map(|signer| Some(Arc::new(signer)))
                .map_err(|e| CoreError::IllegalOperation(format!("The API key's private key cannot sign: {e}"))),
        }
    }

    /// Signs a validation answer when the caller used an API key created with a `privateKey` (on the calling
    /// thread; the server signs through [`Core::signer_for`] off its request threads).
    pub async fn sign_for(&self, caller: &Caller, doc: &mut netlicensing_model::Document) -> CoreResult<()> {
        if let Some(signer) = self.signer_for(caller).await? {
            signer
                .sign(doc)
                .map_err(|e| CoreError::IllegalOperation(format!("The API key's private key cannot sign: {e}")))?;
        }
        Ok(())
    }
}

/// Parsed private keys by API key number, each with the PEM text it was parsed from.
#[derive(Debug, Default)]
pub(crate) struct Signers {
    keys: Mutex<HashMap<String, (String, Arc<Signer>)>>,
}

/// API keys whose parsed private keys are kept at most (the map is emptied when it grows past this).
const SIGNERS_MAX: usize = 10_000;

impl Signers {
    fn get(&self, key: &str) -> Option<Arc<Signer>> {
        self.keys.lock().ok()?.get(key).map(|(_, signer)| signer.clone())
    }

    /// Brings the key's entry in line with the token's current private key: parsed again when it changed,
    /// dropped when there is none (or it cannot be parsed: signing then reports why).
    fn refresh(&self, key: &str, private_key: Option<&str>) {
        let current =
            self.keys.lock().ok().and_then(|keys| keys.get(key).map(|(pem, _)| Some(pem.as_str()) == private_key));
        if current == Some(true) {
            return;
        }
        let parsed =
            private_key.and_then(|pem| Signer::from_pem(pem).ok().map(|signer| (pem.to_owned(), Arc::new(signer))));
        let Ok(mut keys) = self.keys.lock() else { return };
        match parsed {
            Some(entry) => {
                if keys.len() >= SIGNERS_MAX {
                    keys.clear();
                }
                keys.insert(key.to_owned(), entry);
            }
            None => {
                keys.remove(key);
            }
        }
    }
}

/// A PEM private key in PKCS#8 form (the BEGIN/END lines and line breaks are optional).
fn check_private_key(pem: &str) -> CoreResult<()> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let base64 = body.len() >= 64 && body.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
    if !base64 || pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("PUBLIC KEY") {
        return Err(CoreError::Malformed("'privateKey' must be an RSA private key in PKCS#8 PEM form".into()));
    }
    Ok(())
}

#[cfg(test)]
mod signer_tests {
    use super::*;

    fn private_key() -> String {
        let dir = std::env::var("NETLICENSING_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
        std::fs::read_to_string(dir.join("corpus/xmldsig/rsa_private.pem")).unwrap()
    }

    /// A key is parsed once per token, again when the token's key changes, and dropped with the token.
    #[test]
    fn keys_are_parsed_once_and_follow_the_token() {
        let signers = Signers::default();
        let pem = private_key();
        signers.refresh("K1", Some(&pem));
        let first = signers.get("K1").unwrap();
        signers.refresh("K1", Some(&pem));
        assert!(Arc::ptr_eq(&first, &signers.get("K1").unwrap()), "the same key is not parsed again");
        let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        signers.refresh("K1", Some(&bare));
        assert!(!Arc::ptr_eq(&first, &signers.get("K1").unwrap()), "a changed key is parsed again");
        signers.refresh("K1", Some("not a key"));
        assert!(signers.get("K1").is_none(), "an unreadable key is not kept");
        signers.refresh("K1", Some(&pem));
        signers.refresh("K1", None);
        assert!(signers.get("K1").is_none(), "dropped when the token has no key (or is gone)");
    }
}
