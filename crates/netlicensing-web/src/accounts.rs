//! Vendor accounts as the pages need them: sign-in and password change. The server implements this with the
//! API's own credential checks (the same Argon2id hashing, verification bounds and per-login throttling), so a
//! browser gets no easier path to a password than the REST API.

use std::net::IpAddr;

use async_trait::async_trait;
use netlicensing_core::Caller;

/// Why a sign-in or password change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// Unknown login or wrong password (never which of the two).
    #[error("Unknown login or wrong password")]
    Invalid,
    /// Too many failed attempts for this login from this address.
    #[error("Too many failed sign-ins; try again in a few minutes")]
    Throttled,
    /// Too many verifications are queued.
    #[error("Too many sign-ins are being checked; try again in a moment")]
    Busy,
    /// The new password is not acceptable.
    #[error("{0}")]
    Rejected(String),
    /// The store or hashing failed.
    #[error("The account could not be checked: {0}")]
    Failed(String),
}

/// Vendor credentials: what the console signs in with.
#[async_trait]
pub trait Accounts: Send + Sync + 'static {
    /// The vendor with this login and password, asked from `address` (for throttling).
    async fn sign_in(&self, login: &str, password: &str, address: IpAddr) -> Result<Caller, SignInError>;

    /// Sets a new password after checking the current one; cached credentials of the old password are dropped.
    async fn change_password(&self, login: &str, current: &str, new: &str, address: IpAddr) -> Result<(), SignInError>;
}

/// Shortest password accepted by the console's password change.
pub const MIN_PASSWORD: usize = 8;

/// Checks a new password: at least [`MIN_PASSWORD`] characters, no NUL, the confirmation equal.
pub fn check_new_password(new: &str, confirm: &str) -> Result<(), SignInError> {
    if new != confirm {
        return Err(SignInError::Rejected("The two new passwords differ".into()));
    }
    if new.chars().count() < MIN_PASSWORD {
        return Err(SignInError::Rejected(format!("The new password needs at least {MIN_PASSWORD} characters")));
    }
    if new.contains('\0') {
        return Err(SignInError::Rejected("The new password may not contain a NUL character".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_checked() {
        assert!(check_new_password("long enough", "long enough").is_ok());
        assert!(matches!(check_new_password("long enough", "other one"), Err(SignInError::Rejected(_))));
        assert!(matches!(check_new_password("short", "short"), Err(SignInError::Rejected(_))));
        assert!(matches!(check_new_password("nul\0nul\0nul", "nul\0nul\0nul"), Err(SignInError::Rejected(_))));
    }
}
