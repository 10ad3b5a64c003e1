//! Pay-per-Use: the active licenses' `quantity` is a stock of credits, their `usedQuantity` what is consumed.
//! - `usedQuantity<N>` (post-pay; also `paygUsedQuantity<N>`) writes the amount off, even beyond zero; using
//!   more than remains adds the warning `usedQuantityExceedsRemaining`.
//! - `reserveQuantity<N>` (pre-pay) writes the amount off only if that much remains; otherwise nothing changes
//!   and the result is not valid.
//!
//! Valid when credits remain after the write-off; `remainingQuantity` is what remains (negative after an
//! overdraft). Credits are written off license by license, oldest first; an overdraft lands on the last one.
//! Warning level from the share used: GREEN below 80 %, YELLOW from 80 %, RED when used up.

use netlicensing_model::{
    Info, Property,
    entity::License,
    types::{InfoType, WarningLevel},
};

use super::super::{EngineError, LicenseUpdate, ModuleInput, Outcome, level_of_use, put};

/// The warning of an overdraft, in the service's words.
const OVERDRAFT: &str = "usedQuantity exceeds remaining quantity - use of more than remaining quantity returned by \
                         the validation call should be prevented by the client software";

/// Fills a Pay-per-Use outcome. Every sum is checked: an amount that would leave the 64-bit range is refused
/// (a 400 that writes nothing) rather than wrapping round and giving credits back.
pub fn validate(input: &ModuleInput<'_>, outcome: &mut Outcome) -> Result<(), EngineError> {
    let licenses: Vec<&License> = input.active_licenses().collect();
    let quantity =
        |l: &License| l.quantity.or_else(|| input.template_of(l).and_then(|t| t.quantity)).unwrap_or(0).max(0);
    let out_of_range = |what: &str| EngineError::OutOfRange(what.to_owned());
    let credits = checked_sum(licenses.iter().map(|l| quantity(l))).ok_or_else(|| out_of_range("quantity"))?;
    let used = checked_sum(licenses.iter().map(|l| l.used_quantity.unwrap_or(0)))
        .ok_or_else(|| out_of_range("usedQuantity"))?;
    let remaining = credits.checked_sub(used).ok_or_else(|| out_of_range("usedQuantity"))?;
    let post_paid = input.count_param(&["usedQuantity", "paygUsedQuantity"])?;
    let reserved = input.count_param(&["reserveQuantity"])?;
    let (write_off, valid) = match (reserved, post_paid) {
        (Some(amount), _) if amount <= remaining => (amount, remaining - amount > 0 || amount > 0),
        (Some(_), _) => (0, false),
        (None, Some(amount)) => {
            let after = remaining.checked_sub(amount).ok_or_else(|| out_of_range("usedQuantity"))?;
            if amount > remaining {
                outcome.infos.push(Info::new(InfoType::Warning, "usedQuantityExceedsRemaining", OVERDRAFT));
            }
            (amount, after > 0)
        }
        (None, None) => (0, remaining > 0),
    };
    let remaining_after = remaining.checked_sub(write_off).ok_or_else(|| out_of_range("usedQuantity"))?;
    outcome.result.valid = Some(valid && !licenses.is_empty());
    put(&mut outcome.result, "remainingQuantity", &remaining_after);
    outcome.result.warning_level = Some(if credits > 0 {
        level_of_use((credits as f64 - remaining_after as f64) / credits as f64)
    } else {
        WarningLevel::Red
    });
    let mut rest = write_off;
    for (i, license) in licenses.iter().enumerate() {
        if rest == 0 {
            break;
        }
        let already = license.used_quantity.unwrap_or(0);
        let room = quantity(license).saturating_sub(already).max(0);
        let take = if i + 1 == licenses.len() { rest } else { rest.min(room) };
        if take > 0 {
            let total = already.checked_add(take).ok_or_else(|| out_of_range("usedQuantity"))?;
            outcome.updates.push(LicenseUpdate {
                license_number: license.number.clone(),
                property: Property::new("usedQuantity", total.to_string()),
            });
            rest -= take;
        }
    }
    Ok(())
}

