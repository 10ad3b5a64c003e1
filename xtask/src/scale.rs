//! `cargo xtask bench scale`: the store at real volume, run by hand (it takes minutes).
//!
//! Builds the server in release mode and, for each engine (a SQLite file in a temporary directory; PostgreSQL in
//! a fresh database beside the one `DATABASE_URL` names, unless `--sqlite-only`) and each size (licensees × 10
//! licenses), seeds the database (`netlicensing-server seed`), then measures with the server as a process and
//! wrk as the load generator:
//! - server with `--validation-cache 0`: validations of random licensees beside `/health`, the list queries (filter by
//!   a custom property, by a standard property and a link, a deep page; ms and the server's peak RSS each), and
//!   32 concurrent first validations of new licensee numbers (unique numbers, then one shared number);
//! - server with the default cache: the first 2 s of validations (cold), validations (warm) beside `/health`; the hit
//!   rate comes from the server's `validation cache: <hits> hits, <misses> misses` line on shutdown, if it logs one;
//! - server with the default cache: one validation of every licensee (the warm-up), then validations with 1 %
//!   writes (new licensees and floating check-outs) in three rounds beside `/health` (the median round by
//!   ratio is reported), and their hit rate.
//!
//! - then, per engine, cache-off validations of every size again in alternating rounds (see [`rounds`]): the
//!   comparison of the largest size with the smallest is made of these.
//!
//! Every ratio to `/health` takes health from the same server, measured just before and just after the
//! workload. Ends with one markdown table of every figure beside its target, also written to `target/bench-scale.md`.

mod cold;
pub mod console;
pub(crate) mod http;
pub mod import;
pub(crate) mod process;
mod rounds;
pub mod signing;
pub mod storm;
mod table;
pub(crate) mod wrk;

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Barrier},
    thread,
    time::Duration,
};

use process::{Server, run_bounded};
use wrk::{Load, Script};

/// The benchmark product `netlicensing-server seed` creates.
const PRODUCT: &str = "PSCALE";
/// Its Floating module.
const FLOATING_MODULE: &str = "MSCALE-FL";
/// Licenses of every seeded licensee.
const LICENSES_PER_LICENSEE: u64 = 10;
/// How long the cold-cache and warm-up runs last.
const COLD: Duration = Duration::from_secs(2);
/// Timeout of one timed request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Requests of each list query (the median is reported); fewer when one is slow.
const LIST_REPEATS: usize = 3;
/// Concurrent first validations.
const CONCURRENT: usize = 32;
/// Seeding may take this long at most.
const SEED_TIMEOUT: Duration = Duration::from_secs(3600);

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// SQLite only, even when `DATABASE_URL` names a PostgreSQL database.
    pub sqlite_only: bool,
    /// PostgreSQL only (the one `DATABASE_URL` names).
    pub postgres_only: bool,
    /// Numbers of licensees, smallest first.
    pub sizes: Vec<u64>,
    /// Length of each measured load run.
    pub duration: Duration,
}

impl Options {
    /// Reads `[--sqlite-only | --postgres-only] [--sizes 1000,100000] [--duration 10s]`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self {
            sqlite_only: false,
            postgres_only: false,
            sizes: vec![1000, 100_000],
            duration: Duration::from_secs(10),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut value = || inline.clone().or_else(|| iter.next().cloned()).ok_or(format!("{flag} needs a value"));
            match flag {
                "--sqlite-only" => options.sqlite_only = true,
                "--postgres-only" => options.postgres_only = true,
                "--sizes" => options.sizes = sizes(&value()?)?,
                "--duration" => options.duration = duration(&value()?)?,
                other => return Err(format!("bench scale: unknown argument '{other}'")),
            }
        }
        if options.sqlite_only && options.postgres_only {
            return Err("bench scale: --sqlite-only and --postgres-only exclude each other".into());
        }
        Ok(options)
    }
}

fn sizes(text: &str) -> Result<Vec<u64>, String> {
    let mut sizes = text
        .split(',')
        .map(|s| s.trim().replace('_', "").parse::<u64>().ok().filter(|n| *n > 0))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("--sizes must be positive whole numbers separated by commas, not '{text}'"))?;
    sizes.sort_unstable();
    sizes.dedup();
    Ok(sizes)
}

