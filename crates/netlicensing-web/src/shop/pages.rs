//! The shop's pages: thin handlers that open the token through core, price through core, and render.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use netlicensing_core::{
    CoreError,
    service::customer::TokenRefusal,
    service::shop::{
        Buyer, Cart, Offer, Payment, PaymentSetup, Quote, Seller, ShopKind, ShopToken, TokenState, cart::QUANTITY_FIELD,
    },
};
use netlicensing_model::{
    entity::{License, Transaction},
    types::TransactionStatus,
};

use super::{
    Shop, describe, stripe,
    vat::{self, BuyerFields, VatRow},
};
use crate::{
    customer::{Chrome, Csrf, CustomerError, CustomerForm, CustomerSite, Flags, site},
    render,
};

/// The form field carrying the checkout's key.
const KEY_FIELD: &str = "checkout";

type Page = Result<HttpResponse, CustomerError>;

fn payments(req: &HttpRequest) -> Result<web::Data<Shop>, CustomerError> {
    req.app_data::<web::Data<Shop>>()
        .cloned()
        .ok_or_else(|| CustomerError::Core(CoreError::IllegalOperation("no shop here".into())))
}

/// The token of a link, whatever its state (`None` refused as unknown).
async fn token(site: &CustomerSite, number: &str) -> Result<ShopToken, CustomerError> {
    site.core.shop_token(number).await?.ok_or(CustomerError::Token(TokenRefusal::Unknown))
}

/// The token of a link whose shop is open.
async fn open_token(site: &CustomerSite, number: &str) -> Result<ShopToken, CustomerError> {
    opened(token(site, number).await?)
}

/// A token read already, if its shop is open.
fn opened(shop: ShopToken) -> Result<ShopToken, CustomerError> {
    match shop.state {
        TokenState::Open => Ok(shop),
        TokenState::Expired => Err(CustomerError::Token(TokenRefusal::Expired)),
        TokenState::Closed => Err(CustomerError::Token(TokenRefusal::Inactive)),
    }
}

async fn chrome(site: &CustomerSite, shop: &ShopToken, flags: Flags) -> Result<Chrome, CustomerError> {
    Ok(Chrome::load(&site.core, shop.caller.vendor, &shop.caller.vendor_number, flags).await?)
}

/// `%`-encodes a path segment or query value.
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A new checkout key: 128 random bits in hex.
fn new_key() -> Result<String, CustomerError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| CustomerError::Store(netlicensing_core::RepoError::Failure(format!("no random bytes: {e}"))))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// One template as the offer shows it.
struct ItemView {
    number: String,
    field: String,
    name: String,
    module: String,
    gives: String,
    price: String,
    held: u64,
    fixed: Option<u32>,
    selected: u32,
}

/// The offer page.
#[derive(Template)]
#[template(path = "shop/offer.html")]
struct OfferPage {
    chrome: Chrome,
    csrf: String,
    base: String,
    suffix: String,
    title: String,
    product: String,
    description: Option<String>,
    licensee: Option<String>,
    items: Vec<ItemView>,
    fixed: bool,
    total: Option<String>,
    discounts: Vec<String>,
    vat_note: Option<&'static str>,
    buyer: Option<BuyerFields>,
    key: String,
    cancel_title: String,
    error: Option<String>,
}

fn title_of(shop: &ShopToken, offer: &Offer) -> String {
    match (&shop.kind, &offer.bundle) {
        (ShopKind::Bundle { .. }, Some(bundle)) => bundle.name.clone().unwrap_or_else(|| bundle.number.clone()),
        (ShopKind::Permanent { .. }, _) => offer
            .item_name
            .clone()
            .unwrap_or_else(|| offer.product.name.clone().unwrap_or_else(|| offer.product.number.clone())),
        _ => offer.product.name.clone().unwrap_or_else(|| offer.product.number.clone()),
    }
}

