//! Child processes, each bounded in time and killed when dropped: the seeder, the server, wrk.

use std::{
    fs::{self, File},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    thread,
    time::{Duration, Instant},
};

use super::http;

/// A child process that is killed (and reaped) when dropped.
pub struct Guard {
    child: Option<Child>,
    what: String,
}

impl Guard {
    /// Starts a command.
    pub fn spawn(what: &str, command: &mut Command) -> Result<Self, String> {
        let child = command.spawn().map_err(|e| format!("{what} (could not start: {e})"))?;
        Ok(Self { child: Some(child), what: what.to_owned() })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Whether the process has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    /// Waits for the process to end, at most `timeout`; kills it when it takes longer.
    pub fn wait(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exited() {
                self.child = None;
                return Ok(status);
            }
            if Instant::now() >= deadline {
                self.kill();
                return Err(format!("{} (still running after {} s; killed)", self.what, timeout.as_secs()));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Asks the process to stop (SIGINT), as an operator would, then waits at most `timeout`.
    pub fn interrupt(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let pid = self.pid().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().is_ok_and(|s| s.success());
        if !sent {
            self.kill();
            return Err(format!("{} (could not be interrupted; killed)", self.what));
        }
        self.wait(timeout)
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs a command to its end (at most `timeout`) with its standard output in `output`, and returns that output.
pub fn run_bounded(what: &str, command: &mut Command, output: &Path, timeout: Duration) -> Result<String, String> {
    let file = File::create(output).map_err(|e| format!("{what} ({}: {e})", output.display()))?;
    command.stdout(file).stdin(Stdio::null());
    let mut guard = Guard::spawn(what, command)?;
    let status = guard.wait(timeout)?;
    let text = fs::read_to_string(output).map_err(|e| format!("{what} ({}: {e})", output.display()))?;
    if !status.success() {
        return Err(format!("{what} ({status}): {}", text.trim()));
    }
    Ok(text)
}

/// A free local port.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("free port ({e})"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("free port ({e})"))
}

/// A running server with its log files.
pub struct Server {
    guard: Guard,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    stderr: PathBuf,
    peak_rss_kb: u64,
}

impl Server {
    /// Starts the server binary on a free port over `database_url` with extra flags and waits until `/health`
    /// answers (at most a minute).
    pub fn start(binary: &Path, database_url: &str, flags: &[&str], logs: &Path) -> Result<Self, String> {
        let addr = format!("127.0.0.1:{}", free_port()?);
        let stderr = logs.with_extension("stderr");
        let out = File::create(logs.with_extension("stdout")).map_err(|e| format!("server log ({e})"))?;
        let err = File::create(&stderr).map_err(|e| format!("server log ({e})"))?;
        let mut command = Command::new(binary);
        command
            .args(flags)
            .env("NETLICENSING_BIND", &addr)
            .env("DATABASE_URL", database_url)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let guard = Guard::spawn("server", &mut command)?;
        let mut server = Self { guard, addr, stderr, peak_rss_kb: 0 };
        server.wait_healthy(Duration::from_secs(60))?;
        Ok(server)
    }

    /// Waits until `/health` answers 200.
    pub fn wait_healthy(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.guard.exited() {
                return Err(format!("server exited ({status}): {}", self.log_tail()));
            }
            let answer = http::request(&self.addr, "GET", "/health", None, Duration::from_secs(5));
            if answer.is_ok_and(|a| a.status == 200) {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(100));
        }
        Err(format!("server not healthy after {} s: {}", timeout.as_secs(), self.log_tail()))
    }

    /// The peak resident set size since the last reset (kB), also kept as the server's overall peak; `None`
    /// where `/proc` does not tell.
    pub fn peak_rss_kb(&mut self) -> Option<u64> {
        let kb = self.read_peak_rss_kb()?;
        self.peak_rss_kb = self.peak_rss_kb.max(kb);
        Some(kb)
    }

    /// Resets the peak resident set size (after recording the peak so far).
    pub fn reset_peak_rss(&mut self) {
        self.peak_rss_kb();
        self.clear_peak_rss();
    }

    /// The resident set size now (kB); `None` where `/proc` does not tell.
    pub fn rss_kb(&self) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.guard.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn read_peak_rss_kb(&self) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.guard.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn clear_peak_rss(&self) {
        fs::write(format!("/proc/{}/clear_refs", self.guard.pid()), "5").ok();
    }

    /// Has the server verify the demo vendor's password now (one request), so that load runs find the credential
    /// cached instead of verifying it (argon2) on every connection at once.
    /// Also waits (at most two minutes) until the server answers it, so the previous run's backlog has drained.
    pub fn prime_credentials(&self) {
        let path = format!("/core/v2/rest/product/{}", super::PRODUCT);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            match http::request(&self.addr, "GET", &path, None, Duration::from_secs(60)) {
                Ok(answer) if answer.status == 200 => return,
                other if Instant::now() >= deadline => {
                    println!("xtask: scale: priming the credentials: {other:?}");
                    return;
                }
                _ => thread::sleep(Duration::from_secs(1)),
            }
        }
    }

    /// Stops the server (SIGINT, at most 60 s) and returns its overall peak RSS (kB) and its standard error.
    pub fn stop(mut self) -> Result<(u64, String), String> {
        self.peak_rss_kb();
        self.guard.interrupt(Duration::from_secs(60))?;
        let log = fs::read_to_string(&self.stderr).unwrap_or_default();
        Ok((self.peak_rss_kb, log))
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(&self.stderr).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }
}

/// The hits and misses in the server's `validation cache: <hits> hits, <misses> misses` line, if it logged one.
pub fn cache_counts(log: &str) -> Option<(u64, u64)> {
    let line = log.lines().rev().find(|l| l.contains("validation cache:"))?;
    let rest = line.split_once("validation cache:")?.1;
    // A JSON log line closes the message with a quote: `..., 100 misses","target":...`.
    let mut words = rest.split(|c: char| c.is_whitespace() || c == ',' || c == '"').filter(|w| !w.is_empty());
    let hits = words.next()?.parse().ok()?;
    (words.next()? == "hits").then_some(())?;
    let misses = words.next()?.parse().ok()?;
    (words.next()? == "misses").then_some((hits, misses))
}

/// The distinct errors the server logged, most frequent first, each with its count (at most `limit`). Request
/// ids are left out, so that the same failure of many requests counts as one error with its status and cause.
pub fn error_summary(log: &str, limit: usize) -> Vec<(usize, String)> {
    let mut counts: Vec<(usize, String)> = Vec::new();
    for line in log.lines() {
        let Some((_, message)) = line.split_once(" ERROR ") else { continue };
        let words: Vec<&str> = message.split(' ').filter(|word| !word.starts_with("request_id=")).collect();
        let message: String = words.join(" ").chars().take(400).collect();
        if let Some((count, _)) = counts.iter_mut().find(|(_, m)| *m == message) {
            *count += 1;
        } else if counts.len() < 1000 {
            counts.push((1, message));
        }
    }
    counts.sort_by_key(|(count, _)| std::cmp::Reverse(*count));
    counts.truncate(limit);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cache_line() {
        let log = "[INFO] starting\n2025-01-01T00:00:00Z INFO validation cache: 900 hits, 100 misses\n";
        assert_eq!(cache_counts(log), Some((900, 100)));
        let json = r#"{"timestamp":"2025-01-01T00:00:00Z","level":"INFO","message":"validation cache: 7 hits, 3 misses","target":"netlicensing_server"}"#;
        assert_eq!(cache_counts(json), Some((7, 3)));
        assert_eq!(cache_counts("no such line"), None);
        assert_eq!(cache_counts("validation cache: many hits"), None);
    }

    #[test]
    fn counts_logged_errors() {
        let log = "t1 ERROR x: pool timed out\nt2 INFO fine\nt3 ERROR x: locked\nt4 ERROR x: pool timed out\n";
        assert_eq!(error_summary(log, 5), [(2, "x: pool timed out".to_owned()), (1, "x: locked".to_owned())]);
        let failed = "t1 ERROR observe: request failed request_id=a1 method=\"POST\" status=503 error=busy\n\
                      t2 ERROR observe: request failed request_id=b2 method=\"POST\" status=503 error=busy\n";
        let expected = "observe: request failed method=\"POST\" status=503 error=busy".to_owned();
        assert_eq!(error_summary(failed, 5), [(2, expected)]);
    }
}
