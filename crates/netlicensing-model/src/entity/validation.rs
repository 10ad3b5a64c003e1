//! Validation: the parameters of `licensee/{number}/validate` and its result.

use chrono::{DateTime, Utc};

use crate::{
    codec::{Form, form::split_index},
    document::{Document, Info, Item, List, Property},
    error::CodecError,
    types::{LicensingModel, WarningLevel, WireValue},
};

use super::{Entity, ItemReader, ItemWriter};

/// Highest accepted module index in `productModuleNumber<N>`.
pub const MAX_MODULE_INDEX: u32 = 999;

/// Request parameters that belong to the licensee, not to a module.
const LICENSEE_KEYS: &[&str] = &["productNumber", "licenseeName", "licenseeSecret", "dryRun", "forOfflineUse"];

/// Module parameters that clients also send without an index (taken as module 0 when no index is used).
const UNINDEXED_MODULE_KEYS: &[&str] = &[
    "sessionId",
    "action",
    "nodeSecret",
    "usedQuantity",
    "reserveQuantity",
    "paygUsedQuantity",
    "maxCheckoutValidity",
];

/// Parameters of a validate call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationParameters {
    /// Product of the licensee; needed when validate may create the licensee.
    pub product_number: Option<String>,
    /// Name for a licensee that validate creates.
    pub licensee_name: Option<String>,
    /// Deprecated licensee secret.
    pub licensee_secret: Option<String>,
    /// Custom properties for a licensee that validate creates, in order.
    pub licensee_properties: Vec<Property>,
    /// Validate without side effects.
    pub dry_run: bool,
    /// Extend the answer for offline use (adds the licensee item).
    pub for_offline_use: bool,
    /// Per-module parameters, in index order.
    pub modules: Vec<ModuleParameters>,
}

/// Parameters for one product module (`productModuleNumber<N>` with `<name><N>` for each parameter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleParameters {
    /// The module.
    pub product_module_number: String,
    /// Parameters by name without index (`sessionId`, `action`, `nodeSecret`, `usedQuantity` ...), in order.
    pub parameters: Vec<Property>,
}

impl ModuleParameters {
    /// Parameters for a module.
    pub fn new(product_module_number: impl Into<String>) -> Self {
        Self { product_module_number: product_module_number.into(), parameters: Vec::new() }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push(Property::new(name, value));
        self
    }

    /// The value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.parameters.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }
}

impl ValidationParameters {
    /// The parameters as the official clients send them: licensee parameters first, `dryRun` / `forOfflineUse`
    /// only when true, then `productModuleNumber<i>` followed by `<name><i>` per module.
    pub fn to_form(&self) -> Form {
        let mut form = Form::new();
        form.push_opt("productNumber", self.product_number.as_deref())
            .push_opt("licenseeName", self.licensee_name.as_deref())
            .push_opt("licenseeSecret", self.licensee_secret.as_deref());
        for property in &self.licensee_properties {
            form.push(property.name.as_str(), property.value.as_str());
        }
        if self.dry_run {
            form.push("dryRun", "true");
        }
        if self.for_offline_use {
            form.push("forOfflineUse", "true");
        }
        for (i, module) in self.modules.iter().enumerate() {
            form.push(format!("productModuleNumber{i}"), module.product_module_number.as_str());
            for parameter in &module.parameters {
                form.push(format!("{}{i}", parameter.name), parameter.value.as_str());
            }
        }
        form
    }

