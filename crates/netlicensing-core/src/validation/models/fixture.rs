//! A compact way to state a model's cases: a module, its templates and licenses, a moment, and the expected
//! result written as one line (`valid=true expires=… warningLevel=GREEN [LIST valid=true …]`).

use chrono::{DateTime, Utc};
use netlicensing_model::{
    Item,
    entity::{Entity, License, LicenseTemplate, ModuleParameters, ProductModule, ProductModuleValidation},
    types::WireValue,
};

use crate::validation::{EngineError, ModuleInput, Outcome, validate_module};

/// One case under construction.
pub struct Fixture {
    module: ProductModule,
    templates: Vec<LicenseTemplate>,
    licenses: Vec<License>,
    now: DateTime<Utc>,
    licensee_active: bool,
    params: Option<ModuleParameters>,
}

fn item(ty: &str, number: &str, properties: &[(&str, &str)]) -> Item {
    let mut item = Item::new(ty);
    item.push("number", number);
    item.push("active", "true");
    for (name, value) in properties {
        match item.properties.iter_mut().find(|p| p.name == *name) {
            Some(existing) => existing.value = (*value).to_owned(),
            None => item.push(*name, *value),
        }
    }
    item
}

impl Fixture {
    /// A module of a licensing model, validated at 2024-01-10.
    pub fn new(model: &str) -> Self {
        Self {
            module: ProductModule::from_item(item("ProductModule", "M", &[("name", "M"), ("licensingModel", model)]))
                .unwrap(),
            templates: Vec::new(),
            licenses: Vec::new(),
            now: DateTime::<Utc>::parse_wire("2024-01-10").unwrap(),
            licensee_active: true,
            params: None,
        }
    }

    /// Sets the request's parameters for the module.
    pub fn params(mut self, params: &[(&str, &str)]) -> Self {
        let mut module = ModuleParameters::new("M");
        for (name, value) in params {
            module = module.with(*name, *value);
        }
        self.params = Some(module);
        self
    }

    /// Sets module properties.
    pub fn module(mut self, properties: &[(&str, &str)]) -> Self {
        let mut item = self.module.to_item();
        for (name, value) in properties {
            item.push(*name, *value);
        }
        self.module = ProductModule::from_item(item).unwrap();
        self
    }

    /// Adds a template (its name is its number).
    pub fn template(mut self, number: &str, license_type: &str, properties: &[(&str, &str)]) -> Self {
        let mut all = vec![("name", number), ("licenseType", license_type)];
        all.extend_from_slice(properties);
        self.templates.push(LicenseTemplate::from_item(item("LicenseTemplate", number, &all)).unwrap());
        self
    }

    /// Adds a license with its own number and properties.
    pub fn license_numbered(mut self, number: &str, template: &str, properties: &[(&str, &str)]) -> Self {
        let mut all = vec![("licenseTemplateNumber", template)];
        all.extend_from_slice(properties);
        self.licenses.push(License::from_item(item("License", number, &all)).unwrap());
        self
    }

    /// Adds an active license of a template with properties.
    pub fn license_with(self, template: &str, properties: &[(&str, &str)]) -> Self {
        let number = format!("L{}", self.licenses.len());
        self.license_numbered(&number, template, properties)
    }

    /// Adds an active license of a template starting at a date.
    pub fn license(self, template: &str, start: &str) -> Self {
        self.license_with(template, &[("startDate", start)])
    }

    /// Adds an inactive license of a template starting at a date.
    pub fn inactive_license(self, template: &str, start: &str) -> Self {
        self.license_with(template, &[("startDate", start), ("active", "false")])
    }

    /// Makes the licensee inactive.
    pub fn inactive_licensee(mut self) -> Self {
        self.licensee_active = false;
        self
    }

    /// Sets the moment of validation.
    pub fn now(mut self, at: &str) -> Self {
        self.now = DateTime::<Utc>::parse_wire(at).unwrap();
        self
    }

    /// Validates the module.
    pub fn try_run(&self) -> Result<Outcome, EngineError> {
        let templates: Vec<&LicenseTemplate> = self.templates.iter().collect();
        let licenses: Vec<&License> = self.licenses.iter().collect();
        let input = ModuleInput {
            module: &self.module,
            templates: &templates,
            licenses: &licenses,
            params: self.params.as_ref(),
            now: self.now,
            licensee_active: self.licensee_active,
        };
        validate_module(&input)
    }
}

/// One line for a result: `valid`, the model's properties, `warningLevel`, then each list in brackets.
fn render(result: &ProductModuleValidation) -> String {
    let mut parts = Vec::new();
    if let Some(valid) = result.valid {
        parts.push(format!("valid={valid}"));
    }
    parts.extend(result.properties.iter().map(|p| format!("{}={}", p.name, p.value)));
    if let Some(level) = result.warning_level {
        parts.push(format!("warningLevel={level}"));
    }
    for list in &result.lists {
        let inner: Vec<String> = list.properties.iter().map(|p| format!("{}={}", p.name, p.value)).collect();
        parts.push(format!("[{} {}]", list.name, inner.join(" ")));
    }
    parts.join(" ")
}

/// Asserts that a case gives the expected line.
pub fn check(fixture: Fixture, expected: &str) {
    check_outcome(fixture, expected);
}

/// Asserts that a case gives the expected line, and returns the whole outcome.
pub fn check_outcome(fixture: Fixture, expected: &str) -> Outcome {
    let outcome = fixture.try_run().unwrap();
    assert_eq!(outcome.result.product_module_number, "M");
    assert_eq!(render(&outcome.result), expected);
    outcome
}
