//! The OpenAPI 3.1 document of the routes: paths with parameters, security and both answer formats (XML and
//! JSON), the `netlicensing` document as schemas, and the error answers.
//!
//! The text is deterministic: object keys sorted, two-space indentation, a trailing newline. The server serves
//! exactly [`text`] of [`super::routes`], and `cargo xtask codegen` commits the same text as `docs/openapi.json`.

use serde_json::{Map, Value, json};

use super::{Access, Answer, BASE, Input, Operation, Param, ParamType, Route, VALIDATION_TYPE};
use crate::{info::ErrorId, types::WireEnum};

/// Namespace of the `netlicensing` XML document.
const XML_NAMESPACE: &str = "http://netlicensing.labs64.com/schema/context";

/// The document as text, as served and committed.
pub fn text(routes: &[Route]) -> String {
    let mut out = serde_json::to_string_pretty(&sorted(document(routes))).unwrap_or_default();
    out.push('\n');
    out
}

/// The document.
pub fn document(routes: &[Route]) -> Value {
    let mut paths = Map::new();
    for route in routes {
        let item = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        if let Value::Object(item) = item {
            item.insert(route.method.as_str().to_ascii_lowercase(), operation(route));
        }
    }
    let mut tags: Vec<&str> = Vec::new();
    for route in routes {
        if !tags.contains(&route.tag) {
            tags.push(route.tag);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "netlicensing-rs",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "A self-hostable server of the NetLicensing REST API (v2).",
            "description": INTRO,
            "license": { "name": "Apache-2.0", "identifier": "Apache-2.0" },
        },
        "tags": tags.iter().map(|tag| json!({ "name": tag })).collect::<Vec<_>>(),
        "paths": paths,
        "components": components(routes),
    })
}

const INTRO: &str = "The NetLicensing REST API as netlicensing-rs serves it, below `/core/v2/rest`. Answers are the \
    `netlicensing` document in XML (`application/xml`, the default) or JSON (`application/json`), chosen by `Accept`. \
    Parameters travel in the query (GET, DELETE) or as an `application/x-www-form-urlencoded` body (POST, PUT). \
    Credentials are HTTP Basic: the vendor's login, or the user `apiKey` with an API key as the password. Every \
    error is answered with an `infos` entry of type error whose `id` names the error.";

/// Copies a value with every object's keys in sorted order, whatever map the JSON library was built with.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn operation(route: &Route) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(route.operation_id));
    op.insert("summary".into(), json!(route.summary));
    op.insert("description".into(), json!(description(route)));
    op.insert("tags".into(), json!([route.tag]));
    if route.deprecated {
        op.insert("deprecated".into(), json!(true));
    }
    op.insert("security".into(), security(route.access));
    let mut parameters = Vec::new();
    if route.has_number() {
        parameters.push(json!({
            "name": "number",
            "in": "path",
            "required": true,
            "description": number_description(route),
            "schema": { "type": "string" },
        }));
    }
    match route.input {
        Input::Query => {
            let (plain, indexed): (Vec<&Param>, Vec<&Param>) = route.params.iter().partition(|p| !p.pattern);
            parameters.extend(plain.into_iter().map(query_parameter));
            if !indexed.is_empty() || route.custom_properties {
                parameters.push(json!({
                    "name": "moduleParameters",
                    "in": "query",
                    "description": "Indexed module parameters and further parameters, each a `name=value` pair \
                        of the query.",
                    "style": "form",
                    "explode": true,
                    "schema": free_form(&indexed, custom(route)),
                }));
            }
        }
        Input::Form => {
            let name = body_name(route);
            op.insert("requestBody".into(), json!({ "$ref": format!("#/components/requestBodies/{name}") }));
        }
        Input::None => {}
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    op.insert("responses".into(), responses(route));
    Value::Object(op)
}

/// The route's description with who may call it.
fn description(route: &Route) -> String {
    match route.access {
        Access::Public => route.description.clone(),
        Access::VendorLogin => format!("{} Only the vendor login (no API key).", route.description),
        Access::Role(role) => {
            format!("{} The vendor login, or an API key of role `{role}` or higher.", route.description)
        }
    }
}

