//! `cargo xtask bench console [--licensees 100000] [--rounds 5] [--sqlite-only]`: the vendor console's pages at
//! volume, run by hand (it takes minutes).
//!
//! Builds the server in release mode and, for each engine (a SQLite file in a temporary directory; PostgreSQL in
//! a fresh database `nlconsole_<licensees>` beside the one `DATABASE_URL` names, unless `--sqlite-only`), seeds
//! the demo vendor (`netlicensing-server seed`: named customers × 10 licenses with the custom property `crm`, and
//! one transaction each), starts the release server as a process, signs in to the console over HTTP (the
//! sign-in form's CSRF field and cookie, then the session cookie), picks a random customer and finds one of its
//! licenses through the REST API, and fetches every page kind ([`pages`]) `--rounds` times, one request at a
//! time: the first fetch is cold, the others warm. Each page is timed on the client (loopback, one connection
//! per request) and by the server (`duration_ms` of its access-log line, found by the `X-Request-Id` sent).
//!
//! Prints one markdown table, also written to `target/bench-console.md`, and fails when a page answers other
//! than 200 or without the text it must show.

mod access_log;
mod pages;
mod report;
mod sign_in;

use std::{env, fs, path::Path, time::Duration};

use pages::{Kind, Subject};
use report::{Fetch, Figure};

use super::{Engine, LICENSES_PER_LICENSEE, TempDir, http, process, process::Server, target_dir};

/// Timeout of one page fetch.
const FETCH_TIMEOUT: Duration = Duration::from_secs(120);

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Customers to seed.
    pub licensees: u64,
    /// Fetches of each page (the first one cold); at least 2.
    pub rounds: usize,
    /// SQLite only, even when `DATABASE_URL` names a PostgreSQL database.
    pub sqlite_only: bool,
}

impl Options {
    /// Reads `[--licensees 100000] [--rounds 5] [--sqlite-only]`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self { licensees: 100_000, rounds: 5, sqlite_only: false };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut number = || {
                let text = inline.clone().or_else(|| iter.next().cloned()).ok_or(format!("{flag} needs a value"))?;
                text.replace('_', "").parse::<u64>().map_err(|_| format!("{flag} must be a whole number, not '{text}'"))
            };
            match flag {
                "--sqlite-only" => options.sqlite_only = true,
                "--licensees" => options.licensees = number()?.max(1),
                "--rounds" => {
                    let rounds = number()?;
                    if rounds < 2 {
                        return Err("--rounds must be at least 2 (a cold fetch and a warm one)".into());
                    }
                    options.rounds = usize::try_from(rounds).map_err(|_| "--rounds is too large".to_owned())?;
                }
                other => return Err(format!("bench console: unknown argument '{other}'")),
            }
        }
        Ok(options)
    }
}

