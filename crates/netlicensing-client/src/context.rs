//! The client context: where to connect, how to authenticate, which format to speak, and how to retry.

use std::{fmt, sync::Arc, time::Duration};

use netlicensing_model::Format;
use reqwest::Url;

use crate::{
    DEFAULT_BASE_URL,
    error::{Error, Result},
    service::{
        BundleService, LicenseService, LicenseTemplateService, LicenseeService, NotificationService,
        PaymentMethodService, ProductModuleService, ProductService, TokenService, TransactionService, UtilityService,
    },
    tls,
};

/// `User-Agent` of every request: the crate and its version.
pub const USER_AGENT: &str = concat!("netlicensing-client/", env!("CARGO_PKG_VERSION"));

/// Default time limit of one request attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Security {
    /// No credentials (the service answers most requests with 401).
    #[default]
    Anonymous,
    /// HTTP Basic with the vendor's NetLicensing login: full access to the account.
    Basic {
        /// Login name.
        username: String,
        /// Password.
        password: String,
    },
    /// API key identification (sent as Basic `apiKey:<key>`): access limited by the key's role.
    ApiKey(String),
}

impl Security {
    /// Basic authentication with a login and password.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic { username: username.into(), password: password.into() }
    }

    /// API key identification.
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::ApiKey(key.into())
    }
}

impl fmt::Debug for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Anonymous => f.write_str("Anonymous"),
            Self::Basic { username, .. } => {
                f.debug_struct("Basic").field("username", username).field("password", &"***").finish()
            }
            Self::ApiKey(_) => f.debug_tuple("ApiKey").field(&"***").finish(),
        }
    }
}

/// When and how often a failed request is sent again.
///
/// Only idempotent requests (GET, PUT, DELETE) are retried, and only when the service answers 429 or 5xx or the
/// connection fails or times out. Creates, updates (sent as POST, as the official clients do), validate,
/// transfer and obtain are never retried. The delay doubles from `initial_backoff` up to `max_backoff`; a
/// `Retry-After` header (in seconds) is honoured up to `max_backoff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Number of retries after the first attempt (0 disables retries).
    pub max_retries: u32,
    /// Delay before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of any delay.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// Never retry.
    pub const NONE: RetryPolicy =
        RetryPolicy { max_retries: 0, initial_backoff: Duration::ZERO, max_backoff: Duration::ZERO };

    /// Up to `max_retries` retries, doubling from `initial_backoff` to at most `max_backoff`.
    pub fn new(max_retries: u32, initial_backoff: Duration, max_backoff: Duration) -> Self {
        Self { max_retries, initial_backoff, max_backoff: max_backoff.max(initial_backoff) }
    }

    /// The delay before retry number `retry` (0-based), without a `Retry-After` hint.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    /// Two retries, 250 ms then 500 ms, never more than 5 s.
    fn default() -> Self {
        Self::new(2, Duration::from_millis(250), Duration::from_secs(5))
    }
}

/// Everything a service call needs: the HTTP client, base URL, security, format, timeout and retry policy.
///
/// Cheap to clone (the connection pool is shared). Get the services from it: [`Context::products`],
/// [`Context::licensees`], ...
///
/// ```
/// use netlicensing_client::{Context, Format};
///
/// let context = Context::builder()
///     .base_url("http://127.0.0.1:8080/core/v2/rest")
///     .basic_auth("demo", "demo")
///     .format(Format::Json)
///     .build()?;
/// assert_eq!(context.base_url().as_str(), "http://127.0.0.1:8080/core/v2/rest");
/// # Ok::<(), netlicensing_client::Error>(())
/// ```
#[derive(Clone)]
pub struct Context {
    pub(crate) inner: Arc<Settings>,
    pub(crate) http: reqwest::Client,
}

/// The settings of a context.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) base_url: Url,
    pub(crate) security: Security,
    pub(crate) format: Format,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("base_url", &self.inner.base_url.as_str())
            .field("security", &self.inner.security)
            .field("format", &self.inner.format)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl Context {
    /// A builder with the defaults: hosted service, anonymous, XML, 30 s timeout, [`RetryPolicy::default`].
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// A context for the hosted service with Basic authentication and the other defaults.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Result<Self> {
        Self::builder().basic_auth(username, password).build()
    }

    /// Base URL of the API (`…/core/v2/rest`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// How requests authenticate.
    pub fn security(&self) -> &Security {
        &self.inner.security
    }

    /// Format of the answers (`Accept`).
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// Time limit of one request attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The same context with other security, sharing the connection pool (say, to act with an API key).
    pub fn with_security(&self, security: Security) -> Self {
        self.with(|settings| settings.security = security)
    }

    /// The same context speaking another format, sharing the connection pool.
    pub fn with_format(&self, format: Format) -> Self {
        self.with(|settings| settings.format = format)
    }

    fn with(&self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            base_url: self.inner.base_url.clone(),
            security: self.inner.security.clone(),
            format: self.inner.format,
            timeout: self.inner.timeout,
            retry: self.inner.retry,
        };
        change(&mut settings);
        Self { inner: Arc::new(settings), http: self.http.clone() }
    }

    /// Products.
    pub fn products(&self) -> ProductService<'_> {
        ProductService::new(self)
    }

    /// Product modules.
    pub fn product_modules(&self) -> ProductModuleService<'_> {
        ProductModuleService::new(self)
    }

    /// License templates.
    pub fn license_templates(&self) -> LicenseTemplateService<'_> {
        LicenseTemplateService::new(self)
    }

    /// Licensees, with validate and transfer.
    pub fn licensees(&self) -> LicenseeService<'_> {
        LicenseeService::new(self)
    }

    /// Licenses.
    pub fn licenses(&self) -> LicenseService<'_> {
        LicenseService::new(self)
    }

    /// Tokens (API keys, shop and action tokens).
    pub fn tokens(&self) -> TokenService<'_> {
        TokenService::new(self)
    }

    /// Transactions.
    pub fn transactions(&self) -> TransactionService<'_> {
        TransactionService::new(self)
    }

    /// Payment methods.
    pub fn payment_methods(&self) -> PaymentMethodService<'_> {
        PaymentMethodService::new(self)
    }

    /// Bundles, with obtain.
    pub fn bundles(&self) -> BundleService<'_> {
        BundleService::new(self)
    }

    /// Notifications (webhooks).
    pub fn notifications(&self) -> NotificationService<'_> {
        NotificationService::new(self)
    }

    /// Utility lists: license types, licensing models, countries.
    pub fn utility(&self) -> UtilityService<'_> {
        UtilityService::new(self)
    }
}

