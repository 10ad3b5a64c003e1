//! `netlicensing-server export` and `import`: a vendor's whole account out to an account file
//! ([`netlicensing_model::account`]), and in from one or from a NetLicensing-compatible server (through
//! `netlicensing-client`). Core's [`netlicensing_core::account`] turns records into lines and upserts lines;
//! this module reads and writes the file ([`file`]) and the remote server ([`remote`]), creates the vendor when
//! it is missing, and shows progress ([`progress`]).

mod file;
pub mod progress;
mod remote;
mod report;

use std::{path::PathBuf, time::Instant};

use netlicensing_core::{
    Core, RepoError,
    account::{
        export,
        import::{BATCH, Importer},
        item,
    },
    record::Kind,
    repo::{NewVendor, Store, Vendor},
};
use netlicensing_model::{
    account::{Header, Line, LineError, ORDER, RecordLine, VendorSettings},
    entity::{Branding, Entity},
};

pub use progress::Progress;
pub use report::{ExportReport, ImportReport, VendorOutcome};

/// `netlicensing-server export` arguments.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct ExportOptions {
    /// Number of the vendor to export.
    #[arg(long, value_name = "NUMBER")]
    pub vendor: String,
    /// The account file to write (`-`: standard output). It is written as FILE.partial and renamed when complete.
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// Include secrets: API keys and other credential tokens, signing private keys, payment secrets and the
    /// vendor's password hash (the file's header says so).
    #[arg(long)]
    pub include_secrets: bool,
}

/// `netlicensing-server import` arguments.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["file", "from"])))]
pub struct ImportOptions {
    /// An account file written by `export` (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The REST API base of a NetLicensing-compatible server to read the account from
    /// (https://go.netlicensing.io/core/v2/rest).
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// Number of the vendor to import into; created when missing (with --login and --password, or the file's
    /// login and password hash).
    #[arg(long, value_name = "NUMBER")]
    pub vendor: String,
    /// The vendor login: of the source with --from, and of the vendor created when it is missing.
    #[arg(long, env = "NETLICENSING_IMPORT_LOGIN")]
    pub login: Option<String>,
    /// The password that goes with --login (for a new vendor without --login: with the file's login).
    #[arg(long, env = "NETLICENSING_IMPORT_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// With --from: read the source with this API key instead of the login (tokens cannot be read so).
    #[arg(
        long,
        env = "NETLICENSING_IMPORT_API_KEY",
        hide_env_values = true,
        requires = "from",
        conflicts_with = "password"
    )]
    pub api_key: Option<String>,
    /// Write nothing; report what would be created, updated or left unchanged.
    #[arg(long)]
    pub dry_run: bool,
}

