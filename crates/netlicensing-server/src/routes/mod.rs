//! The route table: every path of `/core/v2/rest`, the health check, and API-style answers for unknown paths
//! and methods. List, get and delete are one generic handler each; create and update call each resource's
//! service through [`Writable`].

mod handlers;
mod utility;

use actix_web::{HttpRequest, HttpResponse, web};
use async_trait::async_trait;
use netlicensing_core::{Caller, Core, CoreResult, Resource};
use netlicensing_model::{
    codec::Form,
    entity::{
        Bundle, License, LicenseTemplate, Licensee, Notification, PaymentMethod, Product, ProductModule, Token,
        Transaction,
    },
};

use crate::{error::ApiError, extract::format::negotiate, reply::error_response};

/// Base path of the API.
pub const BASE: &str = "/core/v2/rest";

/// A resource with create and update.
#[async_trait]
pub trait Writable: Resource + Sized + 'static {
    /// Path segment of the resource (`productmodule`).
    const PATH: &'static str;
    /// Creates an entity from request parameters.
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self>;
    /// Updates an entity from request parameters.
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self>;
}

#[async_trait]
impl Writable for Product {
    const PATH: &'static str = "product";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_product(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_product(caller, number, form).await
    }
}

#[async_trait]
impl Writable for ProductModule {
    const PATH: &'static str = "productmodule";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_product_module(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_product_module(caller, number, form).await
    }
}

#[async_trait]
impl Writable for LicenseTemplate {
    const PATH: &'static str = "licensetemplate";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_license_template(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_license_template(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Licensee {
    const PATH: &'static str = "licensee";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_licensee(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_licensee(caller, number, form).await
    }
}

#[async_trait]
impl Writable for License {
    const PATH: &'static str = "license";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_license(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_license(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Transaction {
    const PATH: &'static str = "transaction";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_transaction(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_transaction(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Bundle {
    const PATH: &'static str = "bundle";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_bundle(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_bundle(caller, number, form).await
    }
}

#[async_trait]
impl Writable for Notification {
    const PATH: &'static str = "notification";
    async fn create(core: &Core, caller: &Caller, form: &Form) -> CoreResult<Self> {
        core.create_notification(caller, form).await
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_notification(caller, number, form).await
    }
}

#[async_trait]
impl Writable for PaymentMethod {
    const PATH: &'static str = "paymentmethod";
    async fn create(_: &Core, _: &Caller, _: &Form) -> CoreResult<Self> {
        Err(netlicensing_core::CoreError::IllegalOperation("Payment methods cannot be created".into()))
    }
    async fn update(core: &Core, caller: &Caller, number: &str, form: &Form) -> CoreResult<Self> {
        core.update_payment_method(caller, number, form).await
    }
}

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(handlers::health)).service(
        web::scope(BASE)
            .configure(crud::<Product>)
            .configure(crud::<ProductModule>)
            .configure(crud::<LicenseTemplate>)
            .configure(crud::<Licensee>)
            .service(
                web::resource("/licensee/{number}/validate")
                    .route(web::post().to(handlers::validate))
                    .route(web::get().to(handlers::validate))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/licensee/{number}/transfer")
                    .route(web::post().to(handlers::transfer))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/bundle/{number}/obtain")
                    .route(web::post().to(handlers::obtain))
                    .default_service(web::to(method_not_allowed)),
            )
            .configure(crud::<License>)
            .configure(crud::<Bundle>)
            .configure(crud::<Notification>)
            .configure(|cfg| routes::<Transaction>(cfg, Methods { create: true, delete: false }))
            .configure(|cfg| routes::<PaymentMethod>(cfg, Methods { create: false, delete: false }))
            .configure(token_routes)
            .configure(utility::configure)
            .default_service(web::to(no_route)),
    );
}

/// Which of create and delete a resource offers (list, get and update it always has).
struct Methods {
    create: bool,
    delete: bool,
}

/// The five CRUD routes of a resource.
fn crud<E: Writable>(cfg: &mut web::ServiceConfig) {
    routes::<E>(cfg, Methods { create: true, delete: true });
}

/// The routes of a resource; missing methods answer 405.
fn routes<E: Writable>(cfg: &mut web::ServiceConfig, methods: Methods) {
    let mut collection = web::resource(format!("/{}", E::PATH)).route(web::get().to(handlers::list::<E>));
    if methods.create {
        collection = collection.route(web::post().to(handlers::create::<E>));
    }
    let mut item = web::resource(format!("/{}/{{number}}", E::PATH))
        .route(web::get().to(handlers::get::<E>))
        .route(web::post().to(handlers::update::<E>))
        .route(web::put().to(handlers::update::<E>));
    if methods.delete {
        item = item.route(web::delete().to(handlers::delete::<E>));
    }
    cfg.service(collection.default_service(web::to(method_not_allowed)))
        .service(item.default_service(web::to(method_not_allowed)));
}

/// Tokens have no update.
fn token_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/token")
            .route(web::get().to(handlers::list::<Token>))
            .route(web::post().to(handlers::create_token))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/token/{number}")
            .route(web::get().to(handlers::get::<Token>))
            .route(web::delete().to(handlers::delete::<Token>))
            .default_service(web::to(method_not_allowed)),
    );
}

/// Unknown paths: 404 with an error info.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    error_response(negotiate(&req), &ApiError::NoRoute(format!("No resource at {}", req.path())))
}

/// Known paths with an unsupported method: 405 with an error info.
pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let error = ApiError::MethodNotAllowed(format!("Method {} is not supported at {}", req.method(), req.path()));
    error_response(negotiate(&req), &error)
}
