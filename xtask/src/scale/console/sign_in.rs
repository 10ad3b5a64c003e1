//! Signing in to the console over HTTP as a browser does: open the sign-in form, take its `csrf` field and the
//! cookie that pairs with it, post the credentials with both, and keep the session cookie of the answer.

use std::time::Duration;

use super::super::http;

/// The console's session cookie.
pub const SESSION_COOKIE: &str = "nlc_session";
/// The cookie the sign-in form's token is paired with.
const SIGN_IN_COOKIE: &str = "nlc_signin";
/// Timeout of each request (the sign-in verifies the password with Argon2id).
const TIMEOUT: Duration = Duration::from_secs(60);

/// The value of a form's `csrf` field (the first one on the page).
pub fn csrf_field(body: &str) -> Option<&str> {
    let marker = "name=\"csrf\" value=\"";
    let at = body.find(marker)? + marker.len();
    body[at..].split('"').next().filter(|v| !v.is_empty())
}

/// The value `Set-Cookie` headers give a cookie: `None` when none sets it, or the last one removes it.
pub fn cookie<'a>(set_cookies: &[&'a str], name: &str) -> Option<&'a str> {
    set_cookies
        .iter()
        .filter_map(|header| header.split(';').next()?.trim().split_once('='))
        .filter(|(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim())
        .next_back()
        .filter(|value| !value.is_empty())
}

/// `application/x-www-form-urlencoded` of one value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs in; returns the `Cookie` header value that carries the session.
pub fn sign_in(addr: &str, login: &str, password: &str) -> Result<String, String> {
    let form = http::send(addr, "GET", "/console/sign-in", &[], None, TIMEOUT)?;
    if form.status != 200 {
        return Err(format!("GET /console/sign-in answered {}", form.status));
    }
    let token = csrf_field(&form.body).ok_or("the sign-in form has no csrf field")?;
    let paired =
        cookie(&form.headers("Set-Cookie"), SIGN_IN_COOKIE).ok_or("the sign-in form set no nlc_signin cookie")?;
    let body = format!("csrf={}&login={}&password={}", encode(token), encode(login), encode(password));
    let cookie_header = format!("{SIGN_IN_COOKIE}={paired}");
    let answer = http::send(addr, "POST", "/console/sign-in", &[("Cookie", &cookie_header)], Some(&body), TIMEOUT)?;
    if answer.status != 303 {
        return Err(format!("POST /console/sign-in answered {} (not 303): {}", answer.status, answer.body));
    }
    let session = cookie(&answer.headers("Set-Cookie"), SESSION_COOKIE).ok_or("the sign-in set no session cookie")?;
    Ok(format!("{SESSION_COOKIE}={session}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_forms_csrf_field() {
        let body = r#"<form><input type="hidden" name="csrf" value="0a1b2c"><input name="login"></form>
                      <form><input type="hidden" name="csrf" value="ffff"></form>"#;
        assert_eq!(csrf_field(body), Some("0a1b2c"));
        assert_eq!(csrf_field(r#"<input name="csrf" value="">"#), None);
        assert_eq!(csrf_field("<p>no form</p>"), None);
    }

    #[test]
    fn takes_a_cookie_from_set_cookie_headers() {
        let headers = [
            "nlc_signin=; Path=/; Max-Age=0; HttpOnly",
            "nlc_session=abc123; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200",
        ];
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc123"));
        assert_eq!(cookie(&headers, SIGN_IN_COOKIE), None, "a removal is no value");
        assert_eq!(cookie(&["nlc_signin=t0k; Path=/"], SIGN_IN_COOKIE), Some("t0k"));
        assert_eq!(cookie(&["other=1", "nlc_session_x=2"], SESSION_COOKIE), None);
        assert_eq!(cookie(&[], SESSION_COOKIE), None);
    }

    #[test]
    fn encodes_form_values() {
        assert_eq!(encode("demo"), "demo");
        assert_eq!(encode("p&ss= w"), "p%26ss%3D%20w");
    }
}
