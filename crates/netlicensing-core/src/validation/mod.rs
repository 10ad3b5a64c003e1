//! The validation engine: what each licensing model answers for one product module, from the module, its
//! templates, the licensee's licenses and the request's module parameters. Pure: no storage, no clock of its
//! own. The side effects of validation (automatic licenses, licensee creation) are the service's
//! (`service/validate.rs`).

pub mod models;

use chrono::{DateTime, Utc};
use netlicensing_model::{
    Property,
    entity::{License, LicenseTemplate, ModuleParameters, ProductModule, ProductModuleValidation},
    types::{LicensingModel, WarningLevel, WireValue},
};

/// Everything a licensing model looks at for one module.
pub struct ModuleInput<'a> {
    /// The module.
    pub module: &'a ProductModule,
    /// Its license templates.
    pub templates: &'a [&'a LicenseTemplate],
    /// The licensee's licenses of those templates (active and inactive).
    pub licenses: &'a [&'a License],
    /// The request's parameters for the module.
    pub params: Option<&'a ModuleParameters>,
    /// The moment of validation.
    pub now: DateTime<Utc>,
    /// Whether the licensee itself is active (an inactive licensee validates nothing).
    pub licensee_active: bool,
}

impl ModuleInput<'_> {
    /// The template of a license.
    pub fn template_of(&self, license: &License) -> Option<&LicenseTemplate> {
        let number = license.license_template_number.as_deref()?;
        self.templates.iter().copied().find(|t| t.number == number)
    }

    /// The licenses that count: active, of an active licensee.
    pub fn active_licenses(&self) -> impl Iterator<Item = &License> {
        self.licenses.iter().copied().filter(move |l| l.active && self.licensee_active)
    }
}

/// A module's model is not implemented by this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub LicensingModel);

/// The result of one module: the common properties plus what its model reports.
pub fn validate_module(input: &ModuleInput<'_>) -> Result<ProductModuleValidation, Unsupported> {
    let model = input.module.licensing_model.map(LicensingModel::current);
    let mut result = ProductModuleValidation {
        product_module_number: input.module.number.clone(),
        product_module_name: input.module.name.clone(),
        licensing_model: model,
        ..ProductModuleValidation::default()
    };
    match model {
        Some(model) => models::validate(model, input, &mut result)?,
        None => result.valid = Some(false),
    }
    Ok(result)
}

/// Appends a model property to a result.
pub fn put<T: WireValue>(result: &mut ProductModuleValidation, name: &str, value: &T) {
    result.properties.push(Property::new(name, value.to_wire()));
}

/// The share of a period used at `now`, from 0 to 1.
pub fn time_used(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let total = (end - start).num_milliseconds();
    if total <= 0 {
        return 1.0;
    }
    ((now - start).num_milliseconds() as f64 / total as f64).clamp(0.0, 1.0)
}

/// The warning level of a share used: GREEN below 80 %, YELLOW from 80 %, RED when used up.
pub fn level_of_use(used: f64) -> WarningLevel {
    if used >= 1.0 {
        WarningLevel::Red
    } else if used >= 0.8 {
        WarningLevel::Yellow
    } else {
        WarningLevel::Green
    }
}
