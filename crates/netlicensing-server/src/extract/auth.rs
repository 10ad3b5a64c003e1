//! Authentication: HTTP Basic with the vendor's login, or with user `apiKey` and an API key as password.
//!
//! A verified vendor credential is cached for a minute (moka), keyed by a keyed BLAKE2 hash of login and
//! password (never the password itself), because the official clients send Basic credentials on every call and
//! one Argon2id verification costs tens of milliseconds. Unknown logins are verified against a dummy hash so that
//! timing does not reveal which logins exist.
//!
//! Hostile logins are bounded three ways:
//! - at most [`VERIFYING`] Argon2id verifications run at once, off the request threads, each in working memory
//!   the authenticator keeps (19 MiB each): memory does not grow with a storm of logins;
//! - at most [`QUEUED`] requests wait for a turn; further ones are answered 503 with `Retry-After` at once, and
//!   requests that queued behind the verification of their own credential find it cached;
//! - verifications are rate-limited per (login, client address) (governor): [`BURST`] at once, then one per
//!   [`REPLENISH`]. Brute force from one address is slowed to a crawl, while the correct password from any other
//!   address is never refused (and a verified credential is served from the cache without a verification).

use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use actix_web::{HttpMessage, HttpRequest, http::header};
use base64::Engine;
use blake2::{Blake2bMac512, digest::Mac};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use netlicensing_core::{Caller, Core, repo::Store};

use crate::{
    error::ApiError,
    password::{self, PasswordError},
};

/// How long a verified credential is trusted without a new verification.
const CACHE_FOR: Duration = Duration::from_secs(60);
/// Most cached credentials kept (the least used go first).
const CACHE_MAX: u64 = 10_000;
/// Argon2id verifications running at once at most (each holds 19 MiB while it runs): about one per core.
pub const VERIFYING: usize = 2;
/// Requests waiting for a verification turn at most; further ones get 503 with `Retry-After`.
pub const QUEUED: usize = 64;
/// Verifications one (login, client address) may have at once before the rate limit applies.
pub const BURST: u32 = 10;
/// After the burst, one more verification per (login, client address) per this interval.
pub const REPLENISH: Duration = Duration::from_secs(30);
/// What a login over its rate limit is told.
pub const THROTTLED: &str = "Too many failed logins; try again in a few minutes";
/// Most (login, address) pairs the rate limiter remembers before it forgets those at rest.
const LIMITER_MAX: usize = 100_000;

/// Turns request credentials into a caller.
pub struct Authenticator {
    store: Arc<dyn Store>,
    core: Core,
    key: [u8; 32],
    dummy_hash: String,
    cache: moka::sync::Cache<Vec<u8>, Caller>,
    limiter: DefaultKeyedRateLimiter<(String, IpAddr)>,
    verifying: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
    memory: Arc<Mutex<Vec<password::Memory>>>,
    verifications: AtomicU64,
}

/// A place in the queue for a verification turn, given back when dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
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
        #[allow(clippy::expect_used)]
        let burst = NonZeroU32::new(BURST).expect("the constant login burst is not zero");
        #[allow(clippy::expect_used)]
        let quota = Quota::with_period(REPLENISH).expect("the constant login interval is not zero").allow_burst(burst);
        Ok(Self {
            store,
            core,
            key,
            dummy_hash,
            cache: moka::sync::Cache::builder().max_capacity(CACHE_MAX).time_to_live(CACHE_FOR).build(),
            limiter: RateLimiter::keyed(quota),
            verifying: Arc::new(tokio::sync::Semaphore::new(VERIFYING)),
            waiting: AtomicUsize::new(0),
            memory: Arc::new(Mutex::new(Vec::new())),
            verifications: AtomicU64::new(0),
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
        let address = req.peer_addr().map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.ip());
        self.verify_login(login, secret, address).await
    }

    /// The vendor with this login and password, asked from `address`: cached for a minute once verified,
    /// otherwise verified within the bounds above (queue, turns, per-(login, address) rate limit). The API's
    /// Basic authentication and the web console's sign-in both come here.
    pub async fn verify_login(&self, login: String, secret: String, address: IpAddr) -> Result<Caller, ApiError> {
        let cache_key = self.cache_key(&login, &secret);
        if let Some(caller) = self.cache.get(&cache_key) {
            return Ok(caller);
        }
        let _queued = self.queue()?;
        // The semaphore is never closed; a failed acquire would only mean verifying without a turn. The turn goes
        // with the verification, so that one abandoned by its client still holds it until it ends.
        let turn = self.verifying.clone().acquire_owned().await.ok();
        // Requests that waited behind the verification of the same credential need no verification of their own.
        if let Some(caller) = self.cache.get(&cache_key) {
            return Ok(caller);
        }
        self.limit(login.clone(), address)?;
        let vendor = self.store.vendor_by_login(&login).await.map_err(netlicensing_core::CoreError::from)?;
        let stored = vendor.as_ref().map_or_else(|| self.dummy_hash.clone(), |v| v.password_hash.clone());
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let memory = self.memory.clone();
        let verified = tokio::task::spawn_blocking(move || {
            // At most VERIFYING threads are here at once, so at most that many working memories exist.
            let mut own = memory.lock().ok().and_then(|mut pool| pool.pop()).unwrap_or_default();
            let matches = password::verify_in(&secret, &stored, &mut own);
            if let Ok(mut pool) = memory.lock() {
                pool.push(own);
            }
            // The turn is given back only once the result is cached (below), so that the requests queued behind
            // this one find the credential verified.
            (matches, turn)
        })
        .await;
        let (matches, _turn) = verified.unwrap_or((false, None));
        match vendor {
            Some(vendor) if matches => {
                let caller = Caller::vendor(vendor.id, vendor.number);
                self.cache.insert(cache_key, caller.clone());
                Ok(caller)
            }
            _ => Err(ApiError::Unauthorized("Invalid credentials".into())),
        }
    }

    /// Forgets every verified credential (after a password change: the old password must stop working now,
    /// not when its cache entry expires).
    pub fn forget_verified(&self) {
        self.cache.invalidate_all();
    }

    /// How many password verifications ran since start.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// Bytes of Argon2 working memory held for verifications (at most [`VERIFYING`] × 19 MiB).
    pub fn working_memory(&self) -> usize {
        self.memory.lock().map_or(0, |pool| pool.iter().map(password::Memory::bytes).sum())
    }

    /// A place in the verification queue, or 503 when it is full.
    fn queue(&self) -> Result<Waiting<'_>, ApiError> {
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let place = Waiting(&self.waiting);
        if before >= QUEUED + VERIFYING {
            return Err(ApiError::Busy("Too many logins are being verified; retry in a moment".into()));
        }
        Ok(place)
    }

    /// Takes one verification from the (login, address) budget, or refuses when it is spent.
    fn limit(&self, login: String, address: IpAddr) -> Result<(), ApiError> {
        if self.limiter.len() > LIMITER_MAX {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&(login, address)).map_err(|_| ApiError::Unauthorized(THROTTLED.into()))
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
    if decoded.contains('\0') {
        return Err(ApiError::Unauthorized("Malformed Basic credentials (a NUL byte)".into()));
    }
    let (login, secret) =
        decoded.split_once(':').ok_or_else(|| ApiError::Unauthorized("Malformed Basic credentials".into()))?;
    Ok((login.to_owned(), secret.to_owned()))
}
