//! Server configuration: flags ([`clap`]), each also read from an environment variable, over an optional TOML
//! file (`--config`), over the defaults. [`Config::from_settings`] merges them (file < environment < flag) into
//! one typed [`Config`] and validates it; an invalid setting names itself.

use std::{
    fmt::Write as _,
    net::ToSocketAddrs,
    path::{Path, PathBuf},
    time::Duration,
};

use clap::{Args, ValueEnum, builder::BoolishValueParser};
use serde::{Deserialize, Serialize};

mod cli;

pub use cli::{
    Cli, Command, ConfigCommand, NewVendor, VendorCommand, VendorCurrency, VendorDelete, VendorPassword, VendorTtl,
};

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Every setting as flag, environment variable and file key; all optional (unset ones come from the next
/// source down). The file's keys are the flags' names in snake_case.
#[derive(Debug, Default, Clone, PartialEq, Eq, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// A TOML file of settings (keys as the flags, in snake_case); flags and environment win over it.
    #[arg(long, env = "NETLICENSING_CONFIG", value_name = "FILE", global = true, help_heading = "Configuration")]
    #[serde(skip)]
    pub config: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "NETLICENSING_BIND", value_name = "ADDR", global = true, help_heading = "Server")]
    pub bind: Option<String>,
    /// Worker threads serving requests [default: one per CPU].
    #[arg(long, env = "NETLICENSING_WORKERS", value_name = "N", global = true, help_heading = "Server")]
    pub workers: Option<usize>,
    /// Seconds requests in flight get to finish after SIGTERM [default: 30].
    #[arg(long, env = "NETLICENSING_SHUTDOWN_TIMEOUT", value_name = "SECONDS", global = true, help_heading = "Server")]
    pub shutdown_timeout: Option<u64>,

    /// sqlite://FILE?mode=rwc or postgres://USER[:PASSWORD]@HOST[:PORT]/DB [default: sqlite://netlicensing.db?mode=rwc].
    #[arg(
        long,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true,
        global = true,
        help_heading = "Database"
    )]
    pub database_url: Option<String>,
    /// Create vendor demo/demo (VDEMO) with the demo catalogue on an empty database [default: true].
    #[arg(
        long,
        env = "NETLICENSING_DEMO_VENDOR",
        value_name = "BOOL",
        value_parser = BoolishValueParser::new(),
        global = true,
        help_heading = "Database"
    )]
    pub demo_vendor: Option<bool>,
    /// Memory for licensees' validation data, in MiB (about 1 KB per licensee of 10 licenses); 0 turns it off
    /// (product catalogues stay cached) [default: 128].
    #[arg(long, env = "NETLICENSING_VALIDATION_CACHE", value_name = "MIB", global = true, help_heading = "Database")]
    pub validation_cache: Option<u64>,

    /// Log filter: a level (error, warn, info, debug, trace, off) or tracing directives such as
    /// `info,sqlx=warn` [default: info].
    #[arg(long, env = "NETLICENSING_LOG", value_name = "FILTER", global = true, help_heading = "Logging")]
    pub log: Option<String>,
    /// Log line format [default: text].
    #[arg(long, env = "NETLICENSING_LOG_FORMAT", value_name = "FORMAT", global = true, help_heading = "Logging")]
    pub log_format: Option<LogFormat>,
    /// Log one line per request: method, route, status, duration, vendor, request id [default: true].
    #[arg(
        long,
        env = "NETLICENSING_ACCESS_LOG",
        value_name = "BOOL",
        value_parser = BoolishValueParser::new(),
        global = true,
        help_heading = "Logging"
    )]
    pub access_log: Option<bool>,

    /// Origins allowed to call the REST API from a browser (CORS): * for any, a comma-separated list
    /// (https://app.example.com,...), or empty for none [default: *].
    #[arg(long, env = "NETLICENSING_CORS_ORIGINS", value_name = "LIST", global = true, help_heading = "Server")]
    pub cors_origins: Option<String>,
    /// The server's address as browsers reach it (https://licensing.example.com); with https the web
    /// console's cookies are `Secure`.
    #[arg(long, env = "NETLICENSING_PUBLIC_URL", value_name = "URL", global = true, help_heading = "Server")]
    pub public_url: Option<String>,
    /// Seconds a web console session may be idle before it ends [default: 1800].
    #[arg(
        long,
        env = "NETLICENSING_CONSOLE_IDLE_TIMEOUT",
        value_name = "SECONDS",
        global = true,
        help_heading = "Server"
    )]
    pub console_idle_timeout: Option<u64>,
    /// Stripe's API base URL, for the shop's payments (a local fake in tests) [default: https://api.stripe.com].
    #[arg(long, env = "NETLICENSING_STRIPE_API_URL", value_name = "URL", global = true, help_heading = "Server")]
    pub stripe_api_url: Option<String>,

    /// Serve Prometheus metrics at GET /metrics [default: false].
    #[arg(
        long,
        env = "NETLICENSING_METRICS",
        value_name = "BOOL",
        value_parser = BoolishValueParser::new(),
        global = true,
        help_heading = "Metrics"
    )]
    pub metrics: Option<bool>,
    /// Serve /metrics on this address only, instead of beside the API.
    #[arg(long, env = "NETLICENSING_METRICS_BIND", value_name = "ADDR", global = true, help_heading = "Metrics")]
    pub metrics_bind: Option<String>,
    /// Require `Authorization: Bearer TOKEN` on /metrics.
    #[arg(
        long,
        env = "NETLICENSING_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        global = true,
        help_heading = "Metrics"
    )]
    pub metrics_token: Option<String>,

    /// Let webhooks go to plain http:// and to loopback, private and link-local addresses (receivers on
    /// premises, tests) [default: false].
    #[arg(
        long,
        env = "NETLICENSING_WEBHOOK_ALLOW_PRIVATE",
        value_name = "BOOL",
        value_parser = BoolishValueParser::new(),
        global = true,
        help_heading = "Webhooks"
    )]
    pub webhook_allow_private: Option<bool>,
    /// Seconds a webhook request may take (connect, send, answer) [default: 10].
    #[arg(
        long,
        env = "NETLICENSING_WEBHOOK_TIMEOUT",
        value_name = "SECONDS",
        global = true,
        help_heading = "Webhooks"
    )]
    pub webhook_timeout: Option<u64>,
}

