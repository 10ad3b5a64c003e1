//! The text form of property values: how each typed value is read from and written to a property.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::error::CodecError;

/// A value that travels as property text.
pub trait WireValue: Sized {
    /// What valid text looks like, for error messages.
    const EXPECTED: &'static str;
    /// Reads the value from its text, `None` when the text is not of the expected form.
    fn parse_wire(text: &str) -> Option<Self>;
    /// The text form of the value.
    fn to_wire(&self) -> Cow<'_, str>;

    /// Reads the value of the named property, with an error that names it.
    fn parse_property(property: &str, text: &str) -> Result<Self, CodecError> {
        Self::parse_wire(text).ok_or_else(|| CodecError::invalid(property, text, Self::EXPECTED))
    }
}

/// An enum whose variants travel as fixed spellings.
pub trait WireEnum: Copy + Eq + 'static {
    /// Every variant, in documentation order.
    const ALL: &'static [Self];
    /// What valid text looks like, for error messages.
    const EXPECTED: &'static str;
    /// The exact wire spelling.
    fn as_str(&self) -> &'static str;
    /// Further accepted input spellings (legacy names), each with the variant it reads as.
    fn aliases() -> &'static [(&'static str, Self)] {
        &[]
    }
    /// Reads a spelling: exact first, then ignoring ASCII case, then the aliases.
    fn from_wire(text: &str) -> Option<Self> {
        let all = Self::ALL.iter().copied();
        all.clone()
            .find(|v| v.as_str() == text)
            .or_else(|| all.clone().find(|v| v.as_str().eq_ignore_ascii_case(text)))
            .or_else(|| Self::aliases().iter().find(|(a, _)| a.eq_ignore_ascii_case(text)).map(|(_, v)| *v))
    }
}

impl<T: WireEnum> WireValue for T {
    const EXPECTED: &'static str = <T as WireEnum>::EXPECTED;
    fn parse_wire(text: &str) -> Option<Self> {
        T::from_wire(text)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
}

impl WireValue for String {
    const EXPECTED: &'static str = "text";
    fn parse_wire(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// Booleans are `true` / `false`; input ignores ASCII case (Python sends `True`).
impl WireValue for bool {
    const EXPECTED: &'static str = "true or false";
    fn parse_wire(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl WireValue for i64 {
    const EXPECTED: &'static str = "an integer";
    fn parse_wire(text: &str) -> Option<Self> {
        text.parse().ok()
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl WireValue for u32 {
    const EXPECTED: &'static str = "a non-negative integer";
    fn parse_wire(text: &str) -> Option<Self> {
        text.parse().ok()
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl WireValue for u64 {
    const EXPECTED: &'static str = "a non-negative integer";
    fn parse_wire(text: &str) -> Option<Self> {
        text.parse().ok()
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// Timestamps: read as `xsd:date` or `xsd:dateTime`, written as UTC with milliseconds.
impl WireValue for DateTime<Utc> {
    const EXPECTED: &'static str = "an xsd:date or xsd:dateTime such as 2014-08-06T21:30:45.574Z";
    fn parse_wire(text: &str) -> Option<Self> {
        super::timestamp::parse(text)
    }
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(super::timestamp::format(self))
    }
}
