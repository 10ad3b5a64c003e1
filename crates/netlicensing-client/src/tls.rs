//! TLS for the built-in HTTP client: rustls with the platform's root certificates, and the application's default
//! crypto provider when it installed one (aws-lc-rs otherwise). No OpenSSL.
//!
//! The config is built here rather than by reqwest so that a machine without root certificates (a minimal
//! container talking to a local server over plain HTTP) still gets a client.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore, crypto::CryptoProvider};
use rustls_platform_verifier::BuilderVerifierExt;

use crate::error::{Error, Result};

/// The rustls config of the built-in client. With `https` false (a plain-HTTP base URL) a machine without root
/// certificates still gets a client; with `https` true that is a configuration error.
pub(crate) fn client_config(https: bool) -> Result<ClientConfig> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?;
    let mut config = match builder.clone().with_platform_verifier() {
        Ok(builder) => builder.with_no_client_auth(),
        Err(e) if https => return Err(Error::Config(format!("TLS root certificates: {e}"))),
        Err(_) => builder.with_root_certificates(RootCertStore::empty()).with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_config_builds_for_plain_http_anywhere() {
        let config = super::client_config(false).expect("config");
        assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
    }
}
