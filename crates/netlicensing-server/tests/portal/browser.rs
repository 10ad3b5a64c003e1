//! The portal in a real browser (headless Chromium over WebDriver, as the console's browser test): the page
//! renders with the vendor's branding, the keyboard reaches the release button, and releasing a floating
//! session frees it for the API. With `NETLICENSING_SCREENSHOTS=DIR` it saves `portal-desktop.png`,
//! `portal-phone.png` and `portal-expired.png` there (how `docs/portal-*.png` were taken).

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use netlicensing_model::Format;

use super::{page, portal_token, server};
use crate::{
    common::Api,
    console::browser::{at, browser, element, text},
};

/// Saves a full-page screenshot when `NETLICENSING_SCREENSHOTS` names a directory.
async fn screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("NETLICENSING_SCREENSHOTS") else { return };
    let png = client.screenshot().await.unwrap();
    std::fs::write(PathBuf::from(dir).join(format!("portal-{name}.png")), png).unwrap();
}

#[tokio::test]
async fn the_portal_in_chromium() {
    let Some((_driver, client)) = browser().await else { return };
    let server = server().await;
    let api = Api::demo(&server, Format::Json);
    let token = portal_token(&api, "I001-DEMO", "").await;
    let base = server.base.clone();
    let outcome = async {
        client.set_window_size(1280, 4400).await.unwrap();
        client.goto(&format!("{base}{}", page(&token))).await.unwrap();
        assert_eq!(text(&client, "#vendor-name").await, "Demo Software GmbH");
        assert_eq!(text(&client, "#licensee").await, "I001-DEMO");
        let accent = element(&client, Locator::Css("header.site")).await.css_value("border-top-color").await.unwrap();
        assert!(accent.contains("11, 110, 79"), "the vendor's accent from its stylesheet: {accent}");
        assert!(text(&client, "#licenses").await.contains("seat-demo"));
        screenshot(&client, "desktop").await;

        // The keyboard reaches the release button; Enter submits the form.
        let release = element(&client, Locator::Css("button.release")).await;
        release.send_keys("\u{e007}").await.unwrap();
        let notice = text(&client, "#notice").await;
        assert!(notice.contains("released"), "{notice}");
        assert!(!text(&client, "#licenses").await.contains("seat-demo"));

        // Phone width: everything stacks, nothing needs sideways scrolling.
        client.set_window_size(390, 1800).await.unwrap();
        client.goto(&format!("{base}{}", page(&token))).await.unwrap();
        let width: serde_json::Value =
            client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.unwrap();
        let (scroll, inner) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
        assert!(scroll <= inner, "no horizontal scrolling at phone width: {scroll} > {inner}");
        screenshot(&client, "phone").await;

        client.set_window_size(1280, 800).await.unwrap();
        let expired = portal_token(&api, "I001-DEMO", "&expirationTime=2020-01-01T00:00:00Z").await;
        client.goto(&format!("{base}{}", page(&expired))).await.unwrap();
        assert_eq!(text(&client, "#error-title").await, "Link expired");
        screenshot(&client, "expired").await;
        at(&client, &page(&expired)).await;
    }
    .await;
    client.close().await.ok();
    let _: () = outcome;
    let licenses = api.get("license?licenseeNumber=I001-DEMO&productModuleNumber=MFL-DEMO").await;
    assert!(licenses.doc.items().iter().all(|l| l.property("sessionId_seat-demo").is_none()), "released for the API");
    server.stop().await;
}
