//! The shop over HTTP: every token kind from link to licenses, the prices and discount computed on the server,
//! payment through a local fake of Stripe (signed webhooks, replay, return before the webhook, abandon, cancel),
//! the token rules (expired, used, unknown), CSRF, vendor isolation, and 50 concurrent checkouts of one token.
//! (`browser.rs` drives the same flow in a real Chromium.)

mod browser;
mod fake_stripe;

use netlicensing_model::Format;

use crate::{
    common::{Api, Backend, TestServer},
    console::{Page, Web, csrf_of},
};
use fake_stripe::FakeStripe;

/// A server whose shop pays through the fake, with the demo vendor's catalogue: product SP (10 % off from 50
/// EUR, creates licensees), module SM (Subscription), templates ST1 (a month, 20 EUR), ST2 (a year, 200 EUR),
/// STH (hidden), customer SC1, bundle SB (both, 150 EUR).
pub async fn shop_server(backend: Backend) -> (TestServer, FakeStripe) {
    let fake = FakeStripe::start();
    let serving = netlicensing_server::Serving {
        workers: 2,
        stripe_api: fake.base.clone(),
        ..netlicensing_server::Serving::default()
    };
    let server = TestServer::start_with(backend, serving).await;
    fake.state.lock().unwrap().webhook_base = format!("{}/shop/stripe", server.base);
    let api = Api::demo(&server, Format::Xml);
    for (path, form) in [
        ("product", "number=SP&name=Shop+Product&licenseeAutoCreate=true&discount=50;EUR;10%25"),
        ("productmodule", "number=SM&productNumber=SP&name=Main&licensingModel=Subscription"),
        (
            "licensetemplate",
            "number=ST1&productModuleNumber=SM&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&price=20&currency=EUR",
        ),
        (
            "licensetemplate",
            "number=ST2&productModuleNumber=SM&name=Year&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=YEAR&price=200&currency=EUR",
        ),
        (
            "licensetemplate",
            "number=STH&productModuleNumber=SM&name=Hidden&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=DAY&price=1&currency=EUR&hidden=true",
        ),
        ("licensee", "number=SC1&productNumber=SP"),
        ("bundle", "number=SB&name=Both&price=150&currency=EUR&licenseTemplateNumbers=ST1,ST2"),
    ] {
        let answer = api.post(path, form).await;
        assert_eq!(answer.status, 200, "{path}: {:?}", answer.doc);
    }
    (server, fake)
}

/// Activates Stripe (testing) for the demo vendor with the fake's keys.
pub async fn activate_stripe(server: &TestServer) {
    let api = Api::demo(server, Format::Xml);
    let form = format!(
        "active=true&stripe.secretKey={}&stripe.webhookSecret={}",
        fake_stripe::SECRET_KEY,
        fake_stripe::WEBHOOK_SECRET
    );
    let answer = api.post("paymentmethod/STRIPE_TESTING", &form).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    assert!(answer.doc.items()[0].property("stripe.secretKey").is_none(), "the secret is never shown");
}

/// A SHOP token of the demo vendor; returns its number and shop path.
pub async fn shop_token(server: &TestServer, extra: &str) -> (String, String) {
    let answer = Api::demo(server, Format::Xml).post("token", &format!("tokenType=SHOP&{extra}")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    let url = answer.property("shopURL").unwrap().to_owned();
    let number = answer.property("number").unwrap().to_owned();
    assert_eq!(url, format!("{}/shop/{number}", server.base), "the shop is on this server");
    let path = format!("/shop/{number}");
    (number, path)
}

/// The value of a hidden field.
fn field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no field {name} in {body}")) + marker.len();
    body[at..].chars().take_while(|c| *c != '"').collect()
}

/// Opens a shop page and takes its CSRF token and checkout key.
async fn open(web: &mut Web, path: &str) -> (Page, String) {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    web.csrf = csrf_of(&page.body).expect("a form with a token");
    let key = field(&page.body, "checkout");
    (page, key)
}

