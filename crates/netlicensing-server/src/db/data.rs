//! The `data` column: a record's ordered properties and lists as compact JSON text.

use netlicensing_model::{List, Property};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Default)]
struct Data {
    #[serde(default, rename = "p")]
    properties: Vec<(String, String)>,
    #[serde(default, rename = "l", skip_serializing_if = "Vec::is_empty")]
    lists: Vec<ListData>,
}

#[derive(Serialize, Deserialize)]
struct ListData {
    #[serde(rename = "n")]
    name: String,
    #[serde(default, rename = "p")]
    properties: Vec<(String, String)>,
    #[serde(default, rename = "l", skip_serializing_if = "Vec::is_empty")]
    lists: Vec<ListData>,
}

/// Writes properties and lists as the column text.
pub fn encode(properties: &[Property], lists: &[List]) -> String {
    let data = Data { properties: pairs(properties), lists: lists.iter().map(list_data).collect() };
    serde_json::to_string(&data).unwrap_or_else(|_| "{}".into())
}

/// Reads the column text.
pub fn decode(text: &str) -> Result<(Vec<Property>, Vec<List>), serde_json::Error> {
    let data: Data = serde_json::from_str(text)?;
    Ok((properties(data.properties), data.lists.into_iter().map(list).collect()))
}

fn pairs(properties: &[Property]) -> Vec<(String, String)> {
    properties.iter().map(|p| (p.name.clone(), p.value.clone())).collect()
}

fn properties(pairs: Vec<(String, String)>) -> Vec<Property> {
    pairs.into_iter().map(|(name, value)| Property { name, value }).collect()
}

fn list_data(list: &List) -> ListData {
    ListData {
        name: list.name.clone(),
        properties: pairs(&list.properties),
        lists: list.lists.iter().map(list_data).collect(),
    }
}

fn list(data: ListData) -> List {
    List { name: data.name, properties: properties(data.properties), lists: data.lists.into_iter().map(list).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut discount = List::new("discount");
        discount.push("totalPrice", "10.00");
        discount.lists.push(List::new("inner"));
        let properties = vec![Property::new("b", "2"), Property::new("a", "\"1\"")];
        let text = encode(&properties, std::slice::from_ref(&discount));
        assert_eq!(decode(&text).unwrap(), (properties, vec![discount]));
    }
}
