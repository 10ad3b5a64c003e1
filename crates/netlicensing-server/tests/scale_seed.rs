//! The benchmark seeder (`netlicensing-server seed`, what `cargo xtask bench scale` and `bench console` measure
//! on): named customers with licenses and the custom property `crm`, and transactions joined to their licenses,
//! as the API and the console show them; a second run adds nothing.

use std::sync::Arc;

use netlicensing_core::Core;
use netlicensing_model::Format;
use netlicensing_server::{
    db::store::SqlStore,
    seed::{SeedOptions, seed},
};

use crate::{
    common::{Api, Backend, TestServer},
    console::Web,
};

#[tokio::test]
async fn seeded_customers_are_named_and_their_transactions_joined() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let connection = netlicensing_server::db::connect(&server.db.url, server.db.schema.as_deref()).await.unwrap();
        let core = Core::new(Arc::new(SqlStore::new(connection)));
        let options =
            SeedOptions { licensees: 3, licenses_per_licensee: 2, transactions_per_licensee: 1, vendor: "demo".into() };
        let report = seed(&core, &options, None).await.unwrap();
        assert_eq!((report.rows, report.skipped_licensees), (3 * (1 + 2 + 1), 0), "{backend:?}");

        let api = Api::demo(&server, Format::Json);
        let licensee = api.get("licensee/SCALE-I2").await;
        assert_eq!((licensee.property("name"), licensee.property("crm")), (Some("Customer 2"), Some("2")));
        let transaction = api.get("transaction/SCALE-T2-0").await;
        assert_eq!(transaction.status, 200, "{:?}", transaction.doc);
        assert_eq!(transaction.property("licenseeNumber"), Some("SCALE-I2"));
        assert_eq!(transaction.property("source"), Some("AUTO_LICENSE_CREATE"));
        assert_eq!(transaction.property("status"), Some("CLOSED"));
        let licenses = api.get("license?licenseeNumber=SCALE-I2").await;
        assert_eq!(licenses.doc.items().len(), 2);

        let web = Web::signed_in(&server, "demo", "demo").await;
        let by_name = web.get("/console/customers?q=Customer+1&by=name").await;
        assert_eq!(by_name.status, 200);
        assert!(by_name.body.contains(">SCALE-I1</a>") && !by_name.body.contains(">SCALE-I2</a>"), "{}", by_name.body);
        let customer = web.get("/console/customers/SCALE-I1").await;
        assert!(customer.body.contains("SCALE-T1-0") && !customer.body.contains("SCALE-T2-0"), "{}", customer.body);
        let joined = web.get("/console/transactions/SCALE-T2-0").await;
        assert!(joined.body.contains("SCALE-L2-0") && !joined.body.contains("SCALE-L2-1"), "{}", joined.body);

        let again = seed(&core, &options, None).await.unwrap();
        assert_eq!((again.rows, again.skipped_licensees), (0, 3), "a second run adds nothing");
        server.stop().await;
    }
}
