//! Time-volume arithmetic: when a license that starts at a moment and lasts N periods ends.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use netlicensing_model::types::{TimeVolumePeriod, WireValue};

/// The longest time volume accepted on a template or license, in years: anything longer is refused when it is
/// written (a period that long is a mistake, and its end would lie beyond what dates can express).
pub const MAX_YEARS: u32 = 1000;

/// The latest moment validation reports (9999-12-31T23:59:59.999Z): an end beyond it is saturated to it, so a
/// stored time volume that is too long reads as "valid for ever", never as expired.
pub fn far_future() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|day| day.and_hms_milli_opt(23, 59, 59, 999))
        .map_or(DateTime::<Utc>::MAX_UTC, |moment| moment.and_utc())
}

/// Refuses a time volume longer than [`MAX_YEARS`] (a message for a 400).
pub fn check(volume: u32, period: TimeVolumePeriod) -> Result<(), String> {
    let limit = match period {
        TimeVolumePeriod::Day => MAX_YEARS * 366,
        TimeVolumePeriod::Week => MAX_YEARS * 53,
        TimeVolumePeriod::Month => MAX_YEARS * 12,
        TimeVolumePeriod::Year => MAX_YEARS,
    };
    if volume > limit {
        return Err(format!(
            "timeVolume {volume} {} exceeds the longest accepted time volume ({MAX_YEARS} years)",
            period.to_wire()
        ));
    }
    Ok(())
}

/// Refuses a license's or template's own time volume when it is longer than [`MAX_YEARS`].
pub fn check_of(volume: Option<u32>, period: Option<TimeVolumePeriod>) -> Result<(), crate::CoreError> {
    match volume {
        Some(volume) => check(volume, period.unwrap_or_default()).map_err(crate::CoreError::Malformed),
        None => Ok(()),
    }
}

/// [`end`], saturated to [`far_future`]: never `None`, never past 9999.
pub fn end_saturating(start: DateTime<Utc>, volume: u32, period: TimeVolumePeriod) -> DateTime<Utc> {
    end(start, volume, period).map_or_else(far_future, |e| e.min(far_future()))
}

/// The end of validity of `volume` periods from `start` (exclusive). Months and years are calendar months:
/// a month from January 31 ends on the last day of February, a year from February 29 on February 28.
/// `None` when the end lies beyond the representable range.
pub fn end(start: DateTime<Utc>, volume: u32, period: TimeVolumePeriod) -> Option<DateTime<Utc>> {
    match period {
        TimeVolumePeriod::Day => start.checked_add_days(Days::new(u64::from(volume))),
        TimeVolumePeriod::Week => start.checked_add_days(Days::new(u64::from(volume) * 7)),
        TimeVolumePeriod::Month => start.checked_add_months(Months::new(volume)),
        TimeVolumePeriod::Year => start.checked_add_months(Months::new(volume.checked_mul(12)?)),
    }
}

/// The validity of chained time-volume periods: each starts at its own start or when the previous one ends,
/// whichever is later, so a renewal bought before expiry extends the chain. Returns the first start and the end
/// of the chain; `None` without periods. An end beyond what dates express is saturated ([`end_saturating`]).
pub fn chain(mut periods: Vec<(DateTime<Utc>, u32, TimeVolumePeriod)>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    periods.sort_by_key(|(start, _, _)| *start);
    let first = periods.first()?.0;
    let mut chain_end: Option<DateTime<Utc>> = None;
    for (start, volume, period) in periods {
        let from = chain_end.map_or(start, |e| e.max(start));
        chain_end = Some(end_saturating(from, volume, period));
    }
    chain_end.map(|e| (first, e))
}

#[cfg(test)]
mod tests {
    use netlicensing_model::types::TimeVolumePeriod::*;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::<Utc>::parse_wire(text).unwrap()
    }

    fn check(start: &str, volume: u32, period: TimeVolumePeriod, expected: &str) {
        assert_eq!(end(at(start), volume, period), Some(at(expected)), "{start} + {volume} {period:?}");
    }

    #[test]
    fn days_and_weeks_count_whole_days() {
        check("2024-02-28T10:00:00.000Z", 1, Day, "2024-02-29T10:00:00.000Z");
        check("2023-02-28T10:00:00.000Z", 1, Day, "2023-03-01T10:00:00.000Z");
        check("2024-12-31T23:59:59.999Z", 1, Day, "2025-01-01T23:59:59.999Z");
        check("2024-01-01T00:00:00.000Z", 30, Day, "2024-01-31T00:00:00.000Z");
        check("2024-02-26T00:00:00.000Z", 1, Week, "2024-03-04T00:00:00.000Z");
        check("2024-01-01T00:00:00.000Z", 0, Day, "2024-01-01T00:00:00.000Z");
    }

    #[test]
    fn months_clamp_to_month_end() {
        check("2024-01-31T12:00:00.000Z", 1, Month, "2024-02-29T12:00:00.000Z");
        check("2023-01-31T12:00:00.000Z", 1, Month, "2023-02-28T12:00:00.000Z");
        check("2024-03-31T00:00:00.000Z", 1, Month, "2024-04-30T00:00:00.000Z");
        check("2024-01-31T00:00:00.000Z", 2, Month, "2024-03-31T00:00:00.000Z");
        check("2024-11-15T08:30:00.000Z", 3, Month, "2025-02-15T08:30:00.000Z");
    }

    #[test]
    fn renewals_extend_the_chain() {
        let periods = vec![(at("2024-03-01"), 1, Month), (at("2024-01-01"), 1, Month), (at("2024-01-15"), 1, Month)];
        assert_eq!(chain(periods), Some((at("2024-01-01"), at("2024-04-01"))));
        let gap = vec![(at("2024-01-01"), 10, Day), (at("2024-02-01"), 1, Day)];
        assert_eq!(chain(gap), Some((at("2024-01-01"), at("2024-02-02"))));
        assert_eq!(chain(Vec::new()), None);
    }

    #[test]
    fn years_handle_leap_days() {
        check("2024-02-29T00:00:00.000Z", 1, Year, "2025-02-28T00:00:00.000Z");
        check("2024-02-29T00:00:00.000Z", 4, Year, "2028-02-29T00:00:00.000Z");
        check("2023-03-01T00:00:00.000Z", 1, Year, "2024-03-01T00:00:00.000Z");
        assert_eq!(end(at("2024-01-01"), u32::MAX, Year), None);
    }

    /// A time volume beyond what dates express saturates (valid for ever), it never reads as expired; one that
    /// long is refused when written.
    #[test]
    fn huge_volumes_saturate_and_are_refused_on_write() {
        assert_eq!(end_saturating(at("2024-01-01"), 300_000, Year), far_future());
        assert_eq!(end_saturating(at("2024-01-01"), u32::MAX, Day), far_future());
        assert_eq!(chain(vec![(at("2024-01-01"), 300_000, Year)]), Some((at("2024-01-01"), far_future())));
        assert_eq!(far_future(), at("9999-12-31T23:59:59.999Z"));
        assert!(
            super::check(300_000, Year).is_err()
                && super::check(u32::MAX, Day).is_err()
                && super::check(12_001, Month).is_err()
        );
        assert!(
            super::check(1000, Year).is_ok() && super::check(12_000, Month).is_ok() && super::check(365, Day).is_ok()
        );
    }
}
