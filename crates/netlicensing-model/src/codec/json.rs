//! The JSON form of a document, in the shape the official clients send and expect:
//! `{"signature":null,"infos":{"info":[..]},"items":{"item":[..],"pagenumber":"0",..},"id":null,"ttl":..}`.
//!
//! Output: every value is a string, paging attributes are strings (or `null`), info types are upper case, `ttl` is
//! an ISO-8601 UTC date-time string as in XML (`"2026-12-01T08:54:59.782Z"`, the hosted service's form since
//! release 2.3.8), empty arrays are `[]`, `items` is `null` when the document has none. Input is lenient:
//! `null` for any array, `Signature` or `signature`, numbers or booleans where strings belong, `ttl` as a number,
//! digit string or timestamp, info types in either case.

use chrono::{DateTime, TimeZone, Utc};
use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{self, Visitor},
    ser::{SerializeMap, SerializeSeq},
};

use crate::{
    document::{Document, Info, Item, Items, List, Property},
    error::CodecError,
    types::{InfoType, WireValue},
};

use super::xml_read::{MAX_LIST_DEPTH, paging_from};

/// Writes a document as JSON text.
pub fn to_json(doc: &Document) -> String {
    serde_json::to_string(&DocOut(doc))
        .expect("serialising a document's borrowed views cannot fail: every key is a string and no value errors")
}

/// Reads a document from its JSON text.
pub fn from_json(text: &str) -> Result<Document, CodecError> {
    // serde also reads a struct from an array of its fields; a document is always an object.
    if !text.trim_start().starts_with('{') {
        return Err(CodecError::Json("a netlicensing document is a JSON object".into()));
    }
    let doc: DocIn = serde_json::from_str(text).map_err(|e| CodecError::Json(e.to_string()))?;
    doc.into_document()
}

// ---------------------------------------------------------------------------------------------------------------
// Output: borrowed views with hand-written Serialize, so no intermediate copies are made.

struct DocOut<'a>(&'a Document);
struct InfosOut<'a>(&'a [Info]);
struct InfoOut<'a>(&'a Info);
struct ItemsOut<'a>(&'a Items);
struct ItemOut<'a>(&'a Item);
struct PropertiesOut<'a>(&'a [Property]);
struct PropertyOut<'a>(&'a Property);
struct ListsOut<'a>(&'a [List]);
struct ListOut<'a>(&'a List);
struct Seq<'a, T, W>(&'a [T], fn(&'a T) -> W);

impl<'a, T, W: Serialize> Serialize for Seq<'a, T, W> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for element in self.0 {
            seq.serialize_element(&(self.1)(element))?;
        }
        seq.end()
    }
}

impl Serialize for DocOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let doc = self.0;
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("signature", &())?;
        map.serialize_entry("infos", &InfosOut(&doc.infos))?;
        map.serialize_entry("items", &doc.items.as_ref().map(ItemsOut))?;
        map.serialize_entry("id", &doc.id)?;
        map.serialize_entry("ttl", &doc.ttl.as_ref().map(|t| t.to_wire()))?;
        map.end()
    }
}

impl Serialize for InfosOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("info", &Seq(self.0, InfoOut))?;
        map.end()
    }
}

impl Serialize for InfoOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let info = self.0;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("value", &info.value)?;
        map.serialize_entry("id", &info.id)?;
        map.serialize_entry("type", &info.kind.map(InfoType::json))?;
        map.end()
    }
}

impl Serialize for ItemsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self.0;
        let paging = items.paging.as_ref();
        let text = |f: fn(&crate::document::Paging) -> String| paging.map(f);
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("item", &Seq(&items.item, ItemOut))?;
        map.serialize_entry("pagenumber", &text(|p| p.page_number.to_string()))?;
        map.serialize_entry("itemsnumber", &text(|p| p.items_number.to_string()))?;
        map.serialize_entry("totalpages", &text(|p| p.total_pages.to_string()))?;
        map.serialize_entry("totalitems", &text(|p| p.total_items.to_string()))?;
        map.serialize_entry("hasnext", &text(|p| p.has_next.to_wire().into_owned()))?;
        map.end()
    }
}

impl Serialize for ItemOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let item = self.0;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("property", &PropertiesOut(&item.properties))?;
        map.serialize_entry("list", &ListsOut(&item.lists))?;
        map.serialize_entry("type", &item.ty)?;
        map.end()
    }
}

impl Serialize for PropertiesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Seq(self.0, PropertyOut).serialize(s)
    }
}

impl Serialize for PropertyOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("value", &self.0.value)?;
        map.serialize_entry("name", &self.0.name)?;
        map.end()
    }
}

