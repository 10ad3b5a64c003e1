//! Lists by name: customers without a name first, then by name (in the database's collation), equal names in
//! creation order; pages follow that order; the API's order (by id) is unchanged.

use netlicensing_model::entity::Licensee;

use super::{form, new_vendor};
use crate::{Core, record::Order};

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
