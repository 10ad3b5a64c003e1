//! Validate (dry run, per-module parameters, offline, licensee auto-creation), transfer and obtain.

use netlicensing_client::{
    ErrorId, Filter, Format, Property,
    entity::{
        Bundle, License, LicenseTemplate, Licensee, ModuleParameters, Product, ProductModule, ValidationParameters,
    },
    types::{LicenseType, LicensingModel, TimeVolumePeriod},
};

use crate::common::{TestServer, assert_api_error, demo};

async fn validate(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");
    let (p, ms, mf) = (format!("PV{tag}"), format!("MS{tag}"), format!("MF{tag}"));
    let product = Product {
        number: p.clone(),
        active: true,
        licensee_auto_create: Some(true),
        name: Some("V".into()),
        ..Product::default()
    };
    context.products().create(&product).await.unwrap();
    let module = |number: &str, model| ProductModule {
        number: number.to_owned(),
        active: true,
        name: Some(number.to_owned()),
        licensing_model: Some(model),
        ..ProductModule::default()
    };
    context.product_modules().create(&p, &module(&ms, LicensingModel::Subscription)).await.unwrap();
    context.product_modules().create(&p, &module(&mf, LicensingModel::Floating)).await.unwrap();
    let monthly = LicenseTemplate {
        number: format!("EM{tag}"),
        active: true,
        name: Some("Month".into()),
        license_type: Some(LicenseType::TimeVolume),
        time_volume: Some(1),
        time_volume_period: Some(TimeVolumePeriod::Month),
        automatic: Some(true),
        ..LicenseTemplate::default()
    };
    context.license_templates().create(&ms, &monthly).await.unwrap();
    let seats = LicenseTemplate {
        number: format!("EF{tag}"),
        active: true,
        name: Some("Seats".into()),
        license_type: Some(LicenseType::Floating),
        max_sessions: Some(2),
        ..LicenseTemplate::default()
    };
    context.license_templates().create(&mf, &seats).await.unwrap();
    let licensees = context.licensees();

    // Unknown licensee without a product to create it under: 404.
    assert_api_error(
        licensees.validate(&format!("NOPE{tag}"), &ValidationParameters::default()).await,
        404,
        ErrorId::NotFound,
    );

    // A dry run answers as if the licensee existed, and creates nothing.
    let i = format!("I{tag}");
    let dry =
        ValidationParameters { product_number: Some(p.clone()), dry_run: true, ..ValidationParameters::default() };
    let result = licensees.validate(&i, &dry).await.unwrap();
    assert!(result.ttl.is_some(), "validate answers carry a ttl");
    assert_eq!(result.module(&ms).and_then(|m| m.valid), Some(true), "{result:?}");
    assert_eq!(result.module(&ms).and_then(|m| m.licensing_model), Some(LicensingModel::Subscription));
    assert_api_error(licensees.get(&i).await, 404, ErrorId::NotFound);

    // A real run creates the licensee with its name and properties; offline use adds the licensee item.
    let create = ValidationParameters {
        product_number: Some(p.clone()),
        licensee_name: Some("Jo Doe".into()),
        licensee_properties: vec![Property::new("email", "jo@example.com")],
        for_offline_use: true,
        ..ValidationParameters::default()
    };
    let result = licensees.validate(&i, &create).await.unwrap();
    assert_eq!(result.licensee.as_ref().map(|l| l.number.as_str()), Some(i.as_str()));
    assert_eq!(result.modules.len(), 2);
    let created = licensees.get(&i).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("Jo Doe"));
    assert!(created.custom.contains(&Property::new("email", "jo@example.com")), "{created:?}");

    // Per-module parameters: floating sessions checked out as productModuleNumber0/sessionId0/action0.
    let active = License { active: true, ..License::default() };
    let license = context.licenses().create(&i, &seats.number, None, &active).await.unwrap();
    let check_out = |session: &str, dry_run: bool| ValidationParameters {
        dry_run,
        modules: vec![ModuleParameters::new(&mf).with("sessionId", session).with("action", "checkOut")],
        ..ValidationParameters::default()
    };
    let result = licensees.validate(&i, &check_out("dry", true)).await.unwrap();
    assert_eq!(result.module(&mf).and_then(|m| m.valid), Some(true));
    let sessions = |license: &License| license.custom.iter().filter(|p| p.name.starts_with("sessionId_")).count();
    assert_eq!(sessions(&context.licenses().get(&license.number).await.unwrap()), 0, "a dry run checks nothing out");
    for session in ["a", "b"] {
        let result = licensees.validate(&i, &check_out(session, false)).await.unwrap();
        assert_eq!(result.module(&mf).and_then(|m| m.valid), Some(true), "{session}");
    }
    let held = context.licenses().get(&license.number).await.unwrap();
    assert_eq!(sessions(&held), 2);
    assert!(held.custom.iter().any(|p| p.name == "sessionId_a"));
    let full = licensees.validate(&i, &check_out("c", false)).await.unwrap();
    assert_eq!(full.module(&mf).and_then(|m| m.valid), Some(false), "the pool of two is full");

    // Bad parameters: 400 with an info id.
    let bad = ValidationParameters {
        modules: vec![ModuleParameters::new(&mf).with("action", "checkOut")],
        ..ValidationParameters::default()
    };
    let error = licensees.validate(&i, &bad).await.expect_err("no session id");
    assert_eq!(error.status(), Some(400), "{error}");
    assert!(error.error_id().is_some());
}

