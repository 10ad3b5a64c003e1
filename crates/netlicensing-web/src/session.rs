//! Server-side sessions. The browser holds a random 256-bit id in an `HttpOnly`, `SameSite=Strict` cookie
//! (`Secure` when the public URL is https); the store keeps only the id's BLAKE2s hash, so a leaked session
//! table signs nobody in. A session ends after [`SessionPolicy::idle`] without a request, after
//! [`SessionPolicy::absolute`] in any case, at sign-out, and when its vendor's password changes.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use async_trait::async_trait;
use blake2::{Blake2s256, Digest};
use chrono::{DateTime, Utc};
use netlicensing_core::{Caller, Core, RepoError, VendorId};

/// The session cookie.
pub const COOKIE: &str = "nlc_session";

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The hash of the cookie's id (hex), the row's key.
    pub key: String,
    /// The vendor signed in.
    pub vendor: VendorId,
    /// That vendor's number.
    pub vendor_number: String,
    /// The login signed in with (for the password change).
    pub login: String,
    /// The synchronizer token every form of the session carries.
    pub csrf: String,
    /// When the session began.
    pub created: DateTime<Utc>,
    /// When it was last used (updated at most every [`TOUCH_EVERY`]).
    pub seen: DateTime<Utc>,
}

impl SessionRow {
    /// The caller the session's pages act as: the vendor, with full access.
    pub fn caller(&self) -> Caller {
        Caller::vendor(self.vendor, self.vendor_number.clone())
    }
}

/// Where sessions are kept: the server keeps them in the database, so that replicas share them.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session.
    async fn insert(&self, row: &SessionRow) -> Result<(), RepoError>;
    /// The session with that key.
    async fn get(&self, key: &str) -> Result<Option<SessionRow>, RepoError>;
    /// Notes that the session was used.
    async fn touch(&self, key: &str, seen: DateTime<Utc>) -> Result<(), RepoError>;
    /// Ends a session.
    async fn remove(&self, key: &str) -> Result<(), RepoError>;
    /// Ends every session of a vendor.
    async fn remove_vendor(&self, vendor: VendorId) -> Result<(), RepoError>;
    /// Removes sessions idle since before `idle_before` or begun before `created_before`; returns how many.
    async fn purge(&self, idle_before: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<u64, RepoError>;
}

/// Sessions in memory (tests, and a single server without a database).
#[derive(Debug, Default)]
pub struct MemorySessions(Mutex<HashMap<String, SessionRow>>);

impl MemorySessions {
    fn rows(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, SessionRow>>, RepoError> {
        self.0.lock().map_err(|_| RepoError::Failure("the session map is poisoned".into()))
    }
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn insert(&self, row: &SessionRow) -> Result<(), RepoError> {
        self.rows()?.insert(row.key.clone(), row.clone());
        Ok(())
    }
    async fn get(&self, key: &str) -> Result<Option<SessionRow>, RepoError> {
        Ok(self.rows()?.get(key).cloned())
    }
    async fn touch(&self, key: &str, seen: DateTime<Utc>) -> Result<(), RepoError> {
        if let Some(row) = self.rows()?.get_mut(key) {
            row.seen = seen;
        }
        Ok(())
    }
    async fn remove(&self, key: &str) -> Result<(), RepoError> {
        self.rows()?.remove(key);
        Ok(())
    }
    async fn remove_vendor(&self, vendor: VendorId) -> Result<(), RepoError> {
        self.rows()?.retain(|_, row| row.vendor != vendor);
        Ok(())
    }
    async fn purge(&self, idle_before: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<u64, RepoError> {
        let mut rows = self.rows()?;
        let before = rows.len();
        rows.retain(|_, row| row.seen >= idle_before && row.created >= created_before);
        Ok((before - rows.len()) as u64)
    }
}

/// How long sessions last and how their cookie is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// Send the cookie only over https (when the public URL is https).
    pub secure: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle: Duration::from_secs(30 * 60), absolute: Duration::from_secs(12 * 3600), secure: false }
    }
}

/// A session's use is written back at most this often (a page view is no write otherwise).
pub const TOUCH_EVERY: Duration = Duration::from_secs(30);

/// The sessions: opening, finding (with the timeouts applied) and closing them.
pub struct Sessions {
    store: std::sync::Arc<dyn SessionStore>,
    policy: SessionPolicy,
    core: Core,
}

