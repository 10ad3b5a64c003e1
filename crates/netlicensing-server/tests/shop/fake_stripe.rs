//! A local stand-in for Stripe's API, speaking the HTTP the shop uses: Checkout Sessions (created with a
//! secret key and an idempotency key, read back, expired), a payment page, and webhook events signed the way
//! Stripe signs them (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`), sent to the server's webhook.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::json;

/// The secret key the fake accepts.
pub const SECRET_KEY: &str = "sk_test_fake";
/// The webhook endpoint secret events are signed with.
pub const WEBHOOK_SECRET: &str = "whsec_fake";

/// One Checkout Session.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub success_url: String,
    pub cancel_url: String,
    pub metadata: HashMap<String, String>,
    pub status: &'static str,
    pub paid: bool,
}

/// What the fake holds.
#[derive(Default)]
pub struct State {
    pub sessions: Vec<Session>,
    pub idempotency: HashMap<String, String>,
    /// Where events go (the server's webhook base, `http://…/shop/stripe`).
    pub webhook_base: String,
    /// Send no webhook on payment (the customer returns first).
    pub hold_webhooks: bool,
    /// The last event sent, with its signature header (to replay it).
    pub last_event: Option<(String, String)>,
}

/// The fake, running on its own port.
#[derive(Clone)]
pub struct FakeStripe {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

/// A session as Stripe shows it: its payment page's URL only while it is open.
fn session_json(session: &Session, base: &str) -> serde_json::Value {
    let url = (session.status == "open").then(|| format!("{base}/pay/{}", session.id));
    json!({
        "id": session.id,
        "object": "checkout.session",
        "url": url,
        "payment_status": if session.paid { "paid" } else { "unpaid" },
        "status": session.status,
        "amount_total": session.amount,
        "currency": session.currency,
        "client_reference_id": session.metadata.get("transaction"),
        "metadata": session.metadata,
    })
}

fn error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .json(json!({"error": {"message": message, "type": "invalid_request_error"}}))
}

fn authorized(req: &HttpRequest) -> bool {
    req.headers().get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {SECRET_KEY}"))
}

/// The signature header of a body at a time.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", netlicensing_web::shop::stripe::sign(secret, timestamp, body.as_bytes()))
}

impl FakeStripe {
    /// Starts the fake.
    pub fn start() -> FakeStripe {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let data = web::Data::new(FakeStripe { base: base.clone(), state: state.clone() });
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .route("/v1/checkout/sessions", web::post().to(create))
                        .route("/v1/checkout/sessions/{id}", web::get().to(read))
                        .route("/v1/checkout/sessions/{id}/expire", web::post().to(expire))
                        .route("/pay/{id}", web::get().to(pay_page))
                        .route("/pay/{id}", web::post().to(pay))
                })
                .workers(1)
                .disable_signals()
                .listen(listener)
                .unwrap()
                .run()
                .await
                .ok();
            })
        });
        FakeStripe { base, state }
    }

    /// Sessions created so far.
    pub fn sessions(&self) -> Vec<Session> {
        self.state.lock().unwrap().sessions.clone()
    }

    /// Sends the webhook event of a paid session (as Stripe does after payment), returning the status.
    pub async fn send_completed(&self, id: &str) -> u16 {
        let (body, header, url) = {
            let state = self.state.lock().unwrap();
            let session = state.sessions.iter().find(|s| s.id == id).unwrap();
            let body = json!({
                "id": format!("evt_{id}"),
                "object": "event",
                "type": "checkout.session.completed",
                "data": {"object": session_json(session, &self.base)},
            })
            .to_string();
            let now = chrono::Utc::now().timestamp();
            let vendor = session.metadata.get("vendor").cloned().unwrap_or_default();
            (body.clone(), signature(WEBHOOK_SECRET, now, &body), format!("{}/{vendor}/webhook", state.webhook_base))
        };
        self.state.lock().unwrap().last_event = Some((body.clone(), header.clone()));
        post_event(&url, &body, &header).await
    }
}

