//! Logging with `tracing`: events (and `log` records of the libraries) at the level the filter names
//! (`NETLICENSING_LOG` / `--log`: a level or `EnvFilter` directives) go to standard error, one line each, as
//! text or as JSON (`--log-format json`). Secrets are never logged: requests are logged by
//! [`crate::observe`] without credentials or bodies, and the database URL only redacted.

use tracing_appender::non_blocking::NonBlockingBuilder;
pub use tracing_appender::non_blocking::WorkerGuard;
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

/// Installs the process-wide subscriber writing to standard error. Lines are formatted on the thread that logs
/// and written by a thread of their own, buffered while more are queued (so a busy server writes many lines
/// per system call) and flushed whenever the queue is empty; none is dropped (a full queue makes loggers wait).
/// Keep the returned guard until the process ends: dropping it flushes what is queued.
pub fn install(filter: &str, format: LogFormat) -> Result<WorkerGuard, LoggingError> {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("netlicensing-log")
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    install_to(filter, format, writer)?;
    Ok(guard)
}

/// Installs the process-wide subscriber writing to `writer`.
pub fn install_to<W>(filter: &str, format: LogFormat, writer: W) -> Result<(), LoggingError>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::util::SubscriberInitExt;
    let builder = tracing_subscriber::fmt().with_env_filter(env_filter(filter)?).with_writer(writer).with_ansi(false);
    match format {
        LogFormat::Text => builder.finish().try_init()?,
        LogFormat::Json => {
            builder.json().flatten_event(true).with_current_span(false).with_span_list(false).finish().try_init()?
        }
    }
    Ok(())
}

/// Spans that record secrets: sea-orm's trace spans around connecting (in `sea_orm::database` and its
/// drivers) carry the connect options, database URL and password included. Whatever the filter, sea-orm's
/// trace level stays off.
const SECRET_SPANS: &str = "sea_orm=debug";

/// The filter of a `--log` value, with the spans that record secrets turned off.
pub fn env_filter(filter: &str) -> Result<EnvFilter, tracing_subscriber::filter::ParseError> {
    let parsed = EnvFilter::builder().parse(filter)?;
    if parsed.max_level_hint().is_some_and(|level| level < tracing::level_filters::LevelFilter::TRACE) {
        return Ok(parsed);
    }
    EnvFilter::builder().parse(format!("{filter},{SECRET_SPANS}"))
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
    fn spans_that_record_secrets_stay_off() {
        use tracing::{Level, subscriber::with_default};
        let subscriber = tracing_subscriber::fmt().with_env_filter(env_filter("trace").unwrap()).finish();
        with_default(subscriber, || {
            assert!(!tracing::span_enabled!(target: "sea_orm::database", Level::TRACE));
            assert!(!tracing::span_enabled!(target: "sea_orm::driver::sqlx_postgres", Level::TRACE));
            assert!(tracing::span_enabled!(target: "sea_orm::driver::sqlx_postgres", Level::DEBUG));
            assert!(tracing::span_enabled!(target: "actix_server", Level::TRACE));
        });
        let subscriber = tracing_subscriber::fmt().with_env_filter(env_filter("off").unwrap()).finish();
        with_default(subscriber, || assert!(!tracing::event_enabled!(target: "sea_orm::database", Level::DEBUG)));
    }

    #[test]
    fn bad_filters_are_refused() {
        assert!(matches!(install("info,=[", LogFormat::Text), Err(LoggingError::Filter(_))));
    }
}
