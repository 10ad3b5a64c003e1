//! Checkout: a priced cart becomes a `PENDING` `SHOP` transaction (one per non-permanent token, however often
//! and however concurrently it is posted); payment — or none, when the vendor has no active payment method —
//! completes it (licenses created for the licensee, auto-created for a permanent token's new customer; the
//! transaction `CLOSED`; the token used), or the customer cancels it (`CANCELLED`).

use netlicensing_model::{
    Property,
    entity::{License, Licensee, Product, Transaction},
    types::{Currency, Money, PaymentProvider, TransactionSource, TransactionStatus, WireEnum},
};

use super::{
    Buyer, Cart, Quote, ShopKind, ShopToken, TOKEN_TRANSACTION, TokenState, joined_licenses, offer, price,
    recorded::{custom, property, record_vat, recorded_buyer, recorded_cart, set_custom},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Condition, Kind, Link, Links, Query, Record},
    repo::Tx,
    service::{Core, convert::to_entity, find, numbering, stored_properties, transaction::record_auto},
};

pub use property::PAYMENT_REFERENCE;

/// A checkout: its transaction, the quote it was priced at, and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The `PENDING` (or, when found again, its current) transaction.
    pub transaction: Transaction,
    /// The price.
    pub quote: Quote,
    /// The checkout's key.
    pub key: String,
}

/// A completed checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// The `CLOSED` transaction.
    pub transaction: Transaction,
    /// The licensee the licenses went to (new for a permanent token).
    pub licensee: String,
    /// The licenses created.
    pub licenses: Vec<License>,
    /// True when it had been completed before (a repeated payment notice): nothing was created now.
    pub already: bool,
}

/// A payment that completes an order, as the provider reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment<'a> {
    /// The provider.
    pub provider: PaymentProvider,
    /// The provider's reference of the payment, which must be the one the checkout began.
    pub reference: &'a str,
    /// The amount and currency paid, when the provider says (they must be the order's).
    pub paid: Option<(Money, Currency)>,
}

/// How the vendor takes payment in the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentSetup {
    /// No payment method is active: checkout completes without payment.
    Free,
    /// Stripe (or Stripe testing) is active with its keys.
    Stripe {
        /// `STRIPE` or `STRIPE_TESTING`.
        provider: PaymentProvider,
        /// The secret API key (`stripe.secretKey`).
        secret_key: String,
        /// The webhook endpoint's signing secret (`stripe.webhookSecret`), when set.
        webhook_secret: Option<String>,
    },
    /// An active method the shop cannot take payment with (not configured, or not supported): checkout is
    /// refused rather than giving licenses away.
    Unavailable(String),
}

/// Payment method properties of Stripe (stored, never shown).
pub const STRIPE_SECRET_KEY: &str = "stripe.secretKey";
/// See [`STRIPE_SECRET_KEY`].
pub const STRIPE_WEBHOOK_SECRET: &str = "stripe.webhookSecret";

/// A checkout key: 32 to 64 hex digits, made by the shop page.
fn check_key(key: &str) -> CoreResult<()> {
    if (32..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(CoreError::Malformed("This order form is incomplete; reload the shop page".into()))
    }
}

/// Writes a transaction entity back over its record.
async fn save(tx: &mut dyn Tx, caller: &Caller, mut record: Record, transaction: &Transaction) -> CoreResult<()> {
    (record.properties, record.lists) = stored_properties(Kind::Transaction, transaction);
    record.active = transaction.active;
    tx.update(caller.vendor, Kind::Transaction, &record).await?;
    Ok(())
}

async fn transaction_of(tx: &mut dyn Tx, caller: &Caller, number: &str) -> CoreResult<(Record, Transaction)> {
    let record = find(tx, caller, Kind::Transaction, number).await?;
    let transaction: Transaction = to_entity(Kind::Transaction, &record, Vec::new())?;
    Ok((record, transaction))
}

/// The transaction of a checkout key, made from this token.
async fn by_key(tx: &mut dyn Tx, shop: &ShopToken, key: &str) -> CoreResult<Option<(Record, Transaction)>> {
    let query = Query::all(vec![Condition::Property(property::KEY.into(), key.into())]);
    let found = tx.list(shop.caller.vendor, Kind::Transaction, &query).await?;
    for record in found.records {
        let transaction: Transaction = to_entity(Kind::Transaction, &record, Vec::new())?;
        if custom(&transaction, property::TOKEN) == Some(shop.token.number.as_str()) {
            return Ok(Some((record, transaction)));
        }
    }
    Ok(None)
}

