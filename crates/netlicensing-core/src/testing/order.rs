//! Lists by name: customers without a name first, then by name (in the database's collation), equal names in
//! creation order; pages follow that order; the API's order (by id) is unchanged. Lists newest first: the
//! reverse of creation, pages and filters included. A walk after a storage id, uncounted.

use netlicensing_model::entity::Licensee;

use super::{form, new_vendor};
use crate::{
    Core,
    record::{Kind, Order, Query},
};

pub async fn lists_by_name(core: &Core) {
    let vendor = new_vendor(core).await;
    core.create_product(&vendor, &form("number=PO&name=Ordered")).await.unwrap();
    for (number, name) in [("I1", "Carol"), ("I2", "Dave"), ("I3", ""), ("I4", "Bob"), ("I5", "Carol"), ("I6", "Alice")]
    {
        let name = if name.is_empty() { String::new() } else { format!("&name={name}") };
        core.create_licensee(&vendor, &form(&format!("number={number}&productNumber=PO{name}"))).await.unwrap();
    }
    let numbers = |page: Vec<Licensee>| page.into_iter().map(|l| l.number).collect::<Vec<_>>();
    let all = core.list_in_order::<Licensee>(&vendor, None, &[("items", "100")], Order::Name).await.unwrap();
    assert_eq!(numbers(all.items), ["I3", "I6", "I4", "I1", "I5", "I2"], "no name first; ties by id");
    let second =
        core.list_in_order::<Licensee>(&vendor, None, &[("items", "2"), ("page", "1")], Order::Name).await.unwrap();
    assert_eq!((numbers(second.items), second.paging.total_items), (vec!["I4".to_owned(), "I1".to_owned()], 6));
    let filtered = core.list_in_order::<Licensee>(&vendor, None, &[("name", "Carol")], Order::Name).await.unwrap();
    assert_eq!(numbers(filtered.items), ["I1", "I5"]);
    let api = core.list::<Licensee>(&vendor, None, &[]).await.unwrap();
    assert_eq!(numbers(api.items), ["I1", "I2", "I3", "I4", "I5", "I6"], "the API's order is by id");
}

pub async fn lists_newest_first(core: &Core) {
    let vendor = new_vendor(core).await;
    core.create_product(&vendor, &form("number=PN&name=Newest")).await.unwrap();
    for i in 1..=5 {
        let crm = if i % 2 == 1 { "&crm=odd" } else { "" };
        core.create_licensee(&vendor, &form(&format!("number=N{i}&productNumber=PN{crm}"))).await.unwrap();
    }
    let numbers = |page: Vec<Licensee>| page.into_iter().map(|l| l.number).collect::<Vec<_>>();
    let all = core.list_in_order::<Licensee>(&vendor, None, &[("items", "100")], Order::Newest).await.unwrap();
    assert_eq!(numbers(all.items), ["N5", "N4", "N3", "N2", "N1"]);
    let last =
        core.list_in_order::<Licensee>(&vendor, None, &[("items", "2"), ("page", "2")], Order::Newest).await.unwrap();
    assert_eq!((numbers(last.items), last.paging.total_items), (vec!["N1".to_owned()], 5));
    let odd = core.list_in_order::<Licensee>(&vendor, None, &[("crm", "odd"), ("items", "2")], Order::Newest).await;
    let odd = odd.unwrap();
    assert_eq!((numbers(odd.items), odd.paging.total_items), (vec!["N5".to_owned(), "N3".to_owned()], 3));
}

/// A walk after a storage id (the export's): the records after it, in id order, a page at a time, uncounted
/// (the total is the page's size), and nothing of another vendor.
pub async fn walks_after_an_id(core: &Core) {
    let vendor = new_vendor(core).await;
    let other = new_vendor(core).await;
    core.create_product(&vendor, &form("number=PW&name=Walk")).await.unwrap();
    core.create_product(&other, &form("number=PW&name=Walk")).await.unwrap();
    for i in 1..=5 {
        core.create_licensee(&vendor, &form(&format!("number=W{i}&productNumber=PW"))).await.unwrap();
        core.create_licensee(&other, &form(&format!("number=X{i}&productNumber=PW"))).await.unwrap();
    }
    let mut tx = core.store().read().await.unwrap();
    let (mut after, mut seen, mut pages) = (0, Vec::new(), 0);
    loop {
        let page = tx.list(vendor.vendor, Kind::Licensee, &Query::after(after, 2)).await.unwrap();
        assert_eq!(page.total, page.records.len() as u64, "an uncounted page's total is its size");
        let Some(last) = page.records.last() else { break };
        after = last.id;
        pages += 1;
        seen.extend(page.records.into_iter().map(|r| r.number));
    }
    assert_eq!(seen, ["W1", "W2", "W3", "W4", "W5"]);
    assert_eq!(pages, 3);
}
