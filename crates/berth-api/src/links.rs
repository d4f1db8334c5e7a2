//! A container's URLs (`GET /container/{id}/link`, the spec's `Link`) and custom domains
//! (`/container/{id}/customDomain`, the spec's `CustomDomain`).

use serde::{Deserialize, Serialize};

use crate::qovery::ServiceType;

/// One URL of a service: a public port on Qovery's domain, or on a custom domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub service_id: String,
    pub service_type: ServiceType,
    pub url: String,
    pub internal_port: i64,
    pub external_port: i64,
    /// The domain is Qovery's (false: the user's custom domain).
    pub is_qovery_domain: bool,
    /// The link is the domain's root, not one derived from a port (`p8080.zxxxx...`).
    pub is_default: bool,
}

/// Body of `POST /container/{id}/customDomain`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomDomainRequest {
    pub domain: String,
    #[serde(default = "yes")]
    pub generate_certificate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_cdn: Option<bool>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDomain {
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    pub domain: String,
    #[serde(default)]
    pub generate_certificate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_cdn: Option<bool>,
    /// The CNAME target to create at the DNS provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_domain: Option<String>,
    /// `CustomDomainStatusEnum` (the spec knows `VALIDATION_PENDING`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `url` when a browser may open it from the console: `http://` or `https://` with a host, and
/// no whitespace or control character (an API string never becomes a `javascript:` link).
pub fn openable(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (clean && !host.is_empty() && !host.starts_with('@')).then_some(url)
}

/// A Kopernik app's address: `http://<public ip>:<port>` from its public IP and first public
/// port, when the API gives both (the IP checked as an IPv4 or IPv6 address).
pub fn address(ip: &str, port: u16) -> Option<String> {
    match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => Some(format!("http://{v4}:{port}")),
        std::net::IpAddr::V6(v6) => Some(format!("http://[{v6}]:{port}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_open() {
        assert_eq!(openable("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(openable("http://a.example"), Some("http://a.example"));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://a.example/\tx",
            "data:text/html,x",
            "//a.example",
            "HTTPS://a\n.example",
        ] {
            assert_eq!(openable(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn kopernik_addresses() {
        assert_eq!(
            address("203.0.113.7", 8080).as_deref(),
            Some("http://203.0.113.7:8080")
        );
        assert_eq!(
            address("2001:db8::1", 80).as_deref(),
            Some("http://[2001:db8::1]:80")
        );
        assert_eq!(address("not an ip", 80), None);
    }
}
