//! The resources: one declaration per resource ([`SPECS`]) that the API description, core's rules and the
//! server's storage all read. Everything else about a resource's identity is derived from it: its links
//! (every ancestor, from the parents), its children (from the other resources' parents), the links its items
//! show (those among its entity's standard properties) and the permissions core checks (from the access).

use std::sync::OnceLock;

use super::Access;
use crate::{
    entity::{self, Entity},
    types::ApiKeyRole,
};

/// A resource served by the generic list, get, create, update and delete handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// `product`
    Product,
    /// `productmodule`
    ProductModule,
    /// `licensetemplate`
    LicenseTemplate,
    /// `licensee`
    Licensee,
    /// `license`
    License,
    /// `bundle`
    Bundle,
    /// `notification`
    Notification,
    /// `transaction` (no delete)
    Transaction,
    /// `paymentmethod` (no create, no delete)
    PaymentMethod,
    /// `token` (no update)
    Token,
}

/// The identity of a resource: everything the model, core and storage know of it besides its entity type
/// (see [`with_entity!`](crate::with_entity)) and its create and update rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSpec {
    /// The resource declared.
    pub resource: Resource,
    /// Path segment below [`super::BASE`] (`productmodule`).
    pub path: &'static str,
    /// The resource in prose (`product module`).
    pub noun: &'static str,
    /// Prefix of generated numbers (`M…`); tokens get UUIDs instead.
    pub number_prefix: char,
    /// Direct parents: a record is created linked to one of each, and deleted with it.
    pub parents: &'static [Resource],
    /// The wire property naming a link to this resource (`productNumber`), when it is a parent.
    pub link_property: Option<&'static str>,
    /// Which of create, update and delete it offers (list and get it always has).
    pub offers: Offers,
    /// Who may list and get.
    pub read: Access,
    /// Who may create, update and delete.
    pub write: Access,
}

const ANALYTICS: Access = Access::Role(ApiKeyRole::Analytics);
const OPERATION: Access = Access::Role(ApiKeyRole::Operation);
const MAINTENANCE: Access = Access::Role(ApiKeyRole::Maintenance);
const ADMIN: Access = Access::Role(ApiKeyRole::Admin);

/// Every resource's declaration, in route-table order, parents before children.
pub const SPECS: [ResourceSpec; 10] = [
    ResourceSpec {
        resource: Resource::Product,
        path: "product",
        noun: "product",
        number_prefix: 'P',
        parents: &[],
        link_property: Some("productNumber"),
        offers: Offers::ALL,
        read: ANALYTICS,
        write: MAINTENANCE,
    },
    ResourceSpec {
        resource: Resource::ProductModule,
        path: "productmodule",
        noun: "product module",
        number_prefix: 'M',
        parents: &[Resource::Product],
        link_property: Some("productModuleNumber"),
        offers: Offers::ALL,
        read: ANALYTICS,
        write: MAINTENANCE,
    },
    ResourceSpec {
        resource: Resource::LicenseTemplate,
        path: "licensetemplate",
        noun: "license template",
        number_prefix: 'E',
        parents: &[Resource::ProductModule],
        link_property: Some("licenseTemplateNumber"),
        offers: Offers::ALL,
        read: ANALYTICS,
        write: MAINTENANCE,
    },
    ResourceSpec {
        resource: Resource::Licensee,
        path: "licensee",
        noun: "licensee",
        number_prefix: 'I',
        parents: &[Resource::Product],
        link_property: Some("licenseeNumber"),
        offers: Offers::ALL,
        read: ANALYTICS,
        write: OPERATION,
    },
    ResourceSpec {
        resource: Resource::License,
        path: "license",
        noun: "license",
        number_prefix: 'L',
        parents: &[Resource::Licensee, Resource::LicenseTemplate],
        link_property: None,
        offers: Offers::ALL,
        read: ANALYTICS,
        write: OPERATION,
    },
    ResourceSpec {
        resource: Resource::Bundle,
        path: "bundle",
        noun: "bundle",
        number_prefix: 'B',
        parents: &[],
        link_property: None,
        offers: Offers::ALL,
        read: ANALYTICS,
        write: MAINTENANCE,
    },
    ResourceSpec {
        resource: Resource::Notification,
        path: "notification",
        noun: "notification",
        number_prefix: 'N',
        parents: &[],
        link_property: None,
        offers: Offers::ALL,
        read: ADMIN,
        write: ADMIN,
    },
    ResourceSpec {
        resource: Resource::Transaction,
        path: "transaction",
        noun: "transaction",
        number_prefix: 'T',
        parents: &[],
        link_property: None,
        offers: Offers { create: true, update: true, delete: false },
        read: ANALYTICS,
        write: ADMIN,
    },
    ResourceSpec {
        resource: Resource::PaymentMethod,
        path: "paymentmethod",
        noun: "payment method",
        number_prefix: 'Y',
        parents: &[],
        link_property: None,
        offers: Offers { create: false, update: true, delete: false },
        read: ADMIN,
        write: ADMIN,
    },
    ResourceSpec {
        resource: Resource::Token,
        path: "token",
        noun: "token",
        number_prefix: 'K',
        parents: &[],
        link_property: None,
        offers: Offers { create: true, update: false, delete: true },
        read: Access::VendorLogin,
        write: Access::VendorLogin,
    },
];

