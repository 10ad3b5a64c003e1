//! The shop: tokens of each kind, server-side prices and discounts, one transaction per token however often it
//! is checked out, completion (licenses, closed transaction, token used; idempotent), cancel, and isolation.

use netlicensing_model::{
    entity::{License, Token, Transaction},
    types::{Money, PaymentProvider, TransactionStatus},
};

use super::{form, new_vendor};
use crate::{
    Core, CoreError,
    caller::Caller,
    service::shop::{Buyer, Cart, Payment, PaymentSetup, ShopKind, TokenState, Treatment},
};

const KEY_A: &str = "0123456789abcdef0123456789abcdef";
const KEY_B: &str = "fedcba9876543210fedcba9876543210";

async fn catalogue(core: &Core, vendor: &Caller) {
    core.create_product(vendor, &form("number=SP&name=Shop+Product&licenseeAutoCreate=true&discount=50;EUR;10%25"))
        .await
        .unwrap();
    core.create_product_module(vendor, &form("number=SM&productNumber=SP&name=Main&licensingModel=Subscription"))
        .await
        .unwrap();
    for (number, extra) in [
        ("ST1", "name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&price=20&currency=EUR"),
        ("ST2", "name=Year&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=YEAR&price=200&currency=EUR"),
        (
            "STH",
            "name=Hidden&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=DAY&price=1&currency=EUR&hidden=true",
        ),
    ] {
        core.create_license_template(vendor, &form(&format!("number={number}&productModuleNumber=SM&{extra}")))
            .await
            .unwrap();
    }
    core.create_licensee(vendor, &form("number=SC1&productNumber=SP")).await.unwrap();
    core.create_bundle(vendor, &form("number=SB&name=Both&price=150&currency=EUR&licenseTemplateNumbers=ST1,ST2"))
        .await
        .unwrap();
}

async fn token(core: &Core, vendor: &Caller, extra: &str) -> Token {
    core.create_token(vendor, &form(&format!("tokenType=SHOP&{extra}"))).await.unwrap()
}