fn duration(text: &str) -> Result<Duration, String> {
    let error = || format!("--duration must be seconds such as 10s or 1m, not '{text}'");
    let (number, factor) = match text.strip_suffix('m') {
        Some(minutes) => (minutes, 60),
        None => (text.strip_suffix('s').unwrap_or(text), 1),
    };
    let value: u64 = number.parse().map_err(|_| error())?;
    (1..=3600).contains(&(value * factor)).then(|| Duration::from_secs(value * factor)).ok_or_else(error)
}

/// A database engine.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Engine {
    Sqlite,
    /// The `DATABASE_URL` the fresh databases are made beside.
    Postgres(String),
}

impl Engine {
    fn is_postgres(&self) -> bool {
        matches!(self, Engine::Postgres(_))
    }

    fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }

    /// A fresh, empty database of a benchmark (`scale`, `console`) for one size: the SQLite file
    /// `<bench>-<size>.db` in `dir`, or the PostgreSQL database `nl<bench>_<size>`.
    fn fresh(&self, bench: &str, size: u64, dir: &Path) -> Result<String, String> {
        match self {
            Engine::Sqlite => {
                let file = dir.join(format!("{bench}-{size}.db"));
                fs::remove_file(&file).ok();
                Ok(format!("sqlite://{}?mode=rwc", file.display()))
            }
            Engine::Postgres(admin) => {
                let name = format!("nl{bench}_{size}");
                psql(admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), dir)?;
                psql(admin, &format!("CREATE DATABASE {name}"), dir)?;
                with_database(admin, &name)
            }
        }
    }

    /// Drops what [`Engine::fresh`] made.
    fn drop_database(&self, bench: &str, size: u64, dir: &Path) {
        match self {
            Engine::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    fs::remove_file(dir.join(format!("{bench}-{size}.db{suffix}"))).ok();
                }
            }
            Engine::Postgres(admin) => {
                psql(admin, &format!("DROP DATABASE IF EXISTS nl{bench}_{size} WITH (FORCE)"), dir).ok();
            }
        }
    }
}

fn psql(url: &str, sql: &str, dir: &Path) -> Result<String, String> {
    let mut command = Command::new("psql");
    command.args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
    run_bounded("psql", &mut command, &dir.join("psql.out"), Duration::from_secs(120))
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> Result<String, String> {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base.rfind('/').filter(|i| *i > "postgres://".len()).ok_or("DATABASE_URL names no database")?;
    Ok(format!("{}/{name}{}", &base[..slash], query.map(|q| format!("?{q}")).unwrap_or_default()))
}

/// A temporary directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        fs::remove_dir_all(&self.0).ok();
    }
}

/// Every figure of one engine at one size (`None`: not measured).
#[derive(Debug, Clone, Default)]
struct Figures {
    seed_rows_per_second: Option<f64>,
    health: Option<Load>,
    validate_off: Option<Load>,
    /// Cache-off validations per second in the alternating rounds (see [`rounds`]).
    validate_off_rounds: Vec<f64>,
    cold: Option<Load>,
    cold_rss_kb: Option<u64>,
    health_on: Option<Load>,
    validate_on: Option<Load>,
    hit_read: Option<(u64, u64)>,
    health_mixed: Option<Load>,
    mixed: Option<Load>,
    /// The ratio to health of each round of validations with 1 % writes (the median round is `mixed`).
    mixed_rounds: Vec<f64>,
    hit_mixed: Option<(u64, u64)>,
    lists: Vec<ListFigure>,
    concurrent_non_200: Option<(usize, usize)>,
    peak_rss_kb: u64,
    failures: Vec<String>,
    server_errors: Vec<String>,
}

impl Figures {
    /// Records a stopped server's overall peak RSS and the errors it logged.
    fn stopped(&mut self, phase: &str, (rss_kb, log): &(u64, String)) {
        self.peak_rss_kb = self.peak_rss_kb.max(*rss_kb);
        for (count, message) in process::error_summary(log, 3) {
            println!("xtask: scale: server errors ({phase}): {count} × {message}");
            self.server_errors.push(format!("{phase}: {count} × {message}"));
        }
    }
}

/// One list query: its median time and the server's peak RSS while it ran.
#[derive(Debug, Clone)]
struct ListFigure {
    name: String,
    millis: Option<f64>,
    rss_kb: Option<u64>,
    status: Option<u16>,
}

/// What the measurements need.
struct Context {
    binary: PathBuf,
    dir: PathBuf,
    duration: Duration,
}

