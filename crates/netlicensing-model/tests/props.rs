//! Property-based round trips: documents through XML and JSON, form encoding, validation parameters, entities.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, TimeZone, Utc};
use netlicensing_model::{
    Document, Format, Info, Item, Items, List, Paging, Property,
    codec::Form,
    entity::{Discount, DiscountAmount, Entity, ModuleParameters, Product, ValidationParameters},
    types::{Amount, Currency, InfoType, Money, Percent, VatMode},
};
use proptest::{collection::vec, option, prelude::*};
use rust_decimal::Decimal;

/// Characters XML 1.0 can carry, with markup and whitespace characters made frequent.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>().prop_filter("XML 1.0 character", |c| {
            matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        }),
        1 => prop::sample::select(vec![' ', '\t', '\n', '\r', '<', '>', '&', '"', '\'', ';', '=', '%', '+']),
        3 => prop::char::range('a', 'z'),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    vec(xml_char(), 0..max).prop_map(String::from_iter)
}

fn name() -> impl Strategy<Value = String> {
    vec(xml_char(), 1..12).prop_map(String::from_iter)
}

fn property() -> impl Strategy<Value = Property> {
    (name(), text(24)).prop_map(|(name, value)| Property { name, value })
}

fn list() -> impl Strategy<Value = List> {
    let leaf = (name(), vec(property(), 0..4)).prop_map(|(name, properties)| List { name, properties, lists: vec![] });
    leaf.prop_recursive(3, 12, 3, |inner| {
        (name(), vec(property(), 0..4), vec(inner, 0..3)).prop_map(|(name, properties, lists)| List {
            name,
            properties,
            lists,
        })
    })
}

fn item() -> impl Strategy<Value = Item> {
    (name(), vec(property(), 0..6), vec(list(), 0..3)).prop_map(|(ty, properties, lists)| Item {
        ty,
        properties,
        lists,
    })
}

fn info() -> impl Strategy<Value = Info> {
    let kind = option::of(prop::sample::select(vec![InfoType::Error, InfoType::Warning, InfoType::Info]));
    (option::of(name()), kind, text(40)).prop_map(|(id, kind, value)| Info { id, kind, value })
}

fn paging() -> impl Strategy<Value = Paging> {
    (0u64..1000, 1u64..200, 0u64..100_000)
        .prop_map(|(page, size, total)| Paging::of(page, size, size.min(total), total))
}

fn ttl() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800_000).prop_map(|ms| Utc.timestamp_millis_opt(ms).single().unwrap())
}

fn document() -> impl Strategy<Value = Document> {
    let items = option::of((vec(item(), 0..4), option::of(paging())).prop_map(|(item, paging)| Items { item, paging }));
    (option::of(name()), option::of(ttl()), vec(info(), 0..3), items).prop_map(|(id, ttl, infos, items)| Document {
        id,
        ttl,
        signature: None,
        infos,
        items,
    })
}

fn money() -> impl Strategy<Value = Money> {
    (0i64..10_000_000).prop_map(|cents| Money::new(Decimal::new(cents, 2)))
}

fn discount() -> impl Strategy<Value = Discount> {
    let amount = prop_oneof![
        (0i64..10_000_000, 0u32..4)
            .prop_map(|(units, scale)| DiscountAmount::Fix(Amount::new(Decimal::new(units, scale)))),
        (0i64..10_000).prop_map(|p| DiscountAmount::Percent(Percent::new(Decimal::new(p, 1)))),
    ];
    let currency = prop::sample::select(vec![Currency::Eur, Currency::Usd]);
    (money(), currency, amount).prop_map(|(total_price, currency, amount)| Discount { total_price, currency, amount })
}

/// Short lower-case words: names that are neither reserved nor end in an index.
fn word() -> impl Strategy<Value = String> {
    "[a-z]{1,8}".prop_filter("not reserved", |w| {
        !["dryrun", "productnumber", "licenseename", "licenseesecret", "forofflineuse"].contains(&w.as_str())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn documents_round_trip_in_both_formats(doc in document()) {
        for format in Format::ALL {
            let text = format.encode(&doc);
            prop_assert_eq!(&format.decode(text.as_bytes()).unwrap(), &doc, "{:?}: {}", format, text);
        }
    }

    #[test]
    fn forms_round_trip(pairs in vec((text(12), text(12)), 0..8)) {
        let form: Form = pairs.into_iter().collect();
        prop_assert_eq!(Form::parse(&form.encode()), form);
    }

    #[test]
    fn validation_parameters_round_trip(
        product_number in option::of("[A-Z0-9-]{1,10}"),
        licensee_name in option::of("[ -~]{1,10}"),
        licensee_properties in vec((word(), text(8)), 0..3),
        dry_run in any::<bool>(),
        for_offline_use in any::<bool>(),
        modules in vec(("[A-Z0-9-]{1,10}", vec((word(), text(8)), 0..3)), 0..4),
    ) {
        let params = ValidationParameters {
            product_number,
            licensee_name,
            licensee_secret: None,
            licensee_properties: licensee_properties.into_iter().map(|(n, v)| Property::new(n, v)).collect(),
            dry_run,
            for_offline_use,
            modules: modules
                .into_iter()
                .map(|(number, parameters)| ModuleParameters {
                    product_module_number: number,
                    parameters: parameters.into_iter().map(|(n, v)| Property::new(n, v)).collect(),
                })
                .collect(),
        };
        let form = Form::parse(&params.to_form().encode());
        prop_assert_eq!(ValidationParameters::from_form(&form).unwrap(), params);
    }

    #[test]
    fn products_round_trip_through_items_and_forms(
        number in "[A-Z0-9]{1,12}",
        active in any::<bool>(),
        name in option::of(text(16)),
        vat_mode in option::of(prop::sample::select(vec![VatMode::Gross, VatMode::Net])),
        discounts in vec(discount(), 0..3),
        custom in vec((word().prop_map(|w| format!("x{w}")), text(8)), 0..3),
    ) {
        let product = Product {
            number,
            active,
            name,
            vat_mode,
            discounts,
            custom: custom.into_iter().map(|(n, v)| Property::new(n, v)).collect(),
            ..Product::default()
        };
        prop_assert_eq!(&Product::from_item(product.to_item()).unwrap(), &product);
        let form = Form::parse(&product.to_form().encode());
        let parsed: Vec<Discount> = form.get_all("discount").map(|d| Discount::parse_form(d).unwrap()).collect();
        prop_assert_eq!(parsed, product.discounts);
    }
}
