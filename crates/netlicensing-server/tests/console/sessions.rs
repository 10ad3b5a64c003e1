//! Sign-in, sign-out, sessions and their timeouts, CSRF, form errors beside their field, password change,
//! and the web pages' headers (a content security policy, never CORS).

use std::time::Duration;

use netlicensing_model::Format;
use netlicensing_server::Serving;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn sign_in_csrf_forms_and_sign_out() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let anonymous = Web::new(&server);
        let root = anonymous.get("/").await;
        assert_eq!((root.status, root.location.as_deref()), (303, Some("/console")));
        let console = anonymous.get("/console").await;
        assert_eq!((console.status, console.location.as_deref()), (303, Some("/console/sign-in")));
        let form = anonymous.post_raw("/console/products/new", &[("name", "X")]).await;
        assert_eq!(form.status, 303, "a post without a session goes to the sign-in page");

        let wrong = anonymous.sign_in("demo", "wrong").await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("Unknown login or wrong password"), "{}", wrong.body);
        let api_key_login = anonymous.sign_in("apiKey", "anything").await;
        assert_eq!(api_key_login.status, 401);
        let forged = Web::new(&server)
            .post_raw("/console/sign-in", &[("csrf", "0"), ("login", "demo"), ("password", "demo")])
            .await;
        assert_eq!(forged.status, 403, "a sign-in without the form's token is refused");

        let web = Web::signed_in(&server, "demo", "demo").await;
        let other = Web::signed_in(&server, "other", "other").await;
        let dashboard = web.get("/console").await;
        assert!(dashboard.body.contains("VDEMO"));
        let csp = dashboard.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "{csp}");
        assert_eq!(dashboard.headers.get("cache-control").unwrap(), "no-store");
        let css = web.get("/assets/console.css").await;
        assert_eq!(css.status, 200);
        assert!(css.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/css"));

        // CORS never applies to the pages, whatever the origin says.
        let http = reqwest::Client::new();
        let preflight = http
            .request(reqwest::Method::OPTIONS, format!("{}/console/products/new", server.base))
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .unwrap();
        assert!(preflight.headers().get("access-control-allow-origin").is_none());
        let api = Api::demo(&server, Format::Json);

        // CSRF: no token, another session's token, a made-up token: refused, nothing created.
        for token in [None, Some(other.csrf.as_str()), Some("00")] {
            let mut fields = vec![("name", "Forged"), ("number", "PFORGED")];
            fields.extend(token.map(|t| ("csrf", t)));
            let refused = web.post_raw("/console/products/new", &fields).await;
            assert_eq!(refused.status, 403, "{}", refused.body);
            assert!(refused.body.contains("stale"));
            assert_eq!(api.get("product/PFORGED").await.status, 404);
        }

        // Core's error beside its field, the values kept.
        let blank = web.post("/console/products/new", &[("number", "PWEB"), ("name", "")]).await;
        assert_eq!(blank.status, 400, "{}", blank.body);
        assert!(blank.body.contains("id=\"f-name-error\""), "{}", blank.body);
        assert!(blank.body.contains("Product name is required"));
        assert!(blank.body.contains("value=\"PWEB\""));
        let created =
            web.post("/console/products/new", &[("number", "PWEB"), ("name", "Web tool"), ("active", "true")]).await;
        assert_eq!((created.status, created.location.as_deref()), (303, Some("/console/products/PWEB")));
        assert_eq!(api.get("product/PWEB").await.property("name"), Some("Web tool"));
        let taken = web.post("/console/products/new", &[("number", "PWEB"), ("name", "Again")]).await;
        assert_eq!(taken.status, 400);
        assert!(taken.body.contains("id=\"f-number-error\""), "{}", taken.body);

        // Sign-out ends the session on the server: the old cookie is worthless.
        let session = web.session().unwrap();
        let out = web.post("/console/sign-out", &[]).await;
        assert_eq!((out.status, out.location.as_deref()), (303, Some("/console/sign-in")));
        let replay = Web::new(&server);
        replay.set_session(&session);
        assert_eq!(replay.get("/console").await.status, 303);
        server.stop().await;
    }
}

#[tokio::test]
async fn password_change_ends_every_session() {
    let server = TestServer::start(Backend::Sqlite).await;
    let web = Web::signed_in(&server, "other", "other").await;
    let second = Web::signed_in(&server, "other", "other").await;
    let wrong = web
        .post("/console/account/password", &[("current", "nope"), ("new", "new secret 1"), ("confirm", "new secret 1")])
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("id=\"f-current-error\""), "{}", wrong.body);
    let short =
        web.post("/console/account/password", &[("current", "other"), ("new", "short"), ("confirm", "short")]).await;
    assert!(short.body.contains("id=\"f-new-error\""), "{}", short.body);
    let differ = web
        .post(
            "/console/account/password",
            &[("current", "other"), ("new", "new secret 1"), ("confirm", "new secret 2")],
        )
        .await;
    assert!(differ.body.contains("id=\"f-confirm-error\""), "{}", differ.body);
    let changed = web
        .post(
            "/console/account/password",
            &[("current", "other"), ("new", "new secret 1"), ("confirm", "new secret 1")],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(changed.body.contains("Your password was changed"));
    assert_eq!(web.get("/console").await.status, 200, "this browser gets a new session");
    assert_eq!(second.get("/console").await.status, 303, "other sessions end");
    assert_eq!(Api::login(&server, Format::Json, "other", "other").get("product").await.status, 401);
    assert_eq!(Api::login(&server, Format::Json, "other", "new secret 1").get("product").await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn idle_sessions_end() {
    let mut serving = Serving { workers: 2, ..Serving::default() };
    serving.console.idle = Duration::from_secs(1);
    let server = TestServer::start_with(Backend::Sqlite, serving).await;
    let web = Web::signed_in(&server, "demo", "demo").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let expired = web.get("/console/products").await;
    assert_eq!((expired.status, expired.location.as_deref()), (303, Some("/console/sign-in")));
    server.stop().await;
}
