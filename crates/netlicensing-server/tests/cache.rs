//! Validation reads served from memory never outlive a change: every write is seen by the next validation on
//! the same server, and by another replica on the same PostgreSQL as soon as its notification arrives.

use std::time::{Duration, Instant};

use netlicensing_model::Format;

use crate::common::{Api, Backend, TestServer};

/// A product with a Subscription module and a Multi-Feature module, a licensee with one license of each.
async fn catalogue(api: &Api<'_>) {
    api.post("product", "number=PC&name=P").await;
    api.post("productmodule", "number=MS&productNumber=PC&name=Subscription&licensingModel=Subscription").await;
    api.post(
        "licensetemplate",
        "number=ES&productModuleNumber=MS&name=Year&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=YEAR",
    )
    .await;
    api.post("productmodule", "number=MF&productNumber=PC&name=Features&licensingModel=MultiFeature").await;
    api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=Export&licenseType=FEATURE").await;
    api.post("licensee", "number=IC&productNumber=PC").await;
    api.post("license", "number=LS&licenseeNumber=IC&licenseTemplateNumber=ES&startDate=now").await;
    api.post("license", "number=LF&licenseeNumber=IC&licenseTemplateNumber=EF").await;
}

/// `valid` of the Subscription module and of the feature, as validation answers now.
async fn state(api: &Api<'_>) -> (Option<String>, Option<String>, usize) {
    let answer = api.post("licensee/IC/validate", "productNumber=PC").await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    let items = answer.doc.items();
    let subscription = items
        .iter()
        .find(|i| i.property("productModuleNumber") == Some("MS"))
        .and_then(|i| i.property("valid"))
        .map(str::to_owned);
    let feature = items
        .iter()
        .find(|i| i.property("productModuleNumber") == Some("MF"))
        .and_then(|i| i.lists.iter().find(|l| l.name == "EF"))
        .and_then(|l| l.property("valid"))
        .map(str::to_owned);
    (subscription, feature, items.len())
}

fn t(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[tokio::test]
async fn every_change_is_seen_by_the_next_validation() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Xml);
        catalogue(&api).await;
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}");
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}: answered again, unchanged");

        api.post("license/LS", "active=false").await;
        assert_eq!(state(&api).await, (t("false"), t("true"), 2), "{backend:?}: license deactivated");
        api.post("license/LS", "active=true").await;
        api.post("license/LF", "active=false").await;
        assert_eq!(state(&api).await, (t("true"), t("false"), 2), "{backend:?}: feature deactivated");
        api.post("license", "number=LF2&licenseeNumber=IC&licenseTemplateNumber=EF").await;
        assert_eq!(state(&api).await, (t("true"), t("true"), 2), "{backend:?}: a new license counts");
        api.post("productmodule/MF", "active=false").await;
        assert_eq!(state(&api).await, (t("true"), None, 1), "{backend:?}: an inactive module is not reported");
        api.post("licensee/IC", "active=false").await;
        assert_eq!(state(&api).await, (t("false"), None, 1), "{backend:?}: an inactive licensee validates nothing");
        api.post("licensee/IC", "active=true").await;
        assert_eq!(api.delete("license/LS").await.status, 204);
        assert_eq!(state(&api).await, (t("false"), None, 1), "{backend:?}: a deleted license is gone");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_change_on_one_replica_reaches_the_others_validation() {
    if !Backend::available().contains(&Backend::Postgres) {
        eprintln!("DATABASE_URL names no PostgreSQL database: the replica test needs one");
        return;
    }
    let mut server = TestServer::start(Backend::Postgres).await;
    let replica_base = server.replica().await;
    let api = Api::demo(&server, Format::Xml);
    catalogue(&api).await;
    let http = reqwest::Client::new();
    let subscription_valid = || async {
        let response = http
            .post(format!("{replica_base}/core/v2/rest/licensee/IC/validate"))
            .basic_auth("demo", Some("demo"))
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("productNumber=PC")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let doc = Format::Json.decode(&response.bytes().await.unwrap()).unwrap();
        let module = doc.items().iter().find(|i| i.property("productModuleNumber") == Some("MS")).cloned();
        module.and_then(|m| m.property("valid").map(str::to_owned))
    };
    // The replica's listener connects in the background; until then it reads everything from the database.
    for _ in 0..3 {
        assert_eq!(subscription_valid().await, t("true"));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    api.post("license/LS", "active=false").await;
    let changed = Instant::now();
    while subscription_valid().await != t("false") {
        assert!(changed.elapsed() < Duration::from_secs(5), "the replica still answers from stale data");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    eprintln!("the replica saw the change after {:?}", changed.elapsed());
    server.stop().await;
}
