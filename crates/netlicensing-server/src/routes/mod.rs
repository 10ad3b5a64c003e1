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
    entity::{License, LicenseTemplate, Licensee, Product, ProductModule, Token},
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

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(handlers::health)).service(
        web::scope(BASE)
            .configure(crud::<Product>)
            .configure(crud::<ProductModule>)
            .configure(crud::<LicenseTemplate>)
            .configure(crud::<Licensee>)
            .configure(crud::<License>)
            .configure(token_routes)
            .configure(utility::configure)
            .default_service(web::to(no_route)),
    );
}

/// The five CRUD routes of a resource.
fn crud<E: Writable>(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(format!("/{}", E::PATH))
            .route(web::get().to(handlers::list::<E>))
            .route(web::post().to(handlers::create::<E>))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("/{}/{{number}}", E::PATH))
            .route(web::get().to(handlers::get::<E>))
            .route(web::post().to(handlers::update::<E>))
            .route(web::put().to(handlers::update::<E>))
            .route(web::delete().to(handlers::delete::<E>))
            .default_service(web::to(method_not_allowed)),
    );
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