/// Pays a session on the fake Stripe's payment page, as the customer's browser would; the answer is the
/// redirect back to the shop.
async fn pay_at_fake_stripe(fake: &FakeStripe, session: &str) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    client.post(format!("{}/pay/{session}", fake.base)).send().await.unwrap()
}

/// A licensee's licenses (their numbers).
async fn licenses_of(server: &TestServer, licensee: &str) -> Vec<String> {
    let answer = Api::demo(server, Format::Xml).get(&format!("license?licenseeNumber={licensee}")).await;
    assert_eq!(answer.status, 200);
    answer.doc.items().iter().filter_map(|i| i.property("number").map(str::to_owned)).collect()
}

/// The transactions of the demo vendor with a source.
async fn transactions(server: &TestServer, source: &str) -> Vec<netlicensing_model::Item> {
    let answer = Api::demo(server, Format::Xml).get("transaction").await;
    answer.doc.items().iter().filter(|i| i.property("source") == Some(source)).cloned().collect()
}

/// Whether a validation of the licensee says the module is valid.
pub async fn validates(server: &TestServer, licensee: &str) -> bool {
    let answer = Api::demo(server, Format::Xml).post(&format!("licensee/{licensee}/validate"), "").await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    answer
        .doc
        .items()
        .iter()
        .any(|i| i.property("productModuleNumber") == Some("SM") && i.property("valid") == Some("true"))
}

#[tokio::test]
async fn without_a_payment_method_checkout_gives_the_licenses_at_once() {
    for backend in Backend::available() {
        let (server, fake) = shop_server(backend).await;
        let (_, path) = shop_token(
            &server,
            "licenseeNumber=SC1&successURL=https%3A%2F%2Fvendor.example%2Fok&successURLTitle=Back+to+Vendor",
        )
        .await;
        let mut web = Web::new(&server);
        let (page, key) = open(&mut web, &path).await;
        assert!(page.body.contains("Month") && page.body.contains("Year"), "{}", page.body);
        assert!(!page.body.contains("Hidden"), "hidden templates are not offered");
        assert!(page.body.contains("10 % off orders from 50.00 EUR"), "{}", page.body);
        let csp = page.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'none'"));

        let review = web.post(&format!("{path}/review"), &[("quantity.ST1", "3"), ("checkout", &key)]).await;
        assert_eq!(review.status, 200, "{}", review.body);
        assert!(review.body.contains("60.00 EUR") && review.body.contains("6.00 EUR"), "{}", review.body);
        assert!(review.body.contains("54.00 EUR"), "10 % off 60: {}", review.body);
        // The browser sends quantities only; a price field is ignored.
        let checkout = web
            .post(&format!("{path}/checkout"), &[("quantity.ST1", "3"), ("checkout", &key), ("total", "0.01")])
            .await;
        assert_eq!(checkout.status, 303, "{}", checkout.body);
        let done_path = checkout.location.unwrap();
        assert!(done_path.starts_with(&format!("{path}/done")), "{done_path}");
        let done = web.get(&done_path).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.body.contains("Thank you") && done.body.contains("Back to Vendor"), "{}", done.body);
        assert_eq!(licenses_of(&server, "SC1").await.len(), 3);
        assert!(validates(&server, "SC1").await, "the bought licenses validate");
        let shop = transactions(&server, "SHOP").await;
        assert_eq!(shop.len(), 1);
        assert_eq!(shop[0].property("status"), Some("CLOSED"));
        assert_eq!(shop[0].property("grandTotal"), Some("54.00"));
        assert!(fake.sessions().is_empty(), "no payment step");

        // The token is used up: its link now shows the order; a new checkout is refused with a page, not a 500.
        let again = web.get(&path).await;
        assert_eq!(again.status, 303);
        let refused = web.post(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("checkout", &key)]).await;
        assert_eq!(refused.status, 410, "{}", refused.body);
        server.stop().await;
    }
}

