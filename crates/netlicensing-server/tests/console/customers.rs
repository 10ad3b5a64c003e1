//! The customer list's orders: newest first (the default), oldest first, and by name (customers without a
//! name first), each paging through every customer once; a search keeps its order.

use netlicensing_model::Format;

use super::Web;
use crate::common::{Api, Backend, TestServer};

/// The customer numbers of a list page, in order.
fn numbers(body: &str) -> Vec<String> {
    body.split("<a href=\"/console/customers/").skip(1).map(|s| s.chars().take_while(|c| *c != '"').collect()).collect()
}

#[tokio::test]
async fn customers_by_name_newest_and_oldest() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let api = Api::demo(&server, Format::Json);
        api.post("product", "number=PC&name=Customers").await;
        // 30 customers, created in an order unlike their names' (C29 is "Name 00", C0 "Name 29"), one unnamed.
        for i in 0..30 {
            let name = if i == 7 { String::new() } else { format!("&name=Name+{:02}", 29 - i) };
            assert_eq!(api.post("licensee", &format!("number=C{i}&productNumber=PC{name}")).await.status, 200);
        }
        let web = Web::signed_in(&server, "demo", "demo").await;
        let by_name = web.get("/console/customers?order=name").await;
        assert_eq!(by_name.status, 200);
        assert!(by_name.body.contains("<option value=\"name\" selected>"), "{}", by_name.body);
        let first = numbers(&by_name.body);
        assert_eq!(first.len(), 25);
        assert_eq!(&first[..3], ["C7", "C29", "C28"], "no name first, then by name");
        let rest = numbers(&web.get("/console/customers?order=name&page=1").await.body);
        assert_eq!(rest, ["C4", "C3", "C2", "C1", "C0"]);
        assert!(by_name.body.contains("order=name&#38;page=1"), "the pager keeps the order: {}", by_name.body);

        let newest = numbers(&web.get("/console/customers").await.body);
        assert_eq!(&newest[..2], ["C29", "C28"]);
        let oldest = numbers(&web.get("/console/customers?order=oldest").await.body);
        assert_eq!(&oldest[..2], ["C0", "C1"]);
        let found = numbers(&web.get("/console/customers?order=name&by=name&q=Name+05").await.body);
        assert_eq!(found, ["C24"]);
        server.stop().await;
    }
}
