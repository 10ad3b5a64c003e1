//! `cargo xtask bench observe [--duration 10s] [--rounds 2]`: what the operator's instruments cost on the hottest
//! path. The release server runs on a fresh SQLite database with the demo catalogue with the instruments off,
//! with metrics only, and with metrics and the access log (written to a file, as in production), alternating
//! for `--rounds` rounds; wrk validates the demo customer `I001-DEMO` (cached, JSON) with 64 connections.
//! Prints each run, the best throughput of each mode, and two ratios to "off": metrics (target: at least 0.95,
//! i.e. under 5 % lost, as the operator issue asks of metrics) and metrics with the access log (printed).

use std::{env, fs, path::PathBuf, process::Command, time::Duration};

use super::scale::{http, process, wrk};

/// The smallest acceptable ratio of throughput with the instruments on to off.
pub const TARGET_RATIO: f64 = 0.95;

/// What the benchmark compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `--metrics false --access-log false`.
    Off,
    /// `--metrics true --access-log false`.
    Metrics,
    /// `--metrics true --access-log true`.
    On,
}

impl Mode {
    fn flags(self) -> [&'static str; 4] {
        match self {
            Mode::Off => ["--metrics", "false", "--access-log", "false"],
            Mode::Metrics => ["--metrics", "true", "--access-log", "false"],
            Mode::On => ["--metrics", "true", "--access-log", "true"],
        }
    }
}

/// Options of the run.
#[derive(Debug, Clone, PartialEq)]
struct Options {
    duration: Duration,
    rounds: u32,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { duration: Duration::from_secs(10), rounds: 2 };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--duration" => {
                let text = value()?;
                let seconds = text.trim_end_matches('s').parse::<u64>().map_err(|_| format!("--duration {text}"))?;
                options.duration = Duration::from_secs(seconds.max(1));
            }
            "--rounds" => {
                let text = value()?;
                options.rounds = text.parse::<u32>().map_err(|_| format!("--rounds {text}"))?.max(1);
            }
            other => return Err(format!("bench observe: unknown argument {other}")),
        }
    }
    Ok(options)
}

/// The wrk script: hot validation of the demo customer.
const SCRIPT: &str = r#"wrk.method = "POST"
wrk.path = "/core/v2/rest/licensee/I001-DEMO/validate"
wrk.body = ""
wrk.headers["Authorization"] = "Basic ZGVtbzpkZW1v"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"#;

/// Runs the benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    wrk::available()?;
    super::run("release build", super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]))?;
    let root = super::codegen::root();
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir));
    let dir = env::temp_dir().join(format!("nlobserve-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = Cleanup(dir.clone());
    let binary = dir.join("observe-server");
    fs::copy(target.join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let script = dir.join("hot.lua");
    fs::write(&script, SCRIPT).map_err(|e| format!("wrk script ({e})"))?;
    let database = format!("sqlite://{}?mode=rwc", dir.join("observe.db").display());
    let (mut best_off, mut best_metrics, mut best_on) = (0.0f64, 0.0f64, 0.0f64);
    for round in 1..=options.rounds {
        for mode in [Mode::Off, Mode::Metrics, Mode::On] {
            let name = format!("{mode:?}-{round}").to_lowercase();
            let server = process::Server::start(&binary, &database, &mode.flags(), &dir.join(&name))?;
            // The first validation verifies the password and fills the cache; the load then finds both warm.
            let path = "/core/v2/rest/licensee/I001-DEMO/validate";
            let primed = http::request(&server.addr, "POST", path, Some(""), Duration::from_secs(60))?;
            if primed.status != 200 {
                return Err(format!("bench observe: priming validate answered {}", primed.status));
            }
            let mut command = Command::new("wrk");
            command
                .args(["-t2", &format!("-c{}", wrk::CONNECTIONS), &format!("-d{}s", options.duration.as_secs())])
                .args(["--timeout", "30s", "--latency", "-s"])
                .arg(&script)
                .arg(format!("http://{}", server.addr));
            let report = process::run_bounded(
                &format!("wrk ({name})"),
                &mut command,
                &dir.join(format!("{name}.wrk")),
                options.duration + Duration::from_secs(60),
            )?;
            let load = wrk::parse(&report).ok_or_else(|| format!("wrk ({name}): unreadable report:\n{report}"))?;
            let (_, log) = server.stop()?;
            let access_lines = log.lines().filter(|l| l.contains("netlicensing::access")).count();
            println!(
                "observe: {name:<9} {:>9.0} requests/s  p50 {:>8.2?}  p99 {:>8.2?}  non-2xx {}  errors {}  access lines {}",
                load.per_second,
                load.p50.unwrap_or_default(),
                load.p99.unwrap_or_default(),
                load.non_2xx,
                load.errors,
                access_lines
            );
            if load.non_2xx > 0 || load.requests == 0 {
                return Err(format!("bench observe: {name} had {} non-2xx of {}", load.non_2xx, load.requests));
            }
            match mode {
                Mode::Off => best_off = best_off.max(load.per_second),
                Mode::Metrics => best_metrics = best_metrics.max(load.per_second),
                Mode::On => best_on = best_on.max(load.per_second),
            }
        }
    }
    let ratio = |best: f64| if best_off > 0.0 { best / best_off } else { 0.0 };
    println!(
        "observe: hot validate, instruments off {best_off:.0} requests/s, metrics {best_metrics:.0}, metrics and \
         access log {best_on:.0}"
    );
    println!("observe: metrics/off throughput ratio {:.3} (target at least {TARGET_RATIO})", ratio(best_metrics));
    println!("observe: metrics and access log/off throughput ratio {:.3}", ratio(best_on));
    Ok(())
}

/// Removes the scratch directory.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        fs::remove_dir_all(&self.0).ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read() {
        let args: Vec<String> = ["--duration", "3s", "--rounds", "1"].map(String::from).to_vec();
        assert_eq!(parse(&args), Ok(Options { duration: Duration::from_secs(3), rounds: 1 }));
        assert!(parse(&["--bogus".into()]).is_err());
        assert!(SCRIPT.contains("I001-DEMO/validate"));
        assert_eq!(Mode::On.flags(), ["--metrics", "true", "--access-log", "true"]);
        assert_eq!(Mode::Metrics.flags(), ["--metrics", "true", "--access-log", "false"]);
    }
}
