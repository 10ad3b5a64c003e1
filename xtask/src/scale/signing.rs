//! `cargo xtask bench signing [--duration 10s]`: signed validation at speed, against what the machine can sign.
//!
//! Starts the release server (SQLite, demo catalogue), creates an API key with a fresh 2048-bit private key
//! (`openssl genpkey`), and measures with wrk: `/health` alone (4 connections), then signed XML validations of the
//! demo customer (64 connections) with `/health` measured beside them. Prints the signed validations per second
//! against `openssl speed -multi <cores> rsa2048` (the machine's RSA-2048 sign rate over every core) and the
//! `/health` p99 under the signing load against its idle p99. Targets: a ratio of at least 0.3, and `/health`
//! p99 under load within 2× of idle.

use std::{env, fs, path::Path, process::Command, thread, time::Duration};

use super::{
    TempDir,
    http::{self, DEMO_AUTH},
    process::Server,
    target_dir, wrk,
};

/// The demo customer, validated by every request.
const CUSTOMER: &str = "I001-DEMO";

/// Runs the benchmark and prints its figures (it fails only when it cannot measure).
pub fn run(args: &[String]) -> Result<(), String> {
    let duration = match args {
        [] => Duration::from_secs(10),
        [flag, d] if flag == "--duration" => {
            Duration::from_secs(d.trim_end_matches('s').parse().map_err(|_| format!("--duration {d}: not seconds"))?)
        }
        _ => return Err("usage: cargo xtask bench signing [--duration 10s]".into()),
    };
    wrk::available()?;
    super::super::run(
        "release build",
        super::super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]),
    )?;
    let dir = env::temp_dir().join(format!("nlsigning-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = TempDir(dir.clone());
    let binary = dir.join("signing-server");
    fs::copy(target_dir().join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let key = private_key(&dir)?;
    let database = format!("sqlite://{}?mode=rwc", dir.join("signing.db").display());
    let server = Server::start(&binary, &database, &[], &dir.join("server"))?;
    // The vendor's password verified once (a list of products) before anything is measured.
    http::request(&server.addr, "GET", "/core/v2/rest/product", None, Duration::from_secs(60))?;
    let form = format!("tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ADMIN&privateKey={}", percent_encode(&key));
    let (status, body) = http::request_text(
        &server.addr,
        (DEMO_AUTH, "application/json"),
        "POST",
        "/core/v2/rest/token",
        Some(&form),
        Duration::from_secs(30),
    )?;
    let token =
        property(&body, "number").filter(|_| status == 200).ok_or(format!("API key not created ({status}): {body}"))?;
    let auth = format!("Basic {}", super::storm::base64(&format!("apiKey:{token}")));
    let path = format!("/core/v2/rest/licensee/{CUSTOMER}/validate");
    let (status, body) =
        http::request_text(&server.addr, (&auth, "application/xml"), "POST", &path, Some(""), Duration::from_secs(30))?;
    if status != 200 || !body.contains("SignatureValue") {
        return Err(format!("signed validation ({status}): {body}"));
    }

    let idle = load(&server.addr, &dir, "health", "/health", "GET", DEMO_AUTH, 4, duration)?;
    let health = {
        let (addr, dir) = (server.addr.clone(), dir.clone());
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(500));
            load(&addr, &dir, "health-under-load", "/health", "GET", DEMO_AUTH, 4, duration - Duration::from_secs(1))
        })
    };
    let signed = load(&server.addr, &dir, "signed", &path, "POST", &auth, 64, duration)?;
    let busy = health.join().map_err(|_| "health load panicked")??;
    server.stop()?;
    let cores = thread::available_parallelism().map_or(2, usize::from);
    let openssl = openssl_sign_rate(cores)?;

    let ms = |d: Option<Duration>| d.map_or("-".into(), |d| format!("{:.2} ms", d.as_secs_f64() * 1000.0));
    let ratio = signed.per_second / openssl;
    let health_ratio = match (busy.p99, idle.p99) {
        (Some(busy), Some(idle)) if !idle.is_zero() => busy.as_secs_f64() / idle.as_secs_f64(),
        _ => f64::NAN,
    };
    println!("\nsigned validation ({} s each, release build, {cores} cores)", duration.as_secs());
    println!(
        "  signed validates: {:.0}/s (p50 {}, p99 {}, {} non-2xx, {} socket errors)",
        signed.per_second,
        ms(signed.p50),
        ms(signed.p99),
        signed.non_2xx,
        signed.errors
    );
    println!("  openssl speed -multi {cores} rsa2048: {openssl:.0} signs/s");
    println!("  ratio: {ratio:.2} (target >= 0.30)");
    println!(
        "  /health p99: {} idle, {} during the signing load: {health_ratio:.2}x (target <= 2x)",
        ms(idle.p99),
        ms(busy.p99)
    );
    Ok(())
}

