//! The SSRF guard: which webhook endpoints the server sends to.
//!
//! By default an endpoint must be `https://` and every address its host resolves to must be public: no
//! loopback, private, shared (100.64/10), link-local, multicast, broadcast, documentation or unspecified
//! address, in IPv4 or IPv6 (IPv4-mapped, IPv4-compatible and NAT64 addresses are judged by their IPv4
//! address). Hosts are read as browsers read them (WHATWG URL), so odd IPv4 spellings (`127.1`, `0x7f000001`,
//! `2130706433`) are the addresses they mean. `localhost` and `*.localhost` are refused without asking DNS.
//!
//! The check runs when a notification is created or updated (a clear 400) and at every delivery, where the
//! client connects only to addresses the guard's resolver accepted ([`GuardedResolver`]): no DNS-rebinding
//! gap. Redirects are not followed. [`Policy::allow_private`] (a server setting) allows plain HTTP and private
//! addresses, for receivers on premises and tests.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use async_trait::async_trait;
use netlicensing_core::service::notification::EndpointCheck;
use url::{Host, Url};

/// The endpoint policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Allow `http://` and private, loopback and link-local addresses (receivers on premises, tests).
    pub allow_private: bool,
}

/// Why an endpoint is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Not an absolute URL.
    #[error("'{0}' is not a URL")]
    Unreadable(String),
    /// Not HTTPS (or HTTP where allowed).
    #[error("the endpoint must use https://")]
    Scheme,
    /// The host is missing.
    #[error("the endpoint has no host")]
    NoHost,
    /// The host is or resolves to an address the server does not send to.
    #[error("the endpoint's address {0} is not public")]
    Address(IpAddr),
    /// `localhost`.
    #[error("the endpoint's host is local")]
    Local,
    /// The host does not resolve.
    #[error("the endpoint's host does not resolve: {0}")]
    Unresolved(String),
}

/// Whether the server never sends to an address (unless private addresses are allowed).
pub fn blocked(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => blocked_v4(v4),
            None => blocked_v6(v6),
        },
    }
}

fn blocked_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || a >= 240
}

fn blocked_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || first == 0x2001 && ip.segments()[1] == 0x0db8
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or NAT64
/// (`64:ff9b::a.b.c.d`) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return Some(tail);
    }
    (s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0]).then_some(tail)
}

impl Policy {
    /// Checks an address.
    pub fn address(&self, ip: IpAddr) -> Result<(), Refused> {
        if !self.allow_private && blocked(ip) { Err(Refused::Address(ip)) } else { Ok(()) }
    }

    /// Checks a URL without resolving its host: scheme, host, and the address of an IP-literal host. Returns the
    /// parsed URL and the domain to resolve, if the host is a name.
    pub fn url(&self, text: &str) -> Result<(Url, Option<String>), Refused> {
        let url = Url::parse(text.trim()).map_err(|_| Refused::Unreadable(text.to_owned()))?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            _ => return Err(Refused::Scheme),
        }
        let domain = match url.host() {
            None => return Err(Refused::NoHost),
            Some(Host::Ipv4(ip)) => {
                self.address(IpAddr::V4(ip))?;
                None
            }
            Some(Host::Ipv6(ip)) => {
                self.address(IpAddr::V6(ip))?;
                None
            }
            Some(Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                if !self.allow_private && (name == "localhost" || name.ends_with(".localhost")) {
                    return Err(Refused::Local);
                }
                Some(name)
            }
        };
        Ok((url, domain))
    }

    /// Resolves a name and checks every address it has.
    pub async fn resolve(&self, name: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
        let addrs: Vec<SocketAddr> =
            tokio::net::lookup_host((name, port)).await.map_err(|e| Refused::Unresolved(e.to_string()))?.collect();
        if addrs.is_empty() {
            return Err(Refused::Unresolved(name.to_owned()));
        }
        for addr in &addrs {
            self.address(addr.ip())?;
        }
        Ok(addrs)
    }

    /// Checks a URL fully: [`Policy::url`], then every address its host name resolves to.
    pub async fn check(&self, text: &str) -> Result<Url, Refused> {
        let (url, domain) = self.url(text)?;
        if let Some(name) = domain {
            self.resolve(&name, url.port_or_known_default().unwrap_or(443)).await?;
        }
        Ok(url)
    }
}

#[async_trait]
impl EndpointCheck for Policy {
    async fn refuse(&self, url: &str) -> Option<String> {
        self.check(url).await.err().map(|e| e.to_string())
    }
}

/// The delivery client's resolver: names resolve only to addresses the policy accepts, and the client
/// connects to exactly those.
#[derive(Debug, Clone)]
pub struct GuardedResolver(pub Policy);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0;
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let lower = name.trim_end_matches('.').to_ascii_lowercase();
            if !policy.allow_private && (lower == "localhost" || lower.ends_with(".localhost")) {
                return Err(Box::new(Refused::Local) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs = policy.resolve(&name, 0).await.map_err(Box::new)?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl GuardedResolver {
    /// As the client's resolver.
    pub fn shared(policy: Policy) -> Arc<Self> {
        Arc::new(Self(policy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn odd_spellings_of_private_addresses_are_refused() {
        let strict = Policy::default();
        let open = Policy { allow_private: true };
        for host in [
            "127.1",
            "0x7f000001",
            "2130706433",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "169.254.169.254",
            "10.0.0.1",
            "172.16.0.1",
            "192.168.0.1",
            "0.0.0.0",
            "localhost",
            "[::]",
            "[fe80::1]",
            "[fd00::1]",
            "[64:ff9b::a00:1]",
            "100.64.0.1",
            "017700000001",
        ] {
            let url = format!("https://{host}/hook");
            assert!(strict.check(&url).await.is_err(), "{host} refused");
            assert!(open.url(&url).is_ok(), "{host} allowed when private addresses are");
        }
        assert_eq!(strict.url("http://93.184.215.14/").err(), Some(Refused::Scheme));
        assert!(strict.url("https://93.184.215.14:8443/x").is_ok());
        assert!(strict.url("https://[2606:4700::1111]/x").is_ok());
        assert!(matches!(strict.url("ftp://example.com/"), Err(Refused::Scheme)));
        assert!(matches!(strict.url("not a url"), Err(Refused::Unreadable(_))));
        assert!(!blocked("8.8.8.8".parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))));
    }
}
