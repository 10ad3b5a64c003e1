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
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>) -> Result<Self, String> {
        Self::over(Core::new(store))
    }

    /// State over configured services.
    pub fn over(core: Core) -> Result<Self, String> {
        Ok(Self { auth: Authenticator::new(core.clone())?, core })
    }
}