impl Settings {
    /// These settings where given, `lower` where not.
    fn over(self, lower: Settings) -> Settings {
        Settings {
            config: self.config.or(lower.config),
            bind: self.bind.or(lower.bind),
            workers: self.workers.or(lower.workers),
            shutdown_timeout: self.shutdown_timeout.or(lower.shutdown_timeout),
            database_url: self.database_url.or(lower.database_url),
            demo_vendor: self.demo_vendor.or(lower.demo_vendor),
            validation_cache: self.validation_cache.or(lower.validation_cache),
            log: self.log.or(lower.log),
            log_format: self.log_format.or(lower.log_format),
            access_log: self.access_log.or(lower.access_log),
            cors_origins: self.cors_origins.or(lower.cors_origins),
            metrics: self.metrics.or(lower.metrics),
            metrics_bind: self.metrics_bind.or(lower.metrics_bind),
            metrics_token: self.metrics_token.or(lower.metrics_token),
            webhook_allow_private: self.webhook_allow_private.or(lower.webhook_allow_private),
            webhook_timeout: self.webhook_timeout.or(lower.webhook_timeout),
            public_url: self.public_url.or(lower.public_url),
            console_idle_timeout: self.console_idle_timeout.or(lower.console_idle_timeout),
            stripe_api_url: self.stripe_api_url.or(lower.stripe_api_url),
        }
    }
}

