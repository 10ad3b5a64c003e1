//! Product modules: create and update, with the licensing model checked and legacy names mapped.

use netlicensing_model::{codec::Form, entity::ProductModule, types::LicensingModel};

use super::{Core, CreateSpec};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::LinkKind,
    validation::models::pricing_table,
};

/// The longest Floating check-out a module may allow, in seconds: [`crate::time_volume::MAX_YEARS`] years.
pub const MAX_CHECKOUT_VALIDITY: u64 = crate::time_volume::MAX_YEARS as u64 * 366 * 24 * 3600;

impl Core {
    /// Creates a product module of an existing product: `productNumber`, `name` and `licensingModel` are required.
    pub async fn create_product_module(&self, caller: &Caller, form: &Form) -> CoreResult<ProductModule> {
        let spec = CreateSpec {
            parent: Some((LinkKind::Product, "productNumber", "Product number is not provided")),
            required: &[("name", "Product module name is required"), ("licensingModel", "Licensing model is required")],
            defaults: &[],
            skip: &[],
        };
        self.create_with(caller, form, spec, |module: &mut ProductModule, _, _| current_model(module)).await
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
/// current model they stand for; a Pricing Table's SKU definition must be readable.
fn current_model(module: &mut ProductModule) -> CoreResult<()> {
    let model = module.licensing_model.ok_or_else(|| CoreError::Malformed("Licensing model is required".into()))?;
    if let Some(seconds) = module.max_checkout_validity.filter(|s| *s > MAX_CHECKOUT_VALIDITY) {
        return Err(CoreError::Malformed(format!(
            "maxCheckoutValidity {seconds} exceeds the longest accepted check-out ({MAX_CHECKOUT_VALIDITY} seconds, \
             {} years)",
            crate::time_volume::MAX_YEARS
        )));
    }
    module.licensing_model = Some(model.current());
    if model == LicensingModel::PricingTable
        && let Some(skudef) = module.skudef.as_deref().filter(|s| !s.trim().is_empty())
    {
        pricing_table::parse_skudef(skudef).map_err(CoreError::Malformed)?;
    }
    Ok(())
}
