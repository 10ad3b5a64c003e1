//! The resource tables as the store sees them: for each kind its table, the standard properties it keeps in
//! columns, and the foreign-key column of each parent. Which parents a kind has is the model's declaration
//! (`Kind::parents`); the tests check that every kind has a table with a column for each of its parents, in
//! order, and that the columns are the entities' relations. The joins that bring in a record's derived links
//! and the `inUse` test follow from the parent columns.

use netlicensing_core::record::{Kind, LinkKind};

use super::{entity, fields::Field};

/// A resource table.
#[derive(Debug)]
pub struct Table {
    /// The kind stored in it.
    pub kind: Kind,
    /// Table name (also the `kind` of its rows in `attribute`).
    pub name: &'static str,
    /// Standard properties in typed columns.
    pub fields: &'static [Field],
    /// The foreign-key column of each direct parent, in the order of `Kind::parents`.
    pub parents: &'static [(LinkKind, &'static str)],
}

/// Every resource table, parents before children.
pub const TABLES: &[Table] = &[
    Table { kind: Kind::Product, name: "product", fields: entity::product::FIELDS, parents: &[] },
    Table {
        kind: Kind::ProductModule,
        name: "product_module",
        fields: entity::product_module::FIELDS,
        parents: &[(LinkKind::Product, "product_id")],
    },
    Table {
        kind: Kind::LicenseTemplate,
        name: "license_template",
        fields: entity::license_template::FIELDS,
        parents: &[(LinkKind::ProductModule, "product_module_id")],
    },
    Table {
        kind: Kind::Licensee,
        name: "licensee",
        fields: entity::licensee::FIELDS,
        parents: &[(LinkKind::Product, "product_id")],
    },
    Table {
        kind: Kind::License,
        name: "license",
        fields: entity::license::FIELDS,
        parents: &[(LinkKind::Licensee, "licensee_id"), (LinkKind::LicenseTemplate, "license_template_id")],
    },
    Table { kind: Kind::Bundle, name: "bundle", fields: entity::bundle::FIELDS, parents: &[] },
    Table { kind: Kind::Token, name: "token", fields: entity::token::FIELDS, parents: &[] },
    Table { kind: Kind::Transaction, name: "transaction", fields: entity::transaction::FIELDS, parents: &[] },
    Table { kind: Kind::Notification, name: "notification", fields: entity::notification::FIELDS, parents: &[] },
    Table { kind: Kind::PaymentMethod, name: "payment_method", fields: entity::payment_method::FIELDS, parents: &[] },
];

/// The table of a kind.
pub fn table(kind: Kind) -> &'static Table {
    // Every kind has a table; the fallback is never reached (checked by a test).
    TABLES.iter().find(|t| t.kind == kind).unwrap_or(&TABLES[0])
}

impl Table {
    /// The field kept for a wire property name.
    pub fn field(&self, wire: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.wire == wire)
    }

    /// The foreign-key column of a direct parent link.
    pub fn parent_column(&self, link: LinkKind) -> Option<&'static str> {
        self.parents.iter().find(|(l, _)| *l == link).map(|(_, column)| *column)
    }
}

/// Alias of the record's own table in selects.
pub const T: &str = "t";

/// Table alias of each link in the record select: the linked table's name.
pub fn alias(link: LinkKind) -> &'static str {
    table(link).name
}

/// A join that brings in one link: `JOIN <table> <alias> ON <alias>.id = <from>.<column>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Join {
    /// The link it brings in.
    pub link: LinkKind,
    /// The joined table.
    pub table: &'static str,
    /// Its alias.
    pub alias: &'static str,
    /// Alias of the table holding the foreign key.
    pub from: &'static str,
    /// The foreign-key column.
    pub column: &'static str,
}

