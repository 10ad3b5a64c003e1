//! CSRF protection for customer pages, which have no session: the double-submit cookie. A page with a form
//! takes a [`Csrf`] (the cookie's value, or a new random one), puts [`Csrf::token`] in the form's hidden
//! [`CSRF_FIELD`], and answers through [`Csrf::page`], which sets the cookie when it is new. The handler of the
//! post takes a [`CustomerForm`], which exists only when the field equals the cookie.
//!
//! A cross-site page cannot read the cookie (it is `HttpOnly`, and the browser keeps it from other sites), so it
//! cannot put the value in a form; `SameSite=Strict` keeps the cookie off cross-site posts as well, and a post
//! that a browser marks `Sec-Fetch-Site: cross-site` is refused outright. Behind an https public URL the cookie
//! is `Secure` and named `__Host-nlc_csrf`, so no other host (a sibling subdomain) can plant one.

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite},
    dev::Payload,
    http::StatusCode,
    web,
};
use askama::Template;
use netlicensing_model::codec::Form;

use super::{CustomerError, site};
use crate::{
    guard::FORM_LIMIT,
    render,
    session::{random_token, same_secret},
};

/// The form field carrying the token.
pub const CSRF_FIELD: &str = "csrf";

/// The cookie's name: `__Host-nlc_csrf` when cookies are `Secure`, else `nlc_csrf`.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-nlc_csrf" } else { "nlc_csrf" }
}

/// The CSRF token of a page that shows forms: the browser's cookie value, or a new one to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csrf {
    /// The value to put in the forms' hidden [`CSRF_FIELD`].
    pub token: String,
    fresh: bool,
    secure: bool,
}

/// Whether a cookie value is one of ours (64 hex digits).
fn well_formed(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Csrf {
    /// The token of a request.
    pub fn of(req: &HttpRequest) -> Result<Self, CustomerError> {
        let secure = site(req)?.secure;
        let existing = req.cookie(cookie_name(secure)).map(|c| c.value().to_owned()).filter(|v| well_formed(v));
        Ok(match existing {
            Some(token) => Self { token, fresh: false, secure },
            None => Self { token: random_token().map_err(CustomerError::Store)?, fresh: true, secure },
        })
    }

    /// The cookie carrying the token (a browser-session cookie, path `/` so shop and portal share it).
    pub fn cookie(&self) -> Cookie<'static> {
        Cookie::build(cookie_name(self.secure), self.token.clone())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .finish()
    }

    /// Sets the cookie on a response when the token is new.
    pub fn attach(&self, mut response: HttpResponse) -> HttpResponse {
        if self.fresh {
            // A cookie that cannot be added only costs the forms of this page; the post then says so.
            response.add_cookie(&self.cookie()).ok();
        }
        response
    }

    /// A rendered page (200) with the cookie.
    pub fn page(&self, template: &impl Template) -> Result<HttpResponse, CustomerError> {
        self.page_with(StatusCode::OK, template)
    }

    /// A rendered page with a status, with the cookie.
    pub fn page_with(&self, status: StatusCode, template: &impl Template) -> Result<HttpResponse, CustomerError> {
        Ok(self.attach(HttpResponse::build(status).content_type(render::HTML).body(template.render()?)))
    }
}

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, CustomerError>>>>;

impl FromRequest for Csrf {
    type Error = CustomerError;
    type Future = std::future::Ready<Result<Self, CustomerError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Csrf::of(req))
    }
}

/// A customer page's form post whose CSRF field equals the cookie.
#[derive(Debug, Clone)]
pub struct CustomerForm {
    /// The fields posted (with the token).
    pub form: Form,
    /// The token checked (for the page answered after the post).
    pub csrf: Csrf,
}

impl FromRequest for CustomerForm {
    type Error = CustomerError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let cross_site = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
            if cross_site {
                return Err(CustomerError::Csrf);
            }
            let secure = site(&req)?.secure;
            let cookie = req.cookie(cookie_name(secure)).map(|c| c.value().to_owned()).unwrap_or_default();
            let body = body.await.map_err(|_| CustomerError::TooLarge(FORM_LIMIT))?;
            let form = Form::parse_bytes(&body);
            let sent = form.get(CSRF_FIELD).unwrap_or_default();
            if !well_formed(&cookie) || !same_secret(sent, &cookie) {
                return Err(CustomerError::Csrf);
            }
            Ok(CustomerForm { form, csrf: Csrf { token: cookie, fresh: false, secure } })
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::{App, HttpResponse, test, web};

    use super::*;
    use crate::customer::CustomerSite;

    fn site(secure: bool) -> web::Data<CustomerSite> {
        let core =
            netlicensing_core::Core::new(std::sync::Arc::new(netlicensing_core::repo::memory::MemoryStore::new()));
        web::Data::new(CustomerSite { core, secure })
    }

    async fn shown(csrf: Csrf) -> HttpResponse {
        csrf.attach(HttpResponse::Ok().body(csrf.token.clone()))
    }

    async fn posted(form: CustomerForm) -> HttpResponse {
        HttpResponse::Ok().body(form.form.get("x").unwrap_or_default().to_owned())
    }

    #[actix_web::test]
    async fn a_post_needs_the_cookie_value_in_its_field() {
        let app = test::init_service(
            App::new().app_data(site(true)).route("/form", web::get().to(shown)).route("/form", web::post().to(posted)),
        )
        .await;
        let answer = test::call_service(&app, test::TestRequest::get().uri("/form").to_request()).await;
        let cookie = answer.response().cookies().next().unwrap().into_owned();
        assert_eq!(cookie.name(), "__Host-nlc_csrf");
        let text = cookie.to_string();
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        let token = cookie.value().to_owned();
        let post = |field: &str, cookie: Option<&str>, site: Option<&str>| {
            let mut request = test::TestRequest::post()
                .uri("/form")
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(format!("csrf={field}&x=1"));
            if let Some(value) = cookie {
                request = request.cookie(Cookie::new("__Host-nlc_csrf", value.to_owned()));
            }
            if let Some(value) = site {
                request = request.insert_header(("sec-fetch-site", value.to_owned()));
            }
            request.to_request()
        };
        let ok = test::call_service(&app, post(&token, Some(&token), Some("same-origin"))).await;
        assert_eq!(ok.status(), 200);
        let again = test::call_service(&app, test::TestRequest::get().uri("/form").cookie(cookie.clone()).to_request());
        assert!(again.await.response().cookies().next().is_none(), "a known cookie is kept, not set again");
        let other = "b".repeat(64);
        for (field, cookie, site) in [
            (token.as_str(), None, None),
            ("", Some(token.as_str()), None),
            (other.as_str(), Some(token.as_str()), None),
            ("short", Some("short"), None),
            (token.as_str(), Some(token.as_str()), Some("cross-site")),
        ] {
            let refused = test::call_service(&app, post(field, cookie, site)).await;
            assert_eq!(refused.status(), 403, "{field:?} {cookie:?} {site:?}");
        }
    }
}
