//! EU VAT in the shop (the rules in force since 2015): electronic services are taxed where the customer
//! belongs. What applies follows from the seller (a private vendor charges no VAT; a company vendor applies the
//! rules from the country it is established in), the buyer (a business is a buyer who gives a VAT
//! identification number) and the product's VAT mode (`GROSS`: prices include VAT; `NET`: VAT comes on top).
//!
//! | seller | buyer | VAT |
//! |---|---|---|
//! | private | anyone | none, and no mention |
//! | company | consumer in the EU | the buyer's country's rate |
//! | company | business in the seller's own EU country | that country's rate |
//! | company | business in another EU country (or the seller outside the EU) | none: reverse charge |
//! | company | anyone outside the EU | none |
//!
//! Amounts: `NET` adds the VAT to the price; `GROSS` takes the VAT out of the price, which the customer pays as
//! shown, except under reverse charge, where the VAT the price includes (at the buyer's country's rate) is
//! taken off: a business that accounts for the VAT itself pays the net price.
//!
//! The rates are the EU standard rates of the country table (`GET utility/countries`). VAT identification
//! numbers are checked for their shape and their country (no online VIES lookup: the server works air-gapped).

use netlicensing_model::{
    codec::Form,
    entity::{Branding, Country},
    types::{Money, Percent, VatMode},
};
use rust_decimal::Decimal;

use crate::error::{CoreError, CoreResult};

/// The checkout form's field naming the buyer's country (ISO 3166-1 alpha-2).
pub const COUNTRY_FIELD: &str = "countryCode";
/// The checkout form's field naming the buyer's company.
pub const COMPANY_FIELD: &str = "company";
/// The checkout form's field with the buyer's VAT identification number.
pub const VAT_ID_FIELD: &str = "vatId";

/// `vendorType` of a vendor that charges no VAT.
pub const PRIVATE: &str = "PRIVATE";
/// `vendorType` of a vendor that applies the VAT rules.
pub const COMPANY: &str = "COMPANY";

/// The longest company name a checkout takes.
pub const MAX_COMPANY: usize = 200;

/// The country of an ISO 3166-1 alpha-2 code (any case), from the country table.
pub fn country(code: &str) -> Option<Country> {
    let code = code.trim().to_ascii_uppercase();
    super::super::utility::countries().into_iter().find(|c| c.code == code)
}

/// Every country, in code order (what the checkout's country list offers).
pub fn countries() -> Vec<Country> {
    super::super::utility::countries()
}

/// The seller, as VAT sees it: from the vendor's branding (`vendorType`, `countryCode`, `vatId`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seller {
    /// Whether the vendor is a company (only companies charge VAT).
    pub company: bool,
    /// The country it is established in (required of a company).
    pub country: Option<Country>,
    /// Its VAT identification number, if it gave one.
    pub vat_id: Option<String>,
}

impl Seller {
    /// The seller a branding describes.
    pub fn of(branding: &Branding) -> Seller {
        Seller {
            company: branding.vendor_type.as_deref() == Some(COMPANY),
            country: branding.country_code.as_deref().and_then(country),
            vat_id: branding.vat_id.clone(),
        }
    }

    /// Whether the shop asks for the buyer's country (and company and VAT id): only a company charges VAT.
    pub fn asks_buyer(&self) -> bool {
        self.company
    }
}

/// Checks the VAT fields of a branding: `vendorType` is `PRIVATE` or `COMPANY`, a company names its country,
/// the country is known, and a VAT id has the shape of its country's.
pub fn check_seller(branding: &Branding) -> CoreResult<()> {
    if let Some(kind) = &branding.vendor_type
        && kind != PRIVATE
        && kind != COMPANY
    {
        return Err(CoreError::Malformed(format!("'vendorType' must be {PRIVATE} or {COMPANY}")));
    }
    if let Some(code) = &branding.country_code
        && (code.len() != 2 || country(code).is_none() || code.to_ascii_uppercase() != *code)
    {
        return Err(CoreError::Malformed(format!("'countryCode' {code:?} is no ISO 3166-1 alpha-2 country code")));
    }
    if branding.vendor_type.as_deref() == Some(COMPANY) && branding.country_code.is_none() {
        return Err(CoreError::Malformed(
            "A COMPANY vendor needs its 'countryCode': VAT depends on where the seller is established".into(),
        ));
    }
    if let Some(vat_id) = &branding.vat_id {
        let home = branding.country_code.as_deref().and_then(country);
        normalized_vat_id(vat_id, home.as_ref()).map_err(|e| match e {
            CoreError::Malformed(message) => CoreError::Malformed(format!("'vatId': {message}")),
            other => other,
        })?;
    }
    Ok(())
}

