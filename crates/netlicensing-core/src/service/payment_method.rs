//! Payment methods: the fixed set of payment providers, each vendor's own settings for them.

use netlicensing_model::{
    codec::Form,
    entity::{Entity, PaymentMethod},
    types::{PaymentProvider, WireEnum},
};

use super::{Core, Resource, input::base_item, stored_properties};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Links, NewRecord},
};

/// The providers a vendor can configure (`NULL` is no payment method).
const PROVIDERS: &[PaymentProvider] =
    &[PaymentProvider::Paypal, PaymentProvider::PaypalSandbox, PaymentProvider::Stripe, PaymentProvider::StripeTesting];

impl Core {
    /// Creates the vendor's payment methods (inactive) that do not exist yet.
    pub(crate) async fn ensure_payment_methods(&self, caller: &Caller) -> CoreResult<()> {
        let mut tx = self.store().read().await?;
        let mut missing = Vec::new();
        for provider in PROVIDERS {
            if tx.get(caller.vendor, Kind::PaymentMethod, provider.as_str()).await?.is_none() {
                missing.push(*provider);
            }
        }
        drop(tx);
        if missing.is_empty() {
            return Ok(());
        }
        let mut tx = self.store().write().await?;
        for provider in missing {
            if tx.get(caller.vendor, Kind::PaymentMethod, provider.as_str()).await?.is_some() {
                continue;
            }
            let method = PaymentMethod::from_item(base_item(PaymentMethod::TYPE, provider.as_str(), false))?;
            let (properties, lists) = stored_properties(Kind::PaymentMethod, &method);
            let record = NewRecord { number: method.number, active: false, links: Links::default(), properties, lists };
            tx.insert(caller.vendor, Kind::PaymentMethod, &record).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Updates a payment method's settings (`active`, provider properties such as `paypal.subject`).
    pub async fn update_payment_method(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<PaymentMethod> {
        caller.require(PaymentMethod::WRITE)?;
        let unsupported = || CoreError::Malformed("Requested payment method is not supported".into());
        if form.get("number").is_some_and(|n| !n.is_empty() && n != number) {
            return Err(unsupported());
        }
        if !PROVIDERS.iter().any(|p| p.as_str() == number) {
            return Err(unsupported());
        }
        self.ensure_payment_methods(caller).await?;
        self.update_with(caller, number, form, &["number"], |_: &mut PaymentMethod, _| Ok(())).await
    }
}