/// Marks a non-permanent token used.
async fn close_token(tx: &mut dyn Tx, caller: &Caller, token: &str) -> CoreResult<()> {
    if let Some(mut record) = tx.get(caller.vendor, Kind::Token, token).await?
        && record.active
        && record.property("licenseeNumber").is_some()
    {
        record.active = false;
        tx.update(caller.vendor, Kind::Token, &record).await?;
    }
    Ok(())
}

impl Core {
    /// How the token's vendor takes payment: the active Stripe method with its keys, none at all, or an active
    /// method the shop cannot use.
    pub async fn shop_payment(&self, caller: &Caller) -> CoreResult<PaymentSetup> {
        let mut tx = self.store().read().await?;
        let mut active = Vec::new();
        for provider in [
            PaymentProvider::Stripe,
            PaymentProvider::StripeTesting,
            PaymentProvider::Paypal,
            PaymentProvider::PaypalSandbox,
        ] {
            if let Some(record) = tx.get(caller.vendor, Kind::PaymentMethod, provider.as_str()).await?
                && record.active
            {
                active.push((provider, record));
            }
        }
        let Some((provider, record)) = active.into_iter().next() else { return Ok(PaymentSetup::Free) };
        if !matches!(provider, PaymentProvider::Stripe | PaymentProvider::StripeTesting) {
            return Ok(PaymentSetup::Unavailable(format!(
                "Payment by {} is not available on this server; the vendor has to activate Stripe or no payment method",
                provider.as_str()
            )));
        }
        match record.property(STRIPE_SECRET_KEY).filter(|k| !k.is_empty()) {
            Some(secret) => Ok(PaymentSetup::Stripe {
                provider,
                secret_key: secret.to_owned(),
                webhook_secret: record.property(STRIPE_WEBHOOK_SECRET).filter(|s| !s.is_empty()).map(str::to_owned),
            }),
            None => Ok(PaymentSetup::Unavailable(
                "The vendor's Stripe payment method has no secret key yet; payment is not possible".into(),
            )),
        }
    }

