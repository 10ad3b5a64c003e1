//! A minimal logger for the binary: `log` records at the level of `NETLICENSING_LOG` (`error`, `warn`, `info`
//! — the default —, `debug`, `trace` or `off`) go to standard error, one line each, with a UTC timestamp.

use log::{LevelFilter, Log, Metadata, Record};

/// Writes records to standard error.
struct Stderr;

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
            eprintln!("{now} {:<5} {}: {}", record.level(), record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

static LOGGER: Stderr = Stderr;

/// The level a `NETLICENSING_LOG` value names (`info` when unset or unreadable).
pub fn level(value: Option<&str>) -> LevelFilter {
    value.and_then(|v| v.trim().parse().ok()).unwrap_or(LevelFilter::Info)
}

/// Installs the logger at the level `NETLICENSING_LOG` names; a second call changes nothing.
pub fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level(std::env::var("NETLICENSING_LOG").ok().as_deref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_from_the_variable() {
        assert_eq!(level(None), LevelFilter::Info);
        assert_eq!(level(Some("debug")), LevelFilter::Debug);
        assert_eq!(level(Some("OFF")), LevelFilter::Off);
        assert_eq!(level(Some("loud")), LevelFilter::Info);
    }
}
