//! The shop: what a SHOP token opens (its vendor's catalogue for its licensee, a bundle, or a permanent
//! token's predefined item), the cart priced on the server, checkout into a `SHOP` transaction and its
//! completion (licenses created, the transaction closed) or cancellation.
//!
//! The token number is the customer's only credential: every read and write here is scoped to the token's
//! vendor, and to its licensee.

pub mod cart;
mod checkout;
mod recorded;
pub mod vat;

use chrono::{DateTime, Utc};
use netlicensing_model::{
    entity::{Bundle, Discount, License, LicenseTemplate, Licensee, Product, ProductModule, Token, Transaction},
    types::{Currency, Money, TokenType, VatMode},
};

pub use cart::{Cart, Line, Quote};
pub use checkout::{
    Checkout, Completed, PAYMENT_REFERENCE, Payment, PaymentSetup, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
};
pub use recorded::property;
pub use vat::{Buyer, Seller, Treatment, Vat};

use super::{Core, convert::to_entity, find};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Condition, Kind, LinkKind, Query, Record},
    repo::Tx,
};

/// The token property naming the transaction a (non-permanent) shop token's checkout began.
pub const TOKEN_TRANSACTION: &str = "shopTransactionNumber";

/// What a SHOP token sells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShopKind {
    /// The licensee's product: the customer picks among its modules' templates.
    Licensee {
        /// The licensee the licenses go to.
        licensee: String,
    },
    /// A bundle as a whole, at the token's `bundlePrice` or else the bundle's price.
    Bundle {
        /// The licensee the licenses go to.
        licensee: String,
        /// The bundle.
        bundle: String,
        /// The token's price for it, if set.
        price: Option<Money>,
    },
    /// A permanent token's predefined item: its templates as a whole, for a new customer each time.
    Permanent {
        /// The product sold.
        product: String,
        /// The item's name (`predefinedShoppingItem`).
        item: Option<String>,
        /// The templates (`licenseTemplateNumber_1`, `_2` ..., in index order).
        templates: Vec<String>,
    },
}

/// Where a shop token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// The shop is open.
    Open,
    /// The token's expiry passed before its checkout finished.
    Expired,
    /// Its checkout finished (paid or cancelled), or the vendor deactivated it.
    Closed,
}

/// A SHOP token as the shop sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopToken {
    /// The token's vendor, as the caller of everything the shop does (full access, scoped to that vendor).
    pub caller: Caller,
    /// The token.
    pub token: Token,
    /// What it sells.
    pub kind: ShopKind,
    /// Where it stands.
    pub state: TokenState,
    /// The transaction its checkout began, if any (permanent tokens: none; each checkout has its own).
    pub transaction: Option<String>,
}

impl ShopToken {
    /// The token's licensee, when it names one.
    pub fn licensee(&self) -> Option<&str> {
        match &self.kind {
            ShopKind::Licensee { licensee } | ShopKind::Bundle { licensee, .. } => Some(licensee),
            ShopKind::Permanent { .. } => None,
        }
    }

    /// Whether the token may be used by many customers and never expires.
    pub fn is_permanent(&self) -> bool {
        matches!(self.kind, ShopKind::Permanent { .. })
    }
}

/// One template the shop offers, with what the customer already holds of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferItem {
    /// The template.
    pub template: LicenseTemplate,
    /// Its product module (name and licensing model).
    pub module: ProductModule,
    /// Licenses of this template the licensee holds (active or not).
    pub held: u64,
    /// For a bundle or predefined item: how many licenses of it the set holds (the customer cannot change it).
    pub fixed_quantity: Option<u32>,
}

/// What the shop shows for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The product sold.
    pub product: Product,
    /// The licensee, when the token names one.
    pub licensee: Option<Licensee>,
    /// The bundle, for a bundle token.
    pub bundle: Option<Bundle>,
    /// The name of a permanent token's predefined item.
    pub item_name: Option<String>,
    /// The templates offered, by module.
    pub items: Vec<OfferItem>,
    /// The product's volume discounts (they apply to picked items, not to bundles).
    pub discounts: Vec<Discount>,
    /// The currency of the offer: the first priced template's (the shop sells in one currency).
    pub currency: Option<Currency>,
    /// The licenses the licensee holds, by template number (what the portal and the shop show as owned).
    pub owned: Vec<License>,
    /// The vendor as VAT sees it.
    pub seller: Seller,
}

