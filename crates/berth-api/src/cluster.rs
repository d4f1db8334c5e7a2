//! A Qovery cluster as the diagnosis reads it (spec `Cluster`, an item of `GET
//! /organization/{organizationId}/cluster`, read as `ListResponse<Cluster>`; the spec has no GET of
//! one cluster, so the app picks the one its environment's `cluster_id` names): its size, and
//! whether it keeps metrics the Usage tab can chart. Read leniently: only `id` is
//! needed, a missing or odd-typed field reads as `None`.

use serde::Deserialize;

use crate::lenient;

/// `Cluster` (only the fields Berth reads; the rest are ignored).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Cluster {
    pub id: String,
    /// Required by the spec; `None` when missing ([`Cluster::label`] then shows the id).
    #[serde(default, deserialize_with = "lenient::opt")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub region: Option<String>,
    /// `CloudVendorEnum` (`AWS`, `SCW`, `GCP`…), kept as sent.
    #[serde(default, deserialize_with = "lenient::opt")]
    pub cloud_provider: Option<String>,
    /// The cluster's CPU, in millicores (spec: "unit is millicores (m). 1000m = 1 cpu").
    #[serde(default, deserialize_with = "lenient::opt")]
    pub cpu: Option<i64>,
    /// The cluster's memory, in MB (spec: "unit is MB. 1024 MB = 1GB").
    #[serde(default, deserialize_with = "lenient::opt")]
    pub memory: Option<i64>,
    /// `ClusterStateEnum` (`DEPLOYED`, `STOPPED`…), kept as sent.
    #[serde(default, deserialize_with = "lenient::opt")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub metrics_parameters: Option<MetricsParameters>,
}

/// `MetricsParameters`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MetricsParameters {
    #[serde(default, deserialize_with = "lenient::opt")]
    pub enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub configuration: Option<MetricsConfiguration>,
}

/// `MetricsConfigurationManagedByQovery`, the one kind the spec knows (others keep their `kind`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MetricsConfiguration {
    /// `MANAGED_BY_QOVERY`.
    #[serde(default, deserialize_with = "lenient::opt")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub high_availability: Option<bool>,
}

impl Cluster {
    /// Whether `/cluster/{id}/metrics` has anything to answer: only an explicit
    /// `metrics_parameters.enabled: true` counts (a cluster that does not say is taken as without
    /// metrics, so the Usage tab explains instead of charting errors).
    pub fn metrics_enabled(&self) -> bool {
        self.metrics_parameters
            .as_ref()
            .and_then(|m| m.enabled)
            .unwrap_or(false)
    }

    /// The most memory the cluster has, in MB: no container can be given more. `None` when the
    /// cluster does not say (or says 0 or less).
    pub fn max_memory_mb(&self) -> Option<i64> {
        self.memory.filter(|m| *m > 0)
    }

    /// The most CPU the cluster has, in millicores; `None` when it does not say.
    pub fn max_cpu_millicores(&self) -> Option<i64> {
        self.cpu.filter(|c| *c > 0)
    }

    /// The name to show: the name, or the id when there is none.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Cluster` as the spec shapes it (fields from the schema, values from its examples).
    const SPEC_CLUSTER: &str = r#"{
        "id": "7f1e2d3c-4b5a-4968-8776-655443322110",
        "created_at": "2026-11-02T08:15:00Z",
        "updated_at": "2026-12-01T09:00:00Z",
        "organization": {"id": "0a1b2c3d-0000-4000-8000-000000000001"},
        "name": "production-eu",
        "description": "",
        "region": "eu-west-3",
        "cloud_provider": "AWS",
        "min_running_nodes": 3,
        "max_running_nodes": 10,
        "disk_size": 50,
        "instance_type": "T3A_LARGE",
        "kubernetes": "MANAGED",
        "cpu": 10000,
        "memory": 4096,
        "estimated_cloud_provider_cost": 420,
        "status": "DEPLOYED",
        "has_access": true,
        "version": "1.30",
        "is_default": true,
        "production": true,
        "ssh_keys": [],
        "features": [{"id": "STATIC_IP", "title": "Static IP", "value_type": "BOOLEAN", "value_object": {"type": "BOOLEAN", "value": true}}],
        "deployment_status": "UP_TO_DATE",
        "metrics_parameters": {
            "enabled": true,
            "configuration": {"kind": "MANAGED_BY_QOVERY", "resource_profile": "NORMAL", "high_availability": false}
        }
    }"#;

    #[test]
    fn a_spec_cluster_reads_with_its_units() {
        let c: Cluster = serde_json::from_str(SPEC_CLUSTER).expect("decodes");
        assert_eq!(c.id, "7f1e2d3c-4b5a-4968-8776-655443322110");
        assert_eq!(c.label(), "production-eu");
        assert_eq!(c.max_cpu_millicores(), Some(10_000));
        assert_eq!(c.max_memory_mb(), Some(4096));
        assert_eq!(c.cloud_provider.as_deref(), Some("AWS"));
        assert!(c.metrics_enabled());
        let conf = c
            .metrics_parameters
            .and_then(|m| m.configuration)
            .expect("configuration");
        assert_eq!(conf.kind.as_deref(), Some("MANAGED_BY_QOVERY"));
        assert_eq!(conf.high_availability, Some(false));
    }

    #[test]
    fn the_organizations_list_reads_as_a_list_response() {
        let body = format!(r#"{{"results": [{SPEC_CLUSTER}, {{"id": "c2", "name": "staging"}}]}}"#);
        let list: crate::qovery::ListResponse<Cluster> = serde_json::from_str(&body).expect("list");
        let env_cluster = "c2";
        let c = list
            .results
            .iter()
            .find(|c| c.id == env_cluster)
            .expect("found");
        assert_eq!(c.label(), "staging");
        assert!(!c.metrics_enabled());
    }

    #[test]
    fn missing_or_odd_fields_read_as_absent_and_metrics_need_an_explicit_yes() {
        let bare: Cluster = serde_json::from_str(r#"{"id": "c1"}"#).expect("only an id");
        assert_eq!(bare.label(), "c1");
        assert_eq!(bare.max_memory_mb(), None);
        assert!(!bare.metrics_enabled());

        let odd: Cluster = serde_json::from_str(
            r#"{"id": "c2", "name": null, "cpu": "lots", "memory": 0,
                "metrics_parameters": {"enabled": "yes"}}"#,
        )
        .expect("odd types do not fail the record");
        assert_eq!(odd.cpu, None);
        assert_eq!(odd.max_memory_mb(), None, "0 MB says nothing");
        assert!(!odd.metrics_enabled());

        let off: Cluster =
            serde_json::from_str(r#"{"id": "c3", "metrics_parameters": {"enabled": false}}"#)
                .expect("decodes");
        assert!(!off.metrics_enabled());
        let unsaid: Cluster = serde_json::from_str(
            r#"{"id": "c4", "metrics_parameters": {"configuration": {"kind": "MANAGED_BY_QOVERY"}}}"#,
        )
        .expect("decodes");
        assert!(!unsaid.metrics_enabled());

        assert!(serde_json::from_str::<Cluster>(r#"{"name": "no id"}"#).is_err());
    }
}
