//! What can go wrong on a customer page, as a page a customer understands: unknown and wrong links 404,
//! expired and used links 410, stale forms 403; core's refusals with their message; failures 500 with a
//! generic message (the cause goes to the log, never to the page).

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use askama::Template;
use netlicensing_core::{CoreError, RepoError, service::customer::TokenRefusal};

use super::Chrome;
use crate::{error::core_status, render};

/// Why a customer page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    /// The link's token does not open this page.
    #[error("{0}")]
    Token(TokenRefusal),
    /// Something the page names does not exist (a vendor's asset, a license of another customer ...).
    #[error("{0}")]
    NotFound(String),
    /// The form's CSRF field is missing or not the cookie's value, or the post came from another site.
    #[error("This form is stale or was not sent from this page. Go back, reload the page and try again.")]
    Csrf,
    /// The form is larger than the limit (bytes).
    #[error("The form is larger than {0} bytes.")]
    TooLarge(usize),
    /// Core refused or failed.
    #[error("{0}")]
    Core(CoreError),
    /// No random bytes, or another store failure outside core.
    #[error("the store failed")]
    Store(#[source] RepoError),
    /// A template could not be rendered.
    #[error("the page could not be rendered")]
    Render(#[from] askama::Error),
}

impl From<TokenRefusal> for CustomerError {
    fn from(refusal: TokenRefusal) -> Self {
        match refusal {
            TokenRefusal::Failed(error) => CustomerError::Core(error),
            other => CustomerError::Token(other),
        }
    }
}

impl From<CoreError> for CustomerError {
    fn from(error: CoreError) -> Self {
        CustomerError::Core(error)
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "customer/error.html")]
pub struct ErrorPage {
    /// The frame (neutral: the error may be that no vendor is known).
    pub chrome: Chrome,
    /// The status.
    pub status: u16,
    /// The status's reason (`Not Found`).
    pub title: String,
    /// What happened, for the customer.
    pub message: String,
}

impl ResponseError for CustomerError {
    fn status_code(&self) -> StatusCode {
        match self {
            CustomerError::Token(TokenRefusal::Expired | TokenRefusal::Inactive) => StatusCode::GONE,
            CustomerError::Token(TokenRefusal::Unknown | TokenRefusal::WrongKind | TokenRefusal::Failed(_)) => {
                StatusCode::NOT_FOUND
            }
            CustomerError::NotFound(_) => StatusCode::NOT_FOUND,
            CustomerError::Csrf => StatusCode::FORBIDDEN,
            CustomerError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            CustomerError::Core(error) => core_status(error),
            CustomerError::Store(_) | CustomerError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status.is_server_error() {
            tracing::error!(error = %crate::error::chain(self), "a customer page failed");
            "Something went wrong on our side; it is logged. Please try again in a moment.".to_owned()
        } else {
            self.to_string()
        };
        let title = match self {
            CustomerError::Token(TokenRefusal::Expired) => "Link expired",
            CustomerError::Token(TokenRefusal::Inactive) => "Link no longer valid",
            CustomerError::Token(_) => "Link not valid",
            _ => status.canonical_reason().unwrap_or("Error"),
        };
        let page = ErrorPage { chrome: Chrome::neutral(), status: status.as_u16(), title: title.to_owned(), message };
        match page.render() {
            Ok(body) => HttpResponse::build(status).content_type(render::HTML).body(body),
            Err(_) => HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(title.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;

    use super::*;

    #[test]
    fn refusals_are_pages_with_their_status() {
        let cases = [
            (CustomerError::from(TokenRefusal::Unknown), 404),
            (CustomerError::from(TokenRefusal::WrongKind), 404),
            (CustomerError::from(TokenRefusal::Expired), 410),
            (CustomerError::from(TokenRefusal::Inactive), 410),
            (CustomerError::Csrf, 403),
            (CustomerError::from(CoreError::NotFound("gone".into())), 404),
            (CustomerError::from(TokenRefusal::Failed(CoreError::Storage(RepoError::Failure("disk".into())))), 500),
        ];
        for (error, status) in cases {
            let response = error.error_response();
            assert_eq!(response.status().as_u16(), status, "{error}");
            let body = response.into_body().try_into_bytes().unwrap();
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains("id=\"error-message\""), "{body}");
            assert!(!body.contains("disk"), "no internals on the page");
        }
    }
}

#[cfg(test)]
mod layout_tests {
    use askama::Template;
    use netlicensing_model::entity::Branding;

    use super::*;
    use crate::customer::Flags;

    #[test]
    fn the_layout_shows_the_vendor_card_and_legal_links_escaped() {
        let branding = Branding {
            name: Some("Acme <b>".into()),
            email: Some("shop@acme.example".into()),
            website: Some("https://acme.example".into()),
            address: Some("Road 1\nTown".into()),
            terms_url: Some("https://acme.example/terms?a=1&b=2".into()),
            imprint_url: Some("https://acme.example/imprint".into()),
            accent_color: Some("#aa0000".into()),
            ..Branding::default()
        };
        let page = |flags| ErrorPage {
            chrome: Chrome::of("V1", &branding, flags),
            status: 404,
            title: "Not Found".into(),
            message: "x".into(),
        };
        let html = page(Flags::default()).render().unwrap();
        assert!(html.contains("Acme &#60;b&#62;") && !html.contains("Acme <b>"), "{html}");
        assert!(html.contains("href=\"mailto:shop@acme.example\""));
        assert!(html.contains("Road 1<br>Town"));
        assert!(html.contains("id=\"terms\"") && html.contains("id=\"imprint\"") && !html.contains("id=\"privacy\""));
        assert!(html.contains("/assets/brand/V1.css?v="));
        assert!(!html.contains("style="), "no inline styles");
        let bare = page(Flags::from_query("header=false&footer=false")).render().unwrap();
        assert!(!bare.contains("vendor-card") && !bare.contains("vendor-name"));
    }
}
