//! `licensingmodel/PricingTable/render`: a Pricing Table module's SKUs and offered plans, for its HTML export.

use netlicensing_model::{
    entity::{LicenseTemplate, ProductModule},
    pricing_table::{PricingPlan, PricingSku, PricingTable, SkuValue},
    types::LicensingModel,
};

use super::{Core, convert::to_entity, find};
use crate::{
    caller::{Caller, Permission},
    error::{CoreError, CoreResult},
    record::{Condition, Kind, LinkKind, Query},
    validation::models::pricing_table::{SkuType, feature_on, parse_skudef, parse_skus, quota_of},
};

impl Core {
    /// The Pricing Table of a module licensed under Pricing Table: the SKUs of its `skudef` and its plans (active
    /// templates that are not hidden, in the order they were created) with each SKU's value.
    pub async fn pricing_table(&self, caller: &Caller, module_number: &str) -> CoreResult<PricingTable> {
        caller.require(Permission::Read)?;
        if module_number.is_empty() {
            return Err(CoreError::Malformed("Product module number is not provided".into()));
        }
        let mut tx = self.store().read().await?;
        let record = find(tx.as_mut(), caller, Kind::ProductModule, module_number).await?;
        let module: ProductModule = to_entity(Kind::ProductModule, &record, Vec::new())?;
        if module.licensing_model != Some(LicensingModel::PricingTable) {
            return Err(CoreError::IllegalOperation(format!(
                "The product module '{module_number}' is not licensed under PricingTable"
            )));
        }
        let skudef = match module.skudef.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(text) => parse_skudef(text).map_err(CoreError::IllegalOperation)?,
            None => Vec::new(),
        };
        let query =
            Query::all(vec![Condition::Link(LinkKind::ProductModule, module.number.clone()), Condition::Active(true)]);
        let mut plans = Vec::new();
        for record in tx.list(caller.vendor, Kind::LicenseTemplate, &query).await?.records {
            let template: LicenseTemplate = to_entity(Kind::LicenseTemplate, &record, Vec::new())?;
            if template.hidden == Some(true) {
                continue;
            }
            let skus = template.skus.as_deref().and_then(|text| parse_skus(text).ok()).unwrap_or_default();
            let values = skudef
                .iter()
                .map(|sku| match (sku.sku_type, skus.iter().find(|(number, _)| *number == sku.number)) {
                    (SkuType::Feature, Some((_, value))) => SkuValue::Feature(feature_on(value)),
                    (SkuType::Quota, Some((_, value))) => quota_of(value).map_or(SkuValue::None, SkuValue::Quota),
                    (_, None) => SkuValue::None,
                })
                .collect();
            let price = match (template.price, template.currency) {
                (Some(price), Some(currency)) => Some(format!("{price} {currency}")),
                (Some(price), None) => Some(price.to_string()),
                _ => None,
            };
            plans.push(PricingPlan {
                name: template.name.clone().unwrap_or_else(|| template.number.clone()),
                number: template.number,
                description: template.description,
                price,
                values,
            });
        }
        let skus = skudef
            .into_iter()
            .map(|sku| PricingSku { number: sku.number, name: sku.name, quota: sku.sku_type == SkuType::Quota })
            .collect();
        Ok(PricingTable { skus, plans })
    }
}
