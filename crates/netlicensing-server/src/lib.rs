//! The NetLicensing-compatible server: configuration, storage, authentication and the HTTP API.
//!
//! [`prepare`] opens and migrates the database and seeds the demo vendor; [`start`] serves the API on a
//! listener. `main` and the tests use the same two functions.

pub mod account;
pub mod config;
pub mod console;
pub mod cors;
pub mod db;
pub mod error;
pub mod extract;
pub mod flush;
pub mod guard;
pub mod logging;
pub mod metrics;
pub mod observe;
pub mod password;
pub mod reply;
pub mod routes;
pub mod seed;
pub mod state;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod webhook;
pub mod write_lane;

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{App, HttpResponse, HttpServer, dev::Server, middleware::from_fn, web};
use netlicensing_core::{
    CoreError, RepoError,
    repo::{NewVendor, Store},
};
use sea_orm::DbErr;

use crate::{
    config::Config,
    db::store::SqlStore,
    metrics::{Endpoint, Metrics},
    observe::Observer,
    password::PasswordError,
    state::AppState,
};

/// The demo vendor's login, password and number.
pub const DEMO_VENDOR: (&str, &str, &str) = ("demo", "demo", "VDEMO");

/// Why the server could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened.
    #[error("cannot open the database")]
    Connect(#[source] DbErr),
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database")]
    Migrate(#[source] DbErr),
    /// The store failed at start.
    #[error("cannot read the database")]
    Store(#[source] RepoError),
    /// The authenticator could not be set up.
    #[error("cannot set up authentication")]
    Auth(#[source] PasswordError),
    /// The demo vendor could not be created.
    #[error("cannot create the demo vendor")]
    DemoVendor(#[source] VendorError),
    /// The demo vendor was created but cannot be read back.
    #[error("the demo vendor was created but is not stored")]
    DemoVendorMissing,
    /// The demo catalogue could not be created.
    #[error("cannot create the demo catalogue")]
    DemoCatalogue(#[source] CoreError),
    /// The thread of validation's writes could not be started.
    #[error("cannot start the write lane's thread")]
    WriteLane(#[source] std::io::Error),
}

/// Why a vendor could not be created.
#[derive(Debug, thiserror::Error)]
pub enum VendorError {
    /// A field is empty or the login is reserved.
    #[error("login, password and number must be given (and the login may not be 'apiKey')")]
    Incomplete,
    /// The login or number is taken.
    #[error("a vendor with login '{login}' or number '{number}' exists already")]
    Exists {
        /// The login.
        login: String,
        /// The number.
        number: String,
    },
    /// No vendor has the login.
    #[error("there is no vendor with that login")]
    Unknown,
    /// The password could not be hashed.
    #[error("cannot hash the password")]
    Password(#[source] PasswordError),
    /// The store failed.
    #[error("cannot store the vendor")]
    Store(#[source] RepoError),
}

/// Why a vendor's validation TTL could not be set.
#[derive(Debug, thiserror::Error)]
pub enum TtlError {
    /// The text is no duration.
    #[error("'{0}' is not a TTL (90, 15m, 2h, 3d or default)")]
    Unreadable(String),
    /// Out of range, no such vendor, or the store failed.
    #[error("{0}")]
    Refused(#[source] CoreError),
}

/// Why a vendor's default currency could not be set.
#[derive(Debug, thiserror::Error)]
pub enum CurrencyError {
    /// The text is no currency.
    #[error("'{0}' is not a currency (EUR, USD or default)")]
    Unreadable(String),
    /// No such vendor, or the store failed.
    #[error("{0}")]
    Refused(#[source] CoreError),
}

/// Opens and migrates the configured database and, on an empty one, creates the demo vendor if configured.
pub async fn prepare(config: &Config) -> Result<web::Data<AppState>, StartError> {
    let connection = db::connect(&config.database_url, None).await.map_err(StartError::Connect)?;
    db::migrate(&connection).await.map_err(StartError::Migrate)?;
    let sql_store = Arc::new(SqlStore::new(connection));
    let store: Arc<dyn Store> = sql_store.clone();
    let core = netlicensing_core::Core::new(store.clone())
        .with_token_urls(netlicensing_core::TokenUrls::under(&config.public_base()))
        .with_validation_cache(config.validation_cache)
        .with_endpoint_check(Arc::new(config.webhooks().policy))
        .with_write_lane(write_lane::ThreadLane::start().map_err(StartError::WriteLane)?);
    let state = AppState::over(core)
        .map_err(StartError::Auth)?
        .with_database(sql_store)
        .with_cors_origins(config.cors_origins.clone());
    if config.demo_vendor && store.vendor_count().await.map_err(StartError::Store)? == 0 {
        create_demo_vendor(&state, store.as_ref()).await?;
    }
    Ok(web::Data::new(state))
}

/// Creates the demo vendor with the demo catalogue (a product with a module of every licensing model, and
/// customers to validate).
pub async fn create_demo_vendor(state: &AppState, store: &dyn Store) -> Result<(), StartError> {
    let (login, password, number) = DEMO_VENDOR;
    create_vendor(store, login, password, number).await.map_err(StartError::DemoVendor)?;
    let vendor = store.vendor_by_login(login).await.map_err(StartError::Store)?.ok_or(StartError::DemoVendorMissing)?;
    let caller = netlicensing_core::Caller::vendor(vendor.id, vendor.number);
    state.core.create_demo_catalogue(&caller).await.map_err(StartError::DemoCatalogue)?;
    tracing::info!(
        "created the demo vendor {number} (login {login}) with product {} and customer {}",
        netlicensing_core::service::DEMO_PRODUCT,
        netlicensing_core::service::DEMO_CUSTOMER
    );
    Ok(())
}

/// Creates a vendor with a hashed password.
pub async fn create_vendor(store: &dyn Store, login: &str, password: &str, number: &str) -> Result<(), VendorError> {
    if login.is_empty() || password.is_empty() || number.is_empty() || login == "apiKey" {
        return Err(VendorError::Incomplete);
    }
    let password_hash = password::hash(password).map_err(VendorError::Password)?;
    let vendor = NewVendor { number: number.to_owned(), login: login.to_owned(), password_hash };
    store.create_vendor(&vendor).await.map(|_| ()).map_err(|e| match e {
        RepoError::Duplicate(_) => VendorError::Exists { login: login.to_owned(), number: number.to_owned() },
        other => VendorError::Store(other),
    })
}

/// Sets a vendor's password (hashed) and ends its console sessions.
pub async fn set_vendor_password(state: &AppState, login: &str, password: &str) -> Result<(), VendorError> {
    if password.is_empty() {
        return Err(VendorError::Incomplete);
    }
    let hash = password::hash(password).map_err(VendorError::Password)?;
    let store = state.core.store();
    let vendor = store.vendor_by_login(login).await.map_err(VendorError::Store)?.ok_or(VendorError::Unknown)?;
    store.set_password_hash(login, &hash).await.map_err(VendorError::Store)?;
    if let Some(sessions) = state.sql_store() {
        use netlicensing_web::SessionStore;
        sessions.remove_vendor(vendor.id).await.map_err(VendorError::Store)?;
    }
    state.auth.forget_verified();
    Ok(())
}

/// Sets a vendor's validation TTL from its text: seconds or a number with `s`, `m`, `h` or `d` (`15m`, `2h`,
/// `3d`), from one minute to 30 days; `default` restores the default of one day.
pub async fn set_validation_ttl(state: &AppState, login: &str, text: &str) -> Result<(), TtlError> {
    use netlicensing_core::service::vendor_settings::parse_ttl;
    let ttl = match text.trim() {
        "default" => None,
        other => Some(parse_ttl(other).ok_or_else(|| TtlError::Unreadable(other.to_owned()))?),
    };
    state.core.set_validation_ttl(login, ttl).await.map_err(TtlError::Refused)
}

/// Sets a vendor's default currency from its text: `EUR` or `USD` (any case); `default` clears it.
pub async fn set_default_currency(state: &AppState, login: &str, text: &str) -> Result<(), CurrencyError> {
    use netlicensing_core::service::vendor_settings::parse_currency;
    let currency = match text.trim() {
        "default" => None,
        other => Some(parse_currency(other).ok_or_else(|| CurrencyError::Unreadable(other.to_owned()))?),
    };
    state.core.set_default_currency(login, currency).await.map_err(CurrencyError::Refused)
}

/// The line the server logs when it stops: how often validation was answered from memory.
pub fn cache_report(core: &netlicensing_core::Core) -> String {
    let stats = core.validation_cache_stats();
    format!("validation cache: {} hits, {} misses", stats.hits, stats.misses)
}

/// How the server runs besides its state and listener.
#[derive(Debug, Clone)]
pub struct Serving {
    /// Worker threads.
    pub workers: usize,
    /// Time requests in flight get to finish on shutdown.
    pub shutdown_timeout: Duration,
    /// Log a line per request.
    pub access_log: bool,
    /// Metrics: counted if given; served beside the API unless [`Serving::metrics_listener`] is given.
    pub metrics: Option<MetricsServing>,
    /// The web console's session timeouts and cookie security.
    pub console: netlicensing_web::SessionPolicy,
    /// Stripe's API base URL (the shop's payments).
    pub stripe_api: String,
}

/// Where and for whom `/metrics` is served.
#[derive(Debug, Clone, Default)]
pub struct MetricsServing {
    /// The bearer token required, if any.
    pub token: Option<String>,
    /// Serve `/metrics` on its own address (the listener) instead of beside the API.
    pub separate: bool,
}

impl Default for Serving {
    fn default() -> Self {
        Self {
            workers: 2,
            shutdown_timeout: Duration::from_secs(30),
            access_log: true,
            metrics: None,
            console: netlicensing_web::SessionPolicy::default(),
            stripe_api: netlicensing_web::shop::stripe::DEFAULT_API.into(),
        }
    }
}

impl Serving {
    /// The serving options of a configuration.
    pub fn of(config: &Config) -> Self {
        let metrics = config
            .metrics
            .then(|| MetricsServing { token: config.metrics_token.clone(), separate: config.metrics_bind.is_some() });
        Self {
            workers: config.workers,
            shutdown_timeout: config.shutdown_timeout(),
            access_log: config.access_log,
            metrics,
            console: netlicensing_web::SessionPolicy {
                idle: Duration::from_secs(config.console_idle_timeout),
                secure: config.public_url.as_deref().is_some_and(|url| url.starts_with("https:")),
                ..netlicensing_web::SessionPolicy::default()
            },
            stripe_api: config.stripe_api_url.clone(),
        }
    }
}

/// A running server, and its metrics server when those are served on their own address.
pub struct Running {
    /// The API server; runs when awaited, stops gracefully on SIGTERM.
    pub api: Server,
    /// The metrics server (signals disabled: stop it when the API server stopped).
    pub metrics: Option<Server>,
}

/// Serves the API on a bound listener; the returned server runs when awaited. The state's [`guard::Limits`]
/// bound how long a request may take to arrive and how many connections one client address may hold.
pub fn start(state: web::Data<AppState>, listener: TcpListener, workers: usize) -> std::io::Result<Server> {
    Ok(start_with(state, listener, None, &Serving { workers, ..Serving::default() })?.api)
}

/// Serves the API on a bound listener, and `/metrics` on `metrics_listener` if given and metrics are on.
pub fn start_with(
    state: web::Data<AppState>,
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    serving: &Serving,
) -> std::io::Result<Running> {
    let metrics = serving.metrics.as_ref().map(|m| {
        let metrics = Arc::new(Metrics::new(state.clone()));
        (web::Data::new(Endpoint { metrics, token: m.token.clone() }), m.separate)
    });
    let observer = web::Data::new(Observer {
        access_log: serving.access_log,
        metrics: metrics.as_ref().map(|(endpoint, _)| endpoint.metrics.clone()),
    });
    let beside = metrics.as_ref().filter(|(_, separate)| !separate).map(|(endpoint, _)| endpoint.clone());
    let limits = state.limits.clone();
    let connections = state.connections.clone();
    let per_address = limits.connections_per_address;
    let console = console::console(&state, serving.console);
    let stripe = netlicensing_web::shop::Stripe::new(&serving.stripe_api).map_err(std::io::Error::other)?;
    let shop = web::Data::new(netlicensing_web::shop::Shop { stripe });
    let api = HttpServer::new(move || {
        let origins = state.cors_origins.clone();
        // The last wrapped runs first: hostile requests refused by the guard are still logged and counted.
        let mut app = App::new()
            .app_data(state.clone())
            .app_data(observer.clone())
            .wrap(from_fn(guard::refuse_hostile))
            .wrap(from_fn(observe::observe))
            .route("/ready", web::get().to(ready));
        if let Some(endpoint) = &beside {
            app = app.app_data(endpoint.clone()).route("/metrics", web::get().to(metrics::scrape));
        }
        // The web pages sit beside the API, outside its CORS scope.
        let console = console.clone();
        let shop = shop.clone();
        app.configure(move |cfg| routes::configure(cfg, &origins))
            .configure(move |cfg| netlicensing_web::configure(cfg, console))
            .configure(move |cfg| netlicensing_web::configure_shop(cfg, shop))
    })
    .on_connect(move |connection, data| {
        if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
            && let Ok(peer) = stream.peer_addr()
        {
            data.insert(connections.open(peer.ip(), per_address));
        }
    })
    .client_request_timeout(limits.head_timeout)
    .workers(serving.workers.max(1))
    .shutdown_timeout(serving.shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    let metrics = match (metrics.filter(|(_, separate)| *separate), metrics_listener) {
        (Some((endpoint, _)), Some(listener)) => Some(
            HttpServer::new(move || {
                App::new().app_data(endpoint.clone()).route("/metrics", web::get().to(metrics::scrape))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)?
            .run(),
        ),
        _ => None,
    };
    Ok(Running { api, metrics })
}

/// `GET /ready`: 200 when the database answers (migrations ran before the server started), else 503.
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let Some(database) = state.database() else {
        return HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready");
    };
    match database.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready"),
        Err(error) => {
            tracing::warn!(error = %logging::chain(&error), "not ready: the database does not answer");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .insert_header(("Retry-After", "1"))
                .body("database unreachable")
        }
    }
}
