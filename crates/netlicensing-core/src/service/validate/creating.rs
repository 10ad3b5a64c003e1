//! The licensee a validation would create for a number no licensee has (auto-create), with its product's
//! catalogue. The product's catalogue is cached under the product's number as well as its id, so a new
//! customer's first validation reads nothing while the product is unchanged: a burst of first validations
//! costs the store only the writes that create them.

use std::sync::Arc;

use netlicensing_model::entity::{Entity, Licensee, Product, ValidationParameters};

use super::{Catalogue, Licensing, RESERVED};
use crate::{
    VendorId,
    caller::Caller,
    error::{CoreError, CoreResult},
    record::Kind,
    repo::{Scope, Stamp, Tx},
    service::{Core, convert::to_entity, find, input::base_item},
};

/// What creating a licensee needs of its product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProductFacts {
    /// The product's id.
    pub(super) id: i64,
    /// Whether the product is active and creates licensees on validation (`licenseeAutoCreate`).
    creates_licensees: bool,
}

impl ProductFacts {
    /// The facts of a product read with that id.
    pub(super) fn of(id: i64, product: &Product) -> Self {
        Self { id, creates_licensees: product.active && product.licensee_auto_create == Some(true) }
    }
}

/// The key of a catalogue kept under its product's number (product ids are kept as their digits alone).
fn number_key(product_number: &str) -> String {
    format!("n/{product_number}")
}

impl Core {
    /// The licensee validation would create for the unknown `licensee_number` (when its product allows it),
    /// without licenses, with its product's catalogue (see [`Core::load`] for `stamp` and `known`).
    pub(super) async fn would_create(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
        stamp: Option<Stamp>,
        known: Option<Arc<Catalogue>>,
    ) -> CoreResult<Licensing> {
        caller.require_licensee(licensee_number)?;
        let product_number = product_number(params)?;
        let record = find(tx, caller, Kind::Product, product_number).await?;
        let product = ProductFacts::of(record.id, &to_entity::<Product>(Kind::Product, &record, Vec::new())?);
        let licensee = licensee_to_create(product, product_number, licensee_number, params)?;
        let catalogue = self.catalogue_of(tx, caller, &licensee, Some(product.id), stamp, known).await?;
        if let Some(stamp) = stamp {
            // Read in `tx` after `stamp`, or found current in the cache after it: the next new customer's first
            // validation finds it under the product's number.
            self.keep_by_number(caller.vendor, product_number, stamp, &catalogue);
        }
        Ok(Licensing::to_create(licensee, product.id, catalogue))
    }

    /// [`Core::would_create`] from the catalogue cached under the product's number, when there is one and its
    /// product is unchanged since it was read; `None` otherwise (the store is to be read).
    pub(super) fn would_create_cached(
        &self,
        caller: &Caller,
        licensee_number: &str,
        params: &ValidationParameters,
    ) -> CoreResult<Option<Licensing>> {
        let Some(product_number) = params.product_number.as_deref() else { return Ok(None) };
        let store = self.store();
        let fresh = |stamp, scopes: &[Scope]| store.unchanged(stamp, scopes);
        let Some(catalogue) = self.catalogues.get(caller.vendor, &number_key(product_number), fresh) else {
            return Ok(None);
        };
        let Some(product) = catalogue.product else { return Ok(None) };
        caller.require_licensee(licensee_number)?;
        let licensee = licensee_to_create(product, product_number, licensee_number, params)?;
        Ok(Some(Licensing::to_create(licensee, product.id, catalogue)))
    }

    /// Keeps a catalogue (current as of `stamp`) under its product's number too, when it knows its product.
    fn keep_by_number(&self, vendor: VendorId, product_number: &str, stamp: Stamp, catalogue: &Arc<Catalogue>) {
        if let Some(product) = catalogue.product {
            let scopes = vec![Scope::Catalogue(vendor, Some(product.id))];
            self.catalogues.put(vendor, &number_key(product_number), stamp, scopes, catalogue.clone());
        }
    }
}

/// The product a validation of an unknown licensee names, which it is created for.
fn product_number(params: &ValidationParameters) -> CoreResult<&str> {
    params.product_number.as_deref().ok_or_else(|| {
        CoreError::NotFound("Requested licensee does not exist and the productNumber is not provided".into())
    })
}

/// The licensee validation creates for an unknown number, when its product allows it.
fn licensee_to_create(
    product: ProductFacts,
    product_number: &str,
    number: &str,
    params: &ValidationParameters,
) -> CoreResult<Licensee> {
    if !product.creates_licensees {
        return Err(CoreError::NotFound(format!(
            "Requested licensee does not exist and product '{product_number}' does not create licensees"
        )));
    }
    crate::service::input::check_number(number)?;
    let mut item = base_item(Licensee::TYPE, number, true);
    item.push("productNumber", product_number);
    if let Some(name) = &params.licensee_name {
        item.push("name", name.as_str());
    }
    item.push("markedForTransfer", "false");
    for property in &params.licensee_properties {
        if !property.value.is_empty()
            && !RESERVED.contains(&property.name.as_str())
            && !Licensee::STANDARD.contains(&property.name.as_str())
        {
            item.properties.push(property.clone());
        }
    }
    Ok(Licensee::from_item(item)?)
}
