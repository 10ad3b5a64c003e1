//! Wire details of both formats: exact output shapes, tolerant input, exact whitespace, hostile input.

use chrono::{TimeZone, Utc};

use super::*;
use crate::{
    document::{Info, Item, Items, List, Paging, Property},
    types::InfoType,
};

fn sample() -> Document {
    let mut item = Item::new("Product");
    item.push("number", "P1");
    item.push("active", "true");
    let mut discount = List::new("discount");
    discount.push("totalPrice", "10.00");
    item.lists.push(discount);
    Document::page(vec![item], Paging::single(1))
}

#[test]
fn json_has_the_shape_the_clients_expect() {
    assert_eq!(
        to_json(&sample()),
        concat!(
            r#"{"signature":null,"infos":{"info":[]},"items":{"item":[{"property":[{"value":"P1","name":"number"},"#,
            r#"{"value":"true","name":"active"}],"list":[{"property":[{"value":"10.00","name":"totalPrice"}],"list":[],"#,
            r#""name":"discount"}],"type":"Product"}],"pagenumber":"0","itemsnumber":"1","totalpages":"1","#,
            r#""totalitems":"1","hasnext":"false"},"id":null,"ttl":null}"#
        )
    );
    let mut error = Document::error("NotFoundException", "Requested licensee does not exist");
    error.ttl = Utc.timestamp_millis_opt(1_475_044_960_966).single();
    assert_eq!(
        to_json(&error),
        concat!(
            r#"{"signature":null,"infos":{"info":[{"value":"Requested licensee does not exist","#,
            r#""id":"NotFoundException","type":"ERROR"}]},"items":null,"id":null,"ttl":"2016-09-28T06:42:40.966Z"}"#
        )
    );
}

#[test]
fn xml_has_the_server_form() {
    let doc = Document::error("NotFoundException", "Requested licensee does not exist");
    assert_eq!(
        to_xml(&doc),
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<ns2:netlicensing xmlns="http://www.w3.org/2000/09/xmldsig#" xmlns:ns2="http://netlicensing.labs64.com/schema/context">"#,
            r#"<ns2:infos><ns2:info id="NotFoundException" type="error">Requested licensee does not exist</ns2:info></ns2:infos>"#,
            r#"</ns2:netlicensing>"#
        )
    );
    let empty_page = Document::page(Vec::new(), Paging::of(0, 100, 0, 0));
    assert!(to_xml(&empty_page).contains(
        r#"<ns2:infos/><ns2:items pagenumber="0" itemsnumber="0" totalpages="0" totalitems="0" hasnext="false"/>"#
    ));
}

#[test]
fn json_input_is_tolerant() {
    let doc = from_json(
        r#"{"Signature":null,"infos":{"info":null},"items":{"item":[{"property":[{"value":7,"name":"n"},
           {"value":true,"name":"b"},{"value":null,"name":"z"}],"list":null,"type":"X"}],
           "pagenumber":null,"itemsnumber":null,"totalpages":null,"totalitems":null,"hasnext":null},
           "id":null,"ttl":"2016-09-28T06:42:40.966Z"}"#,
    )
    .unwrap();
    let props = &doc.items()[0].properties;
    assert_eq!(props, &[Property::new("n", "7"), Property::new("b", "true"), Property::new("z", "")]);
    assert_eq!(doc.paging(), None);
    assert_eq!(doc.ttl.map(|t| t.timestamp_millis()), Some(1_475_044_960_966));
    let doc =
        from_json(r#"{"infos":{"info":[{"value":"x","id":"i","type":"warning"}]},"ttl":"1475044960966"}"#).unwrap();
    assert_eq!(doc.infos, [Info::new(InfoType::Warning, "i", "x")]);
    assert_eq!(doc.items, None);
    assert_eq!(doc.ttl.map(|t| t.timestamp_millis()), Some(1_475_044_960_966));
}

#[test]
fn xml_input_is_tolerant() {
    let doc = from_xml(
        r#"<?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment -->
        <netlicensing xmlns="http://netlicensing.labs64.com/schema/context"
                      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                      xsi:schemaLocation="a b" ttl="2020-05-11T08:51:58.233Z">
            <infos />
            <items>
                <item type="Token">
                    <property name="shopURL">
                        https://go.netlicensing.io/shop/v2/?shoptoken=x
                    </property>
                    <property name="empty"/>
                    <unknown><deep/></unknown>
                </item>
            </items>
        </netlicensing>"#,
    )
    .unwrap();
    let item = &doc.items()[0];
    assert_eq!(item.property("shopURL"), Some("https://go.netlicensing.io/shop/v2/?shoptoken=x"));
    assert_eq!(item.property("empty"), Some(""));
    assert!(doc.infos.is_empty());
    assert!(doc.ttl.is_some());
    assert_eq!(from_xml("<netlicensing/>").unwrap(), Document::default());
}

