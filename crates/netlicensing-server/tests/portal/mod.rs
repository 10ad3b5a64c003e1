//! The customer portal over HTTP: what it shows against what validate says, releasing a floating session,
//! renewal into the shop, the layout flags, token refusals (404/410 pages, never a 500), CSRF refusals, and
//! vendor isolation. (`browser.rs` drives the page in a real Chromium.)

mod browser;

use std::sync::Arc;

use netlicensing_core::{Caller, Core, repo::Store};
use netlicensing_model::{Format, entity::ValidationResult};

use crate::{
    common::{Api, Backend, TestServer},
    console::{Web, csrf_of},
};

/// A server whose two vendors (`demo` → VDEMO, `other` → VOTHER) both have the demo catalogue (the same
/// numbers), a floating session each, and their own branding.
pub async fn server() -> TestServer {
    let server = TestServer::start(Backend::Sqlite).await;
    let store = Arc::new(server.db.store());
    let core = Core::new(store.clone());
    for (login, password, name, session) in
        [("demo", "demo", "Demo Software GmbH", "seat-demo"), ("other", "other", "Other Vendor Ltd", "seat-other")]
    {
        let vendor = store.vendor_by_login(login).await.unwrap().unwrap();
        core.create_demo_catalogue(&Caller::vendor(vendor.id, vendor.number)).await.unwrap();
        let api = Api::login(&server, Format::Json, login, password);
        let branding = format!(
            "name={}&accentColor=%230b6e4f&email=help%40{login}.example&address=Road+1%0A12345+Town\
             &termsUrl=https%3A%2F%2F{login}.example%2Fterms&imprintUrl=https%3A%2F%2F{login}.example%2Fimprint",
            name.replace(' ', "+")
        );
        assert_eq!(api.post("branding", &branding).await.status, 200);
        let checkout = format!("productModuleNumber0=MFL-DEMO&sessionId0={session}&action0=checkOut");
        assert_eq!(api.post("licensee/I001-DEMO/validate", &checkout).await.status, 200);
    }
    server
}

/// A portal token of the API's vendor for a licensee (`extra`: more form fields).
pub async fn portal_token(api: &Api<'_>, licensee: &str, extra: &str) -> String {
    let answer =
        api.post("token", &format!("tokenType=ACTION&action=licenseeLogin&licenseeNumber={licensee}{extra}")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    answer.property("number").unwrap().to_owned()
}

/// The portal page's path.
pub fn page(token: &str) -> String {
    format!("/portal/do/{token}/licenseeLogin")
}

/// The text of the element with that id (up to its first tag).
fn by_id<'a>(body: &'a str, id: &str) -> Option<&'a str> {
    let marker = format!("id=\"{id}\"");
    let at = body.find(&marker)? + marker.len();
    let rest = &body[at..];
    let start = rest.find('>')? + 1;
    let text = &rest[start..];
    Some(text[..text.find('<')?].trim())
}

