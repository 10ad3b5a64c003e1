//! `licensee/{number}/validate`: loads what the licensee's product licenses, makes the side effects validation
//! has (licensee auto-creation, licenses from automatic templates; none on `dryRun`), and asks each module's
//! licensing model.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use netlicensing_model::{
    CodecError, Property,
    entity::{
        Entity, License, LicenseTemplate, Licensee, OfflineLicensee, Product, ProductModule, ProductModuleValidation,
        ValidationParameters, ValidationResult, WarningLevelSummary,
    },
    types::{LicenseeSecretMode, WarningLevel, timestamp},
};

use super::{Core, convert::to_entity, licensee_secret};
use crate::{
    VendorId,
    caller::{Caller, Permission},
    error::{CoreError, CoreResult, RepoError},
    record::{Condition, Kind, LicenseeRecords, LinkKind, Query, Record, RecordId, Revision},
    repo::{Scope, Stamp, Tx},
    validation::{EngineError, LicenseUpdate, ModuleInput, validate_module},
};

mod automatic;
mod creating;
mod packed;
mod writes;

use automatic::{add_automatic_licenses, automatic_license, missing_automatic};
pub(crate) use packed::PackedLicensing;

/// The licensee property holding the warning levels of its last validation.
const SUMMARY: &str = "warningLevelSummary";

/// Licensee properties a validate request may not set on an auto-created licensee.
const RESERVED: &[&str] = &["number", "active", "inUse", "productNumber", "vendorNumber", "warningLevelSummary"];

/// What one validation works on: the licensee (or the one validation would create), its product's active
/// modules and templates, and its licenses.
#[derive(Debug, Clone)]
pub(crate) struct Licensing {
    licensee: Licensee,
    licensee_id: Option<i64>,
    /// The licensee's product (`None` for one validation would create).
    product_id: Option<i64>,
    /// The product's active modules and its templates, shared by every licensee of the product.
    catalogue: Arc<Catalogue>,
    licenses: Vec<License>,
    /// The stored ids of `licenses`, in order (empty, or shorter, when some are not stored: a licensee
    /// validation would create, licenses it would add).
    license_ids: Vec<RecordId>,
    /// The licensee's revision when it was read (`None`: not stored, or a store without revisions).
    revision: Option<Revision>,
}

impl Licensing {
    /// What validation works on for a licensee it would create: no id, no licenses yet.
    fn to_create(licensee: Licensee, product_id: i64, catalogue: Arc<Catalogue>) -> Self {
        Licensing {
            licensee,
            licensee_id: None,
            product_id: Some(product_id),
            catalogue,
            licenses: Vec::new(),
            license_ids: Vec::new(),
            revision: None,
        }
    }
}

/// A product's active modules and its templates (with their ids), as validation reads them.
#[derive(Debug, Clone)]
pub(crate) struct Catalogue {
    /// The product itself, as creating a licensee needs it (`None` when it was not found).
    product: Option<creating::ProductFacts>,
    /// The product's `licenseeSecretMode`.
    secret_mode: Option<LicenseeSecretMode>,
    modules: Vec<ProductModule>,
    templates: Vec<(i64, LicenseTemplate)>,
}

impl Core {
    /// Validates a licensee: one result per active module of its product.
    pub async fn validate(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
    ) -> CoreResult<ValidationResult> {
        self.validate_keeping(caller, licensee_number, params, true).await
    }

    /// What validation says now, storing nothing at all: a `dryRun` that does not even refresh the licensee's
    /// `warningLevelSummary` (which a `dryRun` through the API does), so that looking (the customer portal)
    /// never writes nor raises `WARNING_LEVEL_CHANGED`.
    pub async fn validate_preview(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
    ) -> CoreResult<ValidationResult> {
        let params = ValidationParameters { dry_run: true, ..params.clone() };
        self.validate_keeping(caller, licensee_number, &params, false).await
    }