#[test]
fn whitespace_and_markup_in_values_survive_both_formats() {
    let values = ["QTPro ", "<p>x</p>\r\n", "  a\tb  ", " ", "\r", "x\r\ny", "a & <b> \"c\" 'd'", "ü €𝄞"];
    let mut item = Item::new("X");
    for (i, value) in values.iter().enumerate() {
        item.push(format!("p{i}"), *value);
    }
    let mut doc = Document::with_items(vec![item]);
    doc.infos.push(Info::new(InfoType::Info, "a\tb\"c\n", " spaced "));
    for format in Format::ALL {
        assert_eq!(format.decode(format.encode(&doc).as_bytes()).unwrap(), doc, "{format:?}");
    }
}

#[test]
fn characters_xml_cannot_carry_are_replaced() {
    let mut item = Item::new("X");
    item.push("p", "a\u{1}b\u{FFFF}");
    let doc = Document::with_items(vec![item]);
    let back = from_xml(&to_xml(&doc)).unwrap();
    assert_eq!(back.items()[0].property("p"), Some("a\u{FFFD}b\u{FFFD}"));
}

#[test]
fn hostile_or_broken_xml_is_an_error_not_a_panic() {
    let deep = format!(
        "<netlicensing><items><item type=\"X\">{}{}</item></items></netlicensing>",
        "<list name=\"l\">".repeat(MAX_LIST_DEPTH + 1),
        "</list>".repeat(MAX_LIST_DEPTH + 1)
    );
    let cases = [
        "",
        "not xml",
        "<other/>",
        "<netlicensing><items><item type=\"X\"><property name=\"a\">x</item></items></netlicensing>",
        "<netlicensing><items><item><property name=\"a\">x</property></item></items></netlicensing>",
        "<!DOCTYPE netlicensing [<!ENTITY e \"boom\">]><netlicensing><infos><info>&e;</info></infos></netlicensing>",
        "<netlicensing><items pagenumber=\"0\"/></netlicensing>",
        "<netlicensing><items pagenumber=\"x\" itemsnumber=\"0\" totalpages=\"0\" totalitems=\"0\" hasnext=\"false\"/></netlicensing>",
        "<netlicensing><infos><info type=\"fatal\">x</info></infos></netlicensing>",
        "<netlicensing ttl=\"yesterday\"/>",
        deep.as_str(),
    ];
    for case in cases {
        assert!(from_xml(case).is_err(), "accepted: {case}");
    }
}

#[test]
fn broken_json_is_an_error() {
    for case in [
        "",
        "[]",
        "{\"items\":{\"item\":[{\"property\":[]}]}}",
        "{\"ttl\":\"soon\"}",
        "{\"infos\":{\"info\":[{\"type\":\"fatal\"}]}}",
    ] {
        assert!(from_json(case).is_err(), "accepted: {case}");
    }
}

#[test]
fn format_decodes_bytes_and_knows_its_media_type() {
    let doc = sample();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(Format::Xml.encode(&doc).as_bytes());
    assert_eq!(Format::Xml.decode(&bytes).unwrap(), doc);
    assert!(Format::Json.decode(b"\xFF").is_err());
    assert_eq!(Format::default().media_type(), "application/xml");
    assert_eq!(Format::Json.media_type(), "application/json");
}

#[test]
fn paging_arithmetic() {
    assert_eq!(
        Paging::of(0, 100, 53, 53),
        Paging { page_number: 0, items_number: 53, total_pages: 1, total_items: 53, has_next: false }
    );
    assert_eq!(
        Paging::of(1, 10, 10, 35),
        Paging { page_number: 1, items_number: 10, total_pages: 4, total_items: 35, has_next: true }
    );
    assert!(!Paging::of(3, 10, 5, 35).has_next);
    let items = Items { item: Vec::new(), paging: Some(Paging::of(2, 10, 0, 5)) };
    assert!(!items.paging.unwrap().has_next);
}
