//! Logging with `tracing`: events (and `log` records of the libraries) at the level the filter names
//! (`NETLICENSING_LOG` / `--log`: a level or `EnvFilter` directives) go to standard error, one line each, as
//! text or as JSON (`--log-format json`). Secrets are never logged: requests are logged by
//! [`crate::observe`] without credentials or bodies, and the database URL only redacted.

use tracing_subscriber::{EnvFilter, fmt::MakeWriter};

use crate::config::LogFormat;

/// The logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// The filter does not parse.
    #[error("invalid log filter (--log, NETLICENSING_LOG)")]
    Filter(#[from] tracing_subscriber::filter::ParseError),
    /// A global subscriber was installed already.
    #[error("a logger is installed already")]
    Installed(#[from] tracing_subscriber::util::TryInitError),
}

/// Installs the process-wide subscriber writing to standard error.
pub fn install(filter: &str, format: LogFormat) -> Result<(), LoggingError> {
    install_to(filter, format, std::io::stderr)
}

/// Installs the process-wide subscriber writing to `writer`.
pub fn install_to<W>(filter: &str, format: LogFormat, writer: W) -> Result<(), LoggingError>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = EnvFilter::builder().parse(filter)?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false);
    match format {
        LogFormat::Text => builder.finish().try_init()?,
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).finish().try_init()?,
    }
    Ok(())
}

/// An error with its chain of sources, `outer: inner: innermost`, for one log line.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Transparent wrappers repeat their source's message; say it once.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn chains_name_every_source() {
        let error = Outer(std::io::Error::other("inner"));
        assert_eq!(chain(&error), "outer: inner");
    }

    #[test]
    fn bad_filters_are_refused() {
        assert!(matches!(install("info,=[", LogFormat::Text), Err(LoggingError::Filter(_))));
    }
}
