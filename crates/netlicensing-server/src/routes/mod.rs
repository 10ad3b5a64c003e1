//! The route table: the API description of the model crate ([`api::routes`]) bound to handlers, and API-style
//! answers for unknown paths and methods. List, get and delete are one generic handler each; create and update
//! call each resource's service through [`Writable`].

mod handlers;
mod openapi;
mod utility;

use actix_web::{HttpRequest, HttpResponse, http::Method, web};
use async_trait::async_trait;
use netlicensing_core::{Caller, Core, CoreResult, Resource};
use netlicensing_model::{
    api::{self, Operation},
    codec::Form,
    entity::{
        Bundle, License, LicenseTemplate, Licensee, Notification, PaymentMethod, Product, ProductModule, Token,
        Transaction,
    },
    with_entity,
};

use crate::{error::ApiError, extract::format::negotiate, reply::error_response};

/// Base path of the API.
pub const BASE: &str = api::BASE;

/// A resource with create and update.
#[async_trait]
pub trait Writable: Resource + Sized + 'static {
    /// Creates an entity from request parameters.
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self>;
    /// Updates an entity from request parameters.
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self>;
}

#[async_trait]
impl Writable for Product {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_product(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_product(caller, number, form).await
    }
}

#[async_trait]
impl Writable for ProductModule {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_product_module(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_product_module(caller, number, form).await
    }
}

