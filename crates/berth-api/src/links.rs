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
