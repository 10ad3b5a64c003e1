//! What can go wrong on a page, mapped once to a status and an error page (never a stack trace).

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use askama::Template;
use netlicensing_core::{CoreError, RepoError};

use crate::render;

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No live session: the browser is sent to the sign-in page.
    #[error("sign in first")]
    SignIn,
    /// The form's CSRF token is missing or not the session's.
    #[error("This form is stale or was not sent by this console; reload the page and try again")]
    Csrf,
    /// Core refused or failed.
    #[error("{0}")]
    Core(#[from] CoreError),
    /// The session store failed.
    #[error("the session store failed")]
    Store(#[source] RepoError),
    /// A template could not be rendered.
    #[error("the page could not be rendered")]
    Render(#[from] askama::Error),
}

impl From<RepoError> for WebError {
    fn from(error: RepoError) -> Self {
        WebError::Store(error)
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: String,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::SignIn => StatusCode::SEE_OTHER,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::Core(error) => core_status(error),
            WebError::Store(_) | WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::SignIn = self {
            return render::see_other(crate::pages::SIGN_IN);
        }
        let status = self.status_code();
        let message = if status.is_server_error() {
            tracing::error!(error = %chain(self), "a console page failed");
            "Something went wrong on the server; the error is logged. Try again in a moment.".to_owned()
        } else {
            self.to_string()
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let page = ErrorPage { status: status.as_u16(), title, message };
        match page.render() {
            Ok(body) => HttpResponse::build(status).content_type(render::HTML).body(body),
            Err(_) => HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(title.to_owned()),
        }
    }
}

/// The status of a core error, as the API answers it.
pub fn core_status(error: &CoreError) -> StatusCode {
    match error {
        CoreError::NotFound(_) => StatusCode::NOT_FOUND,
        CoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        CoreError::Storage(RepoError::Busy(_)) => StatusCode::SERVICE_UNAVAILABLE,
        CoreError::Storage(_) | CoreError::Random(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// An error with its sources, `: `-separated (for the log).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
