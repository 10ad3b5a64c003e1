//! Cross-origin requests to the REST API (the JavaScript client runs in browsers): preflights are answered and
//! answers carry `Access-Control-*` headers for the configured origins. The API authenticates by the
//! `Authorization` header, never by cookie, so credentials mode is not offered and any origin may be allowed.
//! Only the API scope is wrapped; nothing outside `/core/v2/rest` gets CORS headers.

use actix_cors::Cors;
use actix_web::http::{Method, Uri, header};

/// Every origin (the default).
pub const ANY: &str = "*";

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: usize = 3600;

/// The CORS middleware of the API for the origins (`*` for any); `None` when no origin is allowed.
pub fn middleware(origins: &[String]) -> Option<Cors> {
    if origins.is_empty() {
        return None;
    }
    let mut cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allowed_headers([header::AUTHORIZATION, header::ACCEPT, header::CONTENT_TYPE])
        .expose_headers([header::WWW_AUTHENTICATE, header::RETRY_AFTER, header::ALLOW])
        .max_age(PREFLIGHT_MAX_AGE)
        // An origin not allowed gets an answer without CORS headers (the browser withholds it), not an error.
        .block_on_origin_mismatch(false);
    if origins.iter().any(|origin| origin == ANY) {
        cors = cors.allow_any_origin().send_wildcard();
    } else {
        for origin in origins {
            cors = cors.allowed_origin(origin);
        }
    }
    Some(cors)
}

/// Whether a configured origin is usable: `*`, or `scheme://host[:port]` without a path.
pub fn valid_origin(origin: &str) -> bool {
    if origin == ANY {
        return true;
    }
    match origin.parse::<Uri>() {
        Ok(uri) => {
            uri.scheme().is_some()
                && uri.authority().is_some()
                && uri.path_and_query().is_none_or(|p| p.as_str().is_empty() || p.as_str() == "/")
                && !origin.ends_with('/')
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked() {
        assert!(valid_origin("*"));
        assert!(valid_origin("https://app.example.com"));
        assert!(valid_origin("http://localhost:3000"));
        assert!(!valid_origin("app.example.com"));
        assert!(!valid_origin("https://app.example.com/path"));
        assert!(!valid_origin("https://app.example.com/"));
        assert!(!valid_origin(""));
        assert!(middleware(&[]).is_none());
        assert!(middleware(&["*".into()]).is_some());
    }
}
