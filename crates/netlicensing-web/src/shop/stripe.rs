//! Stripe, over its REST API: a Checkout Session for an order (the vendor's secret key; an idempotency key so
//! that repeated checkouts of one order get one session), reading a session back, and verifying the signature
//! of Stripe's webhook events (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `t.body` with the endpoint secret,
//! within a timestamp tolerance). The API base URL is a setting, so tests run against a local fake.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use netlicensing_model::types::{Currency, Money, WireEnum};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use serde::Deserialize;
use sha2::Sha256;

/// Stripe's API.
pub const DEFAULT_API: &str = "https://api.stripe.com";

/// How old a signed webhook event may be (Stripe's own libraries use five minutes).
pub const TOLERANCE: Duration = Duration::from_secs(300);

/// The longest a call to Stripe may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a call to Stripe failed.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// The request did not complete.
    #[error("Stripe cannot be reached")]
    Transport(#[source] reqwest::Error),
    /// Stripe refused it (status and Stripe's message).
    #[error("Stripe refused the request ({status}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stripe's `error.message`.
        message: String,
    },
    /// The answer was not what Stripe sends.
    #[error("Stripe's answer cannot be read")]
    Answer(#[source] serde_json::Error),
    /// An amount that Stripe cannot take.
    #[error("the amount {0} cannot be charged")]
    Amount(String),
}

/// A Checkout Session, as far as the shop reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Session {
    /// `cs_…`.
    pub id: String,
    /// Where the customer pays (only on a new session).
    #[serde(default)]
    pub url: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    #[serde(default)]
    pub payment_status: Option<String>,
    /// The total charged, in the currency's smallest unit.
    #[serde(default)]
    pub amount_total: Option<i64>,
    /// Lower-case ISO currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Our order (`client_reference_id`).
    #[serde(default)]
    pub client_reference_id: Option<String>,
    /// `metadata.vendor` and `metadata.transaction`.
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

impl Session {
    /// Whether the money arrived.
    pub fn is_paid(&self) -> bool {
        matches!(self.payment_status.as_deref(), Some("paid" | "no_payment_required"))
    }

    /// The amount and currency paid, read back into ours.
    pub fn paid(&self) -> Option<(Money, Currency)> {
        let currency = Currency::ALL
            .iter()
            .copied()
            .find(|c| self.currency.as_deref().is_some_and(|text| text.eq_ignore_ascii_case(c.as_str())))?;
        let minor = self.amount_total?;
        Some((Money::new(Decimal::new(minor, 2)), currency))
    }
}

/// A webhook event.
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    /// `evt_…`.
    pub id: String,
    /// `checkout.session.completed` ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The object the event is about.
    pub data: EventData,
}

/// An event's object.
#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    /// The session (for the checkout events the shop handles).
    pub object: serde_json::Value,
}

/// What a new Checkout Session is for.
#[derive(Debug, Clone)]
pub struct SessionRequest<'a> {
    /// The order (our transaction number).
    pub transaction: &'a str,
    /// The vendor's number.
    pub vendor: &'a str,
    /// What the customer sees as the item.
    pub description: &'a str,
    /// The order's total.
    pub total: Money,
    /// Its currency.
    pub currency: Currency,
    /// Where Stripe sends the customer after paying.
    pub success_url: &'a str,
    /// Where Stripe sends the customer who goes back.
    pub cancel_url: &'a str,
    /// Makes repeated requests for the same order return the same session.
    pub idempotency_key: &'a str,
}

/// Stripe's API at a base URL.
#[derive(Debug, Clone)]
pub struct Stripe {
    http: reqwest::Client,
    base: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: Option<String>,
}

/// An amount in the currency's smallest unit (EUR and USD have cents).
pub fn minor_units(amount: Money) -> Result<i64, StripeError> {
    (amount.amount() * Decimal::from(100))
        .to_i64()
        .filter(|minor| *minor > 0)
        .ok_or_else(|| StripeError::Amount(amount.amount().to_string()))
}

impl Stripe {
    /// Stripe at `base` (`https://api.stripe.com`, or a fake in tests).
    pub fn new(base: &str) -> Result<Self, StripeError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("netlicensing-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(StripeError::Transport)?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned() })
    }

    /// Where Stripe's payment pages are: `https://checkout.stripe.com` for Stripe's own API, else the API's own
    /// origin (a fake serves both). A shop page whose form leads there must allow it in its `form-action`.
    pub fn checkout_origin(&self) -> String {
        if self.base == DEFAULT_API {
            return "https://checkout.stripe.com".into();
        }
        match self.base.find("://").map(|at| at + 3) {
            Some(start) => match self.base[start..].find('/') {
                Some(end) => self.base[..start + end].to_owned(),
                None => self.base.clone(),
            },
            None => self.base.clone(),
        }
    }

    /// Creates a Checkout Session for an order: one line, the order's total (prices and discounts were computed
    /// by the shop), our transaction as `client_reference_id` and in the metadata.
    pub async fn create_session(&self, secret_key: &str, request: &SessionRequest<'_>) -> Result<Session, StripeError> {
        let amount = minor_units(request.total)?.to_string();
        let currency = request.currency.as_str().to_ascii_lowercase();
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("mode", "payment")
            .append_pair("line_items[0][quantity]", "1")
            .append_pair("line_items[0][price_data][currency]", &currency)
            .append_pair("line_items[0][price_data][unit_amount]", &amount)
            .append_pair("line_items[0][price_data][product_data][name]", request.description)
            .append_pair("success_url", request.success_url)
            .append_pair("cancel_url", request.cancel_url)
            .append_pair("client_reference_id", request.transaction)
            .append_pair("metadata[transaction]", request.transaction)
            .append_pair("metadata[vendor]", request.vendor)
            .finish();
        let answer = self
            .http
            .post(format!("{}/v1/checkout/sessions", self.base))
            .bearer_auth(secret_key)
            .header("Idempotency-Key", request.idempotency_key)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(StripeError::Transport)?;
        read(answer).await
    }

