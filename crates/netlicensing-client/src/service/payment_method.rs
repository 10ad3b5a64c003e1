//! `paymentmethod`: list, get, update (the providers are fixed).

use netlicensing_model::entity::PaymentMethod;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "paymentmethod";

/// Payment methods: the fixed providers (`PAYPAL`, `STRIPE` ...) and their settings.
#[derive(Debug, Clone, Copy)]
pub struct PaymentMethodService<'a> {
    context: &'a Context,
}

impl<'a> PaymentMethodService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of payment methods matching the filter.
    pub async fn list(self, filter: &Filter) -> Result<Page<PaymentMethod>> {
        super::list(self.context, PATH, filter).await
    }

    /// The payment method with that number.
    pub async fn get(self, number: &str) -> Result<PaymentMethod> {
        super::get(self.context, PATH, number).await
    }

    /// Updates the payment method `number` (`active`, provider settings such as `paypal.subject`).
    pub async fn update(self, number: &str, payment_method: &PaymentMethod) -> Result<PaymentMethod> {
        super::update(self.context, PATH, number, &super::entity_form(payment_method)).await
    }
}
