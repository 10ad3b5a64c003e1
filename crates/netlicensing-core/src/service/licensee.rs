//! Licensees: create and update.

use netlicensing_model::{
    codec::Form,
    entity::{Entity, Licensee},
};

use super::{
    Core, Resource, assign_number, find,
    input::{Input, base_item, merge_form},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Link, Links},
};

impl Core {
    /// Creates a licensee of an active product: `productNumber` is required; `active` defaults to true and
    /// `markedForTransfer` to false.
    pub async fn create_licensee(&self, caller: &Caller, form: &Form) -> CoreResult<Licensee> {
        caller.require(Licensee::WRITE)?;
        let input = Input::new(form);
        let product_number = input.required("productNumber", "Product number is not provided")?;
        let mut tx = self.store().write().await?;
        let product = find(tx.as_mut(), caller, Kind::Product, product_number).await?;
        if !product.active {
            return Err(CoreError::IllegalOperation(format!("The product '{product_number}' is not active")));
        }
        let number = assign_number(tx.as_mut(), caller, Kind::Licensee, input.text("number")).await?;
        let mut item = base_item(Licensee::TYPE, &number, input.value("active")?.unwrap_or(true));
        item.push("markedForTransfer", "false");
        let licensee: Licensee = merge_form(item, form, &["number", "active", "productNumber"])?;
        let links = Links { product: Some(Link { id: product.id, number: product.number }), ..Links::default() };
        let created = self.insert(tx.as_mut(), caller, &licensee, links).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a licensee; it stays with its product.
    pub async fn update_licensee(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Licensee> {
        self.update_with(caller, number, form, &["productNumber"], |_: &mut Licensee, _| Ok(())).await
    }
}
