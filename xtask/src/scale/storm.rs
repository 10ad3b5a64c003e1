//! `cargo xtask bench login-storm [--requests 1000]`: the memory a storm of unknown logins costs the release
//! server. Every request names another unknown login, so none is answered from the credential cache and each
//! asks for an Argon2id verification (19 MiB of working memory). The server bounds them (two verifications at
//! once in memory it keeps, a bounded queue, 503 with `Retry-After` beyond it, a bound of connections per
//! address); the figure is its resident memory before and after, and the peak during the storm.

use std::{
    env, fs,
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use super::{TempDir, http, process::Server, target_dir};

/// The growth of resident memory the storm may cost at most.
const LIMIT_MIB: f64 = 64.0;

/// Runs the storm and prints its figures; fails when the memory grew by the limit or more, or the vendor could
/// not log in after it.
pub fn run(args: &[String]) -> Result<(), String> {
    let requests = match args {
        [] => 1000,
        [flag, n] if flag == "--requests" => n.parse().map_err(|_| format!("--requests {n}: not a number"))?,
        _ => return Err("usage: cargo xtask bench login-storm [--requests N]".into()),
    };
    super::super::run(
        "release build",
        super::super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]),
    )?;
    let dir = env::temp_dir().join(format!("nlstorm-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = TempDir(dir.clone());
    let binary = dir.join("storm-server");
    fs::copy(target_dir().join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let database = format!("sqlite://{}?mode=rwc", dir.join("storm.db").display());
    let mut server = Server::start(&binary, &database, &[], &dir.join("server"))?;
    // The vendor's password verified once (a list of products), as a client that logged in before the storm.
    http::request(&server.addr, "GET", "/core/v2/rest/product", None, Duration::from_secs(60))?;
    let before = server.rss_kb().ok_or("no /proc figures for the server")?;
    server.reset_peak_rss();

    let barrier = Arc::new(Barrier::new(requests));
    let started = Instant::now();
    let threads: Vec<_> = (0..requests)
        .map(|i| {
            let (addr, barrier) = (server.addr.clone(), barrier.clone());
            thread::spawn(move || {
                let auth = format!("Basic {}", base64(&format!("storm{i}:wrong")));
                barrier.wait();
                http::request_as(&addr, &auth, "GET", "/core/v2/rest/product", None, Duration::from_secs(120))
                    .map(|answer| answer.status)
            })
        })
        .collect();
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for thread in threads {
        let status = match thread.join() {
            Ok(Ok(status)) => status.to_string(),
            Ok(Err(error)) => format!("error ({error})"),
            Err(_) => "panicked".into(),
        };
        match statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, count)) => *count += 1,
            None => statuses.push((status, 1)),
        }
    }
    let elapsed = started.elapsed();
    let peak = server.peak_rss_kb().unwrap_or(0);
    thread::sleep(Duration::from_secs(1));
    let after = server.rss_kb().unwrap_or(0);
    let vendor = http::request(&server.addr, "GET", "/core/v2/rest/product", None, Duration::from_secs(60));
    server.stop()?;

    statuses.sort();
    let mib = |kb: u64| kb as f64 / 1024.0;
    let growth = mib(peak.max(after).saturating_sub(before));
    println!("\nlogin storm: {requests} concurrent requests, each an unknown login, in {:.1} s", elapsed.as_secs_f64());
    println!("  answers: {}", statuses.iter().map(|(s, n)| format!("{n} × {s}")).collect::<Vec<_>>().join(", "));
    println!(
        "  resident memory: {:.1} MiB before, {:.1} MiB peak, {:.1} MiB after: growth {growth:.1} MiB (target < {LIMIT_MIB} MiB)",
        mib(before),
        mib(peak),
        mib(after)
    );
    println!("  the vendor's own login afterwards: {vendor:?}");
    if growth >= LIMIT_MIB {
        return Err(format!("login storm (memory grew {growth:.1} MiB)"));
    }
    if !vendor.is_ok_and(|a| a.status == 200) {
        return Err("login storm (the vendor could not log in afterwards)".into());
    }
    Ok(())
}

/// Standard base64 with padding.
pub(super) fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let bytes = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads() {
        assert_eq!(super::base64("demo:demo"), "ZGVtbzpkZW1v");
        assert_eq!(super::base64("a"), "YQ==");
        assert_eq!(super::base64("ab"), "YWI=");
    }
}