fn discount_notes(offer: &Offer) -> Vec<String> {
    use netlicensing_model::entity::DiscountAmount;
    if offer.is_fixed() && offer.bundle.is_some() {
        return Vec::new();
    }
    offer
        .discounts
        .iter()
        .map(|d| {
            let off = match d.amount {
                DiscountAmount::Fix(amount) => {
                    describe::amount(netlicensing_model::types::Money::new(amount.value()), Some(d.currency))
                }
                DiscountAmount::Percent(percent) => format!("{} %", percent.value().normalize()),
            };
            format!("{off} off orders from {}", describe::amount(d.total_price, Some(d.currency)))
        })
        .collect()
}

fn cancel_title(shop: &ShopToken) -> String {
    shop.token.cancel_url_title.clone().unwrap_or_else(|| "Cancel".into())
}

#[allow(clippy::too_many_arguments)]
async fn offer_page(
    site: &CustomerSite,
    shop: &ShopToken,
    offer: &Offer,
    flags: Flags,
    csrf: &Csrf,
    cart: &Cart,
    typed: Option<&netlicensing_model::codec::Form>,
    status: StatusCode,
    error: Option<String>,
) -> Page {
    let fixed = offer.is_fixed();
    let items = offer
        .items
        .iter()
        .map(|item| ItemView {
            number: item.template.number.clone(),
            field: format!("{QUANTITY_FIELD}{}", item.template.number),
            name: item.template.name.clone().unwrap_or_else(|| item.template.number.clone()),
            module: item.module.name.clone().unwrap_or_else(|| item.module.number.clone()),
            gives: describe::gives(item.module.licensing_model, &item.template),
            price: describe::amount(item.template.price.unwrap_or_default(), item.template.currency),
            held: item.held,
            fixed: item.fixed_quantity,
            selected: cart.lines.iter().find(|(n, _)| n == &item.template.number).map_or(0, |(_, q)| *q),
        })
        .collect();
    let total = if fixed {
        let quote = site.core.shop_list_price(shop, offer, &offer.fixed_cart())?;
        Some(describe::amount(quote.total, quote.currency))
    } else {
        None
    };
    let page = OfferPage {
        chrome: chrome(site, shop, flags).await?,
        csrf: csrf.token.clone(),
        base: format!("/shop/{}", encode(&shop.token.number)),
        suffix: flags.suffix(),
        title: title_of(shop, offer),
        product: offer.product.name.clone().unwrap_or_else(|| offer.product.number.clone()),
        description: offer.product.description.clone(),
        licensee: shop.licensee().map(str::to_owned),
        items,
        fixed,
        total,
        discounts: discount_notes(offer),
        vat_note: vat::price_note(offer),
        buyer: BuyerFields::of(&offer.seller, typed),
        key: new_key()?,
        cancel_title: cancel_title(shop),
        error,
    };
    csrf.page_with(status, &page)
}

/// `GET /shop/{token}`: the offer; a used token's order, if it had one.
pub async fn offer(req: HttpRequest, number: web::Path<String>, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop = token(&site, &number).await?;
    if shop.state == TokenState::Closed && !shop.is_permanent() && site.core.shop_order(&shop, None).await?.is_some() {
        return Ok(render::see_other(&format!("/shop/{}/done{}", encode(&shop.token.number), flags.suffix())));
    }
    let shop = opened(shop)?;
    let offer = site.core.shop_offer(&shop).await?;
    let csrf = Csrf::of(&req)?;
    offer_page(&site, &shop, &offer, flags, &csrf, &Cart::default(), None, StatusCode::OK, None).await
}

/// One priced line.
struct LineView {
    name: String,
    quantity: u32,
    unit: String,
    total: String,
}

