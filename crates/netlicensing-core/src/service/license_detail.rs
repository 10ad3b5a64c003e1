//! One license with what a support screen shows beside it: its template, module and licensee, when a
//! time-volume license ends, the floating sessions checked out on it, the nodes it is bound to, and the
//! vendor's own custom properties. Sessions (`sessionId_<id>` holding the expiry) and node bindings
//! (`nodeSecret<N>`) travel as custom properties; [`split`] tells them apart, for this page and the portal.

use chrono::{DateTime, Utc};
use netlicensing_model::{
    Property,
    entity::{License, LicenseTemplate, Licensee, ProductModule},
    types::{LicenseType, WireValue},
};

use super::{
    Core,
    portal::{FloatingSession, NodeBinding},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    time_volume,
};

/// Prefix of a floating session on a license (`sessionId_<id>` holding its expiry).
const SESSION: &str = "sessionId_";

/// Prefix of a node-locked binding on a license (`nodeSecret<N>`).
const NODE: &str = "nodeSecret";

/// A license and what it hangs off, as the console's license page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseDetail {
    /// The license.
    pub license: License,
    /// Its template (`None` only if the license names none).
    pub template: Option<LicenseTemplate>,
    /// The template's module.
    pub module: Option<ProductModule>,
    /// The licensee holding it.
    pub licensee: Option<Licensee>,
    /// When a time-volume license ends (its start plus its time volume, else the template's).
    pub expires: Option<DateTime<Utc>>,
    /// The custom properties split by what they hold.
    pub custom: CustomProperties,
}

/// A license's custom properties by what they hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomProperties {
    /// Floating sessions checked out on it (live or expired), earliest expiry first.
    pub sessions: Vec<FloatingSession>,
    /// The nodes it is bound to.
    pub nodes: Vec<NodeBinding>,
    /// Everything else: the vendor's own properties, in order.
    pub other: Vec<Property>,
}

/// Splits a license's custom properties into floating sessions, node bindings and the rest.
pub fn split(license: &License) -> CustomProperties {
    let mut out = CustomProperties::default();
    for property in &license.custom {
        let session = property.name.strip_prefix(SESSION).filter(|id| !id.is_empty());
        if let Some(id) = session
            && let Some(expires) = DateTime::<Utc>::parse_wire(&property.value)
        {
            out.sessions.push(FloatingSession { id: id.to_owned(), expires, license: license.number.clone() });
        } else if property.name.strip_prefix(NODE).is_some_and(|n| n.parse::<u32>().is_ok()) {
            if !property.value.is_empty() {
                out.nodes.push(NodeBinding { license: license.number.clone(), secret: property.value.clone() });
            }
        } else {
            out.other.push(property.clone());
        }
    }
    out.sessions.sort_by_key(|s| s.expires);
    out
}

/// When a license of a TIMEVOLUME template ends: its start plus its time volume (the template's when it has
/// none of its own).
pub fn expiry(license: &License, template: Option<&LicenseTemplate>) -> Option<DateTime<Utc>> {
    if template.and_then(|t| t.license_type) != Some(LicenseType::TimeVolume) {
        return None;
    }
    let volume = license.time_volume.or(template.and_then(|t| t.time_volume))?;
    let period = license.time_volume_period.or(template.and_then(|t| t.time_volume_period)).unwrap_or_default();
    Some(time_volume::end_saturating(license.start_date?, volume, period))
}

impl Core {
    /// The caller's license with its template, module and licensee, its end, and its custom properties split
    /// by what they hold. Another vendor's license is not found.
    pub async fn license_detail(&self, caller: &Caller, number: &str) -> CoreResult<LicenseDetail> {
        let license: License = self.get(caller, number).await?;
        let template: Option<LicenseTemplate> =
            self.related(caller, license.license_template_number.as_deref()).await?;
        let module: Option<ProductModule> = self.related(caller, license.product_module_number.as_deref()).await?;
        let licensee: Option<Licensee> = self.related(caller, license.licensee_number.as_deref()).await?;
        Ok(LicenseDetail {
            expires: expiry(&license, template.as_ref()),
            custom: split(&license),
            license,
            template,
            module,
            licensee,
        })
    }

    /// The entity a license names, if it names one (and it still exists).
    async fn related<E: super::Resource>(&self, caller: &Caller, number: Option<&str>) -> CoreResult<Option<E>> {
        match number {
            None => Ok(None),
            Some(number) => match self.get::<E>(caller, number).await {
                Ok(found) => Ok(Some(found)),
                Err(CoreError::NotFound(_)) => Ok(None),
                Err(error) => Err(error),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use netlicensing_model::types::TimeVolumePeriod;

    use super::*;

    fn license(custom: &[(&str, &str)]) -> License {
        License {
            number: "L1".into(),
            active: true,
            custom: custom.iter().map(|(n, v)| Property::new(*n, *v)).collect(),
            ..License::default()
        }
    }

    #[test]
    fn custom_properties_split_into_sessions_nodes_and_the_vendors_own() {
        let split = split(&license(&[
            ("crm", "42"),
            ("sessionId_b", "2030-01-02T00:00:00.000Z"),
            ("nodeSecret0", "machine-a"),
            ("sessionId_a", "2030-01-01T00:00:00.000Z"),
            ("nodeSecret1", ""),
            ("sessionId_bad", "soon"),
            ("nodeSecretMode", "CLIENT"),
        ]));
        let ids: Vec<&str> = split.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "earliest expiry first");
        assert_eq!(split.nodes, [NodeBinding { license: "L1".into(), secret: "machine-a".into() }]);
        let other: Vec<&str> = split.other.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(other, ["crm", "sessionId_bad", "nodeSecretMode"], "what is no session or node stays shown");
    }

    #[test]
    fn a_time_volume_license_ends_after_its_volume_or_the_templates() {
        let start = DateTime::<Utc>::parse_wire("2026-01-31T00:00:00.000Z").unwrap();
        let template = LicenseTemplate {
            license_type: Some(LicenseType::TimeVolume),
            time_volume: Some(1),
            time_volume_period: Some(TimeVolumePeriod::Month),
            ..LicenseTemplate::default()
        };
        let mut mine = License { start_date: Some(start), ..license(&[]) };
        let end = expiry(&mine, Some(&template)).expect("an end");
        assert_eq!(end, time_volume::end_saturating(start, 1, TimeVolumePeriod::Month));
        mine.time_volume = Some(10);
        mine.time_volume_period = Some(TimeVolumePeriod::Day);
        assert_eq!(expiry(&mine, Some(&template)), Some(start + chrono::Duration::days(10)), "its own volume");
        let feature = LicenseTemplate { license_type: Some(LicenseType::Feature), ..template };
        assert_eq!(expiry(&mine, Some(&feature)), None, "only TIMEVOLUME licenses end");
        assert_eq!(expiry(&License { start_date: None, ..mine }, None), None);
    }
}