    /// [`Core::validate`], storing the warning level summary when `keep` says so.
    async fn validate_keeping(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
        keep: bool,
    ) -> CoreResult<ValidationResult> {
        caller.require(Permission::Licensee)?;
        let mut licensing = self.read_licensing(caller, licensee_number, params).await?;
        // The validation's instant is taken after its read: a license another validation created concurrently
        // (and this one read) never starts after it.
        let mut now = self.now();
        // The path may name the licensee by an alias; from here on it is known by its number.
        caller.require_licensee(&licensing.licensee.number)?;
        let licensee_number = licensing.licensee.number.clone();
        let licensee_number = licensee_number.as_str();
        let incomplete = licensing.licensee_id.is_none() || !missing_automatic(&licensing).is_empty();
        if incomplete && params.dry_run {
            // What validation would create, in memory only.
            let mut virtual_licensing = (*licensing).clone();
            add_automatic_licenses(&mut virtual_licensing, now)?;
            licensing = Arc::new(virtual_licensing);
        } else if licensing.licensee_id.is_none() {
            // A new licensee: created with everything this validation writes, in one transaction.
            let ttl = self.validation_ttl(caller.vendor).await?;
            let (core, who, read, asked) = (self.clone(), caller.clone(), licensing.clone(), params.clone());
            match self.on_write_lane(async move { core.auto_create(&who, &read, &asked, now, ttl).await }).await {
                // A concurrent validation created the licensee first: validate what it wrote.
                Err(CoreError::Storage(RepoError::Duplicate(_))) => {
                    (licensing, now) = self.read_after_race(caller, licensee_number, params).await?;
                }
                created => {
                    let result = created?;
                    self.count_validation(caller.vendor);
                    return Ok(result);
                }
            }
        } else if let (true, Some(id)) = (incomplete, licensing.licensee_id) {
            let catalogue = licensing.catalogue.clone();
            let (core, who, number, asked) = (self.clone(), caller.clone(), licensee_number.to_owned(), params.clone());
            let written = self
                .on_write_lane(async move { core.add_automatic(&who, id, &number, &asked, now, catalogue).await })
                .await;
            match written {
                // A concurrent validation created the licenses first: validate what it wrote.
                Err(CoreError::Storage(RepoError::Duplicate(_))) => {
                    (licensing, now) = self.read_after_race(caller, licensee_number, params).await?;
                }
                other => licensing = Arc::new(other?),
            }
        }
        let modes =
            licensing.catalogue.modules.iter().map(|m| licensee_secret::mode_of(licensing.catalogue.secret_mode, m));
        let stored = licensing.licensee.licensee_secret.as_deref();
        if let Some(secret) = licensee_secret::to_bind(modes, stored, params.licensee_secret.as_deref())
            && !params.dry_run
        {
            let catalogue = licensing.catalogue.clone();
            let (core, who, number, asked) = (self.clone(), caller.clone(), licensee_number.to_owned(), params.clone());
            let secret = secret.to_owned();
            let bound = self
                .on_write_lane(async move { core.bind_secret(&who, &number, &secret, &asked, catalogue).await })
                .await?;
            licensing = Arc::new(bound);
        }
        let ttl = self.validation_ttl(caller.vendor).await?;
        let (result, updates) = evaluate(&licensing, params, now, ttl)?;
        let result = if updates.is_empty() || params.dry_run {
            result
        } else {
            let (core, who, read, asked) = (self.clone(), caller.clone(), licensing.clone(), params.clone());
            self.on_write_lane(async move { core.consume(&who, read, &asked, now, ttl).await }).await?
        };
        if keep {
            self.keep_summary(caller, &licensing, &result).await?;
        }
        if !params.dry_run {
            self.count_validation(caller.vendor);
        }
        Ok(result)
    }