/// Runs the scale benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    wrk::available()?;
    let engines: Vec<Engine> =
        engines(options.sqlite_only).into_iter().filter(|e| !options.postgres_only || e.is_postgres()).collect();
    if engines.is_empty() {
        return Err("--postgres-only needs DATABASE_URL to name a PostgreSQL database (postgres://...)".into());
    }
    let target = target_dir();
    super::run("release build", super::cargo(&["build", "--release", "--locked", "-p", "netlicensing-server"]))?;
    let dir = env::temp_dir().join(format!("nlscale-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let _cleanup = TempDir(dir.clone());
    // A private copy: a rebuild during the run cannot swap it, and nothing that stops processes by the server's
    // name (another checkout's tests) stops these.
    let binary = dir.join("scale-server");
    fs::copy(target.join("release").join("netlicensing-server"), &binary)
        .map_err(|e| format!("server binary ({e})"))?;
    let context = Context { binary, dir, duration: options.duration };
    let mut results = Vec::new();
    for engine in engines {
        let first = results.len();
        let mut seeded = Vec::new();
        for size in &options.sizes {
            println!("xtask: scale: {} with {size} licensees × {LICENSES_PER_LICENSEE} licenses", engine.name());
            let (figures, url) = measure(&context, &engine, *size);
            for failure in &figures.failures {
                println!("xtask: scale: {} {size}: {failure}", engine.name());
            }
            results.push((engine.name(), *size, figures));
            seeded.extend(url.map(|url| (*size, url)));
        }
        if seeded.len() > 1 {
            println!("xtask: scale: {}: cache-off validations in {} alternating rounds", engine.name(), rounds::ROUNDS);
            match rounds::alternate(&context, &seeded, options.duration) {
                Ok(measured) => {
                    for ((size, _), sized) in seeded.iter().zip(measured) {
                        if let Some((_, _, figures)) = results[first..].iter_mut().find(|(_, s, _)| s == size) {
                            figures.peak_rss_kb = figures.peak_rss_kb.max(sized.peak_rss_kb);
                            figures.validate_off_rounds = sized.rates;
                        }
                    }
                }
                Err(error) => {
                    println!("xtask: scale: {}: alternating rounds: {error}", engine.name());
                    if let Some((_, _, figures)) = results.last_mut() {
                        figures.failures.push(format!("alternating rounds: {error}"));
                    }
                }
            }
        }
        for size in &options.sizes {
            engine.drop_database("scale", *size, &context.dir);
        }
    }
    let table = table::table(&results, &options);
    println!("\n{table}");
    let file = target.join("bench-scale.md");
    fs::write(&file, &table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("xtask: scale: table written to {}", file.display());
    Ok(())
}

fn target_dir() -> PathBuf {
    let root = super::codegen::root();
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir))
}

fn engines(sqlite_only: bool) -> Vec<Engine> {
    let mut engines = vec![Engine::Sqlite];
    match env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") && !sqlite_only => engines.push(Engine::Postgres(url)),
        _ => println!("xtask: scale: PostgreSQL skipped (--sqlite-only, or DATABASE_URL names no PostgreSQL database)"),
    }
    engines
}

/// One measuring step over a seeded database.
type Step = fn(&Context, &str, u64, &mut Figures) -> Result<(), String>;

/// Seeds a fresh database and measures it; a failing step is recorded and the rest still runs where it can.
/// Returns the figures and the seeded database's URL (`None` when seeding failed).
fn measure(context: &Context, engine: &Engine, size: u64) -> (Figures, Option<String>) {
    let mut figures = Figures::default();
    let seeded = engine
        .fresh("scale", size, &context.dir)
        .and_then(|url| seed(&context.binary, &context.dir, &url, size, &[]).map(|rate| (url, rate)));
    let url = match seeded {
        Ok((url, rate)) => {
            figures.seed_rows_per_second = Some(rate);
            url
        }
        Err(error) => {
            figures.failures.push(format!("seed: {error}"));
            return (figures, None);
        }
    };
    let steps: [(&str, Step); 3] = [("cache off", cache_off), ("cache on", cache_on), ("1 % writes", mixed)];
    for (name, step) in steps {
        if let Err(error) = step(context, &url, size, &mut figures) {
            figures.failures.push(format!("{name}: {error}"));
        }
    }
    (figures, Some(url))
}

