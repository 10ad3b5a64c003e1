//! `netlicensing-server`: runs the server, `netlicensing-server vendor create ...` adds a vendor, and
//! `netlicensing-server seed ...` bulk-loads one for benchmarks.

use std::net::TcpListener;

use netlicensing_server::{
    config::{Config, HELP},
    seed::{SEED_HELP, SeedOptions},
};

const VENDOR_HELP: &str = "netlicensing-server vendor create --login LOGIN --password PASSWORD --number NUMBER
  creates a vendor in the database named by DATABASE_URL / --database-url
netlicensing-server vendor ttl --login LOGIN --validation-ttl TTL
  sets how long the vendor's validation answers may be cached (their ttl, still capped by the earliest expiry):
  1m to 30d, as seconds or with s, m, h or d (15m, 2h, 3d); default restores one day. Running servers apply it
  within 30 s";

#[actix_web::main]
async fn main() {
    netlicensing_server::logger::install();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("vendor") => vendor(&args[1..]).await,
        Some("seed") => seed(&args[1..]).await,
        _ => serve(args).await,
    };
    if let Err(error) = outcome {
        eprintln!("netlicensing-server: {error}");
        std::process::exit(2);
    }
}

async fn serve(args: Vec<String>) -> Result<(), String> {
    let Some(config) = Config::from_args(args, |key| std::env::var(key).ok()).map_err(|e| e.to_string())? else {
        println!("{HELP}\n\n{VENDOR_HELP}\n\n{SEED_HELP}");
        return Ok(());
    };
    let state = netlicensing_server::prepare(&config).await?;
    let listener = TcpListener::bind(&config.bind).map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    println!("netlicensing-server {} serving http://{}/core/v2/rest", env!("CARGO_PKG_VERSION"), config.bind);
    println!("database: {}", config.database_url);
    if config.demo_vendor {
        println!("demo vendor: login demo, password demo (VDEMO)");
    }
    let server = netlicensing_server::start(state.clone(), listener, workers).map_err(|e| e.to_string())?;
    let stopped = server.await.map_err(|e| e.to_string());
    log::info!("{}", netlicensing_server::cache_report(&state.core));
    stopped
}

async fn vendor(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("ttl") {
        return vendor_ttl(&args[1..]).await;
    }
    if args.first().map(String::as_str) != Some("create") {
        return Err(format!("unknown vendor command\n{VENDOR_HELP}"));
    }
    let (mut login, mut password, mut number, mut rest) = (None, None, None, Vec::new());
    let mut iter = args[1..].iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let slot = match flag {
            "--login" => &mut login,
            "--password" => &mut password,
            "--number" => &mut number,
            _ => {
                rest.push(arg.clone());
                continue;
            }
        };
        *slot = inline.or_else(|| iter.next().cloned());
    }
    let mut config = Config::from_args(rest, |key| std::env::var(key).ok())
        .map_err(|e| e.to_string())?
        .ok_or_else(|| VENDOR_HELP.to_owned())?;
    config.demo_vendor = false;
    let (Some(login), Some(password), Some(number)) = (login, password, number) else {
        return Err(format!("--login, --password and --number are required\n{VENDOR_HELP}"));
    };
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::create_vendor(state.core.store().as_ref(), &login, &password, &number).await?;
    println!("created vendor {number} (login {login})");
    Ok(())
}

/// `vendor ttl --login LOGIN --validation-ttl TTL [server options]`.
async fn vendor_ttl(args: &[String]) -> Result<(), String> {
    let (mut login, mut ttl, mut rest) = (None, None, Vec::new());
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let slot = match flag {
            "--login" => &mut login,
            "--validation-ttl" => &mut ttl,
            _ => {
                rest.push(arg.clone());
                continue;
            }
        };
        *slot = inline.or_else(|| iter.next().cloned());
    }
    let mut config = Config::from_args(rest, |key| std::env::var(key).ok())
        .map_err(|e| e.to_string())?
        .ok_or_else(|| VENDOR_HELP.to_owned())?;
    config.demo_vendor = false;
    let (Some(login), Some(ttl)) = (login, ttl) else {
        return Err(format!("--login and --validation-ttl are required\n{VENDOR_HELP}"));
    };
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::set_validation_ttl(&state, &login, &ttl).await?;
    println!("validation TTL of {login}: {ttl}");
    Ok(())
}

async fn seed(args: &[String]) -> Result<(), String> {
    let (options, rest) = SeedOptions::from_args(args)?;
    let config = Config::from_args(rest, |key| std::env::var(key).ok())
        .map_err(|e| e.to_string())?
        .ok_or_else(|| SEED_HELP.to_owned())?;
    let state = netlicensing_server::prepare(&config).await?;
    let report = netlicensing_server::seed::seed(&state.core, &options).await?;
    // Statistics for the planner over what was just loaded.
    let connection = netlicensing_server::db::connect(&config.database_url, None).await.map_err(|e| e.to_string())?;
    netlicensing_server::db::analyze(&connection).await.map_err(|e| format!("ANALYZE: {e}"))?;
    println!(
        "seeded {} rows in {:.1} s: {:.0} rows/s ({} licensees existed already)",
        report.rows,
        report.elapsed.as_secs_f64(),
        report.rows_per_second(),
        report.skipped_licensees
    );
    Ok(())
}
