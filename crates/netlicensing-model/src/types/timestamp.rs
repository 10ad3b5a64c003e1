//! Timestamps: `xsd:date` and `xsd:dateTime` on input, UTC with milliseconds on output.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Reads an `xsd:dateTime` (`2014-08-06T21:30:45.574Z`, `2014-01-30T13:21:03.071+01:00`, no zone = UTC, any
/// fraction length) or an `xsd:date` (`2024-01-31`, optionally with a zone; midnight of that day).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.contains('T') {
        let (local, zone) = split_zone(text);
        // The form this service writes (and most clients send) read by position; anything else by chrono's
        // format parser, which interprets its format string on every call (a tenth of a cached validation's
        // time when a licensee has floating sessions).
        let naive = match canonical(local) {
            Some(naive) => naive,
            None => NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f").ok()?,
        };
        to_utc(naive, zone)
    } else {
        let (local, zone) = split_zone(text);
        let naive = NaiveDate::parse_from_str(local, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0)?;
        to_utc(naive, zone)
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction of one to nine digits, read by position; `None` for any
/// other form or an impossible date or time (the caller then asks chrono, which decides). Accepts nothing
/// chrono's `%Y-%m-%dT%H:%M:%S%.f` would refuse or read otherwise; a leap second (`:60`) is left to chrono.
fn canonical(local: &str) -> Option<NaiveDateTime> {
    let b = local.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            digits(20..b.len())? * 10u32.pow(9 - u32::try_from(fraction.len()).ok()?)
        }
        _ => return None,
    };
    let second = digits(17..19)?;
    if second > 59 {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)?;
    date.and_hms_nano_opt(digits(11..13)?, digits(14..16)?, second, nanos)
}

/// Writes a timestamp as the service does: `2014-08-06T21:30:45.574Z`.
pub fn format(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The compact serde form of an optional timestamp for in-process caches: seconds and nanoseconds since the
/// epoch (chrono's own serde form is RFC 3339 text, parsed again on every read of a cached licensee).
pub mod compact {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    /// Writes the timestamp as `(seconds, nanoseconds)`.
    pub fn serialize<S: Serializer>(value: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(|t| (t.timestamp(), t.timestamp_subsec_nanos())).serialize(serializer)
    }

    /// Reads a timestamp written by [`serialize`]; seconds out of chrono's range are an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<(i64, u32)>::deserialize(deserializer)? {
            None => Ok(None),
            Some((seconds, nanos)) => DateTime::from_timestamp(seconds, nanos)
                .map(Some)
                .ok_or_else(|| D::Error::custom("a timestamp out of range")),
        }
    }
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
    fn the_positional_reading_agrees_with_chrono() {
        let chrono = |local: &str| NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f").ok();
        let samples = [
            "2014-08-06T21:30:45",
            "2014-08-06T21:30:45.5",
            "2014-08-06T21:30:45.574",
            "2014-08-06T21:30:45.123456789",
            "2024-02-29T00:00:00.000",
            "2023-02-29T00:00:00",
            "2014-13-06T21:30:45",
            "2014-08-32T21:30:45",
            "2014-08-06T24:00:00",
            "2014-08-06T21:60:45",
            "2014-08-06T21:30:60",
            "2014-08-06T21:30:45.",
            "2014-08-06T21:30:45.1234567891",
            "2014-08-06T21:30:45x",
            "20140-08-06T21:30:45",
            "2014-8-06T21:30:45",
            "2014-08-06T21:30:4",
            "0000-01-01T00:00:00",
            "9999-12-31T23:59:59.999",
            "2014-08-06T21:30:+5",
            "+014-08-06T21:30:45",
            "2014-08-06T21:30:45.-5",
            "２014-08-06T21:30:45",
        ];
        for local in samples {
            let fast = canonical(local);
            assert!(fast.is_none() || fast == chrono(local), "{local}: {fast:?} against {:?}", chrono(local));
            let read = parse(&format!("{local}Z"));
            let slow = chrono(local).map(|naive| Utc.from_utc_datetime(&naive));
            assert_eq!(read, slow, "{local}");
        }
        assert!(canonical("2014-08-06T21:30:45.574").is_some(), "the service's own form is read by position");
        assert!(canonical("2014-08-06T21:30:45").is_some());
    }

    #[test]
    fn the_compact_form_reads_back_what_it_wrote() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Held(#[serde(with = "compact")] Option<DateTime<Utc>>);
        for value in [
            None,
            parse("2014-08-06T21:30:45.574Z"),
            parse("1900-01-01T00:00:00.000001Z"),
            Some(DateTime::<Utc>::MAX_UTC),
        ] {
            let text = serde_json::to_string(&Held(value)).unwrap();
            assert_eq!(serde_json::from_str::<Held>(&text).unwrap(), Held(value), "{text}");
        }
        assert!(serde_json::from_str::<Held>(&format!("[{}, 0]", i64::MAX)).is_err(), "out of range: an error");
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
