//! `bundle/{number}/obtain` and `licensee/{number}/transfer`: licenses made or moved in bulk, all or nothing,
//! recorded by a transaction.

use netlicensing_model::{
    codec::Form,
    entity::{Bundle, Entity, License, LicenseTemplate},
    types::{LicenseType, LicensingModel, TransactionSource, WireValue},
};

use super::{
    Core,
    convert::to_entity,
    find,
    input::Input,
    license::from_template,
    numbering, stored_properties,
    transaction::{join_license, record_auto},
};
use crate::{
    caller::{Caller, Permission},
    error::{CoreError, CoreResult},
    record::{Condition, Kind, Link, LinkKind, Links, NewRecord, Query, Record},
    repo::Tx,
};

impl Core {
    /// Obtains a bundle for a licensee: one license per template of the bundle (time-volume licenses start now;
    /// a Rental time-volume license extends the licensee's FEATURE license of the same module), joined to the
    /// given transaction or to a new closed `OBTAIN_BUNDLE` transaction. Nothing is created if any step fails.
    pub async fn obtain_bundle(&self, caller: &Caller, bundle_number: &str, form: &Form) -> CoreResult<Vec<License>> {
        caller.require(Permission::Operate)?;
        let input = Input::new(form);
        let licensee_number = input.required("licenseeNumber", "Licensee number is not provided")?;
        let mut tx = self.store().write().await?;
        let bundle_record = find(tx.as_mut(), caller, Kind::Bundle, bundle_number).await?;
        let bundle: Bundle = to_entity(Kind::Bundle, &bundle_record, Vec::new())?;
        if !bundle.active {
            return Err(CoreError::IllegalOperation(format!("The bundle '{bundle_number}' is not active")));
        }
        let licensee = tx
            .get(caller.vendor, Kind::Licensee, licensee_number)
            .await?
            .ok_or_else(|| CoreError::NotFound("Requested licensee does not exist.".into()))?;
        if !licensee.active {
            return Err(CoreError::IllegalOperation(format!("The licensee '{licensee_number}' is not active")));
        }
        tx.lock(caller.vendor, Kind::Licensee, licensee.id).await?;
        let transaction = match input.text("transactionNumber") {
            Some(number) => find(tx.as_mut(), caller, Kind::Transaction, number).await?.number,
            None => {
                let source = TransactionSource::ObtainBundle;
                record_auto(tx.as_mut(), caller, self.now(), source, Some(licensee_number), &[]).await?
            }
        };
        let templates: Vec<String> = bundle.license_template_numbers.into_iter().flatten().collect();
        let created = self.grant(tx.as_mut(), caller, &licensee, &templates, &transaction).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Creates one license per template number (a number given twice makes two) for a licensee, joined to a
    /// transaction: time-volume licenses start now; a Rental time-volume license extends the licensee's FEATURE
    /// license of the same module (one made in the same call, or one it holds). Every template must belong to
    /// the licensee's product. Within the caller's write transaction, which the licensee is locked in.
    pub(crate) async fn grant(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        licensee: &Record,
        templates: &[String],
        transaction: &str,
    ) -> CoreResult<Vec<License>> {
        let licensee_number = licensee.number.as_str();
        let mut created: Vec<License> = Vec::new();
        let mut features: Vec<(Option<String>, String)> = Vec::new();
        for template_number in templates {
            let template_record = find(tx, caller, Kind::LicenseTemplate, template_number).await?;
            let same_product =
                template_record.links.product.as_ref().map(|p| p.id) == licensee.links.product.as_ref().map(|p| p.id);
            if !same_product {
                return Err(CoreError::IllegalOperation(format!(
                    "The license template '{template_number}' belongs to another product than the licensee"
                )));
            }
            let template: LicenseTemplate = to_entity(Kind::LicenseTemplate, &template_record, Vec::new())?;
            let number = numbering::unused_number(tx, caller.vendor, Kind::License).await?;
            let mut license = License::from_item(from_template(&template, &number, true))?;
            license.price = template.price;
            license.currency = template.currency;
            license.transaction_number = Some(transaction.to_owned());
            if template.license_type == Some(LicenseType::TimeVolume) {
                license.start_date = Some(self.now());
                if rental_module(tx, caller, &template_record.links).await? {
                    let feature = features
                        .iter()
                        .find(|(module, _)| *module == template.product_module_number)
                        .map(|(_, number)| number.clone());
                    let feature = match feature {
                        Some(feature) => Some(feature),
                        None => existing_feature(tx, caller, licensee_number, &template).await?,
                    };
                    license.parent_feature = Some(feature.ok_or_else(|| {
                        CoreError::IllegalOperation(format!(
                            "The Rental license template '{template_number}' needs a FEATURE license of the licensee"
                        ))
                    })?);
                }
            }
            let (properties, lists) = stored_properties(Kind::License, &license);
            let links = Links {
                licensee: Some(Link { id: licensee.id, number: licensee.number.clone() }),
                license_template: Some(Link { id: template_record.id, number: template_record.number.clone() }),
                ..Links::default()
            };
            let id = tx
                .insert(
                    caller.vendor,
                    Kind::License,
                    &NewRecord { number: number.clone(), active: true, links, properties, lists },
                )
                .await?;
            join_license(tx, caller, transaction, &number).await?;
            let record =
                tx.get_by_id(caller.vendor, Kind::License, id).await?.ok_or_else(|| CoreError::not_found("license"))?;
            let stored: License = to_entity(Kind::License, &record, Vec::new())?;
            if template.license_type == Some(LicenseType::Feature) {
                features.push((template.product_module_number.clone(), stored.number.clone()));
            }
            created.push(stored);
        }
        Ok(created)
    }

    /// Moves every license of a source licensee marked for transfer to the target licensee of the same product,
    /// recorded by an `AUTO_LICENSES_TRANSFER` transaction. The source licensee stays, without licenses.
    pub async fn transfer(&self, caller: &Caller, target_number: &str, form: &Form) -> CoreResult<()> {
        caller.require(Permission::Licensee)?;
        caller.require_licensee(target_number)?;
        let input = Input::new(form);
        let source_number = input.required("sourceLicenseeNumber", "Source licensee number is not provided")?;
        if source_number == target_number {
            return Err(CoreError::IllegalOperation("A licensee cannot transfer licenses to itself".into()));
        }
        let mut tx = self.store().write().await?;
        let target = find(tx.as_mut(), caller, Kind::Licensee, target_number).await?;
        let source = find(tx.as_mut(), caller, Kind::Licensee, source_number).await?;
        let (first, second) = if source.id < target.id { (&source, &target) } else { (&target, &source) };
        tx.lock(caller.vendor, Kind::Licensee, first.id).await?;
        tx.lock(caller.vendor, Kind::Licensee, second.id).await?;
        if source.links.product.as_ref().map(|p| p.id) != target.links.product.as_ref().map(|p| p.id) {
            return Err(CoreError::IllegalOperation(
                "Licenses can only be transferred between licensees of one product".into(),
            ));
        }
        if source.property("markedForTransfer").and_then(bool::parse_wire) != Some(true) {
            return Err(CoreError::IllegalOperation(format!(
                "The licensee '{source_number}' is not marked for transfer"
            )));
        }
        let licenses = tx
            .list(
                caller.vendor,
                Kind::License,
                &Query::all(vec![Condition::Link(LinkKind::Licensee, source.number.clone())]),
            )
            .await?;
        if licenses.records.is_empty() {
            return Ok(());
        }
        let source = TransactionSource::AutoLicensesTransfer;
        let transaction = record_auto(tx.as_mut(), caller, self.now(), source, Some(target_number), &[]).await?;
        for license in &licenses.records {
            tx.relink(caller.vendor, Kind::License, license.id, LinkKind::Licensee, target.id).await?;
            join_license(tx.as_mut(), caller, &transaction, &license.number).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Whether a template's module is licensed under Rental.
async fn rental_module(tx: &mut dyn Tx, caller: &Caller, links: &Links) -> CoreResult<bool> {
    let Some(module) = &links.product_module else { return Ok(false) };
    let module = tx.get_by_id(caller.vendor, Kind::ProductModule, module.id).await?;
    Ok(module.and_then(|m| m.property("licensingModel").and_then(LicensingModel::parse_wire))
        == Some(LicensingModel::Rental))
}

/// An existing FEATURE license of the licensee in the template's module.
async fn existing_feature(
    tx: &mut dyn Tx,
    caller: &Caller,
    licensee_number: &str,
    template: &LicenseTemplate,
) -> CoreResult<Option<String>> {
    let Some(module) = template.product_module_number.clone() else { return Ok(None) };
    let query = Query::all(vec![
        Condition::Link(LinkKind::Licensee, licensee_number.to_owned()),
        Condition::Link(LinkKind::ProductModule, module),
    ]);
    for record in tx.list(caller.vendor, Kind::License, &query).await?.records {
        let Some(template) = &record.links.license_template else { continue };
        let template = tx.get_by_id(caller.vendor, Kind::LicenseTemplate, template.id).await?;
        if template.and_then(|t| t.property("licenseType").and_then(LicenseType::parse_wire))
            == Some(LicenseType::Feature)
        {
            return Ok(Some(record.number));
        }
    }
    Ok(None)
}
