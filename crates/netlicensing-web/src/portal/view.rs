//! The portal page's view: core's overview turned into the strings the template shows.

use askama::Template;
use chrono::{DateTime, Utc};
use netlicensing_core::service::portal::{PortalLicense, PortalModule, PortalOverview};
use netlicensing_model::{
    List, Property,
    entity::{ProductModuleValidation, Transaction},
    types::{WarningLevel, WireEnum, WireValue},
};

use crate::customer::Chrome;

/// The portal page.
#[derive(Template)]
#[template(path = "portal/overview.html")]
pub struct OverviewPage {
    /// The frame.
    pub chrome: Chrome,
    /// The forms' CSRF token.
    pub csrf: String,
    /// `/portal/do/{token}`.
    pub base: String,
    /// The layout flags as a query suffix for links and forms (`?shop=false`), or `""`.
    pub suffix: String,
    /// The licensee's number.
    pub licensee: String,
    /// The licensee's name, if any.
    pub name: String,
    /// The product's name.
    pub product: String,
    /// A message after a form post.
    pub notice: Option<&'static str>,
    /// Whether the renewal button shows.
    pub shop: bool,
    /// Until when the link works.
    pub until: String,
    /// The modules.
    pub modules: Vec<ModuleView>,
    /// The latest transactions.
    pub transactions: Vec<TransactionView>,
}

/// One module's card.
pub struct ModuleView {
    /// The module's number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Its licensing model.
    pub model: String,
    /// `valid`, `invalid` or `none` (the status class).
    pub status_class: &'static str,
    /// What validation says, in words.
    pub status: &'static str,
    /// `green`, `yellow`, `red` or `none`.
    pub level_class: &'static str,
    /// The warning level, in words.
    pub level: &'static str,
    /// The result's facts (label, value).
    pub facts: Vec<(String, String)>,
    /// The result's features, SKUs or rented items.
    pub features: Vec<FeatureView>,
    /// The licenses.
    pub licenses: Vec<LicenseView>,
    /// Live floating sessions.
    pub sessions: Vec<(String, String)>,
    /// Bound nodes.
    pub nodes: Vec<String>,
}

/// A feature (Multi-Feature, Rental, Pricing Table list) of a result.
pub struct FeatureView {
    /// Its name.
    pub name: String,
    /// Whether it is valid: `valid` or `invalid`.
    pub status_class: &'static str,
    /// In words.
    pub status: &'static str,
    /// Other facts, `; `-separated.
    pub details: String,
}

/// A license row.
pub struct LicenseView {
    /// Its number.
    pub number: String,
    /// Its name (the license's, else its template's).
    pub name: String,
    /// Its license type.
    pub kind: String,
    /// Active or not.
    pub active: bool,
    /// When it ends.
    pub expires: String,
    /// What is left.
    pub remaining: String,
}

/// A transaction row.
pub struct TransactionView {
    /// Its number.
    pub number: String,
    /// When it was made.
    pub created: String,
    /// What made it.
    pub source: String,
    /// Its status.
    pub status: String,
    /// Its total.
    pub total: String,
}

