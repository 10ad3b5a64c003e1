//! The order after checkout: the return from Stripe (paid, or left without paying), cancelling, and the
//! order's outcome with its licenses. Thin handlers over core's shop; Stripe is asked where the customer may
//! arrive before Stripe's webhook.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use netlicensing_core::service::shop::{Payment, PaymentSetup, Seller, ShopToken, TokenState};
use netlicensing_model::{
    entity::{License, Transaction},
    types::TransactionStatus,
};

use super::{
    Shop, describe,
    pages::{
        KEY_FIELD, Page, cancel_title, chrome, encode, flags_tail, open_token, opened, payment_reference, payments,
        token,
    },
    vat,
};
use crate::{
    customer::{Chrome, Csrf, CustomerError, CustomerForm, CustomerSite, Flags, site},
    render,
};

/// The `checkout` query parameter.
#[derive(serde::Deserialize)]
pub struct KeyQuery {
    checkout: Option<String>,
}

/// Confirms a Stripe payment with Stripe (the customer may return before the webhook arrives) and completes the
/// order when it is paid. Returns whether it is now complete.
async fn confirm(site: &CustomerSite, shop_data: &Shop, shop: &ShopToken, order: &Transaction) -> bool {
    let reference = payment_reference(order);
    let (Some(reference), Some(TransactionStatus::Pending)) = (reference, order.status) else { return false };
    let Ok(PaymentSetup::Stripe { provider, secret_key, .. }) = site.core.shop_payment(&shop.caller).await else {
        return false;
    };
    let session = match shop_data.stripe.session(&secret_key, &reference).await {
        Ok(session) if session.is_paid() => session,
        Ok(_) => return false,
        Err(error) => {
            tracing::warn!(error = %error, "a Stripe session could not be read");
            return false;
        }
    };
    let payment = Payment { provider, reference: &session.id, paid: session.paid() };
    match site.core.shop_complete(&shop.caller, &order.number, Some(payment)).await {
        Ok(_) => true,
        Err(error) => {
            tracing::warn!(error = %error, order = %order.number, "a paid Stripe session did not complete its order");
            false
        }
    }
}

/// `GET /shop/{token}/paid`: back from Stripe after paying; the order is confirmed, then shown.
pub async fn paid(req: HttpRequest, number: web::Path<String>, query: web::Query<KeyQuery>, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop_data = payments(&req)?;
    let shop = token(&site, &number).await?;
    let key = query.checkout.as_deref().unwrap_or_default();
    let (order, _) = site.core.shop_order(&shop, Some(key)).await?.ok_or_else(not_an_order)?;
    confirm(&site, &shop_data, &shop, &order).await;
    let base = format!("/shop/{}", encode(&shop.token.number));
    Ok(render::see_other(&format!("{base}/done?{KEY_FIELD}={}{}", encode(key), flags_tail(flags))))
}

fn not_an_order() -> CustomerError {
    CustomerError::NotFound("There is no such order in this shop".into())
}

/// The page after the customer left Stripe without paying.
#[derive(Template)]
#[template(path = "shop/back.html")]
struct BackPage {
    chrome: Chrome,
    csrf: String,
    base: String,
    suffix: String,
    key: String,
    cancel_title: String,
}

/// `GET /shop/{token}/back`: back from Stripe without paying. The Stripe session is expired (so the order can
/// be changed and paid anew), unless it was paid meanwhile; the customer chooses again or cancels.
pub async fn back(req: HttpRequest, number: web::Path<String>, query: web::Query<KeyQuery>, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop_data = payments(&req)?;
    let shop = token(&site, &number).await?;
    let key = query.checkout.as_deref().unwrap_or_default();
    let (order, _) = site.core.shop_order(&shop, Some(key)).await?.ok_or_else(not_an_order)?;
    let base = format!("/shop/{}", encode(&shop.token.number));
    if abandon(&site, &shop_data, &shop, &order).await {
        return Ok(render::see_other(&format!("{base}/done?{KEY_FIELD}={}{}", encode(key), flags_tail(flags))));
    }
    let shop = opened(shop)?;
    let csrf = Csrf::of(&req)?;
    let page = BackPage {
        chrome: chrome(&site, &shop, flags).await?,
        csrf: csrf.token.clone(),
        base,
        suffix: flags.suffix(),
        key: key.to_owned(),
        cancel_title: cancel_title(&shop),
    };
    csrf.page(&page)
}

/// Ends an order's Stripe session (expired at Stripe, forgotten by core) unless it was paid, in which case the
/// order is completed. Returns whether the order is complete.
async fn abandon(site: &CustomerSite, shop_data: &Shop, shop: &ShopToken, order: &Transaction) -> bool {
    if order.status != Some(TransactionStatus::Pending) {
        return order.status == Some(TransactionStatus::Closed);
    }
    let reference = payment_reference(order);
    let Some(reference) = reference else { return false };
    if confirm(site, shop_data, shop, order).await {
        return true;
    }
    let Ok(PaymentSetup::Stripe { secret_key, .. }) = site.core.shop_payment(&shop.caller).await else {
        return false;
    };
    match shop_data.stripe.expire(&secret_key, &reference).await {
        Ok(_) => {
            if let Err(error) = site.core.shop_payment_abandoned(&shop.caller, &order.number, &reference).await {
                tracing::warn!(error = %error, "an abandoned payment could not be forgotten");
            }
            false
        }
        Err(error) => {
            tracing::warn!(error = %error, "a Stripe session could not be expired");
            // Paid in the meantime, perhaps: look once more.
            confirm(site, shop_data, shop, order).await
        }
    }
}

