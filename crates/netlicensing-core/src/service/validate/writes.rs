//! Validation's writes: the side effects a validation has (licensee auto-creation, licenses from automatic
//! templates, consumption, a bound licensee secret, the warning-level summary), each one transaction under a
//! lock of the licensee, on the write lane (see [`crate::service::write_lane`]). They take the product catalogue
//! the validation read: they write only the licensee and its licenses.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use netlicensing_model::{
    Property,
    entity::{License, Licensee, ValidationParameters, ValidationResult, WarningLevelSummary},
    types::{TransactionSource, WireValue},
};

use super::{
    Catalogue, Licensing, SUMMARY, add_automatic_licenses, automatic_license, evaluate, missing_automatic,
    warning_level_summary,
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult, RepoError},
    record::{Condition, Kind, Link, LinkKind, Links, NewRecord, Query, Record},
    service::{Core, convert::to_entity, find, licensee_secret, stored_properties, transaction},
};

impl Core {
    /// Stores the licensee's `warningLevelSummary` when this validation changed it (also on `dryRun`, which is
    /// how a vendor refreshes it): one write per change, never a scan.
    pub(super) async fn keep_summary(
        &self,
        caller: &Caller,
        licensing: &Licensing,
        result: &ValidationResult,
    ) -> CoreResult<()> {
        let Some(licensee_id) = licensing.licensee_id else { return Ok(()) };
        let summary = warning_level_summary(&result.modules);
        if licensing.licensee.warning_level_summary.as_ref() == Some(&summary) {
            return Ok(());
        }
        // WARNING_LEVEL_CHANGED carries the module answers that changed the levels.
        let answers = result.modules.iter().map(netlicensing_model::entity::Entity::to_item).collect();
        let (core, vendor) = (self.clone(), caller.vendor);
        self.on_write_lane(async move { core.store_summary(vendor, licensee_id, summary, answers).await }).await
    }

    /// Writes a licensee's new `warningLevelSummary`, with the answers its event carries.
    pub(super) async fn store_summary(
        &self,
        vendor: crate::VendorId,
        licensee_id: i64,
        summary: WarningLevelSummary,
        answers: Vec<netlicensing_model::Item>,
    ) -> CoreResult<()> {
        let mut tx = self.store().write().await?;
        tx.lock(vendor, Kind::Licensee, licensee_id).await?;
        let Some(mut record) = tx.get_by_id(vendor, Kind::Licensee, licensee_id).await? else {
            return Ok(());
        };
        record.properties.retain(|p| p.name != SUMMARY);
        record.properties.push(Property::new(SUMMARY, summary.to_wire()));
        tx.update(vendor, Kind::Licensee, &record).await?;
        tx.attach(vendor, Kind::Licensee, licensee_id, answers);
        tx.commit().await?;
        Ok(())
    }