fn number_description(route: &Route) -> String {
    if route.operation == Operation::Validate {
        return "Number or alias of the licensee.".into();
    }
    let noun = match route.operation {
        Operation::Transfer => "licensee that receives the licenses",
        Operation::Obtain => "bundle",
        Operation::Deliveries | Operation::Resend => "notification",
        Operation::Get(r) | Operation::Update(r) | Operation::Delete(r) => r.noun(),
        _ => "entity",
    };
    format!("Number of the {noun}.")
}

fn security(access: Access) -> Value {
    match access {
        Access::Public => json!([]),
        Access::VendorLogin => json!([{ "vendorLogin": [] }]),
        Access::Role(_) => {
            let roles: Vec<&str> = access.api_key_roles().iter().map(WireEnum::as_str).collect();
            json!([{ "vendorLogin": [] }, { "apiKey": roles }])
        }
    }
}

fn schema(param: &Param) -> Value {
    let mut schema = match &param.ty {
        ParamType::Text => json!({ "type": "string" }),
        ParamType::Boolean => json!({ "type": "boolean" }),
        ParamType::Integer => json!({ "type": "integer" }),
        ParamType::Decimal => json!({ "type": "string", "pattern": format!("^-?{DECIMAL}$") }),
        ParamType::Timestamp => json!({ "type": "string", "format": "date-time", "pattern": TIMESTAMP }),
        ParamType::Enum(values) => json!({ "type": "string", "enum": values }),
        ParamType::CommaList(values) if values.is_empty() => json!({ "type": "string" }),
        ParamType::CommaList(values) => {
            let one = values.join("|");
            json!({ "type": "string", "pattern": format!("^(({one})(,({one}))*)?$") })
        }
        ParamType::Json => json!({ "type": "string", "contentMediaType": "application/json" }),
        ParamType::Discounts => {
            json!({ "type": "array", "items": { "type": "string", "pattern": discount_pattern() } })
        }
    };
    if let Value::Object(map) = &mut schema {
        // An empty value of a required parameter counts as missing.
        if param.required && map.get("type") == Some(&json!("string")) && !map.contains_key("enum") {
            map.insert("minLength".into(), json!(1));
        }
        map.insert("description".into(), json!(param.description));
        if param.deprecated {
            map.insert("deprecated".into(), json!(true));
        }
    }
    schema
}

/// A decimal amount as the server reads it: an amount in cents must fit 64 bits, so at most 15 digits before the
/// point.
const DECIMAL: &str = "[0-9]{1,15}(\\.[0-9]{1,10})?";

/// A timestamp as the server reads it: RFC 3339 with a zone offset of at most 14 hours.
const TIMESTAMP: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$";

/// A volume discount `totalPrice;currency;amount[%]`, or empty (which removes the discounts).
fn discount_pattern() -> String {
    let currencies: Vec<&str> = crate::types::Currency::ALL.iter().map(WireEnum::as_str).collect();
    format!("^({DECIMAL};({});{DECIMAL}%?)?$", currencies.join("|"))
}

/// Parameters that need another on a route: the rules the services check (`price` and `currency` together on
/// templates and bundles, a shop transaction's amounts with their currency).
fn dependent_required(route: &Route) -> Option<Value> {
    use super::Resource;
    match route.operation {
        Operation::Create(Resource::LicenseTemplate | Resource::Bundle) => {
            Some(json!({ "price": ["currency"], "currency": ["price"] }))
        }
        Operation::Create(Resource::Transaction) => {
            Some(json!({ "grandTotal": ["currency"], "discount": ["currency"] }))
        }
        _ => None,
    }
}

fn query_parameter(param: &Param) -> Value {
    let mut schema = schema(param);
    if let Value::Object(map) = &mut schema {
        map.remove("description");
        map.remove("deprecated");
    }
    let mut out = json!({
        "name": param.name,
        "in": "query",
        "description": param.description,
        "schema": schema,
    });
    if let Value::Object(map) = &mut out {
        if param.required {
            map.insert("required".into(), json!(true));
        }
        if param.deprecated {
            map.insert("deprecated".into(), json!(true));
        }
        if param.ty == ParamType::Discounts {
            map.insert("explode".into(), json!(true));
        }
    }
    out
}

/// What further parameters of a route are, if it keeps them.
fn custom(route: &Route) -> Option<&'static str> {
    match route.operation {
        _ if !route.custom_properties => None,
        Operation::Validate => Some("A custom property of a licensee that validate creates."),
        Operation::Update(_) => Some("A custom property; an empty value deletes it."),
        _ => Some("A custom property."),
    }
}