/// A moment as the portal shows it (UTC); the far future reads as unlimited.
pub fn moment(time: DateTime<Utc>) -> String {
    if time >= netlicensing_core::time_volume::far_future() {
        return "unlimited".into();
    }
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A wire timestamp as the portal shows it, or the text itself.
fn moment_text(text: &str) -> String {
    DateTime::<Utc>::parse_wire(text).map_or_else(|| text.to_owned(), moment)
}

fn yes_no(text: &str) -> String {
    match text {
        "true" => "yes".into(),
        "false" => "no".into(),
        other => other.into(),
    }
}

/// A result property in words, or `None` for those the page does not show.
fn fact(property: &Property) -> Option<(String, String)> {
    let value = property.value.as_str();
    let (label, shown) = match property.name.as_str() {
        "expires" => ("Valid until", moment_text(value)),
        "evaluation" => ("Evaluation", yes_no(value)),
        "evaluationExpires" => ("Evaluation ends", moment_text(value)),
        "remainingQuantity" => ("Remaining", value.to_owned()),
        "quota" => ("Quota", value.to_owned()),
        "pricingPlanName" => ("Plan", value.to_owned()),
        "expirationTimestamp" | "pricingPlanId" | "pricingPlanType" | "activePricingPlans" => return None,
        other => (other, value.to_owned()),
    };
    Some((label.to_owned(), shown))
}

fn status(valid: Option<bool>) -> (&'static str, &'static str) {
    match valid {
        Some(true) => ("valid", "Valid"),
        Some(false) => ("invalid", "Not valid"),
        None => ("none", "—"),
    }
}

fn level(level: Option<WarningLevel>) -> (&'static str, &'static str) {
    match level {
        Some(WarningLevel::Green) => ("green", "All fine"),
        Some(WarningLevel::Yellow) => ("yellow", "Attention soon"),
        Some(WarningLevel::Red) => ("red", "Action needed"),
        None => ("none", "No level"),
    }
}

fn feature(list: &List) -> FeatureView {
    let get = |name: &str| list.properties.iter().find(|p| p.name == name).map(|p| p.value.as_str());
    let (status_class, status) = status(get("valid").and_then(bool::parse_wire));
    let details = list
        .properties
        .iter()
        .filter(|p| !matches!(p.name.as_str(), "valid" | "featureName" | "name" | "expirationWarningLevel"))
        .filter_map(fact)
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    FeatureView {
        name: get("featureName").or(get("name")).unwrap_or(&list.name).to_owned(),
        status_class,
        status,
        details,
    }
}

fn license(shown: &PortalLicense) -> LicenseView {
    let license = &shown.license;
    LicenseView {
        number: license.number.clone(),
        name: license.name.clone().or_else(|| shown.template_name.clone()).unwrap_or_default(),
        kind: shown.license_type.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        active: license.active,
        expires: shown.expires.map(moment).unwrap_or_default(),
        remaining: shown.remaining.map(|r| r.to_string()).unwrap_or_default(),
    }
}

fn module(shown: &PortalModule) -> ModuleView {
    let result: Option<&ProductModuleValidation> = shown.result.as_ref();
    let (status_class, status) = match (result.and_then(|r| r.valid), result.is_some_and(|r| !r.lists.is_empty())) {
        // Multi-Feature and Rental answer per feature.
        (None, true) => ("none", "See features"),
        (valid, _) => status(valid),
    };
    let (level_class, level) = level(result.and_then(|r| r.warning_level));
    ModuleView {
        number: shown.module.number.clone(),
        name: shown.module.name.clone().unwrap_or_else(|| shown.module.number.clone()),
        model: shown.module.licensing_model.map(|m| m.as_str().to_owned()).unwrap_or_default(),
        status_class,
        status,
        level_class,
        level,
        facts: result.map(|r| r.properties.iter().filter_map(fact).collect()).unwrap_or_default(),
        features: result.map(|r| r.lists.iter().map(feature).collect()).unwrap_or_default(),
        licenses: shown.licenses.iter().map(license).collect(),
        sessions: shown.sessions.iter().map(|s| (s.id.clone(), moment(s.expires))).collect(),
        nodes: shown.nodes.iter().map(|n| n.secret.clone()).collect(),
    }
}

fn transaction(t: &Transaction) -> TransactionView {
    TransactionView {
        number: t.number.clone(),
        created: t.date_created.map(moment).unwrap_or_default(),
        source: t.source.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        status: t.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        total: match (&t.grand_total, t.currency) {
            (Some(total), Some(currency)) => format!("{total} {}", currency.as_str()),
            (Some(total), None) => total.to_string(),
            _ => String::new(),
        },
    }
}

/// What the page shows of an overview.
pub fn modules_and_transactions(overview: &PortalOverview) -> (Vec<ModuleView>, Vec<TransactionView>) {
    (overview.modules.iter().map(module).collect(), overview.transactions.iter().map(transaction).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_as_words() {
        let expires = Property::new("expires", "2030-01-02T03:04:05.000Z");
        assert_eq!(fact(&expires), Some(("Valid until".into(), "2030-01-02 03:04 UTC".into())));
        assert_eq!(fact(&Property::new("evaluation", "true")).unwrap().1, "yes");
        assert_eq!(fact(&Property::new("pricingPlanId", "x")), None);
        assert_eq!(moment(netlicensing_core::time_volume::far_future()), "unlimited");
        let mut list = List::new("E1");
        list.push("valid", "false");
        list.push("featureName", "Export");
        let shown = feature(&list);
        assert_eq!((shown.name.as_str(), shown.status), ("Export", "Not valid"));
    }
}
