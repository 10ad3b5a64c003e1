//! The generic handlers: read the request, call one core service, encode the answer.

use actix_web::{HttpRequest, HttpResponse, web};

use netlicensing_core::{Caller, CoreError, Permission, Resource};
use netlicensing_model::{
    Format, Info,
    api::{self, Access},
    entity::ValidationParameters,
    types::InfoType,
};

use super::Writable;
use crate::{
    error::ApiError,
    extract::{format::negotiate, input},
    observe::Observer,
    reply::{Reply, respond},
    state::AppState,
};

/// Whether a query parameter is a parent key (`productNumber`), which clients also send plainly on lists.
fn plain_filter(key: &str) -> bool {
    api::Resource::ALL.iter().any(|resource| resource.link_property() == Some(key))
}

/// The caller of a route that needs credentials, refused (403) when its role may not use the route: checked
/// from the route's described access before anything of the request (path, parameters, body) is looked at.
pub(super) async fn caller(state: &AppState, req: &HttpRequest, access: Access) -> Result<Caller, ApiError> {
    let caller = state.auth.caller(req).await?;
    if access != Access::Public {
        caller.require(Permission::of(access))?;
    }
    Ok(caller)
}

/// `GET /health`: 200 once the server is up.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("OK")
}

/// `GET /<resource>`: one page, selected by `filter`.
pub async fn list<E: Resource>(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let query = input::query(&req);
        let plain: Vec<(&str, &str)> = query.pairs().filter(|(k, _)| plain_filter(k)).collect();
        let page = state.core.list::<E>(&caller, query.get("filter"), &plain).await?;
        Ok(Reply::page(&page.items, page.paging))
    };
    respond(negotiate(&req), result.await)
}

/// `GET /<resource>/{number}`.
pub async fn get<E: Resource>(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        Ok(Reply::one(&state.core.get::<E>(&caller, &path).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `POST /<resource>`.
pub async fn create<E: Writable>(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        Ok::<_, ApiError>(Reply::one(&E::create(&state.core, &caller, &form).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `POST` (or `PUT`) `/<resource>/{number}`.
pub async fn update<E: Writable>(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        Ok::<_, ApiError>(Reply::one(&E::update(&state.core, &caller, &path, &form).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `DELETE /<resource>/{number}?forceCascade=`.
pub async fn delete<E: Resource>(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let query = input::query(&req);
        state.core.delete::<E>(&caller, &path, query.get("forceCascade")).await?;
        Ok(Reply::NoContent)
    };
    respond(negotiate(&req), result.await)
}

/// `POST /licensee/{number}/validate`, and the deprecated `GET` with its parameters in the query (answered
/// with a `methodIsDeprecated` warning).
pub async fn validate(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let deprecated = req.method() == actix_web::http::Method::GET;
        let form = if deprecated { input::query(&req) } else { input::form(&req, body).await? };
        let params = ValidationParameters::from_form(&form).map_err(CoreError::from)?;
        let mut result = state.core.validate(&caller, &path, &params).await?;
        if let Some(metrics) = req.app_data::<web::Data<Observer>>().and_then(|o| o.metrics.as_ref()) {
            metrics.validated(&result);
        }
        if deprecated {
            result.infos.push(Info::new(
                InfoType::Warning,
                "methodIsDeprecated",
                "'GET' method for licensee validate is deprecated, use 'POST' instead",
            ));
        }
        let mut doc = result.to_document();
        if negotiate(&req) == Format::Xml
            && let Some(signer) = state.core.signer_for(&caller).await?
        {
            doc = state.sign(signer, doc).await?;
        }
        Ok::<_, ApiError>(Reply::Document(Box::new(doc)))
    };
    respond(negotiate(&req), result.await)
}

/// `POST /bundle/{number}/obtain`: the licenses created, as a page.
pub async fn obtain(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        let licenses = state.core.obtain_bundle(&caller, &path, &form).await?;
        Ok::<_, ApiError>(Reply::all(&licenses))
    };
    respond(negotiate(&req), result.await)
}

/// `GET /notification/{number}/deliveries`: the delivery log.
pub async fn deliveries(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        Ok::<_, ApiError>(Reply::all(&state.core.notification_deliveries(&caller, &path).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `POST /notification/{number}/resend`: 204.
pub async fn resend(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        let event = form.get("eventId").unwrap_or_default();
        state.core.resend_delivery(&caller, &path, event).await?;
        Ok::<_, ApiError>(Reply::NoContent)
    };
    respond(negotiate(&req), result.await)
}

/// `GET /branding`: the vendor's branding.
pub async fn branding(access: Access, req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        Ok::<_, ApiError>(Reply::one(&state.core.branding(&caller).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `POST /branding`: changes to the vendor's branding, answered as stored.
pub async fn update_branding(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        Ok::<_, ApiError>(Reply::one(&state.core.update_branding(&caller, &form).await?))
    };
    respond(negotiate(&req), result.await)
}

/// `POST /licensee/{number}/transfer`: 204.
pub async fn transfer(
    access: Access,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let result = async {
        let caller = caller(&state, &req, access).await?;
        let form = input::form(&req, body).await?;
        state.core.transfer(&caller, &path, &form).await?;
        Ok::<_, ApiError>(Reply::NoContent)
    };
    respond(negotiate(&req), result.await)
}
