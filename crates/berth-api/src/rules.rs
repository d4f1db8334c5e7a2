//! Validation rules, shared by the forms (as the user types), the request builders and the sandbox.
//! Each returns every violation with the path of the field it concerns.

use crate::config::{BackendKind, Connection};
use crate::FieldError;

/// A connection the user edits on the settings page.
pub fn connection(c: &Connection, at: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if c.id.trim().is_empty() {
        errors.push(FieldError::new(format!("{at}.id"), "must not be empty"));
    } else if !c
        .id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        errors.push(FieldError::new(
            format!("{at}.id"),
            "may contain only letters, digits, '-' and '_' (it appears in page addresses)",
        ));
    }
    if let BackendKind::Unknown(k) = &c.kind {
        errors.push(FieldError::new(
            format!("{at}.kind"),
            format!("unknown kind `{k}`: expected qovery or kopernik"),
        ));
    }
    let url = c.base_url.trim();
    if url.is_empty() {
        errors.push(FieldError::new(
            format!("{at}.base_url"),
            "must not be empty",
        ));
    } else if !(url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://")) {
        errors.push(FieldError::new(
            format!("{at}.base_url"),
            "must start with http://, https:// or / (a path on this site)",
        ));
    }
    errors
}

/// Resource bounds of an environment; `None` where the server did not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub maximum_cpu: Option<i64>,
    pub maximum_memory: Option<i64>,
    pub maximum_gpu: Option<i64>,
}

pub const MIN_CPU: i64 = 10;
pub const MIN_MEMORY: i64 = 10;
pub const MIN_STORAGE_GB: i64 = 4;

fn port_range(v: i64, path: String, errors: &mut Vec<FieldError>) {
    if !(1..=65535).contains(&v) {
        errors.push(FieldError::new(path, "must be between 1 and 65535"));
    }
}

fn non_empty(v: &str, path: &str, errors: &mut Vec<FieldError>) {
    if v.trim().is_empty() {
        errors.push(FieldError::new(path, "must not be empty"));
    }
}

fn absolute_unique_paths<'a>(
    paths: impl Iterator<Item = (String, &'a str)>,
    errors: &mut Vec<FieldError>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for (path, p) in paths {
        if !p.starts_with('/') {
            errors.push(FieldError::new(
                path,
                "must be an absolute path (start with /)",
            ));
        } else if seen.contains(&p) {
            errors.push(FieldError::new(path, format!("`{p}` is used twice")));
        }
        seen.push(p);
    }
}

