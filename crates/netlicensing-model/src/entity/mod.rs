//! Typed entities, converted to and from the generic [`Item`].
//!
//! Each entity reads its standard properties by wire name and keeps every other property, in order, as a custom
//! property; writing puts the standard properties first (in the service's order), then the custom ones, then the
//! lists. A malformed value or an unknown enum spelling is a [`CodecError`] naming the property.

mod branding;
mod bundle;
mod license;
mod license_template;
mod licensee;
mod notification;
mod payment_method;
mod product;
mod product_module;
mod token;
mod transaction;
mod utility;
mod validation;

pub use branding::Branding;
pub use bundle::Bundle;
pub use license::License;
pub use license_template::LicenseTemplate;
pub use licensee::{Licensee, WarningLevelSummary};
pub use notification::{Notification, NotificationDelivery};
pub use payment_method::PaymentMethod;
pub use product::{Discount, DiscountAmount, Product};
pub use product_module::ProductModule;
pub use token::Token;
pub use transaction::{LicenseTransactionJoin, Transaction};
pub use utility::{Country, LicenseTypeItem, LicensingModelItem};
pub use validation::{
    MAX_MODULE_INDEX, ModuleParameters, OfflineLicensee, ProductModuleValidation, ValidationParameters,
    ValidationResult,
};

use crate::{
    codec::Form,
    document::{Document, Item, List, Property},
    error::CodecError,
    types::WireValue,
};

/// An entity that travels as one `item` of a fixed type.
pub trait Entity: Sized {
    /// The item `type`, e.g. `Product`.
    const TYPE: &'static str;

    /// Reads the entity from an item of its type.
    fn from_item(item: Item) -> Result<Self, CodecError>;

    /// Writes the entity as an item.
    fn to_item(&self) -> Item;

    /// Wire names of the standard properties (every other name is a custom property), input spellings included.
    const STANDARD: &'static [&'static str] = &[];

    /// Properties the service computes, never sent on create or update.
    const READ_ONLY: &'static [&'static str] = &["inUse"];

    /// The entity as create/update form parameters: its properties without the read-only ones (entities with
    /// lists add them in their own spelling).
    fn to_form(&self) -> Form {
        let item = self.to_item();
        item.properties
            .into_iter()
            .filter(|p| !Self::READ_ONLY.contains(&p.name.as_str()))
            .map(|p| (p.name, p.value))
            .collect()
    }

    /// Reads every item of this type from a document, in order; items of other types are skipped.
    fn all_from(doc: Document) -> Result<Vec<Self>, CodecError> {
        doc.into_items().into_iter().filter(|item| item.ty == Self::TYPE).map(Self::from_item).collect()
    }

    /// Reads the single entity of a get/create/update answer: the first item of this type.
    fn one_from(doc: Document) -> Result<Self, CodecError> {
        let item = doc.into_items().into_iter().find(|item| item.ty == Self::TYPE);
        Self::from_item(item.ok_or_else(|| CodecError::WrongItemType { expected: Self::TYPE, found: "none".into() })?)
    }
}

/// Takes typed properties out of an item by name; what is left over is the item's custom properties.
pub struct ItemReader {
    properties: Vec<Property>,
    taken: Vec<bool>,
    lists: Vec<List>,
}

impl ItemReader {
    /// Starts reading an item that must be of type `ty`.
    pub fn new(item: Item, ty: &'static str) -> Result<Self, CodecError> {
        if item.ty != ty {
            return Err(CodecError::WrongItemType { expected: ty, found: item.ty });
        }
        Ok(Self::from_parts(item.properties, item.lists))
    }

    /// Starts reading loose properties and lists (of a `list`, say).
    pub fn from_parts(properties: Vec<Property>, lists: Vec<List>) -> Self {
        let taken = vec![false; properties.len()];
        Self { properties, taken, lists }
    }

    /// Takes the text of the first untaken property with one of the names.
    pub fn text_any(&mut self, names: &[&str]) -> Option<(String, String)> {
        for name in names {
            let found = self.properties.iter().enumerate().position(|(i, p)| !self.taken[i] && p.name == *name);
            if let Some(i) = found {
                self.taken[i] = true;
                let value = std::mem::take(&mut self.properties[i].value);
                return Some(((*name).to_owned(), value));
            }
        }
        None
    }

    /// Takes the text of a property.
    pub fn text(&mut self, name: &str) -> Option<String> {
        self.text_any(&[name]).map(|(_, value)| value)
    }