/// The buyer as the checkout form describes them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Buyer {
    /// The buyer's country (asked when the seller charges VAT).
    pub country: Option<Country>,
    /// The buyer's company, for a business.
    pub company: Option<String>,
    /// The buyer's VAT identification number, normalized (`DE123456789`); a buyer with one is a business.
    pub vat_id: Option<String>,
}

impl Buyer {
    /// Whether the buyer is a business (gave a VAT identification number).
    pub fn is_business(&self) -> bool {
        self.vat_id.is_some()
    }

    /// Reads the buyer from a checkout form. A seller that charges VAT needs the country; a VAT id needs the
    /// company's name and must have the shape of the country's VAT ids. A private seller asks nothing.
    pub fn from_form(form: &Form, seller: &Seller) -> CoreResult<Buyer> {
        if !seller.asks_buyer() {
            return Ok(Buyer::default());
        }
        let code = form.get(COUNTRY_FIELD).map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Err(CoreError::Malformed("Choose your country: VAT depends on it".into()));
        }
        let country = country(code)
            .filter(|_| code.len() == 2)
            .ok_or_else(|| CoreError::Malformed(format!("'{code}' is no country this shop knows")))?;
        let company = form.get(COMPANY_FIELD).map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        if let Some(company) = &company
            && (company.chars().count() > MAX_COMPANY || company.chars().any(char::is_control))
        {
            return Err(CoreError::Malformed(format!(
                "The company name must be one line of at most {MAX_COMPANY} characters"
            )));
        }
        let vat_id = match form.get(VAT_ID_FIELD).map(str::trim).filter(|v| !v.is_empty()) {
            Some(text) => Some(normalized_vat_id(text, Some(&country))?),
            None => None,
        };
        if vat_id.is_some() && company.is_none() {
            return Err(CoreError::Malformed("A VAT identification number needs the company's name".into()));
        }
        Ok(Buyer { country: Some(country), company, vat_id })
    }
}

/// The prefix of a country's VAT ids (Greece writes `EL`).
fn vat_prefix(country: &Country) -> &str {
    if country.code == "GR" { "EL" } else { &country.code }
}

/// A VAT identification number without spaces, dots or dashes, in upper case, checked for its shape: in the EU
/// the country's prefix and 2 to 12 letters or digits; elsewhere 2 to 30 letters or digits.
pub fn normalized_vat_id(text: &str, country: Option<&Country>) -> CoreResult<String> {
    let id: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CoreError::Malformed("A VAT identification number has only letters and digits".into()));
    }
    match country.filter(|c| c.is_eu) {
        Some(country) => {
            let prefix = vat_prefix(country);
            let rest = id.strip_prefix(prefix).ok_or_else(|| {
                CoreError::Malformed(format!("A VAT identification number of {} begins with {prefix}", country.name))
            })?;
            if !(2..=12).contains(&rest.len()) || !rest.bytes().any(|b| b.is_ascii_digit()) {
                return Err(CoreError::Malformed(format!(
                    "'{id}' does not have the shape of a VAT identification number of {}",
                    country.name
                )));
            }
        }
        None if !(2..=30).contains(&id.len()) => {
            return Err(CoreError::Malformed("A tax identification number has 2 to 30 letters or digits".into()));
        }
        None => {}
    }
    Ok(id)
}

/// What VAT does to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Treatment {
    /// The seller charges no VAT (a private vendor): prices are shown without any VAT note.
    NotApplicable,
    /// No VAT: the buyer is outside the EU.
    Outside,
    /// VAT at the rate of this country.
    Charged {
        /// The country whose rate applies.
        country: Country,
        /// The rate.
        percent: Percent,
    },
    /// No VAT charged: a business in another EU country accounts for it (reverse charge).
    ReverseCharge {
        /// The buyer's country (its rate is what a `GROSS` price included).
        country: Country,
    },
}

/// What VAT applies between a seller and a buyer.
pub fn treatment(seller: &Seller, buyer: &Buyer) -> Treatment {
    if !seller.company {
        return Treatment::NotApplicable;
    }
    let Some(country) = buyer.country.clone().filter(|c| c.is_eu) else { return Treatment::Outside };
    let Some(percent) = country.vat_percent else { return Treatment::Outside };
    let same_country = seller.country.as_ref().is_some_and(|s| s.code == country.code);
    if buyer.is_business() && !same_country {
        Treatment::ReverseCharge { country }
    } else {
        Treatment::Charged { country, percent }
    }
}

