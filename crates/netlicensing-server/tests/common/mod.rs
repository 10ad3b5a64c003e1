//! Helpers for talking to a [`TestServer`] over HTTP in either format.

pub mod process;

use netlicensing_model::{Document, Format, codec::Form, info::ErrorId};
pub use netlicensing_server::testing::{Backend, TestServer};

/// An HTTP client of the test server with one vendor's credentials and one answer format.
pub struct Api<'a> {
    pub server: &'a TestServer,
    pub format: Format,
    login: Option<(String, String)>,
    http: reqwest::Client,
}

/// An answer: status and document (empty for 204).
pub struct Answer {
    pub status: u16,
    pub doc: Document,
}

impl Answer {
    /// The first item's property.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.doc.items().first().and_then(|item| item.property(name))
    }

    /// Asserts an error answer with that status and error id.
    pub fn assert_error(&self, status: u16, id: ErrorId) {
        assert_eq!(self.status, status, "{:?}", self.doc);
        let error = self.doc.errors().next().unwrap_or_else(|| panic!("no error info: {:?}", self.doc));
        assert_eq!(error.id.as_deref(), Some(id.as_str()), "{:?}", self.doc);
        assert!(!error.value.is_empty());
    }
}

impl<'a> Api<'a> {
    /// The demo vendor's client.
    pub fn demo(server: &'a TestServer, format: Format) -> Self {
        Self::login(server, format, "demo", "demo")
    }

    /// A client with Basic credentials.
    pub fn login(server: &'a TestServer, format: Format, login: &str, password: &str) -> Self {
        Self { server, format, login: Some((login.into(), password.into())), http: reqwest::Client::new() }
    }

    /// A client without credentials.
    pub fn anonymous(server: &'a TestServer, format: Format) -> Self {
        Self { server, format, login: None, http: reqwest::Client::new() }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, self.server.url(path));
        if let Some((login, password)) = &self.login {
            request = request.basic_auth(login, Some(password));
        }
        request.header("Accept", self.format.media_type())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap_or("").to_owned());
        let body = response.bytes().await.expect("body read");
        if status == 204 {
            assert!(body.is_empty(), "204 with a body");
            return Answer { status, doc: Document::default() };
        }
        let expected = self.format.media_type();
        assert!(content_type.as_deref().is_some_and(|c| c.starts_with(expected)), "content type {content_type:?}");
        let doc =
            self.format.decode(&body).unwrap_or_else(|e| panic!("{status}: {e}: {}", String::from_utf8_lossy(&body)));
        Answer { status, doc }
    }

    /// GET with query parameters.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    /// POST form parameters.
    pub async fn post(&self, path: &str, form: &str) -> Answer {
        let body = Form::parse(form).encode();
        let request = self
            .request(reqwest::Method::POST, path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// POST a raw body with a content type.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
        self.send(self.request(reqwest::Method::POST, path).header("Content-Type", content_type).body(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    /// Any method.
    pub async fn method(&self, method: reqwest::Method, path: &str) -> Answer {
        self.send(self.request(method, path)).await
    }
}

/// Runs a test body on every available backend, in both formats.
#[macro_export]
macro_rules! each_backend_and_format {
    ($body:expr) => {
        for backend in $crate::common::Backend::available() {
            let server = $crate::common::TestServer::start(backend).await;
            for format in netlicensing_model::Format::ALL {
                $body(&server, format).await;
            }
            server.stop().await;
        }
    };
}
