//! Writing the XML form of a document, as the service does: XML declaration, the context namespace bound to
//! `ns2`, XML Signature as the default namespace, `ns2:infos` always present, no whitespace between elements.
//!
//! Text is escaped so that it reads back exactly: `&`, `<`, `>` and every carriage return are escaped, and so is
//! whitespace at either end of a value (the reader trims literal surrounding whitespace as formatting).
//! Characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF) are written as U+FFFD.

use crate::{
    document::{CONTEXT_NS, Document, Info, Items, List, Property, Signature, XMLDSIG_NS},
    types::WireValue,
};

/// The XML declaration the service writes.
pub const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// How the document is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// As the service sends it.
    Wire,
    /// Canonical XML 1.0 (what an enveloped signature is computed over): empty elements expanded, attributes
    /// in canonical order, text escaped as C14N does, no signature.
    Canonical,
}

/// Writes a document as XML text.
pub fn to_xml(doc: &Document) -> String {
    let mut out = String::with_capacity(256 + doc.items().len() * 512);
    out.push_str(XML_DECLARATION);
    write_document(doc, &mut out);
    out
}

/// The Canonical XML (inclusive, with comments) of the document element without its signature: the input of
/// the enveloped signature's digest.
pub fn canonical_xml(doc: &Document) -> String {
    let mut out = String::with_capacity(256 + doc.items().len() * 512);
    write_styled(doc, &mut out, Style::Canonical);
    out
}

/// The Canonical XML of a signature's `SignedInfo` inside a NetLicensing document: the input of the signature value.
pub fn canonical_signed_info(signature: &Signature) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("<SignedInfo xmlns=\"");
    out.push_str(XMLDSIG_NS);
    out.push_str("\" xmlns:ns2=\"");
    out.push_str(CONTEXT_NS);
    out.push_str("\">");
    write_signed_info_body(signature, &mut out, Style::Canonical);
    out.push_str("</SignedInfo>");
    out
}

/// Writes the document element (no declaration) into `out`.
pub fn write_document(doc: &Document, out: &mut String) {
    write_styled(doc, out, Style::Wire);
}

fn write_styled(doc: &Document, out: &mut String, style: Style) {
    out.push_str("<ns2:netlicensing xmlns=\"");
    out.push_str(XMLDSIG_NS);
    out.push_str("\" xmlns:ns2=\"");
    out.push_str(CONTEXT_NS);
    out.push('"');
    if let Some(id) = &doc.id {
        attribute(out, "id", id);
    }
    if let Some(ttl) = &doc.ttl {
        attribute(out, "ttl", &ttl.to_wire());
    }
    out.push('>');
    if let Some(signature) = doc.signature.as_ref().filter(|_| style == Style::Wire) {
        write_signature(signature, out);
    }
    write_infos(&doc.infos, out, style);
    if let Some(items) = &doc.items {
        write_items(items, out, style);
    }
    out.push_str("</ns2:netlicensing>");
}

/// `<x/>` on the wire, `<x></x>` in canonical form.
fn close_empty(out: &mut String, element: &str, style: Style) {
    match style {
        Style::Wire => out.push_str("/>"),
        Style::Canonical => {
            out.push_str("></");
            out.push_str(element);
            out.push('>');
        }
    }
}

fn write_infos(infos: &[Info], out: &mut String, style: Style) {
    if infos.is_empty() {
        out.push_str("<ns2:infos");
        close_empty(out, "ns2:infos", style);
        return;
    }
    out.push_str("<ns2:infos>");
    for info in infos {
        out.push_str("<ns2:info");
        if let Some(id) = &info.id {
            attribute(out, "id", id);
        }
        if let Some(kind) = info.kind {
            attribute(out, "type", kind.xml());
        }
        out.push('>');
        text(out, &info.value, style);
        out.push_str("</ns2:info>");
    }
    out.push_str("</ns2:infos>");
}

fn write_items(items: &Items, out: &mut String, style: Style) {
    out.push_str("<ns2:items");
    if let Some(paging) = &items.paging {
        let mut attributes = [
            ("pagenumber", paging.page_number.to_string()),
            ("itemsnumber", paging.items_number.to_string()),
            ("totalpages", paging.total_pages.to_string()),
            ("totalitems", paging.total_items.to_string()),
            ("hasnext", paging.has_next.to_wire().into_owned()),
        ];
        if style == Style::Canonical {
            attributes.sort_by(|a, b| a.0.cmp(b.0));
        }
        for (name, value) in &attributes {
            attribute(out, name, value);
        }
    }
    if items.item.is_empty() {
        close_empty(out, "ns2:items", style);
        return;
    }
    out.push('>');
    for item in &items.item {
        out.push_str("<ns2:item");
        attribute(out, "type", &item.ty);
        out.push('>');
        write_members(&item.properties, &item.lists, out, style);
        out.push_str("</ns2:item>");
    }
    out.push_str("</ns2:items>");
}

fn write_members(properties: &[Property], lists: &[List], out: &mut String, style: Style) {
    for property in properties {
        out.push_str("<ns2:property");
        attribute(out, "name", &property.name);
        out.push('>');
        text(out, &property.value, style);
        out.push_str("</ns2:property>");
    }
    for list in lists {
        out.push_str("<ns2:list");
        attribute(out, "name", &list.name);
        out.push('>');
        write_members(&list.properties, &list.lists, out, style);
        out.push_str("</ns2:list>");
    }
}

