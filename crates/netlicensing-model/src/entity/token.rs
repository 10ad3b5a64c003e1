//! Token: API keys, shop sessions, customer-portal actions and one-time tokens.

use chrono::{DateTime, Utc};

use crate::{
    document::{Item, Property},
    error::CodecError,
    types::{ApiKeyRole, Money, TokenType},
};

use super::{Entity, ItemReader, ItemWriter};

/// A token (`item type="Token"`). Permanent shop tokens' `licenseTemplateNumber_<N>` travel as custom properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Token {
    /// The token itself (a UUID): the API key value for APIKEY tokens.
    pub number: String,
    /// False when expired or revoked.
    pub active: bool,
    /// When the token stops working (absent for API keys and permanent shop tokens).
    pub expiration_time: Option<DateTime<Utc>>,
    /// Kind of token.
    pub token_type: Option<TokenType>,
    /// SHOP: address of the shop session.
    pub shop_url: Option<String>,
    /// ACTION: address of the customer portal action.
    pub customer_portal_url: Option<String>,
    /// ACTION: the action (`licenseeLogin`).
    pub action: Option<String>,
    /// APIKEY: role of the key.
    pub api_key_role: Option<ApiKeyRole>,
    /// SHOP: where the shop returns after a purchase.
    pub success_url: Option<String>,
    /// SHOP: title of the success link.
    pub success_url_title: Option<String>,
    /// SHOP: where the shop returns on cancel.
    pub cancel_url: Option<String>,
    /// SHOP: title of the cancel link.
    pub cancel_url_title: Option<String>,
    /// SHOP: bundle offered by a bundle shop token.
    pub bundle_number: Option<String>,
    /// SHOP: individual price of that bundle.
    pub bundle_price: Option<Money>,
    /// SHOP: product of a permanent shop token.
    pub product_number: Option<String>,
    /// SHOP: predefined shopping item of a permanent shop token.
    pub predefined_shopping_item: Option<String>,
    /// APIKEY: PKCS#8 PEM private key that makes validate answers signed (sent on create, never returned).
    pub private_key: Option<String>,
    /// Licensee the token is for (APIKEY: the only licensee the key may validate).
    pub licensee_number: Option<String>,
    /// Number of the vendor owning the token (read-only).
    pub vendor_number: Option<String>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
}

impl Entity for Token {
    const TYPE: &'static str = "Token";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "expirationTime",
        "tokenType",
        "shopURL",
        "customerPortalURL",
        "action",
        "apiKeyRole",
        "successURL",
        "successURLTitle",
        "cancelURL",
        "cancelURLTitle",
        "bundleNumber",
        "bundlePrice",
        "productNumber",
        "predefinedShoppingItem",
        "privateKey",
        "licenseeNumber",
        "vendorNumber",
    ];
    const READ_ONLY: &'static [&'static str] = &["number", "active", "shopURL", "customerPortalURL", "vendorNumber"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            expiration_time: r.value("expirationTime")?,
            token_type: r.value("tokenType")?,
            shop_url: r.text("shopURL"),
            customer_portal_url: r.text("customerPortalURL"),
            action: r.text("action"),
            api_key_role: r.value("apiKeyRole")?,
            success_url: r.text("successURL"),
            success_url_title: r.text("successURLTitle"),
            cancel_url: r.text("cancelURL"),
            cancel_url_title: r.text("cancelURLTitle"),
            bundle_number: r.text("bundleNumber"),
            bundle_price: r.value("bundlePrice")?,
            product_number: r.text("productNumber"),
            predefined_shopping_item: r.text("predefinedShoppingItem"),
            private_key: r.text("privateKey"),
            licensee_number: r.text("licenseeNumber"),
            vendor_number: r.text("vendorNumber"),
            custom: r.custom(),
        })
    }

    fn to_item(&self) -> Item {
        ItemWriter::new()
            .put("number", &self.number)
            .put("active", &self.active)
            .opt("expirationTime", &self.expiration_time)
            .opt("tokenType", &self.token_type)
            .opt("shopURL", &self.shop_url)
            .opt("customerPortalURL", &self.customer_portal_url)
            .opt("action", &self.action)
            .opt("apiKeyRole", &self.api_key_role)
            .opt("successURL", &self.success_url)
            .opt("successURLTitle", &self.success_url_title)
            .opt("cancelURL", &self.cancel_url)
            .opt("cancelURLTitle", &self.cancel_url_title)
            .opt("bundleNumber", &self.bundle_number)
            .opt("bundlePrice", &self.bundle_price)
            .opt("productNumber", &self.product_number)
            .opt("predefinedShoppingItem", &self.predefined_shopping_item)
            .opt("privateKey", &self.private_key)
            .opt("licenseeNumber", &self.licensee_number)
            .opt("vendorNumber", &self.vendor_number)
            .custom(&self.custom)
            .finish(Self::TYPE)
    }
}
