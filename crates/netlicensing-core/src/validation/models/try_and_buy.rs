//! Try & Buy: an evaluation (a time-volume license from the automatic template, started at the first
//! validation) until the feature is bought. With an active FEATURE license: valid, `evaluation=false`.
//! Otherwise valid while the evaluation runs, with `evaluation=true` and `evaluationExpires`. Warning level:
//! GREEN once bought, YELLOW while evaluating, RED when the evaluation is over and nothing was bought.

use netlicensing_model::{
    entity::ProductModuleValidation,
    types::{LicenseType, WarningLevel},
};

use super::{
    super::{ModuleInput, put},
    license_type, period,
};
use crate::time_volume::chain;

/// Fills a Try & Buy result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) {
    let bought = input.active_licenses().any(|l| license_type(input, l) == Some(LicenseType::Feature));
    let evaluation = chain(
        input
            .active_licenses()
            .filter(|l| license_type(input, l) == Some(LicenseType::TimeVolume))
            .filter_map(|l| period(input, l))
            .collect(),
    );
    if bought {
        result.valid = Some(true);
        put(result, "evaluation", &false);
        result.warning_level = Some(WarningLevel::Green);
        return;
    }
    match evaluation {
        Some((start, end)) => {
            let running = start <= input.now && input.now < end;
            result.valid = Some(running);
            put(result, "evaluation", &true);
            put(result, "evaluationExpires", &end);
            result.warning_level = Some(if running { WarningLevel::Yellow } else { WarningLevel::Red });
        }
        None => {
            result.valid = Some(false);
            result.warning_level = Some(WarningLevel::Red);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};

    #[test]
    fn cases() {
        let base = || {
            Fixture::new("TryAndBuy")
                .template("EVAL", "TIMEVOLUME", &[("timeVolume", "30"), ("automatic", "true")])
                .template("BUY", "FEATURE", &[])
        };
        check(base().now("2024-01-10"), "valid=false warningLevel=RED");
        check(
            base().license("EVAL", "2024-01-01").now("2024-01-10"),
            "valid=true evaluation=true evaluationExpires=2024-01-31T00:00:00.000Z warningLevel=YELLOW",
        );
        check(
            base().license("EVAL", "2024-01-01").now("2024-02-10"),
            "valid=false evaluation=true evaluationExpires=2024-01-31T00:00:00.000Z warningLevel=RED",
        );
        check(
            base().license("EVAL", "2024-01-01").license("BUY", "2024-01-05").now("2024-02-10"),
            "valid=true evaluation=false warningLevel=GREEN",
        );
        check(base().inactive_license("BUY", "2024-01-05").now("2024-02-10"), "valid=false warningLevel=RED");
    }
}
