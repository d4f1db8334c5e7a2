//! The few fields a cross-connection table shows, for both APIs.
//!
//! The overview is the first screen, so its wasm is what every visit downloads. Decoding a full
//! `ContainerResponse` or `ContainerApp` there brought in the decoders of probes, ports, storage,
//! machines and every optional field of both (about 20 KB of the first load, brotli); these types
//! read only what the table shows and ignore the rest. The list endpoints are generic over the
//! item type, so each screen decodes exactly what it uses.

use serde::Deserialize;

/// An organization, project or environment: what a breadcrumb shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A Qovery container as a row of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QoveryContainer {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image_name: String,
    #[serde(default)]
    pub tag: String,
}

/// A Kopernik container app as a row of the overview. `uid` is required, as in the full type:
/// without it there is nothing to link to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KopernikApp {
    pub uid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub region_uid: String,
    #[serde(default)]
    pub container_image: Option<ImageRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageRef {
    pub id: String,
}

/// `GET /environment/{id}/statuses` as the overview reads it: each container's state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnvironmentStates {
    #[serde(default)]
    pub containers: Vec<ContainerState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ContainerState {
    pub id: String,
    pub state: crate::qovery::State,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kopernik::{decode_page, ContainerApp};
    use crate::qovery::{ContainerResponse, ListResponse};

    #[test]
    fn summaries_read_what_the_full_types_read() {
        let body = r#"{"results":[{"id":"c1","name":"api","image_name":"nginx","tag":"1.27",
            "created_at":"2026-01-01T00:00:00Z","cpu":500,"memory":512,"ports":[],
            "healthchecks":{"liveness_probe":{"type":{"http":{"path":"/","port":80}}}}}]}"#;
        let full: ListResponse<ContainerResponse> = serde_json::from_str(body).expect("full");
        let short: ListResponse<QoveryContainer> = serde_json::from_str(body).expect("short");
        let (f, s) = (&full.results[0], &short.results[0]);
        assert_eq!(
            (&f.id, &f.name, &f.image_name, &f.tag),
            (&s.id, &s.name, &s.image_name, &s.tag)
        );

        let page = r#"{"resources":[
            {"uid":"a1","name":"web","status":"RUNNING","region_uid":"us-east-1",
             "machine":{"uid":"m1"},"container_image":{"id":"nginx:1.27"}},
            {"name":"no uid"}],"nextToken":"t2"}"#;
        let raw = page.to_string();
        let full = decode_page::<ContainerApp>(&raw).expect("full page");
        let short = decode_page::<KopernikApp>(&raw).expect("short page");
        assert_eq!(full.resources.len(), 1);
        assert_eq!(short.resources.len(), 1);
        assert_eq!(short.resources[0].uid, full.resources[0].uid);
        assert_eq!(short.resources[0].status, full.resources[0].status);
        assert_eq!(
            short.resources[0]
                .container_image
                .as_ref()
                .map(|i| i.id.as_str()),
            Some("nginx:1.27")
        );
        assert_eq!(
            short.broken.len(),
            1,
            "an item without uid is reported by both"
        );
        assert_eq!(short.broken[0].index, 1);
        assert_eq!(short.next_token.as_deref(), Some("t2"));
    }

    #[test]
    fn states_read_what_the_full_statuses_read() {
        let body = r#"{"environment":{"id":"e1","state":"DEPLOYED"},"containers":[
            {"id":"c1","state":"DEPLOYING","service_deployment_status":"UP_TO_DATE",
             "last_deployment_date":"2026-01-01T00:00:00Z"},
            {"id":"c2","state":"SOMETHING_NEW"}]}"#;
        let full: crate::qovery::EnvironmentStatuses = serde_json::from_str(body).expect("full");
        let short: EnvironmentStates = serde_json::from_str(body).expect("short");
        let pairs = |v: Vec<(String, crate::qovery::State)>| v;
        assert_eq!(
            pairs(
                full.containers
                    .into_iter()
                    .map(|s| (s.id, s.state))
                    .collect()
            ),
            pairs(
                short
                    .containers
                    .into_iter()
                    .map(|s| (s.id, s.state))
                    .collect()
            ),
        );
        let none: EnvironmentStates = serde_json::from_str(r#"{"environment":{}}"#).expect("none");
        assert!(none.containers.is_empty());
    }
}
