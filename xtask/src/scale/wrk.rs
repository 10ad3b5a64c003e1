//! The load generator: wrk runs (64 connections, `--latency`) with Lua scripts for random licensees, and what
//! its report says.

use std::{
    path::Path,
    process::Command,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::{http::DEMO_AUTH, process};

/// Concurrent connections of every load run.
pub const CONNECTIONS: u32 = 64;

/// What one wrk run measured.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Load {
    /// Completed requests per second.
    pub per_second: f64,
    /// Median latency (`None` when no request completed).
    pub p50: Option<Duration>,
    /// 99th percentile latency (`None` when no request completed).
    pub p99: Option<Duration>,
    /// Completed requests.
    pub requests: u64,
    /// Answers other than 2xx/3xx.
    pub non_2xx: u64,
    /// Socket errors (connect, read, write, timeout).
    pub errors: u64,
}

/// The workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// `GET /health`.
    Health,
    /// Validations of random existing licensees.
    Validate,
    /// The same with 1 in 100 requests a write: alternately the first validation of a new licensee
    /// (auto-create) and a floating check-out of a random licensee.
    Mixed,
}

/// Checks that wrk is installed.
pub fn available() -> Result<(), String> {
    match Command::new("wrk").arg("--version").output() {
        Ok(_) => Ok(()),
        Err(_) => Err("wrk (not installed; e.g. apt-get install wrk)".into()),
    }
}

/// Runs wrk for `duration` against the server at `addr`; `licensees` is the number of seeded licensees.
pub fn run(addr: &str, script: Script, licensees: u64, duration: Duration, dir: &Path) -> Result<Load, String> {
    let name = format!("{script:?}").to_lowercase();
    let lua = dir.join(format!("{name}.lua"));
    std::fs::write(&lua, lua_script(script, licensees, &run_tag())).map_err(|e| format!("wrk script ({e})"))?;
    run_script(addr, &name, &lua, CONNECTIONS, duration, dir)
}

/// Runs wrk with a Lua script (two threads, `connections` connections, 30 s request timeout) for `duration`,
/// its report kept as `<dir>/<name>.wrk`, and reads the report.
pub(crate) fn run_script(
    addr: &str,
    name: &str,
    lua: &Path,
    connections: u32,
    duration: Duration,
    dir: &Path,
) -> Result<Load, String> {
    let seconds = duration.as_secs().max(1);
    let mut command = Command::new("wrk");
    command
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--timeout", "30s", "--latency"])
        .arg("-s")
        .arg(lua)
        .arg(format!("http://{addr}"));
    let output = dir.join(format!("{name}.wrk"));
    let text =
        process::run_bounded(&format!("wrk ({name})"), &mut command, &output, duration + Duration::from_secs(60))?;
    parse(&text).ok_or_else(|| format!("wrk ({name}): unreadable report:\n{text}"))
}

/// Several runs of one workload of equal length as one: the mean rate, the counts summed, the worst latencies.
pub fn combined(runs: &[Load]) -> Load {
    let worst = |f: fn(&Load) -> Option<Duration>| runs.iter().filter_map(f).max();
    Load {
        per_second: runs.iter().map(|l| l.per_second).sum::<f64>() / runs.len().max(1) as f64,
        p50: worst(|l| l.p50),
        p99: worst(|l| l.p99),
        requests: runs.iter().map(|l| l.requests).sum(),
        non_2xx: runs.iter().map(|l| l.non_2xx).sum(),
        errors: runs.iter().map(|l| l.errors).sum(),
    }
}

/// Runs `script` between two runs of `/health` half as long on the same server: the ratio of the workload to
/// health then compares the two on the machine as it was during the workload (this machine's speed drifts by
/// 20 % over minutes). Returns health's combined figures and the workload's.
pub fn beside_health(
    addr: &str,
    script: Script,
    licensees: u64,
    duration: Duration,
    dir: &Path,
) -> Result<(Load, Load), String> {
    let half = (duration / 2).max(Duration::from_secs(1));
    let before = run(addr, Script::Health, licensees, half, dir)?;
    let load = run(addr, script, licensees, duration, dir)?;
    let after = run(addr, Script::Health, licensees, half, dir)?;
    Ok((combined(&[before, after]), load))
}

