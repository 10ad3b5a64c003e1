//! The body of a webhook request: the default document, and vendor templates over it.
//!
//! The default body is `{"timestamp", "origin": "Notification", "entities": {"Event": [{"name"}], "<Type>":
//! [<entity>]}}`, the entity as a JSON object of its properties (`active` and `inUse` as booleans, every other
//! value as its wire text, lists as arrays of objects).
//!
//! A template is any text; each `{$path}` in it is replaced by the value at that path of the default document
//! (`{$}` the whole document, `{$.timestamp}`, `{$.entities.Event[0].name}`, `{$.entities.Licensee[0].number}`).
//! A string is inserted JSON-escaped without its quotes (so `"{$.origin}"` stays a valid JSON string), any
//! other value as compact JSON, a path that names nothing as nothing.

use chrono::{DateTime, SecondsFormat, Utc};
use netlicensing_model::{
    Item,
    types::{NotificationEvent, WireEnum},
};
use serde_json::{Map, Value, json};

/// The default document of an event about an entity, with the items that go with it (a warning-level change:
/// the `ProductModuleValidation` answers of the validation that changed it), each under its type.
pub fn document(event: NotificationEvent, item: &Item, related: &[Item], timestamp: DateTime<Utc>) -> Value {
    let mut entities = Map::new();
    entities.insert("Event".into(), json!([{ "name": event.as_str() }]));
    entities.insert(item.ty.clone(), json!([entity(item)]));
    for other in related {
        let entry = entities.entry(other.ty.clone()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(entries) = entry {
            entries.push(entity(other));
        }
    }
    json!({
        "timestamp": timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
        "origin": "Notification",
        "entities": entities,
    })
}

/// An item as a JSON object.
fn entity(item: &Item) -> Value {
    let mut object = Map::new();
    for property in &item.properties {
        let value = match (property.name.as_str(), property.value.as_str()) {
            ("active" | "inUse", "true") => Value::Bool(true),
            ("active" | "inUse", "false") => Value::Bool(false),
            (_, text) => Value::String(text.to_owned()),
        };
        object.insert(property.name.clone(), value);
    }
    for list in &item.lists {
        let mut fields = Map::new();
        for property in &list.properties {
            fields.insert(property.name.clone(), Value::String(property.value.clone()));
        }
        let entry = object.entry(list.name.clone()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(entries) = entry {
            entries.push(Value::Object(fields));
        }
    }
    Value::Object(object)
}

/// The body to send: the template filled from the document, or the document itself.
pub fn render(template: Option<&str>, document: &Value) -> String {
    let Some(template) = template.filter(|t| !t.trim().is_empty()) else { return document.to_string() };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{$") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        match lookup(document, &after[..end]) {
            Some(Value::String(text)) => {
                let quoted = Value::String(text.clone()).to_string();
                out.push_str(&quoted[1..quoted.len() - 1]);
            }
            Some(value) => out.push_str(&value.to_string()),
            None => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value at a path `$`, `$.a.b`, `$.a[0].b`.
fn lookup<'v>(document: &'v Value, path: &str) -> Option<&'v Value> {
    let mut rest = path.strip_prefix('$')?;
    let mut at = document;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            at = at.get(&after[..end])?;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            at = at.get(after[..end].trim().parse::<usize>().ok()?)?;
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn licensee() -> Value {
        let mut item = Item::new("Licensee");
        item.push("number", "I1");
        item.push("active", "true");
        item.push("name", "Customer \"Uno\"");
        let at = Utc.with_ymd_and_hms(2024, 9, 19, 4, 29, 47).single().expect("time");
        document(NotificationEvent::LicenseeCreated, &item, &[], at)
    }

    #[test]
    fn the_default_document() {
        assert_eq!(
            licensee(),
            json!({"timestamp": "2024-09-19T04:29:47.000Z", "origin": "Notification", "entities": {
                "Event": [{"name": "LICENSEE_CREATED"}],
                "Licensee": [{"number": "I1", "active": true, "name": "Customer \"Uno\""}]}})
        );
        assert_eq!(render(None, &licensee()), licensee().to_string());
        assert_eq!(render(Some("  "), &licensee()), licensee().to_string());
    }

    #[test]
    fn related_items_go_under_their_type() {
        let mut licensee = Item::new("Licensee");
        licensee.push("number", "I1");
        let mut answer = Item::new("ProductModuleValidation");
        answer.push("productModuleNumber", "M1");
        answer.push("warningLevel", "RED");
        let at = Utc.with_ymd_and_hms(2024, 9, 19, 4, 29, 47).single().expect("time");
        let doc = document(NotificationEvent::WarningLevelChanged, &licensee, &[answer.clone(), answer], at);
        assert_eq!(doc["entities"]["ProductModuleValidation"].as_array().map(Vec::len), Some(2));
        assert_eq!(doc["entities"]["ProductModuleValidation"][0]["warningLevel"], "RED");
    }

    #[test]
    fn templates_fill_paths() {
        let doc = licensee();
        let body = render(
            Some(
                r#"{"event":"{$.entities.Event[0].name}","who":"{$.entities.Licensee[0].name}","all":{$},"x":"{$.nope}"}"#,
            ),
            &doc,
        );
        let parsed: Value = serde_json::from_str(&body).expect("valid JSON");
        assert_eq!(parsed["event"], "LICENSEE_CREATED");
        assert_eq!(parsed["who"], "Customer \"Uno\"");
        assert_eq!(parsed["all"], doc);
        assert_eq!(parsed["x"], "");
        assert_eq!(render(Some("{$.entities.Licensee[0].active} {$"), &doc), "true {$");
        assert_eq!(render(Some("{$.entities.Event[9]}{$[x]}"), &doc), "");
    }
}