/// The VAT of an order: its treatment and amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vat {
    /// The product's VAT mode (the prices' meaning).
    pub mode: VatMode,
    /// What applies.
    pub treatment: Treatment,
    /// The order's price after discount, as the prices are written (gross or net).
    pub price: Money,
    /// The VAT in what is paid (zero without VAT).
    pub amount: Money,
    /// What is paid without the VAT.
    pub excluding: Money,
    /// What the customer pays.
    pub due: Money,
}

impl Vat {
    /// The VAT of a price (after discount) in a VAT mode under a treatment.
    pub fn of(price: Money, mode: VatMode, treatment: Treatment) -> Vat {
        let hundred = Decimal::from(100);
        let included = |percent: Percent| {
            // The VAT inside a gross price: price − price × 100 / (100 + rate).
            let net = Money::new(price.amount() * hundred / (hundred + percent.value()));
            Money::new(price.amount() - net.amount())
        };
        let (amount, due) = match (&treatment, mode) {
            (Treatment::Charged { percent, .. }, VatMode::Net) => {
                let vat = Money::new(price.amount() * percent.value() / hundred);
                (vat, Money::new(price.amount() + vat.amount()))
            }
            (Treatment::Charged { percent, .. }, VatMode::Gross) => (included(*percent), price),
            (Treatment::ReverseCharge { country }, VatMode::Gross) => {
                let inside = country.vat_percent.map_or(Money::ZERO, included);
                (Money::ZERO, Money::new(price.amount() - inside.amount()))
            }
            _ => (Money::ZERO, price),
        };
        Vat { mode, treatment, price, amount, excluding: Money::new(due.amount() - amount.amount()), due }
    }

    /// Whether VAT is charged on the order.
    pub fn is_charged(&self) -> bool {
        matches!(self.treatment, Treatment::Charged { .. })
    }

    /// Whether the buyer accounts for the VAT (reverse charge).
    pub fn is_reverse_charge(&self) -> bool {
        matches!(self.treatment, Treatment::ReverseCharge { .. })
    }

