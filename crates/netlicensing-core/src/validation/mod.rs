//! The validation engine: what each licensing model answers for one product module, from the module, its
//! templates, the licensee's licenses and the request's module parameters. Pure: no storage, no clock of its
//! own. The side effects of validation (automatic licenses, licensee creation) are the service's
//! (`service/validate.rs`).

pub mod models;
pub mod signing;

use chrono::{DateTime, Utc};
use netlicensing_model::{
    Info, Property,
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

/// A change a validation makes to a license (written unless the validation is a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseUpdate {
    /// The license.
    pub license_number: String,
    /// A property and its new value.
    pub property: Property,
}

/// What a module's validation yields: its result, the license changes it implies, and infos for the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The result item.
    pub result: ProductModuleValidation,
    /// License changes to store.
    pub updates: Vec<LicenseUpdate>,
    /// Warnings for the answer's `infos`.
    pub infos: Vec<Info>,
}

/// Why a module could not be validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// The module's model is not implemented by this server.
    Unsupported(LicensingModel),
    /// A module parameter has a value the model cannot use: (parameter, value, what it should be).
    BadParameter(String, String, &'static str),
    /// A sum of quantities would leave the 64-bit range (the property named); nothing is written.
    OutOfRange(String),
}

impl ModuleInput<'_> {
    /// A non-negative integer module parameter under any of its names; `None` when absent.
    pub fn count_param(&self, names: &[&str]) -> Result<Option<i64>, EngineError> {
        let Some(params) = self.params else { return Ok(None) };
        for name in names {
            if let Some(text) = params.get(name).filter(|t| !t.is_empty()) {
                return match text.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => Ok(Some(n)),
                    _ => Err(EngineError::BadParameter((*name).to_owned(), text.to_owned(), "a non-negative integer")),
                };
            }
        }
        Ok(None)
    }
}

/// The outcome of one module: the common properties plus what its model reports and changes.
pub fn validate_module(input: &ModuleInput<'_>) -> Result<Outcome, EngineError> {
    let model = input.module.licensing_model.map(LicensingModel::current);
    let mut outcome = Outcome {
        result: ProductModuleValidation {
            product_module_number: input.module.number.clone(),
            product_module_name: input.module.name.clone(),
            licensing_model: model,
            ..ProductModuleValidation::default()
        },
        ..Outcome::default()
    };
    match model {
        Some(model) => models::validate(model, input, &mut outcome)?,
        None => outcome.result.valid = Some(false),
    }
    Ok(outcome)
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
