//! Licensees: create and update.

use netlicensing_model::{codec::Form, entity::Licensee, types::TransactionSource};

use super::{Core, CreateSpec, Resource, transaction::record_auto};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::LinkKind,
};

impl Core {
    /// Creates a licensee of an active product: `productNumber` is required; `active` defaults to true and
    /// `markedForTransfer` to false. Recorded by an `AUTO_LICENSEE_CREATE` transaction.
    pub async fn create_licensee(&self, caller: &Caller, form: &Form) -> CoreResult<Licensee> {
        caller.require(Licensee::WRITE)?;
        let spec = CreateSpec {
            parent: Some((LinkKind::Product, "productNumber", "Product number is not provided")),
            required: &[],
            defaults: &[("markedForTransfer", "false")],
            skip: &[],
        };
        spec.check(&super::Input::new(form))?;
        let mut tx = self.store().write().await?;
        let licensee: Licensee = self
            .create_in(tx.as_mut(), caller, form, spec, |_: &mut Licensee, _, product| match product {
                Some(product) if !product.active => {
                    Err(CoreError::IllegalOperation(format!("The product '{}' is not active", product.number)))
                }
                _ => Ok(()),
            })
            .await?;
        let source = TransactionSource::AutoLicenseeCreate;
        record_auto(tx.as_mut(), caller, self.now(), source, Some(&licensee.number), &[]).await?;
        tx.commit().await?;
        Ok(licensee)
    }

    /// Updates a licensee; it stays with its product.
    pub async fn update_licensee(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Licensee> {
        self.update_with(caller, number, form, &["productNumber"], |_: &mut Licensee, _| Ok(())).await
    }
}
