//! What a shop transaction records beyond its standard properties: the token, checkout key, cart, payment
//! reference, and the buyer and VAT it was priced with; written at checkout, read back to complete it.

use netlicensing_model::{Property, entity::Transaction, types::WireEnum};

use super::{Buyer, Quote, vat};

/// Transaction properties the shop writes.
pub mod property {
    /// The token the checkout came from.
    pub const TOKEN: &str = "shopToken";
    /// The checkout's random key (the customer's handle on its transaction; idempotency of permanent tokens).
    pub const KEY: &str = "shopCheckoutKey";
    /// The product sold.
    pub const PRODUCT: &str = "shopProduct";
    /// The bundle sold.
    pub const BUNDLE: &str = "shopBundle";
    /// The `N`th line's template (`shopItem_N`) and quantity (`shopQuantity_N`).
    pub const ITEM: &str = "shopItem_";
    /// See [`ITEM`].
    pub const QUANTITY: &str = "shopQuantity_";
    /// The payment provider's reference of the payment begun (a Stripe Checkout Session id).
    pub const PAYMENT_REFERENCE: &str = "shopPaymentReference";
    /// The buyer's company.
    pub const COMPANY: &str = "shopCompany";
    /// The buyer's VAT identification number.
    pub const VAT_ID: &str = "shopVatId";
    /// The buyer's country (the hosted shop's name).
    pub const COUNTRY: &str = "countryCode";
    /// The vendor's country (the hosted shop's name).
    pub const VENDOR_COUNTRY: &str = "vendorCountryCode";
    /// The prices' VAT mode, `GROSS` or `NET`.
    pub const VAT_MODE: &str = "vatMode";
    /// The lines' sum before discount.
    pub const SUB_TOTAL: &str = "subTotal";
    /// What is paid without VAT.
    pub const TOTAL_EXCLUDING_VAT: &str = "totalExcludingVat";
    /// The VAT rate charged (absent when none is).
    pub const VAT_PERCENT: &str = "vatPercent";
    /// The VAT in what is paid.
    pub const VAT_AMOUNT: &str = "vatAmount";
    /// Whether VAT is charged.
    pub const SUBJECT_TO_VAT: &str = "isSubjectToVat";
    /// Whether the buyer accounts for the VAT (reverse charge).
    pub const REVERSE_CHARGE: &str = "isReverseCharge";

    /// The properties a (re-)pricing writes anew.
    pub const PRICED: [&str; 11] = [
        COMPANY,
        VAT_ID,
        COUNTRY,
        VENDOR_COUNTRY,
        VAT_MODE,
        SUB_TOTAL,
        TOTAL_EXCLUDING_VAT,
        VAT_PERCENT,
        VAT_AMOUNT,
        SUBJECT_TO_VAT,
        REVERSE_CHARGE,
    ];
}

/// A custom property of a transaction.
pub(super) fn custom<'a>(transaction: &'a Transaction, name: &str) -> Option<&'a str> {
    transaction.custom.iter().find(|p| p.name == name).map(|p| p.value.as_str())
}

/// Sets (replaces) a custom property of a transaction.
pub(super) fn set_custom(transaction: &mut Transaction, name: &str, value: &str) {
    transaction.custom.retain(|p| p.name != name);
    transaction.custom.push(Property::new(name, value));
}

/// The cart a transaction records.
pub(super) fn recorded_cart(transaction: &Transaction) -> Vec<(String, u32)> {
    let mut lines = Vec::new();
    for n in 1.. {
        let Some(template) = custom(transaction, &format!("{}{n}", property::ITEM)) else { break };
        let quantity = custom(transaction, &format!("{}{n}", property::QUANTITY)).and_then(|q| q.parse().ok());
        lines.push((template.to_owned(), quantity.unwrap_or(1)));
    }
    lines
}

/// The buyer a transaction records (the order stays as it was priced once payment began).
pub(super) fn recorded_buyer(transaction: &Transaction) -> Buyer {
    Buyer {
        country: custom(transaction, property::COUNTRY).and_then(vat::country),
        company: custom(transaction, property::COMPANY).map(str::to_owned),
        vat_id: custom(transaction, property::VAT_ID).map(str::to_owned),
    }
}

/// Records the buyer and the VAT of a quote on its transaction.
pub(super) fn record_vat(transaction: &mut Transaction, quote: &Quote, buyer: &Buyer, seller: &vat::Seller) {
    transaction.custom.retain(|p| !property::PRICED.contains(&p.name.as_str()));
    let vat = &quote.vat;
    let flag = |on: bool| if on { "true" } else { "false" };
    let mut put = |name: &str, value: String| transaction.custom.push(Property::new(name, value));
    if let Some(country) = &buyer.country {
        put(property::COUNTRY, country.code.clone());
    }
    if let Some(company) = &buyer.company {
        put(property::COMPANY, company.clone());
    }
    if let Some(vat_id) = &buyer.vat_id {
        put(property::VAT_ID, vat_id.clone());
    }
    if let Some(country) = &seller.country {
        put(property::VENDOR_COUNTRY, country.code.clone());
    }
    put(property::VAT_MODE, vat.mode.as_str().to_owned());
    put(property::SUB_TOTAL, quote.subtotal.to_string());
    put(property::TOTAL_EXCLUDING_VAT, vat.excluding.to_string());
    if let Some(percent) = vat.percent() {
        put(property::VAT_PERCENT, percent.to_string());
    }
    put(property::VAT_AMOUNT, vat.amount.to_string());
    put(property::SUBJECT_TO_VAT, flag(vat.is_charged()).to_owned());
    put(property::REVERSE_CHARGE, flag(vat.is_reverse_charge()).to_owned());
}
