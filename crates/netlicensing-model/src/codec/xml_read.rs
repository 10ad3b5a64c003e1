//! Reading the XML form of a document with quick-xml's pull parser.
//!
//! Elements are matched by local name, so both the documentation style (default namespace) and the server style
//! (`ns2:` prefix) read the same. Unknown attributes (`xmlns`, `xsi:schemaLocation`) and unknown elements are
//! skipped. Property text is trimmed of *literal* surrounding whitespace (pretty-printing), while whitespace written
//! as a character reference (`&#x20;`, `&#xD;&#xA;`) is data and kept: that is how the writer preserves it.
//! Only the five predefined entities are known; a DOCTYPE never expands anything.

use quick_xml::{
    XmlVersion,
    escape::resolve_predefined_entity,
    events::{BytesStart, Event},
    reader::Reader,
};

use crate::{
    document::{Document, Info, Item, Items, List, Paging, Property, Signature, SignatureReference},
    error::CodecError,
    types::{InfoType, WireValue},
};

/// Deepest nesting of `list` elements accepted (guards the stack against hostile input).
pub const MAX_LIST_DEPTH: usize = 32;

/// Reads a document from its XML text.
pub fn from_xml(text: &str) -> Result<Document, CodecError> {
    let mut reader = Reader::from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
    reader.config_mut().check_end_names = true;
    let mut parser = Parser { reader };
    parser.document()
}

struct Parser<'i> {
    reader: Reader<&'i [u8]>,
}

/// A child element met while reading the content of another.
enum Child<'i> {
    /// `<x ...>`: its content follows.
    Open(BytesStart<'i>),
    /// `<x .../>`.
    Empty(BytesStart<'i>),
}

impl<'i> Child<'i> {
    fn start(&self) -> &BytesStart<'i> {
        match self {
            Child::Open(start) | Child::Empty(start) => start,
        }
    }
    /// The local name (prefix stripped), borrowed from the event.
    fn local(&self) -> &str {
        self.start().local_name().into_inner()
    }
}

impl<'i> Parser<'i> {
    fn error(&self, message: impl std::fmt::Display) -> CodecError {
        CodecError::Xml(format!("{message} (at byte {})", self.reader.buffer_position()))
    }

