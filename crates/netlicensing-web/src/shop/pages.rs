//! The shop's pages: thin handlers that open the token through core, price through core, and render.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use netlicensing_core::{
    CoreError,
    service::customer::TokenRefusal,
    service::shop::{Buyer, Cart, Offer, PaymentSetup, Quote, ShopKind, ShopToken, TokenState, cart::QUANTITY_FIELD},
};
use netlicensing_model::entity::Transaction;

use super::{
    Shop, describe, stripe,
    vat::{self, BuyerFields, VatRow},
};
use crate::{
    customer::{Chrome, Csrf, CustomerError, CustomerForm, CustomerSite, Flags, site},
    render,
};

/// The form field carrying the checkout's key.
pub(super) const KEY_FIELD: &str = "checkout";

pub(super) type Page = Result<HttpResponse, CustomerError>;

pub(super) fn payments(req: &HttpRequest) -> Result<web::Data<Shop>, CustomerError> {
    req.app_data::<web::Data<Shop>>()
        .cloned()
        .ok_or_else(|| CustomerError::Core(CoreError::IllegalOperation("no shop here".into())))
}

/// The token of a link, whatever its state (`None` refused as unknown).
pub(super) async fn token(site: &CustomerSite, number: &str) -> Result<ShopToken, CustomerError> {
    site.core.shop_token(number).await?.ok_or(CustomerError::Token(TokenRefusal::Unknown))
}

/// The token of a link whose shop is open.
pub(super) async fn open_token(site: &CustomerSite, number: &str) -> Result<ShopToken, CustomerError> {
    opened(token(site, number).await?)
}

/// A token read already, if its shop is open.
pub(super) fn opened(shop: ShopToken) -> Result<ShopToken, CustomerError> {
    match shop.state {
        TokenState::Open => Ok(shop),
        TokenState::Expired => Err(CustomerError::Token(TokenRefusal::Expired)),
        TokenState::Closed => Err(CustomerError::Token(TokenRefusal::Inactive)),
    }
}

pub(super) async fn chrome(site: &CustomerSite, shop: &ShopToken, flags: Flags) -> Result<Chrome, CustomerError> {
    Ok(Chrome::load(&site.core, shop.caller.vendor, &shop.caller.vendor_number, flags).await?)
}

/// `%`-encodes a path segment or query value.
pub(super) fn encode(text: &str) -> String {
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

pub(super) fn cancel_title(shop: &ShopToken) -> String {
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
pub(super) fn payment_reference(order: &Transaction) -> Option<String> {
    let name = netlicensing_core::service::shop::PAYMENT_REFERENCE;
    order.custom.iter().find(|p| p.name == name).map(|p| p.value.clone())
}

pub(super) fn flags_tail(flags: Flags) -> String {
    let query = flags.query();
    if query.is_empty() { query } else { format!("&{query}") }
}

/// `GET /shop/v2/?shoptoken=…`: the hosted shop's URL shape.
pub async fn hosted_url(req: HttpRequest) -> Page {
    let form = netlicensing_model::codec::Form::parse(req.query_string());
    match form.get("shoptoken").filter(|t| !t.is_empty()) {
        Some(token) => Ok(render::see_other(&format!("/shop/{}", encode(token)))),
        None => Err(CustomerError::Token(TokenRefusal::Unknown)),
    }
}
