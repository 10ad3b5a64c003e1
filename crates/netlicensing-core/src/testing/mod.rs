//! The storage conformance suite: every service rule, run against any [`Store`]. Core runs it on the in-memory
//! store; the server runs the same suite on SQLite and PostgreSQL. Each check works for vendors of its own, so
//! checks can share one store.
#![allow(clippy::unwrap_used)]

mod access;
mod crud;
mod events;
mod order;
mod shop;
mod statistics;
mod validation;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use netlicensing_model::{codec::Form, info::ErrorId};

use crate::{
    Core, CoreError,
    caller::Caller,
    repo::{NewVendor, Store},
};

/// The services over a store, with the clock the suite expects (2024-01-31T12:00:00Z).
pub fn core_over(store: Arc<dyn Store>) -> Core {
    let fixed = Utc.with_ymd_and_hms(2024, 1, 31, 12, 0, 0).single().unwrap();
    Core::new(store).with_clock(Arc::new(move || fixed))
}

/// A new vendor of the store, as its vendor-login caller.
pub async fn new_vendor(core: &Core) -> Caller {
    let mut tag = [0u8; 6];
    getrandom::fill(&mut tag).unwrap();
    let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    let vendor = core
        .store()
        .create_vendor(&NewVendor {
            number: format!("V{tag}"),
            login: format!("vendor-{tag}"),
            password_hash: "-".into(),
        })
        .await
        .unwrap();
    Caller::vendor(vendor.id, vendor.number)
}

/// Runs every check of the suite.
pub async fn run_all(core: &Core) {
    crud::the_chain_from_product_to_license(core).await;
    crud::product_defaults_discounts_rename_and_custom_properties(core).await;
    crud::required_parameters_in_the_service_words(core).await;
    crud::licenses_need_a_template_and_licensee_of_one_product(core).await;
    crud::rental_time_volume_licenses_extend_a_feature_license(core).await;
    crud::in_use_entities_are_deleted_only_with_force_cascade(core).await;
    access::vendors_never_see_each_other(core).await;
    access::api_key_roles_limit_operations(core).await;
    crud::paging_through_a_list(core).await;
    crud::an_insert_skips_a_taken_number_and_the_transaction_goes_on(core).await;
    access::tokens_and_api_keys(core).await;
    access::branding_per_vendor(core).await;
    crud::transactions_bundles_notifications_and_payment_methods(core).await;
    validation::validation_with_side_effects(core).await;
    validation::validation_by_alias(core).await;
    validation::bundle_obtain_and_transfer(core).await;
    validation::validation_cache_follows_licensee_and_catalogue(core).await;
    events::events_from_every_path(core).await;
    events::webhooks_follow_their_notifications_at_once(core).await;
    shop::shop_flows(core).await;
    shop::shop_vat(core).await;
    statistics::dashboard_figures(core).await;
    order::lists_by_name(core).await;
    order::lists_newest_first(core).await;
    order::walks_after_an_id(core).await;
}

pub(crate) fn form(text: &str) -> Form {
    Form::parse(text)
}

pub(crate) async fn chain(core: &Core, caller: &Caller) {
    core.create_product(caller, &form("number=P1&name=Product+One")).await.unwrap();
    core.create_product_module(caller, &form("number=M1&productNumber=P1&name=Mod&licensingModel=Subscription"))
        .await
        .unwrap();
    core.create_license_template(
        caller,
        &form("number=E1&productModuleNumber=M1&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH&price=5&currency=EUR&hideLicenses=true"),
    )
    .await
    .unwrap();
    core.create_licensee(caller, &form("number=I1&productNumber=P1&crm=7")).await.unwrap();
}

/// Product `PV` (licensees auto-created) with a Try & Buy module `MT` (automatic hidden evaluation template
/// `EVAL`) and a Subscription module `MS` (template `MONTH`).
pub(crate) async fn trial_catalogue(core: &Core, caller: &Caller) {
    core.create_product(caller, &form("number=PV&name=V&licenseeAutoCreate=true")).await.unwrap();
    core.create_product_module(caller, &form("number=MT&productNumber=PV&name=Trial&licensingModel=TryAndBuy"))
        .await
        .unwrap();
    core.create_license_template(
        caller,
        &form("number=EVAL&productModuleNumber=MT&name=Eval&licenseType=TIMEVOLUME&timeVolume=30&automatic=true&hidden=true"),
    )
    .await
    .unwrap();
    core.create_product_module(caller, &form("number=MS&productNumber=PV&name=Sub&licensingModel=Subscription"))
        .await
        .unwrap();
    core.create_license_template(
        caller,
        &form(
            "number=MONTH&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH",
        ),
    )
    .await
    .unwrap();
}

pub(crate) fn id_of(error: CoreError) -> (ErrorId, String) {
    (error.error_id(), error.to_string())
}
