//! Floating: the active FLOATING licenses' `maxSessions` form a pool of concurrent sessions. A session is
//! checked out with `sessionId<N>` and `action<N>=checkOut` and lives until its expiry (now plus the request's
//! `maxCheckoutValidity<N>` seconds, at most the module's `maxCheckoutValidity`, by default 5 minutes); it is
//! stored on a license as the property `sessionId_<id>` holding that expiry. Checking out a session already
//! held extends it; `action<N>=checkIn` gives it back. Expired sessions do not count.
//!
//! `valid` is true for a successful check-out, false for a refused one and always for a check-in; without an
//! action it tells whether the pool has sessions at all. `expirationTimestamp` is the check-out's expiry.
//! Warning level: GREEN below 80 % of the pool in use; YELLOW from 80 %, or when a pool under 10 is full;
//! RED when a pool of 10 or more is full.

use chrono::{DateTime, Duration, Utc};
use netlicensing_model::{
    Property,
    entity::License,
    types::{FloatingAction, LicenseType, WarningLevel, WireEnum, WireValue},
};

use super::{
    super::{EngineError, LicenseUpdate, ModuleInput, Outcome, put},
    license_type,
};

/// Validity of a check-out when neither the module nor the request sets one.
const DEFAULT_VALIDITY_SECONDS: u64 = 300;
/// Prefix of the session properties on a license.
const SESSION: &str = "sessionId_";

/// Fills a Floating outcome.
pub fn validate(input: &ModuleInput<'_>, outcome: &mut Outcome) -> Result<(), EngineError> {
    let now = input.now;
    let licenses: Vec<&License> =
        input.active_licenses().filter(|l| license_type(input, l) == Some(LicenseType::Floating)).collect();
    let capacity = |l: &License| {
        i64::from(l.max_sessions.or_else(|| input.template_of(l).and_then(|t| t.max_sessions)).unwrap_or(0))
    };
    let total: i64 = licenses.iter().map(|l| capacity(l)).sum();
    let live = |l: &License| -> Vec<(String, DateTime<Utc>)> {
        l.custom
            .iter()
            .filter_map(|p| Some((p.name.strip_prefix(SESSION)?.to_owned(), DateTime::<Utc>::parse_wire(&p.value)?)))
            .filter(|(_, expiry)| *expiry > now)
            .collect()
    };
    let mut in_use: i64 = licenses.iter().map(|l| live(l).len() as i64).sum();
    let params = input.params;
    let action = params.and_then(|p| p.get("action")).filter(|a| !a.is_empty());
    let mut valid = total > 0;
    if let Some(action) = action {
        let action = FloatingAction::from_wire(action).ok_or_else(|| {
            EngineError::BadParameter("action".into(), action.into(), <FloatingAction as WireEnum>::EXPECTED)
        })?;
        let session = params
            .and_then(|p| p.get("sessionId"))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| EngineError::BadParameter("sessionId".into(), String::new(), "a session id"))?;
        let holder = licenses.iter().find(|l| live(l).iter().any(|(id, _)| id == session));
        match action {
            FloatingAction::CheckIn => {
                valid = false;
                if let Some(holder) = holder {
                    outcome.updates.push(set(holder, session, String::new()));
                    in_use -= 1;
                }
            }
            FloatingAction::CheckOut => {
                let expiry = expiry_after(now, validity(input)?);
                let free = licenses.iter().find(|l| (live(l).len() as i64) < capacity(l));
                match holder.or(free) {
                    Some(license) => {
                        if holder.is_none() {
                            in_use += 1;
                        }
                        outcome.updates.push(set(license, session, expiry.to_wire().into_owned()));
                        valid = true;
                        put(&mut outcome.result, "expirationTimestamp", &expiry);
                    }
                    None => valid = false,
                }
            }
        }
        for license in &licenses {
            for property in license.custom.iter().filter(|p| p.name.starts_with(SESSION)) {
                let expired = DateTime::<Utc>::parse_wire(&property.value).is_none_or(|t| t <= now);
                if expired {
                    outcome.updates.push(LicenseUpdate {
                        license_number: license.number.clone(),
                        property: Property::new(property.name.as_str(), ""),
                    });
                }
            }
        }
    }
    outcome.result.valid = Some(valid);
    outcome.result.warning_level = Some(pool_level(in_use, total));
    Ok(())
}

/// Sets (or with an empty value removes) a session on a license.
fn set(license: &License, session: &str, value: String) -> LicenseUpdate {
    LicenseUpdate {
        license_number: license.number.clone(),
        property: Property::new(format!("{SESSION}{session}"), value),
    }
}

