//! Tests of the configuration.
use clap::CommandFactory;

use clap::Parser;

use super::*;

fn settings(args: &[&str]) -> Settings {
    let cli = Cli::try_parse_from(std::iter::once("netlicensing-server").chain(args.iter().copied()))
        .expect("arguments parse");
    cli.settings
}

#[test]
fn the_command_line_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn flags_are_read_and_defaults_fill_the_rest() {
    let config = Config::resolve(settings(&["--bind=127.0.0.1:9000", "--demo-vendor", "no"])).unwrap();
    assert_eq!(config.bind, "127.0.0.1:9000");
    assert!(!config.demo_vendor);
    assert_eq!(config.validation_cache, Config::default().validation_cache);
    let config = Config::resolve(settings(&["--validation-cache", "0", "--log-format", "json"])).unwrap();
    assert_eq!((config.validation_cache, config.log_format), (0, LogFormat::Json));
    assert_eq!(Config::resolve(settings(&["--validation-cache", "25"])).unwrap().validation_cache, 25);
    // Settings are accepted after a command too.
    let cli = Cli::try_parse_from(["netlicensing-server", "config", "check", "--bind", "127.0.0.1:1"]).unwrap();
    assert_eq!(cli.settings.bind.as_deref(), Some("127.0.0.1:1"));
    assert!(matches!(cli.command, Some(Command::Config(ConfigCommand::Check))));
}

#[test]
fn bad_values_are_refused_by_name() {
    for args in [&["--demo-vendor", "maybe"][..], &["--validation-cache=-1"], &["--bogus"], &["--log-format=xml"]] {
        assert!(Cli::try_parse_from(std::iter::once("netlicensing-server").chain(args.iter().copied())).is_err());
    }
    let error = Config::resolve(settings(&["--bind", "nowhere"])).unwrap_err().to_string();
    assert!(error.contains("--bind") && error.contains("NETLICENSING_BIND"), "{error}");
    let error = Config::resolve(settings(&["--database-url", "mysql://root:S3cret@db/x"])).unwrap_err().to_string();
    assert!(error.contains("DATABASE_URL") && !error.contains("S3cret"), "{error}");
    let error = Config::resolve(settings(&["--metrics-token", "0123456789abcdef"])).unwrap_err().to_string();
    assert!(error.contains("metrics_token") && !error.contains("0123456789abcdef"), "{error}");
    let error = Config::resolve(settings(&["--workers", "0"])).unwrap_err().to_string();
    assert!(error.contains("--workers"), "{error}");
    let error = Config::resolve(settings(&["--log", "info,=["])).unwrap_err().to_string();
    assert!(error.contains("NETLICENSING_LOG"), "{error}");
}

#[test]
fn cors_origins_are_a_comma_separated_list() {
    assert_eq!(Config::resolve(settings(&[])).unwrap().cors_origins, vec!["*"]);
    let config = Config::resolve(settings(&["--cors-origins", "https://a.example, http://localhost:3000"])).unwrap();
    assert_eq!(config.cors_origins, vec!["https://a.example", "http://localhost:3000"]);
    assert!(config.redacted().contains("cors_origins = \"https://a.example,http://localhost:3000\""));
    assert!(Config::resolve(settings(&["--cors-origins="])).unwrap().cors_origins.is_empty());
    let error = Config::resolve(settings(&["--cors-origins=a.example"])).unwrap_err().to_string();
    assert!(error.contains("--cors-origins") && error.contains("NETLICENSING_CORS_ORIGINS"), "{error}");
    let file = Settings { cors_origins: Some(String::new()), ..Settings::default() };
    assert!(Config::resolve(file).unwrap().cors_origins.is_empty());
}

#[test]
fn the_file_is_below_the_flags() {
    let file = std::env::temp_dir().join(format!("netlicensing-config-{}.toml", std::process::id()));
    std::fs::write(&file, "bind = \"127.0.0.1:7000\"\nvalidation_cache = 5\nlog_format = \"json\"\n").unwrap();
    let path = file.display().to_string();
    let config = Config::from_settings(settings(&["--config", &path, "--validation-cache", "7"])).unwrap();
    assert_eq!((config.bind.as_str(), config.validation_cache), ("127.0.0.1:7000", 7));
    assert_eq!(config.log_format, LogFormat::Json);
    std::fs::write(&file, "bind = \"127.0.0.1:7000\"\nbogus = 1\n").unwrap();
    let error = Config::from_settings(settings(&["--config", &path])).unwrap_err();
    assert!(format!("{error}: {}", std::error::Error::source(&error).unwrap()).contains("bogus"));
    std::fs::remove_file(&file).ok();
    assert!(matches!(Config::from_settings(settings(&["--config", &path])), Err(ConfigError::Read { .. })));
}

#[test]
fn secrets_are_redacted() {
    assert_eq!(redact_url("postgres://u:S3cret@h:5432/db"), format!("postgres://u:{REDACTED}@h:5432/db"));
    assert_eq!(
        redact_url("postgres://u@h/db?password=S3cret&x=1"),
        format!("postgres://u@h/db?password={REDACTED}&x=1")
    );
    assert_eq!(redact_url("postgres://u:p%40ss@w@h/db"), format!("postgres://u:{REDACTED}@h/db"));
    assert_eq!(redact_url("sqlite://netlicensing.db?mode=rwc"), "sqlite://netlicensing.db?mode=rwc");
    let config = Config {
        database_url: "postgres://u:S3cret@h/db".into(),
        metrics: true,
        metrics_token: Some("TOKEN-0123456789abcdef".into()),
        ..Config::default()
    };
    for text in [config.redacted(), config.banner()] {
        assert!(!text.contains("S3cret") && !text.contains("TOKEN-0123"), "{text}");
        assert!(text.contains("postgres://u:********@h/db"), "{text}");
    }
}
