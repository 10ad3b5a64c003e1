//! Transactions, payment methods, bundles, notifications and countries over HTTP.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

async fn resources(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=P{tag}&name=P")).await;
    api.post("productmodule", &format!("number=M{tag}&productNumber=P{tag}&name=M&licensingModel=MultiFeature")).await;
    api.post("licensetemplate", &format!("number=E{tag}&productModuleNumber=M{tag}&name=F&licenseType=FEATURE")).await;
    api.post("licensee", &format!("number=I{tag}&productNumber=P{tag}")).await;

    let t = api.post("transaction", &format!("number=T{tag}&status=PENDING&source=SHOP&licenseeNumber=I{tag}")).await;
    assert_eq!((t.status, t.property("source"), t.property("active")), (200, Some("SHOP"), Some("true")));
    assert!(t.property("datecreated").is_some());
    let license = api
        .post("license", &format!("licenseeNumber=I{tag}&licenseTemplateNumber=E{tag}&transactionNumber=T{tag}"))
        .await;
    assert_eq!(license.status, 200);
    let t = api.get(&format!("transaction/T{tag}")).await;
    let join = &t.doc.items()[0].lists[0];
    assert_eq!(
        (join.name.as_str(), join.property("licenseNumber")),
        ("licenseTransactionJoin", license.property("number"))
    );
    assert_eq!(t.property("inUse"), Some("true"));
    api.delete(&format!("transaction/T{tag}")).await.assert_error(405, ErrorId::MethodNotAllowed);

    let methods = api.get("paymentmethod").await;
    assert_eq!(methods.doc.paging().map(|p| p.total_items), Some(4));
    let paypal = api.post("paymentmethod/PAYPAL", "active=true&paypal.subject=me%40example.com").await;
    assert_eq!((paypal.property("active"), paypal.property("paypal.subject")), (Some("true"), Some("me@example.com")));
    api.post("paymentmethod", "number=CASH").await.assert_error(405, ErrorId::MethodNotAllowed);

    let bundle =
        api.post("bundle", &format!("number=B{tag}&name=B&price=10&currency=EUR&licenseTemplateNumbers=E{tag}")).await;
    assert_eq!((bundle.status, bundle.property("price")), (200, Some("10.00")));
    assert_eq!(bundle.property("licenseTemplateNumbers"), Some(format!("E{tag}").as_str()));
    api.post("bundle", "name=B&price=10").await.assert_error(400, ErrorId::IllegalArgument);
    api.post("bundle", "price=10&currency=EUR").await.assert_error(400, ErrorId::Validation);

    let n = api
        .post(
            "notification",
            "name=N&events=LICENSEE_CREATED&protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fhook",
        )
        .await;
    assert_eq!((n.status, n.property("events")), (200, Some("LICENSEE_CREATED")));
    api.post("notification", "name=N&events=LICENSEE_CREATED&protocol=WEBHOOK")
        .await
        .assert_error(400, ErrorId::Validation);

    let countries = api.get("utility/countries").await;
    let paging = countries.doc.paging().unwrap();
    assert_eq!((paging.total_items, paging.items_number, paging.has_next), (249, 100, true));
    let germany = api.get("utility/countries?filter=code%3DDE").await;
    assert_eq!(
        (germany.property("name"), germany.property("vatPercent"), germany.property("isEu")),
        (Some("GERMANY"), Some("19"), Some("true"))
    );
}

#[tokio::test]
async fn transactions_payment_methods_bundles_notifications_countries() {
    crate::each_backend_and_format!(resources);
}
