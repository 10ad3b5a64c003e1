//! One API call over HTTP: URL, headers, credentials, form body, retries, and reading the answer document.

use std::time::Duration;

use netlicensing_model::{Document, Format, codec::Form};
use reqwest::{
    Method, Url,
    header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER, USER_AGENT},
};

use crate::{
    context::{Context, Security},
    error::{Error, Result},
};

/// Media type of request bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// How much of an unreadable error body an [`Error::Http`] keeps.
const BODY_EXCERPT: usize = 512;

/// A successful answer: its status and document (empty for 204).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) doc: Document,
}

/// What came back from one attempt.
struct Raw {
    status: u16,
    content_type: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Context {
    /// GET with query parameters.
    pub(crate) async fn get(&self, path: &[&str], query: &Form) -> Result<Answer> {
        self.call(Method::GET, path, query, None).await
    }

    /// POST with form parameters.
    pub(crate) async fn post(&self, path: &[&str], form: &Form) -> Result<Answer> {
        self.call(Method::POST, path, &Form::new(), Some(form)).await
    }

    /// DELETE with query parameters.
    pub(crate) async fn delete(&self, path: &[&str], query: &Form) -> Result<Answer> {
        self.call(Method::DELETE, path, query, None).await
    }

    /// Sends a request to `base/segment/segment…?query`, retrying idempotent ones as the policy says.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &[&str],
        query: &Form,
        form: Option<&Form>,
    ) -> Result<Answer> {
        let url = self.url(path, query)?;
        let body = form.map(Form::encode);
        let idempotent = matches!(method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS);
        let policy = self.inner.retry;
        let mut retry = 0;
        loop {
            let outcome = self.attempt(&method, &url, body.as_deref()).await;
            let delay = if idempotent && retry < policy.max_retries {
                match &outcome {
                    Ok(raw) if raw.status == 429 || (500..600).contains(&raw.status) => {
                        Some(raw.retry_after.map_or(policy.backoff(retry), |hint| hint.min(policy.max_backoff)))
                    }
                    Err(e) if e.is_connect() || e.is_timeout() => Some(policy.backoff(retry)),
                    _ => None,
                }
            } else {
                None
            };
            match delay {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    retry += 1;
                }
                None => return self.read(outcome?),
            }
        }
    }

    /// The URL of a path under the base URL; every segment is percent-encoded and must not be empty.
    fn url(&self, path: &[&str], query: &Form) -> Result<Url> {
        if let Some(position) = path.iter().position(|segment| segment.trim().is_empty()) {
            let what = path.get(position.wrapping_sub(1)).copied().unwrap_or("path");
            return Err(Error::InvalidArgument(format!("the number after '{what}' must not be empty")));
        }
        let mut url = self.inner.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config(format!("base URL '{}' cannot have a path", self.inner.base_url)))?
            .pop_if_empty()
            .extend(path);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.pairs());
        }
        Ok(url)
    }

    /// One attempt: send, then read the whole body.
    async fn attempt(&self, method: &Method, url: &Url, body: Option<&str>) -> Result<Raw, reqwest::Error> {
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .timeout(self.inner.timeout)
            .header(USER_AGENT, crate::context::USER_AGENT)
            .header(ACCEPT, self.inner.format.media_type());
        request = match &self.inner.security {
            Security::Anonymous => request,
            Security::Basic { username, password } => request.basic_auth(username, Some(password)),
            Security::ApiKey(key) => request.basic_auth("apiKey", Some(key)),
        };
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, FORM).body(body.to_owned());
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
        let retry_after = retry_after(headers);
        let body = response.bytes().await?.to_vec();
        Ok(Raw { status, content_type, retry_after, body })
    }

    /// Reads an answer: the document of a 2xx, or the error it stands for.
    fn read(&self, raw: Raw) -> Result<Answer> {
        let format = match raw.content_type.as_deref() {
            Some(c) if c.contains("json") => Format::Json,
            Some(c) if c.contains("xml") => Format::Xml,
            _ => self.inner.format,
        };
        let status = raw.status;
        if (200..300).contains(&status) {
            if status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(Answer { status, doc: Document::default() });
            }
            let doc = format.decode(&raw.body).map_err(|source| Error::Decode { status, source })?;
            return Ok(Answer { status, doc });
        }
        match format.decode(&raw.body) {
            Ok(doc) => Err(Error::Api { status, infos: doc.infos }),
            Err(_) => {
                let text = String::from_utf8_lossy(&raw.body);
                let end = text.char_indices().nth(BODY_EXCERPT).map_or(text.len(), |(i, _)| i);
                Err(Error::Http { status, body: text[..end].trim().to_owned() })
            }
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context::builder().base_url("http://127.0.0.1:9/core/v2/rest").build().expect("context")
    }

    #[test]
    fn urls_encode_segments_and_the_filter() {
        let mut query = Form::new();
        query.push("filter", "licenseeNumber=I 1;page=0");
        let url = context().url(&["licensee", "I 1/ü", "validate"], &query).expect("url");
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/core/v2/rest/licensee/I%201%2F%C3%BC/validate?filter=licenseeNumber%3DI+1%3Bpage%3D0"
        );
        let error = context().url(&["product", ""], &Form::new()).expect_err("empty number");
        assert!(error.to_string().contains("after 'product'"), "{error}");
    }

    #[test]
    fn error_answers_keep_infos_or_the_body() {
        let raw = Raw {
            status: 404,
            content_type: Some("application/json".into()),
            retry_after: None,
            body: br#"{"infos":{"info":[{"value":"Not there","id":"NotFoundException","type":"ERROR"}]}}"#.to_vec(),
        };
        let error = context().read(raw).expect_err("404");
        assert_eq!((error.status(), error.error_id()), (Some(404), Some("NotFoundException")));
        let raw =
            Raw { status: 502, content_type: Some("text/html".into()), retry_after: None, body: b"<h1>x".to_vec() };
        assert!(matches!(context().read(raw), Err(Error::Http { status: 502, ref body }) if body == "<h1>x"));
        let raw = Raw { status: 204, content_type: None, retry_after: None, body: Vec::new() };
        assert_eq!(context().read(raw).expect("204").doc, Document::default());
    }
}
