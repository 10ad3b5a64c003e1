//! Rendering: templates to responses, the embedded assets, and the headers every web answer carries.

use actix_web::{HttpResponse, http::header, middleware::DefaultHeaders, web};
use askama::Template;

use crate::error::WebError;

/// The content type of pages.
pub const HTML: &str = "text/html; charset=utf-8";

/// The console's stylesheet, compiled into the binary (no CDN: the console works air-gapped).
const CONSOLE_CSS: &str = include_str!("../assets/console.css");

/// The customer pages' stylesheet (shop and portal), compiled into the binary as well.
const CUSTOMER_CSS: &str = include_str!("../assets/customer.css");

/// The policy of every page: no scripts at all, styles and images only from this server, forms only to it,
/// never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// The headers of web answers: the content security policy and its companions; pages are never cached
/// (`no-store`: they show one vendor's data), assets for an hour.
pub fn headers(pages: bool) -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::CACHE_CONTROL, if pages { "no-store" } else { "public, max-age=3600" }))
}

/// A rendered page, 200.
pub fn page(template: &impl Template) -> Result<HttpResponse, WebError> {
    page_with(actix_web::http::StatusCode::OK, template)
}

/// A rendered page with a status (a form shown again with its errors is 400 or 409, say).
pub fn page_with(status: actix_web::http::StatusCode, template: &impl Template) -> Result<HttpResponse, WebError> {
    Ok(HttpResponse::build(status).content_type(HTML).body(template.render()?))
}

/// `303 See Other` to a location (after a form post, and to the sign-in page).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// `GET /assets/{name}`: an embedded asset, or 404.
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match name.as_str() {
        "console.css" => HttpResponse::Ok().content_type("text/css; charset=utf-8").body(CONSOLE_CSS),
        "customer.css" => HttpResponse::Ok().content_type("text/css; charset=utf-8").body(CUSTOMER_CSS),
        _ => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("no such asset"),
    }
}
