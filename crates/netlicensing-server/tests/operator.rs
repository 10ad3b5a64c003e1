//! The binary as an operator runs it: `--help`, settings from file, environment and flags, `config check`,
//! secrets kept out of the banner and logs, the access log and request ids, `/metrics`, `/ready`, and a
//! graceful stop on SIGTERM that loses no acknowledged write.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use netlicensing_server::testing::postgres_url;

use crate::common::process::{
    SECRET_DB_PASSWORD, SECRET_PASSWORD, SECRET_TOKEN, Scratch, Server, command, form, free_address, run, tag, text,
};

#[test]
fn help_lists_every_setting_in_groups_with_its_variable() {
    let output = run(&mut command(&["--help"]));
    assert!(output.status.success());
    let help = text(&output.stdout);
    for heading in ["Configuration:", "Server:", "Database:", "Logging:", "Metrics:"] {
        assert!(help.contains(heading), "{heading} in {help}");
    }
    for variable in [
        "NETLICENSING_CONFIG",
        "NETLICENSING_BIND",
        "NETLICENSING_WORKERS",
        "NETLICENSING_SHUTDOWN_TIMEOUT",
        "DATABASE_URL",
        "NETLICENSING_DEMO_VENDOR",
        "NETLICENSING_VALIDATION_CACHE",
        "NETLICENSING_LOG",
        "NETLICENSING_LOG_FORMAT",
        "NETLICENSING_ACCESS_LOG",
        "NETLICENSING_METRICS",
        "NETLICENSING_METRICS_BIND",
        "NETLICENSING_METRICS_TOKEN",
    ] {
        assert!(help.contains(&format!("[env: {variable}")), "{variable} in {help}");
    }
    // --help never shows the value of a secret variable.
    let output = run(command(&["--help"]).env("DATABASE_URL", format!("postgres://u:{SECRET_DB_PASSWORD}@h/d")));
    assert!(!text(&output.stdout).contains(SECRET_DB_PASSWORD));
}

#[test]
fn the_file_is_below_the_environment_which_is_below_the_flags() {
    let scratch = Scratch::new();
    let file = scratch.0.join("netlicensing.toml");
    std::fs::write(
        &file,
        "bind = \"127.0.0.1:7001\"\nworkers = 3\nvalidation_cache = 5\nlog = \"debug\"\ndemo_vendor = false\n",
    )
    .unwrap();
    let output = run(command(&["config", "check", "--workers", "7"])
        .env("NETLICENSING_CONFIG", &file)
        .env("NETLICENSING_VALIDATION_CACHE", "6")
        .env("NETLICENSING_WORKERS", "4"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let effective: toml::Table = toml::from_str(&text(&output.stdout)).expect("config check prints TOML");
    assert_eq!(effective["bind"].as_str(), Some("127.0.0.1:7001"), "from the file");
    assert_eq!(effective["demo_vendor"].as_bool(), Some(false), "from the file");
    assert_eq!(effective["validation_cache"].as_integer(), Some(6), "the environment over the file");
    assert_eq!(effective["workers"].as_integer(), Some(7), "the flag over the environment");
    assert_eq!(effective["log_format"].as_str(), Some("text"), "the default");
}

#[test]
fn a_bad_setting_names_itself() {
    let output = run(command(&["config", "check"]).env("NETLICENSING_WORKERS", "0"));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("NETLICENSING_WORKERS"), "{}", text(&output.stderr));
    let output = run(&mut command(&["--validation-cache", "lots"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--validation-cache"), "{}", text(&output.stderr));
    let scratch = Scratch::new();
    let file = scratch.0.join("bad.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:7001\"\ncolour = \"blue\"\n").unwrap();
    let output = run(&mut command(&["config", "check", "--config", &file.display().to_string()]));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("colour"), "{}", text(&output.stderr));
    let output = run(command(&["config", "check"]).env("DATABASE_URL", format!("mysql://u:{SECRET_DB_PASSWORD}@h/d")));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("DATABASE_URL"), "{}", text(&output.stderr));
    assert!(!text(&output.stderr).contains(SECRET_DB_PASSWORD));
}

#[test]
fn an_unreachable_database_is_reported_without_its_password() {
    let url = format!("postgres://netlicensing:{SECRET_DB_PASSWORD}@127.0.0.1:1/netlicensing");
    let output = run(command(&[]).env("DATABASE_URL", &url).env("NETLICENSING_LOG", "trace"));
    assert_eq!(output.status.code(), Some(2));
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(all.contains("cannot open the database"), "{all}");
    assert!(!all.contains(SECRET_DB_PASSWORD), "{all}");
}

/// A PostgreSQL database of its own for a server process (dropped on [`PgDatabase::drop_all`]).
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    async fn create() -> Option<(PgDatabase, String)> {
        use sea_orm::ConnectionTrait;
        let admin_url = postgres_url()?;
        let name = format!("operator_{}", tag());
        let admin = sea_orm::Database::connect(&admin_url).await.expect("PostgreSQL reachable");
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("database created");
        admin.close().await.ok();
        // The same server and user, with a password (the test cluster trusts local connections).
        let (scheme, rest) = admin_url.split_once("://")?;
        let (user_info, host_and_path) = rest.split_once('@')?;
        let user = user_info.split(':').next()?;
        let host = host_and_path.split('/').next()?;
        let url = format!("{scheme}://{user}:{SECRET_DB_PASSWORD}@{host}/{name}");
        Some((PgDatabase { admin_url, name }, url))
    }

    async fn drop_all(self) {
        use sea_orm::ConnectionTrait;
        if let Ok(admin) = sea_orm::Database::connect(&self.admin_url).await {
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)).await.ok();
            admin.close().await.ok();
        }
    }
}