/// The page of a cancelled order, with the way back to the vendor (`cancelURL` and its title).
#[derive(Template)]
#[template(path = "shop/cancelled.html")]
struct CancelledPage {
    chrome: Chrome,
    back: Option<(String, String)>,
}

/// `POST /shop/{token}/cancel`: cancels the order (its Stripe session expired first) and uses up the token;
/// the page leads back to the vendor's `cancelURL`.
pub async fn cancel(req: HttpRequest, number: web::Path<String>, posted: CustomerForm, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop_data = payments(&req)?;
    let shop = open_token(&site, &number).await?;
    let key = posted.form.get(KEY_FIELD).filter(|k| !k.is_empty());
    if let Some((order, _)) = site.core.shop_order(&shop, key).await?
        && abandon(&site, &shop_data, &shop, &order).await
    {
        let base = format!("/shop/{}", encode(&shop.token.number));
        let key = order
            .custom
            .iter()
            .find(|p| p.name == netlicensing_core::service::shop::property::KEY)
            .map(|p| p.value.clone());
        return Ok(render::see_other(&format!(
            "{base}/done?{KEY_FIELD}={}{}",
            encode(&key.unwrap_or_default()),
            flags_tail(flags)
        )));
    }
    site.core.shop_cancel(&shop, key).await?;
    // A page with a link rather than a redirect: browsers apply the form's `form-action` policy to redirects.
    let back = shop
        .token
        .cancel_url
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(|url| (url, shop.token.cancel_url_title.clone().unwrap_or_else(|| "Return to the vendor".into())));
    posted.csrf.page(&CancelledPage { chrome: chrome(&site, &shop, flags).await?, back })
}

/// One license of an order.
struct LicenseView {
    number: String,
    name: String,
    since: Option<String>,
}

/// The outcome of an order.
#[derive(Template)]
#[template(path = "shop/done.html")]
struct DonePage {
    chrome: Chrome,
    state: &'static str,
    order: String,
    total: String,
    vat: Vec<String>,
    licensee: Option<String>,
    licenses: Vec<LicenseView>,
    success: Option<(String, String)>,
    again: Option<String>,
}

fn license_view(license: &License) -> LicenseView {
    LicenseView {
        number: license.number.clone(),
        name: license.name.clone().unwrap_or_else(|| license.number.clone()),
        since: license.start_date.map(|start| start.format("%Y-%m-%d").to_string()),
    }
}

/// `GET /shop/{token}/done`: the order's outcome: its licenses and the way back to the vendor (a pending payment
/// is checked with Stripe, and the page looks again by itself).
pub async fn done(req: HttpRequest, number: web::Path<String>, query: web::Query<KeyQuery>, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop_data = payments(&req)?;
    let shop = token(&site, &number).await?;
    let key = query.checkout.as_deref().filter(|k| !k.is_empty());
    let (mut order, mut licenses) = site.core.shop_order(&shop, key).await?.ok_or_else(not_an_order)?;
    if order.status == Some(TransactionStatus::Pending) && confirm(&site, &shop_data, &shop, &order).await {
        (order, licenses) = site.core.shop_order(&shop, key).await?.ok_or_else(not_an_order)?;
    }
    let state = match order.status {
        Some(TransactionStatus::Closed) => "closed",
        Some(TransactionStatus::Cancelled) => "cancelled",
        _ => "pending",
    };
    let success = shop
        .token
        .success_url
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(|url| (url, shop.token.success_url_title.clone().unwrap_or_else(|| "Return to the vendor".into())));
    let again = (state == "pending" && shop.state == TokenState::Open)
        .then(|| format!("/shop/{}{}", encode(&shop.token.number), flags.suffix()));
    let page = DonePage {
        chrome: chrome(&site, &shop, flags).await?,
        state,
        order: order.number.clone(),
        total: describe::amount(order.grand_total.unwrap_or_default(), order.currency),
        vat: vat::order_lines(&order, &Seller::of(&site.core.vendor_branding(shop.caller.vendor).await?)),
        licensee: order.licensee_number.clone(),
        licenses: licenses.iter().map(license_view).collect(),
        success,
        again,
    };
    let mut response = HttpResponse::Ok().content_type(render::HTML).body(page.render()?);
    if state == "pending" {
        // The payment may still be confirmed: the page looks again by itself (no script needed).
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("refresh"),
            actix_web::http::header::HeaderValue::from_static("3"),
        );
    }
    Ok(response)
}