/// The effective configuration: every setting resolved and valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Worker threads.
    pub workers: usize,
    /// Seconds requests in flight get to finish on shutdown.
    pub shutdown_timeout: u64,
    /// Database URL: a SQLite file by default (may hold a password: print [`redact_url`] of it).
    pub database_url: String,
    /// Whether to create the demo vendor on an empty database.
    pub demo_vendor: bool,
    /// Memory for licensees' validation data, in MiB; 0 reads every licensee's data from the database (product
    /// catalogues stay cached).
    pub validation_cache: u64,
    /// Origins the REST API answers cross-origin (CORS) requests from: `*` for any (the default), a list, or
    /// none (printed as one comma-separated string, as the setting is given).
    #[serde(serialize_with = "comma_separated")]
    pub cors_origins: Vec<String>,
    /// The server's address as browsers reach it, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// Seconds a web console session may be idle.
    pub console_idle_timeout: u64,
    /// Stripe's API base URL.
    pub stripe_api_url: String,
    /// The log filter (tracing `EnvFilter` directives).
    pub log: String,
    /// The log line format.
    pub log_format: LogFormat,
    /// Whether each request is logged.
    pub access_log: bool,
    /// Whether `/metrics` is served.
    pub metrics: bool,
    /// Where `/metrics` is served when not beside the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_bind: Option<String>,
    /// The bearer token `/metrics` requires (a secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_token: Option<String>,
    /// Whether webhooks may go to plain HTTP and private addresses.
    pub webhook_allow_private: bool,
    /// Seconds a webhook request may take.
    pub webhook_timeout: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            shutdown_timeout: 30,
            database_url: "sqlite://netlicensing.db?mode=rwc".into(),
            demo_vendor: true,
            validation_cache: netlicensing_core::service::cache::DEFAULT_MIB,
            cors_origins: vec![crate::cors::ANY.into()],
            public_url: None,
            console_idle_timeout: 1800,
            stripe_api_url: netlicensing_web::shop::stripe::DEFAULT_API.into(),
            log: "info".into(),
            log_format: LogFormat::Text,
            access_log: true,
            metrics: false,
            metrics_bind: None,
            metrics_token: None,
            webhook_allow_private: false,
            webhook_timeout: 10,
        }
    }
}

/// What is wrong with the configuration; each names the setting (flag, variable and file key).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file named by `--config` could not be read.
    #[error("cannot read the configuration file {path} (--config, NETLICENSING_CONFIG)")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key or a value of the wrong type.
    #[error("invalid configuration file {path}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why (names the key and line).
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A setting has a value that cannot work.
    #[error("invalid {} (--{}, {}, `{}` in the configuration file): {reason}", setting.key(), setting.flag(), setting.env(), setting.key())]
    Invalid {
        /// The setting.
        setting: Setting,
        /// What is wrong (never the secret itself).
        reason: String,
    },
}

/// A setting that validation can refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// `--bind`.
    Bind,
    /// `--workers`.
    Workers,
    /// `--shutdown-timeout`.
    ShutdownTimeout,
    /// `--database-url`.
    DatabaseUrl,
    /// `--log`.
    Log,
    /// `--cors-origins`.
    CorsOrigins,
    /// `--metrics-bind`.
    MetricsBind,
    /// `--metrics-token`.
    MetricsToken,
    /// `--webhook-timeout`.
    WebhookTimeout,
    /// `--public-url`.
    PublicUrl,
    /// `--console-idle-timeout`.
    ConsoleIdleTimeout,
    /// `--stripe-api-url`.
    StripeApiUrl,
}

impl Setting {
    /// The file key.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Bind => "bind",
            Setting::Workers => "workers",
            Setting::ShutdownTimeout => "shutdown_timeout",
            Setting::DatabaseUrl => "database_url",
            Setting::Log => "log",
            Setting::CorsOrigins => "cors_origins",
            Setting::MetricsBind => "metrics_bind",
            Setting::MetricsToken => "metrics_token",
            Setting::WebhookTimeout => "webhook_timeout",
            Setting::PublicUrl => "public_url",
            Setting::ConsoleIdleTimeout => "console_idle_timeout",
            Setting::StripeApiUrl => "stripe_api_url",
        }
    }

    /// The flag, without its dashes.
    pub fn flag(self) -> String {
        self.key().replace('_', "-")
    }

    /// The environment variable.
    pub fn env(self) -> &'static str {
        match self {
            Setting::Bind => "NETLICENSING_BIND",
            Setting::Workers => "NETLICENSING_WORKERS",
            Setting::ShutdownTimeout => "NETLICENSING_SHUTDOWN_TIMEOUT",
            Setting::DatabaseUrl => "DATABASE_URL",
            Setting::Log => "NETLICENSING_LOG",
            Setting::CorsOrigins => "NETLICENSING_CORS_ORIGINS",
            Setting::MetricsBind => "NETLICENSING_METRICS_BIND",
            Setting::MetricsToken => "NETLICENSING_METRICS_TOKEN",
            Setting::WebhookTimeout => "NETLICENSING_WEBHOOK_TIMEOUT",
            Setting::PublicUrl => "NETLICENSING_PUBLIC_URL",
            Setting::ConsoleIdleTimeout => "NETLICENSING_CONSOLE_IDLE_TIMEOUT",
            Setting::StripeApiUrl => "NETLICENSING_STRIPE_API_URL",
        }
    }

    fn invalid(self, reason: impl Into<String>) -> ConfigError {
        ConfigError::Invalid { setting: self, reason: reason.into() }
    }
}

