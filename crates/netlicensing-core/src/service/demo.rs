//! The demo catalogue a new demo vendor starts with (as the hosted demo vendor does): one product with a module
//! for every licensing model, their templates, a customer holding a license of each, and a trial customer, so a
//! new user can list and validate straight away. Everything is made through the ordinary services, so every
//! rule applies to it.

use netlicensing_model::codec::Form;

use super::Core;
use crate::{caller::Caller, error::CoreResult};

/// The demo product's number.
pub const DEMO_PRODUCT: &str = "P001-DEMO";

/// The demo customer holding a license of every module.
pub const DEMO_CUSTOMER: &str = "I001-DEMO";

/// Pricing Table SKUs of the demo module.
const SKUDEF: &str = r#"{"skudef":[{"number":"USERS","name":"Team members","type":"QUOTA"},{"number":"REPORTS","name":"Reports","type":"FEATURE"}]}"#;

/// Form pairs.
type Pairs = &'static [(&'static str, &'static str)];

/// Modules: number, licensing model, name, extra properties.
const MODULES: &[(&str, &str, &str, Pairs)] = &[
    ("MTB-DEMO", "TryAndBuy", "Module using \"Try & Buy\" licensing model", &[]),
    ("MSB-DEMO", "Subscription", "Module using \"Subscription\" licensing model", &[]),
    (
        "MRL-DEMO",
        "Rental",
        "Module using \"Rental\" licensing model",
        &[("yellowThreshold", "10"), ("redThreshold", "3")],
    ),
    ("MFL-DEMO", "Floating", "Module using \"Floating\" licensing model", &[("maxCheckoutValidity", "3600")]),
    ("MMF-DEMO", "MultiFeature", "Module using \"Multi-Feature\" licensing model", &[]),
    ("MPU-DEMO", "PayPerUse", "Module using \"Pay-per-Use\" licensing model", &[]),
    ("MPT-DEMO", "PricingTable", "Module using \"Pricing Table\" licensing model", &[("skudef", SKUDEF)]),
    ("MQT-DEMO", "Quota", "Module using \"Quota\" licensing model", &[]),
    ("MNL-DEMO", "NodeLocked", "Module using \"Node-Locked\" licensing model", &[("nodeSecretMode", "CLIENT")]),
];