impl Serialize for ListsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Seq(self.0, ListOut).serialize(s)
    }
}

impl Serialize for ListOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let list = self.0;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("property", &PropertiesOut(&list.properties))?;
        map.serialize_entry("list", &ListsOut(&list.lists))?;
        map.serialize_entry("name", &list.name)?;
        map.end()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Input: owned mirrors, moved into the document.

#[derive(Deserialize)]
struct DocIn {
    #[serde(default)]
    infos: Option<InfosIn>,
    #[serde(default)]
    items: Option<ItemsIn>,
    #[serde(default, deserialize_with = "lenient_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "ttl")]
    ttl: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct InfosIn {
    #[serde(default)]
    info: Option<Vec<InfoIn>>,
}

#[derive(Deserialize)]
struct InfoIn {
    #[serde(default, deserialize_with = "lenient_text")]
    value: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient_text")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct ItemsIn {
    #[serde(default)]
    item: Option<Vec<ItemIn>>,
    #[serde(default, deserialize_with = "lenient_text")]
    pagenumber: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    itemsnumber: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    totalpages: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    totalitems: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    hasnext: Option<String>,
}

#[derive(Deserialize)]
struct ItemIn {
    #[serde(default)]
    property: Option<Vec<PropertyIn>>,
    #[serde(default)]
    list: Option<Vec<ListIn>>,
    #[serde(rename = "type", deserialize_with = "required_text")]
    ty: String,
}

#[derive(Deserialize)]
struct PropertyIn {
    #[serde(default, deserialize_with = "lenient_text")]
    value: Option<String>,
    #[serde(deserialize_with = "required_text")]
    name: String,
}

#[derive(Deserialize)]
struct ListIn {
    #[serde(default)]
    property: Option<Vec<PropertyIn>>,
    #[serde(default)]
    list: Option<Vec<ListIn>>,
    #[serde(deserialize_with = "required_text")]
    name: String,
}

impl DocIn {
    fn into_document(self) -> Result<Document, CodecError> {
        let mut infos = Vec::new();
        for info in self.infos.and_then(|i| i.info).unwrap_or_default() {
            let kind = match info.kind {
                None => None,
                Some(kind) => Some(
                    InfoType::parse(&kind)
                        .ok_or_else(|| CodecError::invalid("type", kind, "ERROR, WARNING or INFO"))?,
                ),
            };
            infos.push(Info { id: info.id, kind, value: info.value.unwrap_or_default() });
        }
        let items = match self.items {
            None => None,
            Some(items) => {
                let names = ["pagenumber", "itemsnumber", "totalpages", "totalitems", "hasnext"];
                let values =
                    vec![items.pagenumber, items.itemsnumber, items.totalpages, items.totalitems, items.hasnext];
                let paging = paging_from(&names, values)?;
                let mut item = Vec::new();
                for raw in items.item.unwrap_or_default() {
                    let (properties, lists) = members(raw.property, raw.list, 0)?;
                    item.push(Item { ty: raw.ty, properties, lists });
                }
                Some(Items { item, paging })
            }
        };
        Ok(Document { id: self.id, ttl: self.ttl, signature: None, infos, items })
    }
}

fn members(
    properties: Option<Vec<PropertyIn>>,
    lists: Option<Vec<ListIn>>,
    depth: usize,
) -> Result<(Vec<Property>, Vec<List>), CodecError> {
    let properties = properties
        .unwrap_or_default()
        .into_iter()
        .map(|p| Property { name: p.name, value: p.value.unwrap_or_default() })
        .collect();
    let mut out = Vec::new();
    for list in lists.unwrap_or_default() {
        if depth >= MAX_LIST_DEPTH {
            return Err(CodecError::Json(format!("lists nested deeper than {MAX_LIST_DEPTH}")));
        }
        let (inner_properties, inner_lists) = members(list.property, list.list, depth + 1)?;
        out.push(List { name: list.name, properties: inner_properties, lists: inner_lists });
    }
    Ok((properties, out))
}

/// A string, number or boolean read as text; `null` as `None`.
fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    lenient_text(d)?.ok_or_else(|| de::Error::custom("a name or type must not be null"))
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `ttl`: epoch milliseconds as a number or digit string, or a timestamp string.
fn ttl<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = lenient_text(d)? else {
        return Ok(None);
    };
    let parsed = match text.parse::<i64>() {
        Ok(millis) => Utc.timestamp_millis_opt(millis).single(),
        Err(_) => DateTime::<Utc>::parse_wire(&text),
    };
    parsed.map(Some).ok_or_else(|| de::Error::custom(format!("invalid ttl '{text}'")))
}
