//! The `filter` list parameter (`key=value;key2=value2`) with paging keys `page` and `items`.

use netlicensing_model::types::{TransactionSource, WireValue};

use crate::{
    error::{CoreError, CoreResult},
    record::{Condition, Kind, MAX_PAGE_SIZE, Query},
};

/// Builds a list query from the `filter` text (and plain query parameters, which clients also send).
/// Known keys become conditions; `page` and `items` select the page (items clamped to 1..=1000); any other key
/// matches a property of that name exactly. On transactions, `shopOnly=true` keeps those of source `SHOP`.
pub fn parse(kind: Kind, filter: Option<&str>, plain: &[(&str, &str)]) -> CoreResult<Query> {
    let mut query = Query::default();
    let pairs = filter
        .into_iter()
        .flat_map(|f| f.split(';'))
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .chain(plain.iter().copied());
    for (key, value) in pairs {
        let (key, value) = (key.trim(), value.trim());
        match key {
            "page" => query.page = number(key, value)?,
            "items" => query.items = number(key, value)?.clamp(1, MAX_PAGE_SIZE),
            "number" => query.conditions.push(Condition::Number(value.to_owned())),
            "active" => query.conditions.push(Condition::Active(bool::parse_property(key, value)?)),
            "filter" | "" => {}
            SHOP_ONLY if kind == Kind::Transaction => {
                if bool::parse_property(key, value)? {
                    let shop = TransactionSource::Shop.to_wire().into_owned();
                    query.conditions.push(Condition::Property("source".into(), shop));
                }
            }
            _ => query.conditions.push(link(kind, key, value)),
        }
    }
    Ok(query)
}

/// The transaction list filter of the clients (`Constants.Transaction.SOURCE_SHOP_ONLY`).
const SHOP_ONLY: &str = "shopOnly";

fn number(key: &str, value: &str) -> CoreResult<u64> {
    value
        .parse()
        .map_err(|_| CoreError::Malformed(format!("Filter '{key}' needs a non-negative number, not '{value}'")))
}

/// A link condition when `key` names a link of the kind (`productNumber`, direct or derived), otherwise a
/// property condition.
fn link(kind: Kind, key: &str, value: &str) -> Condition {
    match kind.links().iter().find(|link| link.link_property() == Some(key)) {
        Some(link) => Condition::Link(*link, value.to_owned()),
        None => Condition::Property(key.to_owned(), value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::LinkKind;

    #[test]
    fn filter_pairs_paging_and_plain_parameters() {
        let q = parse(Kind::Licensee, Some("productNumber=P1;page=2;items=5000;active=True;crm=7"), &[]).unwrap();
        assert_eq!(q.page, 2);
        assert_eq!(q.items, MAX_PAGE_SIZE);
        assert_eq!(
            q.conditions,
            [
                Condition::Link(LinkKind::Product, "P1".into()),
                Condition::Active(true),
                Condition::Property("crm".into(), "7".into())
            ]
        );
        let q = parse(Kind::Transaction, None, &[("licenseeNumber", "I1")]).unwrap();
        assert_eq!(q.conditions, [Condition::Property("licenseeNumber".into(), "I1".into())]);
        assert!(parse(Kind::Product, Some("page=-1"), &[]).is_err());
        assert!(parse(Kind::Product, Some("active=maybe"), &[]).is_err());
        assert_eq!(parse(Kind::Product, Some(";;page=1;"), &[]).unwrap().page, 1);
        let shop = parse(Kind::Transaction, Some("shopOnly=true"), &[]).unwrap();
        assert_eq!(shop.conditions, [Condition::Property("source".into(), "SHOP".into())]);
        assert!(parse(Kind::Transaction, Some("shopOnly=false"), &[]).unwrap().conditions.is_empty());
        assert!(parse(Kind::Transaction, Some("shopOnly=maybe"), &[]).is_err());
    }
}
