//! What every request handler shares.

use std::sync::Arc;

use netlicensing_core::{Core, repo::Store};

use crate::{
    extract::auth::Authenticator,
    guard::{Connections, Limits},
};

/// Shared application state.
pub struct AppState {
    /// The domain services.
    pub core: Core,
    /// Credential checking.
    pub auth: Authenticator,
    /// How long requests may take to arrive, and connections per client address.
    pub limits: Limits,
    /// Open connections per client address.
    pub connections: Arc<Connections>,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>) -> Result<Self, String> {
        Self::over(Core::new(store))
    }

    /// The same state with other request limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// State over configured services.
    pub fn over(core: Core) -> Result<Self, String> {
        Ok(Self {
            auth: Authenticator::new(core.clone())?,
            core,
            limits: Limits::default(),
            connections: Arc::new(Connections::default()),
        })
    }
}
