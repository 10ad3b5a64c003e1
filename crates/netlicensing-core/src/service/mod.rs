//! Domain services: what each API operation does, over the repository traits.
//!
//! List, get and delete work the same way for every resource ([`Core::list`], [`Core::get`],
//! [`Core::delete`]); create and update carry each resource's rules in its own file.

pub mod filter;
pub mod input;
pub mod numbering;

pub mod branding;
mod bundle;
pub mod cache;
pub(crate) mod convert;
pub mod customer;
mod demo;
pub mod events;
mod license;
pub mod license_detail;
mod license_template;
mod licensee;
mod licensee_secret;
pub mod notification;
mod obtain;
mod payment_method;
pub mod portal;
mod pricing_table;
mod product;
mod product_module;
pub mod shop;
mod statistics;
mod token;
mod transaction;
mod utility;
mod validate;
pub mod vendor_settings;
pub mod write_lane;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use netlicensing_model::{
    Paging, Property,
    api::ResourceEntity,
    codec::Form,
    types::{TransactionSource, WireValue},
};

pub use convert::stored_properties;
pub use demo::{DEMO_CUSTOMER, DEMO_PRODUCT};
pub use input::Input;
pub use product_module::MAX_CHECKOUT_VALIDITY;
pub use token::TokenUrls;

use crate::{
    caller::{Caller, Permission},
    error::{CoreError, CoreResult},
    record::{Kind, Link, LinkKind, Links, NewRecord, Order, Record},
    repo::{Store, Tx},
};

/// A resource of the API: an entity stored as records of one kind, with the permissions its operations need,
/// all read from the resource's declaration in the model.
pub trait Resource: ResourceEntity + Send {
    /// The kind of record.
    const KIND: Kind;
    /// Permission to list and get.
    const READ: Permission;
    /// Permission to create, update and delete.
    const WRITE: Permission;
}

impl<E: ResourceEntity + Send> Resource for E {
    const KIND: Kind = E::RESOURCE;
    const READ: Permission = Permission::of(E::RESOURCE.read_access());
    const WRITE: Permission = Permission::of(E::RESOURCE.write_access());
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<E> {
    /// The entities of the page.
    pub items: Vec<E>,
    /// Its paging attributes.
    pub paging: Paging,
}

/// Module names by module id, read once per list.
type ModuleNames = std::collections::HashMap<i64, Option<String>>;

/// A source of the current time (tests fix it).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The domain services over one store.
#[derive(Clone)]
pub struct Core {
    /// The store as given.
    raw: Arc<dyn Store>,
    /// The store the services use: [`events::EventStore`] over `raw`.
    store: Arc<dyn Store>,
    clock: Clock,
    endpoints: Option<Arc<dyn notification::EndpointCheck>>,
    token_urls: TokenUrls,
    licensings: Arc<cache::ScopedCache<validate::PackedLicensing>>,
    catalogues: Arc<cache::ScopedCache<validate::Catalogue>>,
    settings: Arc<vendor_settings::SettingsCache>,
    signers: Arc<token::Signers>,
    validations: Arc<statistics::ValidationCounter>,
    write_lane: Option<Arc<dyn write_lane::WriteLane>>,
}

impl Core {
    /// Services over a store, with the system clock.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let clock: Clock = Arc::new(Utc::now);
        Self {
            store: Arc::new(events::EventStore::wrap(store.clone(), clock.clone())),
            raw: store,
            clock,
            endpoints: None,
            token_urls: TokenUrls::default(),
            licensings: Arc::new(cache::ScopedCache::new(cache::DEFAULT_MIB << 20)),
            catalogues: Arc::new(cache::ScopedCache::new(cache::CATALOGUE_BYTES)),
            settings: Arc::default(),
            signers: Arc::new(token::Signers::default()),
            validations: Arc::default(),
            write_lane: None,
        }
    }