/// Runs the console benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let target = target_dir();
    super::super::run(
        "release build",
        super::super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]),
    )?;
    let dir = env::temp_dir().join(format!("nlconsole-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = TempDir(dir.clone());
    // A private copy, as `bench scale` does: a rebuild during the run cannot swap it.
    let binary = dir.join("console-server");
    fs::copy(target.join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let (mut figures, mut failures) = (Vec::new(), Vec::new());
    for engine in super::engines(options.sqlite_only) {
        match measure(&binary, &dir, &engine, &options) {
            Ok((mut measured, errors)) => {
                figures.append(&mut measured);
                failures.extend(errors.into_iter().map(|e| format!("{}: server logged {e}", engine.name())));
            }
            Err(error) => failures.push(format!("{}: {error}", engine.name())),
        }
        engine.drop_database("console", options.licensees, &dir);
    }
    let table = report::table(&figures, &failures, &options);
    println!("\n{table}");
    let file = target.join("bench-console.md");
    fs::write(&file, &table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("xtask: console: table written to {}", file.display());
    let wrong = figures.iter().filter(|f| !f.problems().is_empty()).count() + failures.len();
    if wrong > 0 {
        return Err(format!("bench console ({wrong} pages or steps answered wrongly; see the table)"));
    }
    Ok(())
}

/// Seeds a fresh database of the engine, serves it and fetches every page; returns the figures and the errors
/// the server logged.
fn measure(
    binary: &Path,
    dir: &Path,
    engine: &Engine,
    options: &Options,
) -> Result<(Vec<Figure>, Vec<String>), String> {
    let size = options.licensees;
    println!(
        "xtask: console: {}: seeding {size} customers × {LICENSES_PER_LICENSEE} licenses, 1 transaction each",
        engine.name()
    );
    let url = engine.fresh("console", size, dir)?;
    super::seed(binary, dir, &url, size, &["--transactions-per-licensee", "1"])?;
    let logs = dir.join(format!("console-{}", engine.name().to_lowercase()));
    let flags = ["--log", "info", "--access-log", "true"];
    let server = Server::start(binary, &url, &flags, &logs)?;
    let cookie = sign_in::sign_in(&server.addr, "demo", "demo")?;
    let customer = fastrand::u64(..size.max(1));
    let subject = Subject { licensees: size, customer, license: license_of(&server.addr, customer)? };
    println!("xtask: console: customer SCALE-I{customer}, license {}", subject.license);
    let mut fetched = Vec::new();
    for (index, page) in pages::pages(&subject).into_iter().enumerate() {
        let mut replies = Vec::new();
        for round in 0..options.rounds {
            let id = format!("bench-console-{index}-{round}");
            let mut headers = vec![("X-Request-Id", id.as_str())];
            if page.kind != Kind::Reference {
                headers.push(("Cookie", cookie.as_str()));
            }
            let reply = http::send(&server.addr, "GET", &page.path, &headers, None, FETCH_TIMEOUT)?;
            let complete = reply.body.contains(&page.expect);
            replies.push((id, reply.status, reply.elapsed.as_secs_f64() * 1000.0, complete));
        }
        let times: Vec<String> = replies.iter().map(|(_, _, ms, _)| format!("{ms:.1}")).collect();
        println!("xtask: console: {}: {}: {} ms", engine.name(), page.name, times.join(" "));
        fetched.push((page, replies));
    }
    let (_, log) = server.stop()?;
    let durations = access_log::durations(&log);
    let figures = fetched
        .into_iter()
        .map(|(page, replies)| Figure {
            engine: engine.name(),
            page,
            fetches: replies
                .into_iter()
                .map(|(id, status, client_ms, complete)| Fetch {
                    status,
                    client_ms,
                    server_ms: durations.get(&id).copied(),
                    complete,
                })
                .collect(),
        })
        .collect();
    let errors = process::error_summary(&log, 3).into_iter().map(|(n, message)| format!("{n} × {message}")).collect();
    Ok((figures, errors))
}

/// A license of customer `SCALE-I<customer>`, found through the REST API (`GET /license?licenseeNumber=`).
fn license_of(addr: &str, customer: u64) -> Result<String, String> {
    let path = format!("/core/v2/rest/license?licenseeNumber=SCALE-I{customer}");
    let (status, body) =
        http::request_text(addr, (http::DEMO_AUTH, "application/json"), "GET", &path, None, FETCH_TIMEOUT)?;
    if status != 200 {
        return Err(format!("GET {path} answered {status}: {body}"));
    }
    first_number(&body).ok_or_else(|| format!("GET {path} listed no license: {body}"))
}

/// The `number` of the first item of a JSON answer.
fn first_number(body: &str) -> Option<String> {
    let document = netlicensing_model::codec::from_json(body).ok()?;
    document.items().first()?.property("number").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn reads_its_options() {
        assert_eq!(Options::parse(&[]), Ok(Options { licensees: 100_000, rounds: 5, sqlite_only: false }));
        let options = Options::parse(&args("--licensees 1_000 --rounds=3 --sqlite-only")).unwrap();
        assert_eq!(options, Options { licensees: 1000, rounds: 3, sqlite_only: true });
        assert!(Options::parse(&args("--rounds 1")).is_err());
        assert!(Options::parse(&args("--licensees many")).is_err());
        assert!(Options::parse(&args("--licensees")).is_err());
        assert!(Options::parse(&args("--sizes 5")).is_err());
    }

    #[test]
    fn takes_the_first_listed_number() {
        let body = r#"{"items":{"item":[{"type":"License","property":[{"name":"number","value":"SCALE-L7-0"},{"name":"active","value":"true"}],"list":[]},{"type":"License","property":[{"name":"number","value":"SCALE-L7-1"}],"list":[]}]}}"#;
        assert_eq!(first_number(body).as_deref(), Some("SCALE-L7-0"));
        assert_eq!(first_number(r#"{"items":{"item":[]}}"#), None);
        assert_eq!(first_number("not json"), None);
    }
}