// `Resource::spec` indexes `SPECS` by discriminant: the declarations are in declaration order.
const _: () = {
    let mut i = 0;
    while i < SPECS.len() {
        assert!(SPECS[i].resource as usize == i, "SPECS must list the resources in declaration order");
        i += 1;
    }
};

impl Resource {
    /// Every resource, in route-table order (parents before children).
    pub const ALL: [Resource; SPECS.len()] = {
        let mut out = [Resource::Product; SPECS.len()];
        let mut i = 0;
        while i < SPECS.len() {
            out[i] = SPECS[i].resource;
            i += 1;
        }
        out
    };

    /// The resource's declaration.
    pub const fn spec(self) -> &'static ResourceSpec {
        &SPECS[self as usize]
    }

    /// Path segment below [`super::BASE`] (`productmodule`).
    pub const fn path(self) -> &'static str {
        self.spec().path
    }

    /// The `item` type of the resource's entities (`ProductModule`).
    pub fn item_type(self) -> &'static str {
        crate::with_entity!(self, |E| E::TYPE)
    }

    /// The resource in prose (`product module`).
    pub const fn noun(self) -> &'static str {
        self.spec().noun
    }

    /// Prefix of generated numbers (`P…`, `M…`); tokens get UUIDs instead.
    pub const fn number_prefix(self) -> char {
        self.spec().number_prefix
    }

    /// Which of create, update and delete the resource offers (list and get it always has).
    pub const fn offers(self) -> Offers {
        self.spec().offers
    }

    /// Who may list and get.
    pub const fn read_access(self) -> Access {
        self.spec().read
    }

    /// Who may create, update and delete.
    pub const fn write_access(self) -> Access {
        self.spec().write
    }

    /// The direct parents a record of this resource is created with.
    pub const fn parents(self) -> &'static [Resource] {
        self.spec().parents
    }

    /// The wire property naming a link to this resource (`productNumber`), when it is a parent.
    pub const fn link_property(self) -> Option<&'static str> {
        self.spec().link_property
    }

    /// The resources whose records hang off a record of this one (deleted with it on cascade).
    pub fn children(self) -> Vec<Resource> {
        Resource::ALL.into_iter().filter(|child| child.parents().contains(&self)).collect()
    }

    /// Every link of a record, direct and derived (a license's product module and product): the direct
    /// parents first, then theirs; each once, by its first path.
    pub fn links(self) -> &'static [Resource] {
        static LINKS: OnceLock<Vec<Vec<Resource>>> = OnceLock::new();
        let all = LINKS.get_or_init(|| Resource::ALL.iter().map(|r| r.reachable()).collect());
        &all[self as usize]
    }

    /// The links an item of this resource shows, with their wire property: those whose property is one of
    /// the entity's standard properties (a license shows its product module but not its product).
    pub fn shown_links(self) -> &'static [(Resource, &'static str)] {
        static SHOWN: OnceLock<Vec<Vec<(Resource, &'static str)>>> = OnceLock::new();
        let all = SHOWN.get_or_init(|| {
            Resource::ALL
                .iter()
                .map(|r| {
                    let standard = crate::with_entity!(*r, |E| E::STANDARD);
                    r.links()
                        .iter()
                        .filter_map(|link| link.link_property().map(|property| (*link, property)))
                        .filter(|(_, property)| standard.contains(property))
                        .collect()
                })
                .collect()
        });
        &all[self as usize]
    }

    /// The parents, breadth first.
    fn reachable(self) -> Vec<Resource> {
        let mut out: Vec<Resource> = Vec::new();
        let mut next = 0;
        let mut from = self;
        loop {
            for parent in from.parents() {
                if !out.contains(parent) {
                    out.push(*parent);
                }
            }
            let Some(parent) = out.get(next) else { return out };
            from = *parent;
            next += 1;
        }
    }
}

