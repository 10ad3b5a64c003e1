//! The shop in a real browser (headless Chromium over WebDriver, as the console's test): a licensee token's
//! link → pick → review (discount) → pay at the fake Stripe → back → thank-you page, the licenses exist and
//! validate; a bundle token; a permanent token (a new customer); cancel; an expired link. With
//! `NETLICENSING_SCREENSHOTS=DIR` it saves `shop-*.png` there at desktop and phone width. A company vendor's
//! shop: the buyer's country, company and VAT ID, the VAT on the review and thank-you pages.

use std::{path::PathBuf, time::Duration};

use fantoccini::{Client, Locator};

use super::{activate_stripe, licenses_of, shop_server, shop_token, validates};
use crate::{
    common::{Api, Backend},
    console::browser::browser,
};
use netlicensing_model::Format;

async fn screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("NETLICENSING_SCREENSHOTS") else { return };
    for (suffix, width, height) in [("", 1280, 900), ("-phone", 390, 844)] {
        client.set_window_size(width, height).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(PathBuf::from(&dir).join(format!("shop-{name}{suffix}.png")), png).unwrap();
    }
    client.set_window_size(1280, 900).await.unwrap();
}

async fn element(client: &Client, id: &str) -> fantoccini::elements::Element {
    client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Id(id)).await.unwrap()
}

#[tokio::test]
async fn a_customer_buys_and_pays_in_a_real_browser() {
    let Some((_driver, client)) = browser().await else { return };
    let (server, fake) = shop_server(Backend::Sqlite).await;
    activate_stripe(&server).await;
    let (_, path) = shop_token(
        &server,
        "licenseeNumber=SC1&successURL=https%3A%2F%2Fvendor.example%2Fthanks&successURLTitle=Back+to+the+app",
    )
    .await;
    client.goto(&format!("{}{path}", server.base)).await.unwrap();
    assert!(element(&client, "shop-title").await.text().await.unwrap().contains("Shop Product"));
    screenshot(&client, "offer").await;
    let quantity = element(&client, "q-ST1").await;
    quantity.clear().await.unwrap();
    quantity.send_keys("3").await.unwrap();
    element(&client, "review").await.click().await.unwrap();
    assert_eq!(element(&client, "discount").await.text().await.unwrap(), "−6.00 EUR");
    assert_eq!(element(&client, "total").await.text().await.unwrap(), "54.00 EUR");
    screenshot(&client, "review").await;
    element(&client, "pay").await.click().await.unwrap();
    // At the (fake) Stripe's payment page.
    element(&client, "stripe-pay").await.click().await.unwrap();
    let thanks = element(&client, "thanks").await;
    assert!(thanks.text().await.unwrap().contains("Thank you"));
    assert_eq!(element(&client, "licenses").await.find_all(Locator::Css("li")).await.unwrap().len(), 3);
    let back = element(&client, "success").await;
    assert_eq!(back.text().await.unwrap(), "Back to the app");
    screenshot(&client, "done").await;
    assert_eq!(fake.sessions().len(), 1);
    assert_eq!(licenses_of(&server, "SC1").await.len(), 3);
    assert!(validates(&server, "SC1").await);

    // A bundle token: the set at the token's price, paid the same way.
    let (_, bundle) = shop_token(&server, "licenseeNumber=SC1&bundleNumber=SB&bundlePrice=120").await;
    client.goto(&format!("{}{bundle}", server.base)).await.unwrap();
    assert_eq!(element(&client, "total").await.text().await.unwrap(), "120.00 EUR");
    element(&client, "review").await.click().await.unwrap();
    element(&client, "pay").await.click().await.unwrap();
    element(&client, "stripe-pay").await.click().await.unwrap();
    element(&client, "thanks").await;
    assert_eq!(licenses_of(&server, "SC1").await.len(), 5, "3 + the bundle's 2");

    // A permanent token: a new customer, whose number the thank-you page shows, and whose licenses validate.
    let (_, permanent) =
        shop_token(&server, "productNumber=SP&predefinedShoppingItem=Starter&licenseTemplateNumber_1=ST2").await;
    client.goto(&format!("{}{permanent}", server.base)).await.unwrap();
    assert!(element(&client, "shop-title").await.text().await.unwrap().contains("Starter"));
    element(&client, "review").await.click().await.unwrap();
    element(&client, "pay").await.click().await.unwrap();
    element(&client, "stripe-pay").await.click().await.unwrap();
    let customer = element(&client, "customer-number").await.text().await.unwrap();
    assert_ne!(customer, "SC1");
    assert!(validates(&server, &customer).await, "the new customer's license validates");

    // Cancel: the order is cancelled and the page leads back to the vendor.
    let (_, cancel) = shop_token(
        &server,
        "licenseeNumber=SC1&cancelURL=https%3A%2F%2Fvendor.example%2Fcancel&cancelURLTitle=Back+to+the+store",
    )
    .await;
    client.goto(&format!("{}{cancel}", server.base)).await.unwrap();
    element(&client, "cancel").await.click().await.unwrap();
    element(&client, "cancelled").await;
    let back = element(&client, "back-to-vendor").await;
    assert_eq!(back.text().await.unwrap(), "Back to the store");
    assert_eq!(back.attr("href").await.unwrap().as_deref(), Some("https://vendor.example/cancel"));
    screenshot(&client, "cancelled").await;

    // An expired link shows a clear page.
    let (_, expired) = shop_token(&server, "licenseeNumber=SC1&expirationTime=2020-01-01T00:00:00Z").await;
    client.goto(&format!("{}{expired}", server.base)).await.unwrap();
    let body = client.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.to_lowercase().contains("expired"), "{body}");
    screenshot(&client, "expired").await;
    client.close().await.ok();
    server.stop().await;
}