fn write_signature(signature: &Signature, out: &mut String) {
    out.push_str("<Signature><SignedInfo>");
    write_signed_info_body(signature, out, Style::Wire);
    out.push_str("</SignedInfo><SignatureValue>");
    text(out, &signature.signature_value, Style::Wire);
    out.push_str("</SignatureValue></Signature>");
}

fn write_signed_info_body(signature: &Signature, out: &mut String, style: Style) {
    algorithm(out, "CanonicalizationMethod", &signature.canonicalization_method, style);
    algorithm(out, "SignatureMethod", &signature.signature_method, style);
    for reference in &signature.references {
        out.push_str("<Reference");
        attribute(out, "URI", &reference.uri);
        out.push_str("><Transforms>");
        for transform in &reference.transforms {
            algorithm(out, "Transform", transform, style);
        }
        out.push_str("</Transforms>");
        algorithm(out, "DigestMethod", &reference.digest_method, style);
        out.push_str("<DigestValue>");
        text(out, &reference.digest_value, style);
        out.push_str("</DigestValue></Reference>");
    }
}

fn algorithm(out: &mut String, element: &str, algorithm: &str, style: Style) {
    out.push('<');
    out.push_str(element);
    attribute(out, "Algorithm", algorithm);
    close_empty(out, element, style);
}

/// Appends ` name="value"` with the value escaped as Canonical XML escapes attribute values.
fn attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escaped(out, value, |ch| match ch {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '"' => Some("&quot;"),
        '\t' => Some("&#x9;"),
        '\n' => Some("&#xA;"),
        '\r' => Some("&#xD;"),
        _ => None,
    });
    out.push('"');
}

/// Appends escaped element text. On the wire, surrounding whitespace becomes character references (the reader
/// trims literal surrounding whitespace); canonical text escapes only `&`, `<`, `>` and carriage returns.
fn text(out: &mut String, value: &str, style: Style) {
    let is_space = |ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r');
    let (start, end) = match style {
        Style::Wire => {
            let start = value.len() - value.trim_start_matches(is_space).len();
            (start, value.trim_end_matches(is_space).len().max(start))
        }
        Style::Canonical => (0, value.len()),
    };
    value[..start].chars().for_each(|ch| space_reference(out, ch));
    escaped(out, &value[start..end], |ch| match ch {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#xD;"),
        _ => None,
    });
    value[end..].chars().for_each(|ch| space_reference(out, ch));
}

fn space_reference(out: &mut String, ch: char) {
    out.push_str(match ch {
        ' ' => "&#x20;",
        '\t' => "&#x9;",
        '\n' => "&#xA;",
        _ => "&#xD;",
    });
}

/// Appends `value` with each character `escape` names replaced, and each character XML 1.0 does not allow
/// replaced by U+FFFD; runs of plain characters are copied whole.
fn escaped(out: &mut String, value: &str, escape: impl Fn(char) -> Option<&'static str>) {
    // Most values are printable ASCII without markup characters: copied whole, without a look at each char.
    if value.bytes().all(|b| matches!(b, b' '..=b'~') && !matches!(b, b'&' | b'<' | b'>' | b'"')) {
        out.push_str(value);
        return;
    }
    let mut plain = 0;
    for (at, ch) in value.char_indices() {
        let replacement = match escape(ch) {
            Some(replacement) => replacement,
            None if xml_allowed(ch) => continue,
            None => "\u{FFFD}",
        };
        out.push_str(&value[plain..at]);
        out.push_str(replacement);
        plain = at + ch.len_utf8();
    }
    out.push_str(&value[plain..]);
}

/// Whether XML 1.0 allows the character in a document.
fn xml_allowed(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_between_plain_runs() {
        let mut out = String::new();
        attribute(&mut out, "a", "x&y<z\"\t\n\r\u{1}é\u{FFFE}😀end");
        assert_eq!(out, " a=\"x&amp;y&lt;z&quot;&#x9;&#xA;&#xD;\u{FFFD}é\u{FFFD}😀end\"");
        let mut out = String::new();
        text(&mut out, " a>b&c\r\u{0}ü ", Style::Wire);
        assert_eq!(out, "&#x20;a&gt;b&amp;c&#xD;\u{FFFD}ü&#x20;");
        let mut out = String::new();
        text(&mut out, "plain", Style::Canonical);
        assert_eq!(out, "plain");
    }

    #[test]
    fn plain_ascii_is_copied_whole_and_markup_never() {
        let plain: String = (b' '..=b'~').map(char::from).filter(|c| !"&<>\"".contains(*c)).collect();
        let mut out = String::new();
        attribute(&mut out, "a", &plain);
        assert_eq!(out, format!(" a=\"{plain}\""));
        for (markup, attribute_form, text_form) in
            [('&', "&amp;", "&amp;"), ('<', "&lt;", "&lt;"), ('>', ">", "&gt;"), ('"', "&quot;", "\"")]
        {
            let value = format!("{plain}{markup}{plain}");
            let mut out = String::new();
            attribute(&mut out, "a", &value);
            assert_eq!(out, format!(" a=\"{plain}{attribute_form}{plain}\""), "{markup}");
            let mut out = String::new();
            text(&mut out, &value, Style::Canonical);
            assert_eq!(out, format!("{plain}{text_form}{plain}"), "{markup}");
        }
    }
}
