//! The web console mounted on the server: its accounts are the API's credentials (the same authenticator:
//! Argon2id bounds, per-login throttling, the one-minute cache), its sessions live in the database.

use std::{net::IpAddr, sync::Arc};

use actix_web::web;
use async_trait::async_trait;
use netlicensing_core::Caller;
use netlicensing_web::{Accounts, Console, MemorySessions, SessionPolicy, SessionStore, SignInError};

use crate::{error::ApiError, extract::auth::THROTTLED, password, state::AppState};

/// The vendor accounts of the server, as the console signs in with them.
pub struct ServerAccounts(pub web::Data<AppState>);

fn refused(error: ApiError) -> SignInError {
    match error {
        ApiError::Unauthorized(message) if message == THROTTLED => SignInError::Throttled,
        ApiError::Unauthorized(_) => SignInError::Invalid,
        ApiError::Busy(_) => SignInError::Busy,
        other => SignInError::Failed(other.to_string()),
    }
}

#[async_trait]
impl Accounts for ServerAccounts {
    async fn sign_in(&self, login: &str, password: &str, address: IpAddr) -> Result<Caller, SignInError> {
        if login == "apiKey" {
            // API keys are for programs; the console is for the vendor's own login.
            return Err(SignInError::Invalid);
        }
        self.0.auth.verify_login(login.to_owned(), password.to_owned(), address).await.map_err(refused)
    }

    async fn change_password(&self, login: &str, current: &str, new: &str, address: IpAddr) -> Result<(), SignInError> {
        self.sign_in(login, current, address).await?;
        let hash = password::hash(new).map_err(|e| SignInError::Failed(e.to_string()))?;
        let store = self.0.core.store();
        match store.set_password_hash(login, &hash).await {
            Ok(true) => {
                self.0.auth.forget_verified();
                Ok(())
            }
            Ok(false) => Err(SignInError::Invalid),
            Err(e) => Err(SignInError::Failed(e.to_string())),
        }
    }
}

/// The console over the server's state: sessions in the database when there is one, else in memory.
pub fn console(state: &web::Data<AppState>, policy: SessionPolicy) -> web::Data<Console> {
    let sessions: Arc<dyn SessionStore> = match state.sql_store() {
        Some(store) => store.clone(),
        None => Arc::new(MemorySessions::default()),
    };
    let accounts = Arc::new(ServerAccounts(state.clone()));
    web::Data::new(Console::new(state.core.clone(), accounts, sessions, policy))
}
