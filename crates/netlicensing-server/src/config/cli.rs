//! The command line: the settings (see [`super::Settings`]) and the subcommands.

use clap::{Args, Parser, Subcommand};

use super::Settings;
use crate::{
    account::{ExportOptions, ImportOptions},
    seed::SeedOptions,
};

/// What `--help` shows at its end.
const AFTER_HELP: &str = "Each flag may also be given by its environment variable or, in snake_case (database_url),
as a key of the TOML file named by --config; a flag wins over its variable, which wins over the file.";

/// The command line: settings, then what to do (serve when no command is given).
#[derive(Debug, Parser)]
#[command(
    name = "netlicensing-server",
    version,
    about = "A self-hostable NetLicensing-compatible licensing server",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// The settings (global: also accepted after a command).
    #[command(flatten)]
    pub settings: Settings,
    /// What to do; without one the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands besides serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage vendors in the configured database.
    #[command(subcommand)]
    Vendor(VendorCommand),
    /// Bulk-load a vendor with a benchmark catalogue and many licensees (for `cargo xtask bench scale`).
    Seed(SeedOptions),
    /// Write a vendor's whole account to an account file (NDJSON; see docs/operations.md).
    Export(ExportOptions),
    /// Import a vendor's account from an account file or a NetLicensing-compatible server (idempotent: a
    /// re-run completes an interrupted import and duplicates nothing).
    Import(ImportOptions),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
}

/// `netlicensing-server vendor ...`.
#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// List the vendors (login and number).
    List,
    /// Create a vendor (the database is migrated first; the demo vendor is never created here).
    Create(NewVendor),
    /// Set a vendor's password (its console sessions end; running servers forget the old one within a minute).
    Passwd(VendorPassword),
    /// Delete a vendor and everything it owns.
    Delete(VendorDelete),
    /// Set how long the vendor's validation answers may be cached (their ttl, still capped by the earliest
    /// expiry); running servers apply it within 30 s.
    Ttl(VendorTtl),
    /// Set the vendor's default currency, the one the console preselects where a price is entered.
    Currency(VendorCurrency),
}

/// `netlicensing-server vendor currency` arguments.
#[derive(Debug, Args)]
pub struct VendorCurrency {
    /// The vendor's login.
    #[arg(long)]
    pub login: String,
    /// EUR or USD; `default` clears it (no currency preselected).
    #[arg(long, value_name = "CURRENCY")]
    pub default_currency: String,
}

/// `netlicensing-server vendor ttl` arguments.
#[derive(Debug, Args)]
pub struct VendorTtl {
    /// The vendor's login.
    #[arg(long)]
    pub login: String,
    /// 1m to 30d, as seconds or with s, m, h or d (15m, 2h, 3d); `default` restores one day.
    #[arg(long, value_name = "TTL")]
    pub validation_ttl: String,
}

/// `netlicensing-server vendor passwd` arguments.
#[derive(Debug, Args)]
pub struct VendorPassword {
    /// The vendor's login.
    #[arg(long)]
    pub login: String,
    /// The new password (stored as an Argon2id hash).
    #[arg(long, env = "NETLICENSING_VENDOR_PASSWORD", hide_env_values = true)]
    pub password: String,
}

/// `netlicensing-server vendor delete` arguments.
#[derive(Debug, Args)]
pub struct VendorDelete {
    /// The vendor's login.
    #[arg(long)]
    pub login: String,
    /// Confirm deleting every product, customer, license and transaction of the vendor.
    #[arg(long)]
    pub yes: bool,
}

/// `netlicensing-server vendor create` arguments.
#[derive(Debug, Args)]
pub struct NewVendor {
    /// The vendor's login (HTTP Basic user); `apiKey` is reserved.
    #[arg(long, env = "NETLICENSING_VENDOR_LOGIN")]
    pub login: String,
    /// The vendor's password (stored as an Argon2id hash).
    #[arg(long, env = "NETLICENSING_VENDOR_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// The vendor's number (e.g. V123).
    #[arg(long, env = "NETLICENSING_VENDOR_NUMBER")]
    pub number: String,
}

/// `netlicensing-server config ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and print it as a TOML file, secrets redacted; exit code 2 when invalid.
    Check,
}