    /// Takes a text property that must be present.
    pub fn required_text(&mut self, name: &str) -> Result<String, CodecError> {
        self.text(name).ok_or_else(|| CodecError::missing(name))
    }

    /// Takes a typed property under any of its spellings; empty text reads as absent.
    pub fn value_any<T: WireValue>(&mut self, names: &[&str]) -> Result<Option<T>, CodecError> {
        match self.text_any(names) {
            None => Ok(None),
            Some((_, text)) if text.is_empty() => Ok(None),
            Some((name, text)) => T::parse_property(&name, &text).map(Some),
        }
    }

    /// Takes a typed property; empty text reads as absent.
    pub fn value<T: WireValue>(&mut self, name: &str) -> Result<Option<T>, CodecError> {
        self.value_any(&[name])
    }

    /// Takes a typed property that must be present.
    pub fn required<T: WireValue>(&mut self, name: &str) -> Result<T, CodecError> {
        self.value(name)?.ok_or_else(|| CodecError::missing(name))
    }

    /// Takes a comma-separated list (`LT1,LT2`), de-duplicated in order; empty text is an empty list.
    pub fn comma_list<T: WireValue + PartialEq>(&mut self, names: &[&str]) -> Result<Option<Vec<T>>, CodecError> {
        let Some((name, text)) = self.text_any(names) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
            let value = T::parse_property(&name, part)?;
            if !out.contains(&value) {
                out.push(value);
            }
        }
        Ok(Some(out))
    }

    /// Takes every list of that name, in order.
    pub fn lists(&mut self, name: &str) -> Vec<List> {
        let (named, rest) = std::mem::take(&mut self.lists).into_iter().partition(|list| list.name == name);
        self.lists = rest;
        named
    }

    /// The properties not taken, in order: the custom properties.
    pub fn custom(&mut self) -> Vec<Property> {
        let taken = std::mem::take(&mut self.taken);
        std::mem::take(&mut self.properties).into_iter().zip(taken).filter(|(_, t)| !t).map(|(p, _)| p).collect()
    }

    /// The lists not taken, in order.
    pub fn other_lists(&mut self) -> Vec<List> {
        std::mem::take(&mut self.lists)
    }
}

/// Builds an item property by property.
pub struct ItemWriter {
    properties: Vec<Property>,
    lists: Vec<List>,
}

impl ItemWriter {
    /// Starts an empty item.
    pub fn new() -> Self {
        Self { properties: Vec::with_capacity(16), lists: Vec::new() }
    }

    /// Writes a typed value.
    pub fn put<T: WireValue>(&mut self, name: &str, value: &T) -> &mut Self {
        self.properties.push(Property::new(name, value.to_wire()));
        self
    }

    /// Writes a typed value when present.
    pub fn opt<T: WireValue>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.put(name, value);
        }
        self
    }

    /// Writes a comma-separated list when present.
    pub fn comma_list<T: WireValue>(&mut self, name: &str, values: &Option<Vec<T>>) -> &mut Self {
        if let Some(values) = values {
            let text: Vec<_> = values.iter().map(WireValue::to_wire).collect();
            self.properties.push(Property::new(name, text.join(",")));
        }
        self
    }

    /// Appends custom properties as they are.
    pub fn custom(&mut self, properties: &[Property]) -> &mut Self {
        self.properties.extend_from_slice(properties);
        self
    }

    /// Appends a list.
    pub fn list(&mut self, list: List) -> &mut Self {
        self.lists.push(list);
        self
    }

    /// Appends lists as they are.
    pub fn lists(&mut self, lists: &[List]) -> &mut Self {
        self.lists.extend_from_slice(lists);
        self
    }

    /// The finished item of type `ty`.
    pub fn finish(&mut self, ty: &str) -> Item {
        Item {
            ty: ty.to_owned(),
            properties: std::mem::take(&mut self.properties),
            lists: std::mem::take(&mut self.lists),
        }
    }

    /// The finished properties and lists, for a `list`.
    pub fn finish_list(&mut self, name: &str) -> List {
        List {
            name: name.to_owned(),
            properties: std::mem::take(&mut self.properties),
            lists: std::mem::take(&mut self.lists),
        }
    }
}

impl Default for ItemWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// The value of a custom property by name.
pub fn custom_property<'a>(custom: &'a [Property], name: &str) -> Option<&'a str> {
    custom.iter().find(|p| p.name == name).map(|p| p.value.as_str())
}

#[cfg(test)]
mod tests;