/// An object schema of indexed (pattern) parameters and, if kept, any further text parameters.
fn free_form(indexed: &[&Param], custom: Option<&str>) -> Value {
    let mut object = json!({ "type": "object" });
    if let Value::Object(map) = &mut object {
        if !indexed.is_empty() {
            let patterns: Map<String, Value> = indexed.iter().map(|p| (p.name.to_owned(), schema(p))).collect();
            map.insert("patternProperties".into(), Value::Object(patterns));
        }
        if let Some(description) = custom {
            map.insert("additionalProperties".into(), json!({ "type": "string", "description": description }));
        }
    }
    object
}

fn form_body(route: &Route) -> Value {
    let (plain, indexed): (Vec<&Param>, Vec<&Param>) = route.params.iter().partition(|p| !p.pattern);
    let mut body = free_form(&indexed, custom(route));
    let required: Vec<&str> = plain.iter().filter(|p| p.required).map(|p| p.name).collect();
    let mut encoding = Map::new();
    if let Value::Object(map) = &mut body {
        let properties: Map<String, Value> = plain.iter().map(|p| (p.name.to_owned(), schema(p))).collect();
        if !properties.is_empty() {
            map.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            map.insert("required".into(), json!(required));
        }
        if let Some(dependent) = dependent_required(route) {
            map.insert("dependentRequired".into(), dependent);
        }
    }
    for param in plain.iter().filter(|p| p.ty == ParamType::Discounts) {
        encoding.insert(param.name.to_owned(), json!({ "style": "form", "explode": true }));
    }
    let mut media = json!({ "schema": body });
    if !encoding.is_empty()
        && let Value::Object(map) = &mut media
    {
        map.insert("encoding".into(), Value::Object(encoding));
    }
    json!({
        "required": !required.is_empty(),
        "content": { "application/x-www-form-urlencoded": media },
    })
}