    /// Validation that changes licenses (consumption): evaluated again under the licensee's lock on fresh data
    /// (the licensee and its licenses; the product's catalogue is the one this validation read), so concurrent
    /// validations neither lose nor double-count a change, and the changes are written. When the licensee's
    /// revision under the lock is the one validation read, what it read is what is stored and nothing is read
    /// again.
    pub(super) async fn consume(
        &self,
        caller: &Caller,
        read: Arc<Licensing>,
        params: &ValidationParameters,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> CoreResult<ValidationResult> {
        let licensee_id = read.licensee_id.ok_or_else(|| CoreError::not_found(Kind::Licensee.noun()))?;
        let mut tx = self.store().write().await?;
        let revision = tx.lock_licensee(caller.vendor, licensee_id).await?;
        let unchanged = revision.is_some() && revision == read.revision;
        let (licensing, mut licenses) = match unchanged.then(|| license_records(&read)).flatten() {
            Some(records) => {
                tx.known(Kind::License, &records);
                (read, records)
            }
            None => {
                let (licensing, records) = self.read_under_lock(tx.as_mut(), caller, &read).await?;
                (Arc::new(licensing), records)
            }
        };
        let (result, updates) = evaluate(&licensing, params, now, ttl)?;
        for update in updates {
            let record = licenses
                .iter_mut()
                .find(|record| record.number == update.license_number)
                .ok_or_else(|| CoreError::not_found(Kind::License.noun()))?;
            apply(&mut record.properties, update.property);
            tx.update(caller.vendor, Kind::License, record).await?;
        }
        tx.commit().await?;
        Ok(result)
    }

    /// The licensee validation `read` and its licenses as stored now, read under the lock `tx` holds (by id
    /// when it was renamed since), with the catalogue validation read; and the licenses' records.
    async fn read_under_lock(
        &self,
        tx: &mut dyn crate::repo::Tx,
        caller: &Caller,
        read: &Licensing,
    ) -> CoreResult<(Licensing, Vec<Record>)> {
        let licensee_id = read.licensee_id.ok_or_else(|| CoreError::not_found(Kind::Licensee.noun()))?;
        let (licensee, licenses, revision) = match tx.licensing(caller.vendor, &read.licensee.number).await? {
            Some(found) if found.licensee.id == licensee_id => (found.licensee, found.licenses, found.revision),
            _ => {
                let licensee = tx
                    .get_by_id(caller.vendor, Kind::Licensee, licensee_id)
                    .await?
                    .ok_or_else(|| CoreError::not_found(Kind::Licensee.noun()))?;
                let mine = Query::all(vec![Condition::Link(LinkKind::Licensee, licensee.number.clone())]);
                let licenses = tx.list(caller.vendor, Kind::License, &mine).await?.records;
                (licensee, licenses, None)
            }
        };
        let licensing = Licensing {
            licensee: to_entity::<Licensee>(Kind::Licensee, &licensee, Vec::new())?,
            licensee_id: Some(licensee_id),
            product_id: licensee.links.product.as_ref().map(|link| link.id),
            catalogue: read.catalogue.clone(),
            licenses: licenses
                .iter()
                .map(|record| to_entity::<License>(Kind::License, record, Vec::new()))
                .collect::<CoreResult<_>>()?,
            license_ids: licenses.iter().map(|record| record.id).collect(),
            revision,
        };
        Ok((licensing, licenses))
    }

    /// A licensee validation creates (auto-create), in one transaction with everything this validation writes:
    /// the licenses of automatic templates, the secret a `CLIENT`-mode licensee is bound to, what the answer
    /// consumes, its warning-level summary (the first, which raises no event) and the auto transaction. Nothing
    /// is read back: a licensee created here has nothing but what this transaction writes. A concurrent
    /// validation that created the same licensee first makes the insert fail as a duplicate.
    pub(super) async fn auto_create(
        &self,
        caller: &Caller,
        read: &Licensing,
        params: &ValidationParameters,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> CoreResult<ValidationResult> {
        let mut licensing = read.clone();
        add_automatic_licenses(&mut licensing, now)?;
        let modes =
            licensing.catalogue.modules.iter().map(|m| licensee_secret::mode_of(licensing.catalogue.secret_mode, m));
        if let Some(secret) = licensee_secret::to_bind(modes, None, params.licensee_secret.as_deref()) {
            licensing.licensee.licensee_secret = Some(secret.to_owned());
        }
        let (result, updates) = evaluate(&licensing, params, now, ttl)?;
        licensing.licensee.warning_level_summary = Some(warning_level_summary(&result.modules));

        let product_number = licensing.licensee.product_number.clone().unwrap_or_default();
        let product_id = licensing.product_id.ok_or_else(|| CoreError::not_found(Kind::Product.noun()))?;
        let (properties, lists) = stored_properties(Kind::Licensee, &licensing.licensee);
        let licensee = NewRecord {
            number: licensing.licensee.number.clone(),
            active: true,
            links: Links { product: Some(Link { id: product_id, number: product_number }), ..Links::default() },
            properties,
            lists,
        };
        let mut tx = self.store().write().await?;
        let licensee_id = tx.insert(caller.vendor, Kind::Licensee, &licensee).await.map_err(raced)?;
        let mut created = Vec::new();
        for license in &licensing.licenses {
            let template_number = license.license_template_number.as_deref();
            let Some((template_id, _)) =
                licensing.catalogue.templates.iter().find(|(_, t)| Some(t.number.as_str()) == template_number)
            else {
                continue;
            };
            let licensee_link = Link { id: licensee_id, number: licensee.number.clone() };
            let template = Link { id: *template_id, number: template_number.unwrap_or_default().into() };
            let mut record = license_record(license, licensee_link, template);
            for update in updates.iter().filter(|u| u.license_number == license.number) {
                apply(&mut record.properties, update.property.clone());
            }
            tx.insert(caller.vendor, Kind::License, &record).await.map_err(raced)?;
            created.push(license.number.as_str());
        }
        let source = TransactionSource::AutoLicenseeValidate;
        transaction::record_auto(tx.as_mut(), caller, now, source, Some(&licensee.number), &created).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Stores the secret a `CLIENT`-mode licensee is bound to on its first validation (unless a concurrent
    /// validation bound it first), under the licensee's lock.
    pub(super) async fn bind_secret(
        &self,
        caller: &Caller,
        licensee_number: &str,
        secret: &str,
        params: &ValidationParameters,
        catalogue: Arc<Catalogue>,
    ) -> CoreResult<Licensing> {
        let mut tx = self.store().write().await?;
        let licensee = find(tx.as_mut(), caller, Kind::Licensee, licensee_number).await?;
        tx.lock(caller.vendor, Kind::Licensee, licensee.id).await?;
        let mut record = find(tx.as_mut(), caller, Kind::Licensee, licensee_number).await?;
        let stored = record.properties.iter().any(|p| p.name == "licenseeSecret" && !p.value.is_empty());
        if !stored {
            record.properties.retain(|p| p.name != "licenseeSecret");
            record.properties.push(Property::new("licenseeSecret", secret));
            tx.update(caller.vendor, Kind::Licensee, &record).await?;
        }
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, Some(catalogue)).await?;
        tx.commit().await?;
        Ok(licensing)
    }

    /// Creates the licenses of automatic templates an existing licensee holds none of yet (a template made
    /// automatic after the licensee was created), under the licensee's lock. The product's catalogue is the one
    /// this validation read (it is not written here), so the transaction reads only the licensee and its
    /// licenses.
    pub(super) async fn add_automatic(
        &self,
        caller: &Caller,
        licensee_id: i64,
        licensee_number: &str,
        params: &ValidationParameters,
        now: DateTime<Utc>,
        catalogue: Arc<Catalogue>,
    ) -> CoreResult<Licensing> {
        let known = || Some(catalogue.clone());
        let mut tx = self.store().write().await?;
        tx.lock(caller.vendor, Kind::Licensee, licensee_id).await?;
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, known()).await?;
        let licensee_id = licensing.licensee_id.ok_or_else(|| CoreError::not_found(Kind::Licensee.noun()))?;
        let mut created = Vec::new();
        for template_id in missing_automatic(&licensing) {
            let Some((_, template)) = licensing.catalogue.templates.iter().find(|(id, _)| *id == template_id) else {
                continue;
            };
            let license = automatic_license(template, now)?;
            let licensee_link = Link { id: licensee_id, number: licensing.licensee.number.clone() };
            let template_link = Link { id: template_id, number: template.number.clone() };
            let record = license_record(&license, licensee_link, template_link);
            tx.insert(caller.vendor, Kind::License, &record).await.map_err(raced)?;
            created.push(license.number);
        }
        if created.is_empty() {
            return Ok(licensing);
        }
        let created: Vec<&str> = created.iter().map(String::as_str).collect();
        let number = licensing.licensee.number.as_str();
        let source = TransactionSource::AutoLicenseeValidate;
        transaction::record_auto(tx.as_mut(), caller, now, source, Some(number), &created).await?;
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, known()).await?;
        tx.commit().await?;
        Ok(licensing)
    }
}

/// The stored records of the licenses validation read, made again from what it read (`None` when one of them
/// is not stored). Their properties are what a read would give; links name the licensee, its product and
/// the license's template.
fn license_records(licensing: &Licensing) -> Option<Vec<Record>> {
    if licensing.license_ids.len() != licensing.licenses.len() {
        return None;
    }
    let licensee = Link { id: licensing.licensee_id?, number: licensing.licensee.number.clone() };
    let product = match (licensing.product_id, &licensing.licensee.product_number) {
        (Some(id), Some(number)) => Some(Link { id, number: number.clone() }),
        _ => None,
    };
    let records = licensing.licenses.iter().zip(&licensing.license_ids).map(|(license, id)| {
        let template = license.license_template_number.as_deref().and_then(|number| {
            let (id, _) = licensing.catalogue.templates.iter().find(|(_, t)| t.number == number)?;
            Some(Link { id: *id, number: number.to_owned() })
        });
        let (properties, lists) = stored_properties(Kind::License, license);
        let links = Links {
            licensee: Some(licensee.clone()),
            product: product.clone(),
            license_template: template,
            ..Links::default()
        };
        Record {
            id: *id,
            number: license.number.clone(),
            active: license.active,
            links,
            properties,
            lists,
            in_use: false,
        }
    });
    Some(records.collect())
}

/// The stored record of a license validation creates from an automatic template.
fn license_record(license: &License, licensee: Link, template: Link) -> NewRecord {
    let (properties, lists) = stored_properties(Kind::License, license);
    let links = Links { licensee: Some(licensee), license_template: Some(template), ..Links::default() };
    NewRecord { number: license.number.clone(), active: true, links, properties, lists }
}

/// Sets a property a validation changed; an empty value removes it (custom properties never hold empty values).
fn apply(properties: &mut Vec<Property>, property: Property) {
    let position = properties.iter().position(|p| p.name == property.name);
    match (position, property.value.is_empty()) {
        (Some(i), true) => {
            properties.remove(i);
        }
        (Some(i), false) => properties[i].value = property.value,
        (None, false) => properties.push(property),
        (None, true) => {}
    }
}

/// A duplicate while creating what validation creates means a concurrent validation created it first: kept as a
/// storage duplicate (not the API's "number already used"), which the validation answers by reading what the
/// other one wrote.
fn raced(error: RepoError) -> CoreError {
    match error {
        RepoError::Duplicate(number) => CoreError::Storage(RepoError::Duplicate(number)),
        other => other.into(),
    }
}
