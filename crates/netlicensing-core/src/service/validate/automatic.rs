//! The licenses validation creates from a product's automatic templates (stored, or virtual on a dry run).

use chrono::{DateTime, Utc};
use netlicensing_model::entity::{License, LicenseTemplate};

use super::Licensing;
use crate::{error::CoreResult, record::Kind, service::numbering};

/// Automatic, active templates of the licensee's product of which it holds no license yet.
pub(super) fn missing_automatic(licensing: &Licensing) -> Vec<i64> {
    licensing
        .catalogue
        .templates
        .iter()
        .filter(|(_, t)| t.active && t.automatic == Some(true))
        .filter(|(_, t)| {
            !licensing.licenses.iter().any(|l| l.license_template_number.as_deref() == Some(t.number.as_str()))
        })
        .map(|(id, _)| *id)
        .collect()
}

/// Adds the licenses validation would create from automatic templates (a dry run's virtual licenses).
pub(super) fn add_automatic_licenses(licensing: &mut Licensing, now: DateTime<Utc>) -> CoreResult<()> {
    for template_id in missing_automatic(licensing) {
        if let Some((_, template)) = licensing.catalogue.templates.iter().find(|(id, _)| *id == template_id) {
            let license = automatic_license(template, now)?;
            licensing.licenses.push(license);
        }
    }
    Ok(())
}

/// The license an automatic template gives, starting now.
pub(super) fn automatic_license(template: &LicenseTemplate, now: DateTime<Utc>) -> CoreResult<License> {
    let number = numbering::random_number(Kind::License)?;
    Ok(License {
        number,
        active: true,
        name: template.name.clone(),
        price: template.price,
        currency: template.currency,
        hidden: Some(template.hide_licenses.unwrap_or(false)),
        license_template_number: Some(template.number.clone()),
        time_volume: template.time_volume,
        time_volume_period: template.time_volume_period,
        start_date: Some(now),
        max_sessions: template.max_sessions,
        quantity: template.quantity,
        quota: template.quota,
        grace_period: template.grace_period,
        ..License::default()
    })
}