    /// Reads the parameters of a validate request. A key `<name><N>` belongs to module N when
    /// `productModuleNumber<N>` is present, and is a licensee property otherwise. Without any indexed module,
    /// an unindexed `productModuleNumber` with unindexed module parameters is module 0.
    pub fn from_form(form: &Form) -> Result<Self, CodecError> {
        let mut params = Self {
            product_number: non_empty(form.get("productNumber")),
            licensee_name: non_empty(form.get("licenseeName")),
            licensee_secret: non_empty(form.get("licenseeSecret")),
            dry_run: flag(form, "dryRun")?,
            for_offline_use: flag(form, "forOfflineUse")?,
            ..Self::default()
        };
        let mut indexes: Vec<u32> = Vec::new();
        for (key, value) in form.pairs() {
            // One rule for every index: `productModuleNumber` followed by digits names a module index from 0 to
            // 999 (no leading zero), however many digits it has.
            let digits = key.strip_prefix("productModuleNumber").filter(|d| !d.is_empty());
            if let Some(digits) = digits.filter(|d| d.bytes().all(|b| b.is_ascii_digit())) {
                let canonical = digits.len() == 1 || !digits.starts_with('0');
                if !canonical || !digits.parse::<u32>().is_ok_and(|index| index <= MAX_MODULE_INDEX) {
                    return Err(CodecError::invalid(key, value, "a module index from 0 to 999"));
                }
            }
            if let Some(("productModuleNumber", index)) = split_index(key)
                && !indexes.contains(&index)
                && !value.is_empty()
            {
                indexes.push(index);
                params.modules.push(ModuleParameters::new(value));
            }
        }
        let unindexed = indexes.is_empty() && non_empty(form.get("productModuleNumber")).is_some();
        if let Some(number) = form.get("productModuleNumber").filter(|_| unindexed) {
            params.modules.push(ModuleParameters::new(number));
        }
        for (key, value) in form.pairs() {
            if LICENSEE_KEYS.contains(&key) || key == "productModuleNumber" {
                continue;
            }
            let module = split_index(key)
                .filter(|(name, _)| *name != "productModuleNumber")
                .and_then(|(name, i)| indexes.iter().position(|known| *known == i).map(|position| (name, position)));
            match module {
                Some((name, position)) => params.modules[position].parameters.push(Property::new(name, value)),
                None if unindexed && UNINDEXED_MODULE_KEYS.contains(&key) => {
                    params.modules[0].parameters.push(Property::new(key, value));
                }
                None if split_index(key).is_some_and(|(name, _)| name == "productModuleNumber") => {}
                None => params.licensee_properties.push(Property::new(key, value)),
            }
        }
        let mut order: Vec<usize> = (0..params.modules.len()).collect();
        if !unindexed {
            order.sort_by_key(|position| indexes[*position]);
        }
        let mut modules: Vec<Option<ModuleParameters>> = params.modules.into_iter().map(Some).collect();
        params.modules = order.into_iter().filter_map(|position| modules[position].take()).collect();
        Ok(params)
    }

    /// The parameters given for a module, if any.
    pub fn module(&self, product_module_number: &str) -> Option<&ModuleParameters> {
        self.modules.iter().find(|m| m.product_module_number == product_module_number)
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_owned)
}

fn flag(form: &Form, key: &str) -> Result<bool, CodecError> {
    match form.get(key) {
        None | Some("") => Ok(false),
        Some(text) => bool::parse_property(key, text),
    }
}

/// The answer of a validate call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationResult {
    /// Until when the result may be cached.
    pub ttl: Option<DateTime<Utc>>,
    /// Warnings and errors that came with the result.
    pub infos: Vec<Info>,
    /// The licensee item of an offline (`forOfflineUse`) answer.
    pub licensee: Option<OfflineLicensee>,
    /// One result per product module of the licensee's product.
    pub modules: Vec<ProductModuleValidation>,
}

impl ValidationResult {
    /// Reads a validate answer.
    pub fn from_document(doc: Document) -> Result<Self, CodecError> {
        let mut result = Self { ttl: doc.ttl, infos: doc.infos, ..Self::default() };
        for item in doc.items.map(|items| items.item).unwrap_or_default() {
            match item.ty.as_str() {
                OfflineLicensee::TYPE => result.licensee = Some(OfflineLicensee::from_item(item)?),
                ProductModuleValidation::TYPE => result.modules.push(ProductModuleValidation::from_item(item)?),
                _ => {
                    return Err(CodecError::WrongItemType { expected: ProductModuleValidation::TYPE, found: item.ty });
                }
            }
        }
        Ok(result)
    }

    /// Writes the answer: the licensee item first (offline answers), then the module results.
    pub fn to_document(&self) -> Document {
        let mut items: Vec<Item> = self.licensee.iter().map(Entity::to_item).collect();
        items.extend(self.modules.iter().map(Entity::to_item));
        let mut doc = Document::with_items(items);
        doc.ttl = self.ttl;
        doc.infos = self.infos.clone();
        doc
    }

    /// The result for a module.
    pub fn module(&self, product_module_number: &str) -> Option<&ProductModuleValidation> {
        self.modules.iter().find(|m| m.product_module_number == product_module_number)
    }
}

/// The result of one product module (`item type="ProductModuleValidation"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductModuleValidation {
    /// The module.
    pub product_module_number: String,
    /// Its name.
    pub product_module_name: Option<String>,
    /// Its licensing model.
    pub licensing_model: Option<LicensingModel>,
    /// Overall validity (models that report per feature carry it in each list instead).
    pub valid: Option<bool>,
    /// Warning level of the module.
    pub warning_level: Option<WarningLevel>,
    /// The model's own result properties (`expires`, `evaluation`, `remainingQuantity` ...), in order.
    pub properties: Vec<Property>,
    /// The model's per-feature or per-SKU results, in order.
    pub lists: Vec<List>,
}

