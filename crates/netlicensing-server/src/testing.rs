//! Test support (feature `test-util`): fresh databases for tests, on SQLite always and on PostgreSQL when
//! `DATABASE_URL` names one. Each test gets its own SQLite file or PostgreSQL schema.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::db::{self, store::SqlStore};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh schema of the PostgreSQL database named by `DATABASE_URL`.
    Postgres,
}

impl Backend {
    /// The backends to test: SQLite, and PostgreSQL when `DATABASE_URL` names one.
    pub fn available() -> Vec<Backend> {
        let mut out = vec![Backend::Sqlite];
        if postgres_url().is_some() {
            out.push(Backend::Postgres);
        }
        out
    }
}

/// `DATABASE_URL` when it names a PostgreSQL database.
pub fn postgres_url() -> Option<String> {
    std::env::var("DATABASE_URL").ok().filter(|url| url.starts_with("postgres"))
}

/// A migrated database of its own; removed again on [`TestDb::drop_all`].
pub struct TestDb {
    /// Connection pool (search path set to the test schema on PostgreSQL).
    pub connection: DatabaseConnection,
    /// URL the server can be started with.
    pub url: String,
    /// PostgreSQL schema of the test.
    pub schema: Option<String>,
    file: Option<PathBuf>,
}

fn tag() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap_or_default();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A fresh, migrated database on the backend.
    pub async fn new(backend: Backend) -> TestDb {
        let db = Self::empty(backend).await;
        db::migrate(&db.connection).await.expect("test database migrates");
        db
    }

    /// A fresh database on the backend without any table (for loading an older database into).
    pub async fn empty(backend: Backend) -> TestDb {
        let tag = tag();
        let (url, schema, file) = match backend {
            Backend::Sqlite => {
                let file = std::env::temp_dir().join(format!("netlicensing-test-{tag}.db"));
                (format!("sqlite://{}?mode=rwc", file.display()), None, Some(file))
            }
            Backend::Postgres => {
                let url = postgres_url().expect("DATABASE_URL names no PostgreSQL database");
                let schema = format!("test_{tag}");
                let admin = Database::connect(&url).await.expect("PostgreSQL reachable");
                admin.execute_unprepared(&format!("CREATE SCHEMA \"{schema}\"")).await.expect("schema created");
                admin.close().await.ok();
                (url, Some(schema), None)
            }
        };
        let connection = db::connect(&url, schema.as_deref()).await.expect("test database opens");
        TestDb { connection, url, schema, file }
    }

    /// The SQLite file of the database.
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }

    /// Closes the pool and opens a new one (after the file was replaced, say).
    pub async fn reopen(self) -> TestDb {
        self.connection.close_by_ref().await.ok();
        let connection = db::connect(&self.url, self.schema.as_deref()).await.expect("reopens");
        TestDb { connection, ..self }
    }

    /// The store over the database.
    pub fn store(&self) -> SqlStore {
        SqlStore::new(self.connection.clone())
    }

    /// Closes the pool and removes the file or schema.
    pub async fn drop_all(self) {
        self.connection.close().await.ok();
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{suffix}", file.display())).ok();
            }
        }
        if let Some(schema) = &self.schema
            && let Ok(admin) = Database::connect(&self.url).await
        {
            admin.execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE")).await.ok();
            admin.close().await.ok();
        }
    }
}

/// A running server: its base URL, handle and state.
type Served = (String, actix_web::dev::ServerHandle, actix_web::web::Data<crate::state::AppState>);

/// Starts the API on a random port over a store.
fn serve(store: std::sync::Arc<crate::db::store::SqlStore>) -> Served {
    let serving = crate::Serving { workers: 2, ..crate::Serving::default() };
    serve_with(store, serving, crate::guard::Limits::default(), None)
}

/// Starts the API on a random port over a store, served as given (metrics beside the API), with request limits.
fn serve_with(
    store: std::sync::Arc<crate::db::store::SqlStore>,
    serving: crate::Serving,
    limits: crate::guard::Limits,
    webhooks: Option<crate::webhook::Settings>,
) -> Served {
    let connection = store.connection().clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let lane = crate::write_lane::ThreadLane::start().expect("the write lane's thread starts");
    let mut core = netlicensing_core::Core::new(store.clone())
        .with_token_urls(netlicensing_core::TokenUrls::under(&base))
        .with_write_lane(lane);
    if let Some(settings) = webhooks {
        core = core.with_endpoint_check(std::sync::Arc::new(settings.policy));
    }
    let state = actix_web::web::Data::new(
        crate::state::AppState::over(core).expect("state").with_database(store).with_limits(limits),
    );
    let shared = state.clone();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = crate::start_with(state, listener, None, &serving).expect("server starts").api;
            // The handle first: the pool's connections may be driven by the test's runtime, which waits for it.
            sender.send(server.handle()).ok();
            let delivery = match webhooks {
                Some(settings) => {
                    Some(crate::webhook::Delivery::start(connection, settings).await.expect("delivery starts"))
                }
                None => None,
            };
            server.await.ok();
            if let Some(delivery) = delivery {
                delivery.shutdown().await;
            }
        })
    });
    (base, receiver.recv().expect("server handle"), shared)
}

/// The server running on a random port over a fresh database, with the demo vendor (`demo`/`demo`) and a
/// second vendor (`other`/`other`).
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The database under it.
    pub db: TestDb,
    handle: actix_web::dev::ServerHandle,
    state: actix_web::web::Data<crate::state::AppState>,
    replicas: Vec<Served>,
    webhooks: Option<crate::webhook::Settings>,
}

