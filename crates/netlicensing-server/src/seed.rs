//! `netlicensing-server seed`: bulk-loads a vendor with a benchmark catalogue and many licensees, for measuring
//! the store at volume (`cargo xtask bench scale`).
//!
//! The catalogue ([`SCALE_PRODUCT`], a module per licensing model the benchmark exercises, their templates) and
//! one sample licensee with a license of every template are made once through the ordinary services. Every bulk
//! licensee and license is a copy of those samples' stored properties with its own number and a custom property
//! `crm` (`i % 1000`, so the filter `crm=7` matches 0.1 %); each licensee also gets a name (`Customer <i>`), and,
//! when asked for, transactions copied from the one that recorded a sample license's creation
//! (`AUTO_LICENSE_CREATE`), each joined to one of the licensee's licenses. Everything is inserted through the
//! store traits ([`Store::write`], [`Tx::insert`]) in transactions of a few thousand rows. Batches whose
//! licensees exist already are skipped, so a second run completes an interrupted one.

use std::time::{Duration, Instant};

use netlicensing_core::{
    Caller, Core,
    record::{Condition, Kind, Link, Links, NewRecord, Query, Record},
    repo::Store,
};
use netlicensing_model::{List, Property, codec::Form};

/// The benchmark product (licensee auto-creation on).
pub const SCALE_PRODUCT: &str = "PSCALE";

/// The Floating module (check-outs of the benchmark's writes).
pub const SCALE_FLOATING_MODULE: &str = "MSCALE-FL";

/// The custom property every bulk licensee and license carries.
pub const CRM: &str = "crm";

/// Licensees per write transaction.
const BATCH_LICENSEES: u64 = 250;

/// Licensees loaded before the planner's statistics are refreshed (a whole number of batches).
const FIRST_SLICE: u64 = 10 * BATCH_LICENSEES;

/// Form pairs.
type Pairs = &'static [(&'static str, &'static str)];

/// Modules: number, licensing model, extra properties.
const MODULES: &[(&str, &str, Pairs)] = &[
    ("MSCALE-SUB", "Subscription", &[]),
    (SCALE_FLOATING_MODULE, "Floating", &[("maxCheckoutValidity", "3600")]),
    ("MSCALE-MF", "MultiFeature", &[]),
    ("MSCALE-PU", "PayPerUse", &[]),
];

/// Templates: number, module, properties. Bulk licenses cycle through them in this order.
const TEMPLATES: &[(&str, &str, Pairs)] = &[
    ("ESCALE-SUB", "MSCALE-SUB", &[("licenseType", "TIMEVOLUME"), ("timeVolume", "12"), ("timeVolumePeriod", "MONTH")]),
    ("ESCALE-FL", SCALE_FLOATING_MODULE, &[("licenseType", "FLOATING"), ("maxSessions", "5")]),
    ("ESCALE-MF-A", "MSCALE-MF", &[("licenseType", "FEATURE")]),
    ("ESCALE-MF-B", "MSCALE-MF", &[("licenseType", "FEATURE")]),
    ("ESCALE-PU", "MSCALE-PU", &[("licenseType", "QUANTITY"), ("quantity", "100")]),
];

/// The sample licensee the bulk licensees and licenses are copied from.
const SAMPLE_LICENSEE: &str = "SCALE-SAMPLE";

/// What to seed (`netlicensing-server seed --licensees N [--licenses-per-licensee M] [--transactions-per-licensee
/// T] [--vendor LOGIN]`): product PSCALE (licensee auto-creation on) with Subscription, Floating, MultiFeature and
/// Pay-per-Use modules, then licensees SCALE-I0 .. SCALE-I<N-1> named `Customer <i>`, each with M licenses
/// SCALE-L<i>-<j>, all with the custom property crm = i % 1000, and T closed `AUTO_LICENSE_CREATE` transactions
/// SCALE-T<i>-<j> (j < T), each joined to license SCALE-L<i>-<j>.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct SeedOptions {
    /// Number of licensees (at least 1).
    #[arg(long, env = "NETLICENSING_SEED_LICENSEES", value_parser = clap::value_parser!(u64).range(1..))]
    pub licensees: u64,
    /// Licenses of each licensee.
    #[arg(long, env = "NETLICENSING_SEED_LICENSES_PER_LICENSEE", default_value_t = 10)]
    pub licenses_per_licensee: u64,
    /// Transactions of each licensee (at most its licenses: each joins one).
    #[arg(long, env = "NETLICENSING_SEED_TRANSACTIONS_PER_LICENSEE", default_value_t = 0)]
    pub transactions_per_licensee: u64,
    /// Login of the vendor to load.
    #[arg(long, env = "NETLICENSING_SEED_VENDOR", default_value = "demo")]
    pub vendor: String,
}