impl Offer {
    /// What the prices mean: the product's VAT mode (`GROSS` when it sets none).
    pub fn vat_mode(&self) -> VatMode {
        self.product.vat_mode.unwrap_or(VatMode::Gross)
    }

    /// Whether the customer buys a fixed set (bundle, predefined item) rather than picking.
    pub fn is_fixed(&self) -> bool {
        self.items.iter().any(|item| item.fixed_quantity.is_some())
    }

    /// The cart of a fixed set.
    pub fn fixed_cart(&self) -> Cart {
        Cart {
            lines: self
                .items
                .iter()
                .filter_map(|item| item.fixed_quantity.map(|q| (item.template.number.clone(), q)))
                .collect(),
        }
    }
}

impl Core {
    /// The SHOP token with that number, of whichever vendor: `None` when there is none (or it is another type
    /// of token). Expired and closed tokens are returned with their state, so that the shop can say so.
    pub async fn shop_token(&self, number: &str) -> CoreResult<Option<ShopToken>> {
        if number.is_empty() || number.len() > 64 {
            return Ok(None);
        }
        let Some((vendor, record)) = self.store().token_by_number(number).await? else { return Ok(None) };
        let caller = Caller::vendor(vendor.id, vendor.number);
        shop_token_of(&caller, &record, self.now())
    }

    /// What the shop shows for an open token: the product, its modules' active, non-hidden templates (a bundle's
    /// or predefined item's templates as a set), the discounts, and the licensee's licenses.
    pub async fn shop_offer(&self, shop: &ShopToken) -> CoreResult<Offer> {
        let seller = self.shop_seller(shop).await?;
        let mut tx = self.store().read().await?;
        let mut offer = offer(tx.as_mut(), shop).await?;
        offer.seller = seller;
        Ok(offer)
    }

    /// The token's vendor as VAT sees it (from its branding).
    async fn shop_seller(&self, shop: &ShopToken) -> CoreResult<Seller> {
        Ok(Seller::of(&self.vendor_branding(shop.caller.vendor).await?))
    }

    /// The price of a cart as the catalogue writes prices (gross or net, after discount), before the VAT
    /// that depends on the buyer: what the offer shows before the customer says where they are.
    pub fn shop_list_price(&self, shop: &ShopToken, offer: &Offer, cart: &Cart) -> CoreResult<Quote> {
        untaxed_price(shop, offer, cart)
    }

    /// Prices a cart for a token and buyer: a picked cart against the offer, a fixed set as it is, with the VAT
    /// that applies between the vendor and the buyer.
    pub fn shop_quote(&self, shop: &ShopToken, offer: &Offer, cart: &Cart, buyer: &Buyer) -> CoreResult<Quote> {
        price(shop, offer, cart, buyer)
    }
}

/// A SHOP token's view of a token record (`None`: not a SHOP token).
fn shop_token_of(caller: &Caller, record: &Record, now: DateTime<Utc>) -> CoreResult<Option<ShopToken>> {
    let token: Token = to_entity(Kind::Token, record, Vec::new())?;
    if token.token_type != Some(TokenType::Shop) {
        return Ok(None);
    }
    let kind = match (&token.licensee_number, &token.bundle_number, &token.product_number) {
        (Some(licensee), Some(bundle), _) => {
            ShopKind::Bundle { licensee: licensee.clone(), bundle: bundle.clone(), price: token.bundle_price }
        }
        (Some(licensee), None, _) => ShopKind::Licensee { licensee: licensee.clone() },
        (None, _, Some(product)) => ShopKind::Permanent {
            product: product.clone(),
            item: token.predefined_shopping_item.clone(),
            templates: indexed_templates(record),
        },
        (None, _, None) => return Ok(None),
    };
    let transaction = record.property(TOKEN_TRANSACTION).map(str::to_owned);
    let permanent = matches!(kind, ShopKind::Permanent { .. });
    let state = if !token.active {
        TokenState::Closed
    } else if !permanent && token.expiration_time.is_some_and(|t| t <= now) {
        TokenState::Expired
    } else {
        TokenState::Open
    };
    Ok(Some(ShopToken { caller: caller.clone(), token, kind, state, transaction }))
}

/// `licenseTemplateNumber_<N>` values in the order of N.
fn indexed_templates(record: &Record) -> Vec<String> {
    let mut indexed: Vec<(u64, String)> = record
        .properties
        .iter()
        .filter_map(|p| {
            let index = p.name.strip_prefix("licenseTemplateNumber_")?.parse().ok()?;
            (!p.value.is_empty()).then(|| (index, p.value.clone()))
        })
        .collect();
    indexed.sort();
    indexed.into_iter().map(|(_, number)| number).collect()
}

