//! `utility/licenseTypes`, `utility/licensingModels` and `utility/countries`.

use actix_web::{HttpRequest, HttpResponse, web};
use netlicensing_model::api::Access;

use crate::{
    extract::format::negotiate,
    reply::{Reply, respond},
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