#[tokio::test]
async fn validate_with_dry_run_module_parameters_and_offline_use() {
    crate::each_backend_and_format!(validate);
}

async fn transfer_and_obtain(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");
    let (p, m) = (format!("PT{tag}"), format!("MT{tag}"));
    context
        .products()
        .create(&Product { number: p.clone(), active: true, name: Some("T".into()), ..Product::default() })
        .await
        .unwrap();
    let module = ProductModule {
        number: m.clone(),
        active: true,
        name: Some("Features".into()),
        licensing_model: Some(LicensingModel::MultiFeature),
        ..ProductModule::default()
    };
    context.product_modules().create(&p, &module).await.unwrap();
    let mut templates = Vec::new();
    for n in 1..=2 {
        let template = LicenseTemplate {
            number: format!("E{n}{tag}"),
            active: true,
            name: Some(format!("Feature {n}")),
            license_type: Some(LicenseType::Feature),
            ..LicenseTemplate::default()
        };
        templates.push(context.license_templates().create(&m, &template).await.unwrap().number);
    }
    let bundle = Bundle {
        number: format!("B{tag}"),
        active: true,
        name: Some("Both".into()),
        license_template_numbers: Some(templates.clone()),
        ..Bundle::default()
    };
    context.bundles().create(&bundle).await.unwrap();
    let (source, target) = (format!("S{tag}"), format!("T{tag}"));
    let marked =
        Licensee { number: source.clone(), active: true, marked_for_transfer: Some(true), ..Licensee::default() };
    context.licensees().create(&p, &marked).await.unwrap();
    context
        .licensees()
        .create(&p, &Licensee { number: target.clone(), active: true, ..Licensee::default() })
        .await
        .unwrap();

    let obtained = context.bundles().obtain(&bundle.number, &source, None).await.unwrap();
    let mut got: Vec<_> = obtained.iter().filter_map(|l| l.license_template_number.clone()).collect();
    got.sort();
    assert_eq!(got, templates);

    context.licensees().transfer(&target, &source).await.unwrap();
    let moved = context.licenses().list(&Filter::new().with("licenseeNumber", &target)).await.unwrap();
    assert_eq!(moved.len(), 2);
    assert!(context.licenses().list(&Filter::new().with("licenseeNumber", &source)).await.unwrap().is_empty());
    let result = context.licensees().validate(&target, &ValidationParameters::default()).await.unwrap();
    let features = result.module(&m).expect("module result");
    assert!(features.lists.iter().all(|l| l.property("valid") == Some("true")), "{features:?}");
    // The target is not marked for transfer: moving back is refused with an info id.
    assert_api_error(context.licensees().transfer(&source, &target).await, 400, ErrorId::IllegalOperation);
}

#[tokio::test]
async fn transfer_and_bundle_obtain_in_both_formats() {
    crate::each_backend_and_format!(transfer_and_obtain);
}