    /// The rate charged, if any.
    pub fn percent(&self) -> Option<Percent> {
        match &self.treatment {
            Treatment::Charged { percent, .. } => Some(*percent),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        Money::new(text.parse().unwrap())
    }

    fn seller(country: &str) -> Seller {
        Seller { company: true, country: super::country(country), vat_id: None }
    }

    fn consumer(country: &str) -> Buyer {
        Buyer { country: super::country(country), company: None, vat_id: None }
    }

    fn business(country: &str, id: &str) -> Buyer {
        Buyer { country: super::country(country), company: Some("Acme".into()), vat_id: Some(id.into()) }
    }

    fn charged_rate(t: &Treatment) -> Option<(String, String)> {
        match t {
            Treatment::Charged { country, percent } => Some((country.code.clone(), percent.to_string())),
            _ => None,
        }
    }

    #[test]
    fn the_table_of_the_2015_rules() {
        let private = Seller::default();
        assert_eq!(treatment(&private, &consumer("DE")), Treatment::NotApplicable, "C2C: no VAT mention");
        assert_eq!(treatment(&private, &business("FR", "FR12345678901")), Treatment::NotApplicable);
        // B2C: the buyer's country's rate in the EU, none outside, wherever the seller is.
        assert_eq!(charged_rate(&treatment(&seller("DE"), &consumer("FR"))), Some(("FR".into(), "20".into())));
        assert_eq!(charged_rate(&treatment(&seller("US"), &consumer("AT"))), Some(("AT".into(), "20".into())));
        assert_eq!(treatment(&seller("DE"), &consumer("US")), Treatment::Outside);
        assert_eq!(treatment(&seller("US"), &consumer("CH")), Treatment::Outside);
        // B2B: same country charged; another EU country, or a seller outside, reverse charge; outside none.
        assert_eq!(
            charged_rate(&treatment(&seller("DE"), &business("DE", "DE123456789"))),
            Some(("DE".into(), "19".into()))
        );
        assert!(matches!(treatment(&seller("DE"), &business("IT", "IT12345678901")), Treatment::ReverseCharge { .. }));
        assert!(matches!(treatment(&seller("US"), &business("IT", "IT12345678901")), Treatment::ReverseCharge { .. }));
        assert_eq!(treatment(&seller("DE"), &business("US", "123456789")), Treatment::Outside);
    }

    #[test]
    fn net_adds_gross_includes_and_reverse_charge_takes_the_included_vat_off() {
        let de = Treatment::Charged { country: country("DE").unwrap(), percent: Percent::new(19.into()) };
        let net = Vat::of(money("100"), VatMode::Net, de.clone());
        assert_eq!((net.amount, net.excluding, net.due), (money("19"), money("100"), money("119")));
        let gross = Vat::of(money("119"), VatMode::Gross, de);
        assert_eq!((gross.amount, gross.excluding, gross.due), (money("19"), money("100"), money("119")));
        let odd = Vat::of(money("54"), VatMode::Gross, treatment(&seller("DE"), &consumer("DE")));
        assert_eq!((odd.amount, odd.due), (money("8.62"), money("54")), "54 − 54/1.19 = 8.62 rounded");
        assert_eq!(odd.percent(), Some(Percent::new(19.into())));
        let rc = Vat::of(money("121"), VatMode::Gross, Treatment::ReverseCharge { country: country("NL").unwrap() });
        assert_eq!((rc.amount, rc.due), (Money::ZERO, money("100")), "the 21 % Dutch VAT taken off");
        assert!(rc.is_reverse_charge() && !rc.is_charged());
        let rc_net = Vat::of(money("100"), VatMode::Net, Treatment::ReverseCharge { country: country("NL").unwrap() });
        assert_eq!(rc_net.due, money("100"));
        let outside = Vat::of(money("119"), VatMode::Gross, Treatment::Outside);
        assert_eq!((outside.amount, outside.due), (Money::ZERO, money("119")), "a gross price is paid as shown");
        let free = Vat::of(Money::ZERO, VatMode::Net, treatment(&seller("DE"), &consumer("FR")));
        assert!(free.due.is_zero());
    }

    #[test]
    fn vat_ids_are_read_with_their_country() {
        let de = country("DE");
        assert_eq!(normalized_vat_id("de 123.456-789", de.as_ref()).unwrap(), "DE123456789");
        assert_eq!(normalized_vat_id("EL123456789", country("GR").as_ref()).unwrap(), "EL123456789");
        for bad in ["FR12345678901", "DE", "DE1", "DE1234567890123", "DEABCDEFG", "DE12345<6789", "DE12345678\u{0}"] {
            assert!(normalized_vat_id(bad, de.as_ref()).is_err(), "{bad}");
        }
        assert_eq!(normalized_vat_id("12-3456789", country("US").as_ref()).unwrap(), "123456789");
        assert!(normalized_vat_id(&"9".repeat(31), country("US").as_ref()).is_err());
    }

    #[test]
    fn the_buyer_is_read_from_the_checkout_form() {
        let company = seller("DE");
        let read = |text: &str| Buyer::from_form(&Form::parse(text), &company);
        let buyer = read("countryCode=fr&company=&vatId=").unwrap();
        assert_eq!((buyer.country.as_ref().map(|c| c.code.as_str()), buyer.is_business()), (Some("FR"), false));
        let b2b = read("countryCode=IT&company=Rossi+Srl&vatId=IT+12345678901").unwrap();
        assert_eq!(b2b.vat_id.as_deref(), Some("IT12345678901"));
        for bad in [
            "",
            "countryCode=XX",
            "countryCode=DEU",
            "countryCode=IT&vatId=IT12345678901",
            "countryCode=IT&company=Rossi&vatId=DE123456789",
            "countryCode=IT&company=Ros%00si",
        ] {
            assert!(matches!(read(bad), Err(CoreError::Malformed(_))), "{bad}");
        }
        let private = Buyer::from_form(&Form::parse(""), &Seller::default()).unwrap();
        assert_eq!(private, Buyer::default(), "a private seller asks nothing");
    }

    #[test]
    fn the_sellers_vat_fields_are_checked() {
        let ok = Branding {
            vendor_type: Some(COMPANY.into()),
            country_code: Some("AT".into()),
            vat_id: Some("ATU12345678".into()),
            ..Branding::default()
        };
        check_seller(&ok).unwrap();
        assert!(Seller::of(&ok).company);
        for bad in [
            Branding { vendor_type: Some("SHOP".into()), ..Branding::default() },
            Branding { vendor_type: Some(COMPANY.into()), ..Branding::default() },
            Branding { country_code: Some("XX".into()), ..Branding::default() },
            Branding { country_code: Some("at".into()), ..Branding::default() },
            Branding { vat_id: Some("DE123456789".into()), ..ok.clone() },
        ] {
            assert!(check_seller(&bad).is_err(), "{bad:?}");
        }
    }
}
