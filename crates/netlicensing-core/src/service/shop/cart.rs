//! The price of a cart, computed on the server from the catalogue (never from the browser): each line's
//! template price times its quantity, in one currency, less the product's best volume discount; or a bundle's
//! one price for its set of templates.

use netlicensing_model::{
    codec::Form,
    entity::{Discount, DiscountAmount, LicenseTemplate},
    types::{Currency, Money, VatMode},
};
use rust_decimal::Decimal;

use super::vat::{Treatment, Vat};
use crate::error::{CoreError, CoreResult};

/// The most licenses of one template a cart may hold.
pub const MAX_QUANTITY: u32 = 100;

/// The form field naming a template's quantity: `quantity.<templateNumber>`.
pub const QUANTITY_FIELD: &str = "quantity.";

/// What the customer picked: template numbers with quantities, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    /// Template numbers and how many licenses of each (at least one).
    pub lines: Vec<(String, u32)>,
}

impl Cart {
    /// The cart of a shop form: every `quantity.<template>` field with a quantity above zero. A quantity that is
    /// no whole number, or above [`MAX_QUANTITY`], is refused.
    pub fn from_form(form: &Form) -> CoreResult<Cart> {
        let mut lines: Vec<(String, u32)> = Vec::new();
        for (key, value) in form.pairs() {
            let Some(template) = key.strip_prefix(QUANTITY_FIELD) else { continue };
            let value = value.trim();
            if template.is_empty() || value.is_empty() {
                continue;
            }
            let quantity: u32 = value
                .parse()
                .map_err(|_| CoreError::Malformed(format!("The quantity of '{template}' must be a whole number")))?;
            if quantity > MAX_QUANTITY {
                return Err(CoreError::Malformed(format!("At most {MAX_QUANTITY} licenses of one kind per order")));
            }
            if quantity == 0 {
                continue;
            }
            match lines.iter_mut().find(|(number, _)| number == template) {
                Some(line) => line.1 = quantity,
                None => lines.push((template.to_owned(), quantity)),
            }
        }
        Ok(Cart { lines })
    }
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The license template sold.
    pub template: LicenseTemplate,
    /// How many licenses of it.
    pub quantity: u32,
    /// The template's price (zero when it has none).
    pub unit: Money,
    /// `unit × quantity`.
    pub total: Money,
}

/// A priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The lines.
    pub lines: Vec<Line>,
    /// The sum of the lines (a bundle: its price).
    pub subtotal: Money,
    /// What the volume discount takes off (zero without one).
    pub discount: Money,
    /// The discount applied, if any.
    pub applied: Option<Discount>,
    /// The price after discount, `subtotal − discount`, as the prices are written (gross or net).
    pub total: Money,
    /// The one currency of the priced lines (`None` when nothing has a price).
    pub currency: Option<Currency>,
    /// The VAT of the order (none until [`Quote::with_vat`] says what applies).
    pub vat: Vat,
}

impl Quote {
    /// What the customer pays: the total with the VAT applied.
    pub fn due(&self) -> Money {
        self.vat.due
    }

    /// Whether the customer pays nothing.
    pub fn is_free(&self) -> bool {
        self.due().is_zero()
    }

    /// The quote with the VAT of its total in a VAT mode under a treatment.
    pub fn with_vat(mut self, mode: VatMode, treatment: Treatment) -> Quote {
        self.vat = Vat::of(self.total, mode, treatment);
        self
    }
}

/// No VAT: what a quote holds until the shop says what applies.
fn untaxed(total: Money) -> Vat {
    Vat::of(total, VatMode::Gross, Treatment::NotApplicable)
}

/// Prices lines of templates: the template prices (all in one currency) and the best product discount, the one
/// with the highest threshold the subtotal reaches in that currency. With `fixed` (a bundle's price and
/// currency), the subtotal is that price and no volume discount applies.
pub fn quote(
    lines: Vec<(LicenseTemplate, u32)>,
    discounts: &[Discount],
    fixed: Option<(Money, Option<Currency>)>,
) -> CoreResult<Quote> {
    if lines.is_empty() {
        return Err(CoreError::Malformed("Choose at least one item".into()));
    }
    let mut currency: Option<Currency> = None;
    let mut priced = Vec::with_capacity(lines.len());
    let mut sum = Decimal::ZERO;
    for (template, quantity) in lines {
        let unit = template.price.unwrap_or(Money::ZERO);
        if !unit.is_zero() && fixed.is_none() {
            match (currency, template.currency) {
                (_, None) => {
                    return Err(CoreError::IllegalOperation(format!(
                        "The license template '{}' has a price but no currency",
                        template.number
                    )));
                }
                (None, Some(c)) => currency = Some(c),
                (Some(a), Some(b)) if a != b => {
                    return Err(CoreError::IllegalOperation(
                        "The shop sells in one currency; these items are priced in different ones".into(),
                    ));
                }
                _ => {}
            }
        }
        let total = Money::new(unit.amount() * Decimal::from(quantity));
        sum += total.amount();
        priced.push(Line { template, quantity, unit, total });
    }
    if let Some((price, price_currency)) = fixed {
        let currency = if price.is_zero() { price_currency } else { price_currency.or(currency) };
        if !price.is_zero() && currency.is_none() {
            return Err(CoreError::IllegalOperation("The bundle has a price but no currency".into()));
        }
        return Ok(Quote {
            lines: priced,
            subtotal: price,
            discount: Money::ZERO,
            applied: None,
            total: price,
            currency,
            vat: untaxed(price),
        });
    }
    let subtotal = Money::new(sum);
    let applied = currency.and_then(|currency| best_discount(discounts, subtotal, currency));
    let discount = applied.map_or(Money::ZERO, |d| discount_of(&d, subtotal));
    let total = Money::new(subtotal.amount() - discount.amount());
    Ok(Quote { lines: priced, subtotal, discount, applied, total, currency, vat: untaxed(total) })
}

