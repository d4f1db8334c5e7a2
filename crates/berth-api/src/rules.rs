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
/// ASSUMED (no public source gives one): 16 TiB, the largest common block volume.
pub const MAX_STORAGE_GB: i64 = 16_384;
/// ASSUMED bounds on list sizes, so every rule stays linear and a body stays small.
pub const MAX_PORTS: usize = 50;
pub const MAX_STORAGE: usize = 20;
pub const MAX_ENV: usize = 200;
pub const MAX_DISKS: usize = 16;
/// ASSUMED: a Kopernik data disk, 1 GB to 16 TiB.
pub const MAX_DISK_GB: i64 = 16_384;
/// ASSUMED: probe timings at most an hour, thresholds at most 100 (Kubernetes gives no maximum).
pub const MAX_PROBE_SECONDS: i64 = 3600;
pub const MAX_PROBE_THRESHOLD: i64 = 100;

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

/// Non-empty and without whitespace (image names and tags).
fn no_spaces(v: &str, path: &str, errors: &mut Vec<FieldError>) {
    if v.trim().is_empty() {
        errors.push(FieldError::new(path, "must not be empty"));
    } else if v.chars().any(char::is_whitespace) {
        errors.push(FieldError::new(path, "must not contain spaces"));
    }
}

/// Reports a list longer than `max`; the caller then skips its per-item rules.
fn too_many(len: usize, max: usize, path: &str, what: &str, errors: &mut Vec<FieldError>) -> bool {
    if len > max {
        errors.push(FieldError::new(
            path,
            format!("at most {max} {what} (got {len})"),
        ));
        true
    } else {
        false
    }
}

/// A mount point with its trailing slashes removed: `/data` and `/data/` are the same place.
pub fn normal_path(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() && p.starts_with('/') {
        "/"
    } else {
        t
    }
}

/// Absolute, not `/` itself, and unique (after [`normal_path`]), checked with a set.
fn mount_points<'a>(paths: impl Iterator<Item = (String, &'a str)>, errors: &mut Vec<FieldError>) {
    let mut seen = std::collections::HashSet::new();
    for (path, p) in paths {
        if !p.starts_with('/') {
            errors.push(FieldError::new(
                path,
                "must be an absolute path (start with /)",
            ));
        } else if normal_path(p) == "/" {
            errors.push(FieldError::new(
                path,
                "cannot be / (the root of the container)",
            ));
        } else if !seen.insert(normal_path(p)) {
            errors.push(FieldError::new(
                path,
                format!("`{}` is used twice", normal_path(p)),
            ));
        }
    }
}

/// A URI: `scheme:rest`, the scheme a letter then letters, digits, `+`, `-` or `.`, no spaces.
pub fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