    /// Begins (or finds again) the checkout of a cart: a `PENDING` `SHOP` transaction priced on the server, with
    /// the VAT between the vendor and the buyer. A non-permanent token has one transaction, however often and
    /// concurrently this is called (a later call re-prices it while it is pending); a permanent token has one
    /// per checkout key.
    pub async fn shop_checkout(&self, shop: &ShopToken, cart: &Cart, buyer: &Buyer, key: &str) -> CoreResult<Checkout> {
        check_key(key)?;
        let caller = &shop.caller;
        let seller = self.shop_seller(shop).await?;
        let mut tx = self.store().write().await?;
        let token_record = find(tx.as_mut(), caller, Kind::Token, &shop.token.number).await?;
        tx.lock(caller.vendor, Kind::Token, token_record.id).await?;
        // Read again under the lock: a concurrent checkout may just have begun the token's order.
        let token_record = find(tx.as_mut(), caller, Kind::Token, &shop.token.number).await?;
        // The token as it is now, inside the transaction that holds its lock.
        let current =
            super::shop_token_of(caller, &token_record, self.now())?.ok_or_else(|| CoreError::not_found("token"))?;
        if current.state != TokenState::Open {
            return Err(CoreError::IllegalOperation("This shopping session has ended".into()));
        }
        let existing = match (&current.transaction, current.is_permanent()) {
            (Some(number), false) => Some(transaction_of(tx.as_mut(), caller, number).await?),
            (_, true) => by_key(tx.as_mut(), &current, key).await?,
            (None, false) => None,
        };
        if let Some((_, transaction)) = &existing
            && transaction.status != Some(TransactionStatus::Pending)
        {
            return Err(CoreError::IllegalOperation("This order is already finished".into()));
        }
        let mut offer = offer(tx.as_mut(), &current).await?;
        offer.seller = seller;
        if let Some((_, transaction)) = &existing
            && custom(transaction, property::PAYMENT_REFERENCE).is_some()
        {
            // Payment has begun for it: the order stays as it was priced (a payment of the old cart must still
            // find its order); the customer pays it or cancels.
            let cart = Cart { lines: recorded_cart(transaction) };
            let quote = price(&current, &offer, &cart, &recorded_buyer(transaction))?;
            let key = custom(transaction, property::KEY).unwrap_or(key).to_owned();
            let transaction = transaction.clone();
            drop(tx);
            return Ok(Checkout { transaction, quote, key });
        }
        let quote = price(&current, &offer, cart, buyer)?;
        if current.is_permanent() && offer.product.licensee_auto_create != Some(true) {
            return Err(CoreError::IllegalOperation(format!(
                "The product '{}' does not create customers in the shop; ask the vendor for a link of your own",
                offer.product.number
            )));
        }
        if let Some(licensee) = &offer.licensee
            && !licensee.active
        {
            return Err(CoreError::IllegalOperation(format!("The licensee '{}' is not active", licensee.number)));
        }
        let (record, mut transaction) = match existing {
            Some((record, transaction)) => (Some(record), transaction),
            None => {
                let number = numbering::unused_number(tx.as_mut(), caller.vendor, Kind::Transaction).await?;
                let transaction = Transaction {
                    number,
                    active: true,
                    status: Some(TransactionStatus::Pending),
                    source: Some(TransactionSource::Shop),
                    date_created: Some(self.now()),
                    licensee_number: current.licensee().map(str::to_owned),
                    ..Transaction::default()
                };
                (None, transaction)
            }
        };
        let key = match custom(&transaction, property::KEY) {
            Some(stored) => stored.to_owned(),
            None => key.to_owned(),
        };
        transaction.grand_total = quote.currency.map(|_| quote.due());
        transaction.discount = quote.currency.map(|_| quote.discount);
        transaction.currency = quote.currency;
        transaction.payment_method = None;
        transaction.custom.retain(|p| {
            !(p.name.starts_with(property::ITEM)
                || p.name.starts_with(property::QUANTITY)
                || p.name == property::PAYMENT_REFERENCE)
        });
        set_custom(&mut transaction, property::TOKEN, &current.token.number);
        set_custom(&mut transaction, property::KEY, &key);
        set_custom(&mut transaction, property::PRODUCT, &offer.product.number);
        record_vat(&mut transaction, &quote, buyer, &offer.seller);
        if let Some(bundle) = &offer.bundle {
            set_custom(&mut transaction, property::BUNDLE, &bundle.number);
        }
        for (n, line) in quote.lines.iter().enumerate() {
            set_custom(&mut transaction, &format!("{}{}", property::ITEM, n + 1), &line.template.number);
            set_custom(&mut transaction, &format!("{}{}", property::QUANTITY, n + 1), &line.quantity.to_string());
        }
        match record {
            Some(record) => save(tx.as_mut(), caller, record, &transaction).await?,
            None => {
                let (properties, lists) = stored_properties(Kind::Transaction, &transaction);
                let new = crate::record::NewRecord {
                    number: transaction.number.clone(),
                    active: true,
                    links: Links::default(),
                    properties,
                    lists,
                };
                tx.insert(caller.vendor, Kind::Transaction, &new).await?;
                if !current.is_permanent() {
                    let mut token_record = token_record;
                    token_record.properties.retain(|p| p.name != TOKEN_TRANSACTION);
                    token_record.properties.push(Property::new(TOKEN_TRANSACTION, transaction.number.as_str()));
                    tx.update(caller.vendor, Kind::Token, &token_record).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Checkout { transaction, quote, key })
    }

    /// Notes the payment begun for a pending checkout: the provider and its reference (a Stripe Checkout
    /// Session id), which completion by that provider must match.
    pub async fn shop_payment_begun(
        &self,
        caller: &Caller,
        transaction_number: &str,
        provider: PaymentProvider,
        reference: &str,
    ) -> CoreResult<()> {
        let mut tx = self.store().write().await?;
        let (record, mut transaction) = transaction_of(tx.as_mut(), caller, transaction_number).await?;
        tx.lock(caller.vendor, Kind::Transaction, record.id).await?;
        if transaction.status != Some(TransactionStatus::Pending) {
            return Err(CoreError::IllegalOperation("This order is already finished".into()));
        }
        match custom(&transaction, property::PAYMENT_REFERENCE) {
            Some(begun) if begun == reference => return Ok(()),
            Some(_) => {
                return Err(CoreError::IllegalOperation("Another payment has begun for this order".into()));
            }
            None => {}
        }
        transaction.payment_method = Some(provider);
        set_custom(&mut transaction, property::PAYMENT_REFERENCE, reference);
        save(tx.as_mut(), caller, record, &transaction).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The order of a checkout, with its licenses: the one its key names for this token, or without a key the
    /// one a non-permanent token began (`None`: no such checkout).
    pub async fn shop_order(
        &self,
        shop: &ShopToken,
        key: Option<&str>,
    ) -> CoreResult<Option<(Transaction, Vec<License>)>> {
        let mut tx = self.store().read().await?;
        let found = match key {
            Some(key) if check_key(key).is_ok() => by_key(tx.as_mut(), shop, key).await?,
            Some(_) => None,
            None => {
                let record = find(tx.as_mut(), &shop.caller, Kind::Token, &shop.token.number).await?;
                match (shop.is_permanent(), record.property(TOKEN_TRANSACTION)) {
                    (false, Some(number)) => Some(transaction_of(tx.as_mut(), &shop.caller, number).await?),
                    _ => None,
                }
            }
        };
        let Some((_, transaction)) = found else { return Ok(None) };
        let licenses = joined_licenses(tx.as_mut(), &shop.caller, &transaction).await?;
        Ok(Some((transaction, licenses)))
    }

    /// Forgets a payment that will not happen (its session expired at the provider), so that the order can be
    /// priced and paid again. Only the payment named is forgotten.
    pub async fn shop_payment_abandoned(
        &self,
        caller: &Caller,
        transaction_number: &str,
        reference: &str,
    ) -> CoreResult<()> {
        let mut tx = self.store().write().await?;
        let (record, _) = transaction_of(tx.as_mut(), caller, transaction_number).await?;
        tx.lock(caller.vendor, Kind::Transaction, record.id).await?;
        let (record, mut transaction) = transaction_of(tx.as_mut(), caller, transaction_number).await?;
        if transaction.status == Some(TransactionStatus::Pending)
            && custom(&transaction, property::PAYMENT_REFERENCE) == Some(reference)
        {
            transaction.custom.retain(|p| p.name != property::PAYMENT_REFERENCE);
            transaction.payment_method = None;
            save(tx.as_mut(), caller, record, &transaction).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Completes a pending shop transaction of the vendor (payment received, or none needed): creates the
    /// licenses of its cart for its licensee (a new one, for a permanent token), joins them to it, closes it
    /// with the payment method, and uses up its token. Completing a closed one again changes nothing
    /// (`already`); a cancelled one is refused. With `reference`, it must be the payment the checkout began.
    pub async fn shop_complete(
        &self,
        caller: &Caller,
        transaction_number: &str,
        payment: Option<Payment<'_>>,
    ) -> CoreResult<Completed> {
        let mut tx = self.store().write().await?;
        let (record, _) = transaction_of(tx.as_mut(), caller, transaction_number).await?;
        tx.lock(caller.vendor, Kind::Transaction, record.id).await?;
        // Read again under the lock: a concurrent completion may just have closed it.
        let (record, transaction) = transaction_of(tx.as_mut(), caller, transaction_number).await?;
        if transaction.source != Some(TransactionSource::Shop) {
            return Err(CoreError::IllegalOperation("Only shop transactions are completed by the shop".into()));
        }
        if let Some(payment) = &payment {
            if custom(&transaction, property::PAYMENT_REFERENCE) != Some(payment.reference) {
                return Err(CoreError::IllegalOperation("The payment does not belong to this order".into()));
            }
            if let Some((amount, currency)) = payment.paid
                && (transaction.grand_total.unwrap_or(Money::ZERO) != amount
                    || transaction.currency.is_some_and(|c| c != currency))
            {
                return Err(CoreError::IllegalOperation("The amount paid is not the order's total".into()));
            }
        }
        match transaction.status {
            Some(TransactionStatus::Closed) => {
                let licenses = joined_licenses(tx.as_mut(), caller, &transaction).await?;
                let licensee = transaction.licensee_number.clone().unwrap_or_default();
                return Ok(Completed { transaction, licensee, licenses, already: true });
            }
            Some(TransactionStatus::Pending) => {}
            _ => return Err(CoreError::IllegalOperation("This order was cancelled".into())),
        }
        let licensee_record = match transaction.licensee_number.clone() {
            Some(number) => find(tx.as_mut(), caller, Kind::Licensee, &number).await?,
            None => {
                let product = custom(&transaction, property::PRODUCT)
                    .ok_or_else(|| CoreError::IllegalOperation("The order names no product".into()))?
                    .to_owned();
                self.shop_customer(tx.as_mut(), caller, &product).await?
            }
        };
        tx.lock(caller.vendor, Kind::Licensee, licensee_record.id).await?;
        let templates: Vec<String> = recorded_cart(&transaction)
            .into_iter()
            .flat_map(|(template, quantity)| std::iter::repeat_n(template, quantity as usize))
            .collect();
        self.grant(tx.as_mut(), caller, &licensee_record, &templates, &transaction.number).await?;
        // The joins were added to the stored record: read it again before closing it.
        let (record, mut closed) = transaction_of(tx.as_mut(), caller, &record.number).await?;
        closed.status = Some(TransactionStatus::Closed);
        closed.date_closed = Some(self.now());
        closed.licensee_number = Some(licensee_record.number.clone());
        closed.payment_method = payment.map(|p| p.provider).or(closed.payment_method);
        save(tx.as_mut(), caller, record, &closed).await?;
        if let Some(token) = custom(&closed, property::TOKEN) {
            close_token(tx.as_mut(), caller, token).await?;
        }
        let licenses = joined_licenses(tx.as_mut(), caller, &closed).await?;
        tx.commit().await?;
        Ok(Completed { licensee: licensee_record.number.clone(), transaction: closed, licenses, already: false })
    }

    /// A new customer of a product, for a permanent token's checkout: the product must create licensees.
    async fn shop_customer(&self, tx: &mut dyn Tx, caller: &Caller, product_number: &str) -> CoreResult<Record> {
        let product_record = find(tx, caller, Kind::Product, product_number).await?;
        let product: Product = to_entity(Kind::Product, &product_record, Vec::new())?;
        if product.licensee_auto_create != Some(true) {
            return Err(CoreError::IllegalOperation(format!(
                "The product '{product_number}' does not create customers in the shop"
            )));
        }
        let number = numbering::unused_number(tx, caller.vendor, Kind::Licensee).await?;
        let licensee = Licensee {
            number: number.clone(),
            active: true,
            product_number: Some(product_number.to_owned()),
            marked_for_transfer: Some(false),
            ..Licensee::default()
        };
        let links =
            Links { product: Some(Link { id: product_record.id, number: product_record.number }), ..Links::default() };
        let (properties, lists) = stored_properties(Kind::Licensee, &licensee);
        let new = crate::record::NewRecord { number: number.clone(), active: true, links, properties, lists };
        tx.insert(caller.vendor, Kind::Licensee, &new).await?;
        record_auto(tx, caller, self.now(), TransactionSource::AutoLicenseeCreate, Some(&number), &[]).await?;
        find(tx, caller, Kind::Licensee, &number).await
    }

    /// Cancels a checkout: its pending transaction becomes `CANCELLED` and a non-permanent token is used up.
    /// Returns the transaction, if the checkout had one.
    pub async fn shop_cancel(&self, shop: &ShopToken, key: Option<&str>) -> CoreResult<Option<Transaction>> {
        let caller = &shop.caller;
        let mut tx = self.store().write().await?;
        // The token as stored now: its checkout may have begun since the caller read it.
        let record = find(tx.as_mut(), caller, Kind::Token, &shop.token.number).await?;
        let transaction = record.property(TOKEN_TRANSACTION).map(str::to_owned);
        let found = match (&shop.kind, &transaction, key) {
            (ShopKind::Permanent { .. }, _, Some(key)) if check_key(key).is_ok() => {
                by_key(tx.as_mut(), shop, key).await?
            }
            (ShopKind::Permanent { .. }, _, _) => None,
            (_, Some(number), _) => Some(transaction_of(tx.as_mut(), caller, number).await?),
            (_, None, _) => None,
        };
        let mut result = None;
        if let Some((record, _)) = found {
            tx.lock(caller.vendor, Kind::Transaction, record.id).await?;
            let (record, mut transaction) = transaction_of(tx.as_mut(), caller, &record.number).await?;
            if transaction.status == Some(TransactionStatus::Pending) {
                transaction.status = Some(TransactionStatus::Cancelled);
                transaction.date_closed = Some(self.now());
                save(tx.as_mut(), caller, record, &transaction).await?;
            }
            result = Some(transaction);
        }
        close_token(tx.as_mut(), caller, &shop.token.number).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// The caller of a vendor by number (payment notices name the vendor they are for).
    pub async fn vendor_caller(&self, vendor_number: &str) -> CoreResult<Option<Caller>> {
        Ok(self.store().vendor_by_number(vendor_number).await?.map(|v| Caller::vendor(v.id, v.number)))
    }
}
