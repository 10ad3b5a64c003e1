//! `cargo xtask bench import [--licensees 100000] [--licenses-per-licensee 10]`: moving a seeded account, with
//! the release server as processes on SQLite. A source database is seeded (`seed`) and served; `import --from`
//! reads it over loopback into a fresh database (licensees per second); `export` writes that account to a file
//! (size and time); `import --file` loads the file into another fresh database (licensees per second). Prints a
//! table of the figures (also `target/bench-import.md`).

use std::{
    fs,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use super::{
    TempDir,
    process::{Server, run_bounded},
    target_dir,
};

/// How long one step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(3 * 3600);

/// The options.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    licensees: u64,
    licenses_per_licensee: u64,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options { licensees: 100_000, licenses_per_licensee: 10 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().and_then(|v| v.parse::<u64>().ok()).ok_or(format!("{arg} needs a number"));
            match arg.as_str() {
                "--licensees" => options.licensees = value()?,
                "--licenses-per-licensee" => options.licenses_per_licensee = value()?,
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// Runs the import benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    super::super::run(
        "release build",
        super::super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]),
    )?;
    let dir = std::env::temp_dir().join(format!("nlimport-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = TempDir(dir.clone());
    let binary = dir.join("import-server");
    fs::copy(target_dir().join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let sqlite = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    let (source, target, restored) = (sqlite("source.db"), sqlite("target.db"), sqlite("restored.db"));
    let n = options.licensees.to_string();
    let per = options.licenses_per_licensee.to_string();
    println!("xtask: import: seeding {n} licensees × {per} licenses");
    let seeded = timed(&binary, &dir, &source, &["seed", "--licensees", &n, "--licenses-per-licensee", &per])?;
    let server = Server::start(&binary, &source, &["--validation-cache", "0"], &dir.join("source"))?;
    let url = format!("http://{}/core/v2/rest", server.addr);
    println!("xtask: import: import --from {url}");
    let remote = ["import", "--from", &url, "--login", "demo", "--password", "demo", "--vendor", "VDEMO"];
    let over_http = timed(&binary, &dir, &target, &remote)?;
    server.stop()?;
    let file = dir.join("account.ndjson");
    let file_text = file.display().to_string();
    println!("xtask: import: export");
    let export =
        timed(&binary, &dir, &target, &["export", "--vendor", "VDEMO", "--output", &file_text, "--include-secrets"])?;
    let bytes = fs::metadata(&file).map_err(|e| format!("{file_text}: {e}"))?.len();
    println!("xtask: import: import --file");
    let from_file = timed(&binary, &dir, &restored, &["import", "--file", &file_text, "--vendor", "VDEMO"])?;
    let licensees = options.licensees as f64;
    let rows = options.licensees * (1 + options.licenses_per_licensee);
    let table = format!(
        "| {n} licensees × {per} licenses (SQLite, release, loopback) | figure |\n|---|---|\n\
         | seed | {:.1} s |\n\
         | import --from (REST over loopback) | {:.1} s, {:.0} licensees/s, {:.0} entities/s |\n\
         | export | {:.1} s, {:.1} MB ({:.0} bytes per entity) |\n\
         | import --file | {:.1} s, {:.0} licensees/s, {:.0} entities/s |\n",
        seeded.as_secs_f64(),
        over_http.as_secs_f64(),
        licensees / over_http.as_secs_f64(),
        rows as f64 / over_http.as_secs_f64(),
        export.as_secs_f64(),
        bytes as f64 / 1e6,
        bytes as f64 / rows as f64,
        from_file.as_secs_f64(),
        licensees / from_file.as_secs_f64(),
        rows as f64 / from_file.as_secs_f64(),
    );
    println!("\n{table}");
    let out = target_dir().join("bench-import.md");
    fs::write(&out, &table).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("xtask: import: table written to {}", out.display());
    Ok(())
}

/// Runs the server binary with the arguments over the database; returns how long it took.
fn timed(binary: &Path, dir: &Path, database_url: &str, args: &[&str]) -> Result<Duration, String> {
    let mut command = Command::new(binary);
    command.args(args).env("DATABASE_URL", database_url).env("NETLICENSING_LOG", "warn");
    let started = Instant::now();
    let output = run_bounded(args[0], &mut command, &dir.join(format!("{}.out", args[0])), STEP_TIMEOUT)?;
    let took = started.elapsed();
    print!("{output}");
    Ok(took)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_options() {
        let args = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(Options::parse(&args("--licensees 5")), Ok(Options { licensees: 5, licenses_per_licensee: 10 }));
        assert!(Options::parse(&args("--licensees many")).is_err());
        assert!(Options::parse(&args("--other")).is_err());
    }
}
