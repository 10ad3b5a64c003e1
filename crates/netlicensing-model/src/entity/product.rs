//! Product: the top of the entity chain, with its volume discounts.

use crate::{
    codec::Form,
    document::{Item, List, Property},
    error::CodecError,
    types::{Amount, Currency, LicenseeSecretMode, Money, Percent, VatMode, WireValue},
};

use super::{Entity, ItemReader, ItemWriter};

/// A product (`item type="Product"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Product {
    /// Vendor-unique number.
    pub number: String,
    /// False disables new licensees and licenses.
    pub active: bool,
    /// Product name.
    pub name: Option<String>,
    /// Product version.
    pub version: Option<String>,
    /// True creates unknown licensees on their first validation.
    pub licensee_auto_create: Option<bool>,
    /// Description (HTML allowed).
    pub description: Option<String>,
    /// Licensing information such as an EULA (HTML allowed).
    pub licensing_info: Option<String>,
    /// Deprecated licensee-secret mode.
    pub licensee_secret_mode: Option<LicenseeSecretMode>,
    /// Whether prices include VAT.
    pub vat_mode: Option<VatMode>,
    /// True when the product has dependants (read-only).
    pub in_use: Option<bool>,
    /// Volume discounts (`list name="discount"`).
    pub discounts: Vec<Discount>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
    /// Lists other than discounts, as they came.
    pub other_lists: Vec<List>,
}

impl Entity for Product {
    const TYPE: &'static str = "Product";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "name",
        "version",
        "licenseeAutoCreate",
        "description",
        "licensingInfo",
        "licenseeSecretMode",
        "vatMode",
        "inUse",
        "discount",
    ];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            name: r.text("name"),
            version: r.text("version"),
            licensee_auto_create: r.value("licenseeAutoCreate")?,
            description: r.text("description"),
            licensing_info: r.text("licensingInfo"),
            licensee_secret_mode: r.value("licenseeSecretMode")?,
            vat_mode: r.value("vatMode")?,
            in_use: r.value("inUse")?,
            discounts: r.lists("discount").into_iter().map(Discount::from_list).collect::<Result<_, _>>()?,
            custom: r.custom(),
            other_lists: r.other_lists(),
        })
    }

    fn to_item(&self) -> Item {
        let mut w = ItemWriter::new();
        w.put("number", &self.number)
            .put("active", &self.active)
            .opt("name", &self.name)
            .opt("version", &self.version)
            .opt("licenseeAutoCreate", &self.licensee_auto_create)
            .opt("description", &self.description)
            .opt("licensingInfo", &self.licensing_info)
            .opt("licenseeSecretMode", &self.licensee_secret_mode)
            .opt("vatMode", &self.vat_mode)
            .opt("inUse", &self.in_use)
            .custom(&self.custom);
        for discount in &self.discounts {
            w.list(discount.to_list());
        }
        w.lists(&self.other_lists).finish(Self::TYPE)
    }

    fn to_form(&self) -> Form {
        let item = self.to_item();
        let mut form: Form = item
            .properties
            .into_iter()
            .filter(|p| !Self::READ_ONLY.contains(&p.name.as_str()))
            .map(|p| (p.name, p.value))
            .collect();
        for discount in &self.discounts {
            form.push("discount", discount.to_form_value());
        }
        form
    }
}

/// A volume discount: from `total_price` on, the amount is taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discount {
    /// Cart total from which the discount applies.
    pub total_price: Money,
    /// Currency of the total and a fixed amount.
    pub currency: Currency,
    /// What is taken off.
    pub amount: DiscountAmount,
}

/// The amount of a discount: fixed or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountAmount {
    /// A fixed amount (`amountFix`), written as given.
    Fix(Amount),
    /// A percentage (`amountPercent`).
    Percent(Percent),
}

impl Discount {
    /// Reads a `list name="discount"`: `totalPrice`, `currency` and one of `amountFix` / `amountPercent`.
    pub fn from_list(list: List) -> Result<Self, CodecError> {
        let mut r = ItemReader::from_parts(list.properties, list.lists);
        let total_price = r.required("totalPrice")?;
        let currency = r.required("currency")?;
        let amount = match (r.value("amountFix")?, r.value("amountPercent")?) {
            (Some(fix), None) => DiscountAmount::Fix(fix),
            (None, Some(percent)) => DiscountAmount::Percent(percent),
            (None, None) => return Err(CodecError::missing("amountFix")),
            (Some(_), Some(_)) => {
                return Err(CodecError::invalid("amountPercent", "", "either amountFix or amountPercent, not both"));
            }
        };
        Ok(Self { total_price, currency, amount })
    }

