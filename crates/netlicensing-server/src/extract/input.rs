//! Request parameters: the query string, plus a form-encoded body on POST and PUT (query first). The body is
//! read here, with a size limit, so that every refusal is answered in the API's own error format.

use actix_web::{HttpRequest, http::header, web};
use futures_util::StreamExt;
use netlicensing_model::codec::Form;

use crate::error::ApiError;

/// Largest request body accepted.
pub const MAX_BODY: usize = 256 * 1024;

/// The query string's parameters.
pub fn query(req: &HttpRequest) -> Form {
    Form::parse(req.query_string())
}

/// The query string's parameters followed by those of a form-encoded body.
pub async fn form(req: &HttpRequest, mut payload: web::Payload) -> Result<Form, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::PayloadTooLarge(MAX_BODY));
        }
        body.extend_from_slice(&chunk);
    }
    let mut form = query(req);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(form);
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(ApiError::UnsupportedMediaType(content_type.to_owned()));
    }
    form.extend(Form::parse_bytes(&body));
    Ok(form)
}