/// Templates: number, module, name, properties.
const TEMPLATES: &[(&str, &str, &str, Pairs)] = &[
    (
        "ETB-EVAL-DEMO",
        "MTB-DEMO",
        "Evaluation",
        &[
            ("licenseType", "TIMEVOLUME"),
            ("timeVolume", "30"),
            ("timeVolumePeriod", "DAY"),
            ("automatic", "true"),
            ("hidden", "true"),
        ],
    ),
    (
        "ETB-FULL-DEMO",
        "MTB-DEMO",
        "Full version",
        &[("licenseType", "FEATURE"), ("price", "49.99"), ("currency", "EUR")],
    ),
    (
        "ESB-MONTH-DEMO",
        "MSB-DEMO",
        "Monthly subscription",
        &[
            ("licenseType", "TIMEVOLUME"),
            ("timeVolume", "1"),
            ("timeVolumePeriod", "MONTH"),
            ("price", "9.99"),
            ("currency", "EUR"),
        ],
    ),
    ("ERL-FEATURE-DEMO", "MRL-DEMO", "Rented device", &[("licenseType", "FEATURE")]),
    (
        "ERL-MONTH-DEMO",
        "MRL-DEMO",
        "Rental month",
        &[
            ("licenseType", "TIMEVOLUME"),
            ("timeVolume", "1"),
            ("timeVolumePeriod", "MONTH"),
            ("price", "4.99"),
            ("currency", "EUR"),
        ],
    ),
    (
        "EFL-DEMO",
        "MFL-DEMO",
        "Five concurrent sessions",
        &[("licenseType", "FLOATING"), ("maxSessions", "5"), ("price", "99"), ("currency", "EUR")],
    ),
    ("EMF-EXPORT-DEMO", "MMF-DEMO", "Export", &[("licenseType", "FEATURE"), ("price", "19.99"), ("currency", "EUR")]),
    ("EMF-PRINT-DEMO", "MMF-DEMO", "Print", &[("licenseType", "FEATURE"), ("price", "9.99"), ("currency", "EUR")]),
    (
        "EPU-DEMO",
        "MPU-DEMO",
        "100 credits",
        &[("licenseType", "QUANTITY"), ("quantity", "100"), ("price", "10"), ("currency", "EUR")],
    ),
    (
        "EPT-FREE-DEMO",
        "MPT-DEMO",
        "Free",
        &[
            ("licenseType", "FEATURE"),
            ("automatic", "true"),
            ("description", "For getting started"),
            ("skus", r#"{"USERS":"1","REPORTS":false}"#),
        ],
    ),
    (
        "EPT-PRO-DEMO",
        "MPT-DEMO",
        "Pro",
        &[
            ("licenseType", "TIMEVOLUME"),
            ("timeVolume", "1"),
            ("timeVolumePeriod", "MONTH"),
            ("price", "29"),
            ("currency", "EUR"),
            ("description", "For growing teams"),
            ("skus", r#"{"USERS":"10","REPORTS":true}"#),
        ],
    ),
    ("EQT-DEMO", "MQT-DEMO", "Ten units", &[("licenseType", "QUANTITY"), ("quantity", "10")]),
    ("ENL-DEMO", "MNL-DEMO", "Three machines", &[("licenseType", "QUANTITY"), ("quota", "3")]),
];

/// Licenses of the demo customer: number, template, extra properties.
const LICENSES: &[(&str, &str, Pairs)] = &[
    ("LTB-DEMO", "ETB-FULL-DEMO", &[]),
    ("LSB-DEMO", "ESB-MONTH-DEMO", &[("startDate", "now")]),
    ("LRL-DEVICE-DEMO", "ERL-FEATURE-DEMO", &[]),
    ("LRL-MONTH-DEMO", "ERL-MONTH-DEMO", &[("startDate", "now"), ("parentFeature", "LRL-DEVICE-DEMO")]),
    ("LFL-DEMO", "EFL-DEMO", &[]),
    ("LMF-DEMO", "EMF-EXPORT-DEMO", &[]),
    ("LPU-DEMO", "EPU-DEMO", &[]),
    ("LPT-DEMO", "EPT-PRO-DEMO", &[("startDate", "now")]),
    ("LQT-DEMO", "EQT-DEMO", &[]),
    ("LNL-DEMO", "ENL-DEMO", &[]),
];

fn form(pairs: &[(&str, &str)]) -> Form {
    let mut form = Form::new();
    for (name, value) in pairs {
        form.push(*name, *value);
    }
    form
}

impl Core {
    /// Creates the demo catalogue for a vendor (an empty one: numbers already taken fail).
    pub async fn create_demo_catalogue(&self, caller: &Caller) -> CoreResult<()> {
        self.create_product(
            caller,
            &form(&[
                ("number", DEMO_PRODUCT),
                ("name", "Demo product"),
                ("version", "1.0"),
                ("licenseeAutoCreate", "true"),
                ("description", "Every licensing model, ready to validate"),
            ]),
        )
        .await?;
        for (number, model, name, extra) in MODULES {
            let mut pairs =
                vec![("number", *number), ("productNumber", DEMO_PRODUCT), ("name", *name), ("licensingModel", *model)];
            pairs.extend_from_slice(extra);
            self.create_product_module(caller, &form(&pairs)).await?;
        }
        for (number, module, name, extra) in TEMPLATES {
            let mut pairs = vec![("number", *number), ("productModuleNumber", *module), ("name", *name)];
            pairs.extend_from_slice(extra);
            self.create_license_template(caller, &form(&pairs)).await?;
        }
        for (number, name, aliases) in
            [(DEMO_CUSTOMER, "Demo customer", r#"["customer@example.com"]"#), ("I002-DEMO", "Trial customer", "[]")]
        {
            let pairs = [("number", number), ("productNumber", DEMO_PRODUCT), ("name", name), ("aliases", aliases)];
            self.create_licensee(caller, &form(&pairs)).await?;
        }
        for (number, template, extra) in LICENSES {
            let mut pairs =
                vec![("number", *number), ("licenseeNumber", DEMO_CUSTOMER), ("licenseTemplateNumber", *template)];
            pairs.extend_from_slice(extra);
            self.create_license(caller, &form(&pairs)).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use netlicensing_model::entity::{Product, ValidationParameters};

    use super::*;
    use crate::{repo::memory::MemoryStore, testing};

    #[tokio::test]
    async fn the_demo_customer_validates_every_model() {
        let core = testing::core_over(Arc::new(MemoryStore::new()));
        let vendor = testing::new_vendor(&core).await;
        core.create_demo_catalogue(&vendor).await.unwrap();
        assert_eq!(core.get::<Product>(&vendor, DEMO_PRODUCT).await.unwrap().licensee_auto_create, Some(true));
        let mut params = ValidationParameters::default();
        params
            .modules
            .push(netlicensing_model::entity::ModuleParameters::new("MNL-DEMO").with("nodeSecret", "machine-1"));
        params.modules.push(
            netlicensing_model::entity::ModuleParameters::new("MFL-DEMO")
                .with("sessionId", "s1")
                .with("action", "checkOut"),
        );
        let result = core.validate(&vendor, DEMO_CUSTOMER, &params).await.unwrap();
        assert_eq!(result.modules.len(), MODULES.len());
        for module in &result.modules {
            let valid =
                module.valid.or_else(|| module.lists.first().and_then(|l| l.property("valid")).map(|v| v == "true"));
            assert_eq!(valid, Some(true), "{}: {module:?}", module.product_module_number);
        }
        let by_alias = core.validate(&vendor, "customer@example.com", &ValidationParameters::default()).await.unwrap();
        assert_eq!(by_alias.modules.len(), MODULES.len());
        let trial = core.validate(&vendor, "I002-DEMO", &ValidationParameters::default()).await.unwrap();
        let evaluation = trial.module("MTB-DEMO").unwrap();
        assert_eq!((evaluation.valid, evaluation.property("evaluation")), (Some(true), Some("true")));
        assert!(core.create_demo_catalogue(&vendor).await.is_err(), "a second catalogue collides");
    }
}
