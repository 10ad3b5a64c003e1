//! Request parameters: the query string, plus a form-encoded body on POST and PUT (query first). The body is
//! read here, with a size limit and a time limit, so that every refusal is answered in the API's own error
//! format: a declared length over the limit is refused before anything is read, a body that does not arrive in
//! time gets 408, and a NUL byte in any parameter is a 400 (no stored value may hold one).

use actix_web::{HttpRequest, http::header, web};
use futures_util::StreamExt;
use netlicensing_model::codec::Form;

use netlicensing_core::CoreError;

use crate::{error::ApiError, guard::Limits, state::AppState};

/// Largest request body accepted.
pub const MAX_BODY: usize = 256 * 1024;

/// The query string's parameters.
pub fn query(req: &HttpRequest) -> Form {
    Form::parse(req.query_string())
}

/// The query string's parameters followed by those of a form-encoded body.
pub async fn form(req: &HttpRequest, mut payload: web::Payload) -> Result<Form, ApiError> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(ApiError::PayloadTooLarge(MAX_BODY));
    }
    let timeout =
        req.app_data::<web::Data<AppState>>().map_or_else(|| Limits::default().body_timeout, |s| s.limits.body_timeout);
    let deadline = tokio::time::Instant::now() + timeout;
    let mut body = web::BytesMut::new();
    loop {
        let next = tokio::time::timeout_at(deadline, payload.next())
            .await
            .map_err(|_| ApiError::RequestTimeout(timeout.as_secs()))?;
        let Some(chunk) = next else { break };
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
    let posted = Form::parse_bytes(&body);
    if let Some((key, _)) = posted.pairs().find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        let message = format!("The parameter '{}' contains a NUL byte", key.replace('\0', "\\0"));
        return Err(CoreError::Malformed(message).into());
    }
    form.extend(posted);
    Ok(form)
}