#[tokio::test]
async fn stripe_payment_completes_by_signed_webhook_once() {
    for backend in Backend::available() {
        let (server, fake) = shop_server(backend).await;
        activate_stripe(&server).await;
        let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
        let mut web = Web::new(&server);
        let (_, key) = open(&mut web, &path).await;
        let checkout = web.post(&format!("{path}/checkout"), &[("quantity.ST2", "1"), ("checkout", &key)]).await;
        assert_eq!(checkout.status, 303, "{}", checkout.body);
        let pay_url = checkout.location.unwrap();
        assert!(pay_url.starts_with(&fake.base), "to Stripe: {pay_url}");
        let sessions = fake.sessions();
        assert_eq!(sessions.len(), 1);
        assert_eq!((sessions[0].amount, sessions[0].currency.as_str()), (18000, "eur"), "200 less 10 %");
        let pending = transactions(&server, "SHOP").await;
        assert_eq!(pending[0].property("status"), Some("PENDING"));
        assert!(licenses_of(&server, "SC1").await.is_empty(), "nothing before payment");

        // A forged or stale event changes nothing.
        let url = format!("{}/shop/stripe/VDEMO/webhook", server.base);
        let body = serde_json::json!({"id": "evt_x", "type": "checkout.session.completed", "data": {"object": {
            "id": sessions[0].id, "payment_status": "paid", "amount_total": 18000, "currency": "eur",
            "metadata": {"transaction": pending[0].property("number").unwrap(), "vendor": "VDEMO"}}}})
        .to_string();
        let now = chrono::Utc::now().timestamp();
        let forged = fake_stripe::signature("whsec_wrong", now, &body);
        assert_eq!(fake_stripe::post_event(&url, &body, &forged).await, 400);
        let stale = fake_stripe::signature(fake_stripe::WEBHOOK_SECRET, now - 3600, &body);
        assert_eq!(fake_stripe::post_event(&url, &body, &stale).await, 400);
        assert_eq!(fake_stripe::post_event(&url, &body, "").await, 400);
        assert!(licenses_of(&server, "SC1").await.is_empty());

        // The customer pays; Stripe's signed event completes the order; Stripe sends the customer back.
        let paid = pay_at_fake_stripe(&fake, &sessions[0].id).await;
        assert_eq!(paid.status().as_u16(), 303);
        let back = paid.headers().get("location").unwrap().to_str().unwrap().to_owned();
        assert!(back.starts_with(&format!("{}{path}/paid", server.base)), "{back}");
        assert_eq!(licenses_of(&server, "SC1").await.len(), 1);
        let closed = transactions(&server, "SHOP").await;
        assert_eq!(closed[0].property("status"), Some("CLOSED"));
        assert_eq!(closed[0].property("paymentMethod"), Some("STRIPE_TESTING"));

        // Stripe delivers at least once: the same event again creates nothing.
        let (body, header) = fake.state.lock().unwrap().last_event.clone().unwrap();
        assert_eq!(fake_stripe::post_event(&url, &body, &header).await, 200);
        assert_eq!(licenses_of(&server, "SC1").await.len(), 1);

        let returned = web.get(back.strip_prefix(&server.base).unwrap()).await;
        assert_eq!(returned.status, 303);
        let done = web.get(&returned.location.unwrap()).await;
        assert!(done.body.contains("Thank you"), "{}", done.body);
        assert!(validates(&server, "SC1").await);
        server.stop().await;
    }
}

