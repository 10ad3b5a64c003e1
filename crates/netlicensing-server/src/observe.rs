//! What every request passes through: a request id (the client's `X-Request-Id` when it is a sane token, else
//! a new UUID, echoed in the response), one access-log line (method, route template, status, duration,
//! vendor number, request id; never credentials, query strings or bodies), the request metrics, and the one
//! log line of each server error with its chain of sources.

use std::{sync::Arc, time::Instant};

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
};

use crate::{error::ApiError, metrics::Metrics};

/// The request id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id of a request (in its extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The number of the vendor a request was authenticated as (in its extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorNumber(pub String);

/// The error behind a 5xx answer (in the response's extensions), logged once by [`observe`].
#[derive(Debug, Clone)]
pub struct ServerFailure(pub ApiError);

/// What [`observe`] does besides the request id.
#[derive(Debug, Clone, Default)]
pub struct Observer {
    /// Log a line per request.
    pub access_log: bool,
    /// Count requests.
    pub metrics: Option<Arc<Metrics>>,
}

/// A client's request id, if it is 1 to 128 characters of letters, digits and `-_.:` (anything else could
/// forge log lines and is replaced).
fn accepted(value: &HeaderValue) -> Option<&str> {
    let text = value.to_str().ok()?;
    let sane = (1..=128).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    sane.then_some(text)
}

/// A new request id: a random (version 4) UUID, from the thread's fast generator (an id must be unique, not
/// secret, so it needs no system call per request).
pub fn new_request_id() -> String {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid().hyphenated().to_string()
}

/// The middleware (`actix_web::middleware::from_fn(observe)`); its [`Observer`] is app data.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let started = Instant::now();
    let observer = req.app_data::<actix_web::web::Data<Observer>>().cloned();
    let id = req.headers().get(&REQUEST_ID).and_then(accepted).map_or_else(new_request_id, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    // Extractor and handler errors arrive as responses (actix converts them inside the route).
    let mut res = next.call(req).await?;
    let status = res.status();
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    let request = res.request();
    let route = request.match_pattern();
    let route = route.as_deref().unwrap_or("unmatched");
    let method = request.method().as_str();
    if let Some(ServerFailure(error)) = res.response().extensions().get::<ServerFailure>() {
        let chain = crate::logging::chain(error);
        if status == actix_web::http::StatusCode::SERVICE_UNAVAILABLE {
            // Busy: the client was told to retry; a warning, not a fault.
            tracing::warn!(request_id = %id, method, route, status = status.as_u16(), error = %chain, "request busy");
        } else {
            tracing::error!(request_id = %id, method, route, status = status.as_u16(), error = %chain, "request failed");
        }
    }
    let Some(observer) = observer else { return Ok(res) };
    let elapsed = started.elapsed();
    if let Some(metrics) = &observer.metrics {
        metrics.request(route, request.method(), status.as_u16(), elapsed.as_secs_f64());
    }
    if observer.access_log {
        let extensions = request.extensions();
        let vendor = extensions.get::<VendorNumber>().map_or("-", |v| v.0.as_str());
        tracing::info!(
            target: "netlicensing::access",
            method,
            route,
            status = status.as_u16(),
            duration_ms = (elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0,
            vendor,
            request_id = %id,
            "request"
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use actix_web::{App, HttpResponse, middleware::from_fn, test as web_test, web};
    use netlicensing_core::{CoreError, RepoError};
    use netlicensing_model::Format;

    use super::*;

    /// A log writer into memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn failing() -> HttpResponse {
        let error = ApiError::from(CoreError::from(RepoError::Failure("disk on fire".into())));
        assert_eq!(error.message(), "Internal service error");
        crate::reply::error_response(Format::Json, &error)
    }

    #[actix_web::test]
    async fn a_server_error_is_logged_once_with_its_detail_and_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let observer = web::Data::new(Observer { access_log: true, metrics: None });
        let app = web_test::init_service(
            App::new().app_data(observer).wrap(from_fn(observe)).route("/fail/{number}", web::get().to(failing)),
        )
        .await;
        let req =
            web_test::TestRequest::get().uri("/fail/7?secret=x").insert_header(("X-Request-Id", "rid-1")).to_request();
        let res = web_test::call_service(&app, req).await;
        assert_eq!(res.status(), 500);
        assert_eq!(res.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()), Some("rid-1"));
        let body = web_test::read_body(res).await;
        assert!(!String::from_utf8_lossy(&body).contains("disk on fire"), "the client sees no detail");
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert_eq!(log.matches("disk on fire").count(), 1, "{log}");
        let failure = log.lines().find(|l| l.contains("disk on fire")).unwrap();
        assert!(failure.contains("ERROR") && failure.contains("rid-1") && failure.contains("/fail/{number}"), "{log}");
        let access = log.lines().find(|l| l.contains("netlicensing::access")).expect("an access line");
        assert!(access.contains("status=500") && access.contains("request_id=rid-1"), "{access}");
        assert!(!log.contains("secret=x"), "no query strings in the log: {log}");
    }

    async fn typed(number: web::Path<u32>) -> HttpResponse {
        HttpResponse::Ok().body(number.to_string())
    }

    #[actix_web::test]
    async fn errors_of_extractors_get_a_request_id_too() {
        let observer = web::Data::new(Observer { access_log: false, metrics: None });
        let app = web_test::init_service(
            App::new().app_data(observer).wrap(from_fn(observe)).route("/typed/{number}", web::get().to(typed)),
        )
        .await;
        let res = web_test::call_service(&app, web_test::TestRequest::get().uri("/typed/abc").to_request()).await;
        assert!(res.status().is_client_error(), "{}", res.status());
        assert!(res.headers().contains_key(&REQUEST_ID));
    }

    #[test]
    fn client_ids_are_kept_only_when_sane() {
        assert_eq!(accepted(&HeaderValue::from_static("abc-123.x:y_z")), Some("abc-123.x:y_z"));
        assert_eq!(accepted(&HeaderValue::from_static("two words")), None);
        assert_eq!(accepted(&HeaderValue::from_static("")), None);
        assert_eq!(accepted(&HeaderValue::from_str(&"a".repeat(129)).unwrap()), None);
        let id = new_request_id();
        assert_eq!((id.len(), &id[14..15]), (36, "4"));
        assert_ne!(id, new_request_id());
    }
}