/// A template with its module, read within a transaction.
async fn template_with_module(
    tx: &mut dyn Tx,
    caller: &Caller,
    number: &str,
) -> CoreResult<(Record, LicenseTemplate, ProductModule)> {
    let record = find(tx, caller, Kind::LicenseTemplate, number).await?;
    let template: LicenseTemplate = to_entity(Kind::LicenseTemplate, &record, Vec::new())?;
    let module_link = record.links.product_module.as_ref().ok_or_else(|| CoreError::not_found("product module"))?;
    let module_record = tx
        .get_by_id(caller.vendor, Kind::ProductModule, module_link.id)
        .await?
        .ok_or_else(|| CoreError::not_found("product module"))?;
    let module: ProductModule = to_entity(Kind::ProductModule, &module_record, Vec::new())?;
    Ok((record, template, module))
}

/// Reads what a token offers (see [`Core::shop_offer`]).
pub(crate) async fn offer(tx: &mut dyn Tx, shop: &ShopToken) -> CoreResult<Offer> {
    let caller = &shop.caller;
    let licensee_record = match shop.licensee() {
        Some(number) => Some(find(tx, caller, Kind::Licensee, number).await?),
        None => None,
    };
    let licensee: Option<Licensee> =
        licensee_record.as_ref().map(|r| to_entity(Kind::Licensee, r, Vec::new())).transpose()?;
    let mut bundle = None;
    let mut item_name = None;
    let mut items = Vec::new();
    let product_number = match &shop.kind {
        ShopKind::Licensee { .. } => {
            licensee.as_ref().and_then(|l| l.product_number.clone()).ok_or_else(|| CoreError::not_found("product"))?
        }
        ShopKind::Bundle { bundle: number, .. } => {
            let record = find(tx, caller, Kind::Bundle, number).await?;
            let found: Bundle = to_entity(Kind::Bundle, &record, Vec::new())?;
            if !found.active {
                return Err(CoreError::IllegalOperation(format!("The bundle '{number}' is not on sale")));
            }
            let templates: Vec<String> = found.license_template_numbers.clone().into_iter().flatten().collect();
            items = fixed_items(tx, caller, &templates).await?;
            bundle = Some(found);
            licensee.as_ref().and_then(|l| l.product_number.clone()).ok_or_else(|| CoreError::not_found("product"))?
        }
        ShopKind::Permanent { product, item, templates } => {
            item_name = item.clone();
            items = fixed_items(tx, caller, templates).await?;
            product.clone()
        }
    };
    let product_record = find(tx, caller, Kind::Product, &product_number).await?;
    let product: Product = to_entity(Kind::Product, &product_record, Vec::new())?;
    if !product.active {
        return Err(CoreError::IllegalOperation(format!("The product '{product_number}' is not on sale")));
    }
    if items.iter().any(|item| item.template.product_module_number.is_none()) {
        return Err(CoreError::not_found("product module"));
    }
    if matches!(shop.kind, ShopKind::Licensee { .. }) {
        items = catalogue(tx, caller, &product_number).await?;
    }
    for item in &items {
        if item.module.product_number.as_deref() != Some(product_number.as_str()) {
            return Err(CoreError::IllegalOperation(format!(
                "The license template '{}' belongs to another product",
                item.template.number
            )));
        }
    }
    let owned = match &licensee {
        Some(licensee) => {
            let query = Query::all(vec![Condition::Link(LinkKind::Licensee, licensee.number.clone())]);
            let listing = tx.list(caller.vendor, Kind::License, &query).await?;
            listing
                .records
                .iter()
                .map(|r| to_entity::<License>(Kind::License, r, Vec::new()))
                .collect::<CoreResult<Vec<_>>>()?
        }
        None => Vec::new(),
    };
    for item in &mut items {
        item.held = owned
            .iter()
            .filter(|l| l.license_template_number.as_deref() == Some(item.template.number.as_str()))
            .count() as u64;
    }
    let currency =
        items.iter().find(|i| i.template.price.is_some_and(|p| !p.is_zero())).and_then(|i| i.template.currency);
    let currency = bundle.as_ref().and_then(|b| b.currency).or(currency);
    Ok(Offer {
        discounts: product.discounts.clone(),
        product,
        licensee,
        bundle,
        item_name,
        items,
        currency,
        owned,
        seller: Seller::default(),
    })
}