#[tokio::test]
async fn the_portal_shows_what_validate_says_with_the_vendors_branding() {
    let server = server().await;
    let api = Api::demo(&server, Format::Json);
    let token = portal_token(&api, "I001-DEMO", "").await;
    let web = Web::new(&server);
    let shown = web.get(&page(&token)).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let csp = shown.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(shown.headers["cache-control"], "no-store");
    assert_eq!(shown.headers["x-frame-options"], "DENY");
    assert_eq!(shown.headers["referrer-policy"], "same-origin", "the token in the path never leaves in a Referer");
    let cookie = shown.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let body = &shown.body;
    assert!(body.contains("Demo Software GmbH") && !body.contains("Other Vendor"), "the vendor's own branding");
    assert!(body.contains("href=\"mailto:help@demo.example\"") && body.contains("id=\"imprint\""));
    assert!(body.contains("/assets/brand/VDEMO.css?v="));
    assert!(body.contains("seat-demo") && !body.contains("seat-other"), "only this vendor's sessions");

    let answer = api.post("licensee/I001-DEMO/validate", "dryRun=true").await;
    let result = ValidationResult::from_document(answer.doc).unwrap();
    assert!(result.modules.len() >= 9);
    for (index, module) in result.modules.iter().enumerate() {
        let id = format!("module-{}", index + 1);
        let marker = format!("data-module=\"{}\"", module.product_module_number);
        assert!(body.contains(&format!("id=\"{id}\" {marker}")), "{id} is {}", module.product_module_number);
        let valid = match module.valid {
            Some(true) => "Valid",
            Some(false) => "Not valid",
            None if !module.lists.is_empty() => "See features",
            None => "—",
        };
        assert_eq!(by_id(body, &format!("{id}-valid")), Some(valid), "{}", module.product_module_number);
        let level = match module.warning_level.map(|l| l.lower()) {
            Some("green") => "All fine",
            Some("yellow") => "Attention soon",
            Some("red") => "Action needed",
            _ => "No level",
        };
        let shown_level = body.split(&format!("id=\"{id}-level\">")).nth(1).unwrap();
        assert!(shown_level.contains(&format!("</span>{level}</span>")), "{}: {level}", module.product_module_number);
    }

    // The layout flags: no header, no footer, no shop button.
    let bare = web.get(&format!("{}?header=false&footer=false&shop=false", page(&token))).await;
    assert_eq!(bare.status, 200);
    for gone in ["id=\"vendor-name\"", "id=\"vendor-card\"", "id=\"renew\""] {
        assert!(!bare.body.contains(gone), "{gone}");
    }
    let kept = "/release?header=false&#38;footer=false&#38;shop=false";
    assert!(bare.body.contains(kept), "forms keep the flags: {}", bare.body);
    server.stop().await;
}

#[tokio::test]
async fn a_floating_session_is_released_and_renewal_goes_to_the_shop() {
    let server = server().await;
    let api = Api::demo(&server, Format::Json);
    let token = portal_token(&api, "I001-DEMO", "").await;
    let mut web = Web::new(&server);
    let shown = web.get(&page(&token)).await;
    web.csrf = csrf_of(&shown.body).expect("a form with a token");
    let release = format!("/portal/do/{token}/release?shop=false");
    let posted = web.post(&release, &[("module", "MFL-DEMO"), ("session", "seat-demo")]).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.location.unwrap();
    assert_eq!(location, format!("{}?shop=false&notice=released", page(&token)));
    let after = web.get(&location).await;
    assert_eq!(by_id(&after.body, "notice"), Some("The session was released; the seat is free again."));
    assert!(!after.body.contains("seat-demo"));
    let licenses = api.get("license?licenseeNumber=I001-DEMO&productModuleNumber=MFL-DEMO").await;
    assert!(licenses.doc.items().iter().all(|l| l.property("sessionId_seat-demo").is_none()), "checked in for the API");
    // Another vendor's session (the same module number, the same session id space) is out of reach.
    let theirs = web.post(&release, &[("module", "MFL-DEMO"), ("session", "seat-other")]).await;
    assert!(theirs.location.unwrap().ends_with("notice=ended"));
    let other = Api::login(&server, Format::Json, "other", "other");
    let kept = other.get("license?licenseeNumber=I001-DEMO&productModuleNumber=MFL-DEMO").await;
    assert!(kept.doc.items().iter().any(|l| l.property("sessionId_seat-other").is_some()), "vendor B's session stays");

    // Renewal: a SHOP token for this licensee, and on to its shop URL.
    let renew = web.post(&format!("/portal/do/{token}/renew"), &[]).await;
    assert_eq!(renew.status, 303, "{}", renew.body);
    let shop_url = renew.location.unwrap();
    let shop_tokens = api.get("token?filter=tokenType%3DSHOP").await;
    let made = shop_tokens.doc.items().iter().find(|t| t.property("shopURL") == Some(shop_url.as_str())).unwrap();
    assert_eq!(made.property("licenseeNumber"), Some("I001-DEMO"));
    server.stop().await;
}