/// Seeds `size` licensees × [`LICENSES_PER_LICENSEE`] licenses with the server binary (and `extra` flags of
/// `seed`); returns rows per second as the seeder printed it.
fn seed(binary: &Path, dir: &Path, url: &str, size: u64, extra: &[&str]) -> Result<f64, String> {
    let mut command = Command::new(binary);
    command.args(["seed", "--licensees", &size.to_string()]).env("DATABASE_URL", url);
    command.args(["--licenses-per-licensee", &LICENSES_PER_LICENSEE.to_string()]).args(extra);
    let output = run_bounded("seed", &mut command, &dir.join("seed.out"), SEED_TIMEOUT)?;
    print!("{output}");
    output
        .split_once(" rows/s")
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("seed printed no rows/s: {output}"))
}

fn logs(context: &Context, name: &str) -> PathBuf {
    context.dir.join(name)
}

/// How long the cache-off validations run before the measured run.
const WARM_UP: Duration = Duration::from_secs(3);

/// The server without a validation cache: health, validations, list queries, concurrent first validations.
fn cache_off(context: &Context, url: &str, size: u64, figures: &mut Figures) -> Result<(), String> {
    let mut server = Server::start(&context.binary, url, &["--validation-cache", "0"], &logs(context, "off"))?;
    let dir = &context.dir;
    server.prime_credentials();
    // The steady state: the connections' page caches filled by the same load first (a fresh server's first
    // seconds are the cold start's figures, measured on the cache-on server).
    wrk::run(&server.addr, Script::Validate, size, WARM_UP, dir)?;
    let (health, validate) = wrk::beside_health(&server.addr, Script::Validate, size, context.duration, dir)?;
    (figures.health, figures.validate_off) = (Some(health), Some(validate));
    server.wait_healthy(REQUEST_TIMEOUT)?;
    figures.lists = list_queries(&mut server, size);
    server.prime_credentials();
    figures.concurrent_non_200 = Some((first_validations(&server.addr, false), first_validations(&server.addr, true)));
    figures.stopped("cache off", &server.stop()?);
    Ok(())
}

/// The server with its default cache: the cold first seconds, health, warm validations, the hit rate.
fn cache_on(context: &Context, url: &str, size: u64, figures: &mut Figures) -> Result<(), String> {
    let server = Server::start(&context.binary, url, &[], &logs(context, "on"))?;
    let dir = &context.dir;
    figures.cold = Some(cold::validations(&server.addr, size, COLD));
    server.prime_credentials();
    let (health, validate) = wrk::beside_health(&server.addr, Script::Validate, size, context.duration, dir)?;
    (figures.health_on, figures.validate_on) = (Some(health), Some(validate));
    let stopped = server.stop()?;
    // The cold start verifies the password on every connection at once (argon2, 19 MB each), and the allocator
    // keeps much of that memory; this server's peak is reported on its own.
    figures.cold_rss_kb = Some(stopped.0).filter(|kb| *kb > 0);
    figures.stopped("cache on", &(0, stopped.1.clone()));
    figures.hit_read = process::cache_counts(&stopped.1);
    Ok(())
}

/// The server with its default cache, warmed by one validation of every licensee; then validations with 1 %
/// writes, and the hit rate of those (the warm-up's misses, one per licensee, taken out).
fn mixed(context: &Context, url: &str, size: u64, figures: &mut Figures) -> Result<(), String> {
    let server = Server::start(&context.binary, url, &[], &logs(context, "mixed"))?;
    server.prime_credentials();
    let warm = cold::every_licensee(&server.addr, size);
    if warm.requests != size || warm.non_2xx > 0 {
        figures.failures.push(format!("warm-up: {} of {size} validations answered 2xx", warm.requests - warm.non_2xx));
    }
    // Rounds on the one warm server: a single run's ratio moves by a tenth with this machine's speed.
    let mut runs = Vec::new();
    for _ in 0..rounds::ROUNDS {
        runs.push(wrk::beside_health(&server.addr, Script::Mixed, size, context.duration, &context.dir)?);
    }
    let ratio = |(health, load): &(wrk::Load, wrk::Load)| load.per_second / health.per_second.max(1e-9);
    runs.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
    figures.mixed_rounds = runs.iter().map(ratio).collect();
    let (health, mixed) = runs[runs.len() / 2];
    (figures.health_mixed, figures.mixed) = (Some(health), Some(mixed));
    let stopped = server.stop()?;
    figures.stopped("1 % writes", &stopped);
    figures.hit_mixed = process::cache_counts(&stopped.1).map(|(hits, misses)| (hits, misses.saturating_sub(size)));
    Ok(())
}

