//! Money and percentages: exact decimals, never floating point.

use std::{borrow::Cow, fmt, str::FromStr};

use rust_decimal::{Decimal, RoundingStrategy};

use super::wire::WireValue;

/// A monetary amount (`price`, `totalPrice`, `grandTotal`, ...): read from any decimal, written with two places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount, rounded half away from zero to two places as the service does.
    pub fn new(amount: Decimal) -> Self {
        Self(amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// The amount as a decimal.
    pub fn amount(&self) -> Decimal {
        self.0
    }

    /// True for a zero amount.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl FromStr for Money {
    type Err = rust_decimal::Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_decimal(text).map(Money::new).ok_or(rust_decimal::Error::ConversionTo("Money".into()))
    }
}

/// Serialised as the decimal's 16-byte form (exact, and readable by formats that are not self-describing).
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[u8; 16]>::deserialize(deserializer).map(|bytes| Money(Decimal::deserialize(bytes)))
    }
}

impl WireValue for Money {
    const EXPECTED: &'static str = "a decimal amount such as 10.00";
    fn parse_wire(text: &str) -> Option<Self> {
        parse_decimal(text).map(Money::new)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// A percentage (`amountPercent`, `vatPercent`): written without trailing zeros (`9`, `7.5`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(Decimal);

impl Percent {
    /// A percentage from a decimal.
    pub fn new(value: Decimal) -> Self {
        Self(value.normalize())
    }

    /// The percentage as a decimal (`9` for nine percent).
    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl WireValue for Percent {
    const EXPECTED: &'static str = "a decimal percentage such as 19";
    fn parse_wire(text: &str) -> Option<Self> {
        parse_decimal(text).map(Percent::new)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// A plain decimal amount written as it was given (`10`, `1.50`): discounts' `amountFix`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

impl Amount {
    /// An amount from a decimal.
    pub fn new(value: Decimal) -> Self {
        Self(value)
    }

    /// The amount as a decimal.
    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl WireValue for Amount {
    const EXPECTED: &'static str = "a decimal amount such as 1.50";
    fn parse_wire(text: &str) -> Option<Self> {
        parse_decimal(text).map(Amount)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// Reads a plain decimal (`10`, `10.5`, `-1.25`); no exponents, no thousands separators.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    if plain { Decimal::from_str(text).ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_places_and_rounds_half_up() {
        let m = |s: &str| Money::parse_wire(s).map(|m| m.to_string());
        assert_eq!(m("10").as_deref(), Some("10.00"));
        assert_eq!(m("10.5").as_deref(), Some("10.50"));
        assert_eq!(m("0.125").as_deref(), Some("0.13"));
        assert_eq!(m("-0.125").as_deref(), Some("-0.13"));
        assert_eq!(m("12345678901234.99").as_deref(), Some("12345678901234.99"));
        for bad in ["", "abc", "1e3", "1,5", "1.2.3", ".", "-", "NaN", " 1"] {
            assert_eq!(m(bad), None, "{bad}");
        }
    }

    #[test]
    fn percent_drops_trailing_zeros() {
        let p = |s: &str| Percent::parse_wire(s).map(|p| p.to_string());
        assert_eq!(p("9").as_deref(), Some("9"));
        assert_eq!(p("19.00").as_deref(), Some("19"));
        assert_eq!(p("7.50").as_deref(), Some("7.5"));
    }
}