/// Clicks an element after scrolling it to the middle of the window (the company vendor's offer is taller than
/// the window, and a click at its bottom edge is intercepted).
async fn click(client: &Client, id: &str) {
    let target = element(client, id).await;
    let argument = serde_json::to_value(&target).unwrap();
    client
        .execute("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", vec![argument])
        .await
        .unwrap();
    target.click().await.unwrap();
}

#[tokio::test]
async fn a_company_vendors_buyer_sees_the_vat_in_a_real_browser() {
    let Some((_driver, client)) = browser().await else { return };
    let (server, fake) = shop_server(Backend::Sqlite).await;
    activate_stripe(&server).await;
    let api = Api::demo(&server, Format::Xml);
    assert_eq!(api.post("branding", "vendorType=COMPANY&countryCode=DE&vatId=DE123456789").await.status, 200);
    assert_eq!(api.post("product/SP", "vatMode=NET").await.status, 200);
    let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
    client.goto(&format!("{}{path}", server.base)).await.unwrap();
    assert!(element(&client, "vat-note").await.text().await.unwrap().contains("Prices exclude VAT"));
    // Phone width: the offer (items, quantities, the buyer's fields) needs no sideways scrolling.
    client.set_window_size(390, 844).await.unwrap();
    // The page's own width, without the vertical scrollbar (`innerWidth` counts it).
    let script = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];";
    let width: serde_json::Value = client.execute(script, vec![]).await.unwrap();
    let (scroll, visible) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
    assert!(scroll <= visible, "no horizontal scrolling at phone width: {scroll} > {visible}");
    client.set_window_size(1280, 900).await.unwrap();
    let quantity = element(&client, "q-ST1").await;
    quantity.clear().await.unwrap();
    quantity.send_keys("3").await.unwrap();
    // An Italian business with a VAT ID: reverse charge, no VAT added.
    element(&client, "buyer-country").await.select_by_value("IT").await.unwrap();
    element(&client, "buyer-company").await.send_keys("Rossi Srl").await.unwrap();
    element(&client, "buyer-vat-id").await.send_keys("IT12345678901").await.unwrap();
    screenshot(&client, "vat-offer").await;
    click(&client, "review").await;
    let reverse = element(&client, "reverse-charge").await.text().await.unwrap();
    assert!(reverse.to_lowercase().contains("reverse charge"), "{reverse}");
    assert_eq!(element(&client, "total").await.text().await.unwrap(), "54.00 EUR");
    screenshot(&client, "vat-reverse-charge").await;

    // Back to the offer as a French consumer: 20 % on top.
    client.goto(&format!("{}{path}", server.base)).await.unwrap();
    let quantity = element(&client, "q-ST1").await;
    quantity.clear().await.unwrap();
    quantity.send_keys("3").await.unwrap();
    element(&client, "buyer-country").await.select_by_value("FR").await.unwrap();
    click(&client, "review").await;
    let vat = element(&client, "vat").await.text().await.unwrap();
    assert!(vat.contains("20 % VAT (France)") && vat.contains("10.80 EUR"), "{vat}");
    assert_eq!(element(&client, "total").await.text().await.unwrap(), "64.80 EUR");
    screenshot(&client, "vat-review").await;
    click(&client, "pay").await;
    click(&client, "stripe-pay").await;
    element(&client, "thanks").await;
    let lines = element(&client, "vat").await.text().await.unwrap();
    assert!(lines.contains("Including 20 % VAT (France): 10.80 EUR"), "{lines}");
    assert!(lines.contains("DE123456789"), "the seller's VAT ID: {lines}");
    screenshot(&client, "vat-done").await;
    assert_eq!(fake.sessions()[0].amount, 6480, "Stripe was asked for the total with VAT");
    assert_eq!(licenses_of(&server, "SC1").await.len(), 3);
    client.close().await.ok();
    server.stop().await;
}