/// Check: a licensee token's offer, price and discount, checkout, completion and what it leaves behind.
pub async fn shop_flows(core: &Core) {
    let vendor = new_vendor(core).await;
    let other = new_vendor(core).await;
    catalogue(core, &vendor).await;
    assert_eq!(core.shop_payment(&vendor).await.unwrap(), PaymentSetup::Free);
    let events = "protocol=WEBHOOK&endpoint=https%3A%2F%2Fexample.com%2Fpaid&events=PAYMENT_TRANSACTION_PROCESSED";
    core.create_notification(&vendor, &form(&format!("number=NS&name=Paid&{events}"))).await.unwrap();

    let created = token(core, &vendor, "licenseeNumber=SC1&successURL=https%3A%2F%2Fexample.com%2Fok").await;
    assert!(created.shop_url.as_deref().is_some_and(|u| u.ends_with(&format!("/shop/{}", created.number))));
    let shop = core.shop_token(&created.number).await.unwrap().unwrap();
    assert_eq!(shop.state, TokenState::Open);
    assert_eq!(shop.kind, ShopKind::Licensee { licensee: "SC1".into() });
    assert_eq!(shop.caller.vendor, vendor.vendor, "the token's own vendor");
    let offer = core.shop_offer(&shop).await.unwrap();
    let offered: Vec<&str> = offer.items.iter().map(|i| i.template.number.as_str()).collect();
    assert_eq!(offered, ["ST1", "ST2"], "active, non-hidden templates only");
    assert!(!offer.is_fixed());

    let cart = Cart::from_form(&form("quantity.ST1=3")).unwrap();
    let quote = core.shop_quote(&shop, &offer, &cart, &Buyer::default()).unwrap();
    assert_eq!((quote.subtotal, quote.discount, quote.total), (money("60"), money("6"), money("54")));
    let hidden = Cart::from_form(&form("quantity.STH=1")).unwrap();
    assert!(matches!(core.shop_quote(&shop, &offer, &hidden, &Buyer::default()), Err(CoreError::IllegalOperation(_))));
    assert!(matches!(core.shop_checkout(&shop, &cart, &Buyer::default(), "short").await, Err(CoreError::Malformed(_))));

    // However often the token is checked out, it has one transaction (a later checkout re-prices it).
    let first = core
        .shop_checkout(&shop, &Cart::from_form(&form("quantity.ST2=1")).unwrap(), &Buyer::default(), KEY_A)
        .await
        .unwrap();
    let shop = core.shop_token(&created.number).await.unwrap().unwrap();
    let again = core.shop_checkout(&shop, &cart, &Buyer::default(), KEY_B).await.unwrap();
    assert_eq!(first.transaction.number, again.transaction.number);
    assert_eq!(again.key, KEY_A, "the checkout keeps its first key");
    assert_eq!(again.transaction.grand_total, Some(money("54")));
    assert_eq!(again.transaction.status, Some(TransactionStatus::Pending));
    let pending: Transaction = core.get(&vendor, &again.transaction.number).await.unwrap();
    assert_eq!(pending.discount, Some(money("6")));
    assert!(matches!(core.get::<Transaction>(&other, &pending.number).await, Err(CoreError::NotFound(_))));

    // Payment begun, then completion: only with the payment's own reference.
    core.shop_payment_begun(&vendor, &pending.number, PaymentProvider::StripeTesting, "cs_1").await.unwrap();
    let wrong = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_2", None))).await;
    assert!(matches!(wrong, Err(CoreError::IllegalOperation(_))));
    let short = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_1", Some("5.40")))).await;
    assert!(matches!(short, Err(CoreError::IllegalOperation(_))), "the amount paid must be the total");
    core.shop_payment_begun(&vendor, &pending.number, PaymentProvider::StripeTesting, "cs_1").await.unwrap();
    let other_payment = core.shop_payment_begun(&vendor, &pending.number, PaymentProvider::StripeTesting, "cs_9");
    assert!(other_payment.await.is_err(), "one payment per order");
    let shop_now = core.shop_token(&created.number).await.unwrap().unwrap();
    let repriced = core
        .shop_checkout(&shop_now, &Cart::from_form(&form("quantity.ST2=1")).unwrap(), &Buyer::default(), KEY_B)
        .await;
    assert_eq!(repriced.unwrap().quote.total, money("54"), "once payment began, the order keeps its price");
    core.shop_payment_abandoned(&vendor, &pending.number, "cs_9").await.unwrap();
    let kept: Transaction = core.get(&vendor, &pending.number).await.unwrap();
    assert!(kept.custom.iter().any(|p| p.value == "cs_1"), "only the payment named is forgotten");
    assert!(core.shop_complete(&other, &pending.number, None).await.is_err(), "another vendor's transaction");
    let done = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_1", Some("54")))).await.unwrap();
    assert!(!done.already);
    assert_eq!(done.licenses.len(), 3);
    assert_eq!(done.licensee, "SC1");
    assert_eq!(done.transaction.status, Some(TransactionStatus::Closed));
    assert_eq!(done.transaction.payment_method, Some(PaymentProvider::StripeTesting));
    let repeat = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_1", Some("54")))).await.unwrap();
    assert!(repeat.already, "a repeated payment notice creates nothing");
    let raised = core.notification_deliveries(&vendor, "NS").await.unwrap();
    assert_eq!(raised.len(), 1, "checkout (PENDING) raises nothing; payment raises PAYMENT_TRANSACTION_PROCESSED once");
    assert_eq!(raised[0].event, "PAYMENT_TRANSACTION_PROCESSED");
    assert_eq!(repeat.licenses.len(), 3);
    let licenses = core.list::<License>(&vendor, Some("licenseeNumber=SC1"), &[]).await.unwrap();
    assert_eq!(licenses.items.len(), 3);
    let closed: Transaction = core.get(&vendor, &pending.number).await.unwrap();
    assert_eq!(closed.license_transaction_joins.len(), 3);
    let shop = core.shop_token(&created.number).await.unwrap().unwrap();
    assert_eq!(shop.state, TokenState::Closed, "a token is used up by its checkout");
    assert!(core.shop_checkout(&shop, &cart, &Buyer::default(), KEY_A).await.is_err());
    let (order, order_licenses) = core.shop_order(&shop, Some(KEY_A)).await.unwrap().unwrap();
    assert_eq!((order.number, order_licenses.len()), (pending.number.clone(), 3));
    assert!(core.shop_order(&shop, Some(KEY_B)).await.unwrap().is_none(), "only the checkout's own key");
    assert_eq!(core.shop_order(&shop, None).await.unwrap().unwrap().0.number, pending.number, "the token's own");
    let offer_after = core.shop_offer(&shop).await.unwrap();
    assert_eq!(offer_after.items[0].held, 3, "the shop shows what the customer holds");

    // A bundle token sells the bundle as a whole, at the token's price.
    let bundle = token(core, &vendor, "licenseeNumber=SC1&bundleNumber=SB&bundlePrice=120").await;
    let shop = core.shop_token(&bundle.number).await.unwrap().unwrap();
    let offer = core.shop_offer(&shop).await.unwrap();
    assert!(offer.is_fixed());
    let quote = core.shop_quote(&shop, &offer, &offer.fixed_cart(), &Buyer::default()).unwrap();
    assert_eq!((quote.total, quote.discount), (money("120"), Money::ZERO));
    let checkout = core.shop_checkout(&shop, &offer.fixed_cart(), &Buyer::default(), KEY_A).await.unwrap();
    let done = core.shop_complete(&vendor, &checkout.transaction.number, None).await.unwrap();
    assert_eq!(done.licenses.len(), 2);

    // A permanent token: each checkout is a new customer; the same key finds the same checkout.
    let permanent = token(
        core,
        &vendor,
        "productNumber=SP&predefinedShoppingItem=Starter&licenseTemplateNumber_2=ST2&licenseTemplateNumber_1=ST1",
    )
    .await;
    assert!(permanent.expiration_time.is_none(), "permanent tokens do not expire");
    let shop = core.shop_token(&permanent.number).await.unwrap().unwrap();
    assert!(matches!(&shop.kind, ShopKind::Permanent { templates, .. } if templates == &["ST1", "ST2"]));
    let offer = core.shop_offer(&shop).await.unwrap();
    assert_eq!(offer.item_name.as_deref(), Some("Starter"));
    let quote = core.shop_quote(&shop, &offer, &offer.fixed_cart(), &Buyer::default()).unwrap();
    assert_eq!(quote.total, money("198"), "220 less 10 %");
    let a = core.shop_checkout(&shop, &offer.fixed_cart(), &Buyer::default(), KEY_A).await.unwrap();
    let a_again = core.shop_checkout(&shop, &offer.fixed_cart(), &Buyer::default(), KEY_A).await.unwrap();
    let b = core.shop_checkout(&shop, &offer.fixed_cart(), &Buyer::default(), KEY_B).await.unwrap();
    assert_eq!(a.transaction.number, a_again.transaction.number);
    assert_ne!(a.transaction.number, b.transaction.number);
    let done = core.shop_complete(&vendor, &a.transaction.number, None).await.unwrap();
    assert_ne!(done.licensee, "SC1", "a new customer");
    assert_eq!(done.licenses.len(), 2);
    let shop = core.shop_token(&permanent.number).await.unwrap().unwrap();
    assert_eq!(shop.state, TokenState::Open, "a permanent token stays open");
    let cancelled = core.shop_cancel(&shop, Some(KEY_B)).await.unwrap().unwrap();
    assert_eq!(cancelled.status, Some(TransactionStatus::Cancelled));
    assert!(core.shop_complete(&vendor, &b.transaction.number, None).await.is_err(), "a cancelled order");

    // A cancelled licensee token is used up; other vendors' tokens are not theirs.
    let cancel = token(core, &vendor, "licenseeNumber=SC1").await;
    let shop = core.shop_token(&cancel.number).await.unwrap().unwrap();
    let checkout = core.shop_checkout(&shop, &cart, &Buyer::default(), KEY_A).await.unwrap();
    core.shop_cancel(&shop, None).await.unwrap();
    let cancelled: Transaction = core.get(&vendor, &checkout.transaction.number).await.unwrap();
    assert_eq!(cancelled.status, Some(TransactionStatus::Cancelled));
    assert_eq!(core.shop_token(&cancel.number).await.unwrap().unwrap().state, TokenState::Closed);
    assert!(core.shop_token("no-such-token").await.unwrap().is_none());
    let api_key = core.create_token(&vendor, &form("tokenType=APIKEY")).await.unwrap();
    assert!(core.shop_token(&api_key.number).await.unwrap().is_none(), "only SHOP tokens open the shop");

    // Payment methods: Stripe needs its secret key, which is never shown; PayPal is refused, not given away.
    core.update_payment_method(&vendor, "STRIPE_TESTING", &form("active=true")).await.unwrap();
    assert!(matches!(core.shop_payment(&vendor).await.unwrap(), PaymentSetup::Unavailable(_)));
    let method = core
        .update_payment_method(
            &vendor,
            "STRIPE_TESTING",
            &form("stripe.secretKey=sk_test_1&stripe.webhookSecret=whsec_1"),
        )
        .await
        .unwrap();
    assert!(method.custom.iter().all(|p| !p.name.starts_with("stripe.")), "secrets are never shown");
    let setup = core.shop_payment(&vendor).await.unwrap();
    assert_eq!(
        setup,
        PaymentSetup::Stripe {
            provider: PaymentProvider::StripeTesting,
            secret_key: "sk_test_1".into(),
            webhook_secret: Some("whsec_1".into())
        }
    );
    core.update_payment_method(&vendor, "STRIPE_TESTING", &form("active=true")).await.unwrap();
    assert!(matches!(core.shop_payment(&vendor).await.unwrap(), PaymentSetup::Stripe { .. }), "kept on update");
    core.update_payment_method(&vendor, "STRIPE_TESTING", &form("active=false")).await.unwrap();
    core.update_payment_method(&vendor, "PAYPAL", &form("active=true")).await.unwrap();
    assert!(matches!(core.shop_payment(&vendor).await.unwrap(), PaymentSetup::Unavailable(_)));
    assert_eq!(core.shop_payment(&other).await.unwrap(), PaymentSetup::Free, "each vendor its own");
}

