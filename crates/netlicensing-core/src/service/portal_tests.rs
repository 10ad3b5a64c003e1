//! The portal over the demo catalogue: what validation says, sessions and bindings, hidden licenses, release,
//! renewal, and the token's limits.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use netlicensing_model::{
    codec::Form,
    entity::{Licensee, ModuleParameters, ValidationParameters},
    types::TokenType,
};

use super::*;
use crate::{
    Core,
    repo::{NewVendor, Store, memory::MemoryStore},
    service::{DEMO_CUSTOMER, DEMO_PRODUCT},
};

struct Fixture {
    core: Core,
    owner: Caller,
    other: Caller,
    now: Arc<Mutex<DateTime<Utc>>>,
}

async fn fixture() -> Fixture {
    let store = Arc::new(MemoryStore::new());
    let now = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    let core = Core::new(store.clone()).with_clock(Arc::new(move || *clock.lock().unwrap()));
    let mut callers = Vec::new();
    for number in ["VA", "VB"] {
        let new = NewVendor { number: number.into(), login: number.to_lowercase(), password_hash: "x".into() };
        let vendor = store.create_vendor(&new).await.unwrap();
        let caller = Caller::vendor(vendor.id, number);
        core.create_demo_catalogue(&caller).await.unwrap();
        callers.push(caller);
    }
    let other = callers.pop().unwrap();
    Fixture { core, owner: callers.pop().unwrap(), other, now }
}

async fn portal_token(core: &Core, caller: &Caller, licensee: &str) -> String {
    let form = Form::parse(&format!("tokenType=ACTION&action=licenseeLogin&licenseeNumber={licensee}"));
    core.create_token(caller, &form).await.unwrap().number
}

async fn check_out(core: &Core, caller: &Caller, session: &str) {
    let params = ValidationParameters {
        modules: vec![ModuleParameters::new("MFL-DEMO").with("sessionId", session).with("action", "checkOut")],
        ..ValidationParameters::default()
    };
    core.validate(caller, DEMO_CUSTOMER, &params).await.unwrap();
}

#[tokio::test]
async fn the_overview_shows_what_validation_says_and_stores_nothing() {
    let Fixture { core, owner, .. } = fixture().await;
    check_out(&core, &owner, "seat-1").await;
    let bind = ValidationParameters {
        modules: vec![ModuleParameters::new("MNL-DEMO").with("nodeSecret", "machine-7")],
        ..ValidationParameters::default()
    };
    core.validate(&owner, DEMO_CUSTOMER, &bind).await.unwrap();
    // A license switched off without a validation: the stored warning level summary is stale now, and a dry
    // run through the API would refresh it.
    let credits = core
        .list::<License>(&owner, None, &[("licenseeNumber", DEMO_CUSTOMER), ("productModuleNumber", "MPU-DEMO")])
        .await
        .unwrap();
    core.update_license(&owner, &credits.items[0].number, &Form::parse("active=false")).await.unwrap();
    let before: Licensee = core.get(&owner, DEMO_CUSTOMER).await.unwrap();

    let portal = core.portal(&portal_token(&core, &owner, DEMO_CUSTOMER).await).await.unwrap();
    let overview = core.portal_overview(&portal).await.unwrap();
    assert_eq!(overview.licensee.number, DEMO_CUSTOMER);
    assert_eq!(overview.product.as_ref().map(|p| p.number.as_str()), Some(DEMO_PRODUCT));
    let after: Licensee = core.get(&owner, DEMO_CUSTOMER).await.unwrap();
    assert_eq!(after, before, "looking stores nothing, not even the warning level summary");
    let dry = ValidationParameters { dry_run: true, ..ValidationParameters::default() };
    let validated = core.validate(&owner, DEMO_CUSTOMER, &dry).await.unwrap();
    let refreshed: Licensee = core.get(&owner, DEMO_CUSTOMER).await.unwrap();
    assert_ne!(refreshed.warning_level_summary, before.warning_level_summary, "an API dry run would have");
    assert_eq!(overview.modules.len(), validated.modules.len(), "every active module");
    for module in &overview.modules {
        let said = validated.modules.iter().find(|m| m.product_module_number == module.module.number).unwrap();
        let shown = module.result.as_ref().unwrap();
        assert_eq!((shown.valid, shown.warning_level), (said.valid, said.warning_level), "{}", module.module.number);
    }
    let floating = overview.modules.iter().find(|m| m.module.number == "MFL-DEMO").unwrap();
    assert_eq!(floating.sessions.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["seat-1"]);
    let nodes = overview.modules.iter().find(|m| m.module.number == "MNL-DEMO").unwrap();
    assert!(nodes.nodes.iter().any(|n| n.secret == "machine-7"), "{:?}", nodes.nodes);
    let subscription = overview.modules.iter().find(|m| m.module.number == "MSB-DEMO").unwrap();
    assert!(subscription.licenses.iter().all(|l| l.expires.is_some()), "time-volume licenses show their end");
    let credits = overview.modules.iter().find(|m| m.module.number == "MPU-DEMO").unwrap();
    assert!(credits.licenses.iter().any(|l| l.remaining.is_some()), "quantity licenses show what is left");
    assert_eq!(
        credits.result.as_ref().and_then(|r| r.warning_level),
        Some(netlicensing_model::types::WarningLevel::Red)
    );
    assert!(!overview.transactions.is_empty(), "the licenses' creation is recorded");
}