    fn event(&mut self) -> Result<Event<'i>, CodecError> {
        self.reader.read_event().map_err(|e| self.error(e))
    }

    fn document(&mut self) -> Result<Document, CodecError> {
        loop {
            match self.event()? {
                Event::Start(start) => return self.root(Child::Open(start)),
                Event::Empty(start) => return self.root(Child::Empty(start)),
                Event::Text(text) if text.xml10_content().trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Err(self.error("no root element")),
                _ => return Err(self.error("unexpected content before the root element")),
            }
        }
    }

    fn root(&mut self, root: Child<'i>) -> Result<Document, CodecError> {
        if root.local() != "netlicensing" {
            return Err(self.error("the root element is not 'netlicensing'"));
        }
        let mut doc = Document::default();
        if let Some(id) = self.attribute(root.start(), "id")? {
            doc.id = Some(id);
        }
        if let Some(ttl) = self.attribute(root.start(), "ttl")? {
            doc.ttl = Some(WireValue::parse_property("ttl", &ttl)?);
        }
        if let Child::Open(_) = root {
            while let Some(child) = self.next_child()? {
                match child.local() {
                    "Signature" => doc.signature = Some(self.signature(child)?),
                    "infos" => doc.infos = self.infos(child)?,
                    "items" => doc.items = Some(self.items(child)?),
                    _ => self.skip(child)?,
                }
            }
        }
        Ok(doc)
    }

    /// The next child element of the current one, or `None` at its end tag. Whitespace and comments between
    /// elements are ignored; other text is an error.
    fn next_child(&mut self) -> Result<Option<Child<'i>>, CodecError> {
        loop {
            match self.event()? {
                Event::Start(start) => return Ok(Some(Child::Open(start))),
                Event::Empty(start) => return Ok(Some(Child::Empty(start))),
                Event::End(_) => return Ok(None),
                Event::Text(text) if text.xml10_content().trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.error("unexpected end of document")),
                _ => return Err(self.error("unexpected text between elements")),
            }
        }
    }

    fn skip(&mut self, child: Child<'i>) -> Result<(), CodecError> {
        if let Child::Open(start) = child {
            let end = start.to_end().into_owned();
            self.reader.read_to_end(end.name()).map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    fn attribute(&self, start: &BytesStart<'_>, name: &str) -> Result<Option<String>, CodecError> {
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.error(e))?;
            if attr.key.as_ref() == name {
                let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|e| self.error(e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn required_attribute(&self, start: &BytesStart<'_>, name: &str) -> Result<String, CodecError> {
        self.attribute(start, name)?.ok_or_else(|| {
            let element = start.local_name().into_inner().to_owned();
            self.error(format!("element '{element}' lacks the attribute '{name}'"))
        })
    }

    /// The text content of an element, trimmed of literal surrounding whitespace.
    fn text(&mut self, child: Child<'i>) -> Result<String, CodecError> {
        if let Child::Empty(_) = child {
            return Ok(String::new());
        }
        let mut out = String::new();
        let mut significant_end = 0;
        loop {
            match self.event()? {
                Event::Text(text) => {
                    let content = text.xml10_content();
                    let mut literal: &str = &content;
                    if out.is_empty() {
                        literal = literal.trim_start_matches(is_xml_space);
                    }
                    let significant = literal.trim_end_matches(is_xml_space).len();
                    if significant > 0 {
                        significant_end = out.len() + significant;
                    }
                    out.push_str(literal);
                }
                Event::GeneralRef(reference) => {
                    match reference.resolve_char_ref().map_err(|e| self.error(e))? {
                        Some(ch) => out.push(ch),
                        None => {
                            let name = reference.xml10_content();
                            let value = resolve_predefined_entity(&name)
                                .ok_or_else(|| self.error(format!("unknown entity '&{name};'")))?;
                            out.push_str(value);
                        }
                    }
                    significant_end = out.len();
                }
                Event::CData(data) => {
                    out.push_str(&data.xml10_content());
                    significant_end = out.len();
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::End(_) => break,
                Event::Start(start) => self.skip(Child::Open(start))?,
                Event::Empty(_) => {}
                Event::Eof => return Err(self.error("unexpected end of document")),
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.error("misplaced declaration"));
                }
            }
        }
        out.truncate(significant_end);
        Ok(out)
    }

    fn infos(&mut self, infos: Child<'i>) -> Result<Vec<Info>, CodecError> {
        let mut out = Vec::new();
        if let Child::Empty(_) = infos {
            return Ok(out);
        }
        while let Some(child) = self.next_child()? {
            if child.local() != "info" {
                self.skip(child)?;
                continue;
            }
            let id = self.attribute(child.start(), "id")?;
            let kind = match self.attribute(child.start(), "type")? {
                None => None,
                Some(kind) => Some(
                    InfoType::parse(&kind)
                        .ok_or_else(|| CodecError::invalid("type", kind, "error, warning or info"))?,
                ),
            };
            let value = self.text(child)?;
            out.push(Info { id, kind, value });
        }
        Ok(out)
    }

    fn items(&mut self, items: Child<'i>) -> Result<Items, CodecError> {
        let paging = self.paging(items.start())?;
        let mut item = Vec::new();
        if let Child::Open(_) = items {
            while let Some(child) = self.next_child()? {
                if child.local() != "item" {
                    self.skip(child)?;
                    continue;
                }
                let ty = self.required_attribute(child.start(), "type")?;
                let (properties, lists) = self.members(child, 0)?;
                item.push(Item { ty, properties, lists });
            }
        }
        Ok(Items { item, paging })
    }

    fn paging(&self, items: &BytesStart<'_>) -> Result<Option<Paging>, CodecError> {
        let names = ["pagenumber", "itemsnumber", "totalpages", "totalitems", "hasnext"];
        let mut values = Vec::with_capacity(names.len());
        for name in names {
            values.push(self.attribute(items, name)?);
        }
        paging_from(&names, values)
    }

    /// Properties and lists inside an `item` or `list`.
    fn members(&mut self, parent: Child<'i>, depth: usize) -> Result<(Vec<Property>, Vec<List>), CodecError> {
        let mut properties = Vec::new();
        let mut lists = Vec::new();
        if let Child::Empty(_) = parent {
            return Ok((properties, lists));
        }
        while let Some(child) = self.next_child()? {
            match child.local() {
                "property" => {
                    let name = self.required_attribute(child.start(), "name")?;
                    let value = self.text(child)?;
                    properties.push(Property { name, value });
                }
                "list" => {
                    if depth >= MAX_LIST_DEPTH {
                        return Err(self.error(format!("lists nested deeper than {MAX_LIST_DEPTH}")));
                    }
                    let name = self.required_attribute(child.start(), "name")?;
                    let (inner_properties, inner_lists) = self.members(child, depth + 1)?;
                    lists.push(List { name, properties: inner_properties, lists: inner_lists });
                }
                _ => self.skip(child)?,
            }
        }
        Ok((properties, lists))
    }

    fn signature(&mut self, signature: Child<'i>) -> Result<Signature, CodecError> {
        let mut out = Signature::default();
        if let Child::Empty(_) = signature {
            return Ok(out);
        }
        while let Some(child) = self.next_child()? {
            match child.local() {
                "SignedInfo" if matches!(child, Child::Open(_)) => {
                    while let Some(part) = self.next_child()? {
                        match part.local() {
                            "CanonicalizationMethod" => {
                                out.canonicalization_method = self.algorithm(part)?;
                            }
                            "SignatureMethod" => out.signature_method = self.algorithm(part)?,
                            "Reference" => out.references.push(self.reference(part)?),
                            _ => self.skip(part)?,
                        }
                    }
                }
                "SignatureValue" => out.signature_value = self.text(child)?,
                _ => self.skip(child)?,
            }
        }
        Ok(out)
    }

    fn algorithm(&mut self, element: Child<'i>) -> Result<String, CodecError> {
        let algorithm = self.attribute(element.start(), "Algorithm")?.unwrap_or_default();
        self.skip(element)?;
        Ok(algorithm)
    }

    fn reference(&mut self, reference: Child<'i>) -> Result<SignatureReference, CodecError> {
        let mut out = SignatureReference {
            uri: self.attribute(reference.start(), "URI")?.unwrap_or_default(),
            ..SignatureReference::default()
        };
        if let Child::Empty(_) = reference {
            return Ok(out);
        }
        while let Some(child) = self.next_child()? {
            match child.local() {
                "Transforms" if matches!(child, Child::Open(_)) => {
                    while let Some(transform) = self.next_child()? {
                        let algorithm = self.algorithm(transform)?;
                        out.transforms.push(algorithm);
                    }
                }
                "DigestMethod" => out.digest_method = self.algorithm(child)?,
                "DigestValue" => out.digest_value = self.text(child)?,
                _ => self.skip(child)?,
            }
        }
        Ok(out)
    }
}

/// Whitespace in the sense of XML 1.0.
fn is_xml_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\r')
}

/// Builds paging from the five attribute values: none present means no paging; any present means all must be.
pub(crate) fn paging_from(names: &[&str; 5], values: Vec<Option<String>>) -> Result<Option<Paging>, CodecError> {
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let number = |i: usize| -> Result<u64, CodecError> {
        let text = values[i].as_deref().ok_or_else(|| CodecError::missing(names[i]))?;
        u64::parse_property(names[i], text)
    };
    let has_next = values[4].as_deref().ok_or_else(|| CodecError::missing(names[4]))?;
    Ok(Some(Paging {
        page_number: number(0)?,
        items_number: number(1)?,
        total_pages: number(2)?,
        total_items: number(3)?,
        has_next: bool::parse_property(names[4], has_next)?,
    }))
}
