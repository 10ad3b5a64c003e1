//! Items of the utility service: countries, license types, licensing models.

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{LicenseType, LicensingModel, Percent},
};

use super::{Entity, ItemReader, ItemWriter};

/// A country (`item type="Country"`), for VAT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// English name in upper case.
    pub name: String,
    /// VAT rate; written empty when unknown.
    pub vat_percent: Option<Percent>,
    /// Member of the European Union.
    pub is_eu: bool,
    /// Further properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for Country {
    const TYPE: &'static str = "Country";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            code: r.required_text("code")?,
            name: r.required_text("name")?,
            vat_percent: r.value("vatPercent")?,
            is_eu: r.required("isEu")?,
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        let mut w = ItemWriter::new();
        w.put("code", &self.code).put("name", &self.name);
        match &self.vat_percent {
            Some(vat) => w.put("vatPercent", vat),
            None => w.put("vatPercent", &String::new()),
        };
        w.put("isEu", &self.is_eu).custom(&self.custom).finish(Self::TYPE)
    }
}

/// A license type of the utility list (`item type="LicenseType"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseTypeItem {
    /// The license type.
    pub name: LicenseType,
}

impl Entity for LicenseTypeItem {
    const TYPE: &'static str = "LicenseType";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        Ok(Self { name: ItemReader::new(item, Self::TYPE)?.required("name")? })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new().put("name", &self.name).finish(Self::TYPE)
    }
}

/// A licensing model of the utility list (`item type="LicensingModelProperties"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicensingModelItem {
    /// The licensing model.
    pub name: LicensingModel,
}

impl Entity for LicensingModelItem {
    const TYPE: &'static str = "LicensingModelProperties";

    fn from_item(item: Item) -> Result<Self, CodecError> {
        Ok(Self { name: ItemReader::new(item, Self::TYPE)?.required("name")? })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new().put("name", &self.name).finish(Self::TYPE)
    }
}