/// What replaces a secret in printed configuration and logs.
pub const REDACTED: &str = "********";

impl Config {
    /// The configuration of the given settings (flags and environment, as clap read them) over the file they
    /// name, over the defaults; validated.
    pub fn from_settings(settings: Settings) -> Result<Config, ConfigError> {
        let file = match &settings.config {
            Some(path) => read_file(path)?,
            None => Settings::default(),
        };
        Self::resolve(settings.over(file))
    }

    /// The configuration of fully merged settings, defaults filling the gaps; validated.
    pub fn resolve(settings: Settings) -> Result<Config, ConfigError> {
        let defaults = Config::default();
        let config = Config {
            bind: settings.bind.unwrap_or(defaults.bind),
            workers: settings.workers.unwrap_or(defaults.workers),
            shutdown_timeout: settings.shutdown_timeout.unwrap_or(defaults.shutdown_timeout),
            database_url: settings.database_url.unwrap_or(defaults.database_url),
            demo_vendor: settings.demo_vendor.unwrap_or(defaults.demo_vendor),
            validation_cache: settings.validation_cache.unwrap_or(defaults.validation_cache),
            cors_origins: match settings.cors_origins {
                Some(list) => parse_origins(&list)?,
                None => defaults.cors_origins,
            },
            public_url: settings.public_url.filter(|url| !url.is_empty()),
            console_idle_timeout: settings.console_idle_timeout.unwrap_or(defaults.console_idle_timeout),
            stripe_api_url: settings.stripe_api_url.filter(|url| !url.is_empty()).unwrap_or(defaults.stripe_api_url),
            log: settings.log.unwrap_or(defaults.log),
            log_format: settings.log_format.unwrap_or(defaults.log_format),
            access_log: settings.access_log.unwrap_or(defaults.access_log),
            metrics: settings.metrics.unwrap_or(defaults.metrics),
            metrics_bind: settings.metrics_bind.filter(|b| !b.is_empty()),
            metrics_token: settings.metrics_token,
            webhook_allow_private: settings.webhook_allow_private.unwrap_or(defaults.webhook_allow_private),
            webhook_timeout: settings.webhook_timeout.unwrap_or(defaults.webhook_timeout),
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks every setting; the first bad one is named.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_address(Setting::Bind, &self.bind)?;
        if self.workers == 0 || self.workers > 1024 {
            return Err(Setting::Workers.invalid(format!("must be 1 to 1024, not {}", self.workers)));
        }
        if self.shutdown_timeout > 3600 {
            return Err(
                Setting::ShutdownTimeout.invalid(format!("must be at most 3600, not {}", self.shutdown_timeout))
            );
        }
        let url = &self.database_url;
        let known = ["sqlite:", "postgres://", "postgresql://"];
        if !known.iter().any(|scheme| url.starts_with(scheme)) {
            return Err(Setting::DatabaseUrl.invalid(format!(
                "'{}' is neither sqlite://FILE?mode=rwc nor postgres://USER@HOST/DB",
                redact_url(url)
            )));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(Setting::PublicUrl.invalid(format!("'{url}' is no http:// or https:// URL")));
        }
        let stripe = &self.stripe_api_url;
        if !(stripe.starts_with("http://") || stripe.starts_with("https://")) {
            return Err(Setting::StripeApiUrl.invalid(format!("'{stripe}' is no http:// or https:// URL")));
        }
        if !(1..=86_400).contains(&self.console_idle_timeout) {
            let seconds = self.console_idle_timeout;
            return Err(Setting::ConsoleIdleTimeout.invalid(format!("must be 1 to 86400 seconds, not {seconds}")));
        }
        if let Err(error) = tracing_subscriber::EnvFilter::builder().parse(&self.log) {
            return Err(Setting::Log.invalid(format!("'{}' is not a log filter ({error})", self.log)));
        }
        if let Some(bind) = &self.metrics_bind {
            if !self.metrics {
                return Err(Setting::MetricsBind.invalid("is set but metrics are off (--metrics true)"));
            }
            check_address(Setting::MetricsBind, bind)?;
            if *bind == self.bind {
                return Err(
                    Setting::MetricsBind.invalid("must differ from bind (leave it unset to serve beside the API)")
                );
            }
        }
        if let Some(token) = &self.metrics_token {
            if !self.metrics {
                return Err(Setting::MetricsToken.invalid("is set but metrics are off (--metrics true)"));
            }
            if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Setting::MetricsToken.invalid("must be at least 16 visible ASCII characters"));
            }
        }
        if !(1..=300).contains(&self.webhook_timeout) {
            return Err(Setting::WebhookTimeout.invalid(format!("must be 1 to 300, not {}", self.webhook_timeout)));
        }
        Ok(())
    }

    /// The server's base URL as browsers reach it: the public URL, else `http://` and the bind address (the
    /// shop and portal links of tokens are built on it).
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// How webhooks are delivered.
    pub fn webhooks(&self) -> crate::webhook::Settings {
        crate::webhook::Settings {
            policy: crate::webhook::Policy { allow_private: self.webhook_allow_private },
            timeout: Duration::from_secs(self.webhook_timeout),
            ..crate::webhook::Settings::default()
        }
    }

    /// How long requests in flight get on shutdown.
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout)
    }

    /// The configuration as a TOML file, secrets (the database password, the metrics token) redacted.
    pub fn redacted(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url(&self.database_url);
        if shown.metrics_token.is_some() {
            shown.metrics_token = Some(REDACTED.into());
        }
        toml::to_string(&shown).unwrap_or_else(|error| format!("# cannot print the configuration: {error}\n"))
    }

    /// The lines the server prints when it starts: address, database (password redacted), metrics.
    pub fn banner(&self) -> String {
        let mut out = format!(
            "netlicensing-server {} serving http://{}{}\ndatabase: {}\n",
            env!("CARGO_PKG_VERSION"),
            self.bind,
            crate::routes::BASE,
            redact_url(&self.database_url)
        );
        if self.metrics {
            let at = self.metrics_bind.as_deref().unwrap_or(&self.bind);
            let token = if self.metrics_token.is_some() { " (bearer token required)" } else { "" };
            let _ = writeln!(out, "metrics: http://{at}/metrics{token}");
        }
        if self.webhook_allow_private {
            out.push_str("webhooks: plain HTTP and private addresses allowed\n");
        }
        if self.demo_vendor {
            out.push_str("demo vendor: login demo, password demo (VDEMO)\n");
        }
        out
    }
}