    /// What a concurrent validation wrote first, read from the store, with the instant to validate it at (taken
    /// after the read, so no license read starts after it).
    async fn read_after_race(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
    ) -> CoreResult<(Arc<Licensing>, DateTime<Utc>)> {
        let mut tx = self.store().read().await?;
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, None).await?;
        Ok((Arc::new(licensing), self.now()))
    }

    /// What validation reads for an existing licensee comes from the cache while neither the licensee (row,
    /// aliases, licenses), nor its product's catalogue, nor the licensee the path key names changed; otherwise
    /// from the store (and is cached for the next validation).
    async fn read_licensing(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
    ) -> CoreResult<Arc<Licensing>> {
        let store = self.store();
        let vendor = caller.vendor;
        let fresh = |stamp, scopes: &[Scope]| store.unchanged(stamp, scopes);
        if let Some(packed) = self.licensings.get(vendor, licensee_number, fresh)
            && let Some(catalogue) = self.cached_catalogue_of(vendor, packed.product_id)
            && let Some(licensing) = packed.unpack(catalogue)
        {
            return Ok(Arc::new(licensing));
        }
        // Read before the data: a change recorded after this point retires what is read now.
        let stamp = store.stamp();
        let licensing = match store.licensing(vendor, licensee_number).await? {
            Some(found) => Arc::new(self.assemble(caller, found, stamp).await?),
            // No such licensee (yet): what validation would create, from the product's cached catalogue when
            // it is current. (Should a concurrent validation create it meanwhile, the creation reports the
            // duplicate and validation reads what that one wrote.)
            None => match self.would_create_cached(caller, licensee_number, params)? {
                Some(licensing) => Arc::new(licensing),
                None => {
                    let mut tx = store.read().await?;
                    Arc::new(self.would_create(tx.as_mut(), caller, licensee_number, params, stamp, None).await?)
                }
            },
        };
        let packed = self.licensings.is_on().then(|| PackedLicensing::pack(&licensing)).flatten();
        if let (Some(stamp), Some(packed)) = (stamp, packed) {
            let scopes = vec![
                Scope::Licensee(vendor, Some(packed.licensee_id)),
                Scope::Catalogue(vendor, Some(packed.product_id)),
                Scope::key(vendor, licensee_number),
            ];
            self.licensings.put(vendor, licensee_number, stamp, scopes, Arc::new(packed));
        }
        Ok(licensing)
    }

    /// Reads the licensee (or the one validation would create), its product's modules and templates, and its
    /// licenses.
    /// With `stamp` (taken before `tx`'s first read), the product's catalogue may come from (and go to) the
    /// catalogue cache; without, everything is read in `tx`; with `known`, the catalogue is that one (the one
    /// this validation read already) and only the licensee and its licenses are read.
    async fn load(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
        stamp: Option<Stamp>,
        known: Option<Arc<Catalogue>>,
    ) -> CoreResult<Licensing> {
        let found = match tx.get(caller.vendor, Kind::Licensee, licensee_number).await? {
            Some(record) => Some(record),
            None => tx.licensee_by_alias(caller.vendor, licensee_number).await?,
        };
        let Some(record) = found else {
            return self.would_create(tx, caller, licensee_number, params, stamp, known).await;
        };
        caller.require_licensee(&record.number)?;
        let product_id = record.links.product.as_ref().map(|link| link.id);
        let licensee = to_entity::<Licensee>(Kind::Licensee, &record, Vec::new())?;
        let catalogue = self.catalogue_of(tx, caller, &licensee, product_id, stamp, known).await?;
        let mine = Query::all(vec![Condition::Link(LinkKind::Licensee, licensee.number.clone())]);
        let records = tx.list(caller.vendor, Kind::License, &mine).await?.records;
        let licenses = records_to(Kind::License, &records)?;
        let license_ids = records.iter().map(|r| r.id).collect();
        Ok(Licensing {
            licensee,
            licensee_id: Some(record.id),
            product_id,
            catalogue,
            licenses,
            license_ids,
            revision: None,
        })
    }

    /// The catalogue of `licensee`'s product: `known` if given, else cached (given `stamp`), else read in `tx`.
    async fn catalogue_of(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        licensee: &Licensee,
        product_id: Option<i64>,
        stamp: Option<Stamp>,
        known: Option<Arc<Catalogue>>,
    ) -> CoreResult<Arc<Catalogue>> {
        let product_number = licensee.product_number.as_deref().unwrap_or_default();
        Ok(match (known, stamp, product_id) {
            (Some(known), _, _) => known,
            // Cached while the product, its modules and templates are unchanged; otherwise read (in `tx`,
            // whose reads began after `stamp`) and cached.
            (None, Some(stamp), Some(product)) => match self.cached_catalogue_of(caller.vendor, product) {
                Some(cached) => cached,
                None => self.read_and_keep_catalogue(tx, caller, product, product_number, stamp).await?,
            },
            _ => Arc::new(read_catalogue(tx, caller, product_number).await?),
        })
    }

    /// The validation data of a stored licensee and its licenses, with its product's catalogue (cached, or read
    /// and cached given the `stamp` taken before the licensee was read).
    async fn assemble(&self, caller: &Caller, found: LicenseeRecords, stamp: Option<Stamp>) -> CoreResult<Licensing> {
        let LicenseeRecords { licensee, licenses, revision } = found;
        caller.require_licensee(&licensee.number)?;
        let product = licensee.links.product.clone();
        let licensee_id = licensee.id;
        let licensee: Licensee = to_entity(Kind::Licensee, &licensee, Vec::new())?;
        let product_number = licensee.product_number.clone().unwrap_or_default();
        let store = self.store();
        let cached = match (&product, stamp) {
            (Some(product), Some(_)) => self.cached_catalogue_of(caller.vendor, product.id),
            _ => None,
        };
        let catalogue = match (cached, &product, stamp) {
            (Some(catalogue), _, _) => catalogue,
            (None, Some(product), Some(stamp)) => {
                let mut tx = store.read().await?;
                self.read_and_keep_catalogue(tx.as_mut(), caller, product.id, &product_number, stamp).await?
            }
            _ => {
                let mut tx = store.read().await?;
                Arc::new(read_catalogue(tx.as_mut(), caller, &product_number).await?)
            }
        };
        Ok(Licensing {
            licensee,
            licensee_id: Some(licensee_id),
            product_id: product.map(|p| p.id),
            catalogue,
            licenses: records_to(Kind::License, &licenses)?,
            license_ids: licenses.iter().map(|r| r.id).collect(),
            revision,
        })
    }

    /// The product's catalogue if cached and its product, modules and templates unchanged since (the key is
    /// the product's id, formatted without allocating: this is on every cached validation).
    fn cached_catalogue_of(&self, vendor: VendorId, product: i64) -> Option<Arc<Catalogue>> {
        let store = self.store();
        let mut key = itoa::Buffer::new();
        self.catalogues.get(vendor, key.format(product), |stamp, scopes| store.unchanged(stamp, scopes))
    }

    /// Reads the product's catalogue in `tx` (whose reads began after `stamp`) and caches it.
    async fn read_and_keep_catalogue(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        product: i64,
        product_number: &str,
        stamp: Stamp,
    ) -> CoreResult<Arc<Catalogue>> {
        let catalogue = Arc::new(read_catalogue(tx, caller, product_number).await?);
        let scopes = vec![Scope::Catalogue(caller.vendor, Some(product))];
        self.catalogues.put(caller.vendor, itoa::Buffer::new().format(product), stamp, scopes, catalogue.clone());
        Ok(catalogue)
    }
}