impl TestServer {
    /// Starts a server on the backend.
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with(backend, crate::Serving { workers: 2, ..crate::Serving::default() }).await
    }

    /// Starts a server on the backend with request limits (shorter time limits, say).
    pub async fn start_limited(backend: Backend, limits: crate::guard::Limits) -> TestServer {
        Self::start_configured(backend, crate::Serving { workers: 2, ..crate::Serving::default() }, limits).await
    }

    /// Starts a server on the backend, served as given (metrics, if on, beside the API).
    pub async fn start_with(backend: Backend, serving: crate::Serving) -> TestServer {
        Self::start_configured(backend, serving, crate::guard::Limits::default()).await
    }

    /// Starts a server on the backend, served as given, with request limits.
    pub async fn start_configured(
        backend: Backend,
        serving: crate::Serving,
        limits: crate::guard::Limits,
    ) -> TestServer {
        Self::start_full(backend, serving, limits, None).await
    }

    /// Starts a server on the backend that checks webhook endpoints and delivers webhooks with these settings.
    pub async fn start_webhooks(backend: Backend, webhooks: crate::webhook::Settings) -> TestServer {
        let serving = crate::Serving { workers: 2, ..crate::Serving::default() };
        Self::start_full(backend, serving, crate::guard::Limits::default(), Some(webhooks)).await
    }

    async fn start_full(
        backend: Backend,
        serving: crate::Serving,
        limits: crate::guard::Limits,
        webhooks: Option<crate::webhook::Settings>,
    ) -> TestServer {
        let db = TestDb::new(backend).await;
        let store = std::sync::Arc::new(db.store());
        crate::create_vendor(store.as_ref(), "demo", "demo", "VDEMO").await.expect("demo vendor");
        crate::create_vendor(store.as_ref(), "other", "other", "VOTHER").await.expect("second vendor");
        let (base, handle, state) = serve_with(store, serving, limits, webhooks);
        TestServer { base, db, handle, state, replicas: Vec::new(), webhooks }
    }

    /// Starts a second server on the same database delivering webhooks with these settings: a replica.
    pub async fn webhook_replica(&mut self, webhooks: crate::webhook::Settings) -> String {
        let connection = crate::db::connect(&self.db.url, self.db.schema.as_deref()).await.expect("replica connects");
        let store = std::sync::Arc::new(crate::db::store::SqlStore::new(connection));
        let serving = crate::Serving { workers: 1, ..crate::Serving::default() };
        let served = serve_with(store, serving, crate::guard::Limits::default(), Some(webhooks));
        let base = served.0.clone();
        self.replicas.push(served);
        base
    }

    /// Starts a second server on the same database, with its own connection pool, credential cache and
    /// workers: a replica, as several stateless servers share one PostgreSQL. Returns its base URL.
    pub async fn replica(&mut self) -> String {
        let connection = crate::db::connect(&self.db.url, self.db.schema.as_deref()).await.expect("replica connects");
        let served = serve(std::sync::Arc::new(crate::db::store::SqlStore::new(connection)));
        let base = served.0.clone();
        self.replicas.push(served);
        base
    }

    /// Starts a server over an existing database, migrating it first (an upgrade), without adding vendors.
    pub async fn over(db: TestDb) -> TestServer {
        Self::over_with(db, None).await
    }

    /// [`TestServer::over`], delivering webhooks with these settings if given.
    pub async fn over_with(db: TestDb, webhooks: Option<crate::webhook::Settings>) -> TestServer {
        crate::db::migrate(&db.connection).await.expect("database migrates");
        let serving = crate::Serving { workers: 2, ..crate::Serving::default() };
        let (base, handle, state) =
            serve_with(std::sync::Arc::new(db.store()), serving, crate::guard::Limits::default(), webhooks);
        TestServer { base, db, handle, state, replicas: Vec::new(), webhooks }
    }

    /// Stops the server and starts a new one over the same database (migrations run again), as after a
    /// restart or an upgrade of the binary.
    pub async fn restart(self) -> TestServer {
        for (_, replica, _) in &self.replicas {
            replica.stop(false).await;
        }
        self.handle.stop(false).await;
        let webhooks = self.webhooks;
        TestServer::over_with(self.db.reopen().await, webhooks).await
    }

    /// How many vendor password verifications (Argon2id) this server ran.
    pub fn password_verifications(&self) -> u64 {
        self.state.auth.verifications()
    }

    /// Bytes of Argon2 working memory this server keeps for password verifications.
    pub fn password_working_memory(&self) -> usize {
        self.state.auth.working_memory()
    }

    /// Stores the validations this server counted in memory (as its flusher does every few seconds).
    pub async fn flush_validations(&self) -> u64 {
        self.state.core.flush_validations().await.expect("validation counts stored")
    }

    /// How often this server answered validation from its cache.
    pub fn cache_stats(&self) -> netlicensing_core::service::cache::CacheStats {
        self.state.core.validation_cache_stats()
    }

    /// How often this server found a product's catalogue in its cache.
    pub fn catalogue_cache_stats(&self) -> netlicensing_core::service::cache::CacheStats {
        self.state.core.catalogue_cache_stats()
    }

    /// How often the replica started `index`-th (from 0) answered validation from its cache.
    pub fn replica_cache_stats(&self, index: usize) -> Option<netlicensing_core::service::cache::CacheStats> {
        self.replicas.get(index).map(|(_, _, state)| state.core.validation_cache_stats())
    }

    /// The full URL of an API path (`product/P1` → `http://…/core/v2/rest/product/P1`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}/{}", self.base, crate::routes::BASE, path.trim_start_matches('/'))
    }

    /// Stops the server and removes its database.
    pub async fn stop(self) {
        for (_, replica, _) in &self.replicas {
            replica.stop(false).await;
        }
        self.handle.stop(false).await;
        self.db.drop_all().await;
    }
}