/// Every request rule of contract.md §1 for a Qovery `ContainerRequest`.
pub fn qovery_container(req: &crate::qovery::ContainerRequest, limits: &Limits) -> Vec<FieldError> {
    use crate::qovery::PortProtocol;
    let mut errors = Vec::new();
    non_empty(&req.name, "name", &mut errors);
    non_empty(&req.registry_id, "registry_id", &mut errors);
    no_spaces(&req.image_name, "image_name", &mut errors);
    no_spaces(&req.tag, "tag", &mut errors);
    if let Some(icon) = &req.icon_uri {
        if !is_uri(icon) {
            errors.push(FieldError::new(
                "icon_uri",
                "must be a URI such as app://qovery-console/container",
            ));
        }
    }
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
    match req.max_running_instances {
        Some(max) if max != -1 && max < min => errors.push(FieldError::new(
            "max_running_instances",
            format!("must be -1 (no limit) or at least the minimum ({min})"),
        )),
        // Omitted, the maximum is 1: a minimum above it needs an explicit maximum.
        None if min > 1 => errors.push(FieldError::new(
            "max_running_instances",
            format!("must be given (-1 for no limit) when the minimum is {min}: it defaults to 1"),
        )),
        _ => {}
    }
    let ports = req.ports.as_deref().unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    if !too_many(ports.len(), MAX_PORTS, "ports", "ports", &mut errors) {
        let mut names = std::collections::HashSet::new();
        for (i, p) in ports.iter().enumerate() {
            port_range(
                p.internal_port,
                format!("ports[{i}].internal_port"),
                &mut errors,
            );
            if !seen.insert(p.internal_port) {
                errors.push(FieldError::new(
                    format!("ports[{i}].internal_port"),
                    format!("port {} is declared twice", p.internal_port),
                ));
            }
            if let Some(e) = p.external_port {
                port_range(e, format!("ports[{i}].external_port"), &mut errors);
            }
            if let Some(name) = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                if !names.insert(name) {
                    errors.push(FieldError::new(
                        format!("ports[{i}].name"),
                        format!("`{name}` names two ports"),
                    ));
                }
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
            } else if let Some(path) = &p.public_path {
                if !path.starts_with('/') {
                    errors.push(FieldError::new(
                        format!("ports[{i}].public_path"),
                        "must start with /",
                    ));
                }
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
    }
    for (name, probe) in [
        ("readiness_probe", &req.healthchecks.readiness_probe),
        ("liveness_probe", &req.healthchecks.liveness_probe),
    ] {
        if let Some(probe) = probe {
            qovery_probe(
                probe,
                &format!("healthchecks.{name}"),
                name == "liveness_probe",
                &seen,
                &mut errors,
            );
        }
    }
    let storage = req.storage.as_deref().unwrap_or_default();
    if !too_many(
        storage.len(),
        MAX_STORAGE,
        "storage",
        "storage volumes",
        &mut errors,
    ) {
        for (i, s) in storage.iter().enumerate() {
            if s.size < MIN_STORAGE_GB {
                errors.push(FieldError::new(
                    format!("storage[{i}].size"),
                    format!("must be at least {MIN_STORAGE_GB} GB"),
                ));
            } else if s.size > MAX_STORAGE_GB {
                errors.push(FieldError::new(
                    format!("storage[{i}].size"),
                    format!("must be at most {MAX_STORAGE_GB} GB"),
                ));
            }
            if let crate::qovery::StorageType::Unknown(v) = &s.kind {
                errors.push(FieldError::new(
                    format!("storage[{i}].type"),
                    format!("unknown storage type `{v}`: expected FAST_SSD"),
                ));
            }
        }
        mount_points(
            storage
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("storage[{i}].mount_point"), s.mount_point.as_str())),
            &mut errors,
        );
    }
    errors
}

