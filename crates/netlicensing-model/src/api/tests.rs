use std::collections::HashSet;

use super::*;

/// `Entity::STANDARD` and `Entity::READ_ONLY` of a resource.
fn names(resource: Resource) -> (&'static [&'static str], &'static [&'static str]) {
    crate::with_entity!(resource, |E| (E::STANDARD, E::READ_ONLY))
}

/// Standard, writable names that create and update do not read, and why.
const NOT_INPUT: &[(Resource, &str)] = &[
    (Resource::License, "price"),        // always the template's
    (Resource::License, "currency"),     // always the template's
    (Resource::Bundle, "productNumber"), // computed from the templates
    (Resource::Transaction, "active"),   // always true
];

#[test]
fn create_and_update_fields_are_the_entities_standard_writable_properties() {
    for resource in Resource::ALL {
        let (standard, read_only) = names(resource);
        let mut documented = HashSet::new();
        for create in [true, false] {
            for param in params::fields(resource, create) {
                assert!(standard.contains(&param.name), "{resource:?}: `{}` is not a standard property", param.name);
                assert!(!read_only.contains(&param.name), "{resource:?}: `{}` is read-only", param.name);
                documented.insert(param.name);
            }
        }
        for name in standard {
            let skipped = read_only.contains(name) || NOT_INPUT.contains(&(resource, name));
            assert!(skipped || documented.contains(name), "{resource:?}: standard property `{name}` is not described");
        }
    }
}

#[test]
fn list_parameters_are_the_links_of_the_declaration() {
    for resource in Resource::ALL {
        let mut described: Vec<&str> = params::list(resource).iter().skip(1).map(|p| p.name).collect();
        let mut links: Vec<&str> = resource.links().iter().filter_map(|link| link.link_property()).collect();
        described.sort_unstable();
        links.sort_unstable();
        assert_eq!(described, links, "{resource:?}");
    }
}

#[test]
fn every_route_is_unique_and_described() {
    let routes = routes();
    let mut seen = HashSet::new();
    let mut ids = HashSet::new();
    for route in &routes {
        assert!(route.path.starts_with('/'), "{}", route.path);
        assert!(seen.insert((route.method, route.path.clone())), "{} {} twice", route.method.as_str(), route.path);
        assert!(ids.insert(route.operation_id.clone()), "operation id {} twice", route.operation_id);
        assert!(!route.summary.is_empty() && !route.description.is_empty(), "{}", route.operation_id);
        for param in &route.params {
            assert!(!param.description.is_empty(), "{}: {}", route.operation_id, param.name);
        }
        assert_eq!(route.has_number(), route.path.ends_with("{number}") || route.path.contains("{number}/"));
    }
    let count = |resource: Resource| {
        let collection = format!("{BASE}/{}", resource.path());
        routes.iter().filter(|r| r.path == collection || r.path.starts_with(&format!("{collection}/{{"))).count()
    };
    assert_eq!(count(Resource::Product), 6, "list, get, create, update (POST and PUT), delete");
    assert_eq!(count(Resource::Token), 4, "list, get, create, delete");
    assert_eq!(count(Resource::PaymentMethod), 4, "list, get, update (POST and PUT)");
}

#[test]
fn openapi_text_is_deterministic_json_with_every_route_and_reference() {
    let routes = routes();
    let text = openapi::text(&routes);
    assert!(text.ends_with("}\n"));
    assert_eq!(text, openapi::text(&routes));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    for route in &routes {
        let op = &doc["paths"][&route.path][route.method.as_str().to_ascii_lowercase()];
        assert_eq!(op["operationId"], route.operation_id.as_str());
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let pointer = reference.strip_prefix('#').expect("local reference");
        assert!(doc.pointer(pointer).is_some(), "dangling {reference}");
    }
    let validate = &doc["paths"]["/core/v2/rest/licensee/{number}/validate"]["post"];
    let reference = validate["requestBody"]["$ref"].as_str().expect("a shared body");
    let body = &doc.pointer(&reference[1..]).expect("body")["content"]["application/x-www-form-urlencoded"]["schema"];
    assert!(body["patternProperties"]["^productModuleNumber[0-9]*$"].is_object());
    assert_eq!(validate["security"][1]["apiKey"][0], "ROLE_APIKEY_LICENSEE");
    let item = &doc["paths"]["/core/v2/rest/product/{number}"];
    assert_eq!(item["put"]["requestBody"], item["post"]["requestBody"], "PUT shares the POST's body");
    let ok = &doc["paths"]["/core/v2/rest/product"]["get"]["responses"]["200"]["content"];
    assert!(ok["application/xml"].is_object() && ok["application/json"].is_object());
}

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(target) if key == "$ref" => out.push(target.clone()),
                    other => collect_refs(other, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

#[test]
fn branding_fields_are_the_entitys_writable_properties() {
    let described: Vec<&str> = params::branding().iter().map(|p| p.name).collect();
    assert_eq!(described, crate::entity::Branding::FIELDS);
}
