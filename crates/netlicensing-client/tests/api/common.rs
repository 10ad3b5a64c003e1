//! Contexts for the test server, and a scripted HTTP stub that records what it receives.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use netlicensing_client::{Context, Error, ErrorId, Format, RetryPolicy, Security};
pub use netlicensing_server::testing::{Backend, TestServer};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

/// A context of the demo vendor on the test server.
pub fn demo(server: &TestServer, format: Format) -> Context {
    context(server, format, Security::basic("demo", "demo"))
}

/// A context on the test server with the given security.
pub fn context(server: &TestServer, format: Format, security: Security) -> Context {
    Context::builder()
        .base_url(server.url(""))
        .security(security)
        .format(format)
        .timeout(Duration::from_secs(20))
        .retry(RetryPolicy::NONE)
        .build()
        .expect("context")
}

/// Asserts an API error with that status and error id.
#[track_caller]
pub fn assert_api_error<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, id: ErrorId) -> Error {
    let error = result.expect_err("an error answer");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(error.status(), Some(status), "{error}");
    assert_eq!(error.error_id(), Some(id.as_str()), "{error}");
    assert!(!error.info().expect("an info").value.is_empty());
    error
}

/// Runs a scenario on every available backend, in both formats, one server per backend.
#[macro_export]
macro_rules! each_backend_and_format {
    ($body:expr) => {
        for backend in $crate::common::Backend::available() {
            let server = $crate::common::TestServer::start(backend).await;
            for format in netlicensing_client::Format::ALL {
                $body(&server, format).await;
            }
            server.stop().await;
        }
    };
}

/// One canned answer of the stub.
#[derive(Clone)]
pub struct Canned {
    /// 0 answers nothing for a few seconds (a hanging server).
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Canned {
    /// An answer with a body of that content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Self { status, headers: vec![("Content-Type", content_type.to_owned())], body: body.into() }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// An HTTP/1.1 server on a random local port answering each request with the next canned answer (the last
/// one repeats) and closing the connection. Keeps every request head and body.
pub struct Stub {
    pub base: String,
    pub requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    pub async fn start(answers: Vec<Canned>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/core/v2/rest", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            let mut served = 0usize;
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let Some(request) = read_request(&mut socket).await else { continue };
                seen.lock().unwrap().push(request);
                let answer = &answers[served.min(answers.len() - 1)];
                served += 1;
                if answer.status == 0 {
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        drop(socket);
                    });
                    continue;
                }
                let mut text = format!("HTTP/1.1 {} Status\r\nConnection: close\r\n", answer.status);
                for (name, value) in &answer.headers {
                    text.push_str(&format!("{name}: {value}\r\n"));
                }
                text.push_str(&format!("Content-Length: {}\r\n\r\n{}", answer.body.len(), answer.body));
                socket.write_all(text.as_bytes()).await.ok();
                socket.shutdown().await.ok();
            }
        });
        Stub { base, requests, task }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(text);
            }
        }
    }
}
