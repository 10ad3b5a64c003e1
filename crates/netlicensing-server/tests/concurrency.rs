//! Exactness under concurrency: parallel consumption never over- or under-counts, on every backend.

use netlicensing_model::Format;

use crate::common::{Api, Backend, TestServer};

async fn reserve_one(server: &TestServer, path: String) -> bool {
    let api = Api::demo(server, Format::Json);
    let answer = api.post(&path, "productModuleNumber0=MP&reserveQuantity0=1").await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    answer.doc.items()[0].property("valid") == Some("true")
}

#[tokio::test]
async fn parallel_reservations_take_exactly_the_credits() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Xml);
        api.post("product", "number=PP&name=P").await;
        api.post("productmodule", "number=MP&productNumber=PP&name=Credits&licensingModel=PayPerUse").await;
        api.post("licensetemplate", "number=EP&productModuleNumber=MP&name=Pack&licenseType=QUANTITY&quantity=60")
            .await;
        api.post("licensee", "number=IP&productNumber=PP").await;
        api.post("license", "licenseeNumber=IP&licenseTemplateNumber=EP").await;

        let attempts: Vec<_> = (0..100).map(|_| reserve_one(&server, "licensee/IP/validate".into())).collect();
        let granted = futures_util::future::join_all(attempts).await.into_iter().filter(|ok| *ok).count();
        assert_eq!(granted, 60, "{backend:?}: exactly the credits are granted");

        let after = api.post("licensee/IP/validate", "").await;
        assert_eq!(after.doc.items()[0].property("remainingQuantity"), Some("0"), "{backend:?}");
        let license = api.get("license?filter=licenseeNumber%3DIP").await;
        assert_eq!(license.doc.items()[0].property("usedQuantity"), Some("60"), "{backend:?}");
        server.stop().await;
    }
}

async fn check_out(server: &TestServer, session: usize) -> bool {
    let api = Api::demo(server, Format::Xml);
    let form = format!("productModuleNumber0=MF&sessionId0=s{session}&action0=checkOut");
    let answer = api.post("licensee/IF/validate", &form).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    answer.doc.items()[0].property("valid") == Some("true")
}

#[tokio::test]
async fn parallel_check_outs_take_exactly_the_pool() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Xml);
        api.post("product", "number=PF&name=P").await;
        api.post(
            "productmodule",
            "number=MF&productNumber=PF&name=Seats&licensingModel=Floating&maxCheckoutValidity=3600",
        )
        .await;
        api.post("licensetemplate", "number=EF&productModuleNumber=MF&name=Seats&licenseType=FLOATING&maxSessions=10")
            .await;
        api.post("licensee", "number=IF&productNumber=PF").await;
        api.post("license", "licenseeNumber=IF&licenseTemplateNumber=EF").await;

        let attempts: Vec<_> = (0..50).map(|i| check_out(&server, i)).collect();
        let granted = futures_util::future::join_all(attempts).await.into_iter().filter(|ok| *ok).count();
        assert_eq!(granted, 10, "{backend:?}: exactly the pool is granted");
        let license = api.get("license?filter=licenseeNumber%3DIF").await;
        let sessions = license.doc.items()[0].properties.iter().filter(|p| p.name.starts_with("sessionId_")).count();
        assert_eq!(sessions, 10, "{backend:?}");

        let back = api.post("licensee/IF/validate", "productModuleNumber0=MF&sessionId0=s0&action0=checkIn").await;
        assert_eq!(back.doc.items()[0].property("valid"), Some("false"), "check-in answers valid=false");
        server.stop().await;
    }
}

#[tokio::test]
async fn two_servers_on_one_postgresql_grant_exactly_the_credits() {
    if !Backend::available().contains(&Backend::Postgres) {
        eprintln!("DATABASE_URL names no PostgreSQL database: the two-server test needs one");
        return;
    }
    let mut server = TestServer::start(Backend::Postgres).await;
    let replica = server.replica().await;
    let api = Api::demo(&server, Format::Xml);
    api.post("product", "number=PP&name=P").await;
    api.post("productmodule", "number=MP&productNumber=PP&name=Credits&licensingModel=PayPerUse").await;
    api.post("licensetemplate", "number=EP&productModuleNumber=MP&name=Pack&licenseType=QUANTITY&quantity=60").await;
    api.post("licensee", "number=IP&productNumber=PP").await;
    api.post("license", "licenseeNumber=IP&licenseTemplateNumber=EP").await;

    let client = reqwest::Client::new();
    let attempts: Vec<_> = (0..100)
        .map(|i| {
            let base = if i % 2 == 0 { server.base.clone() } else { replica.clone() };
            let client = client.clone();
            async move {
                let response = client
                    .post(format!("{base}/core/v2/rest/licensee/IP/validate"))
                    .basic_auth("demo", Some("demo"))
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("productModuleNumber0=MP&reserveQuantity0=1")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200);
                let doc = Format::Json.decode(&response.bytes().await.unwrap()).unwrap();
                doc.items()[0].property("valid") == Some("true")
            }
        })
        .collect();
    let granted = futures_util::future::join_all(attempts).await.into_iter().filter(|ok| *ok).count();
    assert_eq!(granted, 60, "two servers on one database grant exactly the credits");
    server.stop().await;
}

/// First validations of one new customer number, all at once: every answer is 200 and valid, and exactly one
/// licensee with one license of the automatic template, and one auto transaction, is created.
#[tokio::test]
async fn parallel_first_validations_create_the_licensee_once() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Xml);
        api.post("product", "number=PN&name=P&licenseeAutoCreate=true").await;
        api.post("productmodule", "number=MN&productNumber=PN&name=Trial&licensingModel=TryAndBuy").await;
        api.post(
            "licensetemplate",
            "number=EN&productModuleNumber=MN&name=Eval&licenseType=TIMEVOLUME&timeVolume=14&timeVolumePeriod=DAY\
             &automatic=true",
        )
        .await;
        let first = |_| async {
            let api = Api::demo(&server, Format::Xml);
            api.post("licensee/IN-NEW/validate", "productNumber=PN").await
        };
        let answers = futures_util::future::join_all((0..32).map(first)).await;
        for answer in &answers {
            assert_eq!(answer.status, 200, "{backend:?}: {:?}", answer.doc);
            assert_eq!(answer.doc.items()[0].property("valid"), Some("true"), "{backend:?}: {:?}", answer.doc);
        }
        let licensees = api.get("licensee?filter=number%3DIN-NEW").await;
        assert_eq!(licensees.doc.items().len(), 1, "{backend:?}");
        let licenses = api.get("license?filter=licenseeNumber%3DIN-NEW").await;
        assert_eq!(licenses.doc.items().len(), 1, "{backend:?}: one license of the automatic template");
        let transactions = api.get("transaction").await;
        let auto = transactions.doc.items().iter().filter(|t| t.property("licenseeNumber") == Some("IN-NEW")).count();
        assert_eq!(auto, 1, "{backend:?}: one auto transaction");
        server.stop().await;
    }
}
