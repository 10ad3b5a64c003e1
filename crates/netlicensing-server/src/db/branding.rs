//! The vendors' branding in `vendor_branding`: one row per vendor, written whole (an upsert).

use chrono::Utc;
use netlicensing_core::{RepoError, VendorId};
use netlicensing_model::entity::Branding;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, sea_query::OnConflict};

use super::{entity::vendor_branding, errors::failure};

/// The vendor's branding, if it set any.
pub async fn read(db: &DatabaseConnection, vendor: VendorId) -> Result<Option<Branding>, RepoError> {
    let row = vendor_branding::Entity::find_by_id(vendor.0).one(db).await.map_err(failure)?;
    Ok(row.map(|row| Branding {
        vendor_number: None,
        name: row.name,
        logo: row.logo,
        accent_color: row.accent_color,
        email: row.email,
        website: row.website,
        address: row.address,
        terms_url: row.terms_url,
        privacy_url: row.privacy_url,
        imprint_url: row.imprint_url,
        vendor_type: row.vendor_type,
        country_code: row.country_code,
        vat_id: row.vat_id,
    }))
}

/// Stores the vendor's branding, replacing what it had.
pub async fn write(db: &DatabaseConnection, vendor: VendorId, branding: &Branding) -> Result<(), RepoError> {
    use vendor_branding::Column;
    let row = vendor_branding::ActiveModel {
        vendor_id: Set(vendor.0),
        name: Set(branding.name.clone()),
        logo: Set(branding.logo.clone()),
        accent_color: Set(branding.accent_color.clone()),
        email: Set(branding.email.clone()),
        website: Set(branding.website.clone()),
        address: Set(branding.address.clone()),
        terms_url: Set(branding.terms_url.clone()),
        privacy_url: Set(branding.privacy_url.clone()),
        imprint_url: Set(branding.imprint_url.clone()),
        vendor_type: Set(branding.vendor_type.clone()),
        country_code: Set(branding.country_code.clone()),
        vat_id: Set(branding.vat_id.clone()),
        updated_at: Set(Utc::now()),
    };
    let columns = [
        Column::Name,
        Column::Logo,
        Column::AccentColor,
        Column::Email,
        Column::Website,
        Column::Address,
        Column::TermsUrl,
        Column::PrivacyUrl,
        Column::ImprintUrl,
        Column::VendorType,
        Column::CountryCode,
        Column::VatId,
        Column::UpdatedAt,
    ];
    vendor_branding::Entity::insert(row)
        .on_conflict(OnConflict::column(Column::VendorId).update_columns(columns).to_owned())
        .exec(db)
        .await
        .map_err(failure)?;
    Ok(())
}
