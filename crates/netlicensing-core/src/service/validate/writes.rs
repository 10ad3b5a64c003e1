//! Validation's writes: the side effects a validation has (licensee auto-creation, licenses from automatic
//! templates, consumption, a bound licensee secret, the warning-level summary), each one transaction under a
//! lock of the licensee, on the write lane (see [`crate::service::write_lane`]). They take the product catalogue
//! the validation read: they write only the licensee and its licenses.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use netlicensing_model::{
    Property,
    entity::{ValidationParameters, ValidationResult, WarningLevelSummary},
    types::{TransactionSource, WireValue},
};

use super::{Catalogue, Licensing, SUMMARY, automatic_license, evaluate, missing_automatic, warning_level_summary};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult, RepoError},
    record::{Kind, Link, Links, NewRecord},
    service::{Core, find, stored_properties, transaction},
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
    /// validations neither lose nor double-count a change, and the changes are written.
    pub(super) async fn consume(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
        now: DateTime<Utc>,
        ttl: Duration,
        catalogue: Arc<Catalogue>,
    ) -> CoreResult<ValidationResult> {
        let mut tx = self.store().write().await?;
        let licensee = find(tx.as_mut(), caller, Kind::Licensee, licensee_number).await?;
        tx.lock(caller.vendor, Kind::Licensee, licensee.id).await?;
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, Some(catalogue)).await?;
        let (result, updates) = evaluate(&licensing, params, now, ttl)?;
        for update in updates {
            let mut record = find(tx.as_mut(), caller, Kind::License, &update.license_number).await?;
            // An empty value removes the property (custom properties never hold empty values).
            let position = record.properties.iter().position(|p| p.name == update.property.name);
            match (position, update.property.value.is_empty()) {
                (Some(i), true) => {
                    record.properties.remove(i);
                }
                (Some(i), false) => record.properties[i].value = update.property.value,
                (None, false) => record.properties.push(update.property),
                (None, true) => {}
            }
            tx.update(caller.vendor, Kind::License, &record).await?;
        }
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

    /// Creates the licensee (auto-create) and the licenses of automatic templates, under a lock of the licensee.
    /// The product's catalogue is the one this validation read (it is not written here), so the transaction
    /// reads only the licensee and its licenses.
    pub(super) async fn write_side_effects(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
        now: DateTime<Utc>,
        catalogue: Arc<Catalogue>,
    ) -> CoreResult<Licensing> {
        let known = || Some(catalogue.clone());
        let mut tx = self.store().write().await?;
        let mut licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, known()).await?;
        let created_licensee = licensing.licensee_id.is_none();
        let licensee_id = match licensing.licensee_id {
            Some(id) => id,
            None => {
                let product_number = licensing.licensee.product_number.clone().unwrap_or_default();
                let product = match licensing.product_id {
                    Some(id) => Link { id, number: product_number },
                    None => {
                        let record = find(tx.as_mut(), caller, Kind::Product, &product_number).await?;
                        Link { id: record.id, number: record.number }
                    }
                };
                let (properties, lists) = stored_properties(Kind::Licensee, &licensing.licensee);
                let record = NewRecord {
                    number: licensing.licensee.number.clone(),
                    active: true,
                    links: Links { product: Some(product), ..Links::default() },
                    properties,
                    lists,
                };
                tx.insert(caller.vendor, Kind::Licensee, &record).await.map_err(raced)?
            }
        };
        tx.lock(caller.vendor, Kind::Licensee, licensee_id).await?;
        licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, known()).await?;
        let mut created = Vec::new();
        for template_id in missing_automatic(&licensing) {
            let Some((_, template)) = licensing.catalogue.templates.iter().find(|(id, _)| *id == template_id) else {
                continue;
            };
            let license = automatic_license(template, now)?;
            let (properties, lists) = stored_properties(Kind::License, &license);
            let links = Links {
                licensee: Some(Link { id: licensee_id, number: licensing.licensee.number.clone() }),
                license_template: Some(Link { id: template_id, number: template.number.clone() }),
                ..Links::default()
            };
            let record = NewRecord { number: license.number.clone(), active: true, links, properties, lists };
            tx.insert(caller.vendor, Kind::License, &record).await.map_err(raced)?;
            created.push(license.number);
        }
        if created_licensee || !created.is_empty() {
            let created: Vec<&str> = created.iter().map(String::as_str).collect();
            let number = licensing.licensee.number.as_str();
            let source = TransactionSource::AutoLicenseeValidate;
            transaction::record_auto(tx.as_mut(), caller, now, source, Some(number), &created).await?;
        }
        let licensing = self.load(tx.as_mut(), caller, licensee_number, params, None, known()).await?;
        tx.commit().await?;
        Ok(licensing)
    }
}

/// A duplicate while creating what validation creates means a concurrent validation created it first.
fn raced(error: RepoError) -> CoreError {
    match error {
        RepoError::Duplicate(number) => CoreError::Storage(RepoError::Duplicate(number)),
        other => other.into(),
    }
}
