//! `licensee/{number}/validate` over HTTP, in XML and JSON.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn validate(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PV{tag}&name=V&licenseeAutoCreate=true")).await;
    api.post("productmodule", &format!("number=MS{tag}&productNumber=PV{tag}&name=Sub&licensingModel=Subscription"))
        .await;
    api.post(
        "licensetemplate",
        &format!("number=EM{tag}&productModuleNumber=MS{tag}&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&automatic=true"),
    )
    .await;
    api.post(
        "productmodule",
        &format!("number=MF{tag}&productNumber=PV{tag}&name=Features&licensingModel=MultiFeature"),
    )
    .await;
    api.post("licensetemplate", &format!("number=EF{tag}&productModuleNumber=MF{tag}&name=Pro&licenseType=FEATURE"))
        .await;

    let path = format!("licensee/I{tag}/validate");
    api.post(&path, "").await.assert_error(404, ErrorId::NotFound);
    let answer = api.post(&path, &format!("productNumber=PV{tag}&licenseeName=Jo&forOfflineUse=true")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    assert!(answer.doc.ttl.is_some(), "validate answers carry a ttl");
    assert!(answer.doc.paging().is_none());
    let items = answer.doc.items();
    assert_eq!(
        (items[0].ty.as_str(), items[0].property("licenseeNumber")),
        ("Licensee", Some(format!("I{tag}").as_str()))
    );
    let sub = items.iter().find(|i| i.property("productModuleNumber") == Some(&format!("MS{tag}"))).unwrap();
    assert_eq!(sub.ty, "ProductModuleValidation");
    assert_eq!((sub.property("valid"), sub.property("licensingModel")), (Some("true"), Some("Subscription")));
    assert!(sub.property("expires").is_some());
    let features = items.iter().find(|i| i.property("productModuleNumber") == Some(&format!("MF{tag}"))).unwrap();
    assert_eq!(features.lists[0].name, format!("EF{tag}"));
    assert_eq!(features.lists[0].property("valid"), Some("false"));

    let get = api.get(&format!("{path}?productNumber=PV{tag}")).await;
    assert_eq!(get.status, 200);
    let warning = get.doc.infos.first().expect("a deprecation warning");
    assert_eq!(warning.id.as_deref(), Some("methodIsDeprecated"));

    let aliased = api.post(&format!("licensee/I{tag}"), &format!("aliases=%5B%22i{tag}%40example.com%22%5D")).await;
    assert_eq!(aliased.property("aliases"), Some(format!("[\"i{tag}@example.com\"]").as_str()));
    let by_alias = api.post(&format!("licensee/i{tag}@example.com/validate"), "").await;
    assert_eq!(by_alias.status, 200, "{:?}", by_alias.doc);
    let sub = by_alias.doc.items().iter().find(|i| i.property("productModuleNumber") == Some(&format!("MS{tag}")));
    assert_eq!(sub.and_then(|s| s.property("valid")), Some("true"), "validated through the alias");
    api.post("licensee", &format!("productNumber=PV{tag}&aliases=%5B%22i{tag}%40example.com%22%5D"))
        .await
        .assert_error(400, ErrorId::IllegalOperation);

    api.post(&path, "dryRun=maybe").await.assert_error(400, ErrorId::MalformedRequest);
    let key = api.post("token", &format!("tokenType=APIKEY&licenseeNumber=I{tag}")).await;
    let licensee_key = Api::login(server, format, "apiKey", key.property("number").unwrap());
    assert_eq!(licensee_key.post(&path, "").await.status, 200, "a LICENSEE key validates its licensee");
    licensee_key.post(&format!("licensee/J{tag}/validate"), "").await.assert_error(403, ErrorId::AccessDenied);
    let alias_path = format!("licensee/i{tag}@example.com/validate");
    assert_eq!(licensee_key.post(&alias_path, "").await.status, 200, "and its licensee's alias");
    Api::login(server, format, "other", "other").post(&path, "").await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn validate_answers_per_module_in_both_formats() {
    crate::each_backend_and_format!(validate);
}

async fn obtain_and_transfer(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PB{tag}&name=B")).await;
    api.post("productmodule", &format!("number=MB{tag}&productNumber=PB{tag}&name=M&licensingModel=MultiFeature"))
        .await;
    api.post("licensetemplate", &format!("number=E1{tag}&productModuleNumber=MB{tag}&name=A&licenseType=FEATURE"))
        .await;
    api.post("licensetemplate", &format!("number=E2{tag}&productModuleNumber=MB{tag}&name=B&licenseType=FEATURE"))
        .await;
    api.post("bundle", &format!("number=B{tag}&name=Both&licenseTemplateNumbers=E1{tag},E2{tag}")).await;
    api.post("licensee", &format!("number=S{tag}&productNumber=PB{tag}&markedForTransfer=true")).await;
    api.post("licensee", &format!("number=T{tag}&productNumber=PB{tag}")).await;

    let obtained = api.post(&format!("bundle/B{tag}/obtain"), &format!("licenseeNumber=S{tag}")).await;
    assert_eq!(obtained.status, 200, "{:?}", obtained.doc);
    assert_eq!(obtained.doc.paging().map(|p| p.total_items), Some(2));
    assert!(obtained.doc.items().iter().all(|i| i.ty == "License"));
    api.post(&format!("bundle/B{tag}/obtain"), "licenseeNumber=NOPE").await.assert_error(404, ErrorId::NotFound);

    let moved = api.post(&format!("licensee/T{tag}/transfer"), &format!("sourceLicenseeNumber=S{tag}")).await;
    assert_eq!(moved.status, 204);
    let licenses = api.get(&format!("license?filter=licenseeNumber%3DT{tag}")).await;
    assert_eq!(licenses.doc.items().len(), 2);
    let valid = api.post(&format!("licensee/T{tag}/validate"), "").await;
    assert!(valid.doc.items()[0].lists.iter().all(|l| l.property("valid") == Some("true")));
    api.post(&format!("licensee/S{tag}/transfer"), &format!("sourceLicenseeNumber=T{tag}"))
        .await
        .assert_error(400, ErrorId::IllegalOperation);
}

#[tokio::test]
async fn bundles_are_obtained_and_licenses_transferred() {
    crate::each_backend_and_format!(obtain_and_transfer);
}

#[tokio::test]
async fn a_new_server_starts_with_the_demo_catalogue() {
    let file = std::env::temp_dir().join(format!("netlicensing-demo-{}.db", std::process::id()));
    let config = netlicensing_server::config::Config {
        database_url: format!("sqlite://{}?mode=rwc", file.display()),
        ..Default::default()
    };
    let state = netlicensing_server::prepare(&config).await.unwrap();
    let again = netlicensing_server::prepare(&config).await.unwrap();
    let vendor = state.core.store().vendor_by_login("demo").await.unwrap().unwrap();
    let demo = netlicensing_core::Caller::vendor(vendor.id, vendor.number);
    let products = again.core.list::<netlicensing_model::entity::Product>(&demo, None, &[]).await.unwrap();
    assert_eq!(products.items.len(), 1, "one catalogue, however often the server starts");
    let params = netlicensing_model::entity::ValidationParameters::default();
    let result = state.core.validate(&demo, "I001-DEMO", &params).await.unwrap();
    assert_eq!(result.modules.len(), 9, "a module for every licensing model");
    let subscription = result.module("MSB-DEMO").unwrap();
    assert_eq!(subscription.valid, Some(true));
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", file.display())).ok();
    }
}