    /// Services that keep licensees' validation data in at most `mib` MiB of memory (0: read every licensee's
    /// data from the store; product catalogues stay cached).
    pub fn with_validation_cache(mut self, mib: u64) -> Self {
        // Product catalogues stay cached either way: a few KB per product, read by every validation.
        self.licensings = Arc::new(cache::ScopedCache::new(mib.saturating_mul(1 << 20)));
        self
    }

    /// How often validation was answered from the cache (hits) or read the store (misses).
    pub fn validation_cache_stats(&self) -> cache::CacheStats {
        self.licensings.stats()
    }

    /// How often validation found a product's catalogue in the cache (hits) or read the store (misses).
    pub fn catalogue_cache_stats(&self) -> cache::CacheStats {
        self.catalogues.stats()
    }

    /// Services with other shop and customer-portal addresses.
    pub fn with_token_urls(mut self, urls: TokenUrls) -> Self {
        self.token_urls = urls;
        self
    }

    /// Where shop and customer-portal tokens point.
    pub fn token_urls(&self) -> &TokenUrls {
        &self.token_urls
    }

    /// Services with another clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.store = Arc::new(events::EventStore::wrap(self.raw.clone(), clock.clone()));
        self.clock = clock;
        self
    }

    /// Services that check webhook endpoints with this policy when notifications are created or updated.
    pub fn with_endpoint_check(mut self, check: Arc<dyn notification::EndpointCheck>) -> Self {
        self.endpoints = Some(check);
        self
    }

    /// The store (raising events on commit; see [`events`]).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The store without raising events: for restoring an account (an import re-creates customers, it does
    /// not gain them, so subscribers hear nothing of it).
    pub fn store_without_events(&self) -> &Arc<dyn Store> {
        &self.raw
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Lists a resource: `filter` is the API's `key=value;...` parameter, `plain` any other query parameters.
    pub async fn list<E: Resource>(
        &self,
        caller: &Caller,
        filter: Option<&str>,
        plain: &[(&str, &str)],
    ) -> CoreResult<Page<E>> {
        self.list_in_order(caller, filter, plain, Order::Id).await
    }

    /// [`Core::list`] in another order (the console lists customers by name; the API's order is by id).
    pub async fn list_in_order<E: Resource>(
        &self,
        caller: &Caller,
        filter: Option<&str>,
        plain: &[(&str, &str)],
        order: Order,
    ) -> CoreResult<Page<E>> {
        caller.require(E::READ)?;
        if E::KIND == Kind::PaymentMethod {
            self.ensure_payment_methods(caller).await?;
        }
        let mut query = filter::parse(E::KIND, filter, plain)?;
        query.order = order;
        let mut tx = self.store.read().await?;
        let listing = tx.list(caller.vendor, E::KIND, &query).await?;
        let mut items = Vec::with_capacity(listing.records.len());
        let mut module_names = ModuleNames::new();
        for record in &listing.records {
            items.push(self.shown_entity::<E>(tx.as_mut(), caller, record, &mut module_names).await?);
        }
        let paging = Paging::of(query.page, query.items, items.len() as u64, listing.total);
        Ok(Page { items, paging })
    }

    /// Gets one entity by number.
    pub async fn get<E: Resource>(&self, caller: &Caller, number: &str) -> CoreResult<E> {
        caller.require(E::READ)?;
        if E::KIND == Kind::PaymentMethod {
            self.ensure_payment_methods(caller).await?;
        }
        let mut tx = self.store.read().await?;
        let record = find(tx.as_mut(), caller, E::KIND, number).await?;
        self.entity(tx.as_mut(), caller, &record).await
    }

    /// Deletes an entity. One with dependants is refused unless `force_cascade` is `true`, which deletes the
    /// dependants too.
    pub async fn delete<E: Resource>(
        &self,
        caller: &Caller,
        number: &str,
        force_cascade: Option<&str>,
    ) -> CoreResult<()> {
        caller.require(E::WRITE)?;
        let force = match force_cascade.filter(|v| !v.is_empty()) {
            None => false,
            Some(text) => bool::parse_wire(text)
                .ok_or_else(|| CoreError::Malformed("Unexpected value of parameter 'forceCascade'".into()))?,
        };
        let mut tx = self.store.write().await?;
        let record = find(tx.as_mut(), caller, E::KIND, number).await?;
        if record.in_use && !force {
            return Err(CoreError::IllegalOperation(format!(
                "The {} '{number}' is in use; delete it with forceCascade=true to delete what depends on it too",
                E::KIND.noun()
            )));
        }
        tx.delete(caller.vendor, E::KIND, record.id).await?;
        if let Some((source, licensee)) = deletion_source(E::KIND, &record) {
            transaction::record_auto(tx.as_mut(), caller, self.now(), source, licensee.as_deref(), &[]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The typed entity of a record, with what is shown beside the stored properties.
    async fn entity<E: Resource>(&self, tx: &mut dyn Tx, caller: &Caller, record: &Record) -> CoreResult<E> {
        self.shown_entity(tx, caller, record, &mut ModuleNames::new()).await
    }

    /// [`Core::entity`] with a cache of module names, shared by the records of one list so that each module
    /// is read once.
    async fn shown_entity<E: Resource>(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        record: &Record,
        module_names: &mut ModuleNames,
    ) -> CoreResult<E> {
        let mut extra = Vec::new();
        if E::KIND == Kind::LicenseTemplate
            && let Some(module) = &record.links.product_module
        {
            let name = match module_names.get(&module.id) {
                Some(name) => name.clone(),
                None => {
                    let found = tx.get_by_id(caller.vendor, Kind::ProductModule, module.id).await?;
                    let name = found.and_then(|m| m.property("name").map(str::to_owned));
                    module_names.insert(module.id, name.clone());
                    name
                }
            };
            if let Some(name) = name {
                extra.push(Property::new("productModuleName", name));
            }
        }
        if E::KIND == Kind::Bundle {
            extra.extend(self.bundle_extras(tx, caller, record).await?);
        }
        if E::KIND == Kind::Transaction {
            extra.push(Property::new("inUse", transaction::in_use_text(&record.lists)));
            if record.property("vendorNumber").is_none() {
                extra.push(Property::new("vendorNumber", caller.vendor_number.as_str()));
            }
        }
        if E::KIND == Kind::Token {
            return convert::to_entity(E::KIND, &self.shown_token(record), extra);
        }
        if convert::hides(E::KIND) {
            let mut shown = record.clone();
            shown.properties.retain(|p| !convert::hidden(E::KIND, &p.name));
            return convert::to_entity(E::KIND, &shown, extra);
        }
        convert::to_entity(E::KIND, record, extra)
    }

    /// A token record as it is shown: never its private key, and inactive once expired.
    fn shown_token(&self, record: &Record) -> Record {
        let mut shown = record.clone();
        shown.properties.retain(|p| p.name != "privateKey");
        let expired = record
            .property("expirationTime")
            .and_then(<chrono::DateTime<Utc> as WireValue>::parse_wire)
            .is_some_and(|t| t <= self.now());
        shown.active = record.active && !expired;
        shown
    }

    /// Reads back a record just written, as the answer of create and update.
    async fn reread<E: Resource>(&self, tx: &mut dyn Tx, caller: &Caller, id: i64) -> CoreResult<E> {
        let record =
            tx.get_by_id(caller.vendor, E::KIND, id).await?.ok_or_else(|| CoreError::not_found(E::KIND.noun()))?;
        self.entity(tx, caller, &record).await
    }
}

impl Core {
    /// Inserts a new entity with its direct parent links and reads it back.
    async fn insert<E: Resource>(&self, tx: &mut dyn Tx, caller: &Caller, entity: &E, links: Links) -> CoreResult<E> {
        input::check_number(entity.number())?;
        let (properties, lists) = stored_properties(E::KIND, entity);
        let record =
            NewRecord { number: entity.number().to_owned(), active: entity.active(), links, properties, lists };
        let id = tx.insert(caller.vendor, E::KIND, &record).await?;
        self.reread(tx, caller, id).await
    }

    /// Updates an entity from request parameters: the form is merged into the current entity (names in `skip`
    /// are left to `adjust`), `adjust` applies the resource's own rules, and the result is stored.
    async fn update_with<E, F>(
        &self,
        caller: &Caller,
        number: &str,
        form: &Form,
        skip: &[&str],
        adjust: F,
    ) -> CoreResult<E>
    where
        E: Resource,
        F: FnOnce(&mut E, &Input<'_>) -> CoreResult<()> + Send,
    {
        caller.require(E::WRITE)?;
        let mut tx = self.store.write().await?;
        let out = self.update_in(tx.as_mut(), caller, number, form, skip, adjust).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// [`Core::update_with`] within the caller's write transaction (which it does not commit).
    async fn update_in<E, F>(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        number: &str,
        form: &Form,
        skip: &[&str],
        adjust: F,
    ) -> CoreResult<E>
    where
        E: Resource,
        F: FnOnce(&mut E, &Input<'_>) -> CoreResult<()> + Send,
    {
        caller.require(E::WRITE)?;
        let mut record = find(tx, caller, E::KIND, number).await?;
        let current: E = self.entity(tx, caller, &record).await?;
        let mut entity: E = input::merge_form(current.to_item(), form, skip)?;
        adjust(&mut entity, &Input::new(form))?;
        input::check_number(entity.number())?;
        record.number = entity.number().to_owned();
        record.active = entity.active();
        // Write-only secrets given in the form replace the stored ones (an empty value removes one).
        let given = |name: &str| convert::writable_secret(E::KIND, name) && form.get(name).is_some();
        let mut kept: Vec<Property> = record
            .properties
            .iter()
            .filter(|p| convert::hidden(E::KIND, &p.name) && !given(&p.name))
            .cloned()
            .collect();
        for (name, value) in form.pairs() {
            if given(name) && !value.is_empty() && !kept.iter().any(|p| p.name == name) {
                kept.push(Property::new(name, value));
            }
        }
        (record.properties, record.lists) = stored_properties(E::KIND, &entity);
        // Hidden properties are not shown, so not in the merged entity: they stay as stored.
        record.properties.retain(|p| !convert::hidden(E::KIND, &p.name));
        record.properties.extend(kept);
        tx.update(caller.vendor, E::KIND, &record).await?;
        self.reread(tx, caller, record.id).await
    }
}

/// What a create request needs beyond the generic steps.
pub(crate) struct CreateSpec<'a> {
    /// The parent link, the parameter naming the parent, and the message when it is missing.
    pub parent: Option<(LinkKind, &'a str, &'a str)>,
    /// Parameters that must be given, each with the service's message, checked in order after the parent.
    pub required: &'a [(&'a str, &'a str)],
    /// Default property values, overridden by the request.
    pub defaults: &'a [(&'a str, &'a str)],
    /// Parameters the generic merge leaves alone.
    pub skip: &'a [&'a str],
}

impl CreateSpec<'_> {
    /// Checks the parent parameter and the required ones; returns the parent's number.
    fn check<'f>(&self, input: &Input<'f>) -> CoreResult<Option<&'f str>> {
        let parent_number = match self.parent {
            Some((_, parameter, message)) => Some(input.required(parameter, message)?),
            None => None,
        };
        for (name, message) in self.required {
            input.required(name, message)?;
        }
        Ok(parent_number)
    }
}

impl Core {
    /// Creates an entity from request parameters: checks the permission and required parameters, finds the
    /// parent, assigns the number, merges the form over the defaults, lets `adjust` apply the resource's rules
    /// (with the parent record), and stores the result with its parent link.
    async fn create_with<E, F>(&self, caller: &Caller, form: &Form, spec: CreateSpec<'_>, adjust: F) -> CoreResult<E>
    where
        E: Resource,
        F: FnOnce(&mut E, &Input<'_>, Option<&Record>) -> CoreResult<()> + Send,
    {
        caller.require(E::WRITE)?;
        // Malformed requests are refused before waiting for a write transaction.
        spec.check(&Input::new(form))?;
        let mut tx = self.store.write().await?;
        let created = self.create_in(tx.as_mut(), caller, form, spec, adjust).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// [`Core::create_with`] within the caller's write transaction (which it does not commit).
    async fn create_in<E, F>(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        form: &Form,
        spec: CreateSpec<'_>,
        adjust: F,
    ) -> CoreResult<E>
    where
        E: Resource,
        F: FnOnce(&mut E, &Input<'_>, Option<&Record>) -> CoreResult<()> + Send,
    {
        caller.require(E::WRITE)?;
        let input = Input::new(form);
        let parent_number = spec.check(&input)?;
        let parent = match (spec.parent, parent_number) {
            (Some((link, _, _)), Some(number)) => Some(find(tx, caller, link, number).await?),
            _ => None,
        };
        let number = assign_number(tx, caller, E::KIND, input.text("number")).await?;
        let mut item = input::base_item(E::TYPE, &number, input.value("active")?.unwrap_or(true));
        for (name, value) in spec.defaults {
            item.push(*name, *value);
        }
        let mut skip = vec!["number", "active"];
        skip.extend_from_slice(spec.skip);
        skip.extend(spec.parent.map(|(_, parameter, _)| parameter));
        let mut entity: E = input::merge_form(item, form, &skip)?;
        adjust(&mut entity, &input, parent.as_ref())?;
        let mut links = Links::default();
        if let (Some((link, _, _)), Some(parent)) = (spec.parent, parent) {
            links.set(link, Some(Link { id: parent.id, number: parent.number }));
        }
        self.insert(tx, caller, &entity, links).await
    }
}

/// The transaction a deletion is recorded by, with its licensee: every license or licensee deleted, and a
/// template, module or product deleted with what depends on it (which takes licenses or licensees along).
fn deletion_source(kind: Kind, record: &Record) -> Option<(TransactionSource, Option<String>)> {
    let licensee = || record.links.licensee.as_ref().map(|link| link.number.clone());
    match kind {
        Kind::License => Some((TransactionSource::AutoLicenseDelete, licensee())),
        Kind::Licensee => Some((TransactionSource::AutoLicenseeDelete, Some(record.number.clone()))),
        Kind::LicenseTemplate if record.in_use => Some((TransactionSource::AutoLicenseTemplateDelete, None)),
        Kind::ProductModule if record.in_use => Some((TransactionSource::AutoProductModuleDelete, None)),
        Kind::Product if record.in_use => Some((TransactionSource::AutoProductDelete, None)),
        _ => None,
    }
}

/// The vendor's number for a new entity, or a generated one.
pub(crate) async fn assign_number(
    tx: &mut dyn Tx,
    caller: &Caller,
    kind: Kind,
    given: Option<&str>,
) -> CoreResult<String> {
    match given {
        Some(number) => {
            input::check_number(number)?;
            Ok(number.to_owned())
        }
        None => numbering::unused_number(tx, caller.vendor, kind).await,
    }
}

/// The record of a kind with that number, or `NotFoundException` in the service's words.
pub(crate) async fn find(tx: &mut dyn Tx, caller: &Caller, kind: Kind, number: &str) -> CoreResult<Record> {
    tx.get(caller.vendor, kind, number).await?.ok_or_else(|| CoreError::not_found(kind.noun()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::{repo::memory::MemoryStore, testing};

    #[tokio::test]
    async fn the_memory_store_passes_the_storage_suite() {
        testing::run_all(&testing::core_over(Arc::new(MemoryStore::new()))).await;
    }
}