/// The sum of the values, or `None` when it leaves the 64-bit range.
pub(crate) fn checked_sum(values: impl IntoIterator<Item = i64>) -> Option<i64> {
    values.into_iter().try_fold(0i64, i64::checked_add)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check, check_outcome};

    fn base() -> Fixture {
        Fixture::new("PayPerUse").template("E", "QUANTITY", &[("quantity", "10")])
    }

    #[test]
    fn cases() {
        check(base(), "valid=false remainingQuantity=0 warningLevel=RED");
        check(base().license("E", "2024-01-01"), "valid=true remainingQuantity=10 warningLevel=GREEN");
        check(base().license_with("E", &[("usedQuantity", "8")]), "valid=true remainingQuantity=2 warningLevel=YELLOW");
        check(base().license_with("E", &[("usedQuantity", "10")]), "valid=false remainingQuantity=0 warningLevel=RED");
        check(base().inactive_license("E", "2024-01-01"), "valid=false remainingQuantity=0 warningLevel=RED");
    }

    #[test]
    fn post_paid_use_is_written_off_even_beyond_zero() {
        let outcome = check_outcome(
            base().license_numbered("L1", "E", &[("usedQuantity", "5")]).params(&[("usedQuantity", "3")]),
            "valid=true remainingQuantity=2 warningLevel=YELLOW",
        );
        assert_eq!(outcome.updates[0].property.value, "8");
        let outcome = check_outcome(
            base().license_numbered("L1", "E", &[("usedQuantity", "5")]).params(&[("usedQuantity", "30")]),
            "valid=false remainingQuantity=-25 warningLevel=RED",
        );
        assert_eq!(outcome.infos[0].id.as_deref(), Some("usedQuantityExceedsRemaining"));
        assert_eq!(
            (outcome.updates[0].license_number.as_str(), outcome.updates[0].property.value.as_str()),
            ("L1", "35")
        );
    }

    #[test]
    fn pre_paid_reservations_need_enough_credits_and_spread_over_licenses() {
        let two = || base().license_numbered("L1", "E", &[("usedQuantity", "8")]).license_numbered("L2", "E", &[]);
        let outcome = check_outcome(
            two().params(&[("reserveQuantity", "5")]),
            "valid=true remainingQuantity=7 warningLevel=GREEN",
        );
        let updates: Vec<_> =
            outcome.updates.iter().map(|u| (u.license_number.as_str(), u.property.value.as_str())).collect();
        assert_eq!(updates, [("L1", "10"), ("L2", "3")]);
        let outcome = check_outcome(
            two().params(&[("reserveQuantity", "13")]),
            "valid=false remainingQuantity=12 warningLevel=GREEN",
        );
        assert!(outcome.updates.is_empty(), "a refused reservation changes nothing");
        assert!(base().license("E", "2024-01-01").params(&[("usedQuantity", "-1")]).try_run().is_err());
        assert!(base().license("E", "2024-01-01").params(&[("reserveQuantity", "x")]).try_run().is_err());
    }

    /// Consumption near the 64-bit limit is refused, never wrapped round into fresh credits.
    #[test]
    fn consumption_beyond_the_64_bit_range_is_refused() {
        let max = i64::MAX.to_string();
        let full = || base().license_numbered("L1", "E", &[("usedQuantity", max.as_str())]);
        let again = full().params(&[("usedQuantity", max.as_str())]).try_run();
        assert!(matches!(again, Err(super::EngineError::OutOfRange(_))), "{again:?}");
        assert!(full().params(&[("usedQuantity", "1")]).try_run().is_err(), "one more than the maximum");
        let two = base().license_numbered("L1", "E", &[("quantity", max.as_str())]).license_numbered(
            "L2",
            "E",
            &[("quantity", max.as_str())],
        );
        assert!(two.try_run().is_err(), "credits summing beyond the range");
        let first = base().license_numbered("L1", "E", &[]).params(&[("usedQuantity", max.as_str())]).try_run();
        assert_eq!(first.unwrap().updates[0].property.value, max, "the maximum itself is stored");
    }
}