/// Why an export or import stopped.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// No vendor has that number.
    #[error("there is no vendor with number '{0}'")]
    NoVendor(String),
    /// The vendor to import into is missing and cannot be created without credentials.
    #[error("there is no vendor '{0}' yet: give --login and --password to create it (or import a file with secrets)")]
    NeedCredentials(String),
    /// The vendor could not be created.
    #[error("cannot create the vendor")]
    Vendor(#[source] crate::VendorError),
    /// A file cannot be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file cannot be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line of the file is not what it must be.
    #[error("{} line {line}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// The line number (from 1).
        line: u64,
        /// What is wrong.
        #[source]
        source: LineError,
    },
    /// A line of the file is out of place (a second header, no vendor line after the header).
    #[error("{} line {line}: {what}", path.display())]
    Misplaced {
        /// The file.
        path: PathBuf,
        /// The line number (from 1).
        line: u64,
        /// What is out of place.
        what: &'static str,
    },
    /// `--api-key` with a file.
    #[error("--api-key reads a server (--from); a file needs none")]
    KeyWithFile,
    /// `--from` without credentials.
    #[error("--from needs --login and --password, or --api-key")]
    NoRemoteCredentials,
    /// The source refused the credentials.
    #[error("the source refused access to {what} ({status}): check --login/--password or --api-key and its role")]
    Refused {
        /// 401 or 403.
        status: u16,
        /// What was being read.
        what: String,
    },
    /// The source failed (after the client's retries).
    #[error("cannot read {what} from the source")]
    Remote {
        /// What was being read.
        what: String,
        /// Why.
        #[source]
        source: netlicensing_client::Error,
    },
    /// The file's branding breaks a rule.
    #[error("the vendor line's branding is not acceptable")]
    Branding(#[source] netlicensing_core::CoreError),
    /// The store failed.
    #[error("the store failed")]
    Store(#[from] RepoError),
}

/// Writes the vendor's account to the options' file.
pub async fn export(core: &Core, options: &ExportOptions, progress: &Progress) -> Result<ExportReport, AccountError> {
    let started = Instant::now();
    let store = core.store().as_ref();
    let vendor =
        store.vendor_by_number(&options.vendor).await?.ok_or_else(|| AccountError::NoVendor(options.vendor.clone()))?;
    let secrets = options.include_secrets;
    let mut sink = file::Sink::create(&options.output)?;
    sink.write(&Line::Header(Header::new(vendor.number.clone(), secrets)))?;
    sink.write(&Line::Vendor(export::vendor_settings(store, &vendor, secrets).await?))?;
    let mut report = ExportReport::default();
    // One read transaction: the file is one snapshot of the account.
    let mut tx = store.read().await?;
    for kind in ORDER {
        let mut shown = progress.kind(kind, None);
        let mut after = 0;
        loop {
            let page = export::page(tx.as_mut(), vendor.id, kind, after, secrets).await?;
            let read = page.lines.len() as u64 + page.omitted;
            for line in page.lines {
                sink.write(&Line::Record(line))?;
            }
            *report.written.entry(kind).or_default() += read - page.omitted;
            report.omitted += page.omitted;
            shown.inc(read);
            match page.last {
                Some(last) if read == export::PAGE => after = last,
                _ => break,
            }
        }
        shown.finish();
    }
    drop(tx);
    report.bytes = sink.finish()?;
    report.secrets = secrets;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Imports the options' file or remote account into the vendor.
pub async fn import(core: &Core, options: &ImportOptions, progress: &Progress) -> Result<ImportReport, AccountError> {
    match (&options.file, &options.from) {
        (Some(_), _) if options.api_key.is_some() => Err(AccountError::KeyWithFile),
        (Some(path), _) => import_file(core, options, path, progress).await,
        (None, Some(url)) => import_remote(core, options, url, progress).await,
        (None, None) => Err(AccountError::NoRemoteCredentials),
    }
}

/// Imports an account file.
async fn import_file(
    core: &Core,
    options: &ImportOptions,
    path: &std::path::Path,
    progress: &Progress,
) -> Result<ImportReport, AccountError> {
    let started = Instant::now();
    let mut lines = file::Lines::open(path)?;
    let at = |lines: &file::Lines| (lines.path().to_owned(), lines.number());
    let misplaced = |lines: &file::Lines, what| AccountError::Misplaced { path: at(lines).0, line: at(lines).1, what };
    let bad_line = |lines: &file::Lines, source| AccountError::Line { path: at(lines).0, line: at(lines).1, source };
    let Some(first) = lines.next_line()? else { return Err(misplaced(&lines, "the file is empty")) };
    let header = Line::parse_header(first).map_err(|e| bad_line(&lines, e))?;
    let settings = match lines.next_line()?.map(Line::parse) {
        Some(Ok(Line::Vendor(settings))) => settings,
        Some(Err(error)) => return Err(bad_line(&lines, error)),
        _ => return Err(misplaced(&lines, "the vendor line must follow the header")),
    };
    // A restore, not new business: no notification events.
    let store = core.store_without_events().as_ref();
    let (vendor, outcome) = settle_vendor(store, options, Some(&settings)).await?;
    let mut importer = Importer::new(store, vendor, options.dry_run);
    let mut batch: Vec<RecordLine> = Vec::with_capacity(BATCH);
    let mut shown: Option<(Kind, progress::KindProgress)> = None;
    while let Some(text) = lines.next_line()? {
        let line = match Line::parse(text) {
            Ok(Line::Record(line)) => line,
            Ok(_) => return Err(misplaced(&lines, "only entity lines may follow the vendor line")),
            Err(error) => return Err(bad_line(&lines, error)),
        };
        if shown.as_ref().is_none_or(|(kind, _)| *kind != line.kind) {
            flush(&mut importer, &mut batch, shown.as_mut().map(|(_, p)| p)).await?;
            if let Some((_, done)) = shown.take() {
                done.finish();
            }
            shown = Some((line.kind, progress.kind(line.kind, None)));
        }
        batch.push(line);
        if batch.len() >= BATCH {
            flush(&mut importer, &mut batch, shown.as_mut().map(|(_, p)| p)).await?;
        }
    }
    flush(&mut importer, &mut batch, shown.as_mut().map(|(_, p)| p)).await?;
    if let Some((_, done)) = shown.take() {
        done.finish();
    }
    Ok(ImportReport {
        vendor: header.vendor,
        into: options.vendor.clone(),
        vendor_outcome: outcome,
        secrets: Some(header.secrets),
        summary: importer.into_summary(),
        dry_run: options.dry_run,
        elapsed: started.elapsed(),
    })
}

/// Applies and empties the batch.
async fn flush(
    importer: &mut Importer<'_>,
    batch: &mut Vec<RecordLine>,
    shown: Option<&mut progress::KindProgress>,
) -> Result<(), AccountError> {
    if batch.is_empty() {
        return Ok(());
    }
    let n = batch.len() as u64;
    importer.apply(std::mem::replace(batch, Vec::with_capacity(BATCH))).await?;
    if let Some(shown) = shown {
        shown.inc(n);
    }
    Ok(())
}

/// Imports the account a remote server shows.
async fn import_remote(
    core: &Core,
    options: &ImportOptions,
    url: &str,
    progress: &Progress,
) -> Result<ImportReport, AccountError> {
    let started = Instant::now();
    let context = remote::context(options, url)?;
    // A restore, not new business: no notification events.
    let store = core.store_without_events().as_ref();
    let (vendor, outcome) = settle_vendor(store, options, None).await?;
    let mut importer = Importer::new(store, vendor, options.dry_run);
    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let reading = remote::fetch(context, options.api_key.is_some(), sender);
    let writing = async {
        let mut shown: Option<progress::KindProgress> = None;
        while let Some(message) = receiver.recv().await {
            match message? {
                remote::Fetched::Kind(kind, total) => {
                    if let Some(done) = shown.take() {
                        done.finish();
                    }
                    shown = Some(progress.kind(kind, Some(total)));
                }
                remote::Fetched::Page(kind, items) => {
                    let mut batch = Vec::with_capacity(items.len());
                    for item in &items {
                        match item::line(kind, item) {
                            Ok((line, warnings)) => {
                                warnings.into_iter().for_each(|w| importer.warn(w));
                                batch.push(line);
                            }
                            Err(error) => {
                                let number = item.property("number").unwrap_or("?");
                                importer.warn(format!("{} '{number}' is skipped: {error}", kind.noun()));
                                importer.skipped(kind);
                            }
                        }
                    }
                    for chunk in batch.chunks(BATCH) {
                        importer.apply(chunk.to_vec()).await?;
                    }
                    if let Some(shown) = shown.as_mut() {
                        shown.inc(items.len() as u64);
                    }
                }
                remote::Fetched::Unreadable(kind, why) => {
                    importer.warn(format!("the {}s are not imported: {why}", kind.noun()));
                }
            }
        }
        if let Some(done) = shown.take() {
            done.finish();
        }
        Ok::<(), AccountError>(())
    };
    let ((), written) = futures_util::future::join(reading, writing).await;
    written?;
    Ok(ImportReport {
        vendor: url.to_owned(),
        into: options.vendor.clone(),
        vendor_outcome: outcome,
        secrets: None,
        summary: importer.into_summary(),
        dry_run: options.dry_run,
        elapsed: started.elapsed(),
    })
}

/// The vendor to import into: found by number (its validation TTL and default currency set from the file's
/// settings), else created with the options' login and password or the file's login and password hash. A dry
/// run creates nothing.
async fn settle_vendor(
    store: &dyn Store,
    options: &ImportOptions,
    settings: Option<&VendorSettings>,
) -> Result<(Option<Vendor>, VendorOutcome), AccountError> {
    let ttl = settings.and_then(|s| s.validation_ttl);
    let currency = settings.and_then(|s| s.default_currency);
    let branding = settings.map(branding_of).transpose()?;
    if let Some(vendor) = store.vendor_by_number(&options.vendor).await? {
        let mut outcome = match settings {
            Some(_) if store.validation_ttl(vendor.id).await? != ttl => {
                if !options.dry_run {
                    store.set_validation_ttl(&vendor.login, ttl).await?;
                }
                VendorOutcome::Updated
            }
            _ => VendorOutcome::Unchanged,
        };
        if settings.is_some() && store.default_currency(vendor.id).await? != currency {
            if !options.dry_run {
                store.set_default_currency(&vendor.login, currency).await?;
            }
            outcome = VendorOutcome::Updated;
        }
        if let Some(branding) = &branding
            && store.branding(vendor.id).await?.unwrap_or_default() != *branding
        {
            if !options.dry_run {
                store.set_branding(vendor.id, branding).await?;
            }
            outcome = VendorOutcome::Updated;
        }
        return Ok((Some(vendor), outcome));
    }
    let login = options.login.clone().or_else(|| settings.map(|s| s.login.clone()));
    let hash = match (&options.password, settings.and_then(|s| s.password_hash.clone())) {
        (Some(password), _) => {
            Some(crate::password::hash(password).map_err(|e| AccountError::Vendor(crate::VendorError::Password(e)))?)
        }
        (None, hash) => hash,
    };
    let (Some(login), Some(password_hash)) = (login, hash) else {
        return Err(AccountError::NeedCredentials(options.vendor.clone()));
    };
    if options.dry_run {
        return Ok((None, VendorOutcome::Created));
    }
    if login.is_empty() || login == "apiKey" {
        return Err(AccountError::Vendor(crate::VendorError::Incomplete));
    }
    let new = NewVendor { number: options.vendor.clone(), login: login.clone(), password_hash };
    let vendor = store.create_vendor(&new).await.map_err(|e| match e {
        RepoError::Duplicate(_) => {
            AccountError::Vendor(crate::VendorError::Exists { login: login.clone(), number: options.vendor.clone() })
        }
        other => AccountError::Store(other),
    })?;
    if ttl.is_some() {
        store.set_validation_ttl(&vendor.login, ttl).await?;
    }
    if currency.is_some() {
        store.set_default_currency(&vendor.login, currency).await?;
    }
    if let Some(branding) = branding.filter(|b| !b.is_empty()) {
        store.set_branding(vendor.id, &branding).await?;
    }
    Ok((Some(vendor), VendorOutcome::Created))
}

/// The branding of a vendor line, checked by core's rules.
fn branding_of(settings: &VendorSettings) -> Result<Branding, AccountError> {
    let item = netlicensing_model::Item {
        properties: settings.branding.clone(),
        ..netlicensing_model::Item::new(Branding::TYPE)
    };
    let branding = Branding::from_item(item).map_err(|e| AccountError::Branding(e.into()))?;
    netlicensing_core::service::branding::check(&branding).map_err(AccountError::Branding)?;
    Ok(branding)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::config::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Option<Command>, clap::Error> {
        Cli::try_parse_from(["netlicensing-server"].iter().chain(args)).map(|cli| cli.command)
    }

    #[tokio::test]
    async fn an_api_key_goes_with_a_url_only() {
        let core = Core::new(std::sync::Arc::new(netlicensing_core::repo::memory::MemoryStore::new()));
        let options = ImportOptions {
            file: Some("f".into()),
            from: None,
            vendor: "V1".into(),
            login: None,
            password: None,
            api_key: Some("K".into()),
            dry_run: false,
        };
        let refused = import(&core, &options, &Progress::hidden()).await;
        assert!(matches!(refused, Err(AccountError::KeyWithFile)), "{refused:?}");
        let remote = ImportOptions { file: None, from: Some("http://127.0.0.1:9/x".into()), api_key: None, ..options };
        let refused = import(&core, &remote, &Progress::hidden()).await;
        assert!(matches!(refused, Err(AccountError::NoRemoteCredentials)), "{refused:?}");
    }

    #[test]
    fn export_and_import_read_their_flags() {
        let Ok(Some(Command::Export(export))) =
            parse(&["export", "--vendor", "V1", "--output", "v1.ndjson", "--include-secrets"])
        else {
            panic!("export parses");
        };
        assert_eq!((export.vendor.as_str(), export.include_secrets), ("V1", true));
        assert!(parse(&["export", "--vendor", "V1"]).is_err(), "an output is needed");

        let Ok(Some(Command::Import(import))) =
            parse(&["import", "--file", "v1.ndjson", "--vendor", "V1", "--dry-run"])
        else {
            panic!("import parses");
        };
        assert_eq!((import.file.as_deref(), import.dry_run), (Some(std::path::Path::new("v1.ndjson")), true));
        let remote = ["import", "--from", "http://x/core/v2/rest", "--vendor", "V1", "--api-key", "K"];
        assert!(matches!(parse(&remote), Ok(Some(Command::Import(ImportOptions { api_key: Some(_), .. })))));
        assert!(parse(&["import", "--vendor", "V1"]).is_err(), "a source is needed");
        assert!(parse(&["import", "--file", "f", "--from", "u", "--vendor", "V1"]).is_err(), "one source");
    }
}