fn qovery_probe(
    probe: &crate::qovery::Probe,
    at: &str,
    liveness: bool,
    ports: &std::collections::HashSet<i64>,
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
    if let Some(http) = &t.http {
        if let Some(scheme) = &http.scheme {
            if scheme != "HTTP" && scheme != "HTTPS" {
                errors.push(FieldError::new(
                    format!("{at}.type.http.scheme"),
                    format!("must be HTTP or HTTPS (got `{scheme}`)"),
                ));
            }
        }
        if let Some(path) = &http.path {
            if !path.starts_with('/') {
                errors.push(FieldError::new(
                    format!("{at}.type.http.path"),
                    "must start with /",
                ));
            }
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
    for (name, v, min, max) in [
        (
            "initial_delay_seconds",
            probe.initial_delay_seconds,
            0,
            MAX_PROBE_SECONDS,
        ),
        ("period_seconds", probe.period_seconds, 1, MAX_PROBE_SECONDS),
        (
            "timeout_seconds",
            probe.timeout_seconds,
            1,
            MAX_PROBE_SECONDS,
        ),
        (
            "success_threshold",
            probe.success_threshold,
            1,
            MAX_PROBE_THRESHOLD,
        ),
        (
            "failure_threshold",
            probe.failure_threshold,
            1,
            MAX_PROBE_THRESHOLD,
        ),
    ] {
        match v {
            Some(v) if v < min => errors.push(FieldError::new(
                format!("{at}.{name}"),
                format!("must be at least {min} (got {v})"),
            )),
            Some(v) if v > max => errors.push(FieldError::new(
                format!("{at}.{name}"),
                format!("must be at most {max} (got {v})"),
            )),
            // Kubernetes: a liveness probe's success threshold must be 1.
            Some(v) if liveness && name == "success_threshold" && v != 1 => {
                errors.push(FieldError::new(
                    format!("{at}.{name}"),
                    format!("must be 1 for a liveness probe (got {v})"),
                ))
            }
            _ => {}
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
    use std::collections::{HashMap, HashSet};
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
    let disks_ok = !too_many(
        disks.len(),
        MAX_DISKS,
        "machineConfiguration.dataDisks",
        "data disks",
        &mut errors,
    );
    if disks_ok {
        for (i, d) in disks.iter().enumerate() {
            if d.size_gb < 1 {
                errors.push(FieldError::new(
                    format!("machineConfiguration.dataDisks[{i}].sizeGb"),
                    "must be at least 1 GB",
                ));
            } else if d.size_gb > MAX_DISK_GB {
                errors.push(FieldError::new(
                    format!("machineConfiguration.dataDisks[{i}].sizeGb"),
                    format!("must be at most {MAX_DISK_GB} GB"),
                ));
            }
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
        let lower_hex = |h: &str| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        if !hex.is_some_and(lower_hex) {
            errors.push(FieldError::new(
                "containerImage.digest",
                "must be sha256: followed by 64 lower-case hex digits",
            ));
        }
    }
    if let Some(c) = &req.container_image_repository_credentials {
        if c.username.trim().is_empty() != c.password.is_empty() {
            errors.push(FieldError::new(
                "containerImageRepositoryCredentials",
                "give both a username and a password, or neither",
            ));
        }
    }
    let props = req.runtime_props.clone().unwrap_or_default();
    let env = props.env.unwrap_or_default();
    if !too_many(
        env.len(),
        MAX_ENV,
        "runtimeProps.env",
        "variables",
        &mut errors,
    ) {
        let mut names = HashSet::new();
        for (i, e) in env.iter().enumerate() {
            if !env_name(&e.name) {
                errors.push(FieldError::new(
                    format!("runtimeProps.env[{i}].name"),
                    "must start with a letter or '_' and contain only letters, digits and '_'",
                ));
            } else if !names.insert(e.name.as_str()) {
                errors.push(FieldError::new(
                    format!("runtimeProps.env[{i}].name"),
                    format!("`{}` is set twice", e.name),
                ));
            }
        }
    }
    let ports = props.ports.unwrap_or_default();
    if !too_many(
        ports.len(),
        MAX_PORTS,
        "runtimeProps.ports",
        "ports",
        &mut errors,
    ) {
        let mut seen = HashSet::new();
        for (i, p) in ports.iter().enumerate() {
            port_range(p.port, format!("runtimeProps.ports[{i}].port"), &mut errors);
            if let Some(crate::kopernik::AppPortProtocol::Unknown(v)) = &p.protocol {
                errors.push(FieldError::new(
                    format!("runtimeProps.ports[{i}].protocol"),
                    format!("unknown protocol `{v}`: expected tcp or udp"),
                ));
            }
            // The same number may serve tcp and udp once each.
            let proto = p
                .protocol
                .as_ref()
                .map_or("tcp".to_string(), |p| p.as_str().to_string());
            if !seen.insert((p.port, proto.clone())) {
                errors.push(FieldError::new(
                    format!("runtimeProps.ports[{i}].port"),
                    format!("port {}/{proto} is declared twice", p.port),
                ));
            }
        }
    }
    if let Some(crate::kopernik::RestartPolicy::Unknown(v)) = &props.restart_policy {
        errors.push(FieldError::new(
            "runtimeProps.restartPolicy",
            format!("unknown policy `{v}`: expected always, unless-stopped, on-failure or no"),
        ));
    }
    let targets = props.volume_mount_targets.unwrap_or_default();
    let targets_ok = !too_many(
        targets.len(),
        MAX_DISKS,
        "runtimeProps.volumeMountTargets",
        "mount targets",
        &mut errors,
    );
    if targets_ok {
        mount_points(
            targets
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("runtimeProps.volumeMountTargets[{i}]"), t.as_str())),
            &mut errors,
        );
    }
    if targets_ok && disks_ok && template.is_none() {
        if targets.len() > disks.len() {
            errors.push(FieldError::new(
                "runtimeProps.volumeMountTargets",
                format!(
                    "{} mount targets for {} data disk(s): at most one per disk",
                    targets.len(),
                    disks.len()
                ),
            ));
        }
        // Disks past the list's end are mounted at /diskN: a target may not take one of those.
        let defaults: HashSet<String> = (targets.len()..disks.len())
            .map(|i| format!("/disk{}", i + 1))
            .collect();
        for (i, t) in targets.iter().enumerate() {
            if defaults.contains(normal_path(t)) {
                errors.push(FieldError::new(
                    format!("runtimeProps.volumeMountTargets[{i}]"),
                    format!("`{t}` is where a later data disk is mounted by default"),
                ));
            }
        }
    }
    if let Some(t) = template {
        if image.id != t.container_image.id {
            errors.push(FieldError::new(
                "containerImage.id",
                format!("must be the template's image `{}`", t.container_image.id),
            ));
        }
        let given: HashMap<&str, &str> = env
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        for prop in &t.env {
            let value = given.get(prop.env_var.as_str());
            if prop.required && prop.default.is_none() && value.is_none_or(|v| v.is_empty()) {
                errors.push(FieldError::new(
                    format!("runtimeProps.env.{}", prop.env_var),
                    format!("{} is required by the template", label_or(prop)),
                ));
            }
            if prop.constant {
                if let Some(v) = value {
                    if Some(*v) != prop.default.as_deref() {
                        errors.push(FieldError::new(
                            format!("runtimeProps.env.{}", prop.env_var),
                            format!(
                                "{} is fixed by the template ({})",
                                label_or(prop),
                                prop.default.as_deref().unwrap_or("no value")
                            ),
                        ));
                    }
                }
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

/// What is wrong with a Qovery variable or secret key, or `None`: non-empty, at most
/// [`MAX_KEY_LEN`](crate::variables::MAX_KEY_LEN) characters, `[A-Za-z_][A-Za-z0-9_]*`
/// (keys are case-sensitive).
pub fn variable_key(key: &str) -> Option<String> {
    use crate::variables::MAX_KEY_LEN;
    if key.is_empty() {
        Some("must not be empty".into())
    } else if key.chars().count() > MAX_KEY_LEN {
        Some(format!("must be at most {MAX_KEY_LEN} characters long"))
    } else if !env_name(key) {
        Some(format!(
            "`{key}` must start with a letter or `_` and contain only letters, digits and `_`"
        ))
    } else {
        None
    }
}

/// What is wrong with a variable's value, or `None` (the value itself is never quoted).
pub fn variable_value(value: &str) -> Option<String> {
    use crate::variables::MAX_VALUE_LEN;
    (value.chars().count() > MAX_VALUE_LEN)
        .then(|| format!("must be at most {MAX_VALUE_LEN} characters long"))
}

/// Every rule of a Qovery variable or secret (create or edit): the key ([`variable_key`]), unique
/// among the container's own variables and secrets (`taken(key)` says whether another one has it),
/// the value's length, a description of at most 255 characters, an absolute `mount_path`.
pub fn qovery_variable(
    key: &str,
    value: Option<&str>,
    mount_path: Option<&str>,
    description: Option<&str>,
    taken: impl Fn(&str) -> bool,
) -> Vec<FieldError> {
    use crate::variables::MAX_DESCRIPTION_LEN;
    let mut errors = Vec::new();
    if let Some(msg) = variable_key(key) {
        errors.push(FieldError::new("key", msg));
    } else if taken(key) {
        errors.push(FieldError::new(
            "key",
            format!("`{key}` is already used by a variable or secret of this container"),
        ));
    }
    if let Some(msg) = value.and_then(variable_value) {
        errors.push(FieldError::new("value", msg));
    }
    if let Some(p) = mount_path {
        if !p.starts_with('/') || p.trim() == "/" {
            errors.push(FieldError::new(
                "mount_path",
                "must be an absolute file path (starting with /)",
            ));
        }
    }
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_LEN) {
        errors.push(FieldError::new(
            "description",
            format!("must be at most {MAX_DESCRIPTION_LEN} characters long"),
        ));
    }
    errors
}