/// The review page: the priced cart and the button that checks out.
#[derive(Template)]
#[template(path = "shop/review.html")]
struct ReviewPage {
    chrome: Chrome,
    csrf: String,
    base: String,
    suffix: String,
    title: String,
    licensee: Option<String>,
    lines: Vec<LineView>,
    subtotal: String,
    discount: Option<String>,
    vat_rows: Vec<VatRow>,
    total: String,
    free: bool,
    buyer: Option<String>,
    fields: Vec<(String, String)>,
    key: String,
    cancel_title: String,
}

fn line_views(quote: &Quote) -> Vec<LineView> {
    quote
        .lines
        .iter()
        .map(|line| LineView {
            name: line.template.name.clone().unwrap_or_else(|| line.template.number.clone()),
            quantity: line.quantity,
            unit: describe::amount(line.unit, line.template.currency.or(quote.currency)),
            total: describe::amount(line.total, line.template.currency.or(quote.currency)),
        })
        .collect()
}

/// `POST /shop/{token}/review`: the picked cart priced by core (an invalid pick shows the offer again).
pub async fn review(req: HttpRequest, number: web::Path<String>, posted: CustomerForm, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop = open_token(&site, &number).await?;
    let offer = site.core.shop_offer(&shop).await?;
    let cart = if offer.is_fixed() { offer.fixed_cart() } else { Cart::from_form(&posted.form)? };
    let priced = Buyer::from_form(&posted.form, &offer.seller)
        .and_then(|buyer| Ok((site.core.shop_quote(&shop, &offer, &cart, &buyer)?, buyer)));
    let (quote, buyer) = match priced {
        Ok(priced) => priced,
        Err(error @ (CoreError::Malformed(_) | CoreError::IllegalOperation(_))) => {
            let (status, message) = (StatusCode::BAD_REQUEST, Some(error.to_string()));
            let typed = Some(&posted.form);
            return offer_page(&site, &shop, &offer, flags, &posted.csrf, &cart, typed, status, message).await;
        }
        Err(error) => return Err(error.into()),
    };
    let key = posted.form.get(KEY_FIELD).map(str::to_owned).map_or_else(new_key, Ok)?;
    let page = ReviewPage {
        chrome: chrome(&site, &shop, flags).await?,
        csrf: posted.csrf.token.clone(),
        base: format!("/shop/{}", encode(&shop.token.number)),
        suffix: flags.suffix(),
        title: title_of(&shop, &offer),
        licensee: shop.licensee().map(str::to_owned),
        lines: line_views(&quote),
        subtotal: describe::amount(quote.subtotal, quote.currency),
        discount: (!quote.discount.is_zero()).then(|| describe::amount(quote.discount, quote.currency)),
        vat_rows: vat::quote_rows(&quote),
        total: describe::amount(quote.due(), quote.currency),
        free: quote.is_free(),
        buyer: vat::buyer_line(&buyer),
        fields: cart
            .lines
            .iter()
            .map(|(n, q)| (format!("{QUANTITY_FIELD}{n}"), q.to_string()))
            .chain(vat::buyer_fields(&buyer))
            .collect(),
        key,
        cancel_title: cancel_title(&shop),
    };
    let mut response = posted.csrf.page(&page)?;
    // The checkout form's answer leads to Stripe's payment page: browsers apply `form-action` to that redirect.
    let origin = payments(&req)?.stripe.checkout_origin();
    let policy = render::CSP.replace("form-action 'self'", &format!("form-action 'self' {origin}"));
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&policy) {
        response.headers_mut().insert(actix_web::http::header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}

/// `POST /shop/{token}/checkout`: the order, then payment: Stripe Checkout, or completion without payment when
/// the vendor has no active payment method or the order costs nothing.
pub async fn checkout(req: HttpRequest, number: web::Path<String>, posted: CustomerForm, flags: Flags) -> Page {
    let site = site(&req)?;
    let shop_data = payments(&req)?;
    let shop = open_token(&site, &number).await?;
    let offer = site.core.shop_offer(&shop).await?;
    let cart = if offer.is_fixed() { offer.fixed_cart() } else { Cart::from_form(&posted.form)? };
    let key = posted.form.get(KEY_FIELD).unwrap_or_default();
    let buyer = Buyer::from_form(&posted.form, &offer.seller)?;
    let checkout = site.core.shop_checkout(&shop, &cart, &buyer, key).await?;
    let order = checkout.transaction.number.clone();
    let base = format!("/shop/{}", encode(&shop.token.number));
    let done = format!("{base}/done?{KEY_FIELD}={}{}", encode(&checkout.key), flags_tail(flags));
    let setup = site.core.shop_payment(&shop.caller).await?;
    match setup {
        _ if checkout.quote.is_free() => {}
        PaymentSetup::Free => {}
        PaymentSetup::Unavailable(message) => {
            return Err(CustomerError::Core(CoreError::IllegalOperation(message)));
        }
        PaymentSetup::Stripe { provider, secret_key, .. } => {
            let public = &site.core.token_urls().base;
            let back = |path: &str| format!("{public}{base}/{path}?{KEY_FIELD}={}", encode(&checkout.key));
            let existing = payment_reference(&checkout.transaction);
            let session = match existing {
                Some(reference) => shop_data.stripe.session(&secret_key, &reference).await,
                None => {
                    let total = checkout.quote.due();
                    let currency = checkout
                        .quote
                        .currency
                        .ok_or_else(|| CoreError::IllegalOperation("The order has a price but no currency".into()))?;
                    let minor = stripe::minor_units(total).map_err(|e| CoreError::IllegalOperation(e.to_string()))?;
                    let description = format!("{} (order {order})", title_of(&shop, &offer));
                    let idempotency = format!("{order}-{}-{minor}", checkout.key);
                    let request = stripe::SessionRequest {
                        transaction: &order,
                        vendor: &shop.caller.vendor_number,
                        description: &description,
                        total,
                        currency,
                        success_url: &back("paid"),
                        cancel_url: &back("back"),
                        idempotency_key: &idempotency,
                    };
                    shop_data.stripe.create_session(&secret_key, &request).await
                }
            };
            let session = session.map_err(|error| {
                tracing::warn!(error = %error, order = %order, "Stripe checkout could not begin");
                CustomerError::Core(CoreError::IllegalOperation(
                    "Payment cannot begin right now; please try again in a moment".into(),
                ))
            })?;
            site.core.shop_payment_begun(&shop.caller, &order, provider, &session.id).await?;
            let url =
                session.url.filter(|u| u.starts_with("https://") || u.starts_with("http://")).ok_or_else(|| {
                    CustomerError::Core(CoreError::IllegalOperation("This payment can no longer be made".into()))
                })?;
            return Ok(render::see_other(&url));
        }
    }
    site.core.shop_complete(&shop.caller, &order, None).await?;
    Ok(render::see_other(&done))
}

/// The payment an order began (a Stripe Checkout Session id), if any.
fn payment_reference(order: &Transaction) -> Option<String> {
    let name = netlicensing_core::service::shop::PAYMENT_REFERENCE;
    order.custom.iter().find(|p| p.name == name).map(|p| p.value.clone())
}

fn flags_tail(flags: Flags) -> String {
    let query = flags.query();
    if query.is_empty() { query } else { format!("&{query}") }
}

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
        let key = order.custom.iter().find(|p| p.name == "shopCheckoutKey").map(|p| p.value.clone());
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

/// `GET /shop/v2/?shoptoken=…`: the hosted shop's URL shape.
pub async fn hosted_url(req: HttpRequest) -> Page {
    let form = netlicensing_model::codec::Form::parse(req.query_string());
    match form.get("shoptoken").filter(|t| !t.is_empty()) {
        Some(token) => Ok(render::see_other(&format!("/shop/{}", encode(token)))),
        None => Err(CustomerError::Token(TokenRefusal::Unknown)),
    }
}
