//! `token`: API keys, shop and customer-portal tokens, action tokens.

use sea_orm::entity::prelude::*;

use crate::db::fields::{ColumnType::*, Field};

/// A token.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "token")]
pub struct Model {
    /// Storage id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning vendor.
    pub vendor_id: i64,
    /// Number (a UUID), unique.
    pub number: String,
    /// Active flag.
    pub active: bool,
    /// `expirationTime`.
    pub expiration_time: Option<DateTimeUtc>,
    /// `tokenType` (enum spelling).
    pub token_type: Option<String>,
    /// `action`.
    pub action: Option<String>,
    /// `apiKeyRole` (enum spelling).
    pub api_key_role: Option<String>,
    /// `successURL`.
    pub success_url: Option<String>,
    /// `successURLTitle`.
    pub success_url_title: Option<String>,
    /// `cancelURL`.
    pub cancel_url: Option<String>,
    /// `cancelURLTitle`.
    pub cancel_url_title: Option<String>,
    /// `bundleNumber`.
    pub bundle_number: Option<String>,
    /// `bundlePrice` in minor units (cents).
    pub bundle_price_minor: Option<i64>,
    /// `productNumber`.
    pub product_number: Option<String>,
    /// `predefinedShoppingItem`.
    pub predefined_shopping_item: Option<String>,
    /// `privateKey` (PEM; never shown).
    pub private_key: Option<String>,
    /// `licenseeNumber`.
    pub licensee_number: Option<String>,
    /// `shopURL` as stored.
    pub shop_url: Option<String>,
    /// `customerPortalURL` as stored.
    pub customer_portal_url: Option<String>,
    /// `vendorNumber` as stored.
    pub vendor_number: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Standard properties in typed columns.
pub const FIELDS: &[Field] = &[
    Field::new("expirationTime", "expiration_time", Time),
    Field::new("tokenType", "token_type", Text),
    Field::new("action", "action", Text),
    Field::new("apiKeyRole", "api_key_role", Text),
    Field::new("successURL", "success_url", Text),
    Field::new("successURLTitle", "success_url_title", Text),
    Field::new("cancelURL", "cancel_url", Text),
    Field::new("cancelURLTitle", "cancel_url_title", Text),
    Field::new("bundleNumber", "bundle_number", Text),
    Field::new("bundlePrice", "bundle_price_minor", Money),
    Field::new("productNumber", "product_number", Text),
    Field::new("predefinedShoppingItem", "predefined_shopping_item", Text),
    Field::new("privateKey", "private_key", Text),
    Field::new("licenseeNumber", "licensee_number", Text),
    Field::new("shopURL", "shop_url", Text),
    Field::new("customerPortalURL", "customer_portal_url", Text),
    Field::new("vendorNumber", "vendor_number", Text),
];

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning vendor.
    #[sea_orm(belongs_to = "super::vendor::Entity", from = "Column::VendorId", to = "super::vendor::Column::Id")]
    Vendor,
}

impl Related<super::vendor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Vendor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
