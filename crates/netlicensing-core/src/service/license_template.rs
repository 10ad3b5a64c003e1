//! License templates: create and update with the rules between type, quantities and price.

use netlicensing_model::{
    codec::Form,
    entity::LicenseTemplate,
    types::{LicenseType, LicensingModel, TimeVolumePeriod, WireValue},
};

use super::{Core, CreateSpec, Resource, find};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, LinkKind, Record},
    validation::models::pricing_table,
};

impl Core {
    /// Creates a license template of an existing product module: `productModuleNumber`, `name` and `licenseType`
    /// are required; `active` defaults to true, `automatic`, `hidden` and `hideLicenses` to false.
    pub async fn create_license_template(&self, caller: &Caller, form: &Form) -> CoreResult<LicenseTemplate> {
        let spec = CreateSpec {
            parent: Some((LinkKind::ProductModule, "productModuleNumber", "Product module number is not provided")),
            required: &[("name", "License template name is required")],
            defaults: &[("automatic", "false"), ("hidden", "false"), ("hideLicenses", "false")],
            skip: &[],
        };
        self.create_with(caller, form, spec, |template: &mut LicenseTemplate, _, module| {
            check(template, module.and_then(model_of), module.and_then(|m| m.property("skudef")))
        })
        .await
    }

    /// Updates a license template; the same rules hold for the result.
    pub async fn update_license_template(
        &self,
        caller: &Caller,
        number: &str,
        form: &Form,
    ) -> CoreResult<LicenseTemplate> {
        caller.require(LicenseTemplate::WRITE)?;
        let module = {
            let mut tx = self.store().read().await?;
            let template = find(tx.as_mut(), caller, Kind::LicenseTemplate, number).await?;
            match template.links.product_module {
                Some(module) => tx.get_by_id(caller.vendor, Kind::ProductModule, module.id).await?,
                None => None,
            }
        };
        let model = module.as_ref().and_then(model_of);
        let skudef = module.as_ref().and_then(|m| m.property("skudef"));
        self.update_with(caller, number, form, &["productModuleNumber"], |template: &mut LicenseTemplate, _| {
            check(template, model, skudef)
        })
        .await
    }
}

/// The licensing model of a module record.
fn model_of(module: &Record) -> Option<LicensingModel> {
    module.property("licensingModel").and_then(LicensingModel::parse_wire)
}

/// The rules every template must satisfy; fills the default time-volume period. A pricing plan's `skus` must
/// fit its module's `skudef` (known SKUs, a FEATURE on or off, a QUOTA a whole number).
fn check(template: &mut LicenseTemplate, model: Option<LicensingModel>, skudef: Option<&str>) -> CoreResult<()> {
    let license_type = template.license_type.ok_or_else(|| CoreError::Malformed("License type is required".into()))?;
    let needs = |property: &str| {
        CoreError::IllegalOperation(format!(
            "License template of type '{license_type}' must have property '{property}' specified."
        ))
    };
    match license_type {
        LicenseType::TimeVolume => {
            if template.time_volume.is_none() {
                return Err(needs("timeVolume"));
            }
            template.time_volume_period.get_or_insert(TimeVolumePeriod::Day);
        }
        LicenseType::Floating if template.max_sessions.is_none() => {
            return Err(needs("maxSessions"));
        }
        LicenseType::Quantity if model == Some(LicensingModel::NodeLocked) && template.quota.is_none() => {
            return Err(needs("quota"));
        }
        LicenseType::Quantity if model != Some(LicensingModel::NodeLocked) && template.quantity.is_none() => {
            return Err(needs("quantity"));
        }
        _ => {}
    }
    crate::time_volume::check_of(template.time_volume, template.time_volume_period)?;
    if model == Some(LicensingModel::PricingTable) {
        if !matches!(license_type, LicenseType::Feature | LicenseType::TimeVolume) {
            return Err(CoreError::IllegalOperation(format!(
                "A pricing plan must be of license type FEATURE or TIMEVOLUME, not '{license_type}'"
            )));
        }
        if let Some(skus) = template.skus.as_deref().filter(|s| !s.trim().is_empty()) {
            pricing_table::check_skus(skus, skudef).map_err(CoreError::Malformed)?;
        }
    }
    check_price(template.price.is_some_and(|p| !p.is_zero()), template.currency.is_some(), template.price.is_some())?;
    if template.automatic == Some(true) && template.price.is_some_and(|p| !p.is_zero()) {
        return Err(CoreError::IllegalOperation("Automatic licenses must have their price set to 0".into()));
    }
    Ok(())
}

/// Price and currency go together: a price above zero needs a currency, a currency needs a price.
pub(crate) fn check_price(positive_price: bool, has_currency: bool, has_price: bool) -> CoreResult<()> {
    if positive_price && !has_currency {
        return Err(CoreError::Malformed("'price' field must be accompanied with the 'currency' field".into()));
    }
    if has_currency && !has_price {
        return Err(CoreError::Malformed("'currency' field can not be used without the 'price' field".into()));
    }
    Ok(())
}