#[tokio::test]
async fn the_return_from_stripe_confirms_a_payment_whose_webhook_is_late() {
    let (server, fake) = shop_server(Backend::Sqlite).await;
    activate_stripe(&server).await;
    fake.state.lock().unwrap().hold_webhooks = true;
    let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
    let mut web = Web::new(&server);
    let (_, key) = open(&mut web, &path).await;
    let checkout = web.post(&format!("{path}/checkout"), &[("quantity.ST1", "2"), ("checkout", &key)]).await;
    let session = fake.sessions()[0].id.clone();
    assert!(checkout.location.unwrap().ends_with(&session));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let paid = http.post(format!("{}/pay/{session}", fake.base)).send().await.unwrap();
    let back = paid.headers().get("location").unwrap().to_str().unwrap().to_owned();
    assert!(licenses_of(&server, "SC1").await.is_empty(), "no webhook yet");
    let returned = web.get(back.strip_prefix(&server.base).unwrap()).await;
    assert_eq!(returned.status, 303);
    assert_eq!(licenses_of(&server, "SC1").await.len(), 2, "confirmed with Stripe on return");
    // The late webhook then changes nothing.
    assert_eq!(fake.send_completed(&session).await, 200);
    assert_eq!(licenses_of(&server, "SC1").await.len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn leaving_stripe_and_cancelling_returns_to_the_vendor() {
    let (server, fake) = shop_server(Backend::Sqlite).await;
    activate_stripe(&server).await;
    let (_, path) = shop_token(&server, "licenseeNumber=SC1&cancelURL=https%3A%2F%2Fvendor.example%2Fcancel").await;
    let mut web = Web::new(&server);
    let (_, key) = open(&mut web, &path).await;
    web.post(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("checkout", &key)]).await;
    let first = fake.sessions()[0].clone();
    // Back from Stripe: the session is expired there, so the order can change and be paid anew.
    let back = web.get(first.cancel_url.strip_prefix(&server.base).unwrap()).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(fake.sessions()[0].status, "expired");
    web.csrf = csrf_of(&back.body).unwrap();
    let again = web.post(&format!("{path}/checkout"), &[("quantity.ST2", "1"), ("checkout", &key)]).await;
    assert_eq!(again.status, 303);
    let sessions = fake.sessions();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1].amount, 18000, "the changed order");
    assert_eq!(transactions(&server, "SHOP").await.len(), 1, "still one order");
    let cancelled = web.post(&format!("{path}/cancel"), &[("checkout", &key)]).await;
    assert_eq!(cancelled.status, 200);
    assert!(cancelled.body.contains("href=\"https://vendor.example/cancel\""), "{}", cancelled.body);
    assert_eq!(transactions(&server, "SHOP").await[0].property("status"), Some("CANCELLED"));
    assert_eq!(fake.sessions()[1].status, "expired", "its payment can no longer be made");
    let used = web.get(&path).await;
    assert_eq!(used.status, 303, "a cancelled token is used up: its link shows the order");
    let order = web.get(&used.location.unwrap()).await;
    assert!(order.body.contains("Order cancelled"), "{}", order.body);
    let refused = web.post(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("checkout", &key)]).await;
    assert_eq!(refused.status, 410);
    server.stop().await;
}

#[tokio::test]
async fn bundle_and_permanent_tokens_sell_their_sets() {
    let (server, _fake) = shop_server(Backend::Sqlite).await;
    let (_, path) = shop_token(&server, "licenseeNumber=SC1&bundleNumber=SB&bundlePrice=120").await;
    let mut web = Web::new(&server);
    let (page, key) = open(&mut web, &path).await;
    assert!(page.body.contains("Both") && page.body.contains("120.00 EUR"), "{}", page.body);
    let review = web.post(&format!("{path}/review"), &[("checkout", &key), ("quantity.ST1", "50")]).await;
    assert!(review.body.contains("120.00 EUR") && !review.body.contains("Discount"), "{}", review.body);
    let checkout = web.post(&format!("{path}/checkout"), &[("checkout", &key), ("quantity.ST1", "50")]).await;
    assert_eq!(checkout.status, 303, "{}", checkout.body);
    assert_eq!(licenses_of(&server, "SC1").await.len(), 2, "the bundle's set, not the posted quantity");

    let (_, path) = shop_token(
        &server,
        "productNumber=SP&predefinedShoppingItem=Starter+plan&licenseTemplateNumber_1=ST1&licenseTemplateNumber_2=ST1",
    )
    .await;
    for _ in 0..2 {
        let mut web = Web::new(&server);
        let (page, key) = open(&mut web, &path).await;
        assert!(page.body.contains("Starter plan") && page.body.contains("40.00 EUR"), "{}", page.body);
        let checkout = web.post(&format!("{path}/checkout"), &[("checkout", &key)]).await;
        let done = web.get(&checkout.location.unwrap()).await;
        let at = done.body.find("id=\"customer-number\">").unwrap() + "id=\"customer-number\">".len();
        let customer: String = done.body[at..].chars().take_while(|c| *c != '<').collect();
        assert_ne!(customer, "SC1");
        assert_eq!(licenses_of(&server, &customer).await.len(), 2);
        assert!(validates(&server, &customer).await);
    }
    assert_eq!(web.get(&path).await.status, 200, "a permanent token stays open");
    server.stop().await;
}

