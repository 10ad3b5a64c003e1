//! `utility/licenseTypes`, `utility/licensingModels` and `utility/countries`.

use actix_web::{HttpRequest, HttpResponse, web};
use netlicensing_model::api::Access;

use crate::{
    error::ApiError,
    extract::format::negotiate,
    reply::{Reply, error_response, respond},
    state::AppState,
};

/// `GET utility/licenseTypes`.
pub async fn license_types(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = super::handlers::caller(&state, &req, access).await?;
        Ok(Reply::all(&state.core.license_types(&caller)?))
    };
    respond(negotiate(&req), result.await)
}

/// `GET utility/licensingModels`.
pub async fn licensing_models(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = super::handlers::caller(&state, &req, access).await?;
        Ok(Reply::all(&state.core.licensing_models(&caller)?))
    };
    respond(negotiate(&req), result.await)
}

/// `GET utility/countries`.
pub async fn countries(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = super::handlers::caller(&state, &req, access).await?;
        let query = crate::extract::input::query(&req);
        let page = state.core.countries(&caller, query.get("filter"))?;
        Ok(Reply::page(&page.items, page.paging))
    };
    respond(negotiate(&req), result.await)
}

/// `GET licensingmodel/PricingTable/render?productModuleNumber=`: the module's Pricing Table as an HTML fragment;
/// errors answer in the negotiated API format.
pub async fn pricing_table(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = super::handlers::caller(&state, &req, access).await?;
        let query = crate::extract::input::query(&req);
        let module = query.get("productModuleNumber").unwrap_or_default();
        Ok::<_, ApiError>(state.core.pricing_table(&caller, module).await?)
    };
    match result.await {
        Ok(table) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(table.to_html()),
        Err(error) => error_response(negotiate(&req), &error),
    }
}
