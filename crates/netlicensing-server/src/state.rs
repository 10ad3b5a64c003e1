//! What every request handler shares.

use std::sync::Arc;

use netlicensing_core::{Core, repo::Store};

use crate::{extract::auth::Authenticator, password::PasswordError};

/// Shared application state.
pub struct AppState {
    /// The domain services.
    pub core: Core,
    /// Credential checking.
    pub auth: Authenticator,
    /// The database pool under the store, for readiness and pool metrics (none over other stores).
    pub database: Option<sea_orm::DatabaseConnection>,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>) -> Result<Self, PasswordError> {
        Self::over(Core::new(store))
    }

    /// State over configured services.
    pub fn over(core: Core) -> Result<Self, PasswordError> {
        Ok(Self { auth: Authenticator::new(core.clone())?, core, database: None })
    }

    /// The same state, knowing the database pool under its store.
    pub fn with_database(self, database: sea_orm::DatabaseConnection) -> Self {
        Self { database: Some(database), ..self }
    }
}
