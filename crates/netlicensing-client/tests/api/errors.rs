//! Error answers in both formats, security modes (Basic, API key, anonymous), and errors the client raises
//! itself.

use netlicensing_client::{
    Context, Error, ErrorId, Filter, Format, RetryPolicy, Security,
    entity::{Bundle, Licensee, Product, Token, ValidationParameters},
    types::{ApiKeyRole, Currency, TokenType},
};

use crate::common::{TestServer, assert_api_error, context, demo};

async fn error_answers(server: &TestServer, format: Format) {
    let context = demo(server, format);
    let tag = format!("{format:?}");

    let missing = assert_api_error(context.products().get(&format!("NOPE{tag}")).await, 404, ErrorId::NotFound);
    assert!(missing.is(ErrorId::NotFound) && missing.is_not_found());
    assert!(missing.to_string().starts_with("HTTP 404: NotFoundException: "), "{missing}");
    assert_api_error(context.licensees().update("NOPE", &Licensee::default()).await, 404, ErrorId::NotFound);
    assert_api_error(context.products().delete("NOPE", true).await, 404, ErrorId::NotFound);

    // 400 with the id telling why.
    let unnamed = Product { number: format!("PE{tag}"), active: true, ..Product::default() };
    assert_api_error(context.products().create(&unnamed).await, 400, ErrorId::MalformedRequest);
    let priced =
        Bundle { name: Some("B".into()), price: Some("10".parse().unwrap()), active: true, ..Bundle::default() };
    assert_api_error(context.bundles().create(&priced).await, 400, ErrorId::IllegalArgument);
    let currency = Bundle { name: None, currency: Some(Currency::Eur), ..priced };
    assert_api_error(context.bundles().create(&currency).await, 400, ErrorId::Validation);
    assert_api_error(context.products().list(&Filter::new().with("page", -1)).await, 400, ErrorId::MalformedRequest);

    // Empty numbers never reach the service.
    assert!(matches!(context.products().get("").await, Err(Error::InvalidArgument(_))));
    assert!(matches!(
        context.licensees().validate(" ", &ValidationParameters::default()).await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(context.licensees().transfer("I", "").await, Err(Error::InvalidArgument(_))));
}

#[tokio::test]
async fn error_answers_carry_status_and_info_id_in_both_formats() {
    crate::each_backend_and_format!(error_answers);
}

async fn security(server: &TestServer, format: Format) {
    let vendor = demo(server, format);
    let tag = format!("{format:?}");

    // Anonymous and wrong credentials: 401.
    let anonymous = context(server, format, Security::Anonymous);
    let refused = assert_api_error(anonymous.products().list(&Filter::new()).await, 401, ErrorId::Unauthorized);
    assert!(refused.is_unauthorized());
    assert_api_error(anonymous.utility().license_types().await, 401, ErrorId::Unauthorized);
    let wrong = context(server, format, Security::basic("demo", "wrong"));
    assert_api_error(wrong.products().list(&Filter::new()).await, 401, ErrorId::Unauthorized);
    let nobody = context(server, format, Security::basic("nobody", "demo"));
    assert_api_error(nobody.products().get("P").await, 401, ErrorId::Unauthorized);
    let bad_key = context(server, format, Security::api_key("00000000-0000-4000-8000-000000000000"));
    assert_api_error(bad_key.products().list(&Filter::new()).await, 401, ErrorId::Unauthorized);

    // API keys act within their role.
    let product = Product { number: format!("PK{tag}"), active: true, name: Some("K".into()), ..Product::default() };
    vendor.products().create(&product).await.unwrap();
    let analytics =
        Token { token_type: Some(TokenType::ApiKey), api_key_role: Some(ApiKeyRole::Analytics), ..Token::default() };
    let key = vendor.tokens().create(&analytics).await.unwrap().number;
    let reader = vendor.with_security(Security::api_key(&key));
    assert!(reader.products().list(&Filter::new()).await.unwrap().iter().any(|p| p.number == product.number));
    assert_eq!(reader.products().get(&product.number).await.unwrap().name.as_deref(), Some("K"));
    assert_api_error(
        reader.products().create(&Product { name: Some("x".into()), ..product.clone() }).await,
        403,
        ErrorId::AccessDenied,
    );
    assert_api_error(reader.tokens().list(&Filter::new()).await, 403, ErrorId::AccessDenied);

    // A licensee-scoped key validates its licensee only.
    let i = format!("IK{tag}");
    vendor
        .licensees()
        .create(&product.number, &Licensee { number: i.clone(), active: true, ..Licensee::default() })
        .await
        .unwrap();
    let scoped = Token { token_type: Some(TokenType::ApiKey), licensee_number: Some(i.clone()), ..Token::default() };
    let scoped = vendor.tokens().create(&scoped).await.unwrap();
    assert_eq!(scoped.api_key_role, Some(ApiKeyRole::Licensee));
    let app = Context::builder()
        .base_url(server.url(""))
        .api_key(&scoped.number)
        .format(format)
        .retry(RetryPolicy::NONE)
        .build()
        .unwrap();
    assert!(app.licensees().validate(&i, &ValidationParameters::default()).await.unwrap().modules.is_empty());
    assert_api_error(
        app.licensees().validate("OTHER", &ValidationParameters::default()).await,
        403,
        ErrorId::AccessDenied,
    );
    assert_api_error(app.products().list(&Filter::new()).await, 403, ErrorId::AccessDenied);

    // A revoked key no longer authenticates.
    vendor.tokens().delete(&key).await.unwrap();
    assert_api_error(reader.products().list(&Filter::new()).await, 401, ErrorId::Unauthorized);
}

#[tokio::test]
async fn basic_api_key_and_anonymous_security_in_both_formats() {
    crate::each_backend_and_format!(security);
}

#[tokio::test]
async fn connection_failures_are_transport_errors() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let context = Context::builder()
        .base_url(format!("http://127.0.0.1:{port}/core/v2/rest"))
        .retry(RetryPolicy::NONE)
        .build()
        .unwrap();
    let error = context.products().get("P").await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!((error.status(), error.infos().len()), (None, 0));
}
