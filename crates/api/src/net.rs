//! Who is on the other end, and what this server is called, without trusting what a client
//! claims. `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` are read only when the
//! connection comes from a proxy listed in `TRELLIS_TRUSTED_PROXIES`; anyone else could write
//! them.

use actix_web::HttpRequest;
use std::net::IpAddr;

#[derive(Debug, Clone, Default)]
pub struct Network {
    /// Addresses of reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// `TRELLIS_PUBLIC_URL` without a trailing slash, or else `http://` and the bound address
    /// when that is a specific one (see `Application::build`).
    pub public_url: Option<String>,
}

impl Network {
    fn via_trusted_proxy(&self, req: &HttpRequest) -> bool {
        req.peer_addr().is_some_and(|a| self.trusted_proxies.contains(&a.ip()))
    }

    fn forwarded<'a>(&self, req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        if !self.via_trusted_proxy(req) {
            return None;
        }
        req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The client's address: the peer, or behind trusted proxies the last address in
    /// `X-Forwarded-For` that is not one of them (the ones before it could be forged).
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        let Some(chain) = self.forwarded(req, "x-forwarded-for") else { return Some(peer) };
        let hops: Vec<IpAddr> = chain.split(',').filter_map(|h| h.trim().parse().ok()).collect();
        Some(hops.into_iter().rev().find(|ip| !self.trusted_proxies.contains(ip)).unwrap_or(peer))
    }

    /// The origin for links Trellis hands out: the configured one; only when the server listens
    /// on every interface with no `TRELLIS_PUBLIC_URL` (warned at start), what a trusted proxy
    /// says or else the request's `Host`.
    pub fn public_origin(&self, req: &HttpRequest) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let scheme = self.forwarded(req, "x-forwarded-proto").filter(|p| matches!(*p, "http" | "https"));
        let host = self
            .forwarded(req, "x-forwarded-host")
            .or_else(|| req.headers().get(actix_web::http::header::HOST).and_then(|v| v.to_str().ok()));
        let host = host.filter(|h| is_host(h)).map(str::to_owned).unwrap_or_else(|| req.app_config().host().to_owned());
        format!("{}://{host}", scheme.unwrap_or(req.connection_info().scheme()))
    }
}

/// A hostname or address with an optional port: nothing that could end a URL's authority.
fn is_host(h: &str) -> bool {
    !h.is_empty() && h.len() <= 255 && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
}

/// Parses `TRELLIS_TRUSTED_PROXIES`: comma-separated IP addresses.
pub fn parse_proxies(s: &str) -> Result<Vec<IpAddr>, String> {
    s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| p.parse().map_err(|_| p.to_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn net(proxies: &[&str]) -> Network {
        Network { trusted_proxies: proxies.iter().map(|p| p.parse().unwrap()).collect(), public_url: None }
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let req = TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .insert_header(("x-forwarded-host", "evil.example"))
            .insert_header(("host", "trellis.example.org"))
            .to_http_request();
        let untrusted = net(&[]);
        assert_eq!(untrusted.client_ip(&req), Some("203.0.113.9".parse().unwrap()));
        assert_eq!(untrusted.public_origin(&req), "http://trellis.example.org");

        let behind = net(&["203.0.113.9"]);
        assert_eq!(behind.client_ip(&req), Some("198.51.100.1".parse().unwrap()));
        assert_eq!(behind.public_origin(&req), "http://evil.example", "the trusted proxy decides");
    }

    #[test]
    fn a_forged_hop_before_the_proxy_is_ignored() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.3"))
            .to_http_request();
        let n = net(&["10.0.0.2", "10.0.0.3"]);
        assert_eq!(n.client_ip(&req), Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn a_public_url_wins_and_odd_hosts_are_not_echoed() {
        let req = TestRequest::default().insert_header(("host", "a\"b/c")).to_http_request();
        let mut n = net(&[]);
        assert!(!n.public_origin(&req).contains('"'));
        n.public_url = Some("https://trellis.example.org".into());
        assert_eq!(n.public_origin(&req), "https://trellis.example.org");
        assert_eq!(parse_proxies("10.0.0.1, ::1"), Ok(vec!["10.0.0.1".parse().unwrap(), "::1".parse().unwrap()]));
        assert_eq!(parse_proxies("10.0.0.1, proxy"), Err("proxy".into()));
    }
}
