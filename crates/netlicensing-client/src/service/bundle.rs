//! `bundle`: list, get, create, update, delete, obtain.

use netlicensing_model::{
    codec::Form,
    entity::{Bundle, License},
};

use crate::{Context, Error, Filter, Page, Result};

const PATH: &str = "bundle";

/// Bundles: sets of license templates a licensee obtains together.
#[derive(Debug, Clone, Copy)]
pub struct BundleService<'a> {
    context: &'a Context,
}

impl<'a> BundleService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of bundles matching the filter.
    pub async fn list(self, filter: &Filter) -> Result<Page<Bundle>> {
        super::list(self.context, PATH, filter).await
    }

    /// The bundle with that number.
    pub async fn get(self, number: &str) -> Result<Bundle> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a bundle.
    pub async fn create(self, bundle: &Bundle) -> Result<Bundle> {
        super::create(self.context, PATH, &super::entity_form(bundle)).await
    }

    /// Updates the bundle `number` with the given properties.
    pub async fn update(self, number: &str, bundle: &Bundle) -> Result<Bundle> {
        super::update(self.context, PATH, number, &super::entity_form(bundle)).await
    }

    /// Deletes the bundle (`force_cascade` is sent as the official clients do).
    pub async fn delete(self, number: &str, force_cascade: bool) -> Result<()> {
        super::delete(self.context, PATH, number, Some(force_cascade)).await
    }

    /// Gives the licensee one license from each template of the bundle, recorded in the transaction when one
    /// is given; returns the new licenses. Never retried.
    pub async fn obtain(
        self,
        number: &str,
        licensee_number: &str,
        transaction_number: Option<&str>,
    ) -> Result<Vec<License>> {
        if licensee_number.trim().is_empty() {
            return Err(Error::InvalidArgument("the licensee number must not be empty".into()));
        }
        let mut form = Form::new();
        form.push("licenseeNumber", licensee_number).push_opt("transactionNumber", transaction_number);
        let answer = self.context.post(&[PATH, number, "obtain"], &form).await?;
        Ok(super::page::<License>(answer)?.items)
    }
}
