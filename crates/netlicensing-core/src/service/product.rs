//! Products: create and update with volume discounts.

use netlicensing_model::{
    codec::Form,
    entity::{Discount, Product},
};

use super::{Core, CreateSpec, Resource, input::Input};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
};

impl Core {
    /// Creates a product: `name` is required; `active` defaults to true, `version` to empty,
    /// `licenseeAutoCreate` to false; repeated `discount` parameters give the discounts.
    pub async fn create_product(&self, caller: &Caller, form: &Form) -> CoreResult<Product> {
        let spec = CreateSpec {
            parent: None,
            required: &[("name", "Product name is required")],
            defaults: &[("version", ""), ("licenseeAutoCreate", "false")],
            skip: &["discount"],
        };
        self.create_with(caller, form, spec, |product: &mut Product, input, _| {
            product.discounts = discounts(input)?.unwrap_or_default();
            Ok(())
        })
        .await
    }

    /// Updates a product. `discount` parameters replace every discount; a single empty `discount=` removes them
    /// all; without `discount` they stay.
    pub async fn update_product(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Product> {
        caller.require(Product::WRITE)?;
        let discounts = discounts(&Input::new(form))?;
        self.update_with(caller, number, form, &["discount"], |product: &mut Product, _| {
            if let Some(discounts) = discounts {
                product.discounts = discounts;
            }
            Ok(())
        })
        .await
    }
}

/// The discounts of a request: `None` without `discount` parameters, empty for a single empty one.
fn discounts(input: &Input<'_>) -> CoreResult<Option<Vec<Discount>>> {
    let values: Vec<&str> = input.form().get_all("discount").collect();
    if values.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for value in values.into_iter().filter(|v| !v.trim().is_empty()) {
        let discount =
            Discount::parse_form(value).map_err(|e| CoreError::Malformed(format!("Malformed discount: {e}")))?;
        out.push(discount);
    }
    if out.len() > 100 {
        return Err(CoreError::Malformed("A product may have at most 100 discounts".into()));
    }
    Ok(Some(out))
}
