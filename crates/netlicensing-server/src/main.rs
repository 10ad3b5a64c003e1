//! `netlicensing-server`: runs the server; `vendor list|create|passwd|delete` manage vendors, `vendor ttl` and
//! `vendor currency` set a vendor's validation TTL and default currency, `seed` bulk-loads one for benchmarks, `export` and `import` move a whole account,
//! `config check` prints the effective configuration (secrets redacted). `--help` lists every setting.

use std::{net::TcpListener, process::ExitCode};

use anyhow::Context as _;
use clap::Parser;
use netlicensing_server::{
    Serving,
    config::{Cli, Command, Config, ConfigCommand, VendorCommand},
};

/// mimalloc serves the server's many small, short-lived allocations with fewer cycles than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_settings(cli.settings) {
        Ok(config) => config,
        Err(error) => return fail(&anyhow::Error::new(error)),
    };
    if let Some(Command::Config(ConfigCommand::Check)) = cli.command {
        print!("{}", config.redacted());
        return ExitCode::SUCCESS;
    }
    // Held to the end of `main`: dropping it writes the log lines still queued.
    let _log = match netlicensing_server::logging::install(&config.log, config.log_format) {
        Ok(guard) => guard,
        Err(error) => return fail(&anyhow::Error::new(error)),
    };
    let outcome = actix_web::rt::System::new().block_on(async move {
        match cli.command {
            Some(Command::Vendor(VendorCommand::List)) => list_vendors(config).await,
            Some(Command::Vendor(VendorCommand::Create(vendor))) => create_vendor(config, vendor).await,
            Some(Command::Vendor(VendorCommand::Passwd(vendor))) => vendor_password(config, vendor).await,
            Some(Command::Vendor(VendorCommand::Delete(vendor))) => delete_vendor(config, vendor).await,
            Some(Command::Vendor(VendorCommand::Ttl(ttl))) => vendor_ttl(config, ttl).await,
            Some(Command::Vendor(VendorCommand::Currency(currency))) => vendor_currency(config, currency).await,
            Some(Command::Seed(options)) => seed(config, options).await,
            Some(Command::Export(options)) => export(config, options).await,
            Some(Command::Import(options)) => import(config, options).await,
            Some(Command::Config(ConfigCommand::Check)) | None => serve(config).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Reports a fatal error with its causes (`netlicensing-server: what: why: ...`); exit code 2.
fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("netlicensing-server: {error:#}");
    ExitCode::from(2)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let state = netlicensing_server::prepare(&config).await?;
    let listener =
        TcpListener::bind(&config.bind).with_context(|| format!("cannot listen on {} (--bind)", config.bind))?;
    let metrics_listener = match (&config.metrics_bind, config.metrics) {
        (Some(bind), true) => {
            Some(TcpListener::bind(bind).with_context(|| format!("cannot listen on {bind} (--metrics-bind)"))?)
        }
        _ => None,
    };
    let running = netlicensing_server::start_with(state.clone(), listener, metrics_listener, &Serving::of(&config))
        .context("cannot start serving")?;
    print!("{}", config.banner());
    let database = state.database().cloned().context("the server has no database")?;
    let delivery = netlicensing_server::webhook::Delivery::start(database, config.webhooks())
        .await
        .context("cannot start webhook delivery")?;
    let flusher =
        netlicensing_server::flush::Flusher::start(state.core.clone(), netlicensing_server::flush::FLUSH_EVERY);
    let metrics = running.metrics.map(|server| {
        let handle = server.handle();
        actix_web::rt::spawn(server);
        handle
    });
    let stopped = running.api.await.context("serving failed");
    // Deliveries in flight finish; what is queued stays in the outbox for the next start.
    delivery.shutdown().await;
    // Validations counted since the last flush are stored.
    flusher.shutdown().await;
    if let Some(metrics) = metrics {
        metrics.stop(true).await;
    }
    tracing::info!("{}", netlicensing_server::cache_report(&state.core));
    state.close_database().await.context("closing the database")?;
    tracing::info!("stopped");
    stopped
}

async fn create_vendor(mut config: Config, vendor: netlicensing_server::config::NewVendor) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::create_vendor(state.core.store().as_ref(), &vendor.login, &vendor.password, &vendor.number)
        .await?;
    println!("created vendor {} (login {})", vendor.number, vendor.login);
    Ok(())
}

async fn list_vendors(mut config: Config) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    for vendor in state.core.store().vendors().await.context("listing the vendors")? {
        println!("{}\t{}", vendor.login, vendor.number);
    }
    Ok(())
}

async fn vendor_password(
    mut config: Config,
    vendor: netlicensing_server::config::VendorPassword,
) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::set_vendor_password(&state, &vendor.login, &vendor.password).await?;
    println!("password of {} changed", vendor.login);
    Ok(())
}

async fn delete_vendor(mut config: Config, vendor: netlicensing_server::config::VendorDelete) -> anyhow::Result<()> {
    anyhow::ensure!(vendor.yes, "deleting vendor {} deletes all its data: confirm with --yes", vendor.login);
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    let deleted = state.core.store().delete_vendor(&vendor.login).await.context("deleting the vendor")?;
    anyhow::ensure!(deleted, "there is no vendor with login {}", vendor.login);
    println!("deleted vendor {} and all its data", vendor.login);
    Ok(())
}

async fn vendor_ttl(mut config: Config, ttl: netlicensing_server::config::VendorTtl) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::set_validation_ttl(&state, &ttl.login, &ttl.validation_ttl).await?;
    println!("validation TTL of {}: {}", ttl.login, ttl.validation_ttl);
    Ok(())
}

async fn vendor_currency(
    mut config: Config,
    currency: netlicensing_server::config::VendorCurrency,
) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    netlicensing_server::set_default_currency(&state, &currency.login, &currency.default_currency).await?;
    println!("default currency of {}: {}", currency.login, currency.default_currency);
    Ok(())
}

async fn seed(config: Config, options: netlicensing_server::seed::SeedOptions) -> anyhow::Result<()> {
    let state = netlicensing_server::prepare(&config).await?;
    let database = state.database().context("the server has no database")?;
    let report = netlicensing_server::seed::seed(&state.core, &options, Some(database)).await?;
    // Statistics for the planner over what was just loaded.
    netlicensing_server::db::analyze(database).await.context("ANALYZE")?;
    println!(
        "seeded {} rows in {:.1} s: {:.0} rows/s ({} licensees existed already)",
        report.rows,
        report.elapsed.as_secs_f64(),
        report.rows_per_second(),
        report.skipped_licensees
    );
    Ok(())
}

async fn export(mut config: Config, options: netlicensing_server::account::ExportOptions) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    let progress = netlicensing_server::account::Progress::on_stderr("export");
    let report = netlicensing_server::account::export(&state.core, &options, &progress).await?;
    eprint!("{}", report.render());
    Ok(())
}

async fn import(mut config: Config, options: netlicensing_server::account::ImportOptions) -> anyhow::Result<()> {
    config.demo_vendor = false;
    let state = netlicensing_server::prepare(&config).await?;
    let progress = netlicensing_server::account::Progress::on_stderr("import");
    let report = netlicensing_server::account::import(&state.core, &options, &progress).await?;
    if !options.dry_run
        && let Some(database) = state.database()
    {
        // Statistics for the planner over what was just loaded: without them, the first reads after a large
        // import (an export, validations) can take plans made for empty tables.
        netlicensing_server::db::analyze(database).await.context("ANALYZE")?;
    }
    print!("{}", report.render());
    Ok(())
}