/// The end of a check-out of `seconds` from `now`, saturated to the latest reported moment: a module's limit
/// beyond what dates express never panics nor reads as expired.
fn expiry_after(now: DateTime<Utc>, seconds: u64) -> DateTime<Utc> {
    let far = crate::time_volume::far_future();
    i64::try_from(seconds)
        .ok()
        .and_then(Duration::try_seconds)
        .and_then(|validity| now.checked_add_signed(validity))
        .map_or(far, |expiry| expiry.min(far))
}

/// Seconds a check-out lasts: the request's wish, capped by the module's limit.
fn validity(input: &ModuleInput<'_>) -> Result<u64, EngineError> {
    let limit = input.module.max_checkout_validity;
    let wished = input.count_param(&["maxCheckoutValidity"])?.map(|s| s as u64);
    Ok(match (wished, limit) {
        (Some(wished), Some(limit)) => wished.min(limit),
        (Some(wished), None) => wished.min(DEFAULT_VALIDITY_SECONDS),
        (None, Some(limit)) => limit,
        (None, None) => DEFAULT_VALIDITY_SECONDS,
    })
}

/// Warning level of a pool (floating sessions, node slots): see the module documentation.
pub(crate) fn pool_level(used: i64, total: i64) -> WarningLevel {
    if total <= 0 {
        return WarningLevel::Red;
    }
    if used >= total {
        return if total >= 10 { WarningLevel::Red } else { WarningLevel::Yellow };
    }
    if used * 10 >= total * 8 { WarningLevel::Yellow } else { WarningLevel::Green }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check, check_outcome};
    use super::*;

    fn base() -> Fixture {
        Fixture::new("Floating").module(&[("maxCheckoutValidity", "600")]).template(
            "E",
            "FLOATING",
            &[("maxSessions", "2")],
        )
    }

    #[test]
    fn cases() {
        check(base(), "valid=false warningLevel=RED");
        check(base().license_numbered("L1", "E", &[]), "valid=true warningLevel=GREEN");
        let out = check_outcome(
            base().license_numbered("L1", "E", &[]).params(&[("sessionId", "s1"), ("action", "checkOut")]),
            "valid=true expirationTimestamp=2024-01-10T00:10:00.000Z warningLevel=GREEN",
        );
        assert_eq!(
            (out.updates[0].property.name.as_str(), out.updates[0].property.value.as_str()),
            ("sessionId_s1", "2024-01-10T00:10:00.000Z")
        );
        let full = || {
            base().license_numbered(
                "L1",
                "E",
                &[
                    ("sessionId_a", "2024-01-10T00:05:00.000Z"),
                    ("sessionId_b", "2024-01-10T00:05:00.000Z"),
                    ("sessionId_old", "2024-01-09T00:00:00.000Z"),
                ],
            )
        };
        check(full().params(&[("sessionId", "s1"), ("action", "checkOut")]), "valid=false warningLevel=YELLOW");
        check(
            full().params(&[("sessionId", "a"), ("action", "checkOut"), ("maxCheckoutValidity", "60")]),
            "valid=true expirationTimestamp=2024-01-10T00:01:00.000Z warningLevel=YELLOW",
        );
        let out = check_outcome(
            full().params(&[("sessionId", "a"), ("action", "checkIn")]),
            "valid=false warningLevel=GREEN",
        );
        let removed: Vec<_> =
            out.updates.iter().filter(|u| u.property.value.is_empty()).map(|u| u.property.name.as_str()).collect();
        assert_eq!(removed, ["sessionId_a", "sessionId_old"], "the session and the expired one go");
        assert!(base().license("E", "2024-01-01").params(&[("action", "checkOut")]).try_run().is_err());
        assert!(
            base().license("E", "2024-01-01").params(&[("sessionId", "s"), ("action", "borrow")]).try_run().is_err()
        );
    }

    /// A module limit beyond what dates express (stored before limits were checked) saturates; no panic.
    #[test]
    fn huge_checkout_validity_saturates() {
        let huge = Fixture::new("Floating")
            .module(&[("maxCheckoutValidity", "18446744073709551615")])
            .template("E", "FLOATING", &[("maxSessions", "2")])
            .license_numbered("L1", "E", &[]);
        check(
            huge.params(&[("sessionId", "s1"), ("action", "checkOut"), ("maxCheckoutValidity", "9223372036854775807")]),
            "valid=true expirationTimestamp=9999-12-31T23:59:59.999Z warningLevel=GREEN",
        );
        assert_eq!(expiry_after(DateTime::<Utc>::MAX_UTC, 1), crate::time_volume::far_future());
    }

    #[test]
    fn pool_levels() {
        assert_eq!(pool_level(0, 0), WarningLevel::Red);
        assert_eq!(pool_level(7, 10), WarningLevel::Green);
        assert_eq!(pool_level(8, 10), WarningLevel::Yellow);
        assert_eq!(pool_level(10, 10), WarningLevel::Red);
        assert_eq!(pool_level(3, 3), WarningLevel::Yellow);
    }
}