/// The origins of a `--cors-origins` list: comma-separated, blanks ignored (empty: none).
fn parse_origins(value: &str) -> Result<Vec<String>, ConfigError> {
    let origins: Vec<String> = value.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect();
    match origins.iter().find(|origin| !crate::cors::valid_origin(origin)) {
        Some(bad) => Err(Setting::CorsOrigins.invalid(format!("'{bad}' is not an origin (scheme://host[:port]) or *"))),
        None => Ok(origins),
    }
}

/// Prints a list of origins as the setting takes it: one comma-separated string.
fn comma_separated<S: serde::Serializer>(origins: &[String], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&origins.join(","))
}

fn read_file(path: &Path) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse { path: path.into(), source: Box::new(source) })
}

fn check_address(setting: Setting, address: &str) -> Result<(), ConfigError> {
    match address.to_socket_addrs().map(|mut addresses| addresses.next()) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(setting.invalid(format!("'{address}' names no address"))),
        Err(error) => Err(setting.invalid(format!("'{address}' is not HOST:PORT ({error})"))),
    }
}

/// A database URL fit to print: the password of `user:password@` and of a `password=` parameter replaced by
/// [`REDACTED`].
pub fn redact_url(url: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let mut out = match head.split_once("://") {
        Some((scheme, rest)) => {
            // The user info ends at the last '@' before the path.
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => {
                    let user = rest[..at].split_once(':').map_or(&rest[..at], |(user, _)| user);
                    let password = if rest[..at].contains(':') { format!(":{REDACTED}") } else { String::new() };
                    format!("{scheme}://{user}{password}{}", &rest[at..])
                }
                None => head.to_owned(),
            }
        }
        None => head.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={REDACTED}"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests;
