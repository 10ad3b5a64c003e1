//! Server configuration from flags and environment.

use std::fmt;

/// Where and how the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Address to listen on (`NETLICENSING_BIND`, `--bind`).
    pub bind: String,
    /// Database URL (`DATABASE_URL`, `--database-url`): a SQLite file by default.
    pub database_url: String,
    /// Whether to create the demo vendor on an empty database (`NETLICENSING_DEMO_VENDOR`, `--demo-vendor`).
    pub demo_vendor: bool,
    /// Memory for licensees' validation data, in MiB (`NETLICENSING_VALIDATION_CACHE`, `--validation-cache`);
    /// 0 reads every licensee's data from the database (product catalogues stay cached).
    pub validation_cache: u64,
    /// Origins the REST API answers cross-origin (CORS) requests from (`NETLICENSING_CORS_ORIGINS`,
    /// `--cors-origins`): `*` for any (the default), a comma-separated list, or empty for none.
    pub cors_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            database_url: "sqlite://netlicensing.db?mode=rwc".into(),
            demo_vendor: true,
            validation_cache: netlicensing_core::service::cache::DEFAULT_MIB,
            cors_origins: vec![crate::cors::ANY.into()],
        }
    }
}

/// What went wrong reading the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The `--help` text.
pub const HELP: &str = "netlicensing-server: a self-hostable NetLicensing-compatible licensing server

USAGE: netlicensing-server [OPTIONS]

OPTIONS (each also read from the environment variable shown):
  --bind ADDR           address to listen on            [NETLICENSING_BIND, default 127.0.0.1:8080]
  --database-url URL    sqlite://FILE or postgres://... [DATABASE_URL, default sqlite://netlicensing.db?mode=rwc]
  --demo-vendor BOOL    create vendor demo/demo (VDEMO) on an empty database
                                                        [NETLICENSING_DEMO_VENDOR, default true]
  --validation-cache MIB  memory for licensees' validation data (about 1 KB per licensee of
                        10 licenses); 0 turns it off    [NETLICENSING_VALIDATION_CACHE, default 128]
  --cors-origins LIST   origins allowed to call the REST API from a browser: * for any, a comma-separated
                        list (https://app.example.com,...), or empty for none
                                                        [NETLICENSING_CORS_ORIGINS, default *]
  (environment only)    log level: error, warn, info, debug, trace, off
                                                        [NETLICENSING_LOG, default info]
  -h, --help            print this help";

impl Config {
    /// Reads the configuration: defaults, then the environment, then the flags.
    pub fn from_args(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ConfigError> {
        let mut config = Self::default();
        if let Some(bind) = env("NETLICENSING_BIND") {
            config.bind = bind;
        }
        if let Some(url) = env("DATABASE_URL") {
            config.database_url = url;
        }
        if let Some(demo) = env("NETLICENSING_DEMO_VENDOR") {
            config.demo_vendor = parse_bool("NETLICENSING_DEMO_VENDOR", &demo)?;
        }
        if let Some(entries) = env("NETLICENSING_VALIDATION_CACHE") {
            config.validation_cache = parse_count("NETLICENSING_VALIDATION_CACHE", &entries)?;
        }
        if let Some(origins) = env("NETLICENSING_CORS_ORIGINS") {
            config.cors_origins = parse_origins("NETLICENSING_CORS_ORIGINS", &origins)?;
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            let mut value =
                || inline.clone().or_else(|| args.next()).ok_or_else(|| ConfigError(format!("{flag} needs a value")));
            match flag.as_str() {
                "-h" | "--help" => return Ok(None),
                "--bind" => config.bind = value()?,
                "--database-url" => config.database_url = value()?,
                "--demo-vendor" => config.demo_vendor = parse_bool("--demo-vendor", &value()?)?,
                "--validation-cache" => config.validation_cache = parse_count("--validation-cache", &value()?)?,
                "--cors-origins" => config.cors_origins = parse_origins("--cors-origins", &value()?)?,
                other => {
                    return Err(ConfigError(format!("unknown argument '{other}' (see --help)")));
                }
            }
        }
        Ok(Some(config))
    }
}

fn parse_count(name: &str, value: &str) -> Result<u64, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError(format!("{name} must be a whole number, not '{value}'")))
}

fn parse_origins(name: &str, value: &str) -> Result<Vec<String>, ConfigError> {
    let origins: Vec<String> = value.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect();
    match origins.iter().find(|origin| !crate::cors::valid_origin(origin)) {
        Some(bad) => Err(ConfigError(format!("{name}: '{bad}' is not an origin (scheme://host[:port]) or *"))),
        None => Ok(origins),
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ConfigError(format!("{name} must be true or false, not '{value}'"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(args: &[&str], env: &[(&str, &str)]) -> Result<Option<Config>, ConfigError> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_args(args.iter().map(|a| a.to_string()), |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn flags_override_environment_over_defaults() {
        let config = read(
            &["--bind=0.0.0.0:9000"],
            &[("NETLICENSING_BIND", "1.2.3.4:1"), ("NETLICENSING_DEMO_VENDOR", "false")],
        )
        .unwrap()
        .unwrap();
        assert_eq!(config.bind, "0.0.0.0:9000");
        assert!(!config.demo_vendor);
        assert_eq!(read(&[], &[]).unwrap().unwrap(), Config::default());
        assert_eq!(read(&["--help"], &[]).unwrap(), None);
        assert!(read(&["--demo-vendor", "maybe"], &[]).is_err());
        assert!(read(&["--bogus"], &[]).is_err());
        assert_eq!(read(&["--validation-cache", "0"], &[]).unwrap().unwrap().validation_cache, 0);
        let from_env = read(&[], &[("NETLICENSING_VALIDATION_CACHE", "25")]).unwrap().unwrap();
        assert_eq!(from_env.validation_cache, 25);
        assert!(read(&["--validation-cache=-1"], &[]).is_err());
        assert_eq!(read(&[], &[]).unwrap().unwrap().cors_origins, vec!["*"]);
        let origins = read(&["--cors-origins", "https://a.example, http://localhost:3000"], &[]).unwrap().unwrap();
        assert_eq!(origins.cors_origins, vec!["https://a.example", "http://localhost:3000"]);
        let none = read(&[], &[("NETLICENSING_CORS_ORIGINS", "")]).unwrap().unwrap();
        assert!(none.cors_origins.is_empty());
        assert!(read(&["--cors-origins=a.example"], &[]).is_err());
    }
}