    /// Writes the discount as a `list name="discount"`.
    pub fn to_list(&self) -> List {
        let mut w = ItemWriter::new();
        w.put("totalPrice", &self.total_price).put("currency", &self.currency);
        match &self.amount {
            DiscountAmount::Fix(fix) => w.put("amountFix", fix),
            DiscountAmount::Percent(percent) => w.put("amountPercent", percent),
        };
        w.finish_list("discount")
    }

    /// Reads the form spelling `totalPrice;currency;amount`, the amount fixed (`1.50`) or percent (`5%`).
    pub fn parse_form(text: &str) -> Result<Self, CodecError> {
        const EXPECTED: &str = "totalPrice;currency;amount such as 100;EUR;10 or 10;EUR;9%";
        let invalid = || CodecError::invalid("discount", text, EXPECTED);
        let mut parts = text.split(';').map(str::trim);
        let (Some(total), Some(currency), Some(amount), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let total_price = Money::parse_wire(total).ok_or_else(invalid)?;
        let currency = Currency::parse_wire(currency).ok_or_else(invalid)?;
        let amount = match amount.strip_suffix('%') {
            Some(percent) => DiscountAmount::Percent(Percent::parse_wire(percent.trim_end()).ok_or_else(invalid)?),
            None => DiscountAmount::Fix(Amount::parse_wire(amount).ok_or_else(invalid)?),
        };
        if total_price.amount().is_sign_negative() || amount_is_negative(&amount) {
            return Err(invalid());
        }
        Ok(Self { total_price, currency, amount })
    }

    /// The form spelling of the discount: `100.00;EUR;10.00` or `10.00;EUR;9%`.
    pub fn to_form_value(&self) -> String {
        let amount = match &self.amount {
            DiscountAmount::Fix(fix) => fix.to_string(),
            DiscountAmount::Percent(percent) => format!("{percent}%"),
        };
        format!("{};{};{}", self.total_price, self.currency, amount)
    }
}

fn amount_is_negative(amount: &DiscountAmount) -> bool {
    match amount {
        DiscountAmount::Fix(fix) => fix.value().is_sign_negative(),
        DiscountAmount::Percent(percent) => percent.value().is_sign_negative(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts_in_form_spelling() {
        let fix = Discount::parse_form("100;EUR;10").unwrap();
        assert_eq!(fix.to_form_value(), "100.00;EUR;10");
        assert_eq!(Discount::parse_form("100;EUR;1.50").unwrap().to_form_value(), "100.00;EUR;1.50");
        let percent = Discount::parse_form("10;EUR;9%").unwrap();
        assert_eq!(percent.to_form_value(), "10.00;EUR;9%");
        assert_eq!(Discount::parse_form(&percent.to_form_value()), Ok(percent));
        for bad in ["", "100;EUR", "100;EUR;10;1", "x;EUR;10", "100;XXX;10", "100;EUR;%", "100;EUR;-5", "-1;EUR;5"] {
            let err = Discount::parse_form(bad).unwrap_err();
            assert_eq!(err.property(), Some("discount"), "{bad}");
        }
    }

    #[test]
    fn discount_lists_need_currency_and_one_amount() {
        let mut list = List::new("discount");
        list.push("totalPrice", "10");
        list.push("amountFix", "1");
        assert_eq!(Discount::from_list(list.clone()), Err(CodecError::missing("currency")));
        list.push("currency", "EUR");
        list.push("amountPercent", "5");
        assert!(Discount::from_list(list).is_err());
    }

    #[test]
    fn product_form_carries_discounts_not_read_only_properties() {
        let product = Product {
            number: "P1".into(),
            active: true,
            in_use: Some(true),
            discounts: vec![Discount::parse_form("10;EUR;9%").unwrap()],
            custom: vec![Property::new("crm", "7")],
            ..Product::default()
        };
        assert_eq!(product.to_form().encode(), "number=P1&active=true&crm=7&discount=10.00%3BEUR%3B9%25");
    }
}
