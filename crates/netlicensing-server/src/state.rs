//! What every request handler shares.

use std::sync::Arc;

use netlicensing_core::{Core, CoreError, RepoError, repo::Store, validation::signing::Signer};
use netlicensing_model::Document;

use crate::{
    db::store::SqlStore,
    error::ApiError,
    extract::auth::Authenticator,
    guard::{Connections, Limits},
    password::PasswordError,
};

/// Shared application state.
pub struct AppState {
    /// The domain services.
    pub core: Core,
    /// Credential checking.
    pub auth: Authenticator,
    /// The SQL store under the core (none over other stores).
    sql_store: Option<Arc<SqlStore>>,
    /// Origins allowed to call the API from a browser (`*` for any; none when empty).
    pub cors_origins: Vec<String>,
    /// How long requests may take to arrive, and connections per client address.
    pub limits: Limits,
    /// Open connections per client address.
    pub connections: Arc<Connections>,
    /// Turns for signing validation answers: one per core, off the request threads.
    signing: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>) -> Result<Self, PasswordError> {
        Self::over(Core::new(store))
    }

    /// The same state with other request limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Signs a document on the blocking pool, at most one signature per core at once, so that a load of signed
    /// validations never stalls the request threads (and other requests with them).
    pub async fn sign(&self, signer: Arc<Signer>, mut doc: Document) -> Result<Document, ApiError> {
        // The semaphore is never closed; a failed acquire would only mean signing without a turn.
        let turn = self.signing.clone().acquire_owned().await.ok();
        let signed = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            signer.sign(&mut doc).map(|()| doc)
        })
        .await
        .map_err(|e| ApiError::Core(CoreError::Storage(RepoError::backend("signing failed", e))))?;
        signed.map_err(|e| CoreError::IllegalOperation(format!("The API key's private key cannot sign: {e}")).into())
    }

    /// State over configured services.
    pub fn over(core: Core) -> Result<Self, PasswordError> {
        Ok(Self {
            auth: Authenticator::new(core.clone())?,
            core,
            sql_store: None,
            cors_origins: vec![crate::cors::ANY.into()],
            limits: Limits::default(),
            connections: Arc::new(Connections::default()),
            signing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
        })
    }

    /// The same state, knowing the SQL store under its core.
    pub fn with_database(self, store: Arc<SqlStore>) -> Self {
        Self { sql_store: Some(store), ..self }
    }

    /// The SQL store under the core, if it is one.
    pub fn sql_store(&self) -> Option<&Arc<SqlStore>> {
        self.sql_store.as_ref()
    }

    /// The database pool under the store, for readiness, pool metrics and bulk work (none over other stores).
    pub fn database(&self) -> Option<&sea_orm::DatabaseConnection> {
        self.sql_store.as_ref().map(|store| store.connection())
    }

    /// Closes the store's connections (at shutdown): its own connection for writes, then the pool.
    pub async fn close_database(&self) -> Result<(), sea_orm::DbErr> {
        let Some(store) = &self.sql_store else { return Ok(()) };
        store.close_writes().await?;
        store.connection().close_by_ref().await
    }

    /// The same state with these CORS origins.
    pub fn with_cors_origins(self, cors_origins: Vec<String>) -> Self {
        Self { cors_origins, ..self }
    }
}
