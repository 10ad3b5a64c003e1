//! Storage suite checks: CRUD rules of every resource.
#![allow(clippy::unwrap_used)]

use netlicensing_model::{
    Property,
    entity::{
        Bundle, DiscountAmount, License, LicenseTemplate, Licensee, PaymentMethod, Product, ProductModule, Transaction,
    },
    info::ErrorId,
    types::{LicenseType, LicensingModel, TimeVolumePeriod, TransactionSource, WireValue},
};

use super::{chain, form, id_of, new_vendor};
use crate::{Core, CoreError};

/// Check: the chain from product to license.
pub async fn the_chain_from_product_to_license(core: &Core) {
    let caller = new_vendor(core).await;
    chain(core, &caller).await;
    let license =
        core.create_license(&caller, &form("licenseeNumber=I1&licenseTemplateNumber=E1&note=x")).await.unwrap();
    assert!(license.number.starts_with('L') && license.number.len() == 9, "{}", license.number);
    assert_eq!(license.name.as_deref(), Some("Month"));
    assert_eq!(license.price.map(|p| p.to_string()).as_deref(), Some("5.00"));
    assert_eq!(license.hidden, Some(true));
    assert_eq!(license.time_volume, Some(1));
    assert_eq!(license.time_volume_period, Some(TimeVolumePeriod::Month));
    assert_eq!(license.start_date.map(|d| d.to_wire().into_owned()).as_deref(), Some("2024-01-31T12:00:00.000Z"));
    assert_eq!(license.licensee_number.as_deref(), Some("I1"));
    assert_eq!(license.product_module_number.as_deref(), Some("M1"));
    assert_eq!(license.custom, [Property::new("note", "x")]);

    let template: LicenseTemplate = core.get(&caller, "E1").await.unwrap();
    assert_eq!(template.product_module_name.as_deref(), Some("Mod"));
    assert_eq!(template.in_use, Some(true));
    let licensee: Licensee = core.get(&caller, "I1").await.unwrap();
    assert_eq!((licensee.in_use, licensee.marked_for_transfer), (Some(true), Some(false)));
    assert_eq!(licensee.custom, [Property::new("crm", "7")]);
    let page = core.list::<License>(&caller, Some("licenseeNumber=I1"), &[]).await.unwrap();
    assert_eq!((page.items.len(), page.paging.total_items, page.paging.has_next), (1, 1, false));
}

