//! `GET /core/v2/rest/openapi.json`: the OpenAPI document of the route table, without credentials. It is the
//! same text `cargo xtask codegen` commits as `docs/openapi.json`.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use netlicensing_model::api;

/// The document, rendered once.
pub fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| api::openapi::text(&api::routes()))
}

/// Answers the document.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(text())
}
