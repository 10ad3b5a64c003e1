//! The seed documentation's examples: each request, sent to a server prepared with the state the example
//! assumes, answers with every property of the documented response (generated numbers and times aside).

use netlicensing_model::{Document, Format, Item, codec::from_xml};

use crate::common::{Answer, Api, TestServer};

/// The example response that follows a request line in a seed page.
fn seed_response(page: &str, request: &str) -> Document {
    let dir = std::env::var("NETLICENSING_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let text = std::fs::read_to_string(dir.join("seeds").join(page)).expect("seed page");
    let at = text.find(request).unwrap_or_else(|| panic!("{request} not in {page}"));
    let rest = &text[at..];
    let start = ["<?xml", "<netlicensing"].iter().filter_map(|m| rest.find(m)).min().expect("example response");
    let end = rest.find("</netlicensing>").expect("end of response") + "</netlicensing>".len();
    from_xml(&rest[start..end]).expect("seed response parses")
}

/// Every property of `expected` is in `actual` with the same value, except those set aside.
fn assert_covers(expected: &Item, actual: &Item, aside: &[&str]) {
    assert_eq!(expected.ty, actual.ty);
    for property in &expected.properties {
        if aside.contains(&property.name.as_str()) {
            assert!(actual.property(&property.name).is_some(), "{} missing in {actual:?}", property.name);
            continue;
        }
        assert_eq!(actual.property(&property.name), Some(property.value.as_str()), "{}: {actual:?}", property.name);
    }
    assert_eq!(expected.lists, actual.lists, "lists of {}", expected.ty);
}

fn assert_answer(answer: &Answer, page: &str, request: &str, aside: &[&str]) {
    let expected = seed_response(page, request);
    assert_eq!(answer.status, 200, "{request}: {:?}", answer.doc);
    for item in expected.items() {
        let number = item.property("number");
        let actual = answer
            .doc
            .items()
            .iter()
            .find(|a| aside.contains(&"number") || a.property("number") == number)
            .unwrap_or_else(|| panic!("{request}: no item {number:?} in {:?}", answer.doc));
        assert_covers(item, actual, aside);
    }
}

async fn licenses(api: &Api<'_>) {
    let page = "01-license-services.txt";
    api.post("product", "number=PL&name=Licensed").await;
    api.post("productmodule", "number=ML&productNumber=PL&name=M&licensingModel=MultiFeature").await;
    api.post("licensetemplate", "number=EUJOJ74GS&productModuleNumber=ML&name=F&licenseType=FEATURE").await;
    api.post("licensee", "number=IKPQGUUJ4&productNumber=PL").await;
    api.post(
        "license",
        "number=L001&licenseeNumber=IKPQGUUJ4&licenseTemplateNumber=EUJOJ74GS&CustomProperty=CustomPropertyValue",
    )
    .await;
    assert_answer(&api.get("license").await, page, "GET https://go.netlicensing.io/core/v2/rest/license\n", &[]);
    assert_answer(
        &api.get("license/L001").await,
        page,
        "GET https://go.netlicensing.io/core/v2/rest/license/L001",
        &[],
    );
    let created = api.post("license", "licenseeNumber=IKPQGUUJ4&licenseTemplateNumber=EUJOJ74GS&active=true").await;
    assert_answer(&created, page, "POST https://go.netlicensing.io/core/v2/rest/license\n", &["number"]);
    api.post("transaction", "number=TFMEIR1B9&status=CLOSED&source=SHOP").await;
    api.post(
        "license",
        "number=L2DH0QG1O&licenseeNumber=IKPQGUUJ4&licenseTemplateNumber=EUJOJ74GS&active=false&custPropForLic=CustPropValUpdated&custPropForLicOnUpd=BlaBlaVal&transactionNumber=TFMEIR1B9",
    )
    .await;
    let updated = api.post("license/L2DH0QG1O", "active=true").await;
    assert_answer(&updated, page, "POST https://go.netlicensing.io/core/v2/rest/license/L2DH0QG1O", &[]);
    assert_eq!(api.delete("license/L001").await.status, 204);
}

async fn products(api: &Api<'_>) {
    let page = "02-product-services.txt";
    let list = seed_response(page, "GET https://go.netlicensing.io/core/v2/rest/product\n");
    for item in list.items() {
        let mut form = netlicensing_model::codec::Form::new();
        for property in &item.properties {
            form.push(property.name.as_str(), property.value.as_str());
        }
        api.post("product", &form.encode()).await;
    }
    assert_answer(&api.get("product").await, page, "GET https://go.netlicensing.io/core/v2/rest/product\n", &[]);
    let single = seed_response(page, "GET https://go.netlicensing.io/core/v2/rest/product/P014");
    let mut form = netlicensing_model::codec::Form::new();
    for property in &single.items()[0].properties {
        form.push(property.name.as_str(), property.value.as_str());
    }
    api.post("product", &form.encode()).await;
    assert_answer(
        &api.get("product/P014").await,
        page,
        "GET https://go.netlicensing.io/core/v2/rest/product/P014",
        &[],
    );
    let created = api
        .post(
            "product",
            "number=PQVJQ5F7H&active=false&name=Product+6QP3NKHO&version=v3.4&discount=100;EUR;10&discount=10;EUR;9%",
        )
        .await;
    assert_answer(&created, page, "POST https://go.netlicensing.io/core/v2/rest/product\n", &[]);
    api.delete("product/PQVJQ5F7H").await;
    api.post("product", "number=PJIF898SP&name=Before").await;
    let updated = api
        .post(
            "product/PJIF898SP",
            "number=PQVJQ5F7H&active=false&name=Product+6QP3NKHO&version=v3.4&discount=100;EUR;20&discount=10;EUR;9%",
        )
        .await;
    // The page's response contradicts its own request (old number, name `testproduct`, version 1.1, a
    // `myProperty` never sent); what follows from the request is the rename, `active` and the replaced discounts.
    let expected = seed_response(page, "POST https://go.netlicensing.io/core/v2/rest/product/PJIF898SP");
    let (expected, actual) = (&expected.items()[0], &updated.doc.items()[0]);
    assert_eq!(expected.lists, actual.lists);
    assert_eq!(actual.property("active"), expected.property("active"));
    assert_eq!((actual.property("number"), actual.property("name")), (Some("PQVJQ5F7H"), Some("Product 6QP3NKHO")));
    api.post("product", "number=P001&name=Gone").await;
    assert_eq!(api.delete("product/P001").await.status, 204);
}

async fn tokens(api: &Api<'_>) {
    let page = "03-token-services.txt";
    api.post("product", "number=PT&name=T").await;
    api.post("licensee", "number=I001-DEMO&productNumber=PT").await;
    let created = api.post("token", "tokenType=SHOP&licenseeNumber=I001-DEMO").await;
    let aside = ["number", "expirationTime", "shopURL"];
    assert_answer(&created, page, "POST https://go.netlicensing.io/core/v2/rest/token\n", &aside);
    let number = created.property("number").unwrap().to_owned();
    assert!(created.property("shopURL").unwrap().ends_with(&format!("/shop/{number}")), "our own shop");
    let got = api.get(&format!("token/{number}")).await;
    assert_answer(&got, page, "GET https://go.netlicensing.io/core/v2/rest/token/a6cd4cc9", &aside);
    assert_eq!(api.delete(&format!("token/{number}")).await.status, 204);
}

async fn bundles(api: &Api<'_>) {
    let page = "04-bundle-services.txt";
    let created = api.post("bundle", "number=BQVJQ5F7H&active=false&name=Bundle+6QP3NKHO&price=10&currency=EUR").await;
    assert_answer(&created, page, "POST https://go.netlicensing.io/core/v2/rest/bundle\n", &[]);
    api.post("bundle", "number=BJIF898SP&name=Before").await;
    api.delete("bundle/BQVJQ5F7H").await;
    let updated =
        api.post("bundle/BJIF898SP", "number=BQVJQ5F7H&active=false&name=Bundle+6QP3NKHO&price=10&currency=EUR").await;
    assert_answer(&updated, page, "POST https://go.netlicensing.io/core/v2/rest/bundle/BJIF898SP", &["number"]);
    assert_eq!(updated.property("number"), Some("BQVJQ5F7H"));
    api.post("bundle", "number=B004&name=Bundle+Numero+Cuatro&price=40&currency=EUR&description=Bundle+Descripcion+Cuatro&CustomProperty=CustomPropertyValue").await;
    assert_answer(&api.get("bundle/B004").await, page, "GET https://go.netlicensing.io/core/v2/rest/bundle/B004", &[]);
    api.post("bundle", "number=B001&name=x").await;
    assert_eq!(api.delete("bundle/B001").await.status, 204);
}

async fn seeds(server: &TestServer, format: Format) {
    if format == Format::Json {
        return; // the seed examples are XML; the JSON form is covered by the chain tests
    }
    let api = Api::demo(server, format);
    licenses(&api).await;
    products(&api).await;
    tokens(&api).await;
    bundles(&api).await;
}

#[tokio::test]
async fn seed_examples_answer_as_documented() {
    crate::each_backend_and_format!(seeds);
}