#[tokio::test]
async fn token_rules_csrf_and_isolation() {
    let (server, _fake) = shop_server(Backend::Sqlite).await;
    let web = Web::new(&server);
    let unknown = web.get("/shop/no-such-token").await;
    assert_eq!(unknown.status, 404);
    assert!(!unknown.body.contains("panicked") && unknown.body.contains("<html"), "a page");
    let (_, expired) = shop_token(&server, "licenseeNumber=SC1&expirationTime=2020-01-01T00:00:00Z").await;
    assert_eq!(web.get(&expired).await.status, 410);
    let legacy = web.get("/shop/v2/?shoptoken=abc").await;
    assert_eq!(legacy.location.as_deref(), Some("/shop/abc"));
    let api_key = Api::demo(&server, Format::Xml).post("token", "tokenType=APIKEY").await;
    let key = api_key.property("number").unwrap();
    assert_eq!(web.get(&format!("/shop/{key}")).await.status, 404, "an API key opens no shop");

    let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
    let mut web = Web::new(&server);
    let (_, key) = open(&mut web, &path).await;
    let forged = web.post_raw(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("checkout", &key)]).await;
    assert_eq!(forged.status, 403, "no CSRF field");
    let stranger = Web::new(&server);
    let no_cookie = stranger
        .post_raw(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("csrf", &web.csrf), ("checkout", &key)])
        .await;
    assert_eq!(no_cookie.status, 403, "the field without the cookie");
    // Another vendor's template is not in this shop.
    let other = Api::login(&server, Format::Xml, "other", "other");
    other.post("product", "number=OP&name=O").await;
    other.post("productmodule", "number=OM&productNumber=OP&name=O&licensingModel=Subscription").await;
    other
        .post("licensetemplate", "number=OT&productModuleNumber=OM&name=O&licenseType=FEATURE&price=1&currency=EUR")
        .await;
    let foreign = web.post(&format!("{path}/review"), &[("quantity.OT", "1"), ("checkout", &key)]).await;
    assert_eq!(foreign.status, 400, "{}", foreign.body);
    let huge =
        web.post(&format!("{path}/review"), &[("quantity.ST1", "99999999999999999999"), ("checkout", &key)]).await;
    assert_eq!(huge.status, 400);
    let nul = web.post(&format!("{path}/review"), &[("quantity.ST1\0", "1\0"), ("checkout", &key)]).await;
    assert!(nul.status == 400 || nul.status == 200, "{}", nul.status);
    server.stop().await;
}

#[tokio::test]
async fn fifty_concurrent_checkouts_of_one_token_make_one_order_and_one_payment() {
    for backend in Backend::available() {
        let (server, fake) = shop_server(backend).await;
        activate_stripe(&server).await;
        let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
        let mut web = Web::new(&server);
        let (_, _) = open(&mut web, &path).await;
        let web = std::sync::Arc::new(web);
        let mut tasks = Vec::new();
        for i in 0..50 {
            let web = web.clone();
            let path = path.clone();
            tasks.push(tokio::spawn(async move {
                let key = format!("{i:032x}");
                let page = web.post(&format!("{path}/checkout"), &[("quantity.ST1", "1"), ("checkout", &key)]).await;
                (page.status, page.body)
            }));
        }
        for task in tasks {
            let (status, body) = task.await.unwrap();
            assert!(status == 303 || status == 503, "{status}: {body}");
        }
        assert_eq!(transactions(&server, "SHOP").await.len(), 1, "exactly one order");
        assert_eq!(fake.sessions().len(), 1, "exactly one payment session");
        server.stop().await;
    }
}

/// Posts three ST1 with the buyer's country, company and VAT id to the review page.
async fn review_as(web: &mut Web, path: &str, key: &str, buyer: (&str, &str, &str)) -> Page {
    let (country, company, vat_id) = buyer;
    let fields =
        [("quantity.ST1", "3"), ("checkout", key), ("countryCode", country), ("company", company), ("vatId", vat_id)];
    web.post(&format!("{path}/review"), &fields).await
}

