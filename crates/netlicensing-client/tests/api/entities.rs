//! Every operation of every service against the server, in XML and JSON.

use netlicensing_client::{
    ErrorId, Filter, Format, Property,
    entity::{
        Bundle, Discount, License, LicenseTemplate, Licensee, Notification, PaymentMethod, Product, ProductModule,
        Token, Transaction,
    },
    types::{
        ApiKeyRole, Currency, LicenseType, LicensingModel, NotificationEvent, NotificationProtocol, TimeVolumePeriod,
        TokenType, TransactionSource, TransactionStatus,
    },
};

use crate::common::{TestServer, assert_api_error, demo};

fn custom<'a>(properties: &'a [Property], name: &str) -> Option<&'a str> {
    properties.iter().find(|p| p.name == name).map(|p| p.value.as_str())
}

/// Product, product module, license template, licensee, license and transaction: the chain, each operation.
async fn chain(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");
    let (p, m, e, i, t) =
        (format!("P{tag}"), format!("M{tag}"), format!("E{tag}"), format!("I{tag}"), format!("T{tag}"));

    // Product: create with a discount and a custom property, get, list, update, generated numbers.
    let products = context.products();
    let product = Product {
        number: p.clone(),
        active: true,
        name: Some("Product One".into()),
        version: Some("1.0".into()),
        discounts: vec![Discount::parse_form("100;EUR;10%").unwrap()],
        custom: vec![Property::new("crmId", "7")],
        ..Product::default()
    };
    let created = products.create(&product).await.unwrap();
    assert_eq!((created.number.as_str(), created.name.as_deref()), (p.as_str(), Some("Product One")));
    assert_eq!((created.in_use, created.discounts.len()), (Some(false), 1));
    assert_eq!(custom(&created.custom, "crmId"), Some("7"));
    assert_eq!(products.get(&p).await.unwrap(), created);
    let listed = products.list(&Filter::new()).await.unwrap();
    assert!(listed.iter().any(|product| product.number == p));
    assert_eq!(listed.total_items() as usize, listed.len());
    let mut changed = created.clone();
    changed.name = Some("Renamed".into());
    changed.custom = vec![Property::new("crmId", ""), Property::new("note", "x")];
    let updated = products.update(&p, &changed).await.unwrap();
    assert_eq!(updated.name.as_deref(), Some("Renamed"));
    assert_eq!((custom(&updated.custom, "crmId"), custom(&updated.custom, "note")), (None, Some("x")));
    let generated = products.create(&Product { active: true, name: Some("G".into()), ..Product::default() }).await;
    let generated = generated.unwrap();
    assert!(!generated.number.is_empty());
    products.delete(&generated.number, false).await.unwrap();

    // Product module.
    let modules = context.product_modules();
    let module = ProductModule {
        number: m.clone(),
        active: true,
        name: Some("Subscription".into()),
        licensing_model: Some(LicensingModel::Subscription),
        ..ProductModule::default()
    };
    let created = modules.create(&p, &module).await.unwrap();
    assert_eq!(
        (created.product_number.as_deref(), created.licensing_model),
        (Some(p.as_str()), module.licensing_model)
    );
    assert_eq!(modules.get(&m).await.unwrap(), created);
    let listed = modules.list(&Filter::new().with("productNumber", &p)).await.unwrap();
    assert_eq!(listed.items, std::slice::from_ref(&created));
    let renamed = modules.update(&m, &ProductModule { name: Some("Sub".into()), ..created }).await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Sub"));

    // License template.
    let templates = context.license_templates();
    let template = LicenseTemplate {
        number: e.clone(),
        active: true,
        name: Some("Month".into()),
        license_type: Some(LicenseType::TimeVolume),
        time_volume: Some(1),
        time_volume_period: Some(TimeVolumePeriod::Month),
        price: Some("5".parse().unwrap()),
        currency: Some(Currency::Eur),
        ..LicenseTemplate::default()
    };
    let created = templates.create(&m, &template).await.unwrap();
    assert_eq!(created.product_module_number.as_deref(), Some(m.as_str()));
    assert_eq!(
        (created.price.map(|p| p.to_string()), created.product_module_name.as_deref()),
        (Some("5.00".into()), Some("Sub"))
    );
    assert_eq!(templates.get(&e).await.unwrap(), created);
    assert_eq!(
        templates.list(&Filter::new().with("productModuleNumber", &m)).await.unwrap().items,
        std::slice::from_ref(&created)
    );
    let hidden = templates.update(&e, &LicenseTemplate { hidden: Some(true), ..created }).await.unwrap();
    assert_eq!(hidden.hidden, Some(true));

    // Licensee.
    let licensees = context.licensees();
    let licensee = Licensee {
        number: i.clone(),
        active: true,
        name: Some("Customer".into()),
        custom: vec![Property::new("email", "jo@example.com")],
        ..Licensee::default()
    };
    let created = licensees.create(&p, &licensee).await.unwrap();
    assert_eq!((created.product_number.as_deref(), created.marked_for_transfer), (Some(p.as_str()), Some(false)));
    assert_eq!(custom(&created.custom, "email"), Some("jo@example.com"));
    assert_eq!(licensees.get(&i).await.unwrap(), created);
    assert_eq!(
        licensees.list(&Filter::new().with("productNumber", &p)).await.unwrap().items,
        std::slice::from_ref(&created)
    );
    let marked = licensees.update(&i, &Licensee { marked_for_transfer: Some(true), ..created }).await.unwrap();
    assert_eq!(marked.marked_for_transfer, Some(true));

    // Transaction (no delete).
    let transactions = context.transactions();
    let transaction = Transaction {
        number: t.clone(),
        active: true,
        status: Some(TransactionStatus::Pending),
        source: Some(TransactionSource::Shop),
        licensee_number: Some(i.clone()),
        ..Transaction::default()
    };
    let created = transactions.create(&transaction).await.unwrap();
    assert_eq!((created.status, created.source), (transaction.status, transaction.source));
    assert!(created.date_created.is_some());

    // License, attached to the transaction.
    let licenses = context.licenses();
    let license = License { active: true, custom: vec![Property::new("seat", "A")], ..License::default() };
    let created = licenses.create(&i, &e, Some(&t), &license).await.unwrap();
    let l = created.number.clone();
    assert!(!l.is_empty());
    assert_eq!(created.product_module_number.as_deref(), Some(m.as_str()));
    assert_eq!((created.time_volume, custom(&created.custom, "seat")), (Some(1), Some("A")));
    assert_eq!(licenses.get(&l).await.unwrap(), created);
    let listed = licenses.list(&Filter::new().with("licenseeNumber", &i)).await.unwrap();
    assert_eq!(
        (listed.items.as_slice(), listed.total_items(), listed.has_next()),
        ([created.clone()].as_slice(), 1, false)
    );
    let renamed = licenses.update(&l, None, &License { name: Some("Seat A".into()), ..created }).await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Seat A"));

    let joined = transactions.get(&t).await.unwrap();
    assert_eq!(joined.license_transaction_joins[0].license_number, l);
    assert_eq!(transactions.list(&Filter::new()).await.unwrap().iter().filter(|x| x.number == t).count(), 1);
    let closed = transactions.update(&t, &Transaction { status: Some(TransactionStatus::Closed), ..joined }).await;
    assert_eq!(closed.unwrap().status, Some(TransactionStatus::Closed));

    // Deletes: dependants refuse without force (400 with an info id), then go.
    assert_api_error(products.delete(&p, false).await, 400, ErrorId::IllegalOperation);
    licenses.delete(&l, false).await.unwrap();
    assert_api_error(licenses.get(&l).await, 404, ErrorId::NotFound);
    licensees.delete(&i, false).await.unwrap();
    templates.delete(&e, false).await.unwrap();
    modules.delete(&m, false).await.unwrap();
    products.delete(&p, true).await.unwrap();
    assert_api_error(products.get(&p).await, 404, ErrorId::NotFound);
    assert_api_error(licensees.get(&i).await, 404, ErrorId::NotFound);
}