#[tokio::test]
async fn unknown_wrong_and_expired_tokens_get_clear_pages() {
    let server = server().await;
    let api = Api::demo(&server, Format::Json);
    let web = Web::new(&server);
    let shop =
        api.post("token", "tokenType=SHOP&licenseeNumber=I001-DEMO").await.property("number").unwrap().to_owned();
    let key = api.post("token", "tokenType=APIKEY").await.property("number").unwrap().to_owned();
    let expired = portal_token(&api, "I001-DEMO", "&expirationTime=2020-01-01T00:00:00Z").await;
    let deleted = portal_token(&api, "I001-DEMO", "").await;
    assert_eq!(web.get(&page(&deleted)).await.status, 200);
    assert_eq!(api.delete(&format!("token/{deleted}")).await.status, 204);
    for (path, status, title) in [
        (page("00000000-0000-4000-8000-000000000000"), 404, "Link not valid"),
        (page("not%20a%20token"), 404, "Link not valid"),
        (page(&shop), 404, "Link not valid"),
        (page(&key), 404, "Link not valid"),
        (page(&deleted), 404, "Link not valid"),
        (page(&expired), 410, "Link expired"),
        (format!("/portal/do/{shop}/somethingElse"), 404, "Not Found"),
        ("/portal".to_owned(), 404, "Not Found"),
        ("/portal/do/x/y/z".to_owned(), 404, "Not Found"),
    ] {
        let answer = web.get(&path).await;
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(by_id(&answer.body, "error-title"), Some(title), "{path}");
        assert!(answer.headers["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
        assert!(answer.headers.contains_key("content-security-policy"), "{path}");
    }
    // A post with an expired token is refused the same way (the token is checked on every post).
    let mut web = Web::new(&server);
    web.csrf = csrf_of(&web.get(&page(&portal_token(&api, "I001-DEMO", "").await)).await.body).unwrap();
    let refused = web.post(&format!("/portal/do/{expired}/renew"), &[]).await;
    assert_eq!(refused.status, 410);
    server.stop().await;
}

#[tokio::test]
async fn posts_without_the_cookies_token_are_refused_and_change_nothing() {
    let server = server().await;
    let api = Api::demo(&server, Format::Json);
    let token = portal_token(&api, "I001-DEMO", "").await;
    let release = format!("/portal/do/{token}/release");
    let fields = [("module", "MFL-DEMO"), ("session", "seat-demo")];
    // No cookie at all (a cross-site form), a wrong token, and a stranger's own cookie and token.
    let stranger = Web::new(&server);
    let no_field = stranger.post_raw(&release, &fields).await;
    assert_eq!(no_field.status, 403, "{}", no_field.body);
    assert!(by_id(&no_field.body, "error-message").unwrap().contains("stale"));
    let mut web = Web::new(&server);
    web.csrf = csrf_of(&web.get(&page(&token)).await.body).unwrap();
    let wrong = web.post_raw(&release, &[fields[0], fields[1], ("csrf", &"0".repeat(64))]).await;
    assert_eq!(wrong.status, 403);
    let mut other = Web::new(&server);
    other.csrf = "f".repeat(64);
    assert_eq!(other.post(&release, &fields).await.status, 403, "a token without its cookie");
    let renew = stranger.post_raw(&format!("/portal/do/{token}/renew"), &[]).await;
    assert_eq!(renew.status, 403);
    let licenses = api.get("license?licenseeNumber=I001-DEMO&productModuleNumber=MFL-DEMO").await;
    assert!(licenses.doc.items().iter().any(|l| l.property("sessionId_seat-demo").is_some()), "nothing released");
    assert_eq!(api.get("token?filter=tokenType%3DSHOP").await.doc.items().len(), 0, "no shop token made");
    server.stop().await;
}
