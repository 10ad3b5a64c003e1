//! The licensing models: one file each, and the one registry below.

mod floating;
mod multi_feature;
mod node_locked;
mod pay_per_use;
pub mod pricing_table;
mod quota;
mod rental;
mod subscription;
mod try_and_buy;

#[cfg(test)]
pub(crate) mod fixture;

use chrono::{DateTime, Utc};
use netlicensing_model::{
    entity::License,
    types::{LicenseType, LicensingModel, TimeVolumePeriod},
};

use super::{EngineError, ModuleInput, Outcome};

/// Fills a module's outcome with what its licensing model reports and changes.
pub fn validate(model: LicensingModel, input: &ModuleInput<'_>, outcome: &mut Outcome) -> Result<(), EngineError> {
    let result = &mut outcome.result;
    match model.current() {
        LicensingModel::Floating => floating::validate(input, outcome)?,
        LicensingModel::NodeLocked => node_locked::validate(input, outcome)?,
        LicensingModel::PayPerUse => pay_per_use::validate(input, outcome)?,
        LicensingModel::MultiFeature => multi_feature::validate(input, result),
        LicensingModel::Quota => quota::validate(input, result),
        LicensingModel::Rental => rental::validate(input, result),
        LicensingModel::Subscription => subscription::validate(input, result),
        LicensingModel::TryAndBuy => try_and_buy::validate(input, result),
        LicensingModel::PricingTable => pricing_table::validate(input, result)?,
        other @ (LicensingModel::TimeLimitedEvaluation
        | LicensingModel::TimeVolume
        | LicensingModel::FeatureWithTimeVolume) => return Err(EngineError::Unsupported(other)),
    }
    Ok(())
}

/// The license type of a license (from its template).
pub(crate) fn license_type(input: &ModuleInput<'_>, license: &License) -> Option<LicenseType> {
    input.template_of(license).and_then(|t| t.license_type)
}

/// The time-volume period of a license: its own values, or its template's.
pub(crate) fn period(input: &ModuleInput<'_>, license: &License) -> Option<(DateTime<Utc>, u32, TimeVolumePeriod)> {
    let template = input.template_of(license);
    let volume = license.time_volume.or(template.and_then(|t| t.time_volume))?;
    let unit = license.time_volume_period.or(template.and_then(|t| t.time_volume_period)).unwrap_or_default();
    Some((license.start_date?, volume, unit))
}
