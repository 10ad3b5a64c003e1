//! The storage conformance suite: every service rule, run against any [`Store`]. Core runs it on the in-memory
//! store; the server runs the same suite on SQLite and PostgreSQL. Each check works for vendors of its own, so
//! checks can share one store.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use netlicensing_model::{
    Property,
    codec::Form,
    entity::{
        Bundle, DiscountAmount, License, LicenseTemplate, Licensee, PaymentMethod, Product, ProductModule, Token,
        Transaction, ValidationParameters,
    },
    info::ErrorId,
    types::{ApiKeyRole, LicenseType, LicensingModel, TimeVolumePeriod, TokenType, TransactionSource, WireValue},
};

use crate::{
    Core, CoreError,
    caller::{Access, Caller},
    repo::{NewVendor, Store},
};

/// The services over a store, with the clock the suite expects (2024-01-31T12:00:00Z).
pub fn core_over(store: Arc<dyn Store>) -> Core {
    let fixed = Utc.with_ymd_and_hms(2024, 1, 31, 12, 0, 0).single().unwrap();
    Core::new(store).with_clock(Arc::new(move || fixed))
}

/// A new vendor of the store, as its vendor-login caller.
pub async fn new_vendor(core: &Core) -> Caller {
    let mut tag = [0u8; 6];
    getrandom::fill(&mut tag).unwrap();
    let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    let vendor = core
        .store()
        .create_vendor(&NewVendor {
            number: format!("V{tag}"),
            login: format!("vendor-{tag}"),
            password_hash: "-".into(),
        })
        .await
        .unwrap();
    Caller::vendor(vendor.id, vendor.number)
}

/// Runs every check of the suite.
pub async fn run_all(core: &Core) {
    the_chain_from_product_to_license(core).await;
    product_defaults_discounts_rename_and_custom_properties(core).await;
    required_parameters_in_the_service_words(core).await;
    licenses_need_a_template_and_licensee_of_one_product(core).await;
    rental_time_volume_licenses_extend_a_feature_license(core).await;
    in_use_entities_are_deleted_only_with_force_cascade(core).await;
    vendors_never_see_each_other(core).await;
    api_key_roles_limit_operations(core).await;
    paging_through_a_list(core).await;
    tokens_and_api_keys(core).await;
    transactions_bundles_notifications_and_payment_methods(core).await;
    validation_with_side_effects(core).await;
    bundle_obtain_and_transfer(core).await;
}

fn form(text: &str) -> Form {
    Form::parse(text)
}

async fn chain(core: &Core, caller: &Caller) {
    core.create_product(caller, &form("number=P1&name=Product+One")).await.unwrap();
    core.create_product_module(caller, &form("number=M1&productNumber=P1&name=Mod&licensingModel=Subscription"))
        .await
        .unwrap();
    core.create_license_template(
        caller,
        &form("number=E1&productModuleNumber=M1&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&price=5&currency=EUR&hideLicenses=true"),
    )
    .await
    .unwrap();
    core.create_licensee(caller, &form("number=I1&productNumber=P1&crm=7")).await.unwrap();
}

fn id_of(error: CoreError) -> (ErrorId, String) {
    (error.error_id(), error.to_string())
}

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

