//! The extractors every console page starts with: [`Signed`] (a live session, else the browser goes to the
//! sign-in page) and [`Posted`] (a form post of a live session whose `csrf` field is the session's
//! synchronizer token). A POST handler that takes [`Posted`] cannot forget the CSRF check.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use netlicensing_core::Caller;
use netlicensing_model::codec::Form;

use crate::{
    Console,
    error::WebError,
    session::{COOKIE, SessionRow, same_secret},
};

/// The field of every form holding the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// Largest form body read (bytes).
pub const FORM_LIMIT: usize = 64 * 1024;

/// A signed-in vendor.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The session.
    pub session: SessionRow,
    /// The vendor as caller of core (every query is scoped to it).
    pub caller: Caller,
}

/// A form post of a signed-in vendor, its CSRF token checked.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The session.
    pub signed: Signed,
    /// The fields posted (with the token).
    pub form: Form,
}

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, WebError>>>>;

/// The console of the request's scope.
pub fn console(req: &HttpRequest) -> Result<web::Data<Console>, WebError> {
    req.app_data::<web::Data<Console>>()
        .cloned()
        .ok_or_else(|| WebError::Core(netlicensing_core::CoreError::IllegalOperation("no console here".into())))
}

async fn signed(req: &HttpRequest) -> Result<Signed, WebError> {
    let console = console(req)?;
    let cookie = req.cookie(COOKIE).ok_or(WebError::SignIn)?;
    let session = console.sessions.find(cookie.value()).await?.ok_or(WebError::SignIn)?;
    Ok(Signed { caller: session.caller(), session })
}

impl FromRequest for Signed {
    type Error = WebError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { signed(&req).await })
    }
}

impl FromRequest for Posted {
    type Error = WebError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let signed = signed(&req).await?;
            let body = body.await.map_err(|_| {
                WebError::Core(netlicensing_core::CoreError::Malformed(format!(
                    "The form is larger than {FORM_LIMIT} bytes"
                )))
            })?;
            let form = Form::parse_bytes(&body);
            let token = form.get(CSRF_FIELD).unwrap_or_default();
            if !same_secret(token, &signed.session.csrf) {
                return Err(WebError::Csrf);
            }
            Ok(Posted { signed, form })
        })
    }
}
