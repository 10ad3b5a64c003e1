//! The HTML export of a Pricing Table module (`GET licensingmodel/PricingTable/render`): a fragment
//! `<div class="nlic-pricing-table">` with a column of the SKUs and a column per offered plan, in the CSS classes
//! the hosted service documents (`nlic-column`, `nlic-plan-*`, `nlic-sku-*`), for the vendor to style.

use std::fmt::Write;

use quick_xml::escape::escape;

/// A Pricing Table as it is shown: the module's SKUs and the plans offered (active, not hidden templates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PricingTable {
    /// The SKUs of the module's `skudef`, in order.
    pub skus: Vec<PricingSku>,
    /// The plans, in order.
    pub plans: Vec<PricingPlan>,
}

/// One SKU of a Pricing Table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingSku {
    /// Its number (the key of the plans' `skus`).
    pub number: String,
    /// Its display name.
    pub name: String,
    /// True for a QUOTA SKU, false for a FEATURE.
    pub quota: bool,
}

/// One plan of a Pricing Table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PricingPlan {
    /// The template number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its price with the currency (`9.90 EUR`), if it has one.
    pub price: Option<String>,
    /// The plan's value of each SKU, in the order of [`PricingTable::skus`].
    pub values: Vec<SkuValue>,
}

/// A plan's value of one SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkuValue {
    /// A feature, included or not.
    Feature(bool),
    /// A quota; −1 is unlimited.
    Quota(i64),
    /// The plan gives the SKU no (readable) value.
    None,
}

/// Text for an HTML class name: escaped, whitespace as `-`.
fn class(text: &str) -> String {
    escape(text).chars().map(|c| if c.is_whitespace() { '-' } else { c }).collect()
}

impl PricingTable {
    /// The HTML fragment.
    pub fn to_html(&self) -> String {
        let mut out = String::from(r#"<div class="nlic-pricing-table">"#);
        out.push_str(r#"<div class="nlic-column nlic-column-skus"><div class="nlic-column-head"></div>"#);
        out.push_str(r#"<ul class="nlic-sku-list">"#);
        for sku in &self.skus {
            let kind = if sku.quota { "quota" } else { "feature" };
            let _ = write!(
                out,
                r#"<li class="nlic-sku-item nlic-sku-{kind} nlic-sku-{}"><span class="nlic-sku-description">{}</span></li>"#,
                class(&sku.number),
                escape(sku.name.as_str())
            );
        }
        out.push_str("</ul></div>");
        for plan in &self.plans {
            let number = class(&plan.number);
            let _ = write!(
                out,
                r#"<div class="nlic-column nlic-column-{number}"><div class="nlic-plan-column"><div class="nlic-column-head"><div class="nlic-plan-name">{}</div>"#,
                escape(plan.name.as_str())
            );
            if let Some(description) = &plan.description {
                let _ = write!(out, r#"<div class="nlic-plan-description">{}</div>"#, escape(description.as_str()));
            }
            match &plan.price {
                Some(price) => {
                    let _ = write!(out, r#"<div class="nlic-plan-price">{}</div>"#, escape(price.as_str()));
                }
                None => out.push_str(r#"<div class="nlic-plan-price nlic-price-empty"></div>"#),
            }
            out.push_str(r#"</div><ul class="nlic-sku-list">"#);
            for (sku, value) in self.skus.iter().zip(&plan.values) {
                let kind = if sku.quota { "quota" } else { "feature" };
                let shown = match value {
                    SkuValue::Feature(true) => {
                        r#"<span class="nlic-sku-feature-item nlic-sku-feature-value-enabled">&#10003;</span>"#.into()
                    }
                    SkuValue::Feature(false) | SkuValue::None if !sku.quota => {
                        r#"<span class="nlic-sku-feature-item nlic-sku-feature-value-disabled">&#10007;</span>"#.into()
                    }
                    SkuValue::Quota(-1) => r#"<span class="nlic-sku-quota-item">Unlimited</span>"#.into(),
                    SkuValue::Quota(n) => format!(r#"<span class="nlic-sku-quota-item">{n}</span>"#),
                    _ => r#"<span class="nlic-sku-quota-item">0</span>"#.into(),
                };
                let _ = write!(
                    out,
                    r#"<li class="nlic-sku-item nlic-sku-{kind} nlic-sku-{}">{shown}</li>"#,
                    class(&sku.number)
                );
            }
            out.push_str("</ul></div></div>");
        }
        out.push_str("</div>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_skus_become_the_documented_classes() {
        let table = PricingTable {
            skus: vec![
                PricingSku { number: "USERS".into(), name: "Team <Members>".into(), quota: true },
                PricingSku { number: "API".into(), name: "API Access".into(), quota: false },
            ],
            plans: vec![
                PricingPlan {
                    number: "FREE".into(),
                    name: "Free".into(),
                    description: Some("Start & see".into()),
                    price: None,
                    values: vec![SkuValue::Quota(1), SkuValue::Feature(false)],
                },
                PricingPlan {
                    number: "PRO".into(),
                    name: "Pro".into(),
                    description: None,
                    price: Some("9.90 EUR".into()),
                    values: vec![SkuValue::Quota(-1), SkuValue::Feature(true)],
                },
            ],
        };
        let html = table.to_html();
        assert!(html.starts_with(r#"<div class="nlic-pricing-table">"#) && html.ends_with("</div>"));
        for needle in [
            r#"<li class="nlic-sku-item nlic-sku-quota nlic-sku-USERS"><span class="nlic-sku-description">Team &lt;Members&gt;</span></li>"#,
            r#"<div class="nlic-column nlic-column-FREE">"#,
            r#"<div class="nlic-plan-description">Start &amp; see</div>"#,
            r#"<div class="nlic-plan-price nlic-price-empty"></div>"#,
            r#"<div class="nlic-plan-price">9.90 EUR</div>"#,
            r#"<span class="nlic-sku-quota-item">Unlimited</span>"#,
            "nlic-sku-feature-value-enabled",
            "nlic-sku-feature-value-disabled",
        ] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count(), "balanced");
    }
}