/// Check: EU VAT. A COMPANY vendor's shop needs the buyer's country; a NET product gets the buyer's country's
/// VAT on top, a business in another EU country pays net (reverse charge); the transaction records it all and
/// payment must be the total with VAT.
pub async fn shop_vat(core: &Core) {
    let vendor = new_vendor(core).await;
    catalogue(core, &vendor).await;
    let refused = core.update_branding(&vendor, &form("vendorType=COMPANY")).await;
    assert!(matches!(refused, Err(CoreError::Malformed(_))), "a company names its country");
    core.update_branding(&vendor, &form("vendorType=COMPANY&countryCode=DE&vatId=DE123456789")).await.unwrap();
    let created = token(core, &vendor, "licenseeNumber=SC1").await;
    let shop = core.shop_token(&created.number).await.unwrap().unwrap();
    let offer = core.shop_offer(&shop).await.unwrap();
    assert!(offer.seller.company && offer.seller.asks_buyer());
    let cart = Cart::from_form(&form("quantity.ST1=3")).unwrap();
    let nobody = core.shop_quote(&shop, &offer, &cart, &Buyer::default());
    assert!(matches!(nobody, Err(CoreError::Malformed(_))), "the country is needed");
    let buyer = |text: &str| Buyer::from_form(&form(text), &offer.seller).unwrap();

    // GROSS (the default): the price includes the French VAT; the customer pays what was shown.
    let gross = core.shop_quote(&shop, &offer, &cart, &buyer("countryCode=FR")).unwrap();
    assert_eq!((gross.total, gross.vat.amount, gross.due()), (money("54"), money("9"), money("54")));
    // NET: 20 % on top for a French consumer; a reverse charge for an Italian business; none for the US.
    core.update_product(&vendor, "SP", &form("vatMode=NET")).await.unwrap();
    let offer = core.shop_offer(&shop).await.unwrap();
    let fr = core.shop_quote(&shop, &offer, &cart, &buyer("countryCode=FR")).unwrap();
    assert_eq!((fr.vat.amount, fr.due()), (money("10.80"), money("64.80")));
    let it = buyer("countryCode=IT&company=Rossi+Srl&vatId=IT12345678901");
    let rc = core.shop_quote(&shop, &offer, &cart, &it).unwrap();
    assert!(rc.vat.is_reverse_charge());
    assert_eq!(rc.due(), money("54"));
    let us = core.shop_quote(&shop, &offer, &cart, &buyer("countryCode=US")).unwrap();
    assert_eq!((us.vat.amount, us.due()), (Money::ZERO, money("54")));

    // The transaction records the buyer and the VAT; the payment must be the total with VAT.
    let checkout = core.shop_checkout(&shop, &cart, &buyer("countryCode=FR"), KEY_A).await.unwrap();
    let pending: Transaction = core.get(&vendor, &checkout.transaction.number).await.unwrap();
    assert_eq!(pending.grand_total, Some(money("64.80")));
    let property = |name: &str| pending.custom.iter().find(|p| p.name == name).map(|p| p.value.clone());
    for (name, value) in [
        ("countryCode", "FR"),
        ("vendorCountryCode", "DE"),
        ("vatMode", "NET"),
        ("vatPercent", "20"),
        ("vatAmount", "10.80"),
        ("totalExcludingVat", "54.00"),
        ("subTotal", "60.00"),
        ("isSubjectToVat", "true"),
        ("isReverseCharge", "false"),
    ] {
        assert_eq!(property(name).as_deref(), Some(value), "{name}");
    }
    // Re-priced for a business: the old VAT properties go.
    let again = core.shop_checkout(&shop, &cart, &it, KEY_A).await.unwrap();
    assert_eq!(again.transaction.grand_total, Some(money("54")));
    let repriced: Transaction = core.get(&vendor, &again.transaction.number).await.unwrap();
    let names: Vec<&str> = repriced.custom.iter().map(|p| p.name.as_str()).collect();
    assert!(!names.contains(&"vatPercent") && names.contains(&"shopVatId"), "{names:?}");
    core.shop_payment_begun(&vendor, &pending.number, PaymentProvider::StripeTesting, "cs_v").await.unwrap();
    // Once payment began, the order keeps its buyer and price, whatever a new form says.
    let kept = core.shop_checkout(&shop, &cart, &buyer("countryCode=FR"), KEY_A).await.unwrap();
    assert_eq!(kept.quote.due(), money("54"));
    let short = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_v", Some("64.80")))).await;
    assert!(short.is_err(), "the amount paid must be the order's");
    let done = core.shop_complete(&vendor, &pending.number, Some(stripe("cs_v", Some("54")))).await.unwrap();
    assert_eq!(done.licenses.len(), 3);

    // A private vendor (the default) asks nothing and charges no VAT.
    core.update_branding(&vendor, &form("vendorType=PRIVATE")).await.unwrap();
    let offer = core.shop_offer(&shop).await.unwrap();
    assert!(!offer.seller.company && !offer.seller.asks_buyer());
    let free = core.shop_quote(&shop, &offer, &cart, &Buyer::from_form(&form(""), &offer.seller).unwrap()).unwrap();
    assert_eq!((free.vat.treatment.clone(), free.due()), (Treatment::NotApplicable, money("54")));
}

fn stripe<'a>(reference: &'a str, paid: Option<&str>) -> Payment<'a> {
    Payment {
        provider: PaymentProvider::StripeTesting,
        reference,
        paid: paid.map(|amount| (money(amount), netlicensing_model::types::Currency::Eur)),
    }
}

fn money(text: &str) -> Money {
    Money::new(text.parse().unwrap())
}