/// A tag unique to this run, for numbers of licensees created by it.
fn run_tag() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{:x}", nanos % 0xffff_ffff_ffff)
}

/// The Lua script of a workload.
pub fn lua_script(script: Script, licensees: u64, tag: &str) -> String {
    let common = format!(
        r#"local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end
local headers = {{ ["Authorization"] = "{DEMO_AUTH}", ["Content-Type"] = "application/x-www-form-urlencoded" }}
local body = "productNumber={product}"
local sent = 0
local function validate(number, extra)
  return wrk.format("POST", "/core/v2/rest/licensee/" .. number .. "/validate", headers, body .. extra)
end
local function random_licensee()
  return "SCALE-I" .. math.random(0, {last})
end
"#,
        product = super::PRODUCT,
        last = licensees.saturating_sub(1),
    );
    let request = match script {
        Script::Health => "function request()\n  return wrk.format(\"GET\", \"/health\")\nend\n".to_owned(),
        Script::Validate => "function request()\n  return validate(random_licensee(), \"\")\nend\n".to_owned(),
        Script::Mixed => format!(
            r#"function request()
  sent = sent + 1
  if sent % 200 == 100 then
    return validate("NEW-{tag}-" .. (id or 0) .. "-" .. sent, "")
  elseif sent % 200 == 0 then
    local session = "S" .. math.random(1, 1000000000)
    return validate(random_licensee(), "&sessionId0=" .. session .. "&action0=checkOut&productModuleNumber0={module}")
  end
  return validate(random_licensee(), "")
end
"#,
            module = super::FLOATING_MODULE
        ),
    };
    common + &request
}

/// The figures of a wrk report (`None` without a `Requests/sec` line).
pub fn parse(report: &str) -> Option<Load> {
    let mut load = Load::default();
    let mut rate = None;
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => rate = value.parse().ok(),
            ["50%", value] => load.p50 = Some(duration(value)?),
            ["99%", value] => load.p99 = Some(duration(value)?),
            [count, "requests", "in", ..] => load.requests = count.parse().ok()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => load.non_2xx = count.parse().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                load.errors = rest.iter().filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok()).sum();
            }
            _ => {}
        }
    }
    load.per_second = rate?;
    if load.requests == 0 {
        (load.p50, load.p99) = (None, None);
    }
    Some(load)
}

/// A wrk duration (`635.91us`, `2.47ms`, `1.20s`, `1.00m`).
fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_report() {
        let report = "Running 10s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Latency Distribution
     50%  635.91us
     75%  712.34us
     90%    1.04ms
     99%    2.47s
  12345 requests in 10.00s, 1.23MB read
  Socket errors: connect 0, read 1, write 0, timeout 5
  Non-2xx or 3xx responses: 12
Requests/sec:   1234.50
Transfer/sec:    126.31KB
";
        let load = parse(report).unwrap();
        assert_eq!((load.per_second, load.requests, load.non_2xx, load.errors), (1234.5, 12345, 12, 6));
        assert_eq!(load.p50, Some(Duration::from_nanos(635_910)));
        assert_eq!(load.p99, Some(Duration::from_millis(2470)));
        assert_eq!(parse("nothing"), None);
    }

    #[test]
    fn combines_runs_of_one_workload() {
        let run = |per_second: f64, p99_ms: u64| Load {
            per_second,
            p50: Some(Duration::from_millis(1)),
            p99: Some(Duration::from_millis(p99_ms)),
            requests: 10,
            non_2xx: 1,
            errors: 0,
        };
        let both = combined(&[run(100.0, 5), run(300.0, 9)]);
        assert_eq!((both.per_second, both.requests, both.non_2xx), (200.0, 20, 2));
        assert_eq!(both.p99, Some(Duration::from_millis(9)));
        assert_eq!(combined(&[]).per_second, 0.0);
    }

    #[test]
    fn scripts_name_the_seeded_licensees() {
        let mixed = lua_script(Script::Mixed, 1000, "t1");
        assert!(mixed.contains("math.random(0, 999)") && mixed.contains("NEW-t1-"), "{mixed}");
        assert!(mixed.contains("productModuleNumber0=MSCALE-FL"), "{mixed}");
    }
}