/// Every link of a kind, direct and derived (a license's product module and product), as joins in order:
/// direct parents first, then theirs; a link reachable twice is joined once, by the first path.
pub fn joins(kind: Kind) -> Vec<Join> {
    let mut out: Vec<Join> = Vec::new();
    let mut queue: Vec<(Kind, &'static str)> = vec![(kind, T)];
    let mut next = 0;
    while next < queue.len() {
        let (current, from) = queue[next];
        next += 1;
        for (link, column) in table(current).parents {
            if out.iter().any(|j| j.link == *link) {
                continue;
            }
            let join = Join { link: *link, table: table(*link).name, alias: alias(*link), from, column };
            out.push(join);
            queue.push((*link, join.alias));
        }
    }
    out
}

/// The tables whose rows point at a row of `kind`: (child table, foreign-key column).
pub fn children(kind: Kind) -> Vec<(&'static str, &'static str)> {
    TABLES
        .iter()
        .flat_map(|t| t.parents.iter().filter(|(link, _)| *link == kind).map(move |(_, column)| (t.name, *column)))
        .collect()
}

/// Whether `link` is reachable from `kind` through parent links.
pub fn reaches(kind: Kind, link: LinkKind) -> bool {
    kind.links().contains(&link)
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityName, RelationDef, RelationTrait};

    use super::*;

    #[test]
    fn every_kind_has_one_table_with_a_column_per_declared_parent() {
        assert_eq!(TABLES.len(), Kind::ALL.len());
        for kind in Kind::ALL {
            let table = table(kind);
            assert_eq!(table.kind, kind);
            let links: Vec<LinkKind> = table.parents.iter().map(|(link, _)| *link).collect();
            assert_eq!(links, kind.parents(), "{kind:?}");
            let children: Vec<&str> = children(kind).iter().map(|(t, _)| *t).collect();
            let expected: Vec<&str> = kind.children().iter().map(|k| super::table(*k).name).collect();
            assert_eq!(children, expected, "{kind:?}");
            let joined: Vec<LinkKind> = joins(kind).iter().map(|j| j.link).collect();
            assert_eq!(joined, kind.links(), "{kind:?}");
            for join in joins(kind) {
                assert!(join.alias != T && join.alias != "c", "{kind:?}: alias {}", join.alias);
                for suffix in ["_id", "_number"] {
                    let selected = format!("{}{suffix}", join.alias);
                    assert!(table.fields.iter().all(|f| f.column != selected), "{kind:?}: {selected} twice");
                }
            }
        }
    }

    fn relation(def: RelationDef) -> (String, String, String) {
        let name = |t: &sea_orm::sea_query::TableRef| format!("{t:?}");
        (name(&def.from_tbl), format!("{:?}", def.from_col), name(&def.to_tbl))
    }

    #[test]
    fn parents_match_the_entities_relations() {
        use super::entity::*;
        let declared = [
            relation(product_module::Relation::Product.def()),
            relation(license_template::Relation::ProductModule.def()),
            relation(licensee::Relation::Product.def()),
            relation(license::Relation::Licensee.def()),
            relation(license::Relation::LicenseTemplate.def()),
        ];
        let mut from_tables = Vec::new();
        for table in TABLES {
            for (link, column) in table.parents {
                from_tables.push((table.name, *column, super::table(*link).name));
            }
        }
        assert_eq!(declared.len(), from_tables.len());
        for ((from, column, to), (name, col, parent)) in declared.iter().zip(&from_tables) {
            assert!(from.contains(name) && column.contains(col) && to.contains(parent), "{from} {column} {to}");
        }
        assert_eq!(product::Entity.table_name(), "product");
    }

    #[test]
    fn license_joins_reach_every_link_once() {
        let joins = joins(Kind::License);
        let links: Vec<(LinkKind, &str, &str)> = joins.iter().map(|j| (j.link, j.from, j.column)).collect();
        assert_eq!(
            links,
            [
                (LinkKind::Licensee, "t", "licensee_id"),
                (LinkKind::LicenseTemplate, "t", "license_template_id"),
                (LinkKind::Product, "licensee", "product_id"),
                (LinkKind::ProductModule, "license_template", "product_module_id"),
            ]
        );
        assert!(reaches(Kind::LicenseTemplate, LinkKind::Product));
        assert!(!reaches(Kind::Product, LinkKind::Product));
    }
}
