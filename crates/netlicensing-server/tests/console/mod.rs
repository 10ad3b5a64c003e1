//! The web console over HTTP: sign-in, sessions, CSRF, forms, and vendor isolation through every page and form.
//! (`browser.rs` drives the same pages in a real Chromium.)

mod branding;
pub mod browser;
mod bundles;
mod customers;
mod dashboard;
mod isolation;
mod licenses;
mod notifications;
mod payment_methods;
mod sessions;
mod settings;
mod tokens;
mod transactions;

use std::sync::Mutex;

use crate::common::TestServer;

/// A browser-like HTTP client of the console: keeps its cookies, follows no redirects, and sends the page's
/// CSRF token with every form.
pub struct Web {
    pub base: String,
    http: reqwest::Client,
    cookies: Mutex<Vec<(String, String)>>,
    pub csrf: String,
}

/// An answer: status, `Location` and body.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

/// The CSRF token of a page's first form.
pub fn csrf_of(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[at..].chars().take_while(char::is_ascii_hexdigit).collect())
}

/// The value a page shows once (`<input id="secret" ... value="...">`).
pub fn secret_of(body: &str) -> Option<String> {
    let at = body.find("id=\"secret\" readonly value=\"")? + "id=\"secret\" readonly value=\"".len();
    Some(body[at..].chars().take_while(|c| *c != '"').collect::<String>().replace("&#x2f;", "/").replace("&#47;", "/"))
}

impl Web {
    /// A client without a session.
    pub fn new(server: &TestServer) -> Web {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Web { base: server.base.clone(), http, cookies: Mutex::new(Vec::new()), csrf: String::new() }
    }

    /// A client signed in as the vendor.
    pub async fn signed_in(server: &TestServer, login: &str, password: &str) -> Web {
        let mut web = Web::new(server);
        let answer = web.sign_in(login, password).await;
        assert_eq!(answer.status, 303, "{}", answer.body);
        assert_eq!(answer.location.as_deref(), Some("/console"));
        web.refresh_csrf().await;
        web
    }

    /// Reads the session's CSRF token from the dashboard.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/console").await;
        assert_eq!(page.status, 200, "{}", page.body);
        self.csrf = csrf_of(&page.body).expect("a form with a token");
    }

    /// Opens the sign-in form and posts the credentials with its token.
    pub async fn sign_in(&self, login: &str, password: &str) -> Page {
        let form = self.get("/console/sign-in").await;
        let token = csrf_of(&form.body).expect("sign-in token");
        self.post_raw("/console/sign-in", &[("csrf", &token), ("login", login), ("password", password)]).await
    }

    fn cookie_header(&self) -> String {
        let cookies = self.cookies.lock().unwrap();
        cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// The session cookie's value.
    pub fn session(&self) -> Option<String> {
        self.cookies.lock().unwrap().iter().find(|(k, _)| k == "nlc_session").map(|(_, v)| v.clone())
    }

    /// Uses another session cookie.
    pub fn set_session(&self, value: &str) {
        let mut cookies = self.cookies.lock().unwrap();
        cookies.retain(|(k, _)| k != "nlc_session");
        cookies.push(("nlc_session".into(), value.into()));
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let response = request.header("Cookie", self.cookie_header()).send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let mut cookies = self.cookies.lock().unwrap();
            cookies.retain(|(k, _)| k != name);
            if !value.is_empty() {
                cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_owned());
        Page { status, location, body: response.text().await.unwrap(), headers }
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    /// POST a form with the session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        self.post_raw(path, &fields).await
    }

    /// POST a form as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = netlicensing_model::codec::Form::new();
        for (k, v) in fields {
            form.push(*k, *v);
        }
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.encode());
        self.send(request).await
    }
}
