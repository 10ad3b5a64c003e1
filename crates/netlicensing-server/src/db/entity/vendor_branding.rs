//! `vendor_branding`: a vendor's branding for its customer pages (see `netlicensing_core::service::branding`).

use sea_orm::entity::prelude::*;

/// A vendor's branding; every field optional.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendor_branding")]
pub struct Model {
    /// The vendor (one row per vendor).
    #[sea_orm(primary_key, auto_increment = false)]
    pub vendor_id: i64,
    /// The name customers see.
    pub name: Option<String>,
    /// The logo's `data:` URL.
    pub logo: Option<String>,
    /// The accent colour, `#rrggbb`.
    pub accent_color: Option<String>,
    /// Contact e-mail address.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Postal address, `\n`-separated lines.
    pub address: Option<String>,
    /// Terms and conditions URL.
    pub terms_url: Option<String>,
    /// Privacy policy URL.
    pub privacy_url: Option<String>,
    /// Imprint URL.
    pub imprint_url: Option<String>,
    /// `PRIVATE` or `COMPANY` (VAT).
    pub vendor_type: Option<String>,
    /// The country the vendor is established in (ISO 3166-1 alpha-2).
    pub country_code: Option<String>,
    /// The vendor's VAT identification number.
    pub vat_id: Option<String>,
    /// When it was last changed.
    pub updated_at: DateTimeUtc,
}

/// A branding belongs to its vendor (the foreign key cascades).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
