//! Products: create and update with volume discounts.

use netlicensing_model::{
    codec::Form,
    entity::{Discount, Entity, Product},
};

use super::{
    Core, Resource, assign_number,
    input::{Input, base_item, merge_form},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::Links,
};

/// Parameters handled outside the generic merge.
const SKIP: &[&str] = &["number", "active", "discount"];

impl Core {
    /// Creates a product: `name` is required; `active` defaults to true, `version` to empty,
    /// `licenseeAutoCreate` to false; repeated `discount` parameters give the discounts.
    pub async fn create_product(&self, caller: &Caller, form: &Form) -> CoreResult<Product> {
        caller.require(Product::WRITE)?;
        let input = Input::new(form);
        input.required("name", "Product name is required")?;
        let discounts = discounts(&input)?.unwrap_or_default();
        let mut tx = self.store().write().await?;
        let number = assign_number(tx.as_mut(), caller, Product::KIND, input.text("number")).await?;
        let mut item = base_item(Product::TYPE, &number, input.value("active")?.unwrap_or(true));
        item.push("version", "");
        item.push("licenseeAutoCreate", "false");
        let mut product: Product = merge_form(item, form, SKIP)?;
        product.discounts = discounts;
        let created = self.insert(tx.as_mut(), caller, &product, Links::default()).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a product. `discount` parameters replace every discount; a single empty `discount=` removes them
    /// all; without `discount` they stay.
    pub async fn update_product(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Product> {
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
