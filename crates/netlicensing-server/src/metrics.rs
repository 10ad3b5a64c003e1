//! Prometheus metrics (`GET /metrics`, text format 0.0.4), when turned on: requests by route template, method
//! and status with latency histograms, validation outcomes per licensing model, and at each scrape the
//! validation cache's hits and misses, password verifications, and the database pool's connections in use and
//! idle.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock},
};

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use netlicensing_model::{
    entity::ValidationResult,
    types::{LicensingModel, WireEnum},
};
use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::ConstGauge,
        histogram::Histogram,
    },
    registry::Registry,
};
use sea_orm::{DatabaseConnection, DatabaseConnectionType};

use crate::state::AppState;

/// Labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

/// Labels of a request's duration.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: &'static str,
}

/// Labels of one product module's validation.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ValidationLabels {
    licensing_model: &'static str,
    valid: &'static str,
}

/// A route template and method's series: its latency histogram and its request counter per status.
#[derive(Debug, Clone)]
struct RouteHandles {
    duration: Histogram,
    statuses: Vec<(u16, Counter)>,
}

/// The `valid` label's values, in the order of each model's counters.
const VALIDITY: [&str; 3] = ["true", "false", "per_feature"];

/// Latency buckets in seconds: 0.5 ms to about 4 s, doubling.
fn latency_buckets() -> impl Iterator<Item = f64> {
    prometheus_client::metrics::histogram::exponential_buckets(0.0005, 2.0, 14)
}

/// The server's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    /// The counters of `netlicensing_validations`, made at start for every licensing model (in `ALL`'s order,
    /// then `unknown`) × validity (`true`, `false`, `per_feature`): counting a validated module is one atomic
    /// increment, with no label lookup on the hot path.
    validations: Vec<[Counter; 3]>,
    /// The handles of the series each route template and method has answered with, so that counting a request
    /// looks up its template once and builds no label.
    routes: RwLock<HashMap<String, Vec<(&'static str, RouteHandles)>>>,
    /// The webhook outbox's depth, read before each scrape (-1: unknown).
    outbox: Arc<std::sync::atomic::AtomicI64>,
    /// The database the outbox is in.
    database: Option<DatabaseConnection>,
}

/// What is read at each scrape: the validation cache's counters, password verifications and the pool's
/// connections.
struct Sampled {
    state: web::Data<AppState>,
    outbox: Arc<std::sync::atomic::AtomicI64>,
}

impl std::fmt::Debug for Sampled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sampled").finish_non_exhaustive()
    }
}

impl Collector for Sampled {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let stats = self.state.core.validation_cache_stats();
        for (name, help, value) in [
            ("netlicensing_validation_cache_hits", "Validations answered from the in-memory cache", stats.hits),
            ("netlicensing_validation_cache_misses", "Validations that read the database", stats.misses),
            (
                "netlicensing_password_verifications",
                "Vendor password verifications (Argon2id) run",
                self.state.auth.verifications(),
            ),
        ] {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(name, help, None, counter.metric_type())?)?;
        }
        if let Some((size, idle)) = self.state.database().and_then(pool_use) {
            for (name, help, value) in [
                ("netlicensing_db_connections_in_use", "Database connections lent to requests", size - idle),
                ("netlicensing_db_connections_idle", "Open database connections waiting in the pool", idle),
            ] {
                let gauge = ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX));
                gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
            }
        }
        let queued = self.outbox.load(std::sync::atomic::Ordering::Relaxed);
        if queued >= 0 {
            let gauge = ConstGauge::new(queued);
            let (name, help) = ("netlicensing_webhook_events_queued", "Webhook events waiting for delivery");
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
        }
        Ok(())
    }
}

/// Connections open and idle in the pool.
fn pool_use(database: &DatabaseConnection) -> Option<(u64, u64)> {
    // Each getter is called only for the variant it serves (they panic on another).
    match &database.inner {
        DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
            let pool = database.get_sqlite_connection_pool();
            Some((u64::from(pool.size()), pool.num_idle() as u64))
        }
        DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
            let pool = database.get_postgres_connection_pool();
            Some((u64::from(pool.size()), pool.num_idle() as u64))
        }
        _ => None,
    }
}

