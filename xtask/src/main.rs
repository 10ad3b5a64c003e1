//! `cargo xtask`: the project's chores behind one front door.
//!
//! - `cargo xtask ci`: format check, clippy with `-D warnings`, the codegen check, the pinned official JavaScript
//!   client installed for the tests (`npm ci`), `xmlsec1` and Chromium installed when missing (the independent signature
//!   verifier, the console's browser test), the test suite on SQLite, and again on PostgreSQL for the storage-backed crate when
//!   `DATABASE_URL` names one. `.ci/run` and the README call exactly this.
//! - `cargo xtask codegen [--check]`: writes (or checks) `docs/openapi.json` and the endpoint table of
//!   `docs/api.md` from the API description ([`codegen`]).
//! - `cargo xtask bench`: builds the benchmarks in release mode, runs them, and prints every figure with its
//!   ratio to its baseline ([`bench`]).
//! - `cargo xtask bench scale [--sqlite-only] [--sizes 1000,100000] [--duration 10s]`: the store at real volume
//!   (seeded databases, the server and wrk as processes), run by hand; one table of figures and targets ([`scale`]).
//! - `cargo xtask bench observe [--duration 10s] [--rounds 2]`: hot validation with metrics and the access log on
//!   against off, and the ratio ([`observe`]).
//! - `cargo xtask bench login-storm [--requests 1000]`: the release server's memory under a storm of unknown
//!   logins ([`scale::storm`]).
//! - `cargo xtask bench signing [--duration 10s]`: signed validations per second against the machine's RSA sign
//!   rate, and `/health` latency during them ([`scale::signing`]).
//! - `cargo xtask bench import [--licensees 100000] [--licenses-per-licensee 10]`: a seeded account imported over
//!   loopback, exported and imported from the file, with the release server on SQLite ([`scale::import`]).
//! - `cargo xtask bench console [--licensees 100000] [--rounds 5] [--sqlite-only]`: every kind of console page
//!   over a seeded vendor, timed on the client and by the server's access log ([`scale::console`]).

mod bench;
mod codegen;
mod observe;
mod scale;

use std::{
    env,
    process::{Command, ExitCode},
};

const USAGE: &str = "usage: cargo xtask <command>
  ci                  everything CI runs: fmt check, clippy -D warnings, codegen --check, tests (SQLite; PostgreSQL
                      too when DATABASE_URL names one)
  codegen [--check]   write docs/openapi.json and the endpoint table of docs/api.md (--check: fail if stale)
  bench [args]        release-mode benchmarks (codec, HTTP) and a summary of ratios to their baselines
  bench scale [--sqlite-only] [--sizes 1000,100000] [--duration 10s]
                      the store at volume: seeds each size, drives the release server with wrk (install wrk
                      first), prints one table of figures and targets (also target/bench-scale.md); takes minutes
  bench observe [--duration 10s] [--rounds 2]
                      hot validate with metrics and access log on vs off (release server, wrk): the throughput
                      ratio, target at least 0.95
  bench login-storm [--requests 1000]
                      the release server's memory under a storm of unknown logins (target: growth < 64 MiB)
  bench signing [--duration 10s]
                      signed validates/s against openssl speed rsa2048 over every core, and /health p99 during the
                      signing load against idle (install wrk first)
  bench import [--licensees 100000] [--licenses-per-licensee 10]
                      a seeded account moved with the release server on SQLite: import --from over loopback
                      (licensees/s), export (size, time), import --file (licensees/s)
  bench console [--licensees 100000] [--rounds 5] [--sqlite-only]
                      the console's pages over a seeded vendor (release server; PostgreSQL too when DATABASE_URL
                      names one): cold and warm times on the client and the server's own from its access log,
                      against < 50 ms server time (lists: every fetch < 200 ms); also target/bench-console.md";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("codegen") => codegen::run(&args[1..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("scale") => scale::run(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("observe") => observe::run(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("login-storm") => scale::storm::run(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("signing") => scale::signing::run(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("import") => scale::import::run(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("console") => scale::console::run(&args[2..]),
        Some("bench") => bench::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(step) => {
            eprintln!("xtask: {step} failed");
            ExitCode::FAILURE
        }
    }
}

/// Every check CI runs, in order, stopping at the first failure.
fn ci() -> Result<(), String> {
    run("format check", cargo(&["fmt", "--all", "--", "--check"]))?;
    run("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    println!("xtask: codegen check");
    codegen::check(&netlicensing_model::api::routes(), &codegen::root())?;
    official_clients()?;
    debian_tool("xmlsec1", &["xmlsec1"], "the independent signature check")?;
    debian_tool("chromedriver", &["chromium", "chromium-driver"], "the console's browser test")?;
    let mut sqlite = cargo(&["test", "--workspace", "--locked"]);
    sqlite.env_remove("DATABASE_URL");
    run("tests (SQLite)", sqlite)?;
    match env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            run("tests (PostgreSQL)", cargo(&["test", "--locked", "-p", "netlicensing-server"]))?;
        }
        _ => println!("xtask: DATABASE_URL names no PostgreSQL database; PostgreSQL tests skipped"),
    }
    Ok(())
}

/// Installs the pinned official JavaScript client the server's tests drive (`npm ci`). Without npm the test
/// is skipped locally; under CI (`CI` set) a missing npm is a failure.
fn official_clients() -> Result<(), String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/netlicensing-server/tests/clients/js");
    let npm_available = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
    if !npm_available {
        if env::var_os("CI").is_some() {
            return Err("official clients (npm is not installed)".into());
        }
        println!("xtask: npm not found; the official JavaScript client test will be skipped");
        return Ok(());
    }
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(dir);
    run("official JavaScript client (npm ci)", npm)
}

/// Installs a Debian tool the tests use when it is missing: `xmlsec1` (the independent verifier of signed
/// validation answers), `chromium` + `chromium-driver` (the console's browser test). Without it the test is
/// skipped locally; under CI a missing tool is a failure.
fn debian_tool(command: &str, packages: &[&str], what: &str) -> Result<(), String> {
    let present = || Command::new(command).arg("--version").output().is_ok_and(|o| o.status.success());
    if present() {
        return Ok(());
    }
    let apt = Command::new("apt-get").arg("--version").output().is_ok_and(|o| o.status.success());
    if apt {
        let mut update = Command::new("apt-get");
        update.args(["update", "-q"]);
        run("apt-get update", update).ok();
        let mut install = Command::new("apt-get");
        install.args(["install", "-y", "-q"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive");
        run(&format!("{} (apt-get install)", packages.join(" ")), install).ok();
    }
    if present() {
        return Ok(());
    }
    if env::var_os("CI").is_some() {
        return Err(format!("{command} (not installed and not installable)"));
    }
    println!("xtask: {command} not found; {what} will be skipped");
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args);
    command
}

fn run(step: &str, mut command: Command) -> Result<(), String> {
    println!("xtask: {step}: {command:?}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{step} ({status})")),
        Err(error) => Err(format!("{step} (could not start: {error})")),
    }
}
