//! Rental: each FEATURE license is a rented feature, extended by time-volume licenses naming it in
//! `parentFeature`. One list per feature license (named by its number): `valid` while its chain of time-volume
//! licenses runs, `expires` its end, and `expirationWarningLevel` from the days left: `green` above the
//! module's `yellowThreshold`, `yellow` above its `redThreshold`, `red` at or below it and when not valid.
//! The module's warning level is the worst of its features (RED without any).

use netlicensing_model::{
    List,
    entity::ProductModuleValidation,
    types::{LicenseType, WarningLevel, WireValue},
};

use super::{super::ModuleInput, license_type, period};
use crate::time_volume::chain;

/// Fills a Rental result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) {
    let yellow = i64::from(input.module.yellow_threshold.unwrap_or(0));
    let red = i64::from(input.module.red_threshold.unwrap_or(0));
    let mut worst: Option<WarningLevel> = None;
    let features = input.licenses.iter().filter(|l| license_type(input, l) == Some(LicenseType::Feature));
    for feature in features {
        let periods = input
            .active_licenses()
            .filter(|l| license_type(input, l) == Some(LicenseType::TimeVolume))
            .filter(|l| l.parent_feature.as_deref() == Some(feature.number.as_str()))
            .filter_map(|l| period(input, l))
            .collect();
        let feature_active = feature.active && input.licensee_active;
        let span = chain(periods).filter(|(start, end)| feature_active && *start <= input.now && input.now < *end);
        let mut list = List::new(feature.number.as_str());
        let level = match span {
            Some((_, end)) => {
                list.push("valid", "true");
                list.push("expires", end.to_wire());
                let days_left = (end - input.now).num_days();
                if days_left > yellow {
                    WarningLevel::Green
                } else if days_left > red {
                    WarningLevel::Yellow
                } else {
                    WarningLevel::Red
                }
            }
            None => {
                list.push("valid", "false");
                WarningLevel::Red
            }
        };
        list.push("expirationWarningLevel", level.lower());
        result.lists.push(list);
        worst = Some(worst.map_or(level, |w| w.max(level)));
    }
    result.warning_level = Some(worst.unwrap_or(WarningLevel::Red));
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};

    #[test]
    fn cases() {
        let base = || {
            Fixture::new("Rental")
                .module(&[("yellowThreshold", "10"), ("redThreshold", "3")])
                .template("F", "FEATURE", &[])
                .template("T", "TIMEVOLUME", &[("timeVolume", "30")])
                .license_numbered("DEV-341", "F", &[])
        };
        check(base().now("2024-01-05"), "warningLevel=RED [DEV-341 valid=false expirationWarningLevel=red]");
        let rented = || base().license_with("T", &[("startDate", "2024-01-01"), ("parentFeature", "DEV-341")]);
        check(
            rented().now("2024-01-05"),
            "warningLevel=GREEN [DEV-341 valid=true expires=2024-01-31T00:00:00.000Z expirationWarningLevel=green]",
        );
        check(
            rented().now("2024-01-25"),
            "warningLevel=YELLOW [DEV-341 valid=true expires=2024-01-31T00:00:00.000Z expirationWarningLevel=yellow]",
        );
        check(
            rented().now("2024-01-29"),
            "warningLevel=RED [DEV-341 valid=true expires=2024-01-31T00:00:00.000Z expirationWarningLevel=red]",
        );
        check(rented().now("2024-02-05"), "warningLevel=RED [DEV-341 valid=false expirationWarningLevel=red]");
        check(
            rented().license_numbered("DEV-343", "F", &[]).now("2024-01-05"),
            "warningLevel=RED [DEV-341 valid=true expires=2024-01-31T00:00:00.000Z expirationWarningLevel=green] [DEV-343 valid=false expirationWarningLevel=red]",
        );
    }
}
