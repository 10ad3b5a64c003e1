//! Errors of the wire layer: malformed documents, forms and property values.

use thiserror::Error;

/// Everything that can go wrong while reading or interpreting wire data. Knows no HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodecError {
    /// The XML text is not well-formed or not a `netlicensing` document.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// The JSON text is not a `netlicensing` document.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// An item of one type was given where another was expected.
    #[error("expected an item of type '{expected}', found '{found}'")]
    WrongItemType {
        /// The type the caller asked for.
        expected: &'static str,
        /// The type the item carries.
        found: String,
    },
    /// A property that must be present is missing.
    #[error("property '{property}' is required")]
    MissingProperty {
        /// Wire name of the missing property.
        property: String,
    },
    /// A property is present but its text is not of the expected form.
    #[error("property '{property}' has an invalid value '{value}': expected {expected}")]
    InvalidValue {
        /// Wire name of the property.
        property: String,
        /// The text that was found.
        value: String,
        /// What the text should have looked like.
        expected: &'static str,
    },
}

impl CodecError {
    /// Attaches a property name to a value that failed to parse.
    pub fn invalid(property: impl Into<String>, value: impl Into<String>, expected: &'static str) -> Self {
        Self::InvalidValue { property: property.into(), value: value.into(), expected }
    }

    /// A required property is missing.
    pub fn missing(property: impl Into<String>) -> Self {
        Self::MissingProperty { property: property.into() }
    }

    /// Wire name of the property the error is about, if any.
    pub fn property(&self) -> Option<&str> {
        match self {
            Self::MissingProperty { property } | Self::InvalidValue { property, .. } => Some(property),
            Self::Xml(_) | Self::Json(_) | Self::WrongItemType { .. } => None,
        }
    }
}