/// One JSON log line per event; the access-log lines among them.
fn access_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["target"] == "netlicensing::access")
        .collect()
}

fn samples(text: &str) -> Vec<prometheus_parse::Sample> {
    let lines = text.lines().map(|line| Ok(line.to_owned()));
    prometheus_parse::Scrape::parse(lines).expect("the Prometheus text parses").samples
}

fn counter(samples: &[prometheus_parse::Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

/// Serves on SQLite and, when `DATABASE_URL` names one, on PostgreSQL with a password in the URL: the banner
/// and every log line (JSON, trace level) are free of the database password, the vendor's password and its
/// Basic header, and the metrics token; each request's access-log line carries the request id the client
/// received; `/metrics` parses and moves.
#[tokio::test]
async fn secrets_stay_out_of_banner_and_logs_and_the_access_log_carries_request_ids() {
    let scratch = Scratch::new();
    let mut databases = vec![scratch.sqlite_url()];
    let postgres = PgDatabase::create().await;
    if let Some((_, url)) = &postgres {
        databases.push(url.clone());
    }
    for (index, url) in databases.iter().enumerate() {
        let created = run(command(&["vendor", "create", "--login", "acme", "--number", "VACME"])
            .env("DATABASE_URL", url)
            .env("NETLICENSING_VENDOR_PASSWORD", SECRET_PASSWORD));
        assert!(created.status.success(), "{}", text(&created.stderr));
        let mut server_command = command(&["--log-format", "json", "--metrics", "true"]);
        server_command
            .env("DATABASE_URL", url)
            .env("NETLICENSING_LOG", "trace")
            .env("NETLICENSING_METRICS_TOKEN", SECRET_TOKEN)
            .env("NETLICENSING_DEMO_VENDOR", "false");
        let mut server = Server::start(&scratch.0, &format!("server{index}"), server_command).await;
        let client = reqwest::Client::new();

        // Metrics need the token.
        let refused = client.get(server.url("/metrics")).send().await.unwrap();
        assert_eq!(refused.status(), 401);
        let scrape = |client: reqwest::Client, url: String| async move {
            let response = client.get(url).bearer_auth(SECRET_TOKEN).send().await.unwrap();
            assert_eq!(response.status(), 200);
            samples(&response.text().await.unwrap())
        };
        let before = scrape(client.clone(), server.url("/metrics")).await;

        let create = client
            .post(server.api("product"))
            .basic_auth("acme", Some(SECRET_PASSWORD))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(&[("number", "P1"), ("name", "One"), ("licenseeAutoCreate", "true")]))
            .send()
            .await
            .unwrap();
        assert_eq!(create.status(), 200);
        let generated = create.headers()["x-request-id"].to_str().unwrap().to_owned();
        let module = client
            .post(server.api("productmodule"))
            .basic_auth("acme", Some(SECRET_PASSWORD))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(&[("number", "M1"), ("productNumber", "P1"), ("name", "F"), ("licensingModel", "TryAndBuy")]))
            .send()
            .await
            .unwrap();
        assert_eq!(module.status(), 200);
        let validate = client
            .post(server.api("licensee/C1/validate"))
            .basic_auth("acme", Some(SECRET_PASSWORD))
            .header("X-Request-Id", "client-chosen-42")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(&[("productNumber", "P1")]))
            .send()
            .await
            .unwrap();
        assert_eq!(validate.status(), 200);
        assert_eq!(validate.headers()["x-request-id"], "client-chosen-42");
        let forged = client
            .get(server.api("product"))
            .basic_auth("acme", Some("wrong-password"))
            .header("X-Request-Id", "line\tbreak")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
        let replaced = forged.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(replaced, "line\tbreak");

        let after = scrape(client.clone(), server.url("/metrics")).await;
        let validate_route = [("route", "/core/v2/rest/licensee/:number/validate"), ("status", "200")];
        let requests = "netlicensing_http_requests_total";
        assert_eq!(
            counter(&after, requests, &validate_route) - counter(&before, requests, &validate_route),
            1.0,
            "{after:?}"
        );
        let model = [("licensing_model", "TryAndBuy")];
        assert_eq!(counter(&after, "netlicensing_validations_total", &model), 1.0, "{after:?}");
        let misses = "netlicensing_validation_cache_misses_total";
        assert!(counter(&after, misses, &[]) >= 1.0, "cache misses counted");
        assert!(after.iter().any(|s| s.metric == "netlicensing_db_connections_idle"), "pool gauges");
        let verifications = "netlicensing_password_verifications_total";
        assert!(counter(&after, verifications, &[]) >= 2.0, "a good and a bad password verified");
        let histogram = after
            .iter()
            .find(|s| {
                s.metric == "netlicensing_http_request_duration_seconds"
                    && s.labels.get("route") == validate_route[0].1.into()
            })
            .expect("a latency histogram of validate");
        let prometheus_parse::Value::Histogram(buckets) = &histogram.value else { panic!("{histogram:?}") };
        assert_eq!(buckets.last().map(|b| b.count), Some(1.0), "{buckets:?}");

        assert!(server.terminate().success());
        let output = server.output();
        let banner = std::fs::read_to_string(&server.stdout).unwrap();
        assert!(banner.contains("database: "), "{banner}");
        let basic = {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(format!("acme:{SECRET_PASSWORD}"))
        };
        for secret in [SECRET_PASSWORD, SECRET_DB_PASSWORD, SECRET_TOKEN, basic.as_str(), "wrong-password"] {
            assert!(!output.contains(secret), "'{secret}' printed:\n{output}");
        }
        let lines = access_lines(&server.stderr());
        let line_of = |id: &str| {
            lines
                .iter()
                .find(|line| line["request_id"] == id)
                .unwrap_or_else(|| panic!("no access line for {id}: {lines:?}"))
                .clone()
        };
        let created_line = line_of(&generated);
        assert_eq!(created_line["method"], "POST");
        assert_eq!(created_line["route"], "/core/v2/rest/product");
        assert_eq!(created_line["status"], 200);
        assert_eq!(created_line["vendor"], "VACME");
        assert!(created_line["duration_ms"].as_f64().is_some());
        assert_eq!(line_of("client-chosen-42")["route"], "/core/v2/rest/licensee/{number}/validate");
        assert_eq!(line_of(&replaced)["status"], 401);
    }
    if let Some((database, _)) = postgres {
        database.drop_all().await;
    }
}

