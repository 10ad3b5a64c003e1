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

    api.post(&path, "dryRun=maybe").await.assert_error(400, ErrorId::MalformedRequest);
    let key = api.post("token", &format!("tokenType=APIKEY&licenseeNumber=I{tag}")).await;
    let licensee_key = Api::login(server, format, "apiKey", key.property("number").unwrap());
    assert_eq!(licensee_key.post(&path, "").await.status, 200, "a LICENSEE key validates its licensee");
    licensee_key.post(&format!("licensee/J{tag}/validate"), "").await.assert_error(403, ErrorId::AccessDenied);
    Api::login(server, format, "other", "other").post(&path, "").await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn validate_answers_per_module_in_both_formats() {
    crate::each_backend_and_format!(validate);
}
