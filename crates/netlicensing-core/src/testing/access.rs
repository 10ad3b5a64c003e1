//! Storage suite checks: vendor isolation, roles, tokens and API keys.
#![allow(clippy::unwrap_used)]

use netlicensing_model::{
    entity::{Product, Token},
    info::ErrorId,
    types::{ApiKeyRole, TokenType, WireValue},
};

use super::{chain, form, new_vendor};
use crate::{
    Core,
    caller::{Access, Caller},
};

/// Check: vendors never see each other.
pub async fn vendors_never_see_each_other(core: &Core) {
    let (a, b) = (new_vendor(core).await, new_vendor(core).await);
    chain(core, &a).await;
    assert_eq!(core.get::<Product>(&b, "P1").await.unwrap_err().error_id(), ErrorId::NotFound);
    assert!(core.list::<Product>(&b, None, &[]).await.unwrap().items.is_empty());
    assert_eq!(core.update_product(&b, "P1", &form("name=x")).await.unwrap_err().error_id(), ErrorId::NotFound);
    assert_eq!(core.delete::<Product>(&b, "P1", Some("true")).await.unwrap_err().error_id(), ErrorId::NotFound);
    let err = core.create_licensee(&b, &form("productNumber=P1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::NotFound, "B cannot reference A's product");
    core.create_product(&b, &form("number=P1&name=Mine")).await.unwrap();
    assert_eq!(core.get::<Product>(&a, "P1").await.unwrap().name.as_deref(), Some("Product One"));
}

/// Check: api key roles limit operations.
pub async fn api_key_roles_limit_operations(core: &Core) {
    let owner = new_vendor(core).await;
    chain(core, &owner).await;
    let key = |role| Caller { access: Access::ApiKey { key: "k".into(), role, licensee: None }, ..owner.clone() };
    let analytics = key(ApiKeyRole::Analytics);
    assert!(core.get::<Product>(&analytics, "P1").await.is_ok());
    let err = core.create_licensee(&analytics, &form("productNumber=P1")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied);
    assert!(core.create_licensee(&key(ApiKeyRole::Operation), &form("productNumber=P1")).await.is_ok());
    let err = core.create_product(&key(ApiKeyRole::Operation), &form("name=x")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied);
    assert!(core.license_types(&key(ApiKeyRole::Licensee)).is_err());
    assert_eq!(core.licensing_models(&analytics).unwrap().len(), 9);
}

/// Check: tokens and API keys.
pub async fn tokens_and_api_keys(core: &Core) {
    let vendor = new_vendor(core).await;
    chain(core, &vendor).await;
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ\n-----END PRIVATE KEY-----";
    let key = core
        .create_token(&vendor, &form(&format!("tokenType=APIKEY&privateKey={}", pem.replace('+', "%2B"))))
        .await
        .unwrap();
    assert_eq!((key.token_type, key.api_key_role), (Some(TokenType::ApiKey), Some(ApiKeyRole::Licensee)));
    assert_eq!(
        (key.expiration_time, key.private_key.as_deref()),
        (None, None),
        "keys do not expire; private keys are never shown"
    );
    assert_eq!(key.number.len(), 36);
    assert_eq!(key.vendor_number.as_deref(), Some(vendor.vendor_number.as_str()));
    assert!(core.api_key_private_key(&vendor, &key.number).await.unwrap().is_some());
    let caller = core.api_key_caller(&key.number).await.unwrap().expect("the key authenticates");
    assert_eq!(caller.vendor, vendor.vendor);
    assert_eq!(caller.access, Access::ApiKey { key: key.number.clone(), role: ApiKeyRole::Licensee, licensee: None });
    assert_eq!(core.get::<Product>(&caller, "P1").await.unwrap_err().error_id(), ErrorId::AccessDenied);
    assert_eq!(core.list::<Token>(&caller, None, &[]).await.unwrap_err().error_id(), ErrorId::AccessDenied);
    let err = core.create_token(&caller, &form("tokenType=APIKEY")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied, "only the vendor login creates API keys");
    let shop = core.create_token(&caller, &form("tokenType=SHOP&licenseeNumber=I1")).await.unwrap();
    assert!(shop.shop_url.as_deref().is_some_and(|u| u.ends_with(&shop.number)));
    assert_eq!(shop.expiration_time.map(|t| t.to_wire().into_owned()).as_deref(), Some("2024-01-31T12:30:00.000Z"));
    let err = core.create_token(&vendor, &form("tokenType=SHOP")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::MalformedRequest);
    let action =
        core.create_token(&vendor, &form("tokenType=ACTION&action=licenseeLogin&licenseeNumber=I1")).await.unwrap();
    assert!(action.customer_portal_url.as_deref().is_some_and(|u| u.ends_with("/licenseeLogin")));
    let default = core.create_token(&vendor, &form("")).await.unwrap();
    assert_eq!(default.token_type, Some(TokenType::Default));

    let scoped = core
        .create_token(&vendor, &form("tokenType=APIKEY&apiKeyRole=ROLE_APIKEY_ANALYTICS&licenseeNumber=I1"))
        .await
        .unwrap();
    let scoped = core.api_key_caller(&scoped.number).await.unwrap().unwrap();
    assert!(core.get::<Product>(&scoped, "P1").await.is_ok(), "ANALYTICS reads");
    assert!(scoped.require_licensee("I1").is_ok() && scoped.require_licensee("I2").is_err());
    let err = core.create_token(&scoped, &form("tokenType=SHOP&licenseeNumber=I9")).await.unwrap_err();
    assert_eq!(err.error_id(), ErrorId::AccessDenied, "a scoped key acts for its licensee only");

    let expired =
        core.create_token(&vendor, &form("tokenType=APIKEY&expirationTime=2024-01-01T00:00:00Z")).await.unwrap();
    assert!(!expired.active);
    assert!(core.api_key_caller(&expired.number).await.unwrap().is_none(), "expired keys do not authenticate");
    let bad = core.create_token(&vendor, &form("tokenType=APIKEY&privateKey=not-a-key")).await.unwrap_err();
    assert_eq!(bad.error_id(), ErrorId::MalformedRequest);
    let listed = core.list::<Token>(&vendor, Some("tokenType=APIKEY"), &[]).await.unwrap();
    assert_eq!(listed.paging.total_items, 3);
    assert!(listed.items.iter().all(|t| t.private_key.is_none()));

    core.delete::<Token>(&vendor, &key.number, None).await.unwrap();
    assert!(core.api_key_caller(&key.number).await.unwrap().is_none(), "deleting a key revokes it");
    let other = new_vendor(core).await;
    assert_eq!(core.get::<Token>(&other, &shop.number).await.unwrap_err().error_id(), ErrorId::NotFound);
}

/// Check: each vendor has its own branding, stored whole and cleared field by field.
pub async fn branding_per_vendor(core: &Core) {
    let (a, b) = (new_vendor(core).await, new_vendor(core).await);
    let logo = "data%3Aimage%2Fgif%3Bbase64%2CR0lGODlhAQABAAAAACw%3D";
    let all = format!(
        "name=Acme+%C3%84G&logo={logo}&accentColor=%23123abc&email=shop%40acme.example&website=https%3A%2F%2Facme.example\
         &address=Road+1%0ATown&termsUrl=https%3A%2F%2Facme.example%2Ft&privacyUrl=http%3A%2F%2Facme.example%2Fp\
         &imprintUrl=https%3A%2F%2Facme.example%2Fi"
    );
    let set = core.update_branding(&a, &form(&all)).await.unwrap();
    let read = core.branding(&a).await.unwrap();
    assert_eq!(read, set);
    assert_eq!(read.name.as_deref(), Some("Acme ÄG"));
    assert_eq!(read.address.as_deref(), Some("Road 1\nTown"));
    assert_eq!(read.logo.as_deref(), Some("data:image/gif;base64,R0lGODlhAQABAAAAACw="));
    assert!(core.branding(&b).await.unwrap().name.is_none(), "B sees nothing of A's branding");
    let cleared = core.update_branding(&a, &form("logo=&website=")).await.unwrap();
    assert!(cleared.logo.is_none() && cleared.website.is_none());
    assert_eq!(core.branding(&a).await.unwrap().imprint_url.as_deref(), Some("https://acme.example/i"));
}