/// Every request rule of contract.md §1 for a Qovery `ContainerRequest`.
pub fn qovery_container(req: &crate::qovery::ContainerRequest, limits: &Limits) -> Vec<FieldError> {
    use crate::qovery::PortProtocol;
    let mut errors = Vec::new();
    non_empty(&req.name, "name", &mut errors);
    non_empty(&req.registry_id, "registry_id", &mut errors);
    non_empty(&req.image_name, "image_name", &mut errors);
    non_empty(&req.tag, "tag", &mut errors);
    let bounded = |v: Option<i64>,
                   min: i64,
                   max: Option<i64>,
                   path: &str,
                   unit: &str,
                   errors: &mut Vec<FieldError>| {
        if let Some(v) = v {
            if v < min {
                errors.push(FieldError::new(
                    path,
                    format!("must be at least {min} {unit}"),
                ));
            } else if let Some(max) = max.filter(|m| v > *m) {
                errors.push(FieldError::new(
                    path,
                    format!("must be at most {max} {unit} (the environment's maximum)"),
                ));
            }
        }
    };
    bounded(
        req.cpu,
        MIN_CPU,
        limits.maximum_cpu,
        "cpu",
        "millicores",
        &mut errors,
    );
    bounded(
        req.memory,
        MIN_MEMORY,
        limits.maximum_memory,
        "memory",
        "MB",
        &mut errors,
    );
    bounded(req.gpu, 0, limits.maximum_gpu, "gpu", "GPUs", &mut errors);
    let min = req.min_running_instances.unwrap_or(1);
    if min < 0 {
        errors.push(FieldError::new(
            "min_running_instances",
            "must be 0 or more",
        ));
    }
    if let Some(max) = req.max_running_instances {
        if max != -1 && max < min {
            errors.push(FieldError::new(
                "max_running_instances",
                format!("must be -1 (no limit) or at least the minimum ({min})"),
            ));
        }
    }
    let ports = req.ports.as_deref().unwrap_or_default();
    let mut seen = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        port_range(
            p.internal_port,
            format!("ports[{i}].internal_port"),
            &mut errors,
        );
        if seen.contains(&p.internal_port) {
            errors.push(FieldError::new(
                format!("ports[{i}].internal_port"),
                format!("port {} is declared twice", p.internal_port),
            ));
        }
        seen.push(p.internal_port);
        if let Some(e) = p.external_port {
            port_range(e, format!("ports[{i}].external_port"), &mut errors);
        }
        let http_like = matches!(
            p.protocol.as_ref().unwrap_or(&PortProtocol::Http),
            PortProtocol::Http | PortProtocol::Grpc
        );
        if !http_like && (p.public_path.is_some() || p.public_path_rewrite.is_some()) {
            errors.push(FieldError::new(
                format!("ports[{i}].public_path"),
                "only HTTP and GRPC ports have a public path",
            ));
        }
        if let Some(PortProtocol::Unknown(v)) = &p.protocol {
            errors.push(FieldError::new(
                format!("ports[{i}].protocol"),
                format!("unknown protocol `{v}`: expected HTTP, GRPC, TCP or UDP"),
            ));
        }
    }
    if ports.iter().filter(|p| p.is_default == Some(true)).count() > 1 {
        errors.push(FieldError::new("ports", "only one port can be the default"));
    }
    for (name, probe) in [
        ("readiness_probe", &req.healthchecks.readiness_probe),
        ("liveness_probe", &req.healthchecks.liveness_probe),
    ] {
        if let Some(probe) = probe {
            qovery_probe(probe, &format!("healthchecks.{name}"), &seen, &mut errors);
        }
    }
    let storage = req.storage.as_deref().unwrap_or_default();
    for (i, s) in storage.iter().enumerate() {
        if s.size < MIN_STORAGE_GB {
            errors.push(FieldError::new(
                format!("storage[{i}].size"),
                format!("must be at least {MIN_STORAGE_GB} GB"),
            ));
        }
        if let crate::qovery::StorageType::Unknown(v) = &s.kind {
            errors.push(FieldError::new(
                format!("storage[{i}].type"),
                format!("unknown storage type `{v}`: expected FAST_SSD"),
            ));
        }
    }
    absolute_unique_paths(
        storage
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("storage[{i}].mount_point"), s.mount_point.as_str())),
        &mut errors,
    );
    errors
}

fn qovery_probe(
    probe: &crate::qovery::Probe,
    at: &str,
    ports: &[i64],
    errors: &mut Vec<FieldError>,
) {
    let t = &probe.kind;
    let set = [
        t.tcp.is_some(),
        t.http.is_some(),
        t.exec.is_some(),
        t.grpc.is_some(),
    ]
    .iter()
    .filter(|s| **s)
    .count();
    if set != 1 {
        errors.push(FieldError::new(
            format!("{at}.type"),
            format!("must set exactly one of tcp, http, exec, grpc (found {set})"),
        ));
    }
    let port = t
        .tcp
        .as_ref()
        .map(|p| p.port)
        .or(t.http.as_ref().map(|p| p.port))
        .or(t.grpc.as_ref().map(|p| p.port));
    if let Some(port) = port {
        if !ports.contains(&port) {
            errors.push(FieldError::new(
                format!("{at}.port"),
                format!("port {port} is not one of the container's declared ports"),
            ));
        }
    }
    if let Some(exec) = &t.exec {
        if exec.command.is_empty() || exec.command.iter().all(|c| c.trim().is_empty()) {
            errors.push(FieldError::new(
                format!("{at}.type.exec.command"),
                "must have at least one word",
            ));
        }
    }
    for (name, v, min) in [
        ("initial_delay_seconds", probe.initial_delay_seconds, 0),
        ("period_seconds", probe.period_seconds, 1),
        ("timeout_seconds", probe.timeout_seconds, 1),
        ("success_threshold", probe.success_threshold, 1),
        ("failure_threshold", probe.failure_threshold, 1),
    ] {
        if let Some(v) = v.filter(|v| *v < min) {
            errors.push(FieldError::new(
                format!("{at}.{name}"),
                format!("must be at least {min} (got {v})"),
            ));
        }
    }
}

/// An image tag: non-empty, no whitespace.
pub fn image_tag(tag: &str) -> Option<&'static str> {
    if tag.trim().is_empty() {
        Some("must not be empty")
    } else if tag.chars().any(char::is_whitespace) {
        Some("must not contain spaces")
    } else {
        None
    }
}

/// A Kopernik machine name: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'.
pub fn machine_name(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 63 {
        Some("must be 1 to 63 characters long")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("may contain only a-z, 0-9 and '-'")
    } else if name.starts_with('-') || name.ends_with('-') {
        Some("must not start or end with '-'")
    } else {
        None
    }
}

