//! References and roles (issue 13, items 8–12): a role is refused before anything is looked at, and every
//! number a request names must be one of the caller's vendor's entities.

use netlicensing_model::{Format, info::ErrorId};

use crate::{
    common::{Api, TestServer},
    fidelity::raw,
};

async fn roles_first(server: &TestServer, format: Format) {
    use netlicensing_model::{
        api::{self, Access},
        types::{ApiKeyRole, WireEnum},
    };
    let vendor = Api::demo(server, format);
    for role in ApiKeyRole::ALL {
        let key = vendor.post("token", &format!("tokenType=APIKEY&apiKeyRole={}", role.as_str())).await;
        let key = key.property("number").expect("an API key").to_owned();
        for route in api::routes() {
            let forbidden = match route.access {
                Access::Public => false,
                Access::Role(least) => *role < least,
                Access::VendorLogin => true,
            };
            if !forbidden {
                continue;
            }
            let path = route.path.strip_prefix(api::BASE).unwrap_or(&route.path).replace("{number}", "NOPE");
            let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes()).expect("a method");
            let has_body = matches!(route.method, api::Method::Post | api::Method::Put);
            let url = format!("{path}?filter=bogus&forceCascade=maybe&startDate=bogus&transactionNumber=NOPE");
            let mut request = reqwest::Client::new()
                .request(method, server.url(&url))
                .basic_auth("apiKey", Some(&key))
                .header("Accept", format.media_type());
            if has_body {
                // Neither a form nor well-formed: the role is refused before the body is read.
                request = request.header("Content-Type", "text/plain").body("startDate=bogus&licenseeNumber=NOPE");
            }
            let answer = raw(request).await;
            assert_eq!(answer.status, 403, "{} {} as {}: {}", route.method.as_str(), path, role.as_str(), answer.body);
            let doc = format.decode(answer.body.as_bytes()).expect("an API error body");
            let error = doc.errors().next().expect("an error info");
            assert_eq!(error.id.as_deref(), Some(ErrorId::AccessDenied.as_str()));
        }
    }
}

#[tokio::test]
async fn a_forbidden_role_gets_403_before_anything_is_looked_at() {
    crate::each_backend_and_format!(roles_first);
}

async fn shop_references(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let other = Api::login(server, format, "other", "other");
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PS{tag}&name=S")).await;
    api.post("productmodule", &format!("number=MS{tag}&productNumber=PS{tag}&name=M&licensingModel=MultiFeature"))
        .await;
    api.post("licensetemplate", &format!("number=ES{tag}&productModuleNumber=MS{tag}&name=F&licenseType=FEATURE"))
        .await;
    api.post("bundle", &format!("number=BS{tag}&name=B&licenseTemplateNumbers=ES{tag}")).await;
    api.post("licensee", &format!("number=LS{tag}&productNumber=PS{tag}")).await;
    other.post("product", &format!("number=PO{tag}&name=O")).await;
    other.post("bundle", &format!("number=BO{tag}&name=O")).await;

    let shop = |extra: &str| format!("tokenType=SHOP&licenseeNumber=LS{tag}&{extra}");
    let permanent = |extra: &str| format!("tokenType=SHOP&{extra}");
    for form in [
        shop("bundleNumber=NOPE"),
        shop(&format!("bundleNumber=BO{tag}")),
        shop("productNumber=NOPE"),
        permanent(&format!("productNumber=PO{tag}")),
        permanent(&format!("productNumber=PS{tag}&licenseTemplateNumber_1=NOPE")),
        permanent(&format!("productNumber=PS{tag}&licenseTemplateNumber_1=ES{tag}&licenseTemplateNumber_2=NOPE")),
    ] {
        api.post("token", &form).await.assert_error(404, ErrorId::NotFound);
    }
    let before = api.get("token?filter=tokenType%3DSHOP").await.doc.paging().map(|p| p.total_items);
    for form in [
        shop(&format!("bundleNumber=BS{tag}")),
        permanent(&format!("productNumber=PS{tag}&licenseTemplateNumber_1=ES{tag}")),
    ] {
        let created = api.post("token", &form).await;
        assert_eq!(created.status, 200, "{form}: {:?}", created.doc);
    }
    let after = api.get("token?filter=tokenType%3DSHOP").await.doc.paging().map(|p| p.total_items);
    assert_eq!(after, before.map(|n| n + 2), "only the tokens with existing references were stored");
}

#[tokio::test]
async fn shop_tokens_name_only_existing_entities_of_the_vendor() {
    crate::each_backend_and_format!(shop_references);
}

async fn transaction_licensee(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let other = Api::login(server, format, "other", "other");
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PX{tag}&name=X")).await;
    api.post("licensee", &format!("number=LX{tag}&productNumber=PX{tag}")).await;
    other.post("product", &format!("number=PY{tag}&name=Y")).await;
    other.post("licensee", &format!("number=LY{tag}&productNumber=PY{tag}")).await;
    let created = api.post("transaction", &format!("number=TX{tag}&status=PENDING&source=SHOP")).await;
    assert_eq!(created.status, 200, "{:?}", created.doc);
    let path = format!("transaction/TX{tag}");
    api.post(&path, &format!("licenseeNumber=LY{tag}")).await.assert_error(404, ErrorId::NotFound);
    api.post(&path, "licenseeNumber=NOPE").await.assert_error(404, ErrorId::NotFound);
    assert_eq!(api.get(&path).await.property("licenseeNumber"), None, "nothing was stored");
    let updated = api.post(&path, &format!("licenseeNumber=LX{tag}")).await;
    assert_eq!((updated.status, updated.property("licenseeNumber")), (200, Some(format!("LX{tag}").as_str())));
}

#[tokio::test]
async fn transaction_updates_check_the_licensee() {
    crate::each_backend_and_format!(transaction_licensee);
}

async fn vendor_number_ignored(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    let other_vendor = "vendorNumber=VOTHER";
    let product = api.post("product", &format!("number=PN{tag}&name=N&{other_vendor}")).await;
    assert_eq!((product.status, product.property("vendorNumber")), (200, None), "{:?}", product.doc);
    let updated = api.post(&format!("product/PN{tag}"), &format!("name=M&{other_vendor}")).await;
    assert_eq!((updated.property("name"), updated.property("vendorNumber")), (Some("M"), None));
    let module = api
        .post(
            "productmodule",
            &format!("number=MN{tag}&productNumber=PN{tag}&name=M&licensingModel=MultiFeature&{other_vendor}"),
        )
        .await;
    assert_eq!((module.status, module.property("vendorNumber")), (200, None));
    let licensee = api.post("licensee", &format!("number=LN{tag}&productNumber=PN{tag}&{other_vendor}")).await;
    assert_eq!((licensee.status, licensee.property("vendorNumber")), (200, None));
    let transaction = api.post("transaction", &format!("status=PENDING&source=SHOP&{other_vendor}")).await;
    assert_eq!(transaction.property("vendorNumber"), Some("VDEMO"), "a transaction shows the caller's vendor");
    let other = Api::login(server, format, "other", "other");
    other.get(&format!("product/PN{tag}")).await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn vendor_number_from_the_java_client_is_ignored() {
    crate::each_backend_and_format!(vendor_number_ignored);
}
