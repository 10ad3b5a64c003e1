//! `POST /shop/stripe/{vendorNumber}/webhook`: Stripe's events for a vendor, verified with the vendor's
//! endpoint secret. A paid Checkout Session completes its order through core, which checks that the session is
//! the order's payment and the amount its total; a repeated event changes nothing. Other events are
//! acknowledged and ignored.

use actix_web::{HttpRequest, HttpResponse, web};
use netlicensing_core::{
    CoreError, RepoError,
    service::shop::{Payment, PaymentSetup},
};

use super::{Shop, stripe};
use crate::customer::site;

fn answer(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(message.to_owned())
}

/// The webhook endpoint.
pub async fn stripe(req: HttpRequest, vendor: web::Path<String>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let (Ok(site), Some(_)) = (site(&req), req.app_data::<web::Data<Shop>>()) else {
        return answer(StatusCode::NOT_FOUND, "no shop here");
    };
    let core = &site.core;
    let caller = match core.vendor_caller(&vendor).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return answer(StatusCode::NOT_FOUND, "no such vendor"),
        Err(error) => return failure(&error),
    };
    let (provider, secret) = match core.shop_payment(&caller).await {
        Ok(PaymentSetup::Stripe { provider, webhook_secret: Some(secret), .. }) => (provider, secret),
        Ok(_) => return answer(StatusCode::BAD_REQUEST, "Stripe webhooks are not configured for this vendor"),
        Err(error) => return failure(&error),
    };
    let header = req.headers().get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Err(refusal) = stripe::verify(&secret, header, &body, core.now().timestamp()) {
        tracing::warn!(vendor = %vendor.as_str(), %refusal, "a Stripe webhook was refused");
        return answer(StatusCode::BAD_REQUEST, &refusal.to_string());
    }
    let event: stripe::Event = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(_) => return answer(StatusCode::BAD_REQUEST, "the event cannot be read"),
    };
    if !matches!(event.kind.as_str(), "checkout.session.completed" | "checkout.session.async_payment_succeeded") {
        return answer(StatusCode::OK, "ignored");
    }
    let session: stripe::Session = match serde_json::from_value(event.data.object) {
        Ok(session) => session,
        Err(_) => return answer(StatusCode::BAD_REQUEST, "the event's session cannot be read"),
    };
    if !session.is_paid() {
        return answer(StatusCode::OK, "not paid yet");
    }
    let Some(transaction) = session.metadata.get("transaction").or(session.client_reference_id.as_ref()) else {
        return answer(StatusCode::OK, "not an order of this shop");
    };
    let payment = Payment { provider, reference: &session.id, paid: session.paid() };
    match core.shop_complete(&caller, transaction, Some(payment)).await {
        Ok(done) => {
            tracing::info!(vendor = %vendor.as_str(), transaction = %transaction, event = %event.id,
                already = done.already, "shop order paid by Stripe");
            answer(StatusCode::OK, "completed")
        }
        Err(error) => failure(&error),
    }
}

/// A refusal Stripe shows the vendor (4xx: not retried) or a failure it retries (5xx).
fn failure(error: &CoreError) -> HttpResponse {
    use actix_web::http::StatusCode;
    match error {
        CoreError::Storage(RepoError::Busy(_)) => answer(StatusCode::SERVICE_UNAVAILABLE, "busy; retry"),
        CoreError::Storage(_) | CoreError::Random(_) => {
            tracing::error!(error = %error, "a Stripe webhook failed");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "failed; retry")
        }
        CoreError::NotFound(message) => answer(StatusCode::NOT_FOUND, message),
        other => {
            tracing::warn!(error = %other, "a Stripe webhook was refused");
            answer(StatusCode::BAD_REQUEST, &other.to_string())
        }
    }
}