/// Builds a [`Context`].
#[derive(Debug, Clone)]
pub struct ContextBuilder {
    base_url: String,
    security: Security,
    format: Format,
    timeout: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl Default for ContextBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            security: Security::Anonymous,
            format: Format::Xml,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            http: None,
        }
    }
}

impl ContextBuilder {
    /// Base URL of the API, up to and including `/core/v2/rest` (a trailing `/` is ignored).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// How requests authenticate.
    pub fn security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }

    /// Basic authentication with the vendor's login.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.security(Security::basic(username, password))
    }

    /// API key identification.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.security(Security::api_key(key))
    }

    /// No credentials.
    pub fn anonymous(self) -> Self {
        self.security(Security::Anonymous)
    }

    /// Format of the answers: XML (the default) or JSON.
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Time limit of one request attempt (connecting included).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy ([`RetryPolicy::NONE`] disables retries).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Uses this HTTP client instead of building one (proxies, custom TLS roots...). Timeout, user agent,
    /// `Accept` and credentials are still set on each request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the context.
    pub fn build(self) -> Result<Context> {
        let text = self.base_url.trim();
        let text = text.strip_suffix('/').unwrap_or(text);
        let base_url =
            Url::parse(text).map_err(|e| Error::Config(format!("base URL '{}' is not a URL: {e}", self.base_url)))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(format!("base URL '{}' is not an http(s) URL", self.base_url)));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(format!("base URL '{}' must not have a query or fragment", self.base_url)));
        }
        if let Security::Basic { username, .. } = &self.security
            && username.is_empty()
        {
            return Err(Error::Config("Basic authentication needs a username".into()));
        }
        if let Security::ApiKey(key) = &self.security
            && key.is_empty()
        {
            return Err(Error::Config("API key identification needs a key".into()));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .tls_backend_preconfigured(tls::client_config(base_url.scheme() == "https")?)
                .connect_timeout(self.timeout)
                .user_agent(USER_AGENT)
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {e}")))?,
        };
        let settings = Settings {
            base_url,
            security: self.security,
            format: self.format,
            timeout: self.timeout,
            retry: self.retry,
        };
        Ok(Context { inner: Arc::new(settings), http })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::new(5, Duration::from_millis(100), Duration::from_millis(350));
        let delays: Vec<_> = (0..5).map(|i| policy.backoff(i).as_millis()).collect();
        assert_eq!(delays, [100, 200, 350, 350, 350]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_millis(350));
        assert_eq!(RetryPolicy::NONE.backoff(3), Duration::ZERO);
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let text = format!("{:?}", Security::basic("demo", "s3cret"));
        assert!(text.contains("demo") && !text.contains("s3cret"), "{text}");
        assert!(!format!("{:?}", Security::api_key("k3y")).contains("k3y"));
    }

    #[test]
    fn base_urls_are_checked() {
        let context = Context::builder().base_url("http://localhost:8080/core/v2/rest/").build().expect("valid");
        assert_eq!(context.base_url().as_str(), "http://localhost:8080/core/v2/rest");
        assert_eq!(context.format(), Format::Xml);
        assert!(Context::builder().base_url("not a url").build().is_err());
        assert!(Context::builder().base_url("ftp://host/core").build().is_err());
        assert!(Context::builder().base_url("http://host/core?x=1").build().is_err());
        assert!(Context::builder().basic_auth("", "pw").build().is_err());
        assert!(Context::builder().api_key("").build().is_err());
    }

    #[test]
    fn derived_contexts_keep_the_rest() {
        let context = Context::builder().base_url("http://localhost:1/x").timeout(Duration::from_secs(3)).build();
        let context = context.expect("valid");
        let json = context.with_format(Format::Json).with_security(Security::api_key("k"));
        assert_eq!((json.format(), json.timeout()), (Format::Json, Duration::from_secs(3)));
        assert_eq!(json.security(), &Security::api_key("k"));
        assert_eq!(context.security(), &Security::Anonymous);
    }
}
