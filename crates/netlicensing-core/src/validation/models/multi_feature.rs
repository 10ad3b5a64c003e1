//! Multi-Feature: every FEATURE template is a feature; one list per template (named by its number) with
//! `valid` (an active license of it exists) and `featureName`. Warning level always GREEN.

use netlicensing_model::{
    List,
    entity::{License, ProductModuleValidation},
    types::{LicenseType, WarningLevel},
};

use super::super::ModuleInput;

/// Fills a Multi-Feature result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) {
    for template in input.templates.iter().filter(|t| t.license_type == Some(LicenseType::Feature)) {
        let licensed = input
            .active_licenses()
            .any(|l: &License| l.license_template_number.as_deref() == Some(template.number.as_str()));
        let mut list = List::new(template.number.as_str());
        list.push("valid", if licensed { "true" } else { "false" });
        list.push("featureName", template.name.clone().unwrap_or_default());
        result.lists.push(list);
    }
    result.warning_level = Some(WarningLevel::Green);
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};

    #[test]
    fn cases() {
        let base =
            || Fixture::new("MultiFeature").template("Emf-lite", "FEATURE", &[]).template("Emf-pro", "FEATURE", &[]);
        check(
            base(),
            "warningLevel=GREEN [Emf-lite valid=false featureName=Emf-lite] [Emf-pro valid=false featureName=Emf-pro]",
        );
        check(
            base().license("Emf-lite", "2024-01-01"),
            "warningLevel=GREEN [Emf-lite valid=true featureName=Emf-lite] [Emf-pro valid=false featureName=Emf-pro]",
        );
        check(
            base().inactive_license("Emf-pro", "2024-01-01"),
            "warningLevel=GREEN [Emf-lite valid=false featureName=Emf-lite] [Emf-pro valid=false featureName=Emf-pro]",
        );
    }
}
