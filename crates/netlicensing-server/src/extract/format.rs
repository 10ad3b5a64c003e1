//! Content negotiation: the answer format from `Accept`. XML unless JSON is preferred: the Java client sends
//! no `Accept` at all and expects XML.

use actix_web::{HttpRequest, http::header};
use netlicensing_model::Format;

/// The format to answer in.
pub fn negotiate(req: &HttpRequest) -> Format {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    from_accept(accept)
}

/// The preferred of XML and JSON in an `Accept` value (by quality, then order); XML when neither is named.
pub fn from_accept(accept: &str) -> Format {
    let mut best: Option<(f32, Format)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let format = match media.as_str() {
            "application/json" | "text/json" | "application/*+json" => Format::Json,
            "application/xml" | "text/xml" | "application/*+xml" | "*/*" | "application/*" => Format::Xml,
            _ => continue,
        };
        if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, format));
        }
    }
    best.map_or(Format::Xml, |(_, format)| format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_unless_json_is_preferred() {
        assert_eq!(from_accept(""), Format::Xml);
        assert_eq!(from_accept("*/*"), Format::Xml);
        assert_eq!(from_accept("application/json"), Format::Json);
        assert_eq!(from_accept("application/json, text/plain, */*"), Format::Json);
        assert_eq!(from_accept("application/xml;q=0.5, application/json"), Format::Json);
        assert_eq!(from_accept("application/json;q=0.2, application/xml"), Format::Xml);
        assert_eq!(from_accept("text/html"), Format::Xml);
        assert_eq!(from_accept("application/json;q=0"), Format::Xml);
    }
}
