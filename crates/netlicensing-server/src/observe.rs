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

/// A new request id: a random (version 4) UUID.
pub fn new_request_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Without the system's randomness ids stay unique within the process: a counter and the time.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        bytes[..8].copy_from_slice(&count.to_be_bytes());
        bytes[8..].copy_from_slice(&nanos.to_be_bytes());
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
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
        tracing::error!(
            request_id = %id,
            method,
            route,
            status = status.as_u16(),
            error = %crate::logging::chain(error),
            "request failed"
        );
    }
    let Some(observer) = observer else { return Ok(res) };
    let elapsed = started.elapsed();
    if let Some(metrics) = &observer.metrics {
        metrics.request(route, method, status.as_u16(), elapsed.as_secs_f64());
    }
    if observer.access_log {
        let extensions = request.extensions();
        let vendor = extensions.get::<VendorNumber>().map_or("-", |v| v.0.as_str());
        tracing::info!(
            target: "netlicensing::access",
            method,
            route,
            status = status.as_u16(),
            duration_ms = elapsed.as_secs_f64() * 1000.0,
            vendor,
            request_id = %id,
            "request"
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

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
