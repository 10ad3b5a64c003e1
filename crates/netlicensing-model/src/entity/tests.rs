//! Typed conversion: errors name the property, custom properties keep their order, aliases read.

use super::*;
use crate::types::{LicenseType, TimeVolumePeriod};

fn item(ty: &str, properties: &[(&str, &str)]) -> Item {
    let mut item = Item::new(ty);
    for (name, value) in properties {
        item.push(*name, *value);
    }
    item
}

#[test]
fn bad_values_are_errors_naming_the_property() {
    let cases: [(Item, &str); 6] = [
        (item("LicenseTemplate", &[("number", "E1"), ("active", "true"), ("licenseType", "VOLUME")]), "licenseType"),
        (item("License", &[("number", "L1"), ("active", "true"), ("startDate", "tomorrow")]), "startDate"),
        (item("License", &[("number", "L1"), ("active", "true"), ("price", "ten")]), "price"),
        (item("License", &[("number", "L1"), ("active", "maybe")]), "active"),
        (item("Transaction", &[("number", "T1"), ("active", "true"), ("status", "OPEN")]), "status"),
        (item("Token", &[("number", "x"), ("active", "true"), ("apiKeyRole", "ROLE_ROOT")]), "apiKeyRole"),
    ];
    for (item, property) in cases {
        let ty = item.ty.clone();
        let err = match ty.as_str() {
            "LicenseTemplate" => LicenseTemplate::from_item(item).unwrap_err(),
            "License" => License::from_item(item).unwrap_err(),
            "Transaction" => Transaction::from_item(item).unwrap_err(),
            _ => Token::from_item(item).unwrap_err(),
        };
        assert_eq!(err.property(), Some(property), "{ty}: {err}");
    }
    let missing = Product::from_item(item("Product", &[("active", "true")])).unwrap_err();
    assert_eq!(missing, CodecError::missing("number"));
    let wrong = Product::from_item(item("License", &[])).unwrap_err();
    assert!(matches!(wrong, CodecError::WrongItemType { expected: "Product", .. }));
}

#[test]
fn custom_properties_keep_order_around_standard_ones() {
    let source = item(
        "License",
        &[
            ("zeta", "1"),
            ("number", "L1"),
            ("alpha", "2"),
            ("active", "true"),
            ("nodeSecret0", "s"),
            ("timeVolume", "3"),
        ],
    );
    let license = License::from_item(source).unwrap();
    let names: Vec<_> = license.custom.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha", "nodeSecret0"]);
    let written: Vec<_> = license.to_item().properties.into_iter().map(|p| p.name).collect();
    assert_eq!(written, ["number", "active", "timeVolume", "zeta", "alpha", "nodeSecret0"]);
}

#[test]
fn input_spellings_are_read_and_canonical_ones_written() {
    let license =
        License::from_item(item("License", &[("number", "L"), ("active", "true"), ("parentfeature", "F")])).unwrap();
    assert_eq!(license.parent_feature.as_deref(), Some("F"));
    assert_eq!(license.to_item().property("parentFeature"), Some("F"));

    let tx = Transaction::from_item(item(
        "Transaction",
        &[("number", "T"), ("active", "true"), ("dateCreated", "2024-01-31")],
    ))
    .unwrap();
    assert_eq!(tx.to_item().property("datecreated"), Some("2024-01-31T00:00:00.000Z"));

    let bundle = Bundle::from_item(item(
        "Bundle",
        &[("number", "B"), ("active", "true"), ("licenseTemplatesNumbers", "E1, E2,E2,")],
    ))
    .unwrap();
    assert_eq!(bundle.license_template_numbers, Some(vec!["E1".to_string(), "E2".to_string()]));
    assert_eq!(bundle.to_item().property("licenseTemplateNumbers"), Some("E1,E2"));

    let template = LicenseTemplate::from_item(item(
        "LicenseTemplate",
        &[("number", "E"), ("active", "true"), ("licenseType", "timevolume"), ("timeVolumePeriod", "month")],
    ))
    .unwrap();
    assert_eq!(template.license_type, Some(LicenseType::TimeVolume));
    assert_eq!(template.time_volume_period, Some(TimeVolumePeriod::Month));
}

#[test]
fn read_only_properties_stay_out_of_forms() {
    let template = LicenseTemplate {
        number: "E1".into(),
        active: true,
        in_use: Some(true),
        product_module_name: Some("M".into()),
        ..LicenseTemplate::default()
    };
    assert_eq!(template.to_form().encode(), "number=E1&active=true");
}
