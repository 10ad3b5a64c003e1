//! `licensee`: list, get, create, update, delete, validate, transfer.

use netlicensing_model::{
    codec::Form,
    entity::{Licensee, ValidationParameters, ValidationResult},
};

use crate::{Context, Error, Filter, Page, Result};

const PATH: &str = "licensee";

/// Licensees (customers), their validation and the transfer of licenses between them.
///
/// ```no_run
/// # async fn example(context: netlicensing_client::Context) -> netlicensing_client::Result<()> {
/// use netlicensing_client::entity::{ModuleParameters, ValidationParameters};
///
/// let parameters = ValidationParameters {
///     product_number: Some("P-DEMO".into()),
///     licensee_name: Some("Jo Doe".into()),
///     modules: vec![ModuleParameters::new("M-FLOATING").with("sessionId", "s-1").with("action", "checkOut")],
///     ..ValidationParameters::default()
/// };
/// let result = context.licensees().validate("I-CUSTOMER-1", &parameters).await?;
/// for module in &result.modules {
///     println!("{}: valid = {:?}", module.product_module_number, module.valid);
/// }
/// println!("cache until {:?}", result.ttl);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LicenseeService<'a> {
    context: &'a Context,
}

impl<'a> LicenseeService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of licensees matching the filter (e.g. `productNumber`).
    pub async fn list(self, filter: &Filter) -> Result<Page<Licensee>> {
        super::list(self.context, PATH, filter).await
    }

    /// The licensee with that number.
    pub async fn get(self, number: &str) -> Result<Licensee> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a licensee of the product `product_number` (it replaces `licensee.product_number`).
    pub async fn create(self, product_number: &str, licensee: &Licensee) -> Result<Licensee> {
        let mut form = super::entity_form(licensee);
        super::set(&mut form, "productNumber", product_number);
        super::create(self.context, PATH, &form).await
    }

    /// Updates the licensee `number` with the given properties.
    pub async fn update(self, number: &str, licensee: &Licensee) -> Result<Licensee> {
        super::update(self.context, PATH, number, &super::entity_form(licensee)).await
    }

    /// Deletes the licensee; `force_cascade` also deletes its licenses.
    pub async fn delete(self, number: &str, force_cascade: bool) -> Result<()> {
        super::delete(self.context, PATH, number, Some(force_cascade)).await
    }

    /// Validates the licensee (`number` may also be an alias): one result per product module, with the `ttl`
    /// until which the answer may be cached. Never retried (validation can consume quantities).
    pub async fn validate(self, number: &str, parameters: &ValidationParameters) -> Result<ValidationResult> {
        let answer = self.context.post(&[PATH, number, "validate"], &parameters.to_form()).await?;
        let status = answer.status;
        ValidationResult::from_document(answer.doc).map_err(|source| Error::Decode { status, source })
    }

    /// Moves the licenses of `source_licensee_number` (which must be marked for transfer) to the licensee
    /// `number`.
    pub async fn transfer(self, number: &str, source_licensee_number: &str) -> Result<()> {
        if source_licensee_number.trim().is_empty() {
            return Err(Error::InvalidArgument("the source licensee number must not be empty".into()));
        }
        let mut form = Form::new();
        form.push("sourceLicenseeNumber", source_licensee_number);
        self.context.post(&[PATH, number, "transfer"], &form).await.map(|_| ())
    }
}
