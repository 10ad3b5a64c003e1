//! The entity chain product → module → template → licensee → license over HTTP, in XML and JSON.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn chain(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let p = format!("P-{format:?}");
    let created =
        api.post("product", &format!("number={p}&name=Product+One&discount=100;EUR;10&discount=10;EUR;9%&crm=7")).await;
    assert_eq!(created.status, 200, "{:?}", created.doc);
    assert_eq!(created.doc.items()[0].ty, "Product");
    assert_eq!(created.property("version"), Some(""));
    assert_eq!(created.property("inUse"), Some("false"));
    assert_eq!(created.property("crm"), Some("7"));
    assert_eq!(created.doc.items()[0].lists.len(), 2);
    assert!(created.doc.paging().is_none(), "single entities carry no paging");

    let m = format!("M-{format:?}");
    let module =
        api.post("productmodule", &format!("number={m}&productNumber={p}&name=Mod&licensingModel=Subscription")).await;
    assert_eq!((module.status, module.property("productNumber")), (200, Some(p.as_str())));
    let e = format!("E-{format:?}");
    let template = api
        .post(
            "licensetemplate",
            &format!("number={e}&productModuleNumber={m}&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&price=5&currency=EUR"),
        )
        .await;
    assert_eq!((template.status, template.property("price")), (200, Some("5.00")));
    assert_eq!(template.property("productModuleName"), Some("Mod"));
    let i = format!("I-{format:?}");
    let licensee = api.post("licensee", &format!("number={i}&productNumber={p}&name=Customer")).await;
    assert_eq!((licensee.status, licensee.property("markedForTransfer")), (200, Some("false")));
    let license = api.post("license", &format!("licenseeNumber={i}&licenseTemplateNumber={e}&startDate=now")).await;
    assert_eq!(license.status, 200, "{:?}", license.doc);
    let number = license.property("number").expect("generated number").to_owned();
    assert!(number.starts_with('L') && number.len() == 9);
    assert_eq!(license.property("productModuleNumber"), Some(m.as_str()));

    let list = api.get(&format!("license?filter=licenseeNumber%3D{i}")).await;
    let paging = list.doc.paging().expect("lists carry paging");
    assert_eq!((list.status, paging.total_items, paging.items_number, paging.has_next), (200, 1, 1, false));
    let listed = api.get(&format!("licensee?productNumber={p}")).await;
    assert_eq!(listed.doc.items().len(), 1, "plain parent parameters filter too");

    let updated = api.post(&format!("licensee/{i}"), "name=Renamed&crm=&note=x").await;
    assert_eq!((updated.property("name"), updated.property("note")), (Some("Renamed"), Some("x")));
    assert_eq!(updated.property("inUse"), Some("true"));

    api.delete(&format!("product/{p}")).await.assert_error(400, ErrorId::IllegalOperation);
    assert_eq!(api.delete(&format!("license/{number}")).await.status, 204);
    assert_eq!(api.delete(&format!("product/{p}?forceCascade=true")).await.status, 204);
    api.get(&format!("licensee/{i}")).await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn the_chain_works_in_both_formats_on_every_backend() {
    crate::each_backend_and_format!(chain);
}

async fn utility_and_seed_examples(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let types = api.get("utility/licenseTypes").await;
    let names: Vec<_> = types.doc.items().iter().filter_map(|i| i.property("name")).collect();
    assert_eq!(names, ["FEATURE", "TIMEVOLUME", "FLOATING", "QUANTITY"]);
    assert!(types.doc.items().iter().all(|i| i.ty == "LicenseType"));
    let models = api.get("utility/licensingModels").await;
    assert_eq!(models.doc.items().len(), 9);
    assert!(models.doc.items().iter().all(|i| i.ty == "LicensingModelProperties"));

    // Seed: POST product number=PQVJQ5F7H&active=false&name=Product+6QP3NKHO&version=v3.4&discount=...
    let suffix = format!("{format:?}");
    let product = api
        .post("product", &format!("number=PQVJQ5F7H{suffix}&active=false&name=Product+6QP3NKHO&version=v3.4&discount=100;EUR;10&discount=10;EUR;9%"))
        .await;
    assert_eq!((product.property("active"), product.property("name")), (Some("false"), Some("Product 6QP3NKHO")));
    assert_eq!(product.property("version"), Some("v3.4"));
    let discounts = &product.doc.items()[0].lists;
    assert_eq!(discounts[0].property("totalPrice"), Some("100.00"));
    assert_eq!(discounts[1].property("amountPercent"), Some("9"));
    // Seed: licensee create, license update with custom properties.
    let active = api.post(&format!("product/PQVJQ5F7H{suffix}"), "active=true").await;
    assert_eq!(active.property("active"), Some("true"));
    let licensee =
        api.post("licensee", &format!("productNumber=PQVJQ5F7H{suffix}&number=I762LBSSX{suffix}&active=false")).await;
    assert_eq!(
        (licensee.property("active"), licensee.property("productNumber")),
        (Some("false"), Some(format!("PQVJQ5F7H{suffix}").as_str()))
    );
}

#[tokio::test]
async fn utility_lists_and_seed_examples() {
    crate::each_backend_and_format!(utility_and_seed_examples);
}