/// A random 256-bit value in hex.
pub fn random_token() -> Result<String, RepoError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RepoError::Failure(format!("no random bytes: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored key of a cookie's id.
pub fn key_of(id: &str) -> String {
    hex(&Blake2s256::digest(id.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

impl Sessions {
    /// Sessions in a store under a policy, timed by core's clock.
    pub fn new(store: std::sync::Arc<dyn SessionStore>, policy: SessionPolicy, core: Core) -> Self {
        Self { store, policy, core }
    }

    /// The policy.
    pub fn policy(&self) -> &SessionPolicy {
        &self.policy
    }

    /// Opens a session for a signed-in vendor; returns the cookie's id and the row.
    pub async fn open(&self, caller: &Caller, login: &str) -> Result<(String, SessionRow), RepoError> {
        let id = random_token()?;
        let now = self.core.now();
        let row = SessionRow {
            key: key_of(&id),
            vendor: caller.vendor,
            vendor_number: caller.vendor_number.clone(),
            login: login.to_owned(),
            csrf: random_token()?,
            created: now,
            seen: now,
        };
        self.store.insert(&row).await?;
        // Expired sessions of everyone go now and then: on sign-in, which is rare.
        let (idle_before, created_before) = self.limits(now);
        self.store.purge(idle_before, created_before).await?;
        Ok((id, row))
    }

    fn limits(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        (now - chrono(self.policy.idle), now - chrono(self.policy.absolute))
    }

    /// The live session of a cookie's id: `None` when unknown or timed out (a timed-out one is removed).
    pub async fn find(&self, id: &str) -> Result<Option<SessionRow>, RepoError> {
        let key = key_of(id);
        let Some(mut row) = self.store.get(&key).await? else { return Ok(None) };
        let now = self.core.now();
        let (idle_before, created_before) = self.limits(now);
        if row.seen < idle_before || row.created < created_before {
            self.store.remove(&key).await?;
            return Ok(None);
        }
        if now - row.seen >= chrono(TOUCH_EVERY) {
            self.store.touch(&key, now).await?;
            row.seen = now;
        }
        Ok(Some(row))
    }

    /// Ends the session of a cookie's id.
    pub async fn close(&self, id: &str) -> Result<(), RepoError> {
        self.store.remove(&key_of(id)).await
    }

    /// Ends every session of a vendor (after a password change).
    pub async fn close_vendor(&self, vendor: VendorId) -> Result<(), RepoError> {
        self.store.remove_vendor(vendor).await
    }

    /// The cookie carrying a session id.
    pub fn cookie(&self, id: &str) -> Cookie<'static> {
        let mut cookie = self.base(COOKIE, id.to_owned());
        cookie.set_max_age(CookieDuration::seconds(self.policy.absolute.as_secs().try_into().unwrap_or(i64::MAX)));
        cookie
    }

    /// A cookie of the console with the policy's attributes (`HttpOnly`, `SameSite=Strict`, path `/`).
    pub fn base(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.policy.secure)
            .finish()
    }

    /// The cookie that removes a cookie of the console.
    pub fn removal(&self, name: &'static str) -> Cookie<'static> {
        let mut cookie = self.base(name, String::new());
        cookie.make_removal();
        cookie
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex as StdMutex};

    use netlicensing_core::repo::memory::MemoryStore;

    use super::*;

    fn sessions(policy: SessionPolicy) -> (Sessions, Arc<StdMutex<DateTime<Utc>>>) {
        let now = Arc::new(StdMutex::new(Utc::now()));
        let clock = now.clone();
        let core = Core::new(Arc::new(MemoryStore::new()))
            .with_clock(Arc::new(move || *clock.lock().unwrap_or_else(|e| e.into_inner())));
        (Sessions::new(Arc::new(MemorySessions::default()), policy, core), now)
    }

    fn advance(now: &StdMutex<DateTime<Utc>>, seconds: i64) {
        let mut now = now.lock().unwrap_or_else(|e| e.into_inner());
        *now += chrono::Duration::seconds(seconds);
    }

    #[tokio::test]
    async fn sessions_time_out_when_idle_and_absolutely() {
        let policy = SessionPolicy { idle: Duration::from_secs(60), absolute: Duration::from_secs(300), secure: true };
        let (sessions, now) = sessions(policy);
        let caller = Caller::vendor(VendorId(1), "V1");
        let (id, row) = sessions.open(&caller, "v1").await.unwrap();
        assert_eq!(row.key, key_of(&id));
        assert_ne!(row.key, id, "only the hash is stored");
        assert_eq!(row.csrf.len(), 64);
        for _ in 0..5 {
            advance(&now, 50);
            assert!(sessions.find(&id).await.unwrap().is_some(), "used within the idle time");
        }
        advance(&now, 51);
        assert!(sessions.find(&id).await.unwrap().is_none(), "past the absolute limit");

        let (id, _) = sessions.open(&caller, "v1").await.unwrap();
        advance(&now, 61);
        assert!(sessions.find(&id).await.unwrap().is_none(), "idle too long");
        assert!(sessions.find("not a session").await.unwrap().is_none());

        let (id, _) = sessions.open(&caller, "v1").await.unwrap();
        sessions.close_vendor(VendorId(1)).await.unwrap();
        assert!(sessions.find(&id).await.unwrap().is_none(), "a password change ends the sessions");
    }

    #[test]
    fn cookies_carry_the_security_attributes() {
        let (sessions, _) = sessions(SessionPolicy { secure: true, ..SessionPolicy::default() });
        let cookie = sessions.cookie("abc").to_string();
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        assert!(!sessions.removal(COOKIE).to_string().contains("abc"));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