/// The optional operations of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offers {
    /// `POST /<resource>`
    pub create: bool,
    /// `POST` / `PUT /<resource>/{number}`
    pub update: bool,
    /// `DELETE /<resource>/{number}`
    pub delete: bool,
}

impl Offers {
    /// Create, update and delete.
    pub const ALL: Offers = Offers { create: true, update: true, delete: true };
}

/// An entity of a [`Resource`]: stored under a number, with an active flag.
pub trait ResourceEntity: Entity {
    /// The resource whose entities these are.
    const RESOURCE: Resource;
    /// The number.
    fn number(&self) -> &str;
    /// The active flag.
    fn active(&self) -> bool;
}

/// Runs `$body` with `$ty` as the entity type of a runtime [`Resource`]: the one place mapping a resource to
/// its Rust type (each type names its resource in [`ResourceEntity::RESOURCE`], tested to agree).
#[macro_export]
macro_rules! with_entity {
    ($resource:expr, |$ty:ident| $body:expr) => {
        match $resource {
            $crate::api::Resource::Product => {
                type $ty = $crate::entity::Product;
                $body
            }
            $crate::api::Resource::ProductModule => {
                type $ty = $crate::entity::ProductModule;
                $body
            }
            $crate::api::Resource::LicenseTemplate => {
                type $ty = $crate::entity::LicenseTemplate;
                $body
            }
            $crate::api::Resource::Licensee => {
                type $ty = $crate::entity::Licensee;
                $body
            }
            $crate::api::Resource::License => {
                type $ty = $crate::entity::License;
                $body
            }
            $crate::api::Resource::Bundle => {
                type $ty = $crate::entity::Bundle;
                $body
            }
            $crate::api::Resource::Notification => {
                type $ty = $crate::entity::Notification;
                $body
            }
            $crate::api::Resource::Transaction => {
                type $ty = $crate::entity::Transaction;
                $body
            }
            $crate::api::Resource::PaymentMethod => {
                type $ty = $crate::entity::PaymentMethod;
                $body
            }
            $crate::api::Resource::Token => {
                type $ty = $crate::entity::Token;
                $body
            }
        }
    };
}

/// Implements [`ResourceEntity`] for entities named like their resource, with `number` and `active` fields.
macro_rules! resource_entities {
    ($($name:ident),+) => {$(
        impl ResourceEntity for entity::$name {
            const RESOURCE: Resource = Resource::$name;
            fn number(&self) -> &str {
                &self.number
            }
            fn active(&self) -> bool {
                self.active
            }
        }
    )+};
}
resource_entities!(
    Product,
    ProductModule,
    LicenseTemplate,
    Licensee,
    License,
    Bundle,
    Notification,
    Transaction,
    PaymentMethod,
    Token
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_has_one_entity_type_naming_it() {
        for resource in Resource::ALL {
            assert_eq!(crate::with_entity!(resource, |E| <E as ResourceEntity>::RESOURCE), resource);
        }
    }

    #[test]
    fn links_and_children_are_derived_from_the_parents() {
        use Resource::*;
        assert_eq!(License.links(), [Licensee, LicenseTemplate, Product, ProductModule]);
        assert_eq!(LicenseTemplate.links(), [ProductModule, Product]);
        assert!(Product.links().is_empty() && Token.links().is_empty());
        assert_eq!(Product.children(), [ProductModule, Licensee]);
        assert_eq!(LicenseTemplate.children(), [License]);
        assert!(License.children().is_empty());
        let shown: Vec<&str> = License.shown_links().iter().map(|(_, p)| *p).collect();
        assert_eq!(shown, ["licenseeNumber", "licenseTemplateNumber", "productModuleNumber"]);
        assert_eq!(LicenseTemplate.shown_links(), [(ProductModule, "productModuleNumber")]);
        assert_eq!(Licensee.shown_links(), [(Product, "productNumber")]);
    }

    #[test]
    fn parents_come_first_and_name_their_links() {
        for resource in Resource::ALL {
            for parent in resource.parents() {
                let position = |r: Resource| Resource::ALL.iter().position(|x| *x == r);
                assert!(position(*parent) < position(resource), "{resource:?} before its parent {parent:?}");
                let expected = format!("{}{}Number", parent.item_type()[..1].to_lowercase(), &parent.item_type()[1..]);
                assert_eq!(parent.link_property(), Some(expected.as_str()), "{parent:?}");
            }
            let parent_of_some = Resource::ALL.iter().any(|r| r.parents().contains(&resource));
            assert_eq!(resource.link_property().is_some(), parent_of_some, "{resource:?}");
        }
    }
}