/// The list queries: name and path.
fn list_paths(size: u64) -> Vec<(String, String)> {
    let licenses = size * LICENSES_PER_LICENSEE;
    let deep = licenses * 9 / 10 / 100;
    vec![
        ("filter crm=7 (custom property)".into(), "/core/v2/rest/license?filter=crm%3D7".into()),
        (
            "filter active=true, page 0 of 100".into(),
            "/core/v2/rest/license?filter=active%3Dtrue%3Bpage%3D0%3Bitems%3D100".into(),
        ),
        (
            "filter licenseeNumber (link)".into(),
            format!("/core/v2/rest/license?filter=licenseeNumber%3DSCALE-I{}", size / 2),
        ),
        (format!("deep page {deep} (100 items)"), format!("/core/v2/rest/license?page={deep}&items=100")),
    ]
}

/// Each list query a few times: the median ms and the peak RSS (reset before each query).
fn list_queries(server: &mut Server, size: u64) -> Vec<ListFigure> {
    let mut out = Vec::new();
    for (name, path) in list_paths(size) {
        server.prime_credentials();
        server.reset_peak_rss();
        let mut times = Vec::new();
        let mut status = None;
        for _ in 0..LIST_REPEATS {
            match http::request(&server.addr, "GET", &path, None, REQUEST_TIMEOUT) {
                Ok(answer) => {
                    status = Some(status.map_or(answer.status, |s: u16| s.max(answer.status)));
                    times.push(answer.elapsed.as_secs_f64() * 1000.0);
                    if answer.elapsed > Duration::from_secs(20) {
                        break;
                    }
                }
                Err(error) => {
                    println!("xtask: scale: {name}: {error}");
                    break;
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let millis = times.get(times.len() / 2).copied();
        println!("xtask: scale: {name}: {} ms", millis.map_or("n/a".into(), |m| format!("{m:.1}")));
        out.push(ListFigure { name, millis, rss_kb: server.peak_rss_kb(), status });
    }
    out
}

/// 32 simultaneous first validations of licensee numbers nobody has used (one shared number when `shared`);
/// returns how many answers were not 200 (failed requests included).
fn first_validations(addr: &str, shared: bool) -> usize {
    let tag = format!("{:x}", std::process::id() as u64 * 1000 + u64::from(shared));
    let barrier = Arc::new(Barrier::new(CONCURRENT));
    let threads: Vec<_> = (0..CONCURRENT)
        .map(|k| {
            let (addr, barrier) = (addr.to_owned(), barrier.clone());
            let number = if shared { format!("FIRST-{tag}") } else { format!("FIRST-{tag}-{k}") };
            thread::spawn(move || {
                barrier.wait();
                let path = format!("/core/v2/rest/licensee/{number}/validate");
                let body = format!("productNumber={PRODUCT}");
                http::request(&addr, "POST", &path, Some(&body), REQUEST_TIMEOUT).map(|a| a.status)
            })
        })
        .collect();
    let statuses: Vec<_> = threads.into_iter().map(|t| t.join().unwrap_or_else(|_| Err("panic".into()))).collect();
    let bad = statuses.iter().filter(|s| !matches!(s, Ok(200))).count();
    if bad > 0 {
        println!("xtask: scale: concurrent first validations (shared number: {shared}): {statuses:?}");
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn reads_its_options() {
        let options = Options::parse(&args("--sqlite-only --sizes 100000,1000 --duration=5s")).unwrap();
        assert_eq!(options.sizes, [1000, 100_000]);
        assert_eq!((options.sqlite_only, options.duration), (true, Duration::from_secs(5)));
        assert!(Options::parse(&args("--postgres-only")).is_ok_and(|o| o.postgres_only && !o.sqlite_only));
        assert!(Options::parse(&args("--postgres-only --sqlite-only")).is_err());
        assert_eq!(Options::parse(&[]).unwrap().sizes, [1000, 100_000]);
        assert_eq!(Options::parse(&args("--duration 1m")).unwrap().duration, Duration::from_secs(60));
        assert!(Options::parse(&args("--sizes 0")).is_err());
        assert!(Options::parse(&args("--duration soon")).is_err());
        assert!(Options::parse(&args("--bogus")).is_err());
    }

    #[test]
    fn names_fresh_postgres_databases() {
        let url = with_database("postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "nlscale_1").unwrap();
        assert_eq!(url, "postgres://postgres@127.0.0.1:5432/nlscale_1?sslmode=disable");
    }
}
