//! The branding API (`GET`/`POST branding`, this server's extension) in both formats and on every backend:
//! round trip, validation errors that change nothing, roles, vendor isolation; and the public assets made from
//! it (`/assets/logo/{vendor}`, `/assets/brand/{vendor}.css`).

use netlicensing_model::{Format, codec::Form, info::ErrorId};

use crate::{
    common::{Api, TestServer},
    each_backend_and_format,
};

/// A 1×1 GIF.
const GIF: &str = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
/// An SVG that tries to run a script.
const SVG: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4=";

fn form(pairs: &[(&str, &str)]) -> String {
    let mut form = Form::new();
    for (k, v) in pairs {
        form.push(*k, *v);
    }
    form.encode()
}

async fn round_trip(server: &TestServer, format: Format) {
    let a = Api::demo(server, format);
    let b = Api::login(server, format, "other", "other");
    let empty = a.post("branding", &form(&crate::branding::CLEAR)).await;
    assert_eq!(empty.status, 200, "{:?}", empty.doc);
    assert_eq!(empty.property("vendorNumber"), Some("VDEMO"));
    assert_eq!(empty.property("name"), None);

    let all = [
        ("name", "Demo Software GmbH"),
        ("logo", GIF),
        ("accentColor", "#aa3300"),
        ("email", "sales@demo.example"),
        ("website", "https://demo.example"),
        ("address", "Road 1\r\n12345 Town"),
        ("termsUrl", "https://demo.example/terms"),
        ("privacyUrl", "https://demo.example/privacy"),
        ("imprintUrl", "https://demo.example/imprint"),
    ];
    let set = a.post("branding", &form(&all)).await;
    assert_eq!(set.status, 200, "{:?}", set.doc);
    let read = a.get("branding").await;
    assert_eq!(read.status, 200);
    assert_eq!(read.doc.items()[0].ty, "Branding");
    for (name, value) in all {
        let expected = if name == "address" { "Road 1\n12345 Town" } else { value };
        assert_eq!(read.property(name), Some(expected), "{format:?}: {name}");
        assert_eq!(set.property(name), Some(expected), "{format:?}: {name} as answered");
    }

    // Bad values are refused with the field named, and change nothing.
    for (name, bad) in [
        ("accentColor", "orange"),
        ("termsUrl", "javascript:alert(1)"),
        ("website", "ftp://demo.example"),
        ("email", "not-an-address"),
        ("logo", "https://demo.example/logo.png"),
        ("logo", "data:text/html;base64,PGgxPg=="),
        ("name", &"x".repeat(101)),
        ("colour", "#000000"),
    ] {
        let refused = a.post("branding", &form(&[("name", "Changed"), (name, bad)])).await;
        refused.assert_error(400, ErrorId::MalformedRequest);
        let message = &refused.doc.errors().next().unwrap().value;
        assert!(message.contains(name), "{format:?}: {name}: {message}");
    }
    let big = format!("data:image/png;base64,{}", "A".repeat(140 * 1024));
    a.post("branding", &form(&[("logo", &big)])).await.assert_error(400, ErrorId::MalformedRequest);
    assert_eq!(a.get("branding").await.property("name"), Some("Demo Software GmbH"), "nothing changed");

    // An empty value clears one field; the others stay.
    let cleared = a.post("branding", "website=").await;
    assert_eq!((cleared.property("website"), cleared.property("email")), (None, Some("sales@demo.example")));

    // Vendor B sees and changes only its own branding.
    let theirs = b.get("branding").await;
    assert_eq!((theirs.status, theirs.property("vendorNumber"), theirs.property("name")), (200, Some("VOTHER"), None));
    b.post("branding", "name=Other").await;
    assert_eq!(a.get("branding").await.property("name"), Some("Demo Software GmbH"));
    b.post("branding", &form(&crate::branding::CLEAR)).await;

    // Without credentials, 401.
    assert_eq!(Api::anonymous(server, format).get("branding").await.status, 401);
}

/// Every field, empty.
pub const CLEAR: [(&str, &str); 9] = [
    ("name", ""),
    ("logo", ""),
    ("accentColor", ""),
    ("email", ""),
    ("website", ""),
    ("address", ""),
    ("termsUrl", ""),
    ("privacyUrl", ""),
    ("imprintUrl", ""),
];

#[tokio::test]
async fn branding_round_trips_in_both_formats_on_every_backend() {
    each_backend_and_format!(round_trip);
}

#[tokio::test]
async fn only_the_login_and_admin_keys_touch_the_branding() {
    let server = TestServer::start(crate::common::Backend::Sqlite).await;
    let api = Api::demo(&server, Format::Json);
    let key = |role: &str| {
        let api = &api;
        let role = role.to_owned();
        async move {
            let token = api.post("token", &format!("tokenType=APIKEY&apiKeyRole={role}")).await;
            token.property("number").unwrap().to_owned()
        }
    };
    let http = reqwest::Client::new();
    for (role, allowed) in
        [("ROLE_APIKEY_ADMIN", true), ("ROLE_APIKEY_MAINTENANCE", false), ("ROLE_APIKEY_LICENSEE", false)]
    {
        let key = key(role).await;
        let get = http.get(server.url("branding")).basic_auth("apiKey", Some(&key)).send().await.unwrap();
        let post = http
            .post(server.url("branding"))
            .basic_auth("apiKey", Some(&key))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("name=ByKey")
            .send()
            .await
            .unwrap();
        let expected = if allowed { 200 } else { 403 };
        assert_eq!((get.status().as_u16(), post.status().as_u16()), (expected, expected), "{role}");
    }
    server.stop().await;
}

#[tokio::test]
async fn logos_and_accent_stylesheets_are_served_safely() {
    let server = TestServer::start(crate::common::Backend::Sqlite).await;
    let api = Api::demo(&server, Format::Json);
    let http = reqwest::Client::new();
    let base = server.base.clone();
    let missing = http.get(format!("{base}/assets/logo/VDEMO")).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 404, "no logo yet");
    let unknown = http.get(format!("{base}/assets/brand/VNOBODY.css")).send().await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);

    api.post("branding", &form(&[("logo", GIF), ("accentColor", "#ffdd00")])).await;
    let logo = http.get(format!("{base}/assets/logo/VDEMO")).send().await.unwrap();
    assert_eq!(logo.status().as_u16(), 200);
    assert_eq!(logo.headers()["content-type"], "image/gif");
    let policy = logo.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(policy, "default-src 'none'; style-src 'unsafe-inline'");
    assert_eq!(logo.headers()["x-content-type-options"], "nosniff");
    assert_eq!(&logo.bytes().await.unwrap()[..6], b"GIF89a");

    let css = http.get(format!("{base}/assets/brand/VDEMO.css")).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let css = css.text().await.unwrap();
    assert!(css.contains("--accent: #ffdd00") && css.contains("--accent-ink: #000000"), "{css}");

    api.post("branding", &form(&[("logo", SVG)])).await;
    let svg = http.get(format!("{base}/assets/logo/VDEMO")).send().await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let policy = svg.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.ends_with("; sandbox"), "{policy}");
    api.post("branding", &form(&CLEAR)).await;
    server.stop().await;
}
