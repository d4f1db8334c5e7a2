//! A container's URLs (`GET /container/{id}/link`) and custom domains
//! (`GET/POST /container/{id}/customDomain`). Links are derived from the container's public ports
//! and its custom domains (kind `custom_domain`, under the container).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use berth_api::links::CustomDomainRequest;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::errors::{parse_body, q500, ApiError};
use crate::qovery::{in_tx, must_get, results, Res};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/container/{id}/link", get(links))
        .route(
            "/container/{id}/customDomain",
            get(custom_domains).post(create_custom_domain),
        )
}

/// ASSUMED: the sandbox's generated domain for a container, `z<8 of its id>-z<8 of its
/// environment's>.berth-sandbox.test` (Qovery's look, on a reserved TLD).
pub fn qovery_domain(container: &Value) -> String {
    let short = |v: &Value| {
        v.as_str()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
    };
    format!(
        "z{}-z{}.berth-sandbox.test",
        short(&container["id"]),
        short(&container["environment"]["id"])
    )
}

fn url(protocol: &str, host: &str, external: i64) -> String {
    match protocol {
        "TCP" | "UDP" => format!("{}://{host}:{external}", protocol.to_lowercase()),
        _ if external == 443 => format!("https://{host}"),
        _ => format!("https://{host}:{external}"),
    }
}

/// Every URL of the container: per public port `p<port>-<domain>`, the default port (the one
/// marked `is_default`, else the first public one) also at the domain's root, and each custom
/// domain (at its root, for the default port).
pub fn container_links(container: &Value, domains: &[Value]) -> Vec<Value> {
    let id = &container["id"];
    let public: Vec<&Value> = container["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["publicly_accessible"] == true)
        .collect();
    let default = public
        .iter()
        .find(|p| p["is_default"] == true)
        .or_else(|| public.first())
        .copied();
    let domain = qovery_domain(container);
    let link = |p: &Value, host: &str, qovery: bool, is_default: bool| {
        let internal = p["internal_port"].as_i64().unwrap_or_default();
        let external = p["external_port"].as_i64().unwrap_or(internal);
        let protocol = p["protocol"].as_str().unwrap_or("HTTP");
        json!({"service_id": id, "service_type": "CONTAINER", "url": url(protocol, host, external),
               "internal_port": internal, "external_port": external,
               "is_qovery_domain": qovery, "is_default": is_default})
    };
    let mut out = Vec::new();
    if let Some(p) = default {
        out.push(link(p, &domain, true, true));
    }
    for p in &public {
        let port = p["internal_port"].as_i64().unwrap_or_default();
        out.push(link(p, &format!("p{port}-{domain}"), true, false));
    }
    if let Some(p) = default {
        for d in domains {
            if let Some(host) = d["domain"].as_str() {
                out.push(link(p, host, false, true));
            }
        }
    }
    out
}

async fn links(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let domains = t.all("custom_domain", Some(&id)).map_err(q500)?;
        Ok(results(container_links(&container, &domains)))
    })
    .await
}

async fn custom_domains(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "container", "container", &id)?;
        Ok(results(t.all("custom_domain", Some(&id)).map_err(q500)?))
    })
    .await
}

/// What is wrong with a domain name, or `None`: letters, digits, `-` and `.`, at least one dot,
/// no empty label, at most 253 characters.
fn domain_problem(domain: &str) -> Option<&'static str> {
    if domain.is_empty() {
        Some("must not be empty")
    } else if domain.len() > 253 {
        Some("must be at most 253 characters long")
    } else if !domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        Some("may contain only letters, digits, '-' and '.'")
    } else if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        Some("must be a full domain name such as app.example.com")
    } else {
        None
    }
}

/// A stored custom domain (spec `CustomDomain`).
pub fn custom_domain_doc(container: &Value, req: &CustomDomainRequest) -> Value {
    let now = crate::ids::now_rfc3339();
    let mut doc = json!({
        "id": crate::ids::uuid(), "created_at": now, "updated_at": now,
        "domain": req.domain.to_ascii_lowercase(), "generate_certificate": req.generate_certificate,
        "validation_domain": qovery_domain(container), "status": "VALIDATION_PENDING",
    });
    if let Some(cdn) = req.use_cdn {
        doc["use_cdn"] = json!(cdn);
    }
    doc
}

async fn create_custom_domain(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Res {
    let req: CustomDomainRequest = parse_body(&body, ApiError::qovery)?;
    let domain = req.domain.trim().to_ascii_lowercase();
    if let Some(msg) = domain_problem(&domain) {
        return Err(ApiError::qovery(
            StatusCode::BAD_REQUEST,
            format!("domain: {msg}"),
        ));
    }
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let taken = t
            .all("custom_domain", Some(&id))
            .map_err(q500)?
            .iter()
            .any(|d| d["domain"] == domain.as_str());
        if taken {
            return Err(ApiError::qovery(
                StatusCode::BAD_REQUEST,
                format!("domain: `{domain}` is already a custom domain of this container"),
            ));
        }
        let doc = custom_domain_doc(&container, &CustomDomainRequest { domain, ..req });
        let did = doc["id"].as_str().unwrap_or_default().to_string();
        t.put("custom_domain", &did, &id, &doc).map_err(q500)?;
        Ok((StatusCode::CREATED, Json(doc)).into_response())
    })
    .await
}
