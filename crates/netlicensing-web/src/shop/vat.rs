//! VAT as the shop shows it: the buyer's details asked for (country, company, VAT id) when the vendor charges
//! VAT, the note under the prices, the VAT lines of an order's total, and what a finished order recorded.
//! Every figure comes from core (`service::shop::vat`); this only words it.

use netlicensing_core::service::shop::{
    Buyer, Offer, Quote, Seller, Treatment, Vat,
    vat::{COMPANY_FIELD, COUNTRY_FIELD, VAT_ID_FIELD, countries},
};
use netlicensing_model::{
    codec::Form,
    entity::Transaction,
    types::{Currency, Money, VatMode},
};

use super::describe;
use netlicensing_core::service::shop::property as names;

/// A country name as people write it (`UNITED STATES OF AMERICA` → `United States of America`).
pub fn country_name(upper: &str) -> String {
    upper
        .split(' ')
        .enumerate()
        .map(|(at, word)| {
            let lower = word.to_lowercase();
            if at > 0 && matches!(lower.as_str(), "of" | "and" | "the" | "da" | "du") {
                return lower;
            }
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The buyer's details the offer form asks for, with what was typed.
pub struct BuyerFields {
    /// Every country: code, name, and whether it is the one chosen.
    pub countries: Vec<(String, String, bool)>,
    /// The company typed.
    pub company: String,
    /// The VAT id typed.
    pub vat_id: String,
    /// The form fields' names (country, company, VAT id).
    pub names: (&'static str, &'static str, &'static str),
}

impl BuyerFields {
    /// The fields, filled from a posted form (empty on a first visit); `None` when the vendor charges no VAT.
    pub fn of(seller: &Seller, form: Option<&Form>) -> Option<BuyerFields> {
        if !seller.asks_buyer() {
            return None;
        }
        let typed = |name: &str| form.and_then(|f| f.get(name)).map(str::trim).unwrap_or_default().to_owned();
        let chosen = typed(COUNTRY_FIELD).to_ascii_uppercase();
        let countries = countries()
            .into_iter()
            .map(|c| {
                let selected = c.code == chosen;
                (c.code, country_name(&c.name), selected)
            })
            .collect();
        Some(BuyerFields {
            countries,
            company: typed(COMPANY_FIELD),
            vat_id: typed(VAT_ID_FIELD),
            names: (COUNTRY_FIELD, COMPANY_FIELD, VAT_ID_FIELD),
        })
    }
}

/// The note under the offer's prices: what they include (nothing for a vendor that charges no VAT).
pub fn price_note(offer: &Offer) -> Option<&'static str> {
    if !offer.seller.company {
        return None;
    }
    Some(match offer.vat_mode() {
        VatMode::Gross => "Prices include VAT where it applies.",
        VatMode::Net => "Prices exclude VAT; VAT is added where it applies once you say where you are.",
    })
}

/// One line of an order's VAT under its total.
pub struct VatRow {
    /// What the line says.
    pub label: String,
    /// The amount (signed as it applies), or empty for a note.
    pub amount: String,
    /// The line's element id.
    pub id: &'static str,
}

fn rate_label(percent: &impl std::fmt::Display, country: &str) -> String {
    format!("{percent} % VAT ({})", country_name(country))
}

/// The VAT lines of a quote: added VAT (net prices), VAT included (gross), the VAT taken off under reverse
/// charge, or nothing.
pub fn rows(vat: &Vat, currency: Option<Currency>) -> Vec<VatRow> {
    let amount = |value: Money| describe::amount(value, currency);
    match (&vat.treatment, vat.mode) {
        (Treatment::Charged { country, percent }, VatMode::Net) => {
            vec![VatRow {
                label: rate_label(percent, &country.name),
                amount: format!("+{}", amount(vat.amount)),
                id: "vat",
            }]
        }
        (Treatment::Charged { country, percent }, VatMode::Gross) => vec![VatRow {
            label: format!("Included: {}", rate_label(percent, &country.name)),
            amount: amount(vat.amount),
            id: "vat",
        }],
        (Treatment::ReverseCharge { .. }, mode) => {
            let mut rows = Vec::new();
            if mode == VatMode::Gross && vat.due != vat.price {
                let off = Money::new(vat.price.amount() - vat.due.amount());
                rows.push(VatRow {
                    label: "VAT included in the prices, taken off".into(),
                    amount: format!("−{}", amount(off)),
                    id: "vat-off",
                });
            }
            rows.push(VatRow {
                label: "No VAT: reverse charge, the recipient accounts for the VAT".into(),
                amount: String::new(),
                id: "reverse-charge",
            });
            rows
        }
        (Treatment::Outside, _) => {
            vec![VatRow { label: "No VAT (outside the EU)".into(), amount: String::new(), id: "no-vat" }]
        }
        (Treatment::NotApplicable, _) => Vec::new(),
    }
}

/// The buyer's details in one line (`France · Rossi Srl · VAT ID IT12345678901`), for the review page.
pub fn buyer_line(buyer: &Buyer) -> Option<String> {
    let country = buyer.country.as_ref()?;
    let mut parts = vec![country_name(&country.name)];
    parts.extend(buyer.company.clone());
    parts.extend(buyer.vat_id.as_ref().map(|id| format!("VAT ID {id}")));
    Some(parts.join(" · "))
}

/// The hidden fields that carry the buyer from the review page to checkout.
pub fn buyer_fields(buyer: &Buyer) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    if let Some(country) = &buyer.country {
        fields.push((COUNTRY_FIELD.to_owned(), country.code.clone()));
    }
    if let Some(company) = &buyer.company {
        fields.push((COMPANY_FIELD.to_owned(), company.clone()));
    }
    if let Some(vat_id) = &buyer.vat_id {
        fields.push((VAT_ID_FIELD.to_owned(), vat_id.clone()));
    }
    fields
}

/// What a finished order says about VAT, from what its transaction recorded.
pub fn order_lines(order: &Transaction, seller: &Seller) -> Vec<String> {
    let property = |name: &str| order.custom.iter().find(|p| p.name == name).map(|p| p.value.as_str());
    let money = |name: &str| property(name).and_then(|v| v.parse::<Money>().ok());
    let mut lines = Vec::new();
    if property(names::SUBJECT_TO_VAT) == Some("true")
        && let (Some(percent), Some(vat)) = (property(names::VAT_PERCENT), money(names::VAT_AMOUNT))
    {
        let country = property(names::COUNTRY)
            .and_then(netlicensing_core::service::shop::vat::country)
            .map(|c| country_name(&c.name))
            .unwrap_or_default();
        lines.push(format!("Including {percent} % VAT ({country}): {}", describe::amount(vat, order.currency)));
    }
    if property(names::REVERSE_CHARGE) == Some("true") {
        let id = property(names::VAT_ID).map(|id| format!(" (VAT ID {id})")).unwrap_or_default();
        lines.push(format!("No VAT charged: reverse charge, the recipient accounts for the VAT{id}."));
    }
    if !lines.is_empty()
        && let Some(id) = &seller.vat_id
    {
        lines.push(format!("Seller's VAT ID: {id}"));
    }
    lines
}

/// The lines of a quote's VAT, for the review page.
pub fn quote_rows(quote: &Quote) -> Vec<VatRow> {
    rows(&quote.vat, quote.currency)
}

#[cfg(test)]
mod tests {
    use netlicensing_core::service::shop::vat::country;

    use super::*;

    #[test]
    fn country_names_read_as_people_write_them() {
        assert_eq!(country_name("GERMANY"), "Germany");
        assert_eq!(country_name("UNITED STATES OF AMERICA"), "United States of America");
        assert_eq!(country_name("BOSNIA AND HERZEGOVINA"), "Bosnia and Herzegovina");
    }

    #[test]
    fn each_treatment_has_its_lines() {
        let money = |t: &str| Money::new(t.parse().unwrap());
        let eur = Some(Currency::Eur);
        let fr = country("FR").unwrap();
        let net = Vat::of(
            money("100"),
            VatMode::Net,
            Treatment::Charged { percent: fr.vat_percent.unwrap(), country: fr.clone() },
        );
        let lines = rows(&net, eur);
        assert_eq!((lines[0].label.as_str(), lines[0].amount.as_str()), ("20 % VAT (France)", "+20.00 EUR"));
        let rc = Vat::of(money("120"), VatMode::Gross, Treatment::ReverseCharge { country: fr });
        let lines = rows(&rc, eur);
        assert_eq!(lines[0].amount, "−20.00 EUR");
        assert_eq!(lines[1].id, "reverse-charge");
        assert!(rows(&Vat::of(money("1"), VatMode::Gross, Treatment::NotApplicable), eur).is_empty());
    }
}