/// An environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every request rule of contract.md §2 for a Kopernik `ContainerAppCreate`, with the seed's
/// template rules when the template is known.
pub fn kopernik_create(
    req: &crate::kopernik::ContainerAppCreate,
    template: Option<&crate::kopernik::AppTemplate>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let m = &req.machine_configuration;
    if let Some(msg) = machine_name(&m.name) {
        errors.push(FieldError::new("machineConfiguration.name", msg));
    }
    non_empty(&m.region_uid, "machineConfiguration.regionUid", &mut errors);
    non_empty(
        &m.machine_type_uid,
        "machineConfiguration.machineTypeUid",
        &mut errors,
    );
    let disks = m.data_disks.as_deref().unwrap_or_default();
    for (i, d) in disks.iter().enumerate() {
        if d.size_gb < 1 {
            errors.push(FieldError::new(
                format!("machineConfiguration.dataDisks[{i}].sizeGb"),
                "must be at least 1 GB",
            ));
        }
    }
    let image = &req.container_image;
    if image.id.trim().is_empty() {
        errors.push(FieldError::new("containerImage.id", "must not be empty"));
    } else if image.id.chars().any(char::is_whitespace) {
        errors.push(FieldError::new(
            "containerImage.id",
            "must not contain spaces",
        ));
    }
    if let Some(d) = &image.digest {
        let hex = d.strip_prefix("sha256:");
        if !hex.is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())) {
            errors.push(FieldError::new(
                "containerImage.digest",
                "must be sha256: followed by 64 hex digits",
            ));
        }
    }
    if let Some(c) = &req.container_image_repository_credentials {
        if c.username.is_empty() != c.password.is_empty() {
            errors.push(FieldError::new(
                "containerImageRepositoryCredentials",
                "give both a username and a password, or neither",
            ));
        }
    }
    let props = req.runtime_props.clone().unwrap_or_default();
    let env = props.env.unwrap_or_default();
    for (i, e) in env.iter().enumerate() {
        if !env_name(&e.name) {
            errors.push(FieldError::new(
                format!("runtimeProps.env[{i}].name"),
                "must start with a letter or '_' and contain only letters, digits and '_'",
            ));
        } else if env[..i].iter().any(|o| o.name == e.name) {
            errors.push(FieldError::new(
                format!("runtimeProps.env[{i}].name"),
                format!("`{}` is set twice", e.name),
            ));
        }
    }
    for (i, p) in props.ports.iter().flatten().enumerate() {
        port_range(p.port, format!("runtimeProps.ports[{i}].port"), &mut errors);
        if let Some(crate::kopernik::AppPortProtocol::Unknown(v)) = &p.protocol {
            errors.push(FieldError::new(
                format!("runtimeProps.ports[{i}].protocol"),
                format!("unknown protocol `{v}`: expected tcp or udp"),
            ));
        }
    }
    if let Some(crate::kopernik::RestartPolicy::Unknown(v)) = &props.restart_policy {
        errors.push(FieldError::new(
            "runtimeProps.restartPolicy",
            format!("unknown policy `{v}`: expected always, unless-stopped, on-failure or no"),
        ));
    }
    let targets = props.volume_mount_targets.unwrap_or_default();
    absolute_unique_paths(
        targets
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("runtimeProps.volumeMountTargets[{i}]"), t.as_str())),
        &mut errors,
    );
    if let Some(t) = template {
        if image.id != t.container_image.id {
            errors.push(FieldError::new(
                "containerImage.id",
                format!("must be the template's image `{}`", t.container_image.id),
            ));
        }
        for prop in t.env.iter().filter(|p| p.required && p.default.is_none()) {
            let set = env
                .iter()
                .any(|e| e.name == prop.env_var && !e.value.is_empty());
            if !set {
                errors.push(FieldError::new(
                    format!("runtimeProps.env.{}", prop.env_var),
                    format!("{} is required by the template", label_or(prop)),
                ));
            }
        }
        if !targets.is_empty() && targets != t.volume_mount_targets {
            errors.push(FieldError::new(
                "runtimeProps.volumeMountTargets",
                "must be left unset or equal the template's",
            ));
        }
        if disks.len() != t.volume_mount_targets.len() {
            errors.push(FieldError::new(
                "machineConfiguration.dataDisks",
                format!(
                    "the template needs exactly {} data disk(s), one per volume mount target",
                    t.volume_mount_targets.len()
                ),
            ));
        }
    }
    errors
}

fn label_or(p: &crate::kopernik::TemplateEnvProperty) -> &str {
    if p.label.is_empty() {
        &p.env_var
    } else {
        &p.label
    }
}
