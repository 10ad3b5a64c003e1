//! HTTPS through rustls: certificates are verified, and a trusted server works end to end.
//! The server is a one-thread rustls server with a test CA (`tls/ca.pem`, leaf for 127.0.0.1 in `tls/cert.pem`).

use std::{
    io::{Read, Write},
    net::TcpListener,
    sync::Arc,
};

use netlicensing_client::{
    Context, Error, Format, RetryPolicy,
    entity::{Entity, Product},
    model::Document,
};
use rustls::{
    ServerConfig, ServerConnection, StreamOwned,
    pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
};

const CA: &[u8] = include_bytes!("tls/ca.pem");
const CERT: &[u8] = include_bytes!("tls/cert.pem");
const KEY: &[u8] = include_bytes!("tls/key.pem");

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Serves `connections` TLS connections on a random port, answering each request with a product document.
/// Returns the base URL.
fn https_server(connections: usize) -> String {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT).collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://127.0.0.1:{}/core/v2/rest", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((tcp, _)) = listener.accept() else { return };
            let mut tls = StreamOwned::new(ServerConnection::new(config.clone()).unwrap(), tcp);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            if !head.ends_with(b"\r\n\r\n") {
                continue; // the client refused the handshake
            }
            let product = Product { number: "P-TLS".into(), active: true, ..Product::default() };
            let body = Format::Xml.encode(&Document::with_items(vec![product.to_item()]));
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n";
            let answer = format!("{head}Content-Length: {}\r\n\r\n{body}", body.len());
            tls.write_all(answer.as_bytes()).ok();
            tls.conn.send_close_notify();
            tls.flush().ok();
        }
    });
    base
}

#[tokio::test]
async fn unknown_certificate_authorities_are_refused() {
    let base = https_server(1);
    let context = Context::builder().base_url(base).retry(RetryPolicy::NONE).build().unwrap();
    let error = context.products().get("P-TLS").await.expect_err("the test CA is not a platform root");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.to_string().ends_with("(invalid peer certificate: UnknownIssuer)"), "{error}");
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(&error);
    while let Some(e) = source {
        chain.push_str(&format!("{e} / "));
        source = e.source();
    }
    assert!(chain.contains("invalid peer certificate: UnknownIssuer"), "{chain}");
}

#[tokio::test]
async fn a_trusted_https_server_answers_through_a_custom_http_client() {
    let base = https_server(1);
    let ca = netlicensing_client::reqwest::Certificate::from_pem(CA).unwrap();
    let http = netlicensing_client::reqwest::Client::builder().tls_certs_merge([ca]).build().unwrap();
    let context = Context::builder().base_url(base).http_client(http).retry(RetryPolicy::NONE).build().unwrap();
    let product = context.products().get("P-TLS").await.unwrap();
    assert_eq!(product.number, "P-TLS");
}
