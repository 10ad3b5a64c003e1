//! Quota: reports the summed `quantity` of the active licenses (each license's own, else its template's) as
//! `quota` (−1, unlimited, when any license is unlimited; a sum beyond the 64-bit range saturates). Valid when
//! the quota is not zero. Warning level GREEN when there is quota, RED when there is none.

use netlicensing_model::{entity::ProductModuleValidation, types::WarningLevel};

use super::super::{ModuleInput, put};

/// Fills a Quota result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) {
    let quantities: Vec<i64> = input
        .active_licenses()
        .filter_map(|l| l.quantity.or_else(|| input.template_of(l).and_then(|t| t.quantity)))
        .collect();
    // Saturated: quotas summing beyond the 64-bit range are as good as unlimited, and never wrap round.
    let quota = if quantities.contains(&-1) {
        -1
    } else {
        quantities.iter().fold(0i64, |sum, q| sum.saturating_add(*q.max(&0)))
    };
    result.valid = Some(quota != 0);
    put(result, "quota", &quota);
    result.warning_level = Some(if quota != 0 { WarningLevel::Green } else { WarningLevel::Red });
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};

    #[test]
    fn cases() {
        let base = || Fixture::new("Quota").template("E", "QUANTITY", &[("quantity", "10")]);
        check(base(), "valid=false quota=0 warningLevel=RED");
        check(
            base().license("E", "2024-01-01").license_with("E", &[("quantity", "25")]),
            "valid=true quota=35 warningLevel=GREEN",
        );
        check(
            base().license_with("E", &[("quantity", "-1")]).license("E", "2024-01-01"),
            "valid=true quota=-1 warningLevel=GREEN",
        );
        check(base().inactive_license("E", "2024-01-01"), "valid=false quota=0 warningLevel=RED");
        let max = i64::MAX.to_string();
        check(
            base().license_with("E", &[("quantity", max.as_str())]).license_with("E", &[("quantity", max.as_str())]),
            &format!("valid=true quota={max} warningLevel=GREEN"),
        );
    }
}