/// SIGTERM while clients write: the server finishes what it accepted and exits 0; every write it
/// acknowledged is there after a restart.
#[tokio::test]
async fn sigterm_under_load_loses_no_acknowledged_write() {
    let scratch = Scratch::new();
    let start = |name: &'static str| {
        let mut server_command = command(&["--shutdown-timeout", "20", "--access-log", "false"]);
        server_command.env("DATABASE_URL", scratch.sqlite_url());
        Server::start(&scratch.0, name, server_command)
    };
    let mut server = start("load").await;
    let url = server.api("product");
    let mut writers = Vec::new();
    for writer in 0..4 {
        let url = url.clone();
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut acknowledged = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(30);
            for i in 0.. {
                if Instant::now() > deadline {
                    break;
                }
                let number = format!("W{writer}-{i}");
                let sent = client
                    .post(&url)
                    .basic_auth("demo", Some("demo"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form(&[("number", number.as_str()), ("name", "load"), ("licenseeAutoCreate", "true")]))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 200 => acknowledged.push(number),
                    Ok(response) if response.status() == 503 => {}
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let status = tokio::task::spawn_blocking(move || {
        let status = server.terminate();
        (status, server)
    })
    .await
    .unwrap();
    let (status, server) = status;
    assert!(status.success(), "exit after SIGTERM: {status}: {}", server.output());
    assert!(server.stderr().contains("SIGTERM"), "{}", server.output());
    drop(server);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(acknowledged.len() >= 4, "the load wrote: {}", acknowledged.len());
    let restarted = start("restarted").await;
    let client = reqwest::Client::new();
    for number in &acknowledged {
        let response = client.get(restarted.api(&format!("product/{number}"))).basic_auth("demo", Some("demo")).send();
        assert_eq!(response.await.unwrap().status(), 200, "acknowledged {number} lost");
    }
}

/// `/ready` answers 200 while the database answers and 503 once it does not; `/health` stays 200.
#[tokio::test]
async fn ready_follows_the_database() {
    for backend in netlicensing_server::testing::Backend::available() {
        let server = netlicensing_server::testing::TestServer::start(backend).await;
        let client = reqwest::Client::new();
        let ready = client.get(format!("{}/ready", server.base)).send().await.unwrap();
        assert_eq!(ready.status(), 200);
        assert!(ready.headers().contains_key("x-request-id"));
        // The test's connection shares the server's pool: closing it takes the database away.
        server.db.connection.close_by_ref().await.unwrap();
        let ready = client.get(format!("{}/ready", server.base)).send().await.unwrap();
        assert_eq!(ready.status(), 503, "{backend:?}");
        let health = client.get(format!("{}/health", server.base)).send().await.unwrap();
        assert_eq!(health.status(), 200);
        server.stop().await;
    }
}

fn deploy_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped.
fn dockerfile_instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && pending.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                pending.push_str(head);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                let (keyword, rest) = pending.split_once(char::is_whitespace).unwrap_or((&pending, ""));
                out.push((keyword.to_owned(), rest.trim().to_owned()));
                pending.clear();
            }
        }
    }
    assert!(pending.is_empty(), "the Dockerfile ends inside a continued line");
    out
}

