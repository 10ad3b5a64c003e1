//! Vendor passwords: Argon2id (19 MiB, 2 passes, 1 lane), stored as PHC strings, never in clear.
//!
//! The server verifies into memory it keeps ([`verify_in`]): each Argon2id run needs 19 MiB, and allocating it
//! afresh on whichever thread runs the verification leaves that much behind in every thread's allocator arena.

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The system's randomness failed (no salt or key).
    #[error("no random bytes from the operating system")]
    Random(#[source] getrandom::Error),
    /// Argon2 refused.
    #[error("the password could not be hashed")]
    Hash(#[source] argon2::password_hash::Error),
}

fn argon2() -> Argon2<'static> {
    #[allow(clippy::expect_used)]
    let params = Params::new(19 * 1024, 2, 1, None).expect("the constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(PasswordError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(PasswordError::Hash)?;
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(PasswordError::Hash)
}

/// True when the password matches the stored hash (false for a malformed hash).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Working memory of one Argon2 verification, reused from one verification to the next.
#[derive(Default)]
pub struct Memory(Vec<Block>);

impl Memory {
    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.0.capacity() * Block::SIZE
    }
}

/// Like [`verify`], but computing in `memory` (grown to the hash's cost once, then reused).
pub fn verify_in(password: &str, stored: &str, memory: &mut Memory) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else { return false };
    let Ok(params) = Params::try_from(&parsed) else { return false };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else { return false };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    memory.0.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    if argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory.0[..]).is_err() {
        return false;
    }
    // `Output`'s equality is constant-time.
    argon2::password_hash::Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_in_kept_memory_agrees_and_reuses_it() {
        let stored = hash("demo").unwrap();
        let mut memory = Memory::default();
        assert!(verify_in("demo", &stored, &mut memory));
        let held = memory.bytes();
        assert_eq!(held, 19 * 1024 * 1024);
        assert!(!verify_in("Demo", &stored, &mut memory));
        assert!(!verify_in("demo", "not a hash", &mut memory));
        assert_eq!(memory.bytes(), held, "the memory is reused, not grown");
    }

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("demo").unwrap();
        let b = hash("demo").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_ne!(a, b);
        assert!(verify("demo", &a));
        assert!(!verify("Demo", &a));
        assert!(!verify("demo", "not a hash"));
    }
}
