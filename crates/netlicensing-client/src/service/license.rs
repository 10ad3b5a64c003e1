//! `license`: list, get, create, update, delete.

use netlicensing_model::entity::License;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "license";

/// Licenses: a licensee's rights, each made from a license template.
#[derive(Debug, Clone, Copy)]
pub struct LicenseService<'a> {
    context: &'a Context,
}

impl<'a> LicenseService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of licenses matching the filter (e.g. `licenseeNumber`).
    pub async fn list(self, filter: &Filter) -> Result<Page<License>> {
        super::list(self.context, PATH, filter).await
    }

    /// The license with that number.
    pub async fn get(self, number: &str) -> Result<License> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a license for the licensee from the template, attached to a transaction when one is given (the
    /// numbers replace those of `license`).
    pub async fn create(
        self,
        licensee_number: &str,
        license_template_number: &str,
        transaction_number: Option<&str>,
        license: &License,
    ) -> Result<License> {
        let mut form = super::entity_form(license);
        super::set(&mut form, "licenseeNumber", licensee_number);
        super::set(&mut form, "licenseTemplateNumber", license_template_number);
        if let Some(transaction) = transaction_number {
            super::set(&mut form, "transactionNumber", transaction);
        }
        super::create(self.context, PATH, &form).await
    }

    /// Updates the license `number` with the given properties, recording the change in a transaction when one
    /// is given.
    pub async fn update(self, number: &str, transaction_number: Option<&str>, license: &License) -> Result<License> {
        let mut form = super::entity_form(license);
        if let Some(transaction) = transaction_number {
            super::set(&mut form, "transactionNumber", transaction);
        }
        super::update(self.context, PATH, number, &form).await
    }

    /// Deletes the license (`force_cascade` is sent as the official clients do).
    pub async fn delete(self, number: &str, force_cascade: bool) -> Result<()> {
        super::delete(self.context, PATH, number, Some(force_cascade)).await
    }
}