/// The discount with the highest threshold that `subtotal` reaches, in the currency.
pub fn best_discount(discounts: &[Discount], subtotal: Money, currency: Currency) -> Option<Discount> {
    discounts
        .iter()
        .filter(|d| d.currency == currency && d.total_price.amount() <= subtotal.amount())
        .max_by(|a, b| a.total_price.amount().cmp(&b.total_price.amount()))
        .copied()
}

/// What a discount takes off a subtotal: a fixed amount (never more than the subtotal) or a percentage of it.
pub fn discount_of(discount: &Discount, subtotal: Money) -> Money {
    let off = match discount.amount {
        DiscountAmount::Fix(amount) => amount.value(),
        DiscountAmount::Percent(percent) => subtotal.amount() * percent.value() / Decimal::from(100),
    };
    Money::new(off.clamp(Decimal::ZERO, subtotal.amount()))
}

#[cfg(test)]
mod tests {
    use netlicensing_model::types::{Amount, Percent};

    use super::*;

    fn template(number: &str, price: &str, currency: Option<Currency>) -> LicenseTemplate {
        LicenseTemplate {
            number: number.into(),
            active: true,
            price: Some(Money::new(price.parse().unwrap())),
            currency,
            ..LicenseTemplate::default()
        }
    }

    fn money(text: &str) -> Money {
        Money::new(text.parse().unwrap())
    }

    fn discount(threshold: &str, amount: DiscountAmount) -> Discount {
        Discount { total_price: money(threshold), currency: Currency::Eur, amount }
    }

    #[test]
    fn lines_are_priced_and_the_highest_reached_discount_applies() {
        let discounts = [
            discount("50", DiscountAmount::Fix(Amount::new("5".parse().unwrap()))),
            discount("100", DiscountAmount::Percent(Percent::new("10".parse().unwrap()))),
            discount("1000", DiscountAmount::Percent(Percent::new("50".parse().unwrap()))),
        ];
        let eur = Some(Currency::Eur);
        let quote =
            quote(vec![(template("A", "19.99", eur), 3), (template("B", "45", eur), 1)], &discounts, None).unwrap();
        assert_eq!(quote.subtotal, money("104.97"));
        assert_eq!(quote.discount, money("10.50"), "10 % of 104.97, rounded half away from zero");
        assert_eq!(quote.total, money("94.47"));
        assert_eq!(quote.currency, eur);

        let small = super::quote(vec![(template("A", "19.99", eur), 3)], &discounts, None).unwrap();
        assert_eq!((small.discount, small.total), (money("5"), money("54.97")), "the fixed discount from 50");
        let none = super::quote(vec![(template("A", "19.99", eur), 1)], &discounts, None).unwrap();
        assert_eq!((none.discount, none.applied), (Money::ZERO, None));
    }

    #[test]
    fn a_fixed_discount_never_exceeds_the_subtotal_and_currencies_do_not_mix() {
        let big = [discount("1", DiscountAmount::Fix(Amount::new("500".parse().unwrap())))];
        let quote = quote(vec![(template("A", "10", Some(Currency::Eur)), 1)], &big, None).unwrap();
        assert_eq!(quote.total, Money::ZERO);
        let usd = [Discount { currency: Currency::Usd, ..big[0] }];
        let other = super::quote(vec![(template("A", "10", Some(Currency::Eur)), 1)], &usd, None).unwrap();
        assert_eq!(other.discount, Money::ZERO, "a discount in another currency does not apply");
        let mixed = vec![(template("A", "10", Some(Currency::Eur)), 1), (template("B", "10", Some(Currency::Usd)), 1)];
        assert!(matches!(super::quote(mixed, &[], None), Err(CoreError::IllegalOperation(_))));
        let free = vec![(template("A", "0", None), 2)];
        assert!(super::quote(free, &[], None).unwrap().is_free());
        assert!(matches!(super::quote(Vec::new(), &[], None), Err(CoreError::Malformed(_))));
    }

    #[test]
    fn a_bundle_costs_its_price_without_volume_discounts() {
        let discounts = [discount("1", DiscountAmount::Percent(Percent::new("50".parse().unwrap())))];
        let eur = Some(Currency::Eur);
        let lines = vec![(template("A", "30", eur), 1), (template("B", "30", eur), 1)];
        let quote = quote(lines, &discounts, Some((money("45"), eur))).unwrap();
        assert_eq!((quote.subtotal, quote.discount, quote.total), (money("45"), Money::ZERO, money("45")));
    }

    #[test]
    fn the_cart_form_is_read_strictly() {
        let form = Form::parse("quantity.A=2&quantity.B=0&quantity.C=&other=1&quantity.A=3");
        assert_eq!(Cart::from_form(&form).unwrap().lines, vec![("A".to_owned(), 3)]);
        for bad in ["quantity.A=-1", "quantity.A=1.5", "quantity.A=101", "quantity.A=99999999999999999999"] {
            assert!(matches!(Cart::from_form(&Form::parse(bad)), Err(CoreError::Malformed(_))), "{bad}");
        }
    }
}