#[tokio::test]
async fn the_entity_chain_in_both_formats() {
    crate::each_backend_and_format!(chain);
}

/// Payment methods, bundles (with obtain), notifications, tokens and the utility lists.
async fn the_rest(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");
    let (p, m, e, i, b) =
        (format!("PB{tag}"), format!("MB{tag}"), format!("EB{tag}"), format!("IB{tag}"), format!("B{tag}"));
    context
        .products()
        .create(&Product { number: p.clone(), active: true, name: Some("B".into()), ..Product::default() })
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
    let template = LicenseTemplate {
        number: e.clone(),
        active: true,
        name: Some("Pro".into()),
        license_type: Some(LicenseType::Feature),
        ..LicenseTemplate::default()
    };
    context.license_templates().create(&m, &template).await.unwrap();
    context.licensees().create(&p, &Licensee { number: i.clone(), active: true, ..Licensee::default() }).await.unwrap();

    // Payment methods: list, get, update (provider settings are custom properties).
    let methods = context.payment_methods();
    assert_eq!(methods.list(&Filter::new()).await.unwrap().total_items(), 4);
    let paypal = methods.get("PAYPAL").await.unwrap();
    let settings = vec![Property::new("paypal.subject", format!("{tag}@example.com"))];
    let updated = methods.update("PAYPAL", &PaymentMethod { active: true, custom: settings, ..paypal }).await.unwrap();
    assert!(updated.active);
    assert_eq!(custom(&updated.custom, "paypal.subject"), Some(format!("{tag}@example.com").as_str()));

    // Bundles: create, get, list, update, obtain, delete.
    let bundles = context.bundles();
    let bundle = Bundle {
        number: b.clone(),
        active: true,
        name: Some("Bundle".into()),
        price: Some("10".parse().unwrap()),
        currency: Some(Currency::Eur),
        license_template_numbers: Some(vec![e.clone()]),
        custom: vec![Property::new("logo", "l.png")],
        ..Bundle::default()
    };
    let created = bundles.create(&bundle).await.unwrap();
    assert_eq!(
        (created.license_template_numbers.as_deref(), custom(&created.custom, "logo")),
        (Some([e.clone()].as_slice()), Some("l.png"))
    );
    assert_eq!(bundles.get(&b).await.unwrap(), created);
    assert!(bundles.list(&Filter::new()).await.unwrap().iter().any(|x| x.number == b));
    let renamed = bundles.update(&b, &Bundle { name: Some("Renamed".into()), ..created }).await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Renamed"));
    let obtained = bundles.obtain(&b, &i, None).await.unwrap();
    assert_eq!(obtained.len(), 1);
    assert_eq!(
        (obtained[0].license_template_number.as_deref(), obtained[0].licensee_number.as_deref()),
        (Some(e.as_str()), Some(i.as_str()))
    );
    assert_api_error(bundles.obtain(&b, "NOPE", None).await, 404, ErrorId::NotFound);
    bundles.delete(&b, false).await.unwrap();
    assert_api_error(bundles.get(&b).await, 404, ErrorId::NotFound);

    // Notifications: create, get, list, update, delete.
    let notifications = context.notifications();
    let notification = Notification {
        number: format!("N{tag}"),
        active: true,
        name: Some("Hook".into()),
        protocol: Some(NotificationProtocol::Webhook),
        endpoint: Some("https://example.com/hook".into()),
        events: Some(vec![NotificationEvent::LicenseeCreated]),
        ..Notification::default()
    };
    let mut created = notifications.create(&notification).await.unwrap();
    // The signing secret is shown once, in the answer that created the notification.
    assert!(created.custom.iter().any(|p| p.name == "signingSecret" && p.value.starts_with("whsec_")));
    created.custom.retain(|p| p.name != "signingSecret");
    assert_eq!(
        (created.events.as_deref(), created.protocol),
        (Some([NotificationEvent::LicenseeCreated].as_slice()), notification.protocol)
    );
    assert_eq!(notifications.get(&notification.number).await.unwrap(), created);
    assert_eq!(notifications.list(&Filter::new()).await.unwrap().items, std::slice::from_ref(&created));
    let events = Some(vec![NotificationEvent::LicenseeCreated, NotificationEvent::LicenseCreated]);
    let updated = notifications.update(&notification.number, &Notification { events: events.clone(), ..created }).await;
    assert_eq!(updated.unwrap().events, events);
    notifications.delete(&notification.number).await.unwrap();
    assert_api_error(notifications.get(&notification.number).await, 404, ErrorId::NotFound);

    // Tokens: create an API key, get, list with a filter, delete.
    let tokens = context.tokens();
    let key =
        Token { token_type: Some(TokenType::ApiKey), api_key_role: Some(ApiKeyRole::Analytics), ..Token::default() };
    let created = tokens.create(&key).await.unwrap();
    assert_eq!((created.token_type, created.api_key_role, created.active), (key.token_type, key.api_key_role, true));
    assert_eq!(tokens.get(&created.number).await.unwrap().number, created.number);
    let listed = tokens.list(&Filter::new().with("tokenType", TokenType::ApiKey)).await.unwrap();
    assert!(listed.iter().any(|t| t.number == created.number));
    assert!(listed.iter().all(|t| t.token_type == Some(TokenType::ApiKey)));
    tokens.delete(&created.number).await.unwrap();
    assert_api_error(tokens.get(&created.number).await, 404, ErrorId::NotFound);

    // Utility lists.
    let utility = context.utility();
    let types = utility.license_types().await.unwrap();
    assert_eq!(
        types.items,
        [LicenseType::Feature, LicenseType::TimeVolume, LicenseType::Floating, LicenseType::Quantity]
    );
    let models = utility.licensing_models().await.unwrap();
    assert_eq!(models.len(), 9);
    assert!(models.iter().any(|m| *m == LicensingModel::Floating));
    let countries = utility.countries(&Filter::new()).await.unwrap();
    assert_eq!((countries.total_items(), countries.len(), countries.has_next()), (249, 100, true));
    let second = utility.countries(&Filter::new().page(2)).await.unwrap();
    assert_eq!((second.page_number(), second.len(), second.has_next()), (2, 49, false));
    let germany = utility.countries(&Filter::new().with("code", "DE")).await.unwrap();
    assert_eq!((germany.items[0].name.as_str(), germany.items[0].is_eu), ("GERMANY", true));
    assert_eq!(germany.items[0].vat_percent.map(|v| v.to_string()), Some("19".into()));
}

#[tokio::test]
async fn payment_methods_bundles_notifications_tokens_and_utility_in_both_formats() {
    crate::each_backend_and_format!(the_rest);
}

/// Lists are paged through the filter.
async fn paging(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");
    let numbers: Vec<String> = (0..5).map(|n| format!("PG{tag}{n}")).collect();
    for number in &numbers {
        let product =
            Product { number: number.clone(), active: true, name: Some("Paged".into()), ..Product::default() };
        context.products().create(&product).await.unwrap();
    }
    let filter = Filter::new().with("name", "Paged").items(2);
    let mut seen = Vec::new();
    let mut page_number = 0;
    loop {
        let page = context.products().list(&filter.clone().page(page_number)).await.unwrap();
        assert_eq!((page.page_number(), page.total_items(), page.total_pages()), (page_number, 5, 3));
        seen.extend(page.iter().map(|p| p.number.clone()));
        if !page.has_next() {
            break;
        }
        page_number += 1;
    }
    seen.sort();
    assert_eq!(seen, numbers);
    for number in &numbers {
        context.products().delete(number, true).await.unwrap();
    }
}

#[tokio::test]
async fn lists_are_paged_in_both_formats() {
    crate::each_backend_and_format!(paging);
}