/// A fixed set's items: each template once with how often the set holds it.
async fn fixed_items(tx: &mut dyn Tx, caller: &Caller, templates: &[String]) -> CoreResult<Vec<OfferItem>> {
    if templates.is_empty() {
        return Err(CoreError::IllegalOperation("This offer holds no license templates".into()));
    }
    let mut items: Vec<OfferItem> = Vec::new();
    for number in templates {
        if let Some(item) = items.iter_mut().find(|i| &i.template.number == number) {
            item.fixed_quantity = item.fixed_quantity.map(|q| q + 1);
            continue;
        }
        let (_, template, module) = template_with_module(tx, caller, number).await?;
        if !template.active {
            return Err(CoreError::IllegalOperation(format!("The license template '{number}' is not on sale")));
        }
        items.push(OfferItem { template, module, held: 0, fixed_quantity: Some(1) });
    }
    Ok(items)
}

/// A product's active modules with their active, non-hidden templates, in creation order.
async fn catalogue(tx: &mut dyn Tx, caller: &Caller, product: &str) -> CoreResult<Vec<OfferItem>> {
    let modules = tx
        .list(caller.vendor, Kind::ProductModule, &Query::all(vec![Condition::Link(LinkKind::Product, product.into())]))
        .await?;
    let mut items = Vec::new();
    for module_record in &modules.records {
        let module: ProductModule = to_entity(Kind::ProductModule, module_record, Vec::new())?;
        if !module.active {
            continue;
        }
        let query = Query::all(vec![Condition::Link(LinkKind::ProductModule, module.number.clone())]);
        for record in tx.list(caller.vendor, Kind::LicenseTemplate, &query).await?.records {
            let mut template: LicenseTemplate = to_entity(Kind::LicenseTemplate, &record, Vec::new())?;
            if !template.active || template.hidden == Some(true) {
                continue;
            }
            template.product_module_number.get_or_insert_with(|| module.number.clone());
            template.product_module_name = module.name.clone();
            items.push(OfferItem { template, module: module.clone(), held: 0, fixed_quantity: None });
        }
    }
    Ok(items)
}

/// Prices a cart (see [`Core::shop_quote`]): a picked cart may hold only offered templates. A seller that
/// charges VAT needs the buyer's country.
fn price(shop: &ShopToken, offer: &Offer, cart: &Cart, buyer: &Buyer) -> CoreResult<Quote> {
    if offer.seller.asks_buyer() && buyer.country.is_none() {
        return Err(CoreError::Malformed("Choose your country: VAT depends on it".into()));
    }
    let treatment = vat::treatment(&offer.seller, buyer);
    Ok(untaxed_price(shop, offer, cart)?.with_vat(offer.vat_mode(), treatment))
}

/// The price of a cart before VAT.
fn untaxed_price(shop: &ShopToken, offer: &Offer, cart: &Cart) -> CoreResult<Quote> {
    if offer.is_fixed() {
        let lines = offer.items.iter().map(|item| (item.template.clone(), item.fixed_quantity.unwrap_or(1))).collect();
        let fixed = match (&shop.kind, &offer.bundle) {
            (ShopKind::Bundle { price, .. }, Some(bundle)) => {
                Some((price.or(bundle.price).unwrap_or(Money::ZERO), bundle.currency.or(offer.currency)))
            }
            _ => None,
        };
        return cart::quote(lines, &offer.discounts, fixed);
    }
    let mut lines = Vec::with_capacity(cart.lines.len());
    for (number, quantity) in &cart.lines {
        let item = offer.items.iter().find(|item| &item.template.number == number).ok_or_else(|| {
            CoreError::IllegalOperation(format!("The license template '{number}' is not offered in this shop"))
        })?;
        lines.push((item.template.clone(), *quantity));
    }
    cart::quote(lines, &offer.discounts, None)
}

/// The transaction's licenses (its joins), read in order.
pub(crate) async fn joined_licenses(
    tx: &mut dyn Tx,
    caller: &Caller,
    transaction: &Transaction,
) -> CoreResult<Vec<License>> {
    let mut licenses = Vec::new();
    for join in &transaction.license_transaction_joins {
        if let Some(record) = tx.get(caller.vendor, Kind::License, &join.license_number).await? {
            licenses.push(to_entity(Kind::License, &record, Vec::new())?);
        }
    }
    Ok(licenses)
}