/// What a seed run did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedReport {
    /// Rows (licensees and licenses) inserted by this run.
    pub rows: u64,
    /// Licensees skipped because they existed already.
    pub skipped_licensees: u64,
    /// Time the bulk insert took.
    pub elapsed: Duration,
}

impl SeedReport {
    /// Inserted rows per second.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The licensee number of bulk licensee `i`.
pub fn licensee_number(i: u64) -> String {
    format!("SCALE-I{i}")
}

/// The name of bulk licensee `i`.
pub fn licensee_name(i: u64) -> String {
    format!("Customer {i}")
}

/// Records every bulk record is copied from: the product link, the sample licensee's properties, per template
/// its link and the sample license's properties, and the transaction that recorded a sample license's creation.
struct Samples {
    product: Link,
    licensee: Vec<Property>,
    licenses: Vec<(Link, Vec<Property>)>,
    transaction: Record,
}

/// Why seeding stopped.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The vendor to load does not exist.
    #[error("no vendor with login '{0}'")]
    NoVendor(String),
    /// The catalogue or the samples could not be created through the services.
    #[error("cannot create the benchmark catalogue")]
    Catalogue(#[source] netlicensing_core::CoreError),
    /// The sample licensee could not be validated (which stores its warningLevelSummary for the copies).
    #[error("cannot validate the sample licensee")]
    SampleValidation(#[source] netlicensing_core::CoreError),
    /// A sample created just before cannot be read back.
    #[error("the {0} was created but is not stored")]
    Missing(&'static str),
    /// The store failed.
    #[error("the store failed")]
    Store(#[from] netlicensing_core::RepoError),
}

/// Seeds the vendor with the given login; progress goes to standard error. With the `database` under the core,
/// its statistics are refreshed ([`crate::db::analyze`]) once the first slice is loaded: planned on an empty
/// table's statistics, PostgreSQL looked a transaction's license up by number through the vendor's
/// (vendor, template) index, reading every license of the vendor per transaction, until autovacuum analyzed the
/// table.
pub async fn seed(
    core: &Core,
    options: &SeedOptions,
    database: Option<&sea_orm::DatabaseConnection>,
) -> Result<SeedReport, SeedError> {
    let store = core.store().as_ref();
    let vendor =
        store.vendor_by_login(&options.vendor).await?.ok_or_else(|| SeedError::NoVendor(options.vendor.clone()))?;
    let caller = Caller::vendor(vendor.id, vendor.number);
    let samples = samples(core, &caller).await?;
    let started = Instant::now();
    let (mut rows, mut skipped, mut next_report) = (0, 0, started + Duration::from_secs(10));
    let mut first = 0;
    while first < options.licensees {
        let end = (first + BATCH_LICENSEES).min(options.licensees);
        match insert_batch(store, &caller, &samples, first..end, options).await? {
            Some(inserted) => rows += inserted,
            None => skipped += end - first,
        }
        first = end;
        if first == FIRST_SLICE
            && let Some(database) = database
        {
            crate::db::analyze(database).await.map_err(|e| SeedError::Store(crate::db::errors::failure(e)))?;
        }
        if Instant::now() >= next_report {
            let per_second = rows as f64 / started.elapsed().as_secs_f64();
            eprintln!("seed: {first}/{} licensees, {rows} rows, {per_second:.0} rows/s", options.licensees);
            next_report += Duration::from_secs(10);
        }
    }
    Ok(SeedReport { rows, skipped_licensees: skipped, elapsed: started.elapsed() })
}

/// Inserts licensees `range` with their licenses and transactions in one transaction; `None` when the batch's
/// last licensee exists already (the batch was loaded before).
async fn insert_batch(
    store: &dyn Store,
    caller: &Caller,
    samples: &Samples,
    range: std::ops::Range<u64>,
    options: &SeedOptions,
) -> Result<Option<u64>, SeedError> {
    let licenses_per_licensee = options.licenses_per_licensee;
    let transactions_per_licensee = options.transactions_per_licensee.min(licenses_per_licensee);
    let error = SeedError::Store;
    let mut tx = store.write().await.map_err(error)?;
    let last = licensee_number(range.end - 1);
    if tx.get(caller.vendor, Kind::Licensee, &last).await.map_err(error)?.is_some() {
        return Ok(None);
    }
    let mut rows = 0;
    for i in range {
        let crm = Property::new(CRM, (i % 1000).to_string());
        let number = licensee_number(i);
        let licensee = NewRecord {
            number: number.clone(),
            active: true,
            links: Links { product: Some(samples.product.clone()), ..Links::default() },
            properties: with_name(&with_crm(&samples.licensee, &crm), &licensee_name(i)),
            lists: Vec::new(),
        };
        let id = tx.insert(caller.vendor, Kind::Licensee, &licensee).await.map_err(error)?;
        let licensee_link = Link { id, number };
        for j in 0..licenses_per_licensee {
            let (template, properties) = &samples.licenses[j as usize % samples.licenses.len()];
            let license = NewRecord {
                number: format!("SCALE-L{i}-{j}"),
                active: true,
                links: Links {
                    licensee: Some(licensee_link.clone()),
                    license_template: Some(template.clone()),
                    ..Links::default()
                },
                properties: with_crm(properties, &crm),
                lists: Vec::new(),
            };
            tx.insert(caller.vendor, Kind::License, &license).await.map_err(error)?;
        }
        for j in 0..transactions_per_licensee {
            let transaction = transaction_copy(&samples.transaction, &licensee_link.number, i, j);
            tx.insert(caller.vendor, Kind::Transaction, &transaction).await.map_err(error)?;
        }
        rows += 1 + licenses_per_licensee + transactions_per_licensee;
    }
    tx.commit().await.map_err(error)?;
    Ok(Some(rows))
}

/// The properties with `crm` replaced.
fn with_crm(properties: &[Property], crm: &Property) -> Vec<Property> {
    let mut out: Vec<Property> = properties.iter().filter(|p| p.name != CRM).cloned().collect();
    out.push(crm.clone());
    out
}

/// The properties with `name` replaced.
fn with_name(properties: &[Property], name: &str) -> Vec<Property> {
    let mut out: Vec<Property> = properties.iter().filter(|p| p.name != "name").cloned().collect();
    out.push(Property::new("name", name));
    out
}

/// Transaction SCALE-T<i>-<j> of licensee `licensee`: the sample's properties for that licensee, joined to
/// license SCALE-L<i>-<j> alone.
fn transaction_copy(sample: &Record, licensee: &str, i: u64, j: u64) -> NewRecord {
    let number = format!("SCALE-T{i}-{j}");
    let mut properties: Vec<Property> =
        sample.properties.iter().filter(|p| p.name != "licenseeNumber").cloned().collect();
    properties.push(Property::new("licenseeNumber", licensee));
    let mut join = List::new(TRANSACTION_JOIN);
    join.push("licenseNumber", format!("SCALE-L{i}-{j}"));
    join.push("transactionNumber", number.as_str());
    let mut lists: Vec<List> = sample.lists.iter().filter(|l| l.name != TRANSACTION_JOIN).cloned().collect();
    lists.push(join);
    NewRecord { number, active: sample.active, links: Links::default(), properties, lists }
}

/// The list joining a transaction to a license.
const TRANSACTION_JOIN: &str = "licenseTransactionJoin";

/// Creates the catalogue and the samples unless they exist, and reads the samples' stored records.
async fn samples(core: &Core, caller: &Caller) -> Result<Samples, SeedError> {
    create_catalogue(core, caller).await?;
    // One validation stores the sample's warningLevelSummary, so the copies carry it as validated customers
    // do (else each copy's first validation would write it).
    let params = netlicensing_model::entity::ValidationParameters::default();
    core.validate(caller, SAMPLE_LICENSEE, &params).await.map_err(SeedError::SampleValidation)?;
    let product = stored(core, caller, Kind::Product, SCALE_PRODUCT).await?.ok_or(SeedError::Missing("product"))?;
    let licensee =
        stored(core, caller, Kind::Licensee, SAMPLE_LICENSEE).await?.ok_or(SeedError::Missing("sample licensee"))?;
    let mut licenses = Vec::new();
    for (index, (template_number, _, _)) in TEMPLATES.iter().enumerate() {
        let template = stored(core, caller, Kind::LicenseTemplate, template_number)
            .await?
            .ok_or(SeedError::Missing("template"))?;
        let sample =
            stored(core, caller, Kind::License, &sample_license(index)).await?.ok_or(SeedError::Missing("license"))?;
        licenses.push((Link { id: template.id, number: template.number }, sample.properties));
    }
    let transaction = sample_transaction(core, caller).await?.ok_or(SeedError::Missing("transaction"))?;
    Ok(Samples {
        product: Link { id: product.id, number: product.number },
        licensee: licensee.properties,
        licenses,
        transaction,
    })
}

/// The transaction that recorded the sample licensee's first license's creation.
async fn sample_transaction(core: &Core, caller: &Caller) -> Result<Option<Record>, SeedError> {
    let mut tx = core.store().read().await?;
    let of_sample = Condition::Property("licenseeNumber".into(), SAMPLE_LICENSEE.into());
    let created = Condition::Property("source".into(), "AUTO_LICENSE_CREATE".into());
    let query = Query { items: 1, ..Query::all(vec![of_sample, created]) };
    Ok(tx.list(caller.vendor, Kind::Transaction, &query).await?.records.into_iter().next())
}

fn sample_license(index: usize) -> String {
    format!("SCALE-SAMPLE-L{index}")
}

async fn stored(core: &Core, caller: &Caller, kind: Kind, number: &str) -> Result<Option<Record>, SeedError> {
    let mut tx = core.store().read().await?;
    Ok(tx.get(caller.vendor, kind, number).await?)
}

fn form(pairs: &[(&str, &str)]) -> Form {
    let mut form = Form::new();
    for (name, value) in pairs {
        form.push(*name, *value);
    }
    form
}

/// Makes the product, modules, templates, the sample licensee and its licenses through the services (any of them
/// stored already is left as it is).
async fn create_catalogue(core: &Core, caller: &Caller) -> Result<(), SeedError> {
    let error = SeedError::Catalogue;
    if stored(core, caller, Kind::Product, SCALE_PRODUCT).await?.is_none() {
        let product = [("number", SCALE_PRODUCT), ("name", "Scale benchmark"), ("licenseeAutoCreate", "true")];
        core.create_product(caller, &form(&product)).await.map_err(error)?;
    }
    for (number, model, extra) in MODULES {
        if stored(core, caller, Kind::ProductModule, number).await?.is_none() {
            let mut pairs = vec![("number", *number), ("productNumber", SCALE_PRODUCT), ("name", *model)];
            pairs.push(("licensingModel", *model));
            pairs.extend_from_slice(extra);
            core.create_product_module(caller, &form(&pairs)).await.map_err(error)?;
        }
    }
    for (number, module, extra) in TEMPLATES {
        if stored(core, caller, Kind::LicenseTemplate, number).await?.is_none() {
            let mut pairs = vec![("number", *number), ("productModuleNumber", *module), ("name", *number)];
            pairs.extend_from_slice(extra);
            core.create_license_template(caller, &form(&pairs)).await.map_err(error)?;
        }
    }
    if stored(core, caller, Kind::Licensee, SAMPLE_LICENSEE).await?.is_none() {
        let licensee = [("number", SAMPLE_LICENSEE), ("productNumber", SCALE_PRODUCT), (CRM, "sample")];
        core.create_licensee(caller, &form(&licensee)).await.map_err(error)?;
    }
    for (index, (template, _, _)) in TEMPLATES.iter().enumerate() {
        let number = sample_license(index);
        if stored(core, caller, Kind::License, &number).await?.is_none() {
            let pairs =
                [("number", number.as_str()), ("licenseeNumber", SAMPLE_LICENSEE), ("licenseTemplateNumber", template)];
            core.create_license(caller, &form(&pairs)).await.map_err(error)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn reads_its_flags_beside_the_settings() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            crate::config::Cli::try_parse_from(["netlicensing-server", "seed"].iter().chain(args))
                .map(|cli| cli.command)
        };
        let Ok(Some(crate::config::Command::Seed(options))) =
            parse(&["--licensees=5", "--database-url", "sqlite://x.db", "--vendor", "acme"])
        else {
            panic!("seed parses");
        };
        assert_eq!((options.licensees, options.licenses_per_licensee, options.vendor.as_str()), (5, 10, "acme"));
        assert_eq!(options.transactions_per_licensee, 0);
        let Ok(Some(crate::config::Command::Seed(options))) =
            parse(&["--licensees=5", "--transactions-per-licensee=1"])
        else {
            panic!("seed parses");
        };
        assert_eq!(options.transactions_per_licensee, 1);
        assert!(parse(&[]).is_err());
        assert!(parse(&["--licensees", "many"]).is_err());
        assert!(parse(&["--licensees", "0"]).is_err());
    }
}