impl Metrics {
    /// Metrics over the server's state (cache counters, verifications) and its pool, when there is one.
    pub fn new(state: web::Data<AppState>) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("netlicensing_http_requests", "HTTP requests answered", requests.clone());
        let durations =
            Family::<RouteLabels, Histogram>::new_with_constructor(|| Histogram::new(latency_buckets()) as Histogram);
        registry.register(
            "netlicensing_http_request_duration_seconds",
            "Time from request to response head",
            durations.clone(),
        );
        let family = Family::<ValidationLabels, Counter>::default();
        registry.register(
            "netlicensing_validations",
            "Product modules validated, by licensing model and outcome",
            family.clone(),
        );
        let models = LicensingModel::ALL.iter().map(|model| model.as_str()).chain(["unknown"]);
        let validations = models
            .map(|licensing_model| {
                VALIDITY.map(|valid| family.get_or_create(&ValidationLabels { licensing_model, valid }).clone())
            })
            .collect();
        let outbox = Arc::new(std::sync::atomic::AtomicI64::new(-1));
        let database = state.database().cloned();
        registry.register_collector(Box::new(Sampled { state, outbox: outbox.clone() }));
        Self { registry, requests, durations, validations, routes: RwLock::default(), outbox, database }
    }

    /// Reads what the collector cannot read synchronously: the webhook outbox's depth.
    pub async fn refresh(&self) {
        let Some(database) = &self.database else { return };
        let depth = crate::db::outbox::depth(database).await.ok().and_then(|d| i64::try_from(d).ok());
        self.outbox.store(depth.unwrap_or(-1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts a request answered: its route template (`unmatched` for unknown paths; `{number}` segments
    /// written `:number`, which every Prometheus text parser reads), method, status, duration.
    pub fn request(&self, route: &str, method: &actix_web::http::Method, status: u16, seconds: f64) {
        let method = method_label(method);
        {
            let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
            let handles = routes.get(route).and_then(|methods| methods.iter().find(|(m, _)| *m == method));
            if let Some((_, handles)) = handles
                && let Some((_, counter)) = handles.statuses.iter().find(|(s, _)| *s == status)
            {
                handles.duration.observe(seconds);
                counter.inc();
                return;
            }
        }
        // The first request of this template, method and status: its series are made (bounded by the routes,
        // methods and statuses there are).
        let label: String = route.chars().filter(|c| *c != '}').map(|c| if c == '{' { ':' } else { c }).collect();
        let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
        let methods = routes.entry(route.to_owned()).or_default();
        let at = match methods.iter().position(|(m, _)| *m == method) {
            Some(at) => at,
            None => {
                let duration = self.durations.get_or_create(&RouteLabels { route: label.clone(), method }).clone();
                methods.push((method, RouteHandles { duration, statuses: Vec::new() }));
                methods.len() - 1
            }
        };
        let handles = &mut methods[at].1;
        let counter = match handles.statuses.iter().find(|(s, _)| *s == status) {
            Some((_, counter)) => counter.clone(),
            None => {
                let counter = self.requests.get_or_create(&RequestLabels { route: label, method, status }).clone();
                handles.statuses.push((status, counter.clone()));
                counter
            }
        };
        handles.duration.observe(seconds);
        counter.inc();
    }

    /// Counts each product module of a validation result by licensing model and validity.
    pub fn validated(&self, result: &ValidationResult) {
        let unknown = LicensingModel::ALL.len();
        for module in &result.modules {
            let model = module.licensing_model.and_then(|model| LicensingModel::ALL.iter().position(|m| *m == model));
            let valid = match module.valid {
                Some(true) => 0,
                Some(false) => 1,
                None => 2,
            };
            if let Some(counters) = self.validations.get(model.unwrap_or(unknown)) {
                counters[valid].inc();
            }
        }
    }

    /// The Prometheus text of every metric.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// The label of a method: the standard ones by name, any other `OTHER` (a client cannot add label values).
fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

/// Who may read `/metrics`: the metrics, and the bearer token required, if any.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The metrics.
    pub metrics: Arc<Metrics>,
    /// The token `Authorization: Bearer` must carry.
    pub token: Option<String>,
}

/// `GET /metrics`: 401 without the configured bearer token, else the metrics.
pub async fn scrape(req: HttpRequest, endpoint: web::Data<Endpoint>) -> HttpResponse {
    if let Some(token) = &endpoint.token {
        let given = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let expected = format!("Bearer {token}");
        // Compared in full whatever the first difference, so timing does not reveal the token.
        let matches = given.is_some_and(|given| {
            given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
        });
        if !matches {
            return HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
                .finish();
        }
    }
    endpoint.metrics.refresh().await;
    match endpoint.metrics.encode() {
        Ok(text) => {
            HttpResponse::Ok().content_type(prometheus_client::encoding::prometheus_text::CONTENT_TYPE).body(text)
        }
        Err(error) => {
            tracing::error!(%error, "cannot encode the metrics");
            HttpResponse::InternalServerError().finish()
        }
    }
}
