//! `licensetemplate`: list, get, create, update, delete.

use netlicensing_model::entity::LicenseTemplate;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "licensetemplate";

/// License templates: what licenses are made from.
#[derive(Debug, Clone, Copy)]
pub struct LicenseTemplateService<'a> {
    context: &'a Context,
}

impl<'a> LicenseTemplateService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of license templates matching the filter (e.g. `productModuleNumber`).
    pub async fn list(self, filter: &Filter) -> Result<Page<LicenseTemplate>> {
        super::list(self.context, PATH, filter).await
    }

    /// The license template with that number.
    pub async fn get(self, number: &str) -> Result<LicenseTemplate> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a template of the module `product_module_number` (it replaces `template.product_module_number`).
    pub async fn create(self, product_module_number: &str, template: &LicenseTemplate) -> Result<LicenseTemplate> {
        let mut form = super::entity_form(template);
        super::set(&mut form, "productModuleNumber", product_module_number);
        super::create(self.context, PATH, &form).await
    }

    /// Updates the license template `number` with the given properties.
    pub async fn update(self, number: &str, template: &LicenseTemplate) -> Result<LicenseTemplate> {
        super::update(self.context, PATH, number, &super::entity_form(template)).await
    }

    /// Deletes the license template; `force_cascade` also deletes its licenses.
    pub async fn delete(self, number: &str, force_cascade: bool) -> Result<()> {
        super::delete(self.context, PATH, number, Some(force_cascade)).await
    }
}
