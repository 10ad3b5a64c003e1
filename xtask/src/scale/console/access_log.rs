//! The server's own time per request, read from its access log: one line per request (target
//! `netlicensing::access`) with `duration_ms` and the `request_id` the benchmark sent, in the text or the JSON
//! log format.

use std::collections::HashMap;

/// The `duration_ms` of every access-log line, by request id.
pub fn durations(log: &str) -> HashMap<String, f64> {
    log.lines()
        .filter(|line| line.contains("netlicensing::access"))
        .filter_map(|line| {
            let millis = field(line, "duration_ms")?.parse().ok()?;
            Some((field(line, "request_id")?.to_owned(), millis))
        })
        .collect()
}

/// A field's value in a text line (`name=value`, `name="value"`) or a JSON line (`"name":value`,
/// `"name":"value"`).
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let text = format!(" {name}=");
    let json = format!("\"{name}\":");
    let rest = match (line.find(&text), line.find(&json)) {
        (Some(at), _) => &line[at + text.len()..],
        (None, Some(at)) => &line[at + json.len()..],
        (None, None) => return None,
    };
    let value = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next(),
        None => rest.split(|c: char| c.is_whitespace() || c == ',' || c == '}').next(),
    };
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_lines() {
        let log = "2026-11-30T10:00:00.000001Z  INFO netlicensing::access: request method=\"GET\" \
                   route=\"/console/customers\" status=200 duration_ms=12.345 vendor=\"VDEMO\" request_id=bench-1-0\n\
                   2026-11-30T10:00:00.000002Z  INFO netlicensing::access: request method=\"GET\" route=\"/health\" \
                   status=200 duration_ms=0.05 vendor=\"-\" request_id=bench-2-0\n\
                   2026-11-30T10:00:00.000003Z  INFO netlicensing_server: duration_ms=99 request_id=not-access\n";
        let found = durations(log);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found["bench-1-0"], 12.345);
        assert_eq!(found["bench-2-0"], 0.05);
    }

    #[test]
    fn reads_json_lines() {
        let log = r#"{"timestamp":"2026-11-30T10:00:00Z","level":"INFO","message":"request","method":"GET","route":"/console","status":200,"duration_ms":3.5,"vendor":"VDEMO","request_id":"bench-0-1","target":"netlicensing::access"}"#;
        assert_eq!(durations(log).get("bench-0-1"), Some(&3.5));
    }

    #[test]
    fn skips_lines_without_both_fields() {
        let log = "x INFO netlicensing::access: request status=200 request_id=a\n\
                   x INFO netlicensing::access: request duration_ms=fast request_id=b\n\
                   x INFO netlicensing::access: request duration_ms=1.0 request_id=\n";
        assert!(durations(log).is_empty());
        assert_eq!(field("a x_duration_ms=5 duration_ms=7", "duration_ms"), Some("7"));
    }
}
