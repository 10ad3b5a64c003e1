//! The resource tables: one per kind, all of the same shape, with the links each one keeps.

use netlicensing_core::record::{Kind, LinkKind};

/// A resource table.
pub struct Table {
    /// The kind stored in it.
    pub kind: Kind,
    /// Table name.
    pub name: &'static str,
    /// Direct parents: link, foreign-key column, parent table.
    pub parents: &'static [(LinkKind, &'static str, &'static str)],
}

/// Every resource table, parents before children.
pub const TABLES: &[Table] = &[
    Table { kind: Kind::Product, name: "product", parents: &[] },
    Table {
        kind: Kind::ProductModule,
        name: "product_module",
        parents: &[(LinkKind::Product, "product_id", "product")],
    },
    Table {
        kind: Kind::LicenseTemplate,
        name: "license_template",
        parents: &[(LinkKind::ProductModule, "product_module_id", "product_module")],
    },
    Table { kind: Kind::Licensee, name: "licensee", parents: &[(LinkKind::Product, "product_id", "product")] },
    Table {
        kind: Kind::License,
        name: "license",
        parents: &[
            (LinkKind::Licensee, "licensee_id", "licensee"),
            (LinkKind::LicenseTemplate, "license_template_id", "license_template"),
        ],
    },
    Table { kind: Kind::Bundle, name: "bundle", parents: &[] },
    Table { kind: Kind::Token, name: "token", parents: &[] },
    Table { kind: Kind::Transaction, name: "transaction", parents: &[] },
    Table { kind: Kind::Notification, name: "notification", parents: &[] },
    Table { kind: Kind::PaymentMethod, name: "payment_method", parents: &[] },
];

/// The table of a kind.
pub fn table(kind: Kind) -> &'static Table {
    // Every kind has a table; the fallback is never reached (checked by a test).
    TABLES.iter().find(|t| t.kind == kind).unwrap_or(&TABLES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_table_with_its_parents() {
        for kind in Kind::ALL {
            let table = table(kind);
            assert_eq!(table.kind, kind);
            let links: Vec<LinkKind> = table.parents.iter().map(|(link, _, _)| *link).collect();
            assert_eq!(links, kind.parents());
        }
    }
}
