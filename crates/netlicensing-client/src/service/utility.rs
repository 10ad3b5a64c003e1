//! `utility`: license types, licensing models, countries.

use netlicensing_model::{
    codec::Form,
    entity::{Country, LicenseTypeItem, LicensingModelItem},
    types::{LicenseType, LicensingModel},
};

use crate::{Context, Filter, Page, Result};

/// The service's fixed lists.
#[derive(Debug, Clone, Copy)]
pub struct UtilityService<'a> {
    context: &'a Context,
}

impl<'a> UtilityService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// The license types (`FEATURE`, `TIMEVOLUME` ...).
    pub async fn license_types(self) -> Result<Page<LicenseType>> {
        let answer = self.context.get(&["utility", "licenseTypes"], &Form::new()).await?;
        Ok(super::page::<LicenseTypeItem>(answer)?.map(|item| item.name))
    }

    /// The licensing models (`Subscription`, `Floating` ...).
    pub async fn licensing_models(self) -> Result<Page<LicensingModel>> {
        let answer = self.context.get(&["utility", "licensingModels"], &Form::new()).await?;
        Ok(super::page::<LicensingModelItem>(answer)?.map(|item| item.name))
    }

    /// One page of countries with their VAT rates, matching the filter (e.g. `code`).
    pub async fn countries(self, filter: &Filter) -> Result<Page<Country>> {
        let answer = self.context.get(&["utility", "countries"], &super::filter_query(filter)).await?;
        super::page(answer)
    }
}
