//! The payment method pages: settings per provider, Stripe's write-only secrets (said to be set, never shown,
//! kept when the field is left empty), one Stripe mode active at a time, the webhook address to configure.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn payment_methods_with_write_only_stripe_secrets() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        let web = Web::signed_in(&server, "demo", "demo").await;
        let list = web.get("/console/payment-methods").await;
        assert_eq!(list.status, 200);
        for number in ["PAYPAL", "PAYPAL_SANDBOX", "STRIPE", "STRIPE_TESTING"] {
            assert!(list.body.contains(&format!("<td>{number}</td>")), "{number}");
        }
        assert!(list.body.contains("/shop/stripe/VDEMO/webhook"), "{}", list.body);

        // Stripe test mode: the secrets are stored, never shown; the form says they are set.
        let form = web.get("/console/payment-methods/STRIPE_TESTING/edit").await;
        assert!(form.body.contains("/shop/stripe/VDEMO/webhook") && form.body.contains("Now not set"), "{}", form.body);
        let saved = web
            .post(
                "/console/payment-methods/STRIPE_TESTING/edit",
                &[
                    ("active", "true"),
                    ("stripe.secretKey", "sk_test_secret_1"),
                    ("stripe.webhookSecret", "whsec_hidden"),
                ],
            )
            .await;
        assert_eq!(
            (saved.status, saved.location.as_deref()),
            (303, Some("/console/payment-methods")),
            "{}",
            saved.body
        );
        let list = web.get("/console/payment-methods").await;
        assert!(list.body.contains("stripe.secretKey: set") && list.body.contains("stripe.webhookSecret: set"));
        let form = web.get("/console/payment-methods/STRIPE_TESTING/edit").await;
        assert!(!form.body.contains("sk_test_secret_1") && !form.body.contains("whsec_hidden"), "never shown");
        assert!(!form.body.contains("Now not set"), "{}", form.body);
        let method = api.get("paymentmethod/STRIPE_TESTING").await;
        assert_eq!(method.property("active"), Some("true"));
        assert_eq!(method.property("stripe.secretKey"), None);

        // Empty fields keep the secrets (only active changes).
        let kept = web
            .post(
                "/console/payment-methods/STRIPE_TESTING/edit",
                &[("stripe.secretKey", ""), ("stripe.webhookSecret", "")],
            )
            .await;
        assert_eq!(kept.status, 303);
        assert_eq!(api.get("paymentmethod/STRIPE_TESTING").await.property("active"), Some("false"));
        assert!(web.get("/console/payment-methods").await.body.contains("stripe.secretKey: set"));

        // One Stripe mode at a time: refused beside Active, nothing changed.
        web.post("/console/payment-methods/STRIPE_TESTING/edit", &[("active", "true")]).await;
        let both = web.post("/console/payment-methods/STRIPE/edit", &[("active", "true")]).await;
        assert_eq!(both.status, 400, "{}", both.body);
        assert!(
            both.body.contains("id=\"f-active-error\"") && both.body.contains("deactivate STRIPE_TESTING"),
            "{}",
            both.body
        );
        assert_eq!(api.get("paymentmethod/STRIPE").await.property("active"), Some("false"));

        // PayPal's subject.
        let paypal = web.post("/console/payment-methods/PAYPAL/edit", &[("paypal.subject", "shop@example.com")]).await;
        assert_eq!(paypal.status, 303);
        assert_eq!(api.get("paymentmethod/PAYPAL").await.property("paypal.subject"), Some("shop@example.com"));
        assert!(web.get("/console/payment-methods").await.body.contains("paypal.subject=shop@example.com"));

        // CSRF, and an unknown provider.
        let forged =
            web.post_raw("/console/payment-methods/PAYPAL/edit", &[("paypal.subject", "evil@example.com")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(api.get("paymentmethod/PAYPAL").await.property("paypal.subject"), Some("shop@example.com"));
        assert_eq!(web.get("/console/payment-methods/BITCOIN/edit").await.status, 404);
        server.stop().await;
    }
}
