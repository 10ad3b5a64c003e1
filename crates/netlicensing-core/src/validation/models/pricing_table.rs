//! Pricing Table: the module's `skudef` lists the SKUs (features on/off, or quotas); each template is a plan
//! whose `skus` gives every SKU its value. A plan is held while the licensee has an active license of it — for
//! a TIMEVOLUME plan, while now lies in the chained periods of its licenses.
//!
//! The answer: `valid` (some plan is held), the current plan (`pricingPlanId`, `pricingPlanName`,
//! `pricingPlanType`: the held plan with the highest price, and of equal prices the one acquired last),
//! `activePricingPlans` (every held plan, comma-separated), `expires` when the current plan is time-limited, and
//! one list per SKU with `valid`, `name`, `type` and, for QUOTA SKUs, `quota`. SKU values combine every held
//! plan: a feature is on when any held plan includes it; a quota is the largest of the held plans' (−1, unlimited,
//! beats every number). Warning level: as Subscription for a time-limited current plan, GREEN for a FEATURE
//! plan, RED without a plan.

use chrono::{DateTime, Utc};
use netlicensing_model::{
    List,
    entity::{License, LicenseTemplate, ProductModuleValidation},
    types::{LicenseType, WarningLevel},
};
use serde_json::Value;

use super::{
    super::{EngineError, ModuleInput, level_of_use, put, time_used},
    period,
};
use crate::time_volume::chain;

/// The kind of an SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkuType {
    /// On or off.
    Feature,
    /// A number; −1 is unlimited.
    Quota,
}

impl SkuType {
    fn as_str(self) -> &'static str {
        match self {
            SkuType::Feature => "FEATURE",
            SkuType::Quota => "QUOTA",
        }
    }
}

/// One SKU of a module's `skudef`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku {
    /// Its number: the key of the plans' `skus`.
    pub number: String,
    /// Its display name.
    pub name: String,
    /// Feature or quota.
    pub sku_type: SkuType,
}

/// Reads a module's `skudef`: `{"skudef":[{"number":…,"name":…,"type":"FEATURE"|"QUOTA"}]}` (a bare array is
/// accepted too). Numbers must be unique.
pub fn parse_skudef(text: &str) -> Result<Vec<Sku>, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| format!("skudef is not JSON: {e}"))?;
    let entries = match &json {
        Value::Object(object) => object.get("skudef").and_then(Value::as_array),
        Value::Array(array) => Some(array),
        _ => None,
    }
    .ok_or("skudef must be an object with an array 'skudef'")?;
    let mut skus: Vec<Sku> = Vec::new();
    for entry in entries {
        let field = |name: &str| entry.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let number = field("number").ok_or("every SKU of skudef needs a 'number'")?;
        let sku_type = match field("type").map(str::to_ascii_uppercase).as_deref() {
            Some("FEATURE") => SkuType::Feature,
            Some("QUOTA") => SkuType::Quota,
            other => return Err(format!("SKU '{number}' has type {other:?}; expected FEATURE or QUOTA")),
        };
        if skus.iter().any(|s| s.number == number) {
            return Err(format!("SKU '{number}' is defined twice"));
        }
        skus.push(Sku { number: number.to_owned(), name: field("name").unwrap_or(number).to_owned(), sku_type });
    }
    Ok(skus)
}

/// Reads a plan's `skus`: a JSON object from SKU number to value (`true`/`false`, or a number, as JSON or as
/// text).
pub fn parse_skus(text: &str) -> Result<Vec<(String, Value)>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object.into_iter().collect()),
        Ok(_) => Err("skus must be a JSON object of SKU values".into()),
        Err(e) => Err(format!("skus is not JSON: {e}")),
    }
}

