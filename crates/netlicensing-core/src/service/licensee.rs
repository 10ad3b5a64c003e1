//! Licensees: create and update.

use netlicensing_model::{codec::Form, entity::Licensee};

use super::{Core, CreateSpec};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::LinkKind,
};

impl Core {
    /// Creates a licensee of an active product: `productNumber` is required; `active` defaults to true and
    /// `markedForTransfer` to false.
    pub async fn create_licensee(&self, caller: &Caller, form: &Form) -> CoreResult<Licensee> {
        let spec = CreateSpec {
            parent: Some((LinkKind::Product, "productNumber", "Product number is not provided")),
            required: &[],
            defaults: &[("markedForTransfer", "false")],
            skip: &[],
        };
        self.create_with(caller, form, spec, |_: &mut Licensee, _, product| match product {
            Some(product) if !product.active => {
                Err(CoreError::IllegalOperation(format!("The product '{}' is not active", product.number)))
            }
            _ => Ok(()),
        })
        .await
    }

    /// Updates a licensee; it stays with its product.
    pub async fn update_licensee(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Licensee> {
        self.update_with(caller, number, form, &["productNumber"], |_: &mut Licensee, _| Ok(())).await
    }
}