/// A product's active modules and its templates, read from the store.
async fn read_catalogue(tx: &mut dyn Tx, caller: &Caller, product_number: &str) -> CoreResult<Catalogue> {
    let product_link = Condition::Link(LinkKind::Product, product_number.to_owned());
    let modules = tx
        .list(caller.vendor, Kind::ProductModule, &Query::all(vec![product_link.clone(), Condition::Active(true)]))
        .await?;
    let templates = tx.list(caller.vendor, Kind::LicenseTemplate, &Query::all(vec![product_link])).await?;
    let (product, secret_mode) = match tx.get(caller.vendor, Kind::Product, product_number).await? {
        Some(record) => {
            let product = to_entity::<Product>(Kind::Product, &record, Vec::new())?;
            (Some(creating::ProductFacts::of(record.id, &product)), product.licensee_secret_mode)
        }
        None => (None, None),
    };
    Ok(Catalogue {
        product,
        secret_mode,
        modules: records_to(Kind::ProductModule, &modules.records)?,
        templates: templates
            .records
            .iter()
            .map(|r| Ok((r.id, to_entity::<LicenseTemplate>(Kind::LicenseTemplate, r, Vec::new())?)))
            .collect::<CoreResult<_>>()?,
    })
}

fn records_to<E: Entity>(kind: Kind, records: &[Record]) -> CoreResult<Vec<E>> {
    records.iter().map(|r| to_entity(kind, r, Vec::new())).collect()
}

