//! Signing in and out, and the account page (password change).

use std::net::IpAddr;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use netlicensing_model::codec::Form;

use super::Nav;
use crate::{
    SignInError,
    accounts::check_new_password,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{self, Posted, Signed},
    render,
    session::{COOKIE, random_token, same_secret},
};

/// The cookie holding the sign-in form's token until a session exists (a double-submit token: the form's
/// field must equal it, which a cross-site form cannot arrange).
const SIGN_IN_COOKIE: &str = "nlc_signin";

/// Registers sign-in, sign-out and the account page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/sign-in", web::get().to(sign_in_form))
        .route("/sign-in", web::post().to(sign_in))
        .route("/sign-out", web::post().to(sign_out))
        .route("/account", web::get().to(account))
        .route("/account/password", web::post().to(change_password));
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    nav: Option<Nav>,
    csrf: String,
    login: String,
    error: Option<String>,
}

/// `GET /console/sign-in`: the form (or the console, when signed in already).
async fn sign_in_form(req: HttpRequest) -> Result<HttpResponse, WebError> {
    let console = guard::console(&req)?;
    if let Some(cookie) = req.cookie(COOKIE)
        && console.sessions.find(cookie.value()).await?.is_some()
    {
        return Ok(render::see_other(crate::CONSOLE));
    }
    let token = random_token()?;
    let page = SignInPage { nav: None, csrf: token.clone(), login: String::new(), error: None };
    let mut response = render::page(&page)?;
    response.add_cookie(&console.sessions.base(SIGN_IN_COOKIE, token)).ok();
    Ok(response)
}

/// `POST /console/sign-in`: checks the credentials as the API does and opens a session.
async fn sign_in(req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, WebError> {
    let console = guard::console(&req)?;
    let form = Form::parse_bytes(&body);
    let token = form.get(guard::CSRF_FIELD).unwrap_or_default();
    let expected = req.cookie(SIGN_IN_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !same_secret(token, &expected) {
        return Err(WebError::Csrf);
    }
    let login = form.get("login").unwrap_or_default().trim().to_owned();
    let password = form.get("password").unwrap_or_default();
    let refused = |error: SignInError| {
        let status = match error {
            SignInError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            SignInError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            SignInError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNAUTHORIZED,
        };
        let page =
            SignInPage { nav: None, csrf: expected.clone(), login: login.clone(), error: Some(error.to_string()) };
        render::page_with(status, &page)
    };
    if login.is_empty() || password.is_empty() {
        return refused(SignInError::Invalid);
    }
    let caller = match console.accounts.sign_in(&login, password, address(&req)).await {
        Ok(caller) => caller,
        Err(error) => return refused(error),
    };
    let (id, _) = console.sessions.open(&caller, &login).await?;
    let mut response = render::see_other(crate::CONSOLE);
    response.add_cookie(&console.sessions.cookie(&id)).ok();
    response.add_removal_cookie(&console.sessions.removal(SIGN_IN_COOKIE)).ok();
    Ok(response)
}

/// The client's address (for throttling).
fn address(req: &HttpRequest) -> IpAddr {
    req.peer_addr().map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.ip())
}

/// `POST /console/sign-out`: ends the session.
async fn sign_out(req: HttpRequest, posted: Posted) -> Result<HttpResponse, WebError> {
    let console = guard::console(&req)?;
    if let Some(cookie) = req.cookie(COOKIE) {
        console.sessions.close(cookie.value()).await?;
    }
    let _ = posted;
    let mut response = render::see_other(super::SIGN_IN);
    response.add_removal_cookie(&console.sessions.removal(COOKIE)).ok();
    Ok(response)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Option<Nav>,
    csrf: String,
    login: String,
    vendor_number: String,
    changed: bool,
    fields: Vec<Field>,
    state: FormState,
}

fn password_fields() -> Vec<Field> {
    vec![
        Field::text("current", "Current password").input(Input::Password),
        Field::text("new", "New password")
            .input(Input::Password)
            .help("At least 8 characters. Every session of this vendor is signed out; API clients need it too."),
        Field::text("confirm", "New password again").input(Input::Password),
    ]
}

fn account_page(signed: &Signed, changed: bool, state: FormState) -> AccountPage {
    AccountPage {
        nav: Nav::of(signed, "account"),
        csrf: signed.session.csrf.clone(),
        login: signed.session.login.clone(),
        vendor_number: signed.caller.vendor_number.clone(),
        changed,
        fields: password_fields(),
        state,
    }
}

/// `GET /console/account`.
async fn account(signed: Signed) -> Result<HttpResponse, WebError> {
    render::page(&account_page(&signed, false, FormState::default()))
}

/// `POST /console/account/password`: checks the current password (as the API would), sets the new one, ends
/// every session of the vendor and opens a new one for this browser.
async fn change_password(req: HttpRequest, posted: Posted) -> Result<HttpResponse, WebError> {
    let console = guard::console(&req)?;
    let Posted { signed, form } = posted;
    let (current, new, confirm) = (
        form.get("current").unwrap_or_default(),
        form.get("new").unwrap_or_default(),
        form.get("confirm").unwrap_or_default(),
    );
    let outcome = match check_new_password(new, confirm) {
        Ok(()) => console.accounts.change_password(&signed.session.login, current, new, address(&req)).await,
        Err(error) => Err(error),
    };
    if let Err(error) = outcome {
        let mut state = FormState::default();
        match &error {
            SignInError::Invalid => state.fail("The current password is wrong", &password_fields()),
            SignInError::Rejected(message) if message.contains("differ") => {
                state.fail(&format!("{message} (new password again)"), &password_fields())
            }
            SignInError::Rejected(message) => state.fail(&format!("{message} (new password)"), &password_fields()),
            other => state.general = Some(other.to_string()),
        }
        return render::page_with(StatusCode::BAD_REQUEST, &account_page(&signed, false, state));
    }
    console.sessions.close_vendor(signed.caller.vendor).await?;
    let (id, session) = console.sessions.open(&signed.caller, &signed.session.login).await?;
    let signed = Signed { caller: signed.caller, session };
    let mut response = render::page(&account_page(&signed, true, FormState::default()))?;
    response.add_cookie(&console.sessions.cookie(&id)).ok();
    Ok(response)
}
