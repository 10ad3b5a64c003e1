//! Signing of webhook requests, in the Standard Webhooks scheme.
//!
//! Every request carries `webhook-id` (the event id: the same on every attempt, for de-duplication),
//! `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature: v1,<base64>`, the HMAC-SHA256 of
//! `<id>.<timestamp>.<body>` keyed with the notification's secret (`whsec_<base64 key>`: the key is the
//! base64-decoded part after the prefix).

use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header with the event id.
pub const ID: &str = "webhook-id";
/// The header with the attempt's time.
pub const TIMESTAMP: &str = "webhook-timestamp";
/// The header with the signature.
pub const SIGNATURE: &str = "webhook-signature";

/// The key of a secret: the base64 after `whsec_` (or the secret's bytes, if it is not in that form).
fn key(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b64| STANDARD.decode(b64).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// The `webhook-signature` value of a request.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = key(secret);
    // HMAC takes keys of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else { return String::new() };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_test_vector() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
