//! Wire forms of a [`Document`]: XML and JSON, plus form-encoded request bodies.

pub mod form;
mod json;
mod xml_read;
mod xml_write;

pub use form::Form;
pub use json::{from_json, to_json};
pub use xml_read::{MAX_LIST_DEPTH, from_xml};
pub use xml_write::{XML_DECLARATION, canonical_signed_info, canonical_xml, to_xml, write_document};

use crate::{document::Document, error::CodecError};

/// A representation of documents on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/xml`: the default when a client states no preference.
    #[default]
    Xml,
    /// `application/json`.
    Json,
}

impl Format {
    /// Both formats, XML first.
    pub const ALL: [Format; 2] = [Format::Xml, Format::Json];

    /// Media type of the format, as sent in `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml",
            Format::Json => "application/json",
        }
    }

    /// Writes a document in this format.
    pub fn encode(self, doc: &Document) -> String {
        match self {
            Format::Xml => to_xml(doc),
            Format::Json => to_json(doc),
        }
    }

    /// Reads a document in this format. The bytes must be UTF-8 (a byte-order mark is allowed).
    pub fn decode(self, bytes: &[u8]) -> Result<Document, CodecError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| match self {
            Format::Xml => CodecError::Xml(format!("not UTF-8: {e}")),
            Format::Json => CodecError::Json(format!("not UTF-8: {e}")),
        })?;
        match self {
            Format::Xml => from_xml(text),
            Format::Json => from_json(text),
        }
    }
}

#[cfg(test)]
mod tests;
