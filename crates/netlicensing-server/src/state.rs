//! What every request handler shares.

use std::sync::Arc;

use netlicensing_core::{Core, repo::Store};

use crate::extract::auth::Authenticator;

/// Shared application state.
pub struct AppState {
    /// The domain services.
    pub core: Core,
    /// Credential checking.
    pub auth: Authenticator,
    /// Origins allowed to call the API from a browser (`*` for any; none when empty).
    pub cors_origins: Vec<String>,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>) -> Result<Self, String> {
        Self::over(Core::new(store))
    }

    /// State over configured services.
    pub fn over(core: Core) -> Result<Self, String> {
        Ok(Self { auth: Authenticator::new(core.clone())?, core, cors_origins: vec![crate::cors::ANY.into()] })
    }

    /// The same state with these CORS origins.
    pub fn with_cors_origins(self, cors_origins: Vec<String>) -> Self {
        Self { cors_origins, ..self }
    }
}
