//! `utility/licenseTypes` and `utility/licensingModels`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::method_not_allowed;
use crate::{
    extract::format::negotiate,
    reply::{Reply, respond},
    state::AppState,
};

/// Registers the utility routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/utility/licenseTypes")
            .route(web::get().to(license_types))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/utility/licensingModels")
            .route(web::get().to(licensing_models))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/utility/countries")
            .route(web::get().to(countries))
            .default_service(web::to(method_not_allowed)),
    );
}

async fn license_types(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = state.auth.caller(&req).await?;
        Ok(Reply::all(&state.core.license_types(&caller)?))
    };
    respond(negotiate(&req), result.await)
}

async fn licensing_models(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = state.auth.caller(&req).await?;
        Ok(Reply::all(&state.core.licensing_models(&caller)?))
    };
    respond(negotiate(&req), result.await)
}

async fn countries(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = state.auth.caller(&req).await?;
        let query = crate::extract::input::query(&req);
        let page = state.core.countries(&caller, query.get("filter"))?;
        Ok(Reply::page(&page.items, page.paging))
    };
    respond(negotiate(&req), result.await)
}
