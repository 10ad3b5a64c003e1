//! Product modules: create and update, with the licensing model checked and legacy names mapped.

use netlicensing_model::{
    codec::Form,
    entity::{Entity, ProductModule},
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
    /// Creates a product module of an existing product: `productNumber`, `name` and `licensingModel` are required.
    pub async fn create_product_module(&self, caller: &Caller, form: &Form) -> CoreResult<ProductModule> {
        caller.require(ProductModule::WRITE)?;
        let input = Input::new(form);
        let product_number = input.required("productNumber", "Product number is not provided")?;
        input.required("name", "Product module name is required")?;
        input.required("licensingModel", "Licensing model is required")?;
        let mut tx = self.store().write().await?;
        let product = find(tx.as_mut(), caller, Kind::Product, product_number).await?;
        let number = assign_number(tx.as_mut(), caller, Kind::ProductModule, input.text("number")).await?;
        let item = base_item(ProductModule::TYPE, &number, input.value("active")?.unwrap_or(true));
        let mut module: ProductModule = merge_form(item, form, &["number", "active", "productNumber"])?;
        current_model(&mut module)?;
        let links = Links { product: Some(Link { id: product.id, number: product.number }), ..Links::default() };
        let created = self.insert(tx.as_mut(), caller, &module, links).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a product module; it stays with its product.
    pub async fn update_product_module(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<ProductModule> {
        self.update_with(caller, number, form, &["productNumber"], |module: &mut ProductModule, _| {
            current_model(module)
        })
        .await
    }
}

/// Stores legacy licensing-model names (`TimeLimitedEvaluation`, `TimeVolume`, `FeatureWithTimeVolume`) as the
/// current model they stand for.
fn current_model(module: &mut ProductModule) -> CoreResult<()> {
    let model = module.licensing_model.ok_or_else(|| CoreError::Malformed("Licensing model is required".into()))?;
    module.licensing_model = Some(model.current());
    Ok(())
}
