//! The Qovery container form as typed (numbers as text), turned into the exact `ContainerRequest`
//! with every rule of `berth-api` checked, and rebuilt from a container for editing. Pure.

use berth_api::qovery::{
    ContainerRequest, ContainerResponse, ExecProbe, GrpcProbe, Healthchecks, HttpProbe,
    PortProtocol, Probe, ProbeType, ReferenceObject, ServicePort, Storage, StorageType, TcpProbe,
};
use berth_api::rules::{self, Limits};
use berth_api::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRow {
    /// Kept from the server so a PUT updates the port instead of replacing it.
    pub id: Option<String>,
    pub internal: String,
    pub protocol: PortProtocol,
    pub public: bool,
    pub name: String,
    pub default: bool,
    pub path: String,
    pub rewrite: String,
}

impl Default for PortRow {
    fn default() -> Self {
        PortRow {
            id: None,
            internal: String::new(),
            protocol: PortProtocol::Http,
            public: false,
            name: String::new(),
            default: false,
            path: String::new(),
            rewrite: String::new(),
        }
    }
}

impl PortRow {
    /// Public HTTP/GRPC ports are served on 443; public TCP/UDP on their own number.
    pub fn external(&self, internal: Option<i64>) -> Option<i64> {
        match (self.public, &self.protocol) {
            (false, _) => None,
            (true, PortProtocol::Http | PortProtocol::Grpc) => Some(443),
            (true, _) => internal,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageRow {
    pub id: Option<String>,
    pub size: String,
    pub mount: String,
}

/// What a probe checks (stored under the API's names, so older drafts still read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProbeKind {
    None,
    Tcp,
    Http,
    Exec,
    Grpc,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 5] = [
        ProbeKind::None,
        ProbeKind::Tcp,
        ProbeKind::Http,
        ProbeKind::Exec,
        ProbeKind::Grpc,
    ];

    /// The value in the form's select.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::None => "NONE",
            ProbeKind::Tcp => "TCP",
            ProbeKind::Http => "HTTP",
            ProbeKind::Exec => "EXEC",
            ProbeKind::Grpc => "GRPC",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProbeKind::None => "None",
            ProbeKind::Tcp => "TCP",
            ProbeKind::Http => "HTTP",
            ProbeKind::Exec => "Exec",
            ProbeKind::Grpc => "gRPC",
        }
    }

    /// An unknown value reads as no probe.
    pub fn from_value(v: &str) -> ProbeKind {
        ProbeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == v)
            .unwrap_or(ProbeKind::None)
    }

    /// Whether it checks a port.
    pub fn has_port(self) -> bool {
        matches!(self, ProbeKind::Tcp | ProbeKind::Http | ProbeKind::Grpc)
    }
}

/// Which of the two probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeSlot {
    Readiness,
    Liveness,
}

