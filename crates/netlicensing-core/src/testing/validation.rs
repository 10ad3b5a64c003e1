//! Storage suite checks: validation, bundle obtain and transfer.
#![allow(clippy::unwrap_used)]

use netlicensing_model::{
    Property,
    entity::{License, LicenseTemplate, Licensee, Transaction, ValidationParameters},
    info::ErrorId,
    types::{TransactionSource, WireValue},
};

use super::{chain, form, new_vendor, trial_catalogue};
use crate::Core;

fn params(text: &str) -> ValidationParameters {
    ValidationParameters::from_form(&form(text)).unwrap()
}

/// Check: validation, its side effects and their absence on dry runs.
pub async fn validation_with_side_effects(core: &Core) {
    let vendor = new_vendor(core).await;
    trial_catalogue(core, &vendor).await;
    core.create_license_template(
        &vendor,
        &form("number=BUY&productModuleNumber=MT&name=Full&licenseType=FEATURE&price=20&currency=EUR"),
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

    let plans = "number=MQ&productNumber=PV&name=Plans&licensingModel=PricingTable&skudef=";
    let err = core.create_product_module(&vendor, &form(&format!("{plans}%5B%7B%22number%22%3A%22S%22%7D%5D"))).await;
    assert_eq!(err.unwrap_err().error_id(), ErrorId::MalformedRequest, "an SKU without a type is refused");
    let skudef =
        "%7B%22skudef%22%3A%5B%7B%22number%22%3A%22S%22%2C%22name%22%3A%22Seats%22%2C%22type%22%3A%22QUOTA%22%7D%5D%7D";
    core.create_product_module(&vendor, &form(&format!("{plans}{skudef}"))).await.unwrap();
    let plan = "number=EQ&productModuleNumber=MQ&name=Team&licenseType=FEATURE&skus=";
    let err = core.create_license_template(&vendor, &form(&format!("{plan}%5B%5D"))).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest, "plan SKU values must be an object");
    core.create_license_template(&vendor, &form(&format!("{plan}%7B%22S%22%3A%225%22%7D"))).await.unwrap();
    core.update_licensee(&vendor, "NEW-1", &form("active=true")).await.unwrap();
    core.create_license(&vendor, &form("licenseeNumber=NEW-1&licenseTemplateNumber=EQ")).await.unwrap();
    let result = core.validate(&vendor, "NEW-1", &params("")).await.unwrap();
    let table = result.module("MQ").expect("the pricing table is validated");
    assert_eq!((table.valid, table.property("pricingPlanId")), (Some(true), Some("EQ")));
    assert_eq!(table.list("S").and_then(|l| l.property("quota")), Some("5"));
    let other = new_vendor(core).await;
    let err = core.validate(&other, "NEW-1", &params("")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound, "another vendor's licensee does not exist");
}

