//! Validates a licensee and prints the result of each product module.
//!
//! Against a local server (`cargo run -p netlicensing-server`, demo vendor `demo`/`demo`):
//!
//! ```text
//! cargo run -p netlicensing-client --example validate [LICENSEE_NUMBER]
//! ```
//!
//! The vendor login sets up (or reuses) product `P-EXAMPLE` with a Subscription module whose 14-day trial template
//! is automatic, and a Multi-Feature module with a `Pro` feature that nobody holds. The licensee (default
//! `I-EXAMPLE-1`) is created on its first validation. Environment variables:
//!
//! - `NETLICENSING_BASE_URL`: API base URL (default `http://127.0.0.1:8080/core/v2/rest`)
//! - `NETLICENSING_USERNAME` / `NETLICENSING_PASSWORD`: vendor login (default `demo` / `demo`)
//! - `NETLICENSING_API_KEY`: when set, validate with this API key instead of the login (setup still uses the login)
//! - `NETLICENSING_FORMAT`: `xml` (default) or `json`

use std::{env, process::ExitCode};

use netlicensing_client::{
    Context, Error, Format, Security,
    entity::{LicenseTemplate, ModuleParameters, Product, ProductModule, ValidationParameters},
    types::{LicenseType, LicensingModel, TimeVolumePeriod},
};

const PRODUCT: &str = "P-EXAMPLE";
const SUBSCRIPTION: &str = "M-EXAMPLE-SUB";
const FEATURES: &str = "M-EXAMPLE-FEAT";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let var = |name: &str, default: &str| env::var(name).unwrap_or_else(|_| default.to_owned());
    let format = match var("NETLICENSING_FORMAT", "xml").to_ascii_lowercase().as_str() {
        "json" => Format::Json,
        _ => Format::Xml,
    };
    let vendor = Context::builder()
        .base_url(var("NETLICENSING_BASE_URL", "http://127.0.0.1:8080/core/v2/rest"))
        .basic_auth(var("NETLICENSING_USERNAME", "demo"), var("NETLICENSING_PASSWORD", "demo"))
        .format(format)
        .build()?;
    set_up(&vendor).await?;

    let validator = match env::var("NETLICENSING_API_KEY") {
        Ok(key) if !key.is_empty() => vendor.with_security(Security::api_key(key)),
        _ => vendor.clone(),
    };
    let licensee = env::args().nth(1).unwrap_or_else(|| "I-EXAMPLE-1".to_owned());
    let parameters = ValidationParameters {
        product_number: Some(PRODUCT.into()),
        licensee_name: Some(format!("Example customer {licensee}")),
        modules: vec![ModuleParameters::new(SUBSCRIPTION), ModuleParameters::new(FEATURES)],
        ..ValidationParameters::default()
    };
    let result = validator.licensees().validate(&licensee, &parameters).await?;

    println!("licensee {licensee} at {} ({format:?})", vendor.base_url());
    for module in &result.modules {
        let valid = module.valid.map_or("-".to_owned(), |v| v.to_string());
        let model = module.licensing_model.map_or("-".to_owned(), |m| m.to_string());
        let name = module.product_module_name.as_deref().unwrap_or("");
        println!("  {} {name} [{model}] valid={valid}", module.product_module_number);
        for property in &module.properties {
            println!("    {} = {}", property.name, property.value);
        }
        for list in &module.lists {
            let values: Vec<String> = list.properties.iter().map(|p| format!("{}={}", p.name, p.value)).collect();
            println!("    {}: {}", list.name, values.join(", "));
        }
    }
    for info in &result.infos {
        println!("  info {}: {}", info.id.as_deref().unwrap_or("-"), info.value);
    }
    if let Some(ttl) = result.ttl {
        println!("  cache the result until {ttl}");
    }
    Ok(())
}

/// Creates the product, modules and templates unless they exist.
async fn set_up(context: &Context) -> Result<(), Error> {
    if missing(context.products().get(PRODUCT).await)? {
        let product = Product {
            number: PRODUCT.into(),
            active: true,
            name: Some("Example product".into()),
            licensee_auto_create: Some(true),
            ..Product::default()
        };
        context.products().create(&product).await?;
        println!("created product {PRODUCT}");
    }
    for (number, name, model) in [
        (SUBSCRIPTION, "Subscription", LicensingModel::Subscription),
        (FEATURES, "Features", LicensingModel::MultiFeature),
    ] {
        if missing(context.product_modules().get(number).await)? {
            let module = ProductModule {
                number: number.into(),
                active: true,
                name: Some(name.into()),
                licensing_model: Some(model),
                ..ProductModule::default()
            };
            context.product_modules().create(PRODUCT, &module).await?;
            println!("created product module {number}");
        }
    }
    let trial = LicenseTemplate {
        number: "E-EXAMPLE-TRIAL".into(),
        active: true,
        name: Some("14-day trial".into()),
        license_type: Some(LicenseType::TimeVolume),
        time_volume: Some(14),
        time_volume_period: Some(TimeVolumePeriod::Day),
        automatic: Some(true),
        ..LicenseTemplate::default()
    };
    let pro = LicenseTemplate {
        number: "E-EXAMPLE-PRO".into(),
        active: true,
        name: Some("Pro".into()),
        license_type: Some(LicenseType::Feature),
        ..LicenseTemplate::default()
    };
    for (module, template) in [(SUBSCRIPTION, trial), (FEATURES, pro)] {
        if missing(context.license_templates().get(&template.number).await)? {
            context.license_templates().create(module, &template).await?;
            println!("created license template {}", template.number);
        }
    }
    Ok(())
}

/// True for a 404, false when the entity exists; other errors pass through.
fn missing<T>(result: Result<T, Error>) -> Result<bool, Error> {
    match result {
        Ok(_) => Ok(false),
        Err(error) if error.is_not_found() => Ok(true),
        Err(error) => Err(error),
    }
}
