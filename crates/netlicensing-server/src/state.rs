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
        let core = Core::new(store);
        Ok(Self { auth: Authenticator::new(core.clone())?, core })
    }
}
