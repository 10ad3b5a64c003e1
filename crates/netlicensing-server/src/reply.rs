//! Encoding answers in the negotiated format.

use actix_web::{
    HttpResponse,
    http::{StatusCode, header},
};
use netlicensing_model::{Document, Format, Item, Paging, entity::Entity};

use crate::error::ApiError;

/// What a handler answers with.
pub enum Reply {
    /// A document (200).
    Document(Box<Document>),
    /// Nothing (204).
    NoContent,
}

impl Reply {
    /// One entity.
    pub fn one<E: Entity>(entity: &E) -> Self {
        Reply::Document(Box::new(Document::with_items(vec![entity.to_item()])))
    }

    /// A page of entities.
    pub fn page<E: Entity>(entities: &[E], paging: Paging) -> Self {
        let items: Vec<Item> = entities.iter().map(Entity::to_item).collect();
        Reply::Document(Box::new(Document::page(items, paging)))
    }

    /// A complete, unpaged list of entities.
    pub fn all<E: Entity>(entities: &[E]) -> Self {
        Self::page(entities, Paging::single(entities.len() as u64))
    }
}

/// The HTTP response for a handler's result.
pub fn respond(format: Format, result: Result<Reply, ApiError>) -> HttpResponse {
    match result {
        Ok(Reply::Document(doc)) => document(StatusCode::OK, format, &doc),
        Ok(Reply::NoContent) => HttpResponse::NoContent().finish(),
        Err(error) => error_response(format, &error),
    }
}

/// The response for an error: its status, an `infos` error entry, and a Basic challenge on 401.
pub fn error_response(format: Format, error: &ApiError) -> HttpResponse {
    let id = error.error_id();
    let doc = Document::error(id.as_str(), error.message());
    let status = StatusCode::from_u16(id.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = document(status, format, &doc);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // Busy only after the store's own wait (busy timeout, lock timeout) ran out: retry shortly.
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    }
    if error.is_server_error() {
        // Logged once, with its sources, by the middleware (`observe`).
        response.extensions_mut().insert(crate::observe::ServerFailure(error.clone()));
    }
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Basic realm=\"NetLicensing\""));
    }
    response
}

fn document(status: StatusCode, format: Format, doc: &Document) -> HttpResponse {
    let content_type = match format {
        Format::Xml => "application/xml; charset=utf-8",
        Format::Json => "application/json; charset=utf-8",
    };
    HttpResponse::build(status).content_type(content_type).body(format.encode(doc))
}