/// The deploy files hold together: the Dockerfile is multi-stage with known instructions and runs as a
/// non-root user over a /data volume; the unit runs the binary with the shipped settings file, which
/// `config check` accepts.
#[test]
fn the_deploy_files_hold_together() {
    const KNOWN: &[&str] = &[
        "FROM",
        "RUN",
        "CMD",
        "LABEL",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
    ];
    let instructions = dockerfile_instructions(&deploy_file("Dockerfile"));
    assert_eq!(instructions.first().map(|(k, _)| k.as_str()), Some("FROM"));
    for (keyword, rest) in &instructions {
        assert!(KNOWN.contains(&keyword.as_str()), "unknown instruction {keyword}");
        assert!(!rest.is_empty(), "{keyword} without arguments");
    }
    let stages: Vec<&String> = instructions.iter().filter(|(k, _)| k == "FROM").map(|(_, r)| r).collect();
    assert!(stages.len() >= 2 && stages[0].contains(" AS "), "multi-stage: {stages:?}");
    let last_stage = instructions.iter().rposition(|(k, _)| k == "FROM").unwrap();
    let user = instructions[last_stage..].iter().rfind(|(k, _)| k == "USER").map(|(_, r)| r.as_str());
    assert!(user.is_some_and(|u| !u.starts_with("root") && !u.starts_with('0')), "non-root: {user:?}");
    assert!(instructions.iter().any(|(k, r)| k == "VOLUME" && r.contains("/data")));
    assert!(instructions.iter().any(|(k, r)| k == "COPY" && r.contains("--from=build")));

    let unit = deploy_file("netlicensing-server.service");
    for section in ["[Unit]", "[Service]", "[Install]"] {
        assert!(unit.contains(section), "{section}");
    }
    assert!(unit.contains("ExecStart=/usr/local/bin/netlicensing-server --config /etc/netlicensing/netlicensing.toml"));
    let settings = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/netlicensing.toml");
    let output = run(&mut command(&["config", "check", "--config", &settings.display().to_string()]));
    assert!(output.status.success(), "{}", text(&output.stderr));
}

/// `--metrics-bind` serves `/metrics` on its own address only; SIGTERM stops both listeners.
#[tokio::test]
async fn metrics_on_their_own_address() {
    let scratch = Scratch::new();
    let metrics_addr = free_address();
    let mut server_command = command(&["--metrics", "true", "--metrics-bind", &metrics_addr]);
    server_command.env("DATABASE_URL", scratch.sqlite_url());
    let mut server = Server::start(&scratch.0, "metrics", server_command).await;
    let client = reqwest::Client::new();
    let beside = client.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(beside.status(), 404, "not beside the API");
    let own = client.get(format!("http://{metrics_addr}/metrics")).send().await.unwrap();
    assert_eq!(own.status(), 200);
    let text = own.text().await.unwrap();
    assert!(samples(&text).iter().any(|s| s.metric == "netlicensing_validation_cache_hits_total"), "{text}");
    assert!(
        std::fs::read_to_string(&server.stdout).unwrap().contains(&format!("metrics: http://{metrics_addr}/metrics"))
    );
    assert!(server.terminate().success());
    assert!(client.get(format!("http://{metrics_addr}/metrics")).send().await.is_err(), "stopped with the server");
}
