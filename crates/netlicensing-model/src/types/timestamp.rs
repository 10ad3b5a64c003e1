//! Timestamps: `xsd:date` and `xsd:dateTime` on input, UTC with milliseconds on output.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Reads an `xsd:dateTime` (`2014-08-06T21:30:45.574Z`, `2014-01-30T13:21:03.071+01:00`, no zone = UTC, any
/// fraction length) or an `xsd:date` (`2024-01-31`, optionally with a zone; midnight of that day).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.contains('T') {
        let (local, zone) = split_zone(text);
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
        to_utc(naive, zone)
    } else {
        let (local, zone) = split_zone(text);
        let naive = NaiveDate::parse_from_str(local, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0)?;
        to_utc(naive, zone)
    }
}

/// Writes a timestamp as the service does: `2014-08-06T21:30:45.574Z`.
pub fn format(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Splits a trailing `Z` or `±hh:mm` zone from the local part.
fn split_zone(text: &str) -> (&str, Option<&str>) {
    if let Some(local) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z')) {
        return (local, Some("+00:00"));
    }
    let bytes = text.as_bytes();
    if bytes.len() > 6 {
        let at = bytes.len() - 6;
        if matches!(bytes[at], b'+' | b'-') && bytes[at + 3] == b':' {
            return (&text[..at], Some(&text[at..]));
        }
    }
    (text, None)
}

fn to_utc(naive: NaiveDateTime, zone: Option<&str>) -> Option<DateTime<Utc>> {
    match zone {
        None => Some(Utc.from_utc_datetime(&naive)),
        Some(zone) => {
            let offset = parse_offset(zone)?;
            offset.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
        }
    }
}

fn parse_offset(zone: &str) -> Option<FixedOffset> {
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = zone.get(1..3)?.parse().ok()?;
    let minutes: i32 = zone.get(4..6)?.parse().ok()?;
    // Zone offsets run from −14:00 to +14:00.
    if hours * 60 + minutes > 14 * 60 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> String {
        parse(text).map(|t| format(&t)).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn date_times_in_every_form() {
        assert_eq!(utc("2014-08-06T21:30:45.574Z"), "2014-08-06T21:30:45.574Z");
        assert_eq!(utc("2014-01-30T13:21:03.071+01:00"), "2014-01-30T12:21:03.071Z");
        assert_eq!(utc("2012-10-31T14:00:00.000-02:30"), "2012-10-31T16:30:00.000Z");
        assert_eq!(utc("2012-10-31T14:00:00.000+14:00"), "2012-10-31T00:00:00.000Z");
        assert_eq!(utc("2012-10-31T14:00:00.000+14:30"), "none", "offsets end at 14 hours");
        assert_eq!(utc("2014-08-06T21:30:45"), "2014-08-06T21:30:45.000Z");
        assert_eq!(utc("2014-08-06T21:30:45.5"), "2014-08-06T21:30:45.500Z");
        assert_eq!(utc("2014-08-06T21:30:45.123456789Z"), "2014-08-06T21:30:45.123Z");
    }

    #[test]
    fn dates_are_midnight() {
        assert_eq!(utc("2024-01-31"), "2024-01-31T00:00:00.000Z");
        assert_eq!(utc("2024-01-31Z"), "2024-01-31T00:00:00.000Z");
        assert_eq!(utc("2024-01-31+02:00"), "2024-01-30T22:00:00.000Z");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "now", "2024-13-01", "2024-02-30", "2014-08-06T25:00:00Z", "2014-08-06T21:30:45+99:00"] {
            assert_eq!(utc(bad), "none", "{bad}");
        }
    }
}