#[tokio::test]
async fn hidden_licenses_stay_hidden() {
    let Fixture { core, owner, .. } = fixture().await;
    let licenses = core
        .list::<License>(&owner, None, &[("licenseeNumber", DEMO_CUSTOMER), ("productModuleNumber", "MSB-DEMO")])
        .await
        .unwrap();
    let hidden = licenses.items[0].number.clone();
    core.update_license(&owner, &hidden, &Form::parse("hidden=true")).await.unwrap();
    core.update_license_template(&owner, "ETB-FULL-DEMO", &Form::parse("hideLicenses=true")).await.unwrap();
    let portal = core.portal(&portal_token(&core, &owner, DEMO_CUSTOMER).await).await.unwrap();
    let overview = core.portal_overview(&portal).await.unwrap();
    let shown: Vec<&str> =
        overview.modules.iter().flat_map(|m| m.licenses.iter().map(|l| l.license.number.as_str())).collect();
    assert!(!shown.contains(&hidden.as_str()), "a hidden license");
    let try_and_buy = overview.modules.iter().find(|m| m.module.number == "MTB-DEMO").unwrap();
    assert!(
        try_and_buy.licenses.iter().all(|l| l.license.license_template_number.as_deref() != Some("ETB-FULL-DEMO")),
        "licenses of a template with hideLicenses"
    );
}

#[tokio::test]
async fn a_session_is_released_through_validation_and_only_the_licensees_own() {
    let Fixture { core, owner, other, .. } = fixture().await;
    check_out(&core, &owner, "seat-1").await;
    check_out(&core, &other, "seat-b").await;
    let portal = core.portal(&portal_token(&core, &owner, DEMO_CUSTOMER).await).await.unwrap();
    let refused = core.portal_release(&portal, "MFL-DEMO", "seat-b").await;
    assert!(matches!(refused, Err(CoreError::NotFound(_))), "another vendor's session: {refused:?}");
    assert!(core.portal_release(&portal, "MNL-DEMO", "seat-1").await.is_err(), "not on that module");
    core.portal_release(&portal, "MFL-DEMO", "seat-1").await.unwrap();
    let overview = core.portal_overview(&portal).await.unwrap();
    let floating = overview.modules.iter().find(|m| m.module.number == "MFL-DEMO").unwrap();
    assert!(floating.sessions.is_empty(), "released");
    let theirs = core.portal(&portal_token(&core, &other, DEMO_CUSTOMER).await).await.unwrap();
    let overview = core.portal_overview(&theirs).await.unwrap();
    let floating = overview.modules.iter().find(|m| m.module.number == "MFL-DEMO").unwrap();
    assert_eq!(floating.sessions.len(), 1, "vendor B's session is untouched");
}

#[tokio::test]
async fn renewal_makes_a_shop_token_for_the_licensee_only() {
    let Fixture { core, owner, .. } = fixture().await;
    let number = portal_token(&core, &owner, DEMO_CUSTOMER).await;
    let portal = core.portal(&number).await.unwrap();
    let shop = core.portal_shop_token(&portal).await.unwrap();
    assert_eq!(shop.token_type, Some(TokenType::Shop));
    assert_eq!(shop.licensee_number.as_deref(), Some(DEMO_CUSTOMER));
    assert!(shop.shop_url.is_some());
    assert_eq!(shop.success_url, portal.token.token.customer_portal_url);
    let other = portal_token(&core, &owner, "I002-DEMO").await;
    assert_ne!(other, number);
    // The portal's caller cannot make tokens for another licensee, nor read beyond its licensee.
    let caller = portal.caller();
    let foreign = Form::parse("tokenType=SHOP&licenseeNumber=I002-DEMO");
    assert!(matches!(core.create_token(&caller, &foreign).await, Err(CoreError::Forbidden(_))));
    assert!(matches!(core.list::<License>(&caller, None, &[]).await, Err(CoreError::Forbidden(_))));
}

#[tokio::test]
async fn only_a_live_licensee_login_token_opens_the_portal() {
    let Fixture { core, owner, now, .. } = fixture().await;
    let shop = core.create_token(&owner, &Form::parse("tokenType=SHOP&licenseeNumber=I001-DEMO")).await.unwrap();
    assert_eq!(core.portal(&shop.number).await, Err(TokenRefusal::WrongKind));
    assert_eq!(core.portal("00000000-0000-0000-0000-000000000000").await, Err(TokenRefusal::Unknown));
    let number = portal_token(&core, &owner, DEMO_CUSTOMER).await;
    assert!(core.portal(&number).await.is_ok());
    *now.lock().unwrap() += Duration::minutes(31);
    assert_eq!(core.portal(&number).await, Err(TokenRefusal::Expired), "the token's expiry ends the portal");
    let fresh = portal_token(&core, &owner, DEMO_CUSTOMER).await;
    core.delete::<netlicensing_model::entity::Licensee>(&owner, DEMO_CUSTOMER, Some("true")).await.unwrap();
    let portal = core.portal(&fresh).await;
    // Whether or not the token outlives its licensee, the portal shows nothing of a deleted customer.
    match portal {
        Ok(portal) => assert!(matches!(core.portal_overview(&portal).await, Err(CoreError::NotFound(_)))),
        Err(refusal) => assert_eq!(refusal, TokenRefusal::Unknown),
    }
}