/// Name of a route's form body among the components: the operation id, capitalised, without the `Put` of the
/// `PUT` alias of an update (which shares the `POST`'s body).
fn body_name(route: &Route) -> String {
    let id = route.operation_id.strip_suffix("Put").unwrap_or(&route.operation_id);
    let mut chars = id.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Both media types of the `netlicensing` document.
fn documents() -> Value {
    json!({
        "application/xml": { "schema": { "$ref": "#/components/schemas/NetlicensingXml" } },
        "application/json": { "schema": { "$ref": "#/components/schemas/Netlicensing" } },
    })
}

fn responses(route: &Route) -> Value {
    let mut out = Map::new();
    let ok = |description: String| json!({ "description": description, "content": documents() });
    let (status, answer) = match route.answer {
        Answer::Page(ty) => ("200", ok(format!("One page of `{ty}` items; `items` carries the paging attributes."))),
        Answer::All(ty) => ("200", ok(format!("Every `{ty}` item, as a single page."))),
        Answer::One(ty) => ("200", ok(format!("The `{ty}` item."))),
        Answer::Validation => (
            "200",
            ok(format!(
                "One `{VALIDATION_TYPE}` item per product module of the licensee's product (with `forOfflineUse`, \
                 also the `Licensee` item); the document's `ttl` says how long the answer may be cached. XML answers \
                 to an API key with a private key carry an XML signature (`Signature`)."
            )),
        ),
        Answer::NoContent => ("204", json!({ "description": "Done; no content." })),
        Answer::Text => (
            "200",
            json!({
                "description": "The server is up.",
                "content": { "text/plain": { "schema": { "type": "string", "const": "OK" } } },
            }),
        ),
        Answer::OpenApi => (
            "200",
            json!({
                "description": "This document.",
                "content": { "application/json": { "schema": { "type": "object" } } },
            }),
        ),
        Answer::Html => (
            "200",
            json!({
                "description": "The HTML fragment.",
                "content": { "text/html": { "schema": { "type": "string" } } },
            }),
        ),
    };
    out.insert(status.into(), answer);
    if route.access != Access::Public {
        for (status, name) in [
            ("400", "BadRequest"),
            ("401", "Unauthorized"),
            ("403", "Forbidden"),
            ("404", "NotFound"),
            ("503", "ServiceUnavailable"),
        ] {
            out.insert(status.into(), json!({ "$ref": format!("#/components/responses/{name}") }));
        }
    }
    if route.input == Input::Form {
        out.insert("413".into(), json!({ "$ref": "#/components/responses/PayloadTooLarge" }));
        out.insert("415".into(), json!({ "$ref": "#/components/responses/UnsupportedMediaType" }));
    }
    Value::Object(out)
}

/// The error answers: each an `infos` entry of type error with one of these ids.
fn error_responses() -> Value {
    let ids = |ids: &[ErrorId]| ids.iter().map(|id| format!("`{}`", id.as_str())).collect::<Vec<_>>().join(", ");
    let cases = [
        (
            "BadRequest",
            "Malformed or illegal request",
            ids(&[ErrorId::MalformedRequest, ErrorId::IllegalOperation, ErrorId::Validation, ErrorId::IllegalArgument]),
        ),
        ("Unauthorized", "No or wrong credentials; answered with a Basic challenge", ids(&[ErrorId::Unauthorized])),
        ("Forbidden", "The credentials may not do this", ids(&[ErrorId::AccessDenied])),
        ("NotFound", "No such entity, or no such path", ids(&[ErrorId::NotFound])),
        ("MethodNotAllowed", "The path exists, but not for this method", ids(&[ErrorId::MethodNotAllowed])),
        ("PayloadTooLarge", "The request body is too large", ids(&[ErrorId::PayloadTooLarge])),
        (
            "UnsupportedMediaType",
            "A request body that is not `application/x-www-form-urlencoded`",
            ids(&[ErrorId::UnsupportedMediaType]),
        ),
        (
            "ServiceUnavailable",
            "The database is busy (a lock was not granted in time); retry",
            ids(&[ErrorId::ServiceUnavailable]),
        ),
    ];
    let mut out = Map::new();
    for (name, what, ids) in cases {
        let mut response = json!({ "description": format!("{what} (error id {ids})."), "content": documents() });
        if name == "Unauthorized"
            && let Value::Object(map) = &mut response
        {
            map.insert(
                "headers".into(),
                json!({ "WWW-Authenticate": {
                    "description": "`Basic realm=\"NetLicensing\"`",
                    "schema": { "type": "string" },
                } }),
            );
        }
        out.insert(name.into(), response);
    }
    Value::Object(out)
}

fn components(routes: &[Route]) -> Value {
    let bodies: Map<String, Value> =
        routes.iter().filter(|r| r.input == Input::Form).map(|r| (body_name(r), form_body(r))).collect();
    json!({
        "requestBodies": bodies,
        "securitySchemes": {
            "vendorLogin": {
                "type": "http",
                "scheme": "basic",
                "description": "HTTP Basic with the vendor's login and password: every operation on the vendor's data.",
            },
            "apiKey": {
                "type": "http",
                "scheme": "basic",
                "description": "HTTP Basic with the user name `apiKey` and an API key (the number of an `APIKEY` \
                    token) as the password. The key's role decides what it may do; the roles are cumulative \
                    (LICENSEE < ANALYTICS < OPERATION < MAINTENANCE < ADMIN), and the roles listed in an \
                    operation's security requirement are the ones allowed. A key limited to one licensee acts \
                    on that licensee only.",
            },
        },
        "responses": error_responses(),
        "schemas": schemas(),
    })
}

/// The `netlicensing` document in its JSON and XML forms.
fn schemas() -> Value {
    let strings = json!({ "type": ["string", "null"] });
    let xml = |name: &str| json!({ "name": name, "prefix": "ns2", "namespace": XML_NAMESPACE });
    let attribute =
        |description: &str| json!({ "type": "string", "description": description, "xml": { "attribute": true } });
    json!({
        "Netlicensing": {
            "type": "object",
            "description": "The document of every answer (JSON form). Every property value is a string.",
            "properties": {
                "signature": { "type": "null", "description": "Always null in JSON." },
                "infos": { "$ref": "#/components/schemas/Infos" },
                "items": { "anyOf": [{ "$ref": "#/components/schemas/Items" }, { "type": "null" }] },
                "id": strings,
                "ttl": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": "Validation answers: until when the answer may be cached (ISO-8601, UTC, as in XML).",
                },
            },
            "required": ["infos"],
        },
        "Infos": {
            "type": "object",
            "properties": { "info": { "type": "array", "items": { "$ref": "#/components/schemas/Info" } } },
        },
        "Info": {
            "type": "object",
            "properties": {
                "value": { "type": "string", "description": "The message." },
                "id": { "type": "string", "description": "The error or warning id (`NotFoundException`)." },
                "type": { "type": "string", "enum": ["ERROR", "WARNING", "INFO"] },
            },
            "required": ["value", "type"],
        },
        "Items": {
            "type": "object",
            "properties": {
                "item": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } },
                "pagenumber": strings,
                "itemsnumber": strings,
                "totalpages": strings,
                "totalitems": strings,
                "hasnext": strings,
            },
        },
        "Item": {
            "type": "object",
            "properties": {
                "property": { "type": "array", "items": { "$ref": "#/components/schemas/Property" } },
                "list": { "type": "array", "items": { "$ref": "#/components/schemas/List" } },
                "type": { "type": "string", "description": "The item type (`Product`)." },
            },
            "required": ["type"],
        },
        "Property": {
            "type": "object",
            "properties": { "value": { "type": "string" }, "name": { "type": "string" } },
            "required": ["name", "value"],
        },
        "List": {
            "type": "object",
            "properties": {
                "property": { "type": "array", "items": { "$ref": "#/components/schemas/Property" } },
                "list": { "type": "array", "items": { "$ref": "#/components/schemas/List" } },
                "name": { "type": "string" },
            },
            "required": ["name"],
        },
        "NetlicensingXml": {
            "type": "object",
            "description": "The document of every answer (XML form): `infos` (always present) and `items`, in the \
                namespace of the NetLicensing context schema with the prefix `ns2`.",
            "xml": xml("netlicensing"),
            "properties": {
                "id": attribute("Request identifier."),
                "ttl": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Validation answers: until when the answer may be cached.",
                    "xml": { "attribute": true },
                },
                "Signature": {
                    "type": "object",
                    "description": "Enveloped XML signature (signed validation answers).",
                    "xml": { "name": "Signature", "namespace": "http://www.w3.org/2000/09/xmldsig#" },
                },
                "infos": { "$ref": "#/components/schemas/InfosXml" },
                "items": { "$ref": "#/components/schemas/ItemsXml" },
            },
        },
        "InfosXml": {
            "type": "object",
            "xml": xml("infos"),
            "properties": { "info": { "type": "array", "items": { "$ref": "#/components/schemas/InfoXml" } } },
        },
        "InfoXml": {
            "type": "object",
            "description": "The element's text is the message.",
            "xml": xml("info"),
            "properties": {
                "id": attribute("The error or warning id."),
                "type": { "type": "string", "enum": ["error", "warning", "info"], "xml": { "attribute": true } },
            },
        },
        "ItemsXml": {
            "type": "object",
            "xml": xml("items"),
            "properties": {
                "pagenumber": attribute("0-based number of the page."),
                "itemsnumber": attribute("Items on the page."),
                "totalpages": attribute("Pages in all."),
                "totalitems": attribute("Items in all."),
                "hasnext": attribute("Whether a next page exists."),
                "item": { "type": "array", "items": { "$ref": "#/components/schemas/ItemXml" } },
            },
        },
        "ItemXml": {
            "type": "object",
            "xml": xml("item"),
            "properties": {
                "type": attribute("The item type (`Product`)."),
                "property": { "type": "array", "items": { "$ref": "#/components/schemas/PropertyXml" } },
                "list": { "type": "array", "items": { "$ref": "#/components/schemas/ListXml" } },
            },
        },
        "PropertyXml": {
            "type": "object",
            "description": "The element's text is the value.",
            "xml": xml("property"),
            "properties": { "name": attribute("Property name.") },
        },
        "ListXml": {
            "type": "object",
            "xml": xml("list"),
            "properties": {
                "name": attribute("List name."),
                "property": { "type": "array", "items": { "$ref": "#/components/schemas/PropertyXml" } },
                "list": { "type": "array", "items": { "$ref": "#/components/schemas/ListXml" } },
            },
        },
    })
}

/// The path of the served document.
pub fn path() -> String {
    format!("{BASE}/openapi.json")
}
