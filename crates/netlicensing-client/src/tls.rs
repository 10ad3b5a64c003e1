//! TLS for the built-in HTTP client: rustls with the `ring` provider and the platform's root certificates.
//!
//! reqwest is built with `rustls-no-provider`, so the crate pulls in neither OpenSSL nor aws-lc. The config is
//! handed to reqwest ready-made instead of installing a process-wide default provider, so an application that
//! installs its own provider (before building the context) keeps it.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore, crypto::CryptoProvider};
use rustls_platform_verifier::BuilderVerifierExt;

use crate::error::{Error, Result};

/// The rustls config of the built-in client. With `https` false (a plain-HTTP base URL) a machine without root
/// certificates still gets a client; with `https` true that is a configuration error.
pub(crate) fn client_config(https: bool) -> Result<ClientConfig> {
    let provider =
        CryptoProvider::get_default().cloned().unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
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