#[async_trait]
impl Writable for LicenseTemplate {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_license_template(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_license_template(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Licensee {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_licensee(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_licensee(caller, number, form).await
    }
}

#[async_trait]
impl Writable for License {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_license(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_license(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Transaction {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_transaction(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_transaction(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Bundle {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_bundle(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_bundle(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Notification {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_notification(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_notification(caller, number, form).await
    }
}

#[async_trait]
impl Writable for PaymentMethod {
    async fn create(_: &Core, _: &Caller, _: &Form) -> CoreResult<Self> {
        Err(netlicensing_core::CoreError::IllegalOperation("Payment methods cannot be created".into()))
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_payment_method(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Token {
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_token(caller, form).await
    }
    async fn update(_: &Core, _: &Caller, _: &str, _: &Form) -> CoreResult<Self> {
        Err(netlicensing_core::CoreError::IllegalOperation("Tokens cannot be updated".into()))
    }
}

/// Registers every route of the API description ([`api::routes`]) and nothing else: one resource per path,
/// answering 405 for the methods the description does not list, and 404 for unknown paths below [`BASE`].
/// Routes below [`BASE`] answer cross-origin requests from `cors_origins` ([`crate::cors`]); others never do.
pub fn configure(cfg: &mut web::ServiceConfig, cors_origins: &[String]) {
    let routes = api::routes();
    let mut paths: Vec<(&str, Vec<&api::Route>)> = Vec::new();
    for route in &routes {
        match paths.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, group)) => group.push(route),
            None => paths.push((&route.path, vec![route])),
        }
    }
    // The router tries the paths in order (a regex per path with a `{number}`): validation, the hot path,
    // comes first.
    paths.sort_by_key(|(_, group)| !group.iter().any(|route| route.operation == Operation::Validate));
    let mut scope = web::scope(BASE);
    for (path, group) in paths {
        let (inner, path) = match path.strip_prefix(BASE) {
            Some(inner) => (true, inner),
            None => (false, path),
        };
        let allow: Vec<&str> = group.iter().map(|route| route.method.as_str()).collect();
        let allow = allow.join(", ");
        let resource = group
            .into_iter()
            .fold(web::resource(path), |resource, route| resource.route(bind(route)))
            .default_service(web::to(move |req| method_not_allowed(req, allow.clone())));
        if inner {
            scope = scope.service(resource);
        } else {
            cfg.service(resource);
        }
    }
    let cors = crate::cors::middleware(cors_origins);
    let enabled = cors.is_some();
    let cors = actix_web::middleware::Condition::new(enabled, cors.unwrap_or_default());
    cfg.service(scope.default_service(web::to(no_route)).wrap(cors));
}

/// The handler of a described route, for its method.
fn bind(route: &api::Route) -> actix_web::Route {
    let method = match route.method {
        api::Method::Get => Method::GET,
        api::Method::Post => Method::POST,
        api::Method::Put => Method::PUT,
        api::Method::Delete => Method::DELETE,
    };
    let r = web::method(method);
    let access = route.access;
    match route.operation {
        Operation::List(resource) => {
            with_entity!(resource, |E| r.to(move |req, state| handlers::list::<E>(access, req, state)))
        }
        Operation::Get(resource) => {
            with_entity!(resource, |E| r.to(move |req, state, path| handlers::get::<E>(access, req, state, path)))
        }
        Operation::Create(resource) => {
            with_entity!(resource, |E| r.to(move |req, state, body| handlers::create::<E>(access, req, state, body)))
        }
        Operation::Update(resource) => with_entity!(resource, |E| r
            .to(move |req, state, path, body| { handlers::update::<E>(access, req, state, path, body) })),
        Operation::Delete(resource) => {
            with_entity!(resource, |E| r.to(move |req, state, path| handlers::delete::<E>(access, req, state, path)))
        }
        Operation::Validate => r.to(move |req, state, path, body| handlers::validate(access, req, state, path, body)),
        Operation::Transfer => r.to(move |req, state, path, body| handlers::transfer(access, req, state, path, body)),
        Operation::Obtain => r.to(move |req, state, path, body| handlers::obtain(access, req, state, path, body)),
        Operation::Deliveries => r.to(move |req, state, path| handlers::deliveries(access, req, state, path)),
        Operation::Resend => r.to(move |req, state, path, body| handlers::resend(access, req, state, path, body)),
        Operation::Branding => r.to(move |req, state| handlers::branding(access, req, state)),
        Operation::UpdateBranding => r.to(move |req, state, body| handlers::update_branding(access, req, state, body)),
        Operation::LicenseTypes => r.to(move |req, state| utility::license_types(access, req, state)),
        Operation::LicensingModels => r.to(move |req, state| utility::licensing_models(access, req, state)),
        Operation::Countries => r.to(move |req, state| utility::countries(access, req, state)),
        Operation::PricingTableRender => r.to(move |req, state| utility::pricing_table(access, req, state)),
        Operation::Health => r.to(handlers::health),
        Operation::OpenApi => r.to(openapi::document),
    }
}

/// Unknown paths: 404 with an error info.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    error_response(negotiate(&req), &ApiError::NoRoute(format!("No resource at {}", req.path())))
}

/// Known paths with an unsupported method: 405 with an error info and the `Allow` header listing the path's
/// methods (RFC 9110, 15.5.6).
pub async fn method_not_allowed(req: HttpRequest, allow: String) -> HttpResponse {
    let error = ApiError::MethodNotAllowed(format!("Method {} is not supported at {}", req.method(), req.path()));
    let mut response = error_response(negotiate(&req), &error);
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
        response.headers_mut().insert(actix_web::http::header::ALLOW, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use netlicensing_core::Permission;
    use netlicensing_model::{api::Access, types::ApiKeyRole};

    use super::*;

    fn access(permission: Permission) -> Access {
        match permission {
            Permission::Licensee => Access::Role(ApiKeyRole::Licensee),
            Permission::Read => Access::Role(ApiKeyRole::Analytics),
            Permission::Operate => Access::Role(ApiKeyRole::Operation),
            Permission::Maintain => Access::Role(ApiKeyRole::Maintenance),
            Permission::Administer => Access::Role(ApiKeyRole::Admin),
            Permission::VendorLogin => Access::VendorLogin,
        }
    }

    /// The access the description states is what the services check (`Resource::READ` / `WRITE`, read from
    /// the same declaration, and the permissions the action services require).
    #[test]
    fn described_access_is_what_the_services_require() {
        for route in api::routes() {
            let expected = match route.operation {
                Operation::List(r) | Operation::Get(r) => with_entity!(r, |E| access(E::READ)),
                // `Core::create_token`: API keys may create SHOP tokens; other types need the vendor login.
                Operation::Create(api::Resource::Token) => access(Permission::Licensee),
                Operation::Create(r) | Operation::Update(r) | Operation::Delete(r) => {
                    with_entity!(r, |E| access(E::WRITE))
                }
                Operation::Validate | Operation::Transfer => access(Permission::Licensee),
                Operation::Obtain => access(Permission::Operate),
                Operation::Deliveries => with_entity!(api::Resource::Notification, |E| access(E::READ)),
                Operation::Resend => with_entity!(api::Resource::Notification, |E| access(E::WRITE)),
                Operation::Branding | Operation::UpdateBranding => access(Permission::Administer),
                Operation::LicenseTypes
                | Operation::LicensingModels
                | Operation::Countries
                | Operation::PricingTableRender => access(Permission::Read),
                Operation::Health | Operation::OpenApi => Access::Public,
            };
            assert_eq!(route.access, expected, "{}", route.operation_id);
        }
    }
}
