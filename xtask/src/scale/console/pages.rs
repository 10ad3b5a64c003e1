//! The pages the console benchmark fetches: every kind of console page over the seeded vendor, each with the
//! text its body must show for the answer to count (so a fast empty answer cannot pass for a fast page).

use super::super::PRODUCT;

/// The console's list page size.
const PAGE_SIZE: u64 = 25;

/// What a page is, for its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A list (customers, transactions, products, ...): under 50 ms server time, every fetch under 200 ms.
    List,
    /// Any other page: under 50 ms server time.
    Page,
    /// `/health`, for reference: no target, no session.
    Reference,
}

/// One page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its name in the table.
    pub name: String,
    /// Path and query.
    pub path: String,
    /// What it is judged as.
    pub kind: Kind,
    /// Text the body must contain (empty: anything).
    pub expect: String,
}

/// What the pages are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Seeded licensees (each with one seeded transaction).
    pub licensees: u64,
    /// The customer picked, `SCALE-I<customer>`.
    pub customer: u64,
    /// A license of that customer.
    pub license: String,
}

/// The zero-based page 90 % of the way through `total` items.
pub fn deep_page(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE) * 9 / 10
}

fn page(name: impl Into<String>, path: impl Into<String>, kind: Kind, expect: impl Into<String>) -> Page {
    Page { name: name.into(), path: path.into(), kind, expect: expect.into() }
}

/// Every page, in the order fetched.
pub fn pages(subject: &Subject) -> Vec<Page> {
    let n = subject.customer;
    let customer = format!("SCALE-I{n}");
    let linked = format!(">{customer}</a>");
    let table = "id=\"customers\"";
    // The seed's sample customer and its five transactions come on top of the bulk ones.
    let deep_customers = deep_page(subject.licensees + 1);
    let deep_transactions = deep_page(subject.licensees + 5);
    let list = Kind::List;
    vec![
        page("dashboard", "/console", Kind::Page, "Validations per day"),
        page("products", "/console/products", list, PRODUCT),
        page("product", format!("/console/products/{PRODUCT}"), Kind::Page, "MSCALE-FL"),
        page("customers, newest first", "/console/customers", list, table),
        page(
            format!("customers, newest first, page {deep_customers}"),
            format!("/console/customers?page={deep_customers}"),
            list,
            table,
        ),
        page("customers, oldest first", "/console/customers?order=oldest", list, table),
        page(
            format!("customers, oldest first, page {deep_customers}"),
            format!("/console/customers?order=oldest&page={deep_customers}"),
            list,
            table,
        ),
        page("customers, by name", "/console/customers?order=name", list, table),
        page(
            format!("customers, by name, page {deep_customers}"),
            format!("/console/customers?order=name&page={deep_customers}"),
            list,
            table,
        ),
        page("customers, search by number", format!("/console/customers?q={customer}&by=number"), list, &linked),
        page("customers, search by name", format!("/console/customers?q=Customer+{n}&by=name"), list, &linked),
        page(
            format!("customers, search by custom property crm={}", n % 1000),
            format!("/console/customers?q={}&by=property&property=crm", n % 1000),
            list,
            table,
        ),
        page("customer", format!("/console/customers/{customer}"), Kind::Page, format!("SCALE-T{n}-0")),
        page("license", format!("/console/licenses/{}", subject.license), Kind::Page, subject.license.as_str()),
        page("transactions", "/console/transactions", list, "SCALE-T"),
        page(
            format!("transactions, page {deep_transactions}"),
            format!("/console/transactions?page={deep_transactions}"),
            list,
            "SCALE-T",
        ),
        page("tokens", "/console/tokens", list, ""),
        page("bundles", "/console/bundles", list, ""),
        page("notifications", "/console/notifications", list, ""),
        page("settings", "/console/settings", Kind::Page, ""),
        page("branding", "/console/branding", Kind::Page, ""),
        page("/health (reference)", "/health", Kind::Reference, ""),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_picked_customer_and_deep_pages() {
        let subject = Subject { licensees: 100_000, customer: 4242, license: "SCALE-L4242-0".into() };
        let pages = pages(&subject);
        let path = |name: &str| pages.iter().find(|p| p.name == name).map(|p| p.path.as_str());
        assert_eq!(path("customer"), Some("/console/customers/SCALE-I4242"));
        assert_eq!(path("customers, search by name"), Some("/console/customers?q=Customer+4242&by=name"));
        assert_eq!(path("customers, oldest first, page 3600"), Some("/console/customers?order=oldest&page=3600"));
        assert_eq!(path("transactions, page 3600"), Some("/console/transactions?page=3600"));
        assert_eq!(path("license"), Some("/console/licenses/SCALE-L4242-0"));
        assert!(pages.iter().any(|p| p.path == "/console/customers?q=242&by=property&property=crm"));
        assert_eq!(pages.iter().filter(|p| p.kind == Kind::Reference).count(), 1);
        assert_eq!(deep_page(100), 3);
        assert_eq!(deep_page(1), 0);
    }
}