/// Posts an event body with a signature header.
pub async fn post_event(url: &str, body: &str, header: &str) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("stripe-signature", header)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn create(req: HttpRequest, fake: web::Data<FakeStripe>, body: web::Bytes) -> HttpResponse {
    if !authorized(&req) {
        return error(401, "Invalid API Key provided");
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let key = req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut state = fake.state.lock().unwrap();
    if let Some(key) = &key
        && let Some(id) = state.idempotency.get(key).cloned()
    {
        let session = state.sessions.iter().find(|s| s.id == id).unwrap();
        return HttpResponse::Ok().json(session_json(session, &fake.base));
    }
    let get = |name: &str| form.get(name).cloned().unwrap_or_default();
    let Ok(amount) = get("line_items[0][price_data][unit_amount]").parse::<i64>() else {
        return error(400, "unit_amount is required");
    };
    let metadata: HashMap<String, String> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), v.clone())))
        .collect();
    let session = Session {
        id: format!("cs_test_{}", state.sessions.len() + 1),
        amount,
        currency: get("line_items[0][price_data][currency]"),
        success_url: get("success_url"),
        cancel_url: get("cancel_url"),
        metadata,
        status: "open",
        paid: false,
    };
    if let Some(key) = key {
        state.idempotency.insert(key, session.id.clone());
    }
    let body = session_json(&session, &fake.base);
    state.sessions.push(session);
    HttpResponse::Ok().json(body)
}

async fn read(req: HttpRequest, fake: web::Data<FakeStripe>, id: web::Path<String>) -> HttpResponse {
    if !authorized(&req) {
        return error(401, "Invalid API Key provided");
    }
    let state = fake.state.lock().unwrap();
    match state.sessions.iter().find(|s| s.id == *id) {
        Some(session) => HttpResponse::Ok().json(session_json(session, &fake.base)),
        None => error(404, "No such checkout.session"),
    }
}

async fn expire(req: HttpRequest, fake: web::Data<FakeStripe>, id: web::Path<String>) -> HttpResponse {
    if !authorized(&req) {
        return error(401, "Invalid API Key provided");
    }
    let mut state = fake.state.lock().unwrap();
    match state.sessions.iter_mut().find(|s| s.id == *id) {
        Some(session) if session.paid => error(400, "Only Checkout Sessions with a status of open can be expired"),
        Some(session) => {
            session.status = "expired";
            HttpResponse::Ok().json(session_json(session, &fake.base))
        }
        None => error(404, "No such checkout.session"),
    }
}

async fn pay_page(fake: web::Data<FakeStripe>, id: web::Path<String>) -> HttpResponse {
    let state = fake.state.lock().unwrap();
    let Some(session) = state.sessions.iter().find(|s| s.id == *id) else { return error(404, "no session") };
    let body = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Fake Stripe</title></head><body>\
         <h1>Pay {:.2} {}</h1><form method=post action=\"/pay/{}\"><button id=stripe-pay type=submit>Pay</button></form>\
         <p><a id=stripe-back href=\"{}\">Back</a></p></body></html>",
        session.amount as f64 / 100.0,
        session.currency.to_uppercase(),
        session.id,
        session.cancel_url
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body)
}

async fn pay(fake: web::Data<FakeStripe>, id: web::Path<String>) -> HttpResponse {
    let (success, hold) = {
        let mut state = fake.state.lock().unwrap();
        let hold = state.hold_webhooks;
        let Some(session) = state.sessions.iter_mut().find(|s| s.id == *id) else { return error(404, "no session") };
        if session.status != "open" {
            return error(400, "This Checkout Session is no longer open");
        }
        session.paid = true;
        session.status = "complete";
        (session.success_url.clone(), hold)
    };
    if !hold {
        let status = fake.send_completed(&id).await;
        assert_eq!(status, 200, "the server accepts the signed event");
    }
    HttpResponse::SeeOther().insert_header(("location", success)).finish()
}
