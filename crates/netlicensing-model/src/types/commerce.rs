//! Enums of commerce: currencies, VAT mode, transaction status and source, payment providers.

use super::{WireEnum, wire_enum_text};

/// ISO 4217 currency of a price (`currency`). The service supports EUR; USD is known to the clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Currency {
    /// Euro.
    Eur,
    /// US dollar.
    Usd,
}

impl WireEnum for Currency {
    const ALL: &'static [Self] = &[Self::Eur, Self::Usd];
    const EXPECTED: &'static str = "a currency: EUR or USD";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Eur => "EUR",
            Self::Usd => "USD",
        }
    }
}

/// Whether prices include VAT (`vatMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VatMode {
    /// Prices include VAT.
    Gross,
    /// Prices exclude VAT.
    Net,
}

impl WireEnum for VatMode {
    const ALL: &'static [Self] = &[Self::Gross, Self::Net];
    const EXPECTED: &'static str = "a VAT mode: GROSS or NET";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Gross => "GROSS",
            Self::Net => "NET",
        }
    }
}

/// Status of a transaction (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionStatus {
    /// Not yet complete.
    Pending,
    /// Complete.
    Closed,
    /// Abandoned.
    Cancelled,
}

impl WireEnum for TransactionStatus {
    const ALL: &'static [Self] = &[Self::Pending, Self::Closed, Self::Cancelled];
    const EXPECTED: &'static str = "a transaction status: PENDING, CLOSED or CANCELLED";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Closed => "CLOSED",
            Self::Cancelled => "CANCELLED",
        }
    }
}

/// What created a transaction (`source`). Only `SHOP` may be given through the API; the rest are written by the
/// service for its own operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionSource {
    /// A shop or API purchase.
    Shop,
    /// A license was created.
    AutoLicenseCreate,
    /// A license was updated.
    AutoLicenseUpdate,
    /// A license was deleted.
    AutoLicenseDelete,
    /// A licensee was created.
    AutoLicenseeCreate,
    /// A licensee was deleted.
    AutoLicenseeDelete,
    /// A validation changed licenses.
    AutoLicenseeValidate,
    /// A license template was deleted.
    AutoLicenseTemplateDelete,
    /// A product module was deleted.
    AutoProductModuleDelete,
    /// A product was deleted.
    AutoProductDelete,
    /// Licenses were transferred between licensees.
    AutoLicensesTransfer,
    /// A subscription was renewed.
    SubscriptionUpdate,
    /// A recurring payment was made.
    RecurringPayment,
    /// A recurring payment was cancelled.
    CancelRecurringPayment,
    /// A bundle was obtained.
    ObtainBundle,
}

impl WireEnum for TransactionSource {
    const ALL: &'static [Self] = &[
        Self::Shop,
        Self::AutoLicenseCreate,
        Self::AutoLicenseUpdate,
        Self::AutoLicenseDelete,
        Self::AutoLicenseeCreate,
        Self::AutoLicenseeDelete,
        Self::AutoLicenseeValidate,
        Self::AutoLicenseTemplateDelete,
        Self::AutoProductModuleDelete,
        Self::AutoProductDelete,
        Self::AutoLicensesTransfer,
        Self::SubscriptionUpdate,
        Self::RecurringPayment,
        Self::CancelRecurringPayment,
        Self::ObtainBundle,
    ];
    const EXPECTED: &'static str = "a transaction source such as SHOP";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Shop => "SHOP",
            Self::AutoLicenseCreate => "AUTO_LICENSE_CREATE",
            Self::AutoLicenseUpdate => "AUTO_LICENSE_UPDATE",
            Self::AutoLicenseDelete => "AUTO_LICENSE_DELETE",
            Self::AutoLicenseeCreate => "AUTO_LICENSEE_CREATE",
            Self::AutoLicenseeDelete => "AUTO_LICENSEE_DELETE",
            Self::AutoLicenseeValidate => "AUTO_LICENSEE_VALIDATE",
            Self::AutoLicenseTemplateDelete => "AUTO_LICENSETEMPLATE_DELETE",
            Self::AutoProductModuleDelete => "AUTO_PRODUCTMODULE_DELETE",
            Self::AutoProductDelete => "AUTO_PRODUCT_DELETE",
            Self::AutoLicensesTransfer => "AUTO_LICENSES_TRANSFER",
            Self::SubscriptionUpdate => "SUBSCRIPTION_UPDATE",
            Self::RecurringPayment => "RECURRING_PAYMENT",
            Self::CancelRecurringPayment => "CANCEL_RECURRING_PAYMENT",
            Self::ObtainBundle => "OBTAIN_BUNDLE",
        }
    }
}

/// Payment provider: the fixed numbers of payment methods and a transaction's `paymentMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentProvider {
    /// No payment.
    Null,
    /// PayPal.
    Paypal,
    /// PayPal sandbox.
    PaypalSandbox,
    /// Stripe.
    Stripe,
    /// Stripe test mode.
    StripeTesting,
}

impl WireEnum for PaymentProvider {
    const ALL: &'static [Self] = &[Self::Null, Self::Paypal, Self::PaypalSandbox, Self::Stripe, Self::StripeTesting];
    const EXPECTED: &'static str = "a payment method: NULL, PAYPAL, PAYPAL_SANDBOX, STRIPE or STRIPE_TESTING";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Null => "NULL",
            Self::Paypal => "PAYPAL",
            Self::PaypalSandbox => "PAYPAL_SANDBOX",
            Self::Stripe => "STRIPE",
            Self::StripeTesting => "STRIPE_TESTING",
        }
    }
}

wire_enum_text!(Currency, VatMode, TransactionStatus, TransactionSource, PaymentProvider);