/// Checks a plan's `skus` against its module's `skudef` (when the module has one): every SKU must be defined,
/// a FEATURE value `true`/`false` (JSON or text), a QUOTA value a whole number from −1 (unlimited) up.
pub fn check_skus(text: &str, skudef: Option<&str>) -> Result<(), String> {
    let values = parse_skus(text)?;
    let defined = match skudef.filter(|s| !s.trim().is_empty()) {
        Some(skudef) => parse_skudef(skudef)?,
        None => Vec::new(),
    };
    for (number, value) in &values {
        let sku_type = match defined.iter().find(|sku| sku.number == *number) {
            Some(sku) => Some(sku.sku_type),
            None if !defined.is_empty() || skudef.is_some_and(|s| !s.trim().is_empty()) => {
                return Err(format!("skus names '{number}', which the module's skudef does not define"));
            }
            None => None,
        };
        let feature = || match value {
            Value::Bool(_) => true,
            Value::String(text) => ["true", "false"].iter().any(|w| text.trim().eq_ignore_ascii_case(w)),
            _ => false,
        };
        let quota = || quota_of(value).is_some_and(|q| q >= -1);
        let fits = match sku_type {
            Some(SkuType::Feature) => feature(),
            Some(SkuType::Quota) => quota(),
            None => feature() || quota(),
        };
        if !fits {
            let expected = match sku_type {
                Some(SkuType::Feature) => "true or false",
                Some(SkuType::Quota) => "a whole number from -1 (unlimited) up",
                None => "true, false or a whole number",
            };
            return Err(format!("skus value {value} of '{number}' is not {expected}"));
        }
    }
    Ok(())
}

/// A feature value: `true`, `"true"` (any case) or a non-zero number.
pub(crate) fn feature_on(value: &Value) -> bool {
    match value {
        Value::Bool(on) => *on,
        Value::String(text) => text.trim().eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        _ => false,
    }
}

/// A quota value: a whole number as JSON or text (−1 unlimited).
pub(crate) fn quota_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A plan the licensee holds, with when it ends (time-limited plans) and when it was acquired (the position of
/// its newest license: licenses come in the order they were created, and FEATURE licenses have no start date).
struct Held<'a> {
    template: &'a LicenseTemplate,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    acquired: usize,
}

/// Fills a Pricing Table result.
pub fn validate(input: &ModuleInput<'_>, result: &mut ProductModuleValidation) -> Result<(), EngineError> {
    let skudef = match input.module.skudef.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => parse_skudef(text)
            .map_err(|_| EngineError::BadParameter("skudef".into(), text.to_owned(), "a valid SKU definition"))?,
        None => Vec::new(),
    };
    let held = held_plans(input);
    let current = held.iter().max_by(|a, b| {
        let price = |h: &Held<'_>| h.template.price.map(|p| p.amount()).unwrap_or_default();
        price(a).cmp(&price(b)).then(a.acquired.cmp(&b.acquired))
    });
    result.valid = Some(current.is_some());
    if let Some(plan) = current {
        put(result, "pricingPlanId", &plan.template.number);
        put(result, "pricingPlanName", &plan.template.name.clone().unwrap_or_default());
        if let Some(license_type) = plan.template.license_type {
            put(result, "pricingPlanType", &license_type);
        }
        let numbers: Vec<&str> = held.iter().map(|h| h.template.number.as_str()).collect();
        put(result, "activePricingPlans", &numbers.join(","));
        if let Some((_, end)) = plan.span {
            put(result, "expires", &end);
        }
    }
    result.warning_level = Some(match current.map(|p| p.span) {
        None => WarningLevel::Red,
        Some(None) => WarningLevel::Green,
        Some(Some((start, end))) => level_of_use(time_used(start, end, input.now)),
    });
    let plan_skus: Vec<Vec<(String, Value)>> = held
        .iter()
        .map(|h| h.template.skus.as_deref().and_then(|text| parse_skus(text).ok()).unwrap_or_default())
        .collect();
    for sku in &skudef {
        let values = plan_skus.iter().flat_map(|skus| skus.iter().filter(|(n, _)| *n == sku.number).map(|(_, v)| v));
        let mut list = List::new(sku.number.as_str());
        match sku.sku_type {
            SkuType::Feature => {
                let on = values.into_iter().any(feature_on);
                list.push("valid", on.to_string());
                list.push("name", sku.name.as_str());
                list.push("type", sku.sku_type.as_str());
            }
            SkuType::Quota => {
                let quotas: Vec<i64> = values.filter_map(quota_of).collect();
                let quota =
                    if quotas.contains(&-1) { -1 } else { quotas.into_iter().filter(|q| *q > 0).max().unwrap_or(0) };
                list.push("valid", (quota != 0).to_string());
                list.push("name", sku.name.as_str());
                list.push("type", sku.sku_type.as_str());
                list.push("quota", quota.to_string());
            }
        }
        result.lists.push(list);
    }
    Ok(())
}

