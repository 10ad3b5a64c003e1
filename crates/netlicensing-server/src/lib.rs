//! The NetLicensing-compatible server: configuration, storage, authentication and the HTTP API.
//!
//! [`prepare`] opens and migrates the database and seeds the demo vendor; [`start`] serves the API on a
//! listener. `main` and the tests use the same two functions.

pub mod config;
pub mod cors;
pub mod db;
pub mod error;
pub mod extract;
pub mod guard;
pub mod logger;
pub mod password;
pub mod reply;
pub mod routes;
pub mod seed;
pub mod state;
#[cfg(feature = "test-util")]
pub mod testing;

use std::{net::TcpListener, sync::Arc};

use actix_web::{App, HttpServer, dev::Server, web};
use netlicensing_core::repo::{NewVendor, Store};

use crate::{config::Config, db::store::SqlStore, state::AppState};

/// The demo vendor's login, password and number.
pub const DEMO_VENDOR: (&str, &str, &str) = ("demo", "demo", "VDEMO");

/// Opens and migrates the configured database and, on an empty one, creates the demo vendor if configured.
pub async fn prepare(config: &Config) -> Result<web::Data<AppState>, String> {
    let connection = db::connect(&config.database_url, None).await.map_err(|e| format!("database: {e}"))?;
    db::migrate(&connection).await.map_err(|e| format!("migration: {e}"))?;
    let store: Arc<dyn Store> = Arc::new(SqlStore::new(connection));
    let state =
        AppState::over(netlicensing_core::Core::new(store.clone()).with_validation_cache(config.validation_cache))?
            .with_cors_origins(config.cors_origins.clone());
    if config.demo_vendor && store.vendor_count().await.map_err(|e| e.to_string())? == 0 {
        create_demo_vendor(&state, store.as_ref()).await?;
    }
    Ok(web::Data::new(state))
}

/// Creates the demo vendor with the demo catalogue (a product with a module of every licensing model, and
/// customers to validate).
pub async fn create_demo_vendor(state: &AppState, store: &dyn Store) -> Result<(), String> {
    let (login, password, number) = DEMO_VENDOR;
    create_vendor(store, login, password, number).await?;
    let vendor = store.vendor_by_login(login).await.map_err(|e| e.to_string())?.ok_or("demo vendor not stored")?;
    let caller = netlicensing_core::Caller::vendor(vendor.id, vendor.number);
    state.core.create_demo_catalogue(&caller).await.map_err(|e| format!("demo catalogue: {e}"))?;
    log::info!(
        "created the demo vendor {number} (login {login}) with product {} and customer {}",
        netlicensing_core::service::DEMO_PRODUCT,
        netlicensing_core::service::DEMO_CUSTOMER
    );
    Ok(())
}

/// Creates a vendor with a hashed password.
pub async fn create_vendor(store: &dyn Store, login: &str, password: &str, number: &str) -> Result<(), String> {
    if login.is_empty() || password.is_empty() || number.is_empty() || login == "apiKey" {
        return Err("login, password and number must be given (and the login may not be 'apiKey')".into());
    }
    let password_hash = password::hash(password)?;
    let vendor = NewVendor { number: number.to_owned(), login: login.to_owned(), password_hash };
    store.create_vendor(&vendor).await.map(|_| ()).map_err(|e| match e {
        netlicensing_core::RepoError::Duplicate(_) => {
            format!("a vendor with login '{login}' or number '{number}' exists already")
        }
        other => other.to_string(),
    })
}

/// Sets a vendor's validation TTL from its text: seconds or a number with `s`, `m`, `h` or `d` (`15m`, `2h`,
/// `3d`), from one minute to 30 days; `default` restores the default of one day.
pub async fn set_validation_ttl(state: &AppState, login: &str, text: &str) -> Result<(), String> {
    use netlicensing_core::service::vendor_settings::parse_ttl;
    let ttl = match text.trim() {
        "default" => None,
        other => Some(parse_ttl(other).ok_or_else(|| format!("'{other}' is not a TTL (90, 15m, 2h, 3d or default)"))?),
    };
    state.core.set_validation_ttl(login, ttl).await.map_err(|e| e.to_string())
}

/// The line the server logs when it stops: how often validation was answered from memory.
pub fn cache_report(core: &netlicensing_core::Core) -> String {
    let stats = core.validation_cache_stats();
    format!("validation cache: {} hits, {} misses", stats.hits, stats.misses)
}

/// Serves the API on a bound listener; the returned server runs when awaited. The state's [`guard::Limits`]
/// bound how long a request may take to arrive and how many connections one client address may hold.
pub fn start(state: web::Data<AppState>, listener: TcpListener, workers: usize) -> std::io::Result<Server> {
    let limits = state.limits.clone();
    let connections = state.connections.clone();
    let per_address = limits.connections_per_address;
    Ok(HttpServer::new(move || {
        let origins = state.cors_origins.clone();
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::from_fn(guard::refuse_hostile))
            .configure(move |cfg| routes::configure(cfg, &origins))
    })
    .on_connect(move |connection, data| {
        if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
            && let Ok(peer) = stream.peer_addr()
        {
            data.insert(connections.open(peer.ip(), per_address));
        }
    })
    .client_request_timeout(limits.head_timeout)
    .workers(workers.max(1))
    .listen(listener)?
    .run())
}