    /// Reads a Checkout Session (to confirm a payment when the customer returns before the webhook arrives).
    pub async fn session(&self, secret_key: &str, id: &str) -> Result<Session, StripeError> {
        self.on_session(reqwest::Method::GET, secret_key, id, "").await
    }

    /// Expires an open Checkout Session, so that it can no longer be paid (the customer came back to change
    /// the order or cancel it). Stripe refuses it for a session already paid.
    pub async fn expire(&self, secret_key: &str, id: &str) -> Result<Session, StripeError> {
        self.on_session(reqwest::Method::POST, secret_key, id, "/expire").await
    }

    /// A call on one session (`/v1/checkout/sessions/{id}{action}`) that answers the session.
    async fn on_session(
        &self,
        method: reqwest::Method,
        secret_key: &str,
        id: &str,
        action: &str,
    ) -> Result<Session, StripeError> {
        let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
        let answer = self
            .http
            .request(method, format!("{}/v1/checkout/sessions/{id}{action}", self.base))
            .bearer_auth(secret_key)
            .send()
            .await
            .map_err(StripeError::Transport)?;
        read(answer).await
    }
}

async fn read(answer: reqwest::Response) -> Result<Session, StripeError> {
    let status = answer.status();
    let bytes = answer.bytes().await.map_err(StripeError::Transport)?;
    if !status.is_success() {
        let message = serde_json::from_slice::<ErrorBody>(&bytes)
            .ok()
            .and_then(|b| b.error.message)
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
        return Err(StripeError::Refused { status: status.as_u16(), message });
    }
    serde_json::from_slice(&bytes).map_err(StripeError::Answer)
}

/// Why a webhook event was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `Stripe-Signature` header, or one without `t` and `v1`.
    #[error("the Stripe-Signature header is missing or unreadable")]
    Missing,
    /// No `v1` signature matches.
    #[error("the signature does not match")]
    Mismatch,
    /// The timestamp is outside the tolerance.
    #[error("the event is too old or from the future")]
    Stale,
}

/// The `v1` signature of a payload at a timestamp, in hex.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies a `Stripe-Signature` header over a body, at `now` (Unix seconds): some `v1` must match and the
/// timestamp lie within [`TOLERANCE`].
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.push(value),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else { return Err(SignatureError::Missing) };
    if signatures.is_empty() {
        return Err(SignatureError::Missing);
    }
    let expected = sign(secret, timestamp, body);
    if !signatures.iter().any(|given| crate::session::same_secret(given, &expected)) {
        return Err(SignatureError::Mismatch);
    }
    let tolerance = i64::try_from(TOLERANCE.as_secs()).unwrap_or(i64::MAX);
    if (now - timestamp).abs() > tolerance {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_with_a_tolerance() {
        let body = br#"{"id":"evt_1"}"#;
        let now = 1_700_000_000;
        let header = format!("t={now},v1={},v0=ignored", sign("whsec_x", now, body));
        assert_eq!(verify("whsec_x", &header, body, now + 10), Ok(()));
        assert_eq!(verify("whsec_y", &header, body, now), Err(SignatureError::Mismatch));
        assert_eq!(verify("whsec_x", &header, b"{}", now), Err(SignatureError::Mismatch));
        assert_eq!(verify("whsec_x", &header, body, now + 301), Err(SignatureError::Stale));
        assert_eq!(verify("whsec_x", "t=1", body, now), Err(SignatureError::Missing));
        assert_eq!(verify("whsec_x", "", body, now), Err(SignatureError::Missing));
        let two = format!("t={now},v1=00,v1={}", sign("whsec_x", now, body));
        assert_eq!(verify("whsec_x", &two, body, now), Ok(()), "any v1 may match (secret rolling)");
    }

    #[test]
    fn the_checkout_origin_follows_the_api() {
        assert_eq!(Stripe::new(DEFAULT_API).unwrap().checkout_origin(), "https://checkout.stripe.com");
        assert_eq!(Stripe::new("http://127.0.0.1:9/").unwrap().checkout_origin(), "http://127.0.0.1:9");
        assert_eq!(Stripe::new("http://127.0.0.1:9/api").unwrap().checkout_origin(), "http://127.0.0.1:9");
    }

    #[test]
    fn amounts_go_in_cents_and_come_back() {
        assert_eq!(minor_units(Money::new("54.47".parse().unwrap())).unwrap(), 5447);
        assert!(minor_units(Money::ZERO).is_err());
        let session = Session {
            id: "cs_1".into(),
            url: None,
            payment_status: Some("paid".into()),
            amount_total: Some(5447),
            currency: Some("eur".into()),
            client_reference_id: None,
            metadata: Default::default(),
        };
        assert!(session.is_paid());
        assert_eq!(session.paid(), Some((Money::new("54.47".parse().unwrap()), Currency::Eur)));
    }
}