/// The plans held now, in template order.
fn held_plans<'a>(input: &ModuleInput<'a>) -> Vec<Held<'a>> {
    let mut held = Vec::new();
    for template in input.templates.iter().copied() {
        let of_plan = |l: &&License| l.license_template_number.as_deref() == Some(template.number.as_str());
        let licenses: Vec<_> = input.active_licenses().filter(of_plan).collect();
        if licenses.is_empty() {
            continue;
        }
        let acquired = input.licenses.iter().rposition(|l| l.active && of_plan(l)).unwrap_or_default();
        match template.license_type {
            Some(LicenseType::TimeVolume) => {
                let periods = licenses.iter().filter_map(|l| period(input, l)).collect();
                if let Some(span) = chain(periods).filter(|(start, end)| *start <= input.now && input.now < *end) {
                    held.push(Held { template, span: Some(span), acquired });
                }
            }
            _ => held.push(Held { template, span: None, acquired }),
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check};
    use super::*;

    const SKUDEF: &str = r#"{"skudef":[{"number":"APIREQUESTS","name":"API Requests","type":"QUOTA"},{"number":"USERS","name":"Team Members","type":"QUOTA"},{"number":"CONSOLE_ACCESS","name":"Admin Console","type":"FEATURE"},{"number":"API_ACCESS","name":"API Access","type":"FEATURE"}]}"#;

    /// The plans of the documentation's example.
    fn base() -> Fixture {
        Fixture::new("PricingTable")
            .module(&[("skudef", SKUDEF)])
            .template(
                "PLAN-FREE",
                "FEATURE",
                &[
                    ("name", "Free"),
                    ("price", "0"),
                    ("currency", "EUR"),
                    ("automatic", "true"),
                    ("skus", r#"{"APIREQUESTS":"10","USERS":"1","CONSOLE_ACCESS":false,"API_ACCESS":false}"#),
                ],
            )
            .template(
                "PLAN-PREMIUM",
                "TIMEVOLUME",
                &[
                    ("name", "Premium"),
                    ("price", "99"),
                    ("currency", "EUR"),
                    ("timeVolume", "1"),
                    ("timeVolumePeriod", "MONTH"),
                    ("skus", r#"{"APIREQUESTS":"1000","USERS":"10","CONSOLE_ACCESS":true,"API_ACCESS":true}"#),
                ],
            )
            .template(
                "PLAN-ENTERPRISE",
                "FEATURE",
                &[
                    ("name", "Enterprise"),
                    ("price", "0"),
                    ("currency", "EUR"),
                    ("skus", r#"{"APIREQUESTS":"-1","USERS":"-1","CONSOLE_ACCESS":true,"API_ACCESS":true}"#),
                ],
            )
    }

    const NO_PLAN: &str = "[APIREQUESTS valid=false name=API Requests type=QUOTA quota=0] \
        [USERS valid=false name=Team Members type=QUOTA quota=0] \
        [CONSOLE_ACCESS valid=false name=Admin Console type=FEATURE] \
        [API_ACCESS valid=false name=API Access type=FEATURE]";

    #[test]
    fn cases() {
        check(base(), &format!("valid=false warningLevel=RED {NO_PLAN}"));
        check(
            base().license("PLAN-FREE", "2024-01-01"),
            "valid=true pricingPlanId=PLAN-FREE pricingPlanName=Free pricingPlanType=FEATURE \
             activePricingPlans=PLAN-FREE warningLevel=GREEN \
             [APIREQUESTS valid=true name=API Requests type=QUOTA quota=10] \
             [USERS valid=true name=Team Members type=QUOTA quota=1] \
             [CONSOLE_ACCESS valid=false name=Admin Console type=FEATURE] \
             [API_ACCESS valid=false name=API Access type=FEATURE]",
        );
        // Premium bought on top of Free: the dearer plan is current, values combine.
        check(
            base().license("PLAN-FREE", "2024-01-01").license("PLAN-PREMIUM", "2024-01-05"),
            "valid=true pricingPlanId=PLAN-PREMIUM pricingPlanName=Premium pricingPlanType=TIMEVOLUME \
             activePricingPlans=PLAN-FREE,PLAN-PREMIUM expires=2024-02-05T00:00:00.000Z warningLevel=GREEN \
             [APIREQUESTS valid=true name=API Requests type=QUOTA quota=1000] \
             [USERS valid=true name=Team Members type=QUOTA quota=10] \
             [CONSOLE_ACCESS valid=true name=Admin Console type=FEATURE] \
             [API_ACCESS valid=true name=API Access type=FEATURE]",
        );
        // Late in the month: YELLOW; after it: back to Free.
        check(
            base().license("PLAN-PREMIUM", "2023-12-15"),
            &format!(
                "valid=true pricingPlanId=PLAN-PREMIUM pricingPlanName=Premium pricingPlanType=TIMEVOLUME \
                 activePricingPlans=PLAN-PREMIUM expires=2024-01-15T00:00:00.000Z warningLevel=YELLOW {}",
                "[APIREQUESTS valid=true name=API Requests type=QUOTA quota=1000] \
                 [USERS valid=true name=Team Members type=QUOTA quota=10] \
                 [CONSOLE_ACCESS valid=true name=Admin Console type=FEATURE] \
                 [API_ACCESS valid=true name=API Access type=FEATURE]"
            ),
        );
        check(
            base().license("PLAN-FREE", "2023-01-01").license("PLAN-PREMIUM", "2023-11-01"),
            "valid=true pricingPlanId=PLAN-FREE pricingPlanName=Free pricingPlanType=FEATURE \
             activePricingPlans=PLAN-FREE warningLevel=GREEN \
             [APIREQUESTS valid=true name=API Requests type=QUOTA quota=10] \
             [USERS valid=true name=Team Members type=QUOTA quota=1] \
             [CONSOLE_ACCESS valid=false name=Admin Console type=FEATURE] \
             [API_ACCESS valid=false name=API Access type=FEATURE]",
        );
        // Equal prices: the plan acquired last is current; unlimited quotas win.
        check(
            base().license("PLAN-FREE", "2024-01-01").license("PLAN-ENTERPRISE", "2024-01-02"),
            "valid=true pricingPlanId=PLAN-ENTERPRISE pricingPlanName=Enterprise pricingPlanType=FEATURE \
             activePricingPlans=PLAN-FREE,PLAN-ENTERPRISE warningLevel=GREEN \
             [APIREQUESTS valid=true name=API Requests type=QUOTA quota=-1] \
             [USERS valid=true name=Team Members type=QUOTA quota=-1] \
             [CONSOLE_ACCESS valid=true name=Admin Console type=FEATURE] \
             [API_ACCESS valid=true name=API Access type=FEATURE]",
        );
        // FEATURE licenses carry no start date: the order of acquisition decides, whatever the template order.
        let current = |fixture: Fixture| {
            let outcome = fixture.try_run().unwrap();
            outcome.result.properties.iter().find(|p| p.name == "pricingPlanId").map(|p| p.value.clone())
        };
        let undated =
            |first: &str, second: &str| base().license_numbered("L1", first, &[]).license_numbered("L2", second, &[]);
        assert_eq!(current(undated("PLAN-FREE", "PLAN-ENTERPRISE")).as_deref(), Some("PLAN-ENTERPRISE"));
        assert_eq!(current(undated("PLAN-ENTERPRISE", "PLAN-FREE")).as_deref(), Some("PLAN-FREE"));
        check(base().inactive_license("PLAN-FREE", "2024-01-01"), &format!("valid=false warningLevel=RED {NO_PLAN}"));
        check(
            base().license("PLAN-FREE", "2024-01-01").inactive_licensee(),
            &format!("valid=false warningLevel=RED {NO_PLAN}"),
        );
    }

    #[test]
    fn the_documentation_example_answer() {
        // The wiki's answer: Premium held, FEATURE01 a quota of 10, FEATURE02 off.
        let skudef = r#"{"skudef":[{"number":"FEATURE01","name":"Feature 1 (quota)","type":"QUOTA"},{"number":"FEATURE02","name":"Feature 2 (on/off)","type":"FEATURE"}]}"#;
        let fixture = Fixture::new("PricingTable")
            .module(&[("skudef", skudef)])
            .template(
                "PREMIUM-PLAN",
                "FEATURE",
                &[("name", "Premium"), ("skus", r#"{"FEATURE01":"10","FEATURE02":"false"}"#)],
            )
            .license("PREMIUM-PLAN", "2024-01-01");
        check(
            fixture,
            "valid=true pricingPlanId=PREMIUM-PLAN pricingPlanName=Premium pricingPlanType=FEATURE \
             activePricingPlans=PREMIUM-PLAN warningLevel=GREEN \
             [FEATURE01 valid=true name=Feature 1 (quota) type=QUOTA quota=10] \
             [FEATURE02 valid=false name=Feature 2 (on/off) type=FEATURE]",
        );
    }

    #[test]
    fn sku_definitions_are_checked() {
        assert_eq!(parse_skudef(SKUDEF).unwrap().len(), 4);
        assert_eq!(parse_skudef(r#"[{"number":"A","type":"feature"}]"#).unwrap()[0].name, "A");
        for bad in [
            "",
            "{",
            "[1]",
            r#"{"skudef":{}}"#,
            r#"[{"number":"A","type":"X"}]"#,
            r#"[{"type":"QUOTA"}]"#,
            r#"[{"number":"A","type":"QUOTA"},{"number":"A","type":"FEATURE"}]"#,
        ] {
            assert!(parse_skudef(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_skus(r#"{"A":"1","B":true}"#).unwrap().len(), 2);
        assert!(parse_skus("[]").is_err() && parse_skus("x").is_err());
        assert!(
            check_skus(r#"{"USERS":"10","API_ACCESS":true,"CONSOLE_ACCESS":"false","APIREQUESTS":-1}"#, Some(SKUDEF))
                .is_ok()
        );
        for bad in [
            r#"{"USERS":"abc"}"#,
            r#"{"USERS":true}"#,
            r#"{"USERS":-2}"#,
            r#"{"USERS":1.5}"#,
            r#"{"API_ACCESS":"yes"}"#,
            r#"{"API_ACCESS":3}"#,
            r#"{"NOPE":"1"}"#,
        ] {
            assert!(check_skus(bad, Some(SKUDEF)).is_err(), "{bad}");
        }
        assert!(check_skus(r#"{"ANY":"5","OTHER":false}"#, None).is_ok(), "without skudef, values need only a type");
        assert!(check_skus(r#"{"ANY":"abc"}"#, None).is_err());
        assert!(feature_on(&Value::String("TRUE".into())) && !feature_on(&Value::Bool(false)));
        assert_eq!(quota_of(&Value::String(" 7 ".into())), Some(7));
    }
}