/// Check: product defaults discounts rename and custom properties.
pub async fn product_defaults_discounts_rename_and_custom_properties(core: &Core) {
    let caller = new_vendor(core).await;
    let product =
        core.create_product(&caller, &form("name=N&discount=100;EUR;10&discount=10%3BEUR%3B9%25&crm=")).await.unwrap();
    assert!(product.number.starts_with('P'));
    assert_eq!(
        (product.active, product.version.as_deref(), product.licensee_auto_create),
        (true, Some(""), Some(false))
    );
    assert_eq!(product.discounts.len(), 2);
    assert!(matches!(product.discounts[1].amount, DiscountAmount::Percent(_)));
    assert!(product.custom.is_empty(), "empty custom properties are not stored on create");

    let number = product.number.clone();
    let updated = core.update_product(&caller, &number, &form("number=P9&version=2&crm=1")).await.unwrap();
    assert_eq!((updated.number.as_str(), updated.discounts.len()), ("P9", 2));
    let updated = core.update_product(&caller, "P9", &form("discount=&crm=")).await.unwrap();
    assert!(updated.discounts.is_empty() && updated.custom.is_empty());
    assert_eq!(updated.version.as_deref(), Some("2"));
    assert!(core.get::<Product>(&caller, &number).await.is_err(), "old number is gone after the rename");

    let err = core.update_product(&caller, "P9", &form("discount=100;EUR")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    assert_eq!(core.get::<Product>(&caller, "P9").await.unwrap(), updated, "a refused update changes nothing");
}

/// Check: required parameters in the service words.
pub async fn required_parameters_in_the_service_words(core: &Core) {
    let caller = new_vendor(core).await;
    chain(core, &caller).await;
    let cases: Vec<(CoreError, &str)> = vec![
        (core.create_product(&caller, &form("number=P2")).await.unwrap_err(), "Product name is required"),
        (core.create_product_module(&caller, &form("name=x")).await.unwrap_err(), "Product number is not provided"),
        (
            core.create_product_module(&caller, &form("productNumber=P1")).await.unwrap_err(),
            "Product module name is required",
        ),
        (
            core.create_license_template(&caller, &form("name=x&licenseType=FEATURE")).await.unwrap_err(),
            "Product module number is not provided",
        ),
        (
            core.create_license_template(&caller, &form("productModuleNumber=M1&licenseType=FEATURE"))
                .await
                .unwrap_err(),
            "License template name is required",
        ),
        (
            core.create_license_template(&caller, &form("productModuleNumber=M1&name=x&licenseType=FEATURE&price=3"))
                .await
                .unwrap_err(),
            "'price' field must be accompanied with the 'currency' field",
        ),
        (
            core.create_license_template(
                &caller,
                &form("productModuleNumber=M1&name=x&licenseType=FEATURE&currency=EUR"),
            )
            .await
            .unwrap_err(),
            "'currency' field can not be used without the 'price' field",
        ),
        (
            core.create_license_template(&caller, &form("productModuleNumber=M1&name=x&licenseType=TIMEVOLUME"))
                .await
                .unwrap_err(),
            "License template of type 'TIMEVOLUME' must have property 'timeVolume' specified.",
        ),
        (core.create_licensee(&caller, &form("number=I2")).await.unwrap_err(), "Product number is not provided"),
        (
            core.create_license(&caller, &form("licenseTemplateNumber=E1")).await.unwrap_err(),
            "Licensee number is not provided",
        ),
        (
            core.create_license(&caller, &form("licenseeNumber=I1")).await.unwrap_err(),
            "License template number is not provided",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
        assert!(matches!(error.error_id(), ErrorId::MalformedRequest | ErrorId::IllegalOperation), "{error}");
    }
    let (id, message) = id_of(core.create_licensee(&caller, &form("productNumber=NOPE")).await.unwrap_err());
    assert_eq!((id, message.as_str()), (ErrorId::NotFound, "Requested product does not exist"));
    let (id, _) = id_of(core.create_product(&caller, &form("number=P1&name=dup")).await.unwrap_err());
    assert_eq!(id, ErrorId::IllegalOperation, "numbers are unique per vendor");
    let (id, message) = id_of(
        core.create_product_module(&caller, &form("productNumber=P1&name=x&licensingModel=Rent")).await.unwrap_err(),
    );
    assert_eq!(id, ErrorId::MalformedRequest);
    assert!(message.contains("licensingModel"), "{message}");
}

/// Check: licenses need a template and licensee of one product.
pub async fn licenses_need_a_template_and_licensee_of_one_product(core: &Core) {
    let caller = new_vendor(core).await;
    chain(core, &caller).await;
    core.create_product(&caller, &form("number=P2&name=Two")).await.unwrap();
    core.create_licensee(&caller, &form("number=I2&productNumber=P2")).await.unwrap();
    let err = core.create_license(&caller, &form("licenseeNumber=I2&licenseTemplateNumber=E1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation);
    core.update_licensee(&caller, "I1", &form("active=false")).await.unwrap();
    let err = core.create_license(&caller, &form("licenseeNumber=I1&licenseTemplateNumber=E1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation);
}

/// Check: rental time volume licenses extend a feature license.
pub async fn rental_time_volume_licenses_extend_a_feature_license(core: &Core) {
    let caller = new_vendor(core).await;
    core.create_product(&caller, &form("number=P&name=P")).await.unwrap();
    core.create_product_module(&caller, &form("number=M&productNumber=P&name=M&licensingModel=FeatureWithTimeVolume"))
        .await
        .unwrap();
    let module: ProductModule = core.get(&caller, "M").await.unwrap();
    assert_eq!(module.licensing_model, Some(LicensingModel::Rental), "legacy names are stored as the current model");
    core.create_license_template(&caller, &form("number=EF&productModuleNumber=M&name=F&licenseType=FEATURE"))
        .await
        .unwrap();
    core.create_license_template(
        &caller,
        &form("number=ET&productModuleNumber=M&name=T&licenseType=TIMEVOLUME&timeVolume=7"),
    )
    .await
    .unwrap();
    core.create_licensee(&caller, &form("number=I&productNumber=P")).await.unwrap();
    core.create_license(&caller, &form("number=LF&licenseeNumber=I&licenseTemplateNumber=EF")).await.unwrap();
    let err = core.create_license(&caller, &form("licenseeNumber=I&licenseTemplateNumber=ET")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    let license = core
        .create_license(
            &caller,
            &form("licenseeNumber=I&licenseTemplateNumber=ET&parentfeature=LF&startDate=2024-02-01"),
        )
        .await
        .unwrap();
    assert_eq!(license.parent_feature.as_deref(), Some("LF"));
    assert_eq!(license.time_volume_period, Some(TimeVolumePeriod::Day));
    assert_eq!(license.start_date.map(|d| d.to_wire().into_owned()).as_deref(), Some("2024-02-01T00:00:00.000Z"));
}

/// Check: in use entities are deleted only with force cascade.
pub async fn in_use_entities_are_deleted_only_with_force_cascade(core: &Core) {
    let caller = new_vendor(core).await;
    chain(core, &caller).await;
    core.create_license(&caller, &form("number=L1&licenseeNumber=I1&licenseTemplateNumber=E1")).await.unwrap();
    let err = core.delete::<Product>(&caller, "P1", Some("false")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation);
    let err = core.delete::<Product>(&caller, "P1", Some("perhaps")).await.unwrap_err();
    assert_eq!(err.to_string(), "Unexpected value of parameter 'forceCascade'");
    core.delete::<License>(&caller, "L1", None).await.unwrap();
    assert!(core.get::<LicenseTemplate>(&caller, "E1").await.unwrap().in_use == Some(false));
    core.delete::<Product>(&caller, "P1", Some("true")).await.unwrap();
    for result in
        [core.get::<Licensee>(&caller, "I1").await.err(), core.get::<LicenseTemplate>(&caller, "E1").await.err()]
    {
        assert_eq!(result.map(|e| e.error_id()), Some(ErrorId::NotFound));
    }
}

/// Check: paging through a list.
pub async fn paging_through_a_list(core: &Core) {
    let caller = new_vendor(core).await;
    for i in 0..7 {
        core.create_product(&caller, &form(&format!("number=P{i}&name=n{i}&tier={}", i % 2))).await.unwrap();
    }
    let page = core.list::<Product>(&caller, Some("page=1;items=3"), &[]).await.unwrap();
    let numbers: Vec<_> = page.items.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["P3", "P4", "P5"]);
    assert_eq!((page.paging.total_pages, page.paging.total_items, page.paging.has_next), (3, 7, true));
    let odd = core.list::<Product>(&caller, Some("tier=1"), &[]).await.unwrap();
    assert_eq!(odd.paging.total_items, 3);
    let template_type = LicenseType::Feature;
    assert_eq!(template_type.to_wire(), "FEATURE");
}

/// Check: transactions, bundles, notifications and payment methods.
pub async fn transactions_bundles_notifications_and_payment_methods(core: &Core) {
    let vendor = new_vendor(core).await;
    chain(core, &vendor).await;
    let err = core.create_transaction(&vendor, &form("source=SHOP")).await.unwrap_err();
    assert_eq!(err.to_string(), "Transaction status is required");
    let err = core.create_transaction(&vendor, &form("status=PENDING&source=AUTO_LICENSE_CREATE")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation);
    let err = core.create_transaction(&vendor, &form("status=PENDING&source=SHOP&grandTotal=10")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    let t = core
        .create_transaction(&vendor, &form("number=T1&status=PENDING&source=SHOP&licenseeNumber=I1&grandTotal=21&discount=9&currency=EUR&dateCreated=2024-01-02"))
        .await
        .unwrap();
    assert_eq!((t.active, t.grand_total.map(|m| m.to_string())), (true, Some("21.00".into())));
    assert_eq!(t.date_created.map(|d| d.to_wire().into_owned()).as_deref(), Some("2024-01-02T00:00:00.000Z"));
    assert_eq!((t.in_use, t.vendor_number.as_deref()), (Some(false), Some(vendor.vendor_number.as_str())));
    let license = core
        .create_license(&vendor, &form("licenseeNumber=I1&licenseTemplateNumber=E1&transactionNumber=T1"))
        .await
        .unwrap();
    let t: Transaction = core.get(&vendor, "T1").await.unwrap();
    assert_eq!(t.license_transaction_joins.len(), 1);
    assert_eq!(t.license_transaction_joins[0].license_number, license.number);
    assert_eq!(t.in_use, Some(true));
    let closed =
        core.update_transaction(&vendor, "T1", &form("status=CLOSED&source=AUTO_LICENSE_CREATE")).await.unwrap();
    assert_eq!(closed.source, Some(TransactionSource::Shop), "the source never changes");
    assert_eq!(closed.date_closed.map(|d| d.to_wire().into_owned()).as_deref(), Some("2024-01-31T12:00:00.000Z"));
    let err =
        core.create_license(&vendor, &form("licenseeNumber=I1&licenseTemplateNumber=E1&transactionNumber=T9")).await;
    assert_eq!(err.unwrap_err().error_id(), ErrorId::NotFound);

    let methods = core.list::<PaymentMethod>(&vendor, None, &[]).await.unwrap();
    let numbers: Vec<_> = methods.items.iter().map(|m| m.number.as_str()).collect();
    assert_eq!(numbers, ["PAYPAL", "PAYPAL_SANDBOX", "STRIPE", "STRIPE_TESTING"]);
    let paypal =
        core.update_payment_method(&vendor, "PAYPAL", &form("active=true&paypal.subject=me%40x.com")).await.unwrap();
    assert!(paypal.active);
    assert_eq!(paypal.custom, [Property::new("paypal.subject", "me@x.com")]);
    let err = core.update_payment_method(&vendor, "PAYPAL", &form("number=STRIPE")).await.unwrap_err();
    assert_eq!(err.to_string(), "Requested payment method is not supported");
    assert!(core.update_payment_method(&vendor, "CASH", &form("active=true")).await.is_err());

    let err = core.create_bundle(&vendor, &form("licenseTemplateNumbers=E1")).await.unwrap_err();
    assert_eq!((err.error_id(), err.to_string().as_str()), (ErrorId::Validation, "Bundle name is required."));
    let err = core.create_bundle(&vendor, &form("name=B&price=10")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalArgument);
    let err = core.create_bundle(&vendor, &form("name=B&licenseTemplateNumbers=E1,E9")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound);
    core.create_license_template(&vendor, &form("number=E2&productModuleNumber=M1&name=F&licenseType=FEATURE"))
        .await
        .unwrap();
    let bundle = core
        .create_bundle(&vendor, &form("number=B1&name=B&price=10&currency=EUR&licenseTemplatesNumbers=E1,E2,E2&logo=x"))
        .await
        .unwrap();
    assert_eq!(bundle.license_template_numbers, Some(vec!["E1".to_string(), "E2".to_string()]));
    assert_eq!(bundle.product_number.as_deref(), Some("P1"));
    assert_eq!(bundle.price.map(|p| p.to_string()).as_deref(), Some("10.00"));
    core.delete::<LicenseTemplate>(&vendor, "E2", None).await.unwrap();
    let bundle: Bundle = core.get(&vendor, "B1").await.unwrap();
    assert_eq!(bundle.stale_license_template_numbers, Some(vec!["E2".to_string()]));
    let err = core.update_bundle(&vendor, "B1", &form("licenseTemplateNumbers=E9")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound);
    assert_eq!(core.get::<Bundle>(&vendor, "B1").await.unwrap(), bundle, "a refused update changes nothing");

    let cases = [
        ("events=LICENSEE_CREATED&protocol=WEBHOOK&endpoint=https://x.io", "Notification name is required."),
        ("name=N&protocol=WEBHOOK&endpoint=https://x.io", "Notification events are required."),
        ("name=N&events=LICENSEE_CREATED&endpoint=https://x.io", "Notification type is required."),
        (
            "name=N&events=LICENSEE_CREATED&protocol=WEBHOOK&endpoint=nowhere",
            "Notification endpoint must be a valid URL.",
        ),
    ];
    for (text, message) in cases {
        let err = core.create_notification(&vendor, &form(text)).await.unwrap_err();
        assert_eq!((err.error_id(), err.to_string().as_str()), (ErrorId::Validation, message));
    }
    let notification = core
        .create_notification(&vendor, &form("name=N&events=LICENSEE_CREATED,LICENSE_CREATED&protocol=WEBHOOK&endpoint=https://x.io/hook&payload=%24%7Bevent%7D"))
        .await
        .unwrap();
    assert_eq!(notification.events.as_ref().map(Vec::len), Some(2));
    assert_eq!(notification.payload.as_deref(), Some("${event}"));
    assert!(notification.number.starts_with('N'));
    let err = core
        .create_notification(&vendor, &form("name=N&events=SOMETHING&protocol=WEBHOOK&endpoint=https://x.io"))
        .await;
    assert_eq!(err.unwrap_err().error_id(), ErrorId::MalformedRequest);

    let germany = core.countries(&vendor, Some("code=DE")).unwrap();
    assert_eq!((germany.items.len(), germany.items[0].is_eu), (1, true));
    assert_eq!(core.countries(&vendor, Some("isEu=true;items=10")).unwrap().paging.total_items, 27);
}

/// Check: an insert unless the number is taken writes nothing for a taken number and the transaction goes on
/// (on PostgreSQL a failed insert would abort it); a free number is inserted with what it keeps beside its row.
pub async fn an_insert_skips_a_taken_number_and_the_transaction_goes_on(core: &Core) {
    use crate::record::{Kind, NewRecord};
    let caller = new_vendor(core).await;
    core.create_product(&caller, &form("number=P1&name=One&shop=7")).await.unwrap();
    let mut tx = core.store().write().await.unwrap();
    let stored = tx.get(caller.vendor, Kind::Product, "P1").await.unwrap().unwrap();
    let copy = |number: &str| NewRecord {
        number: number.into(),
        active: stored.active,
        links: stored.links.clone(),
        properties: stored.properties.clone(),
        lists: stored.lists.clone(),
    };
    assert_eq!(tx.insert_unless_taken(caller.vendor, Kind::Product, &copy("P1")).await.unwrap(), None);
    let id = tx.insert_unless_taken(caller.vendor, Kind::Product, &copy("P2")).await.unwrap();
    assert!(id.is_some_and(|id| id != stored.id), "{id:?}");
    tx.commit().await.unwrap();
    let second: Product = core.get(&caller, "P2").await.unwrap();
    assert_eq!(
        (second.name.as_deref(), second.custom.as_slice()),
        (Some("One"), [Property::new("shop", "7")].as_slice())
    );
    let other = new_vendor(core).await;
    let mut tx = core.store().write().await.unwrap();
    let theirs = tx.insert_unless_taken(other.vendor, Kind::Product, &copy("P1")).await.unwrap();
    assert!(theirs.is_some(), "numbers are taken per vendor");
}
