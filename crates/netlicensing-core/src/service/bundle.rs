//! Bundles: sets of license templates of one product, obtained together.

use netlicensing_model::{
    codec::Form,
    entity::{Bundle, Entity},
};

use super::{
    Core, Resource, assign_number, find,
    input::{Input, base_item, merge_form},
    license_template::check_price,
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Links, Record},
    repo::Tx,
};

/// Computed on reading, never stored.
pub(crate) const COMPUTED: &[&str] = &["productNumber", "staleLicenseTemplateNumbers"];

impl Core {
    /// Creates a bundle: `name` is required; price and currency go together; the templates must exist and
    /// belong to one product.
    pub async fn create_bundle(&self, caller: &Caller, form: &Form) -> CoreResult<Bundle> {
        caller.require(Bundle::WRITE)?;
        let input = Input::new(form);
        if input.text("name").is_none() {
            return Err(CoreError::Validation("Bundle name is required.".into()));
        }
        let mut tx = self.store().write().await?;
        let number = assign_number(tx.as_mut(), caller, Kind::Bundle, input.text("number")).await?;
        let item = base_item(Bundle::TYPE, &number, input.value("active")?.unwrap_or(true));
        let bundle: Bundle =
            merge_form(item, form, &["number", "active", "productNumber", "staleLicenseTemplateNumbers"])?;
        check(tx.as_mut(), caller, &bundle).await?;
        let created = self.insert(tx.as_mut(), caller, &bundle, Links::default()).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a bundle; the same rules hold for the result. Templates named by the request are checked before
    /// anything is written.
    pub async fn update_bundle(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Bundle> {
        caller.require(Bundle::WRITE)?;
        let input = Input::new(form);
        if let Some(numbers) = input.text_any(TEMPLATE_NUMBERS) {
            let numbers: Vec<String> =
                numbers.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect();
            let mut tx = self.store().read().await?;
            check_templates(tx.as_mut(), caller, &numbers).await?;
        }
        self.update_with(caller, number, form, COMPUTED, |bundle: &mut Bundle, _| {
            if bundle.name.as_deref().is_none_or(str::is_empty) {
                return Err(CoreError::Validation("Bundle name is required.".into()));
            }
            price_rule(bundle)
        })
        .await
    }

    /// `productNumber` and `staleLicenseTemplateNumbers` of a bundle record, as shown.
    pub(crate) async fn bundle_extras(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        record: &Record,
    ) -> CoreResult<Vec<netlicensing_model::Property>> {
        let numbers = record.property("licenseTemplateNumbers").unwrap_or_default();
        let mut product = None;
        let mut stale = Vec::new();
        for number in numbers.split(',').filter(|n| !n.is_empty()) {
            match tx.get(caller.vendor, Kind::LicenseTemplate, number).await? {
                Some(template) => product = product.or(template.links.product.map(|p| p.number)),
                None => stale.push(number.to_owned()),
            }
        }
        let mut extras = Vec::new();
        if let Some(product) = product {
            extras.push(netlicensing_model::Property::new("productNumber", product));
        }
        if !stale.is_empty() {
            extras.push(netlicensing_model::Property::new("staleLicenseTemplateNumbers", stale.join(",")));
        }
        Ok(extras)
    }
}

fn price_rule(bundle: &Bundle) -> CoreResult<()> {
    check_price(bundle.price.is_some_and(|p| !p.is_zero()), bundle.currency.is_some(), bundle.price.is_some())
        .map_err(|e| CoreError::IllegalArgument(e.to_string()))
}

/// Spellings of the template list parameter.
const TEMPLATE_NUMBERS: &[&str] = &["licenseTemplateNumbers", "licenseTemplatesNumbers", "licenseTemplateNumber"];

/// Price and currency together; every template exists and all belong to one product.
async fn check(tx: &mut dyn Tx, caller: &Caller, bundle: &Bundle) -> CoreResult<()> {
    price_rule(bundle)?;
    check_templates(tx, caller, bundle.license_template_numbers.as_deref().unwrap_or_default()).await
}

/// Every template exists and all belong to one product.
async fn check_templates(tx: &mut dyn Tx, caller: &Caller, numbers: &[String]) -> CoreResult<()> {
    let mut product = None;
    for number in numbers {
        let template = find(tx, caller, Kind::LicenseTemplate, number).await?;
        let template_product = template.links.product.map(|p| p.id);
        if product.is_some() && product != template_product {
            return Err(CoreError::IllegalOperation(
                "The license templates of a bundle must belong to one product".into(),
            ));
        }
        product = template_product;
    }
    Ok(())
}
