//! One service per resource, each a thin typed layer over [`Context`]: entities in, entities out.

mod bundle;
mod license;
mod license_template;
mod licensee;
mod notification;
mod payment_method;
mod product;
mod product_module;
mod token;
mod transaction;
mod utility;

pub use bundle::BundleService;
pub use license::LicenseService;
pub use license_template::LicenseTemplateService;
pub use licensee::LicenseeService;
pub use notification::NotificationService;
pub use payment_method::PaymentMethodService;
pub use product::ProductService;
pub use product_module::ProductModuleService;
pub use token::TokenService;
pub use transaction::TransactionService;
pub use utility::UtilityService;

use netlicensing_model::{Paging, codec::Form, entity::Entity};

use crate::{
    context::Context,
    error::{Error, Result},
    filter::Filter,
    page::Page,
    transport::Answer,
};

/// The entity of a get/create/update answer.
pub(crate) fn one<T: Entity>(answer: Answer) -> Result<T> {
    T::one_from(answer.doc).map_err(|source| Error::Decode { status: answer.status, source })
}

/// The entities of a list answer; an answer without paging is one complete page.
pub(crate) fn page<T: Entity>(answer: Answer) -> Result<Page<T>> {
    let paging = answer.doc.paging().copied();
    let items = T::all_from(answer.doc).map_err(|source| Error::Decode { status: answer.status, source })?;
    let paging = paging.unwrap_or_else(|| Paging::single(items.len() as u64));
    Ok(Page::new(items, paging))
}

/// The query of a list call.
pub(crate) fn filter_query(filter: &Filter) -> Form {
    let mut query = Form::new();
    if !filter.is_empty() {
        query.push("filter", filter.to_string());
    }
    query
}

/// The create/update form of an entity: its `to_form()`, without an empty `number` (the service generates one on
/// create and keeps the current one on update).
pub(crate) fn entity_form<T: Entity>(entity: &T) -> Form {
    let mut form = entity.to_form();
    if form.get("number").is_some_and(str::is_empty) {
        form.remove("number");
    }
    form
}

/// Sets a parameter, replacing any value the entity brought.
pub(crate) fn set(form: &mut Form, key: &str, value: &str) {
    form.remove(key);
    form.push(key, value);
}

/// GET `{path}?filter=…`.
pub(crate) async fn list<T: Entity>(context: &Context, path: &str, filter: &Filter) -> Result<Page<T>> {
    page(context.get(&[path], &filter_query(filter)).await?)
}

impl Context {
    /// One page of any list, as the items the service answered (untyped: every property, known or not, as
    /// sent). `path` is the resource's (`licensee`); for tools that copy whole accounts. Retried as every GET.
    pub async fn list_items(&self, path: &str, filter: &Filter) -> Result<Page<netlicensing_model::Item>> {
        let answer = self.get(&[path], &filter_query(filter)).await?;
        let paging = answer.doc.paging().copied();
        let items = answer.doc.into_items();
        let paging = paging.unwrap_or_else(|| Paging::single(items.len() as u64));
        Ok(Page::new(items, paging))
    }
}

/// GET `{path}/{number}`.
pub(crate) async fn get<T: Entity>(context: &Context, path: &str, number: &str) -> Result<T> {
    one(context.get(&[path, number], &Form::new()).await?)
}

/// POST `{path}` with the form.
pub(crate) async fn create<T: Entity>(context: &Context, path: &str, form: &Form) -> Result<T> {
    one(context.post(&[path], form).await?)
}

/// POST `{path}/{number}` with the form (updates are POSTs on the NetLicensing API).
pub(crate) async fn update<T: Entity>(context: &Context, path: &str, number: &str, form: &Form) -> Result<T> {
    one(context.post(&[path, number], form).await?)
}

/// DELETE `{path}/{number}`, with `forceCascade` when given.
pub(crate) async fn delete(context: &Context, path: &str, number: &str, force_cascade: Option<bool>) -> Result<()> {
    let mut query = Form::new();
    if let Some(force) = force_cascade {
        query.push("forceCascade", force.to_string());
    }
    context.delete(&[path, number], &query).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}

    #[test]
    fn contexts_errors_and_calls_cross_threads() {
        let context = Context::builder().base_url("http://127.0.0.1:9/x").build().expect("context");
        send_sync(&context);
        send_sync(&Error::Config(String::new()));
        let parameters = netlicensing_model::entity::ValidationParameters::default();
        send(&context.licensees().validate("I", &parameters));
        send(&context.products().list(&Filter::new()));
    }

    #[test]
    fn forms_drop_empty_numbers_and_parent_numbers_replace() {
        use netlicensing_model::entity::ProductModule;
        let module = ProductModule { active: true, product_number: Some("OLD".into()), ..ProductModule::default() };
        let mut form = entity_form(&module);
        set(&mut form, "productNumber", "P1");
        assert_eq!(form.encode(), "active=true&productNumber=P1");
        assert_eq!(filter_query(&Filter::new().with("a", 1)).encode(), "filter=a%3D1");
        assert!(filter_query(&Filter::new()).is_empty());
    }
}