/// Asks each module's model and assembles the answer, with the license changes it implies.
fn evaluate(
    licensing: &Licensing,
    params: &ValidationParameters,
    now: DateTime<Utc>,
    ttl: Duration,
) -> CoreResult<(ValidationResult, Vec<LicenseUpdate>)> {
    let mut modules = Vec::new();
    let mut updates = Vec::new();
    let mut infos = Vec::new();
    let mut mismatch = false;
    for module in &licensing.catalogue.modules {
        let templates: Vec<&LicenseTemplate> = licensing
            .catalogue
            .templates
            .iter()
            .map(|(_, t)| t)
            .filter(|t| t.product_module_number.as_deref() == Some(module.number.as_str()))
            .collect();
        let licenses: Vec<&License> = licensing
            .licenses
            .iter()
            .filter(|l| templates.iter().any(|t| l.license_template_number.as_deref() == Some(t.number.as_str())))
            .collect();
        let input = ModuleInput {
            module,
            templates: &templates,
            licenses: &licenses,
            params: params.module(&module.number),
            now,
            licensee_active: licensing.licensee.active,
        };
        let outcome = validate_module(&input).map_err(|error| match error {
            EngineError::Unsupported(model) => CoreError::IllegalOperation(format!(
                "Licensing model {model} of module '{}' is not supported by this server yet",
                module.number
            )),
            EngineError::BadParameter(name, value, expected) => CodecError::invalid(name, value, expected).into(),
            EngineError::OutOfRange(what) => CoreError::Malformed(format!(
                "Value out of range: the {what} of module '{}' would exceed {}",
                module.number,
                i64::MAX
            )),
        })?;
        let mode = licensee_secret::mode_of(licensing.catalogue.secret_mode, module);
        let stored = licensing.licensee.licensee_secret.as_deref();
        let mut result = outcome.result;
        if licensee_secret::matches(mode, stored, params.licensee_secret.as_deref()) {
            updates.extend(outcome.updates);
            infos.extend(outcome.infos);
        } else {
            // A mismatch consumes nothing: the module only reports itself invalid.
            licensee_secret::invalidate(&mut result);
            mismatch = true;
        }
        modules.push(result);
    }
    if mismatch {
        infos.insert(0, licensee_secret::mismatch_info());
    }
    let licensee = params.for_offline_use.then(|| OfflineLicensee {
        number: licensing.licensee.number.clone(),
        custom: licensing.licensee.custom.clone(),
    });
    let ttl = Some(until(&modules, now, ttl));
    Ok((ValidationResult { ttl, infos, licensee, modules }, updates))
}

/// The module numbers of a result per warning level (modules without a level are left out).
fn warning_level_summary(modules: &[ProductModuleValidation]) -> WarningLevelSummary {
    let mut summary = WarningLevelSummary::default();
    for module in modules {
        let number = module.product_module_number.clone();
        match module.warning_level {
            Some(WarningLevel::Red) => summary.red.push(number),
            Some(WarningLevel::Yellow) => summary.yellow.push(number),
            Some(WarningLevel::Green) => summary.green.push(number),
            None => {}
        }
    }
    summary
}

/// The vendor's TTL ahead, but never past the earliest expiry the result reports.
fn until(modules: &[ProductModuleValidation], now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    let expiry_names = ["expires", "evaluationExpires", "expirationTimestamp"];
    let properties =
        modules.iter().flat_map(|m| m.properties.iter().chain(m.lists.iter().flat_map(|l| l.properties.iter())));
    properties
        .filter(|p: &&Property| expiry_names.contains(&p.name.as_str()))
        .filter_map(|p| timestamp::parse(&p.value))
        .filter(|t| *t > now)
        .fold(now.checked_add_signed(ttl).unwrap_or(now), DateTime::min)
}
