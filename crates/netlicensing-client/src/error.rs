//! The one error type of the client.

use std::fmt;

use netlicensing_model::{CodecError, Info, info::ErrorId, types::InfoType};

/// Result of a client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status and a NetLicensing document: its infos say why.
    #[error("{}", ApiDisplay { status: *status, infos })]
    Api {
        /// HTTP status (4xx or 5xx).
        status: u16,
        /// The infos of the answer (type ERROR first of all), in either format.
        infos: Vec<Info>,
    },
    /// The service answered with an error status but no readable NetLicensing document (a proxy page, say).
    #[error("HTTP {status}: {body}")]
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body, as text.
        body: String,
    },
    /// The request did not get an answer: connection, TLS or timeout. The message names the root cause.
    #[error("transport: {}", TransportDisplay(.0))]
    Transport(#[from] reqwest::Error),
    /// A successful answer could not be read as the expected document or entity.
    #[error("unreadable answer (HTTP {status}): {source}")]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// What was wrong with it.
        #[source]
        source: CodecError,
    },
    /// The context could not be built (bad base URL, TLS setup).
    #[error("configuration: {0}")]
    Config(String),
    /// A call argument cannot be sent (an empty number, say).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl Error {
    /// The HTTP status of an answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::Http { status, .. } | Self::Decode { status, .. } => Some(*status),
            Self::Transport(e) => e.status().map(|s| s.as_u16()),
            Self::Config(_) | Self::InvalidArgument(_) => None,
        }
    }

    /// The infos of an error answer (empty for other errors).
    pub fn infos(&self) -> &[Info] {
        match self {
            Self::Api { infos, .. } => infos,
            _ => &[],
        }
    }

    /// The first info of type ERROR (or else the first info) of an error answer.
    pub fn info(&self) -> Option<&Info> {
        let infos = self.infos();
        infos.iter().find(|i| i.kind == Some(InfoType::Error)).or_else(|| infos.first())
    }

    /// The id of [`Error::info`], e.g. `NotFoundException`.
    pub fn error_id(&self) -> Option<&str> {
        self.info().and_then(|i| i.id.as_deref())
    }

    /// True when the service answered with this error id.
    pub fn is(&self, id: ErrorId) -> bool {
        self.error_id() == Some(id.as_str())
    }

    /// True for a 404 answer.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True for a 401 answer (missing or wrong credentials).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Transport(e) if e.is_timeout())
    }
}

/// A transport error followed by its root cause (reqwest's own message does not say what failed).
struct TransportDisplay<'a>(&'a reqwest::Error);

impl fmt::Display for TransportDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut root: Option<&dyn std::error::Error> = None;
        let mut source = std::error::Error::source(self.0);
        while let Some(error) = source {
            root = Some(error);
            source = error.source();
        }
        match root {
            Some(root) => write!(f, " ({root})"),
            None => Ok(()),
        }
    }
}

struct ApiDisplay<'a> {
    status: u16,
    infos: &'a [Info],
}

impl fmt::Display for ApiDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        let errors = self.infos.iter().filter(|i| i.kind == Some(InfoType::Error));
        let mut shown = errors.peekable();
        let all: Box<dyn Iterator<Item = &Info>> =
            if shown.peek().is_some() { Box::new(shown) } else { Box::new(self.infos.iter()) };
        for (n, info) in all.enumerate() {
            f.write_str(if n == 0 { ": " } else { "; " })?;
            match &info.id {
                Some(id) => write!(f, "{id}: {}", info.value)?,
                None => f.write_str(&info.value)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_show_status_and_error_infos() {
        let error = Error::Api {
            status: 404,
            infos: vec![
                Info::new(InfoType::Warning, "w", "ignored"),
                Info::new(InfoType::Error, "NotFoundException", "Requested product does not exist"),
            ],
        };
        assert_eq!(error.to_string(), "HTTP 404: NotFoundException: Requested product does not exist");
        assert!(error.is(ErrorId::NotFound) && error.is_not_found() && !error.is_unauthorized());
        assert_eq!(error.status(), Some(404));
        let bare = Error::Api { status: 500, infos: vec![] };
        assert_eq!((bare.to_string(), bare.error_id()), ("HTTP 500".to_owned(), None));
        assert_eq!(Error::InvalidArgument("x".into()).status(), None);
    }
}
