//! Authentication: HTTP Basic with the vendor's login, or with user `apiKey` and an API key as password.
//!
//! A verified vendor credential is cached for a minute, keyed by a keyed BLAKE2 hash of login and password
//! (never the password itself), because the official clients send Basic credentials on every call and one
//! Argon2id verification costs tens of milliseconds. Unknown logins are verified against a dummy hash so that
//! timing does not reveal which logins exist. Verification runs off the request threads, at most
//! [`VERIFYING`] at once (each takes 19 MiB): a stampede of requests, good or bad, queues instead of taking
//! memory, and requests that queued behind the verification of their own credential find it cached.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix_web::{HttpMessage, HttpRequest, http::header};
use base64::Engine;
use blake2::{Blake2bMac512, digest::Mac};
use netlicensing_core::{Caller, Core, repo::Store};

use crate::{
    error::ApiError,
    password::{self, PasswordError},
};

/// How long a verified credential is trusted without a new verification.
const CACHE_FOR: Duration = Duration::from_secs(60);
/// Most cached credentials kept; the cache is emptied when it grows past this.
const CACHE_MAX: usize = 10_000;
/// Argon2id verifications running at once at most (each holds 19 MiB while it runs).
const VERIFYING: usize = 2;
/// Failed logins of one login name tolerated within [`FAILURE_WINDOW`] before further attempts are refused.
const MAX_FAILURES: u32 = 10;
/// How long failed logins are remembered.
const FAILURE_WINDOW: Duration = Duration::from_secs(300);

/// Turns request credentials into a caller.
pub struct Authenticator {
    store: Arc<dyn Store>,
    core: Core,
    key: [u8; 32],
    dummy_hash: String,
    cache: Mutex<HashMap<Vec<u8>, (Caller, Instant)>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    verifying: tokio::sync::Semaphore,
    verifications: std::sync::atomic::AtomicU64,
}

impl Authenticator {
    /// An authenticator over the store.
    pub fn new(core: Core) -> Result<Self, PasswordError> {
        let store = core.store().clone();
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(PasswordError::Random)?;
        let mut secret = [0u8; 16];
        getrandom::fill(&mut secret).map_err(PasswordError::Random)?;
        let dummy_hash = password::hash(&format!("{secret:?}"))?;
        Ok(Self {
            store,
            core,
            key,
            dummy_hash,
            cache: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            verifying: tokio::sync::Semaphore::new(VERIFYING),
            verifications: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The caller the request's credentials identify; its vendor number is noted in the request for the
    /// access log.
    pub async fn caller(&self, req: &HttpRequest) -> Result<Caller, ApiError> {
        let caller = self.identify(req).await?;
        req.extensions_mut().insert(crate::observe::VendorNumber(caller.vendor_number.clone()));
        Ok(caller)
    }

    async fn identify(&self, req: &HttpRequest) -> Result<Caller, ApiError> {
        let (login, secret) = basic_credentials(req)?;
        if login == "apiKey" {
            let caller = self.core.api_key_caller(&secret).await?;
            return caller.ok_or_else(|| ApiError::Unauthorized("Unknown or inactive API key".into()));
        }
        let cache_key = self.cache_key(&login, &secret);
        if let Some(caller) = self.cached(&cache_key) {
            return Ok(caller);
        }
        if self.throttled(&login) {
            return Err(ApiError::Unauthorized("Too many failed logins; try again in a few minutes".into()));
        }
        // The semaphore is never closed; a failed acquire would only mean verifying without a turn.
        let _turn = self.verifying.acquire().await.ok();
        // Requests that waited behind the verification of the same credential need no verification of their own.
        if let Some(caller) = self.cached(&cache_key) {
            return Ok(caller);
        }
        if self.throttled(&login) {
            return Err(ApiError::Unauthorized("Too many failed logins; try again in a few minutes".into()));
        }
        let vendor = self.store.vendor_by_login(&login).await.map_err(netlicensing_core::CoreError::from)?;
        let stored = vendor.as_ref().map_or_else(|| self.dummy_hash.clone(), |v| v.password_hash.clone());
        self.verifications.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let matches = tokio::task::spawn_blocking(move || password::verify(&secret, &stored)).await.unwrap_or(false);
        match vendor {
            Some(vendor) if matches => {
                let caller = Caller::vendor(vendor.id, vendor.number);
                if let Ok(mut cache) = self.cache.lock() {
                    if cache.len() >= CACHE_MAX {
                        cache.clear();
                    }
                    cache.insert(cache_key, (caller.clone(), Instant::now()));
                }
                if let Ok(mut failures) = self.failures.lock() {
                    failures.remove(&login);
                }
                Ok(caller)
            }
            _ => {
                self.record_failure(login);
                Err(ApiError::Unauthorized("Invalid credentials".into()))
            }
        }
    }

    /// How many password verifications ran since start.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The caller of a credential verified within [`CACHE_FOR`].
    fn cached(&self, cache_key: &[u8]) -> Option<Caller> {
        let cache = self.cache.lock().ok()?;
        let (caller, verified) = cache.get(cache_key)?;
        (verified.elapsed() < CACHE_FOR).then(|| caller.clone())
    }

    /// True while a login has failed too often within the window.
    fn throttled(&self, login: &str) -> bool {
        let Ok(failures) = self.failures.lock() else { return false };
        failures.get(login).is_some_and(|(count, since)| *count >= MAX_FAILURES && since.elapsed() < FAILURE_WINDOW)
    }

    fn record_failure(&self, login: String) {
        let Ok(mut failures) = self.failures.lock() else { return };
        if failures.len() >= CACHE_MAX {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        let entry = failures.entry(login).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    fn cache_key(&self, login: &str, secret: &str) -> Vec<u8> {
        #[allow(clippy::expect_used)]
        let mut mac = <Blake2bMac512 as Mac>::new_from_slice(&self.key).expect("a 32-byte key is a valid BLAKE2b key");
        mac.update(login.as_bytes());
        mac.update(&[0]);
        mac.update(secret.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Login and password of a Basic `Authorization` header.
fn basic_credentials(req: &HttpRequest) -> Result<(String, String), ApiError> {
    let missing = || ApiError::Unauthorized("Authentication is required (HTTP Basic)".into());
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(missing)?;
    let value = value.to_str().map_err(|_| missing())?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
        .ok_or_else(|| ApiError::Unauthorized("Only HTTP Basic authentication is supported".into()))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ApiError::Unauthorized("Malformed Basic credentials".into()))?;
    let decoded =
        String::from_utf8(decoded).map_err(|_| ApiError::Unauthorized("Malformed Basic credentials".into()))?;
    let (login, secret) =
        decoded.split_once(':').ok_or_else(|| ApiError::Unauthorized("Malformed Basic credentials".into()))?;
    Ok((login.to_owned(), secret.to_owned()))
}
