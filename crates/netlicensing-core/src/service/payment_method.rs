//! Payment methods: the fixed set of payment providers, each vendor's own settings for them.

use netlicensing_model::{
    codec::Form,
    entity::{Entity, PaymentMethod},
    types::{PaymentProvider, WireEnum},
};

use super::{Core, Resource, find, input::base_item, shop, stored_properties};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Links, NewRecord},
};

/// The providers a vendor can configure (`NULL` is no payment method).
const PROVIDERS: &[PaymentProvider] =
    &[PaymentProvider::Paypal, PaymentProvider::PaypalSandbox, PaymentProvider::Stripe, PaymentProvider::StripeTesting];

/// Stripe's live and test modes: at most one of them is active at a time (the shop takes payment with one).
const STRIPE_MODES: [PaymentProvider; 2] = [PaymentProvider::Stripe, PaymentProvider::StripeTesting];

/// The write-only secrets of a provider (set through an update, never shown).
fn secrets(number: &str) -> &'static [&'static str] {
    if STRIPE_MODES.iter().any(|p| p.as_str() == number) {
        &[shop::STRIPE_SECRET_KEY, shop::STRIPE_WEBHOOK_SECRET]
    } else {
        &[]
    }
}

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
        let stripe = STRIPE_MODES.iter().any(|p| p.as_str() == number);
        let mut tx = self.store().write().await?;
        if stripe {
            // Both modes locked, in one order, so that concurrent activations queue and the rule holds.
            for mode in STRIPE_MODES {
                let record = find(tx.as_mut(), caller, Kind::PaymentMethod, mode.as_str()).await?;
                tx.lock(caller.vendor, Kind::PaymentMethod, record.id).await?;
            }
        }
        let updated: PaymentMethod =
            self.update_in(tx.as_mut(), caller, number, form, &["number"], |_: &mut PaymentMethod, _| Ok(())).await?;
        if stripe && updated.active {
            for other in STRIPE_MODES.iter().filter(|p| p.as_str() != number) {
                if find(tx.as_mut(), caller, Kind::PaymentMethod, other.as_str()).await?.active {
                    return Err(CoreError::IllegalOperation(format!(
                        "Only one of STRIPE and STRIPE_TESTING may be active at a time: deactivate {} first",
                        other.as_str()
                    )));
                }
            }
        }
        tx.commit().await?;
        Ok(updated)
    }

    /// Which write-only secrets of a payment method are stored, by name (their values are never shown).
    pub async fn payment_method_secrets(&self, caller: &Caller, number: &str) -> CoreResult<Vec<(&'static str, bool)>> {
        caller.require(PaymentMethod::READ)?;
        self.ensure_payment_methods(caller).await?;
        let mut tx = self.store().read().await?;
        let record = find(tx.as_mut(), caller, Kind::PaymentMethod, number).await?;
        Ok(secrets(number)
            .iter()
            .map(|name| (*name, record.property(name).is_some_and(|value| !value.is_empty())))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use netlicensing_model::codec::Form;

    use crate::{Core, CoreError, repo::memory::MemoryStore, testing};

    #[tokio::test]
    async fn stripe_and_its_test_mode_are_never_both_active() {
        let core = Core::new(Arc::new(MemoryStore::new()));
        let vendor = testing::new_vendor(&core).await;
        let on = Form::parse("active=true");
        core.update_payment_method(&vendor, "STRIPE", &on).await.unwrap();
        let refused = core.update_payment_method(&vendor, "STRIPE_TESTING", &on).await.unwrap_err();
        assert!(
            matches!(&refused, CoreError::IllegalOperation(m) if m.contains("deactivate STRIPE first")),
            "{refused}"
        );
        let testing: netlicensing_model::entity::PaymentMethod = core.get(&vendor, "STRIPE_TESTING").await.unwrap();
        assert!(!testing.active, "the refused update changed nothing");
        // Settings of the inactive mode may change; PayPal is no Stripe mode.
        core.update_payment_method(&vendor, "STRIPE_TESTING", &Form::parse("stripe.secretKey=sk_test_1"))
            .await
            .unwrap();
        core.update_payment_method(&vendor, "PAYPAL", &on).await.unwrap();
        let secrets = core.payment_method_secrets(&vendor, "STRIPE_TESTING").await.unwrap();
        assert_eq!(secrets, [("stripe.secretKey", true), ("stripe.webhookSecret", false)]);
        assert!(core.payment_method_secrets(&vendor, "PAYPAL").await.unwrap().is_empty());
        // Switching modes: off first, then on.
        core.update_payment_method(&vendor, "STRIPE", &Form::parse("active=false")).await.unwrap();
        core.update_payment_method(&vendor, "STRIPE_TESTING", &on).await.unwrap();
        assert!(core.update_payment_method(&vendor, "STRIPE", &on).await.is_err());
        core.update_payment_method(&vendor, "STRIPE_TESTING", &on).await.unwrap();
    }
}
