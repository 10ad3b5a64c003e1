//! Vendor isolation: another vendor can neither list, read, update, delete nor reference a vendor's entities,
//! and gets 404 (not 403), so existence does not leak.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn isolation(server: &TestServer, format: Format) {
    let a = Api::demo(server, format);
    let b = Api::login(server, format, "other", "other");
    let tag = format!("{format:?}");
    a.post("product", &format!("number=PA{tag}&name=A")).await;
    a.post("productmodule", &format!("number=MA{tag}&productNumber=PA{tag}&name=A&licensingModel=TryAndBuy")).await;
    a.post("licensetemplate", &format!("number=EA{tag}&productModuleNumber=MA{tag}&name=A&licenseType=FEATURE")).await;
    a.post("licensee", &format!("number=IA{tag}&productNumber=PA{tag}")).await;
    let license =
        a.post("license", &format!("number=LA{tag}&licenseeNumber=IA{tag}&licenseTemplateNumber=EA{tag}")).await;
    assert_eq!(license.status, 200);

    for (resource, number) in
        [("product", "PA"), ("productmodule", "MA"), ("licensetemplate", "EA"), ("licensee", "IA"), ("license", "LA")]
    {
        let path = format!("{resource}/{number}{tag}");
        b.get(&path).await.assert_error(404, ErrorId::NotFound);
        b.post(&path, "name=stolen").await.assert_error(404, ErrorId::NotFound);
        b.delete(&format!("{path}?forceCascade=true")).await.assert_error(404, ErrorId::NotFound);
        let list = b.get(resource).await;
        let leaked = list.doc.items().iter().any(|item| item.property("number") == Some(&format!("{number}{tag}")));
        assert!(!leaked, "{resource} leaked into another vendor's list");
        assert_eq!(a.get(&path).await.status, 200, "{path} must be untouched");
    }
    b.post("productmodule", &format!("productNumber=PA{tag}&name=x&licensingModel=Quota"))
        .await
        .assert_error(404, ErrorId::NotFound);
    b.post("licensee", &format!("productNumber=PA{tag}")).await.assert_error(404, ErrorId::NotFound);
    b.post("product", &format!("number=PB{tag}&name=B")).await;
    b.post("licensee", &format!("number=IB{tag}&productNumber=PB{tag}")).await;
    b.post("license", &format!("licenseeNumber=IB{tag}&licenseTemplateNumber=EA{tag}"))
        .await
        .assert_error(404, ErrorId::NotFound);
    let same_number = b.post("product", &format!("number=PA{tag}&name=B's own")).await;
    assert_eq!(same_number.status, 200, "numbers are unique per vendor, not globally");
    assert_eq!(a.get(&format!("product/PA{tag}")).await.property("name"), Some("A"));
}

#[tokio::test]
async fn vendors_are_isolated() {
    crate::each_backend_and_format!(isolation);
}
