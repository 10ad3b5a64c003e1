//! The schema as sea-orm entities: one file per table. Resource tables list the standard properties they
//! keep in typed columns (`FIELDS`); everything else a resource carries lives in the tables beside it
//! (custom properties in `attribute`, aliases, sessions, node secrets, discounts, bundle and transaction links).

pub mod attribute;
pub mod bundle;
pub mod bundle_template;
pub mod license;
pub mod license_node;
pub mod license_session;
pub mod license_template;
pub mod licensee;
pub mod licensee_alias;
pub mod notification;
pub mod outbox_event;
pub mod payment_method;
pub mod product;
pub mod product_discount;
pub mod product_module;
pub mod token;
pub mod transaction;
pub mod transaction_license;
pub mod validation_day;
pub mod vendor;
pub mod vendor_branding;
pub mod web_session;
