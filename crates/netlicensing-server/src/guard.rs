//! The HTTP layer's defences against hostile input, before any handler runs: limits on how long a request may
//! take to arrive and how many connections one client address may hold, and a refusal of paths and queries no
//! entity can be named by (a NUL byte anywhere, a path that is not UTF-8). Every refusal is an API error in the
//! negotiated format.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{
    Error,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use netlicensing_core::CoreError;

use crate::{error::ApiError, extract::format::negotiate, reply::error_response};

/// How long requests may take to arrive, and how many connections a client address may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The request line and headers must arrive within this (actix's `client_request_timeout`; 408).
    pub head_timeout: Duration,
    /// A request body must arrive completely within this (408 with an API error).
    pub body_timeout: Duration,
    /// Open connections one client address may hold; requests on further ones get 503 and the connection is
    /// closed.
    pub connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            head_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(10),
            connections_per_address: 256,
        }
    }
}

/// Open connections per client address, shared by every worker.
#[derive(Debug, Default)]
pub struct Connections {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection, counted while it lives (kept in the connection's data; dropped when it closes).
#[derive(Debug)]
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    address: IpAddr,
    /// Whether the address held its limit of connections already when this one opened.
    pub over_limit: bool,
}

impl Connections {
    /// Counts a new connection from the address.
    pub fn open(self: &Arc<Self>, address: IpAddr, limit: usize) -> ConnectionSlot {
        let count = match self.open.lock() {
            Ok(mut open) => {
                let count = open.entry(address).or_insert(0);
                *count += 1;
                *count
            }
            Err(_) => 0,
        };
        ConnectionSlot { connections: self.clone(), address, over_limit: count > limit }
    }

    /// Connections open from the address now.
    pub fn count(&self, address: IpAddr) -> usize {
        self.open.lock().map_or(0, |open| open.get(&address).copied().unwrap_or(0))
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.connections.open.lock()
            && let Some(count) = open.get_mut(&self.address)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// The middleware: refuses requests on a connection over its address's limit (503, closing it), and paths or
/// queries with a NUL byte or a path that is not UTF-8 once percent-decoded (400).
pub async fn refuse_hostile(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, Error> {
    let over_limit = req.conn_data::<ConnectionSlot>().is_some_and(|slot| slot.over_limit);
    let refusal = if over_limit {
        Some(ApiError::Busy("Too many open connections from this address; retry on one of them".into()))
    } else {
        uri_error(req.uri().path(), req.query_string()).map(ApiError::from)
    };
    match refusal {
        Some(error) => {
            let mut response = error_response(negotiate(req.request()), &error);
            if over_limit {
                response.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
            }
            Ok(req.into_response(response).map_into_right_body())
        }
        None => next.call(req).await.map(ServiceResponse::map_into_left_body),
    }
}

/// Why a raw path and query cannot be served: a NUL byte in either, or a path that is not UTF-8.
pub fn uri_error(path: &str, query: &str) -> Option<CoreError> {
    let path_bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    if path_bytes.contains(&0) {
        return Some(CoreError::Malformed("The path contains a NUL byte".into()));
    }
    if std::str::from_utf8(&path_bytes).is_err() {
        return Some(CoreError::Malformed("The path is not UTF-8 once percent-decoded".into()));
    }
    if percent_encoding::percent_decode_str(query).any(|b| b == 0) {
        return Some(CoreError::Malformed("The query contains a NUL byte".into()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_and_broken_paths_are_refused() {
        assert_eq!(uri_error("/core/v2/rest/product/P1", "filter=a%3Db"), None);
        assert_eq!(uri_error("/core/v2/rest/product/%C3%A4", ""), None);
        assert!(uri_error("/core/v2/rest/product/P%00", "").is_some());
        assert!(uri_error("/core/v2/rest/product/%FF", "").is_some());
        assert!(uri_error("/core/v2/rest/product", "filter=name%3Da%00").is_some());
        assert_eq!(uri_error("/core/v2/rest/product", "filter=%FF"), None, "queries are read leniently");
    }

    #[test]
    fn connections_are_counted_per_address_while_open() {
        let connections = Arc::new(Connections::default());
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = connections.open(a, 2);
        let second = connections.open(a, 2);
        let third = connections.open(a, 2);
        let other = connections.open(b, 2);
        assert!(!first.over_limit && !second.over_limit && third.over_limit && !other.over_limit);
        drop((first, third));
        assert_eq!(connections.count(a), 1);
        assert!(!connections.open(a, 2).over_limit);
        drop((second, other));
        assert_eq!((connections.count(a), connections.count(b)), (0, 0));
    }
}