/// Check: licensees validated by an alias; aliases are unique per vendor and follow updates and deletion.
pub async fn validation_by_alias(core: &Core) {
    let vendor = new_vendor(core).await;
    core.create_product(&vendor, &form("number=PA&name=A&licenseeAutoCreate=true")).await.unwrap();
    core.create_product_module(&vendor, &form("number=MA&productNumber=PA&name=F&licensingModel=MultiFeature"))
        .await
        .unwrap();
    core.create_license_template(&vendor, &form("number=EA&productModuleNumber=MA&name=F&licenseType=FEATURE"))
        .await
        .unwrap();
    let aliases = "aliases=%5B%22jo%40example.com%22%2C%22jo%22%5D";
    core.create_licensee(&vendor, &form(&format!("number=IA&productNumber=PA&{aliases}"))).await.unwrap();
    core.create_license(&vendor, &form("licenseeNumber=IA&licenseTemplateNumber=EA")).await.unwrap();
    for path in ["IA", "jo@example.com", "jo"] {
        let result = core.validate(&vendor, path, &params("")).await.unwrap();
        let feature = result.module("MA").and_then(|m| m.list("EA")).and_then(|l| l.property("valid"));
        assert_eq!(feature, Some("true"), "validated as {path}");
    }
    let taken = core.create_licensee(&vendor, &form("number=IB&productNumber=PA&aliases=%5B%22jo%22%5D")).await;
    assert_eq!(taken.unwrap_err().error_id(), ErrorId::IllegalOperation, "an alias belongs to one licensee");
    assert!(core.get::<Licensee>(&vendor, "IB").await.is_err(), "the refused licensee is not stored");
    let other = new_vendor(core).await;
    core.create_product(&other, &form("number=PA&name=A")).await.unwrap();
    core.create_licensee(&other, &form("number=IA&productNumber=PA&aliases=%5B%22jo%22%5D")).await.unwrap();
    let theirs = core.validate(&other, "jo", &params("")).await.unwrap();
    assert!(theirs.module("MA").is_none(), "each vendor's alias names its own licensee");

    core.update_licensee(&vendor, "IA", &form("aliases=%5B%22joanna%22%5D")).await.unwrap();
    let fresh = core.validate(&vendor, "joanna", &params("")).await.unwrap();
    assert!(fresh.module("MA").is_some(), "a new alias works at once");
    let gone = core.validate(&vendor, "jo", &params("")).await.unwrap_err();
    assert_eq!(gone.error_id(), ErrorId::NotFound, "a removed alias no longer names the licensee");
    let created = core.validate(&vendor, "jo", &params("productNumber=PA")).await.unwrap();
    assert!(created.module("MA").is_some(), "a free alias is just a new licensee number again");
    assert!(core.get::<Licensee>(&vendor, "jo").await.is_ok());
    core.delete::<Licensee>(&vendor, "IA", Some("true")).await.unwrap();
    core.create_licensee(&vendor, &form("number=IC&productNumber=PA&aliases=%5B%22joanna%22%5D")).await.unwrap();
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

/// What validation answers for the Multi-Feature module MA: its name, then each feature's validity and name.
async fn features(core: &Core, caller: &crate::Caller, path: &str) -> String {
    let result = core.validate(caller, path, &params("")).await.unwrap();
    let Some(module) = result.module("MA") else { return "no MA".into() };
    let mut out = module.product_module_name.clone().unwrap_or_default();
    for list in &module.lists {
        let valid = list.property("valid").unwrap_or("-");
        out.push_str(&format!(" {}={valid}/{}", list.name, list.property("featureName").unwrap_or("-")));
    }
    out
}

/// Check: a cached validation outlives the writes that cannot change it (other licensees, other products,
/// tokens, transactions) and never one that can (its licensee, aliases, licenses, its product's catalogue).
/// Hits are counted only where the store vouches for its changes (a PostgreSQL listener may still connect).
pub async fn validation_cache_follows_licensee_and_catalogue(core: &Core) {
    let vendor = new_vendor(core).await;
    for text in [
        "product:number=PA&name=A",
        "module:number=MA&productNumber=PA&name=Features&licensingModel=MultiFeature",
        "template:number=EA&productModuleNumber=MA&name=Export&licenseType=FEATURE",
        "template:number=EB&productModuleNumber=MA&name=Print&licenseType=FEATURE",
        "product:number=PB&name=B",
        "module:number=MB&productNumber=PB&name=Other&licensingModel=MultiFeature",
        "licensee:number=IA&productNumber=PA&aliases=%5B%22ann%22%5D",
        "licensee:number=IB&productNumber=PA",
        "license:number=LA&licenseeNumber=IA&licenseTemplateNumber=EA",
        "license:number=LB&licenseeNumber=IB&licenseTemplateNumber=EA",
    ] {
        let (what, text) = text.split_once(':').unwrap();
        let created = match what {
            "product" => core.create_product(&vendor, &form(text)).await.map(drop),
            "module" => core.create_product_module(&vendor, &form(text)).await.map(drop),
            "template" => core.create_license_template(&vendor, &form(text)).await.map(drop),
            "licensee" => core.create_licensee(&vendor, &form(text)).await.map(drop),
            _ => core.create_license(&vendor, &form(text)).await.map(drop),
        };
        created.unwrap();
    }
    let counted = core.store().stamp().is_some();
    let stats = || core.validation_cache_stats();
    let a = "Features EA=true/Export EB=false/Print";
    assert_eq!(features(core, &vendor, "IA").await, a);
    // The first validation stored A's warningLevelSummary (a change of A's row); the next one caches A again.
    assert_eq!(features(core, &vendor, "IA").await, a);

    // Writes that cannot change A's validation: A's is answered from the cache after each.
    let unrelated: [(&str, &str); 9] = [
        ("licensee", "number=IC&productNumber=PA"),
        ("license of B", "LB:active=false"),
        ("licensee B", "IB:name=Bea"),
        ("license for B", "number=LB2&licenseeNumber=IB&licenseTemplateNumber=EB"),
        ("token", "tokenType=APIKEY"),
        ("transaction", "status=PENDING&source=SHOP"),
        ("product", "PB:name=Bee"),
        ("module", "MB:name=Others"),
        ("template", "number=EC&productModuleNumber=MB&name=Scan&licenseType=FEATURE"),
    ];
    for (what, text) in unrelated {
        let before = stats();
        let target = || text.split_once(':').unwrap();
        let written = match what {
            "licensee" => core.create_licensee(&vendor, &form(text)).await.map(drop),
            "license of B" => core.update_license(&vendor, target().0, &form(target().1)).await.map(drop),
            "licensee B" => core.update_licensee(&vendor, target().0, &form(target().1)).await.map(drop),
            "license for B" => core.create_license(&vendor, &form(text)).await.map(drop),
            "token" => core.create_token(&vendor, &form(text)).await.map(drop),
            "transaction" => core.create_transaction(&vendor, &form(text)).await.map(drop),
            "product" => core.update_product(&vendor, target().0, &form(target().1)).await.map(drop),
            "module" => core.update_product_module(&vendor, target().0, &form(target().1)).await.map(drop),
            _ => core.create_license_template(&vendor, &form(text)).await.map(drop),
        };
        written.unwrap();
        assert_eq!(features(core, &vendor, "IA").await, a, "after a write to another {what}");
        if counted {
            assert_eq!(stats().hits, before.hits + 1, "A's validation stays cached across a write to another {what}");
        }
    }

    // Writes that change A's validation: the very next one sees them.
    let expect = |what: &str, before: crate::service::cache::CacheStats, answer: String, want: &str| {
        assert_eq!(answer, want, "after {what}");
        if counted {
            assert_eq!(stats().misses, before.misses + 1, "{what} retires A's cached validation");
        }
    };
    features(core, &vendor, "IA").await;
    let before = stats();
    core.update_license(&vendor, "LA", &form("active=false")).await.unwrap();
    expect("A's license", before, features(core, &vendor, "IA").await, "Features EA=false/Export EB=false/Print");
    let before = stats();
    core.create_license(&vendor, &form("number=LA2&licenseeNumber=IA&licenseTemplateNumber=EB")).await.unwrap();
    expect("a new license of A", before, features(core, &vendor, "IA").await, "Features EA=false/Export EB=true/Print");
    let before = stats();
    core.update_licensee(&vendor, "IA", &form("active=false")).await.unwrap();
    expect("A's row", before, features(core, &vendor, "IA").await, "Features EA=false/Export EB=false/Print");
    core.update_licensee(&vendor, "IA", &form("active=true")).await.unwrap();
    features(core, &vendor, "IA").await;
    let before = stats();
    core.update_license_template(&vendor, "EB", &form("name=Printing")).await.unwrap();
    expect("A's template", before, features(core, &vendor, "IA").await, "Features EA=false/Export EB=true/Printing");
    let before = stats();
    core.update_product_module(&vendor, "MA", &form("name=Feats")).await.unwrap();
    expect("A's module", before, features(core, &vendor, "IA").await, "Feats EA=false/Export EB=true/Printing");
    let before = stats();
    core.update_product(&vendor, "PA", &form("name=Ay")).await.unwrap();
    expect("A's product", before, features(core, &vendor, "IA").await, "Feats EA=false/Export EB=true/Printing");
    let before = stats();
    core.delete::<License>(&vendor, "LA2", None).await.unwrap();
    expect("a deleted license", before, features(core, &vendor, "IA").await, "Feats EA=false/Export EB=false/Printing");

    // The alias "ann" moves from A to B (B holds an active EB license, A none).
    core.update_license(&vendor, "LA", &form("active=true")).await.unwrap();
    let a = "Feats EA=true/Export EB=false/Printing";
    assert_eq!(features(core, &vendor, "ann").await, a);
    assert_eq!(features(core, &vendor, "ann").await, a);
    core.update_licensee(&vendor, "IA", &form("aliases=%5B%5D")).await.unwrap();
    core.update_licensee(&vendor, "IB", &form("aliases=%5B%22ann%22%5D")).await.unwrap();
    let b = "Feats EA=false/Export EB=true/Printing";
    assert_eq!(features(core, &vendor, "ann").await, b, "the alias names B now");
    // A licensee whose number is B's alias takes the path key over (numbers win over aliases).
    core.create_licensee(&vendor, &form("number=ann&productNumber=PA")).await.unwrap();
    assert_eq!(features(core, &vendor, "ann").await, "Feats EA=false/Export EB=false/Printing");

    // A's licenses transferred to B.
    core.update_licensee(&vendor, "IA", &form("markedForTransfer=true")).await.unwrap();
    assert_eq!(features(core, &vendor, "IA").await, a);
    let before = stats();
    core.transfer(&vendor, "IB", &form("sourceLicenseeNumber=IA")).await.unwrap();
    expect(
        "a transfer away from A",
        before,
        features(core, &vendor, "IA").await,
        "Feats EA=false/Export EB=false/Printing",
    );
}
