//! `productmodule`: list, get, create, update, delete.

use netlicensing_model::entity::ProductModule;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "productmodule";

/// Product modules: the parts of a product, each licensed under one licensing model.
#[derive(Debug, Clone, Copy)]
pub struct ProductModuleService<'a> {
    context: &'a Context,
}

impl<'a> ProductModuleService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of product modules matching the filter (e.g. `productNumber`).
    pub async fn list(self, filter: &Filter) -> Result<Page<ProductModule>> {
        super::list(self.context, PATH, filter).await
    }

    /// The product module with that number.
    pub async fn get(self, number: &str) -> Result<ProductModule> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a module of the product `product_number` (it replaces `module.product_number`).
    pub async fn create(self, product_number: &str, module: &ProductModule) -> Result<ProductModule> {
        let mut form = super::entity_form(module);
        super::set(&mut form, "productNumber", product_number);
        super::create(self.context, PATH, &form).await
    }

    /// Updates the product module `number` with the given properties.
    pub async fn update(self, number: &str, module: &ProductModule) -> Result<ProductModule> {
        super::update(self.context, PATH, number, &super::entity_form(module)).await
    }

    /// Deletes the product module; `force_cascade` also deletes its templates and their licenses.
    pub async fn delete(self, number: &str, force_cascade: bool) -> Result<()> {
        super::delete(self.context, PATH, number, Some(force_cascade)).await
    }
}