/// Check: vendors never see each other.
pub async fn vendors_never_see_each_other(core: &Core) {
    let (a, b) = (new_vendor(core).await, new_vendor(core).await);
    chain(core, &a).await;
    assert_eq!(core.get::<Product>(&b, "P1").await.unwrap_err().error_id(), ErrorId::NotFound);
    assert!(core.list::<Product>(&b, None, &[]).await.unwrap().items.is_empty());
    assert_eq!(core.update_product(&b, "P1", &form("name=x")).await.unwrap_err().error_id(), ErrorId::NotFound);
    assert_eq!(core.delete::<Product>(&b, "P1", Some("true")).await.unwrap_err().error_id(), ErrorId::NotFound);
    let err = core.create_licensee(&b, &form("productNumber=P1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound, "B cannot reference A's product");
    core.create_product(&b, &form("number=P1&name=Mine")).await.unwrap();
    assert_eq!(core.get::<Product>(&a, "P1").await.unwrap().name.as_deref(), Some("Product One"));
}

/// Check: api key roles limit operations.
pub async fn api_key_roles_limit_operations(core: &Core) {
    let owner = new_vendor(core).await;
    chain(core, &owner).await;
    let key = |role| Caller { access: Access::ApiKey { role, licensee: None }, ..owner.clone() };
    let analytics = key(ApiKeyRole::Analytics);
    assert!(core.get::<Product>(&analytics, "P1").await.is_ok());
    let err = core.create_licensee(&analytics, &form("productNumber=P1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied);
    assert!(core.create_licensee(&key(ApiKeyRole::Operation), &form("productNumber=P1")).await.is_ok());
    let err = core.create_product(&key(ApiKeyRole::Operation), &form("name=x")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied);
    assert!(core.license_types(&key(ApiKeyRole::Licensee)).is_err());
    assert_eq!(core.licensing_models(&analytics).unwrap().len(), 9);
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

/// Check: tokens and API keys.
pub async fn tokens_and_api_keys(core: &Core) {
    let vendor = new_vendor(core).await;
    chain(core, &vendor).await;
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ\n-----END PRIVATE KEY-----";
    let key = core
        .create_token(&vendor, &form(&format!("tokenType=APIKEY&privateKey={}", pem.replace('+', "%2B"))))
        .await
        .unwrap();
    assert_eq!((key.token_type, key.api_key_role), (Some(TokenType::ApiKey), Some(ApiKeyRole::Licensee)));
    assert_eq!(
        (key.expiration_time, key.private_key.as_deref()),
        (None, None),
        "keys do not expire; private keys are never shown"
    );
    assert_eq!(key.number.len(), 36);
    assert_eq!(key.vendor_number.as_deref(), Some(vendor.vendor_number.as_str()));
    assert!(core.api_key_private_key(&vendor, &key.number).await.unwrap().is_some());
    let caller = core.api_key_caller(&key.number).await.unwrap().expect("the key authenticates");
    assert_eq!(caller.vendor, vendor.vendor);
    assert_eq!(caller.access, Access::ApiKey { role: ApiKeyRole::Licensee, licensee: None });
    assert_eq!(core.get::<Product>(&caller, "P1").await.unwrap_err().error_id(), ErrorId::AccessDenied);
    assert_eq!(core.list::<Token>(&caller, None, &[]).await.unwrap_err().error_id(), ErrorId::AccessDenied);
    let err = core.create_token(&caller, &form("tokenType=APIKEY")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied, "only the vendor login creates API keys");
    let shop = core.create_token(&caller, &form("tokenType=SHOP&licenseeNumber=I1")).await.unwrap();
    assert!(shop.shop_url.as_deref().is_some_and(|u| u.ends_with(&shop.number)));
    assert_eq!(shop.expiration_time.map(|t| t.to_wire().into_owned()).as_deref(), Some("2024-01-31T12:30:00.000Z"));
    let err = core.create_token(&vendor, &form("tokenType=SHOP")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    let action =
        core.create_token(&vendor, &form("tokenType=ACTION&action=licenseeLogin&licenseeNumber=I1")).await.unwrap();
    assert!(action.customer_portal_url.as_deref().is_some_and(|u| u.ends_with("/licenseeLogin")));
    let default = core.create_token(&vendor, &form("")).await.unwrap();
    assert_eq!(default.token_type, Some(TokenType::Default));

    let scoped = core
        .create_token(&vendor, &form("tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ANALYTICS&licenseeNumber=I1"))
        .await
        .unwrap();
    let scoped = core.api_key_caller(&scoped.number).await.unwrap().unwrap();
    assert!(core.get::<Product>(&scoped, "P1").await.is_ok(), "ANALYTICS reads");
    assert!(scoped.require_licensee("I1").is_ok() && scoped.require_licensee("I2").is_err());
    let err = core.create_token(&scoped, &form("tokenType=SHOP&licenseeNumber=I9")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied, "a scoped key acts for its licensee only");

    let expired =
        core.create_token(&vendor, &form("tokenType=APIKEY&expirationTime=2024-01-01T00:00:00Z")).await.unwrap();
    assert!(!expired.active);
    assert!(core.api_key_caller(&expired.number).await.unwrap().is_none(), "expired keys do not authenticate");
    let bad = core.create_token(&vendor, &form("tokenType=APIKEY&privateKey=not-a-key")).await.unwrap_err();
    assert_eq!(bad.error_id(), ErrorId::MalformedRequest);
    let listed = core.list::<Token>(&vendor, Some("tokenType=APIKEY"), &[]).await.unwrap();
    assert_eq!(listed.paging.total_items, 3);
    assert!(listed.items.iter().all(|t| t.private_key.is_none()));

    core.delete::<Token>(&vendor, &key.number, None).await.unwrap();
    assert!(core.api_key_caller(&key.number).await.unwrap().is_none(), "deleting a key revokes it");
    let other = new_vendor(core).await;
    assert_eq!(core.get::<Token>(&other, &shop.number).await.unwrap_err().error_id(), ErrorId::NotFound);
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

fn params(text: &str) -> ValidationParameters {
    ValidationParameters::from_form(&form(text)).unwrap()
}

/// Check: validation, its side effects and their absence on dry runs.
pub async fn validation_with_side_effects(core: &Core) {
    let vendor = new_vendor(core).await;
    core.create_product(&vendor, &form("number=PV&name=V&licenseeAutoCreate=true")).await.unwrap();
    core.create_product_module(&vendor, &form("number=MT&productNumber=PV&name=Trial&licensingModel=TryAndBuy"))
        .await
        .unwrap();
    core.create_license_template(
        &vendor,
        &form("number=EVAL&productModuleNumber=MT&name=Eval&licenseType=TIMEVOLUME&timeVolume=30&automatic=true&hidden=true"),
    )
    .await
    .unwrap();
    core.create_license_template(
        &vendor,
        &form("number=BUY&productModuleNumber=MT&name=Full&licenseType=FEATURE&price=20&currency=EUR"),
    )
    .await
    .unwrap();
    core.create_product_module(&vendor, &form("number=MS&productNumber=PV&name=Sub&licensingModel=Subscription"))
        .await
        .unwrap();
    core.create_license_template(
        &vendor,
        &form(
            "number=MONTH&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH",
        ),
    )
    .await
    .unwrap();

    let err = core.validate(&vendor, "NEW-1", &params("")).await.unwrap_err();
    assert_eq!(
        (err.error_id(), err.to_string().as_str()),
        (ErrorId::NotFound, "Requested licensee does not exist and the productNumber is not provided")
    );
    let dry = core.validate(&vendor, "NEW-1", &params("productNumber=PV&dryRun=true")).await.unwrap();
    let trial = dry.module("MT").unwrap();
    assert_eq!((trial.valid, trial.property("evaluation")), (Some(true), Some("true")));
    assert_eq!(trial.property("evaluationExpires"), Some("2024-03-01T12:00:00.000Z"));
    assert_eq!(dry.module("MS").and_then(|m| m.valid), Some(false));
    assert_eq!(dry.ttl.map(|t| t.to_wire().into_owned()).as_deref(), Some("2024-02-01T12:00:00.000Z"));
    assert!(core.get::<Licensee>(&vendor, "NEW-1").await.is_err(), "a dry run creates nothing");

    let first = core
        .validate(&vendor, "NEW-1", &params("productNumber=PV&licenseeName=Jo&crm=7&number=X&forOfflineUse=true"))
        .await
        .unwrap();
    assert_eq!(first.modules, dry.modules);
    let created: Licensee = core.get(&vendor, "NEW-1").await.unwrap();
    assert_eq!((created.name.as_deref(), created.custom.clone()), (Some("Jo"), vec![Property::new("crm", "7")]));
    assert_eq!(first.licensee.as_ref().map(|l| l.number.as_str()), Some("NEW-1"));
    let licenses = core.list::<License>(&vendor, Some("licenseeNumber=NEW-1"), &[]).await.unwrap();
    assert_eq!(licenses.items.len(), 1, "the automatic evaluation license");
    assert_eq!(licenses.items[0].license_template_number.as_deref(), Some("EVAL"));
    assert_eq!(licenses.items[0].hidden, Some(false));
    core.validate(&vendor, "NEW-1", &params("")).await.unwrap();
    assert_eq!(
        core.list::<License>(&vendor, Some("licenseeNumber=NEW-1"), &[]).await.unwrap().items.len(),
        1,
        "once only"
    );

    core.create_license(&vendor, &form("licenseeNumber=NEW-1&licenseTemplateNumber=BUY")).await.unwrap();
    core.create_license(&vendor, &form("licenseeNumber=NEW-1&licenseTemplateNumber=MONTH&startDate=2024-01-20"))
        .await
        .unwrap();
    let bought = core.validate(&vendor, "NEW-1", &params("")).await.unwrap();
    assert_eq!(bought.module("MT").and_then(|m| m.property("evaluation")), Some("false"));
    let sub = bought.module("MS").unwrap();
    assert_eq!((sub.valid, sub.property("expires")), (Some(true), Some("2024-02-20T00:00:00.000Z")));
    assert_eq!(bought.ttl.map(|t| t.to_wire().into_owned()).as_deref(), Some("2024-02-01T12:00:00.000Z"));

    core.update_licensee(&vendor, "NEW-1", &form("active=false")).await.unwrap();
    let off = core.validate(&vendor, "NEW-1", &params("")).await.unwrap();
    assert!(off.modules.iter().all(|m| m.valid == Some(false)), "an inactive licensee validates nothing");

    let key = core.create_token(&vendor, &form("tokenType=APIKEY&licenseeNumber=NEW-1")).await.unwrap();
    let scoped = core.api_key_caller(&key.number).await.unwrap().unwrap();
    assert!(core.validate(&scoped, "NEW-1", &params("")).await.is_ok(), "a LICENSEE key validates");
    let err = core.validate(&scoped, "OTHER", &params("productNumber=PV")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied);

    core.create_product_module(&vendor, &form("number=MQ&productNumber=PV&name=Plans&licensingModel=PricingTable"))
        .await
        .unwrap();
    let err = core.validate(&vendor, "NEW-1", &params("")).await.unwrap_err();
    assert!(err.to_string().contains("not supported"), "{err}");
    let other = new_vendor(core).await;
    let err = core.validate(&other, "NEW-1", &params("")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound, "another vendor's licensee does not exist");
}

/// Check: obtaining a bundle and transferring licenses.
pub async fn bundle_obtain_and_transfer(core: &Core) {
    let vendor = new_vendor(core).await;
    chain(core, &vendor).await;
    core.create_product_module(&vendor, &form("number=MR&productNumber=P1&name=Rent&licensingModel=Rental"))
        .await
        .unwrap();
    core.create_license_template(&vendor, &form("number=RF&productModuleNumber=MR&name=Device&licenseType=FEATURE"))
        .await
        .unwrap();
    core.create_license_template(
        &vendor,
        &form("number=RT&productModuleNumber=MR&name=Week&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=WEEK"),
    )
    .await
    .unwrap();
    core.create_bundle(&vendor, &form("number=B1&name=Starter&licenseTemplateNumbers=E1,RF,RT")).await.unwrap();

    let err = core.obtain_bundle(&vendor, "B1", &form("")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    let err = core.obtain_bundle(&vendor, "B1", &form("licenseeNumber=NOPE")).await.unwrap_err();
    assert_eq!((err.error_id(), err.to_string().as_str()), (ErrorId::NotFound, "Requested licensee does not exist."));
    let licenses = core.obtain_bundle(&vendor, "B1", &form("licenseeNumber=I1")).await.unwrap();
    assert_eq!(licenses.len(), 3);
    let week = licenses.iter().find(|l| l.license_template_number.as_deref() == Some("RT")).unwrap();
    let device = licenses.iter().find(|l| l.license_template_number.as_deref() == Some("RF")).unwrap();
    assert_eq!(
        week.parent_feature.as_deref(),
        Some(device.number.as_str()),
        "Rental time volume extends the bundle's feature"
    );
    assert_eq!(week.start_date.map(|d| d.to_wire().into_owned()).as_deref(), Some("2024-01-31T12:00:00.000Z"));
    let transaction_number = week.transaction_number.clone().unwrap();
    let transaction: Transaction = core.get(&vendor, &transaction_number).await.unwrap();
    assert_eq!(transaction.source, Some(TransactionSource::ObtainBundle));
    assert_eq!(transaction.license_transaction_joins.len(), 3);
    let rental = core.validate(&vendor, "I1", &params("")).await;
    assert!(rental.is_ok(), "{rental:?}");

    core.create_license_template(&vendor, &form("number=EX&productModuleNumber=MR&name=Gone&licenseType=FEATURE"))
        .await
        .unwrap();
    core.create_bundle(&vendor, &form("number=B2&name=Broken&licenseTemplateNumbers=E1,EX")).await.unwrap();
    core.delete::<LicenseTemplate>(&vendor, "EX", None).await.unwrap();
    let before = core.list::<License>(&vendor, Some("licenseeNumber=I1"), &[]).await.unwrap().paging.total_items;
    assert!(core.obtain_bundle(&vendor, "B2", &form("licenseeNumber=I1")).await.is_err());
    let after = core.list::<License>(&vendor, Some("licenseeNumber=I1"), &[]).await.unwrap().paging.total_items;
    assert_eq!(before, after, "a failed obtain creates no license");

    core.create_licensee(&vendor, &form("number=I9&productNumber=P1")).await.unwrap();
    let err = core.transfer(&vendor, "I9", &form("sourceLicenseeNumber=I1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation, "the source must be marked for transfer");
    core.update_licensee(&vendor, "I1", &form("markedForTransfer=true")).await.unwrap();
    core.transfer(&vendor, "I9", &form("sourceLicenseeNumber=I1")).await.unwrap();
    assert_eq!(core.list::<License>(&vendor, Some("licenseeNumber=I1"), &[]).await.unwrap().paging.total_items, 0);
    assert_eq!(core.list::<License>(&vendor, Some("licenseeNumber=I9"), &[]).await.unwrap().paging.total_items, before);
    assert!(core.get::<Licensee>(&vendor, "I1").await.is_ok(), "the source licensee stays");
    let transfers = core.list::<Transaction>(&vendor, Some("source=AUTO_LICENSES_TRANSFER"), &[]).await.unwrap();
    assert_eq!(transfers.paging.total_items, 1);
    core.create_product(&vendor, &form("number=P2&name=Two")).await.unwrap();
    core.create_licensee(&vendor, &form("number=J1&productNumber=P2&markedForTransfer=true")).await.unwrap();
    let err = core.transfer(&vendor, "I9", &form("sourceLicenseeNumber=J1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::IllegalOperation, "licensees of another product");
    let other = new_vendor(core).await;
    let err = core.transfer(&other, "I9", &form("sourceLicenseeNumber=I1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound);
}