impl ProductModuleValidation {
    /// The value of one of the model's result properties.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }

    /// The list of that name (a feature, a license or a SKU).
    pub fn list(&self, name: &str) -> Option<&List> {
        self.lists.iter().find(|l| l.name == name)
    }
}

impl Entity for ProductModuleValidation {
    const TYPE: &'static str = "ProductModuleValidation";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            product_module_number: r.required_text("productModuleNumber")?,
            product_module_name: r.text("productModuleName"),
            licensing_model: r.value("licensingModel")?,
            valid: r.value("valid")?,
            warning_level: r.value("warningLevel")?,
            properties: r.custom(),
            lists: r.other_lists(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("productModuleNumber", &self.product_module_number)
            .opt("valid", &self.valid)
            .custom(&self.properties)
            .opt("productModuleName", &self.product_module_name)
            .opt("warningLevel", &self.warning_level)
            .opt("licensingModel", &self.licensing_model)
            .lists(&self.lists)
            .finish(Self::TYPE)
    }
}

/// The licensee item of an offline validate answer: its number and custom properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineLicensee {
    /// Licensee number (`licenseeNumber`; older answers say `number`).
    pub number: String,
    /// The licensee's custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for OfflineLicensee {
    const TYPE: &'static str = "Licensee";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        let (_, number) =
            r.text_any(&["licenseeNumber", "number"]).ok_or_else(|| CodecError::missing("licenseeNumber"))?;
        Ok(Self { number, custom: r.custom() })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new().put("licenseeNumber", &self.number).custom(&self.custom).finish(Self::TYPE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_round_trip_through_the_client_form() {
        let params = ValidationParameters {
            product_number: Some("P1".into()),
            licensee_name: Some("Jo".into()),
            licensee_properties: vec![Property::new("someLicenseeProperty", "Z")],
            dry_run: true,
            modules: vec![
                ModuleParameters::new("PM1").with("sessionId", "s1").with("action", "checkOut"),
                ModuleParameters::new("PM2").with("nodeSecret", "n"),
            ],
            ..ValidationParameters::default()
        };
        let form = params.to_form();
        assert_eq!(
            form.encode(),
            "productNumber=P1&licenseeName=Jo&someLicenseeProperty=Z&dryRun=true&productModuleNumber0=PM1\
             &sessionId0=s1&action0=checkOut&productModuleNumber1=PM2&nodeSecret1=n"
        );
        assert_eq!(ValidationParameters::from_form(&form).unwrap(), params);
    }

    #[test]
    fn index_without_module_is_a_licensee_property_and_order_follows_index() {
        let form = Form::parse("productModuleNumber3=B&x3=1&productModuleNumber1=A&y1=2&zip9=9&crm=7");
        let params = ValidationParameters::from_form(&form).unwrap();
        let numbers: Vec<_> = params.modules.iter().map(|m| m.product_module_number.as_str()).collect();
        assert_eq!(numbers, ["A", "B"]);
        assert_eq!(params.module("A").and_then(|m| m.get("y")), Some("2"));
        assert_eq!(params.module("B").and_then(|m| m.get("x")), Some("1"));
        let names: Vec<_> = params.licensee_properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["zip9", "crm"]);
    }

    #[test]
    fn unindexed_module_parameters_are_module_zero() {
        let form = Form::parse("productModuleNumber=M&nodeSecret=abc&note=x");
        let params = ValidationParameters::from_form(&form).unwrap();
        assert_eq!(params.modules, [ModuleParameters::new("M").with("nodeSecret", "abc")]);
        assert_eq!(params.licensee_properties, [Property::new("note", "x")]);
    }

    #[test]
    fn bad_flags_and_huge_indexes_are_errors() {
        let err = ValidationParameters::from_form(&Form::parse("dryRun=yes")).unwrap_err();
        assert_eq!(err.property(), Some("dryRun"));
        let err = ValidationParameters::from_form(&Form::parse("productModuleNumber4294967295=M")).unwrap_err();
        assert_eq!(err.property(), Some("productModuleNumber4294967295"));
        // One rule however many digits: an index too long for any integer is refused as 1000 is, not ignored.
        let long = format!("productModuleNumber{}=M", "9".repeat(10_000));
        assert!(ValidationParameters::from_form(&Form::parse(&long)).is_err());
        for key in ["productModuleNumber1000", "productModuleNumber01", "productModuleNumber99999999999999999999"] {
            assert!(ValidationParameters::from_form(&Form::parse(&format!("{key}=M"))).is_err(), "{key}");
        }
        assert!(
            ValidationParameters::from_form(&Form::parse("productModuleNumber999=M&productModuleNumber0=N")).is_ok()
        );
    }
}