/// One wrk run with a fixed request.
#[allow(clippy::too_many_arguments)]
fn load(
    addr: &str,
    dir: &Path,
    name: &str,
    path: &str,
    method: &str,
    auth: &str,
    connections: u32,
    duration: Duration,
) -> Result<wrk::Load, String> {
    let lua = dir.join(format!("{name}.lua"));
    let script = format!(
        "wrk.method = \"{method}\"\nwrk.path = \"{path}\"\nwrk.headers[\"Authorization\"] = \"{auth}\"\n\
         wrk.headers[\"Accept\"] = \"application/xml\"\n\
         wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\nwrk.body = \"\"\n"
    );
    fs::write(&lua, script).map_err(|e| format!("wrk script ({e})"))?;
    wrk::run_script(addr, name, &lua, connections, duration, dir)
}

/// A fresh RSA-2048 private key in PKCS#8 PEM form.
fn private_key(dir: &Path) -> Result<String, String> {
    let file = dir.join("key.pem");
    let status = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out"])
        .arg(&file)
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("openssl genpkey (could not start: {e})"))?;
    if !status.success() {
        return Err(format!("openssl genpkey ({status})"));
    }
    fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
}

/// The machine's RSA-2048 signatures per second over `cores` processes (`openssl speed -multi`).
fn openssl_sign_rate(cores: usize) -> Result<f64, String> {
    let output = Command::new("openssl")
        .args(["speed", "-seconds", "5", "-multi", &cores.to_string(), "rsa2048"])
        .output()
        .map_err(|e| format!("openssl speed (could not start: {e})"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    sign_rate(&text).ok_or_else(|| format!("openssl speed: no rsa 2048 line in:\n{text}"))
}

/// The sign/s column of `openssl speed`'s `rsa 2048 bits` line.
fn sign_rate(report: &str) -> Option<f64> {
    let line = report.lines().rev().find(|l| l.trim_start().starts_with("rsa") && l.contains("2048 bits"))?;
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.trim_end_matches('s').parse::<f64>().ok())
        .filter(|n| *n != 2048.0)
        .collect();
    numbers.get(2).copied()
}

/// The value of an entity property in a JSON answer (`{"name":"number","value":"…"}`, in either order).
fn property(json: &str, name: &str) -> Option<String> {
    let at = json.find(&format!("\"name\":\"{name}\""))?;
    let start = json[..at].rfind('{')?;
    let end = at + json[at..].find('}')?;
    let object = &json[start..end];
    let value = object.split_once("\"value\":\"")?.1;
    Some(value.split('"').next()?.to_owned())
}

/// Form-encodes a value (every byte but unreserved characters as `%XX`).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_openssl_and_answers() {
        let report = "                  sign    verify    sign/s verify/s\nrsa 2048 bits 0.000219s 0.000006s   4555.0 161000.0\n";
        assert_eq!(sign_rate(report), Some(4555.0));
        let json =
            r#"{"items":{"item":[{"property":[{"value":"abc-1","name":"number"},{"value":"true","name":"active"}]}]}}"#;
        assert_eq!(property(json, "number").as_deref(), Some("abc-1"));
        assert_eq!(percent_encode("a b+/\n"), "a%20b%2B%2F%0A");
    }
}
