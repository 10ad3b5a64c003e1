//! The transaction pages: the list newest first, filtered by status and source, and a transaction with the
//! licenses joined to it.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

#[tokio::test]
async fn transactions_list_filters_and_joins() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PX&name=Tx").await;
        api.post("productmodule", "number=MX&productNumber=PX&name=Mod&licensingModel=Subscription").await;
        api.post("licensetemplate", "number=EX&productModuleNumber=MX&name=Year&licenseType=FEATURE").await;
        api.post("licensee", "number=IX&productNumber=PX").await;
        api.post("licensee", "number=IGONE&productNumber=PX").await;
        let closed = api
            .post(
                "transaction",
                "number=TCLOSED&status=CLOSED&source=SHOP&licenseeNumber=IX&grandTotal=10&currency=EUR",
            )
            .await;
        assert_eq!(closed.status, 200);
        let license =
            api.post("license", "number=LX&licenseeNumber=IX&licenseTemplateNumber=EX&transactionNumber=TCLOSED").await;
        assert_eq!(license.status, 200);
        api.post("license", "number=LY&licenseeNumber=IX&licenseTemplateNumber=EX&transactionNumber=TCLOSED").await;
        api.post("transaction", "number=TPENDING&status=PENDING&source=SHOP&licenseeNumber=IX").await;
        assert_eq!(api.delete("licensee/IGONE").await.status, 204);

        let web = Web::signed_in(&server, "demo", "demo").await;
        let all = web.get("/console/transactions").await;
        assert_eq!(all.status, 200);
        let (pending, closed) = (all.body.find(">TPENDING<").unwrap(), all.body.find(">TCLOSED<").unwrap());
        assert!(pending < closed, "newest first");
        assert!(all.body.contains("AUTO_LICENSEE_DELETE"), "{}", all.body);
        let only_pending = web.get("/console/transactions?status=PENDING").await;
        assert!(only_pending.body.contains(">TPENDING<") && !only_pending.body.contains(">TCLOSED<"));
        let shop = web.get("/console/transactions?source=SHOP").await;
        assert!(shop.body.contains(">TCLOSED<") && !shop.body.contains("<td>AUTO_LICENSEE_DELETE"), "{}", shop.body);
        let none = web.get("/console/transactions?status=CANCELLED").await;
        assert!(none.body.contains("id=\"no-transactions\""));
        let unknown = web.get("/console/transactions?status=bogus").await;
        assert!(unknown.body.contains(">TCLOSED<"), "an unknown status filters nothing");

        let page = web.get("/console/transactions/TCLOSED").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<dd>10.00</dd>") || page.body.contains("<dd>10</dd>"), "{}", page.body);
        let linked = |l: &str| format!("<td><a href=\"/console/licenses/{l}\">{l}</a></td>");
        assert!(page.body.contains(&linked("LX")) && page.body.contains(&linked("LY")), "{}", page.body);
        assert!(page.body.contains("/console/customers/IX") && page.body.contains("<td>EX</td>"));
        assert_eq!(api.delete("license/LY").await.status, 204);
        let gone = web.get("/console/transactions/TCLOSED").await.body;
        assert!(gone.contains("<td>LY</td><td colspan=\"4\">deleted since</td>"), "{gone}");
        assert_eq!(web.get("/console/transactions/TNOPE").await.status, 404);
        let dashboard = web.get("/console").await;
        assert!(dashboard.body.contains("/console/transactions/TCLOSED"));
        server.stop().await;
    }
}
