//! Subscription: time-volume licenses chained one after another; a renewal bought before expiry extends the
//! chain. Valid while now lies in the chain; `expires` is its end. Warning level from the share of the chain
//! used: GREEN below 80 %, YELLOW from 80 %, RED when expired.

use netlicensing_model::{
    entity::ProductModuleValidation,
    types::{LicenseType, WarningLevel},
};

use super::{
    super::{ModuleInput, level_of_use, put, time_used},
    license_type, period,
};
use crate::time_volume::chain;

/// Fills a Subscription result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) {
    let periods = input
        .active_licenses()
        .filter(|l| license_type(input, l) == Some(LicenseType::TimeVolume))
        .filter_map(|l| period(input, l))
        .collect();
    let span = chain(periods).filter(|(start, end)| *start <= input.now && input.now < *end);
    result.valid = Some(span.is_some());
    match span {
        Some((start, end)) => {
            put(result, "expires", &end);
            result.warning_level = Some(level_of_use(time_used(start, end, input.now)));
        }
        None => result.warning_level = Some(WarningLevel::Red),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};

    #[test]
    fn cases() {
        let base = || {
            Fixture::new("Subscription").template(
                "E1",
                "TIMEVOLUME",
                &[("timeVolume", "1"), ("timeVolumePeriod", "MONTH")],
            )
        };
        check(base().now("2024-01-10"), "valid=false warningLevel=RED");
        check(
            base().license("E1", "2024-01-01").now("2024-01-10"),
            "valid=true expires=2024-02-01T00:00:00.000Z warningLevel=GREEN",
        );
        check(
            base().license("E1", "2024-01-01").now("2024-01-28"),
            "valid=true expires=2024-02-01T00:00:00.000Z warningLevel=YELLOW",
        );
        check(base().license("E1", "2024-01-01").now("2024-02-01"), "valid=false warningLevel=RED");
        check(
            base().license("E1", "2024-01-01").license("E1", "2024-01-20").now("2024-02-10"),
            "valid=true expires=2024-03-01T00:00:00.000Z warningLevel=GREEN",
        );
        check(base().inactive_license("E1", "2024-01-01").now("2024-01-10"), "valid=false warningLevel=RED");
        check(base().license("E1", "2024-03-01").now("2024-01-10"), "valid=false warningLevel=RED");
        check(base().license("E1", "2024-01-01").inactive_licensee().now("2024-01-10"), "valid=false warningLevel=RED");
    }
}