impl ProbeSlot {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeSlot::Readiness => "readiness",
            ProbeSlot::Liveness => "liveness",
        }
    }

    /// Where its errors are reported in the request.
    pub fn path(self) -> &'static str {
        match self {
            ProbeSlot::Readiness => "healthchecks.readiness_probe",
            ProbeSlot::Liveness => "healthchecks.liveness_probe",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ProbeSlot::Readiness => "Readiness",
            ProbeSlot::Liveness => "Liveness",
        }
    }

    pub fn of(self, d: &QDraft) -> &ProbeDraft {
        match self {
            ProbeSlot::Readiness => &d.readiness,
            ProbeSlot::Liveness => &d.liveness,
        }
    }

    pub fn of_mut(self, d: &mut QDraft) -> &mut ProbeDraft {
        match self {
            ProbeSlot::Readiness => &mut d.readiness,
            ProbeSlot::Liveness => &mut d.liveness,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeDraft {
    pub kind: ProbeKind,
    pub port: String,
    pub host: String,
    pub path: String,
    pub scheme: String,
    /// Shell-style words.
    pub command: String,
    pub service: String,
    pub initial_delay: String,
    pub period: String,
    pub timeout: String,
    pub success: String,
    pub failure: String,
}

impl ProbeDraft {
    /// The console's defaults (qovery-reference.md A.8): readiness times out after 1 s, liveness 5 s.
    pub fn new(kind: ProbeKind, timeout: i64) -> Self {
        ProbeDraft {
            kind,
            port: String::new(),
            host: String::new(),
            path: "/".into(),
            scheme: "HTTP".into(),
            command: String::new(),
            service: String::new(),
            initial_delay: "30".into(),
            period: "10".into(),
            timeout: timeout.to_string(),
            success: "1".into(),
            failure: "3".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QDraft {
    pub name: String,
    pub description: String,
    pub registry_id: String,
    pub image_name: String,
    pub tag: String,
    pub entrypoint: String,
    /// One shell-style line, split into the `arguments` array.
    pub arguments: String,
    pub icon_uri: String,
    pub auto_deploy: bool,
    pub auto_preview: bool,
    pub cpu: String,
    pub memory: String,
    pub gpu: String,
    pub min_instances: String,
    pub max_instances: String,
    pub unlimited: bool,
    pub ports: Vec<PortRow>,
    pub readiness: ProbeDraft,
    pub liveness: ProbeDraft,
    pub storage: Vec<StorageRow>,
    /// Group ids, comma-separated.
    pub annotations_groups: String,
    pub labels_groups: String,
    /// Variables and secrets, imported after the create (secret values are never stored).
    #[serde(default)]
    pub vars: Vec<super::var_rows::VarRow>,
    /// The container this form created (id, name) when some variables could not be set: a retry
    /// sends only them, to it, instead of creating it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<(String, String)>,
}

impl Default for QDraft {
    fn default() -> Self {
        QDraft {
            name: String::new(),
            description: String::new(),
            registry_id: String::new(),
            image_name: String::new(),
            tag: String::new(),
            entrypoint: String::new(),
            arguments: String::new(),
            icon_uri: String::new(),
            auto_deploy: false,
            auto_preview: false,
            cpu: ContainerRequest::DEFAULT_CPU.to_string(),
            memory: ContainerRequest::DEFAULT_MEMORY.to_string(),
            gpu: "0".into(),
            min_instances: "1".into(),
            max_instances: "1".into(),
            unlimited: false,
            ports: Vec::new(),
            readiness: ProbeDraft::new(ProbeKind::None, 1),
            liveness: ProbeDraft::new(ProbeKind::None, 5),
            storage: Vec::new(),
            annotations_groups: String::new(),
            labels_groups: String::new(),
            vars: Vec::new(),
            created: None,
        }
    }
}

fn num(text: &str, path: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) if t.is_empty() => {
            errors.push(FieldError::new(path, "must not be empty"));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                path,
                format!("`{t}` is not a whole number"),
            ));
            None
        }
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The ids of a comma-separated groups field, as typed or ticked.
pub fn group_ids(s: &str) -> Vec<String> {
    s.split(',').filter_map(opt).collect()
}

fn groups(s: &str) -> Option<Vec<ReferenceObject>> {
    let ids: Vec<ReferenceObject> = group_ids(s)
        .into_iter()
        .map(|id| ReferenceObject { id })
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// "0.5 vCPU", "2 vCPU".
pub fn cpu_readout(millicores: i64) -> String {
    let v = millicores as f64 / 1000.0;
    format!("{} vCPU", trim_float(v))
}

/// "512 MB", "1 GB", "1.5 GB".
pub fn memory_readout(mb: i64) -> String {
    if mb >= 1024 {
        format!("{} GB", trim_float(mb as f64 / 1024.0))
    } else {
        format!("{mb} MB")
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The `docker run` line the image, entrypoint and arguments amount to (a preview for humans).
pub fn docker_run(d: &QDraft) -> String {
    let mut parts = vec!["docker run".to_string()];
    if let Some(e) = opt(&d.entrypoint) {
        parts.push(format!("--entrypoint {}", shell_words::quote(&e)));
    }
    parts.push(format!("{}:{}", d.image_name.trim(), d.tag.trim()));
    if let Ok(args) = shell_words::split(&d.arguments) {
        parts.extend(args.iter().map(|a| shell_words::quote(a).into_owned()));
    }
    parts.join(" ")
}

impl QDraft {
    /// The request as it stands (for the preview, even while invalid) and every violation, each
    /// at the path the rules use.
    pub fn request(&self, limits: &Limits) -> (ContainerRequest, Vec<FieldError>) {
        let mut errors = Vec::new();
        let arguments = match shell_words::split(&self.arguments) {
            Ok(a) => (!a.is_empty()).then_some(a),
            Err(e) => {
                errors.push(FieldError::new(
                    "arguments",
                    format!("cannot be split into words: {e}"),
                ));
                None
            }
        };
        let cpu = num(&self.cpu, "cpu", &mut errors);
        let memory = num(&self.memory, "memory", &mut errors);
        let gpu = num(&self.gpu, "gpu", &mut errors);
        let min = num(&self.min_instances, "min_running_instances", &mut errors);
        let max = if self.unlimited {
            Some(-1)
        } else {
            num(&self.max_instances, "max_running_instances", &mut errors)
        };
        let ports: Vec<ServicePort> = self
            .ports
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let internal = num(
                    &p.internal,
                    &format!("ports[{i}].internal_port"),
                    &mut errors,
                );
                let http_like = matches!(p.protocol, PortProtocol::Http | PortProtocol::Grpc);
                ServicePort {
                    id: p.id.clone(),
                    name: opt(&p.name),
                    internal_port: internal.unwrap_or(0),
                    external_port: p.external(internal),
                    publicly_accessible: p.public,
                    is_default: p.default.then_some(true),
                    protocol: Some(p.protocol.clone()),
                    public_path: (p.public && http_like).then(|| opt(&p.path)).flatten(),
                    public_path_rewrite: (p.public && http_like).then(|| opt(&p.rewrite)).flatten(),
                }
            })
            .collect();
        if self.ports.iter().any(|p| p.public) && !self.ports.iter().any(|p| p.public && p.default)
        {
            errors.push(FieldError::new(
                "ports",
                "choose the default port among the public ones",
            ));
        }
        let storage: Vec<Storage> = self
            .storage
            .iter()
            .enumerate()
            .map(|(i, s)| Storage {
                id: s.id.clone(),
                kind: StorageType::FastSsd,
                size: num(&s.size, &format!("storage[{i}].size"), &mut errors).unwrap_or(0),
                mount_point: s.mount.trim().to_string(),
            })
            .collect();
        let readiness = probe(&self.readiness, "healthchecks.readiness_probe", &mut errors);
        let liveness = probe(&self.liveness, "healthchecks.liveness_probe", &mut errors);
        let req = ContainerRequest {
            name: self.name.trim().to_string(),
            description: opt(&self.description),
            registry_id: self.registry_id.clone(),
            image_name: self.image_name.trim().to_string(),
            tag: self.tag.trim().to_string(),
            arguments,
            entrypoint: opt(&self.entrypoint),
            cpu,
            memory,
            gpu,
            min_running_instances: min,
            max_running_instances: max,
            healthchecks: Healthchecks {
                readiness_probe: readiness,
                liveness_probe: liveness,
            },
            storage: Some(storage),
            ports: Some(ports),
            auto_preview: Some(self.auto_preview),
            auto_deploy: Some(self.auto_deploy),
            annotations_groups: groups(&self.annotations_groups),
            labels_groups: groups(&self.labels_groups),
            icon_uri: opt(&self.icon_uri),
        };
        let mut rule_errors = rules::qovery_container(&req, limits);
        // A number that did not parse is reported once, as such.
        rule_errors.retain(|e| !errors.iter().any(|x| x.path == e.path));
        if self.registry_id.is_empty() {
            rule_errors.retain(|e| e.path != "registry_id");
            errors.push(FieldError::new("registry_id", "choose a registry"));
        }
        errors.extend(rule_errors);
        errors.extend(super::var_rows::errors(&self.vars));
        (req, errors)
    }

    /// The draft of an existing container, for the edit form (port and storage ids kept).
    pub fn from_container(c: &ContainerResponse) -> QDraft {
        let request = ContainerRequest {
            name: c.name.clone(),
            description: c.description.clone(),
            registry_id: c
                .registry_id
                .clone()
                .or(c.registry.as_ref().map(|r| r.id.clone()))
                .unwrap_or_default(),
            image_name: c.image_name.clone(),
            tag: c.tag.clone(),
            arguments: c.arguments.clone(),
            entrypoint: c.entrypoint.clone(),
            cpu: Some(c.cpu),
            memory: Some(c.memory),
            gpu: Some(c.gpu),
            min_running_instances: Some(c.min_running_instances),
            max_running_instances: Some(c.max_running_instances),
            healthchecks: c.healthchecks.clone(),
            storage: c.storage.clone(),
            ports: c.ports.clone(),
            auto_preview: Some(c.auto_preview),
            auto_deploy: c.auto_deploy,
            annotations_groups: c.annotations_groups.as_ref().map(|g| {
                g.iter()
                    .map(|g| ReferenceObject { id: g.id.clone() })
                    .collect()
            }),
            labels_groups: c.labels_groups.as_ref().map(|g| {
                g.iter()
                    .map(|g| ReferenceObject { id: g.id.clone() })
                    .collect()
            }),
            icon_uri: Some(c.icon_uri.clone()),
        };
        QDraft::from_request(&request)
    }

    /// The draft of a request body (an existing container's, or one pasted as JSON); what the
    /// body leaves out keeps the form's defaults.
    pub fn from_request(r: &ContainerRequest) -> QDraft {
        let d = QDraft::default();
        let ports = r
            .ports
            .iter()
            .flatten()
            .map(|p| PortRow {
                id: p.id.clone(),
                internal: p.internal_port.to_string(),
                protocol: p.protocol.clone().unwrap_or(PortProtocol::Http),
                public: p.publicly_accessible,
                name: p.name.clone().unwrap_or_default(),
                default: p.is_default == Some(true),
                path: p.public_path.clone().unwrap_or_default(),
                rewrite: p.public_path_rewrite.clone().unwrap_or_default(),
            })
            .collect();
        let ids = |groups: &Option<Vec<ReferenceObject>>| {
            groups
                .iter()
                .flatten()
                .map(|g| g.id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let max = r.max_running_instances;
        QDraft {
            name: r.name.clone(),
            description: r.description.clone().unwrap_or_default(),
            registry_id: r.registry_id.clone(),
            image_name: r.image_name.clone(),
            tag: r.tag.clone(),
            entrypoint: r.entrypoint.clone().unwrap_or_default(),
            arguments: r
                .arguments
                .as_ref()
                .map(shell_words::join)
                .unwrap_or_default(),
            icon_uri: r.icon_uri.clone().unwrap_or_default(),
            auto_deploy: r.auto_deploy.unwrap_or(false),
            auto_preview: r.auto_preview.unwrap_or(false),
            cpu: r.cpu.map_or(d.cpu, |n| n.to_string()),
            memory: r.memory.map_or(d.memory, |n| n.to_string()),
            gpu: r.gpu.map_or(d.gpu, |n| n.to_string()),
            min_instances: r
                .min_running_instances
                .map_or(d.min_instances, |n| n.to_string()),
            max_instances: match max {
                Some(-1) | None => d.max_instances,
                Some(n) => n.to_string(),
            },
            unlimited: max == Some(-1),
            ports,
            readiness: probe_draft(r.healthchecks.readiness_probe.as_ref(), 1),
            liveness: probe_draft(r.healthchecks.liveness_probe.as_ref(), 5),
            storage: r
                .storage
                .iter()
                .flatten()
                .map(|s| StorageRow {
                    id: s.id.clone(),
                    size: s.size.to_string(),
                    mount: s.mount_point.clone(),
                })
                .collect(),
            annotations_groups: ids(&r.annotations_groups),
            labels_groups: ids(&r.labels_groups),
            vars: Vec::new(),
            created: None,
        }
    }
}

fn probe(d: &ProbeDraft, at: &str, errors: &mut Vec<FieldError>) -> Option<Probe> {
    let port =
        |errors: &mut Vec<FieldError>| num(&d.port, &format!("{at}.port"), errors).unwrap_or(0);
    let kind = match d.kind {
        ProbeKind::Tcp => ProbeType {
            tcp: Some(TcpProbe {
                port: port(errors),
                host: opt(&d.host),
            }),
            ..ProbeType::default()
        },
        ProbeKind::Http => ProbeType {
            http: Some(HttpProbe {
                path: opt(&d.path),
                scheme: opt(&d.scheme),
                port: port(errors),
            }),
            ..ProbeType::default()
        },
        ProbeKind::Grpc => ProbeType {
            grpc: Some(GrpcProbe {
                service: opt(&d.service),
                port: port(errors),
            }),
            ..ProbeType::default()
        },
        ProbeKind::Exec => {
            let command = shell_words::split(&d.command).unwrap_or_else(|e| {
                errors.push(FieldError::new(
                    format!("{at}.type.exec.command"),
                    format!("cannot be split into words: {e}"),
                ));
                Vec::new()
            });
            ProbeType {
                exec: Some(ExecProbe { command }),
                ..ProbeType::default()
            }
        }
        ProbeKind::None => return None,
    };
    let mut t = |v: &str, name: &str| num(v, &format!("{at}.{name}"), errors);
    Some(Probe {
        kind,
        initial_delay_seconds: t(&d.initial_delay, "initial_delay_seconds"),
        period_seconds: t(&d.period, "period_seconds"),
        timeout_seconds: t(&d.timeout, "timeout_seconds"),
        success_threshold: t(&d.success, "success_threshold"),
        failure_threshold: t(&d.failure, "failure_threshold"),
    })
}

fn probe_draft(p: Option<&Probe>, timeout: i64) -> ProbeDraft {
    let Some(p) = p else {
        return ProbeDraft::new(ProbeKind::None, timeout);
    };
    let mut d = ProbeDraft::new(ProbeKind::None, timeout);
    if let Some(t) = &p.kind.tcp {
        d.kind = ProbeKind::Tcp;
        d.port = t.port.to_string();
        d.host = t.host.clone().unwrap_or_default();
    } else if let Some(h) = &p.kind.http {
        d.kind = ProbeKind::Http;
        d.port = h.port.to_string();
        d.path = h.path.clone().unwrap_or_default();
        d.scheme = h.scheme.clone().unwrap_or_else(|| "HTTP".into());
    } else if let Some(g) = &p.kind.grpc {
        d.kind = ProbeKind::Grpc;
        d.port = g.port.to_string();
        d.service = g.service.clone().unwrap_or_default();
    } else if let Some(e) = &p.kind.exec {
        d.kind = ProbeKind::Exec;
        d.command = shell_words::join(&e.command);
    }
    let s = |v: Option<i64>, fallback: &str| {
        v.map(|v| v.to_string())
            .unwrap_or_else(|| fallback.to_string())
    };
    d.initial_delay = s(p.initial_delay_seconds, "30");
    d.period = s(p.period_seconds, "10");
    d.timeout = s(p.timeout_seconds, &timeout.to_string());
    d.success = s(p.success_threshold, "1");
    d.failure = s(p.failure_threshold, "3");
    d
}

#[cfg(test)]
mod tests {
    use super::super::var_rows::VarRow;
    use super::*;

    fn valid() -> QDraft {
        let mut d = QDraft {
            name: "api".into(),
            registry_id: "r1".into(),
            image_name: "nginx".into(),
            tag: "1.27".into(),
            ..QDraft::default()
        };
        d.arguments = r#"nginx -g "daemon off;""#.into();
        d.ports = vec![
            PortRow {
                internal: "80".into(),
                public: true,
                default: true,
                ..PortRow::default()
            },
            PortRow {
                internal: "9000".into(),
                protocol: PortProtocol::Tcp,
                public: true,
                ..PortRow::default()
            },
        ];
        d.readiness = ProbeDraft {
            kind: ProbeKind::Tcp,
            port: "80".into(),
            ..ProbeDraft::new(ProbeKind::Tcp, 1)
        };
        d
    }

    #[test]
    fn builds_the_exact_request() {
        let (req, errors) = valid().request(&Limits::default());
        assert_eq!(errors, vec![]);
        assert_eq!(
            req.arguments,
            Some(vec!["nginx".to_string(), "-g".into(), "daemon off;".into()])
        );
        let ports = req.ports.expect("ports");
        assert_eq!(
            (ports[0].external_port, ports[1].external_port),
            (Some(443), Some(9000))
        );
        assert_eq!(
            req.healthchecks
                .readiness_probe
                .expect("probe")
                .timeout_seconds,
            Some(1)
        );
        assert!(req.healthchecks.liveness_probe.is_none());
        assert_eq!(req.cpu, Some(500));
        assert_eq!(
            docker_run(&valid()),
            "docker run nginx:1.27 nginx -g 'daemon off;'"
        );
    }

    #[test]
    fn errors_at_their_fields() {
        let mut d = valid();
        d.cpu = "lots".into();
        d.memory = "999999".into();
        d.arguments = "\"unclosed".into();
        d.ports[0].default = false;
        d.readiness.port = "81".into();
        d.storage = vec![StorageRow {
            id: None,
            size: "2".into(),
            mount: "data".into(),
        }];
        let (_, errors) = d.request(&Limits {
            maximum_memory: Some(16384),
            ..Limits::default()
        });
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        for p in [
            "arguments",
            "cpu",
            "ports",
            "memory",
            "healthchecks.readiness_probe.port",
            "storage[0].size",
            "storage[0].mount_point",
        ] {
            assert!(paths.contains(&p), "{p} missing in {paths:?}");
        }
        assert_eq!(paths.iter().filter(|p| **p == "cpu").count(), 1);
    }

    #[test]
    fn an_edit_round_trips_and_keeps_ids() {
        let (req, _) = valid().request(&Limits::default());
        let mut c: ContainerResponse =
            serde_json::from_value(serde_json::json!({"id": "c1", "name": "api"})).expect("c");
        c.ports = req.ports.clone().map(|mut p| {
            p[0].id = Some("port-a".into());
            p
        });
        c.arguments = req.arguments.clone();
        c.cpu = 500;
        c.max_running_instances = -1;
        let d = QDraft::from_container(&c);
        assert_eq!(d.ports[0].id.as_deref(), Some("port-a"));
        assert!(d.unlimited);
        assert_eq!(d.arguments, "nginx -g 'daemon off;'");
        let (again, _) = d.request(&Limits::default());
        assert_eq!(again.ports.expect("ports")[0].id.as_deref(), Some("port-a"));
        assert_eq!(again.max_running_instances, Some(-1));
    }

    #[test]
    fn readouts() {
        assert_eq!(
            (cpu_readout(500), cpu_readout(2000), cpu_readout(1250)),
            ("0.5 vCPU".into(), "2 vCPU".into(), "1.25 vCPU".into())
        );
        assert_eq!(
            (
                memory_readout(512),
                memory_readout(1024),
                memory_readout(1536)
            ),
            ("512 MB".into(), "1 GB".into(), "1.5 GB".into())
        );
    }

    #[test]
    fn probe_kinds_keep_the_stored_names() {
        for k in ProbeKind::ALL {
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(ProbeKind::from_value(k.as_str()), k);
        }
        assert_eq!(ProbeKind::from_value("SOMETHING"), ProbeKind::None);
    }

    /// The draft text the form keeps in sessionStorage with `vars` typed (none chosen secret).
    fn stored_with(vars: &[(&str, &str)]) -> String {
        let d = QDraft {
            vars: vars
                .iter()
                .map(|(k, v)| VarRow::guessed(k.to_string(), v.to_string()))
                .collect(),
            ..valid()
        };
        serde_json::to_string(&d).unwrap_or_default()
    }

    #[test]
    fn typed_rows_that_look_secret_are_not_stored() {
        for (key, value) in [
            ("DB_PASS", "hunter2"),
            ("DATABASE_URL", "postgres://u:hunter2@db/x"),
            ("APIKEY", "hunter2"),
        ] {
            let stored = stored_with(&[(key, value), ("MODE", "prod")]);
            assert!(stored.contains(key), "{stored}");
            assert!(
                !stored.contains("hunter2"),
                "{key}={value} stored: {stored}"
            );
            assert!(stored.contains("prod"), "{stored}");
        }
    }

    #[test]
    fn a_restored_secret_asks_for_its_value_again() {
        let stored = stored_with(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]);
        let back: QDraft = serde_json::from_str(&stored).expect("restored");
        assert!(back.vars[0].is_secret(), "{stored}");
        let paths: Vec<String> = back
            .request(&Limits::default())
            .1
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(paths, ["variables[0].value"]);
    }

    #[test]
    fn a_row_unticked_by_the_user_keeps_its_value() {
        let mut d = QDraft {
            vars: vec![VarRow::guessed("DB_PASS".into(), "not-really".into())],
            ..valid()
        };
        d.vars[0].secret = Some(false);
        let stored = serde_json::to_string(&d).expect("json");
        assert!(stored.contains("not-really"), "{stored}");
        let back: QDraft = serde_json::from_str(&stored).expect("restored");
        assert!(!back.vars[0].is_secret());
    }

    #[test]
    fn drafts_stored_before_the_guess_still_read() {
        let mut old = serde_json::to_value(valid()).expect("json");
        old["vars"] = serde_json::json!([
            {"key": "A", "value": "1", "secret": false},
            {"key": "S", "value": "", "secret": true},
            {"key": "B"}
        ]);
        let d: QDraft = serde_json::from_value(old).expect("old draft");
        let secret: Vec<Option<bool>> = d.vars.iter().map(|v| v.secret).collect();
        assert_eq!(secret, [Some(false), Some(true), None]);
    }
}
