//! Licenses: made from a template for a licensee of the same product, taking the template's values.

use chrono::{DateTime, Utc};
use netlicensing_model::{
    codec::Form,
    entity::{Entity, License, LicenseTemplate},
    types::{LicenseType, LicensingModel, TransactionSource, WireValue},
};

use super::{
    Core, Resource, assign_number,
    convert::to_entity,
    find,
    input::{Input, base_item, merge_form},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Link, Links, Record},
    repo::Tx,
};

/// Parameters handled outside the generic merge. Price and currency always come from the template.
const SKIP: &[&str] =
    &["number", "active", "licenseeNumber", "licenseTemplateNumber", "startDate", "price", "currency"];

impl Core {
    /// Creates a license: `licenseeNumber` and `licenseTemplateNumber` are required and must belong to the same
    /// product. Name, hidden (from `hideLicenses`), time volume, sessions and quantities default to the
    /// template's; price and currency are the template's. A time-volume license starts at `startDate` (`now`
    /// allowed), by default now. A Rental time-volume license names its FEATURE license in `parentFeature`.
    pub async fn create_license(&self, caller: &Caller, form: &Form) -> CoreResult<License> {
        caller.require(License::WRITE)?;
        let input = Input::new(form);
        let licensee_number = input.required("licenseeNumber", "Licensee number is not provided")?;
        let template_number = input.required("licenseTemplateNumber", "License template number is not provided")?;
        let mut tx = self.store().write().await?;
        let licensee = find(tx.as_mut(), caller, Kind::Licensee, licensee_number).await?;
        let template_record = find(tx.as_mut(), caller, Kind::LicenseTemplate, template_number).await?;
        let same_product =
            matches!((&licensee.links.product, &template_record.links.product), (Some(a), Some(b)) if a.id == b.id);
        if !same_product {
            return Err(CoreError::IllegalOperation(format!(
                "The license template '{template_number}' and the licensee '{licensee_number}' belong to different products"
            )));
        }
        if !licensee.active {
            return Err(CoreError::IllegalOperation(format!("The licensee '{licensee_number}' is not active")));
        }
        if let Some(transaction) = input.text("transactionNumber") {
            find(tx.as_mut(), caller, Kind::Transaction, transaction).await?;
        }
        let template: LicenseTemplate = to_entity(Kind::LicenseTemplate, &template_record, Vec::new())?;
        let number = assign_number(tx.as_mut(), caller, Kind::License, input.text("number")).await?;
        let mut license: License = merge_form(from_template(&template, &number, true), form, SKIP)?;
        license.active = input.value("active")?.unwrap_or(true);
        license.price = template.price;
        license.currency = template.currency;
        crate::time_volume::check_of(license.time_volume, license.time_volume_period)?;
        if template.license_type == Some(LicenseType::TimeVolume) {
            license.start_date = Some(start_date(&input, self.now())?.unwrap_or_else(|| self.now()));
        }
        check_parent_feature(tx.as_mut(), caller, &license, &template_record, &licensee).await?;
        let links = Links {
            licensee: Some(Link { id: licensee.id, number: licensee.number }),
            license_template: Some(Link { id: template_record.id, number: template_record.number }),
            ..Links::default()
        };
        let created = self.insert(tx.as_mut(), caller, &license, links).await?;
        let source = TransactionSource::AutoLicenseCreate;
        self.join_or_record(tx.as_mut(), caller, &input, source, licensee_number, &created.number).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a license; price and currency stay the template's, `startDate` accepts `now`, and
    /// `transactionNumber` joins the license to that transaction (otherwise an `AUTO_LICENSE_UPDATE` transaction
    /// records the change).
    pub async fn update_license(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<License> {
        caller.require(License::WRITE)?;
        let input = Input::new(form);
        let start = start_date(&input, self.now())?;
        let mut tx = self.store().write().await?;
        if let Some(transaction) = input.text("transactionNumber") {
            find(tx.as_mut(), caller, Kind::Transaction, transaction).await?;
        }
        let updated: License = self
            .update_in(tx.as_mut(), caller, number, form, &SKIP[2..], move |license: &mut License, _| {
                if start.is_some() {
                    license.start_date = start;
                }
                crate::time_volume::check_of(license.time_volume, license.time_volume_period)
            })
            .await?;
        let licensee = updated.licensee_number.clone().unwrap_or_default();
        let source = TransactionSource::AutoLicenseUpdate;
        self.join_or_record(tx.as_mut(), caller, &input, source, &licensee, &updated.number).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Joins a license to the request's `transactionNumber`, or records the change by a transaction of the
    /// service's own (`source`) for the licensee.
    async fn join_or_record(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        input: &Input<'_>,
        source: TransactionSource,
        licensee_number: &str,
        license_number: &str,
    ) -> CoreResult<()> {
        match input.text("transactionNumber") {
            Some(transaction) => super::transaction::join_license(tx, caller, transaction, license_number).await,
            None => {
                let licensee = Some(licensee_number).filter(|n| !n.is_empty());
                super::transaction::record_auto(tx, caller, self.now(), source, licensee, &[license_number])
                    .await
                    .map(|_| ())
            }
        }
    }
}

/// The item a new license starts from: the template's values.
pub(crate) fn from_template(template: &LicenseTemplate, number: &str, active: bool) -> netlicensing_model::Item {
    let mut item = base_item(License::TYPE, number, active);
    let mut put = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            item.push(name, value);
        }
    };
    put("name", template.name.clone());
    put("hidden", Some(template.hide_licenses.unwrap_or(false).to_wire().into_owned()));
    if template.license_type == Some(LicenseType::TimeVolume) {
        put("gracePeriod", template.grace_period.map(|g| g.to_wire().into_owned()));
        put("timeVolumePeriod", template.time_volume_period.map(|p| p.to_wire().into_owned()));
        put("timeVolume", template.time_volume.map(|v| v.to_string()));
    }
    put("maxSessions", template.max_sessions.map(|v| v.to_string()));
    put("quantity", template.quantity.map(|v| v.to_string()));
    put("quota", template.quota.map(|v| v.to_string()));
    item
}

/// `startDate` of a request: a timestamp, or `now`.
fn start_date(input: &Input<'_>, now: DateTime<Utc>) -> CoreResult<Option<DateTime<Utc>>> {
    match input.text("startDate") {
        None => Ok(None),
        Some(text) if text.eq_ignore_ascii_case("now") => Ok(Some(now)),
        Some(text) => Ok(Some(DateTime::<Utc>::parse_property("startDate", text)?)),
    }
}

/// A Rental time-volume license must extend a FEATURE license of the same licensee.
async fn check_parent_feature(
    tx: &mut dyn Tx,
    caller: &Caller,
    license: &License,
    template: &Record,
    licensee: &Record,
) -> CoreResult<()> {
    let is_time_volume =
        template.property("licenseType").and_then(LicenseType::parse_wire) == Some(LicenseType::TimeVolume);
    let module = match &template.links.product_module {
        Some(link) => tx.get_by_id(caller.vendor, Kind::ProductModule, link.id).await?,
        None => None,
    };
    let rental = module.as_ref().and_then(|m| m.property("licensingModel")).and_then(LicensingModel::parse_wire)
        == Some(LicensingModel::Rental);
    if !(is_time_volume && rental) {
        return Ok(());
    }
    let parent = license.parent_feature.as_deref().ok_or_else(|| {
        CoreError::Malformed(
            "'parentFeature' is mandatory for TIMEVOLUME licenses of the Rental licensing model".into(),
        )
    })?;
    let feature = find(tx, caller, Kind::License, parent).await?;
    let same_licensee = feature.links.licensee.as_ref().is_some_and(|l| l.id == licensee.id);
    let feature_template = match &feature.links.license_template {
        Some(link) => tx.get_by_id(caller.vendor, Kind::LicenseTemplate, link.id).await?,
        None => None,
    };
    let is_feature = feature_template.and_then(|t| t.property("licenseType").and_then(LicenseType::parse_wire))
        == Some(LicenseType::Feature);
    if !same_licensee || !is_feature {
        return Err(CoreError::IllegalOperation(format!(
            "'parentFeature' must name a FEATURE license of the same licensee, not '{parent}'"
        )));
    }
    Ok(())
}
