//! The conformance corpus (`../shared/corpus`) and the seed documentation's example responses, read in place.
//!
//! Every document must parse, survive XML and JSON round trips unchanged, convert to typed entities, and write
//! back from those entities to a document that again survives both formats and converts to the same entities.
//! A new file in the corpus is tested without code changes.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::{
    fs,
    path::{Path, PathBuf},
};

use netlicensing_model::{
    CodecError, Document, Format, Item,
    codec::{from_xml, to_xml},
    entity::{
        Bundle, Country, Entity, License, LicenseTemplate, LicenseTypeItem, Licensee, LicensingModelItem, Notification,
        PaymentMethod, Product, ProductModule, Token, Transaction, ValidationResult,
    },
};

/// The shared reference folder: `$NETLICENSING_SHARED`, or `shared/` beside the repository.
fn shared() -> PathBuf {
    if let Ok(dir) = std::env::var("NETLICENSING_SHARED") {
        return PathBuf::from(dir);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(dir.is_dir(), "the shared reference folder is missing at {} (set NETLICENSING_SHARED)", dir.display());
    dir
}

fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(shared().join(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    out.sort();
    out
}

/// Example responses embedded in the seed pages: from `<?xml` or `<netlicensing` to the closing root tag.
fn seed_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in files("seeds", "txt") {
        let text = fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(start) =
            ["<?xml", "<netlicensing", "<ns2:netlicensing"].iter().filter_map(|m| rest.find(m)).min()
        {
            let after = &rest[start..];
            let end = ["</netlicensing>", "</ns2:netlicensing>"]
                .iter()
                .filter_map(|m| after.find(m).map(|i| i + m.len()))
                .min()
                .unwrap_or_else(|| panic!("unterminated example in {}", path.display()));
            let name = format!("{}@{}", path.file_name().unwrap().to_string_lossy(), text.len() - rest.len() + start);
            out.push((name, after[..end].to_owned()));
            rest = &after[end..];
        }
    }
    out
}

/// Every typed entity, for converting whole documents.
#[derive(Debug, PartialEq)]
enum Typed {
    Product(Product),
    ProductModule(ProductModule),
    LicenseTemplate(LicenseTemplate),
    Licensee(Licensee),
    License(License),
    Transaction(Transaction),
    Token(Token),
    PaymentMethod(PaymentMethod),
    Bundle(Bundle),
    Notification(Notification),
    Country(Country),
    LicenseType(LicenseTypeItem),
    LicensingModel(LicensingModelItem),
    Validation(ValidationResult),
}

fn typed_item(item: Item) -> Result<Typed, CodecError> {
    Ok(match item.ty.as_str() {
        Product::TYPE => Typed::Product(Product::from_item(item)?),
        ProductModule::TYPE => Typed::ProductModule(ProductModule::from_item(item)?),
        LicenseTemplate::TYPE => Typed::LicenseTemplate(LicenseTemplate::from_item(item)?),
        Licensee::TYPE => Typed::Licensee(Licensee::from_item(item)?),
        License::TYPE => Typed::License(License::from_item(item)?),
        Transaction::TYPE => Typed::Transaction(Transaction::from_item(item)?),
        Token::TYPE => Typed::Token(Token::from_item(item)?),
        PaymentMethod::TYPE => Typed::PaymentMethod(PaymentMethod::from_item(item)?),
        Bundle::TYPE => Typed::Bundle(Bundle::from_item(item)?),
        Notification::TYPE => Typed::Notification(Notification::from_item(item)?),
        Country::TYPE => Typed::Country(Country::from_item(item)?),
        LicenseTypeItem::TYPE => Typed::LicenseType(LicenseTypeItem::from_item(item)?),
        LicensingModelItem::TYPE => Typed::LicensingModel(LicensingModelItem::from_item(item)?),
        other => panic!("unknown item type {other}"),
    })
}

/// A document as typed entities: a validate answer as one result, anything else item by item.
fn typed(doc: &Document) -> Result<Vec<Typed>, CodecError> {
    if doc.items().iter().any(|item| item.ty == "ProductModuleValidation") {
        return Ok(vec![Typed::Validation(ValidationResult::from_document(doc.clone())?)]);
    }
    doc.items().iter().cloned().map(typed_item).collect()
}

/// The document written back from typed entities, keeping the envelope.
fn untyped(doc: &Document, entities: &[Typed]) -> Document {
    let mut items = Vec::new();
    for entity in entities {
        items.push(match entity {
            Typed::Product(e) => e.to_item(),
            Typed::ProductModule(e) => e.to_item(),
            Typed::LicenseTemplate(e) => e.to_item(),
            Typed::Licensee(e) => e.to_item(),
            Typed::License(e) => e.to_item(),
            Typed::Transaction(e) => e.to_item(),
            Typed::Token(e) => e.to_item(),
            Typed::PaymentMethod(e) => e.to_item(),
            Typed::Bundle(e) => e.to_item(),
            Typed::Notification(e) => e.to_item(),
            Typed::Country(e) => e.to_item(),
            Typed::LicenseType(e) => e.to_item(),
            Typed::LicensingModel(e) => e.to_item(),
            Typed::Validation(result) => {
                let mut out = result.to_document();
                out.signature = doc.signature.clone();
                out.id = doc.id.clone();
                return out;
            }
        });
    }
    let mut out = doc.clone();
    if let Some(envelope) = out.items.as_mut() {
        envelope.item = items;
    }
    out
}

/// Writes and re-reads a document in both formats; JSON carries no signature.
fn assert_round_trips(name: &str, doc: &Document) {
    for format in Format::ALL {
        let text = format.encode(doc);
        let back = format.decode(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {format:?} re-read: {e}\n{text}"));
        let mut expected = doc.clone();
        if format == Format::Json {
            expected.signature = None;
        }
        assert_eq!(back, expected, "{name}: {format:?} round trip changed the document\n{text}");
    }
}

fn check(name: &str, doc: Document) {
    assert_round_trips(name, &doc);
    let entities = typed(&doc).unwrap_or_else(|e| panic!("{name}: typed conversion failed: {e}"));
    if !matches!(entities.first(), Some(Typed::Validation(_))) {
        assert_eq!(entities.len(), doc.items().len(), "{name}: every item converts to one entity");
    }
    let written = untyped(&doc, &entities);
    assert_round_trips(&format!("{name} (from entities)"), &written);
    let again = typed(&written).unwrap_or_else(|e| panic!("{name}: typed re-conversion failed: {e}"));
    assert_eq!(again, entities, "{name}: entities changed through the wire");
}

#[test]
fn every_xml_corpus_file() {
    let paths = files("corpus/xml", "xml");
    assert!(paths.len() >= 36, "expected the Java client's mocks, found {}", paths.len());
    for path in paths {
        let name = path.display().to_string();
        let doc = from_xml(&fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&name, doc);
    }
}

#[test]
fn every_seed_example_response() {
    let examples = seed_examples();
    assert!(examples.len() >= 16, "expected the seed examples, found {}", examples.len());
    for (name, text) in examples {
        let doc = from_xml(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert!(!doc.items().is_empty(), "{name}: no items read");
        check(&name, doc);
    }
}

#[test]
fn every_json_capture() {
    let paths = files("corpus/json", "json");
    assert!(paths.len() >= 6, "expected the JSON captures, found {}", paths.len());
    for path in paths {
        let name = path.display().to_string();
        let doc = Format::Json.decode(&fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&name, doc);
    }
}

#[test]
fn signed_documents_keep_their_signature_and_other_roots_are_refused() {
    for path in files("corpus/xmldsig", "xml") {
        let name = path.display().to_string();
        let bytes = fs::read(&path).unwrap();
        let ours = String::from_utf8_lossy(&bytes).contains(":netlicensing xmlns");
        match Format::Xml.decode(&bytes) {
            Ok(doc) => {
                let signature = doc.signature.as_ref().unwrap_or_else(|| panic!("{name}: signature not read"));
                assert_eq!(signature.references.len(), 1, "{name}");
                assert!(!signature.signature_value.is_empty(), "{name}");
                check(&name, doc);
            }
            Err(CodecError::Xml(message)) if !ours => {
                assert!(message.contains("not 'netlicensing'") || message.contains("UTF-8"), "{name}: {message}");
            }
            Err(other) => panic!("{name}: {other}"),
        }
    }
}

/// The writer produces the server's exact bytes: the signed capture's content, re-written without its
/// signature and with the empty `infos` expanded, is the canonical form the signature was computed over.
#[test]
fn writer_reproduces_the_signed_capture_byte_for_byte() {
    let text = fs::read_to_string(shared().join("corpus/xmldsig/Isb-DEMO.xml")).unwrap();
    let mut doc = from_xml(&text).unwrap();
    let signature = doc.signature.take().unwrap();
    assert_eq!(signature.references[0].digest_value, "ICC1F7ZKeQoayrzn1iGtw7Zt96s=");
    let canonical = concat!(
        r#"<ns2:netlicensing xmlns="http://www.w3.org/2000/09/xmldsig#" xmlns:ns2="http://netlicensing.labs64.com/schema/context" ttl="2020-12-28T22:53:06.681Z">"#,
        r#"<ns2:infos></ns2:infos><ns2:items><ns2:item type="ProductModuleValidation">"#,
        r#"<ns2:property name="productModuleNumber">Msb-DEMO</ns2:property><ns2:property name="valid">true</ns2:property>"#,
        r#"<ns2:property name="expires">2021-04-21T20:15:45.694Z</ns2:property>"#,
        r#"<ns2:property name="productModuleName">Module using "Subscription" licensing model</ns2:property>"#,
        r#"<ns2:property name="licensingModel">Subscription</ns2:property></ns2:item></ns2:items></ns2:netlicensing>"#
    );
    assert_eq!(netlicensing_model::codec::canonical_xml(&doc), canonical, "canonical form");
    let written = to_xml(&doc);
    let body = written.strip_prefix(netlicensing_model::codec::XML_DECLARATION).unwrap();
    assert_eq!(body.replace("<ns2:infos/>", "<ns2:infos></ns2:infos>"), canonical);
    let with_signature = to_xml(&Document { signature: Some(signature), ..doc });
    assert_eq!(with_signature, text.trim_end());
}