#[tokio::test]
async fn a_company_vendor_charges_eu_vat_by_the_buyers_country() {
    for backend in Backend::available() {
        let (server, fake) = shop_server(backend).await;
        activate_stripe(&server).await;
        let api = Api::demo(&server, Format::Xml);
        let refused = api.post("branding", "vendorType=COMPANY").await;
        assert_eq!(refused.status, 400, "a company names its country");
        let branding = api.post("branding", "vendorType=COMPANY&countryCode=DE&vatId=DE123456789").await;
        assert_eq!(branding.status, 200, "{:?}", branding.doc);
        assert_eq!(branding.property("countryCode"), Some("DE"));
        assert_eq!(api.post("product/SP", "vatMode=NET").await.status, 200);
        let (_, path) = shop_token(&server, "licenseeNumber=SC1").await;
        let mut web = Web::new(&server);
        let (page, key) = open(&mut web, &path).await;
        assert!(page.body.contains("id=\"buyer-country\"") && page.body.contains(">France</option>"), "{}", page.body);
        assert!(page.body.contains("Prices exclude VAT"), "{}", page.body);

        // Without a country there is no price: the offer again, with the error and what was typed.
        let missing = review_as(&mut web, &path, &key, ("", "Rossi", "")).await;
        assert_eq!(missing.status, 400, "{}", missing.body);
        assert!(missing.body.contains("Choose your country") && missing.body.contains("value=\"Rossi\""));
        let wrong_id = review_as(&mut web, &path, &key, ("IT", "Rossi Srl", "DE123456789")).await;
        assert_eq!(wrong_id.status, 400);
        assert!(wrong_id.body.contains("begins with IT"), "{}", wrong_id.body);

        // A French consumer: 20 % on top of 54.00. An Italian business: reverse charge, 54.00.
        let fr = review_as(&mut web, &path, &key, ("FR", "", "")).await;
        assert_eq!(fr.status, 200, "{}", fr.body);
        assert!(fr.body.contains("20 % VAT (France)") && fr.body.contains("+10.80 EUR"), "{}", fr.body);
        assert!(fr.body.contains("64.80 EUR"));
        let it = review_as(&mut web, &path, &key, ("IT", "Rossi Srl", "IT 12345678901")).await;
        assert!(it.body.contains("reverse charge") && it.body.contains("VAT ID IT12345678901"), "{}", it.body);
        assert!(!it.body.contains("64.80"));

        // Checkout as the French consumer: Stripe is asked for 64.80; the transaction records the VAT.
        let checkout = web
            .post(&format!("{path}/checkout"), &[("quantity.ST1", "3"), ("checkout", &key), ("countryCode", "FR")])
            .await;
        assert_eq!(checkout.status, 303, "{}", checkout.body);
        let sessions = fake.sessions();
        assert_eq!((sessions[0].amount, sessions[0].currency.as_str()), (6480, "eur"));
        let pending = transactions(&server, "SHOP").await;
        for (name, value) in [
            ("grandTotal", "64.80"),
            ("vatAmount", "10.80"),
            ("vatPercent", "20"),
            ("isSubjectToVat", "true"),
            ("isReverseCharge", "false"),
            ("countryCode", "FR"),
            ("vendorCountryCode", "DE"),
            ("vatMode", "NET"),
        ] {
            assert_eq!(pending[0].property(name), Some(value), "{name}");
        }
        let paid = pay_at_fake_stripe(&fake, &sessions[0].id).await;
        assert_eq!(paid.status().as_u16(), 303);
        assert_eq!(licenses_of(&server, "SC1").await.len(), 3, "paid with VAT: the licenses exist");
        let done = web.get(&format!("{path}/done?checkout={key}")).await;
        assert!(done.body.contains("Including 20 % VAT (France): 10.80 EUR"), "{}", done.body);
        assert!(done.body.contains("Seller&#x27;s VAT ID: DE123456789") || done.body.contains("DE123456789"));
        server.stop().await;
    }
}
