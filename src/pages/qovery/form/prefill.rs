//! "Paste `docker run` or JSON" on the create form: the draft a pasted line or request body makes,
//! and what was taken and what was left out, and why. Pure; nothing is sent.

use berth_api::docker_run::{self, DockerRun};
use berth_api::qovery::{ContainerRequest, PortProtocol};

use super::draft::{PortRow, ProbeKind, QDraft, StorageRow};
use super::var_rows::VarRow;
use crate::components::paste::Report;

/// The fields of a Qovery container request (any other key of a pasted body is left out).
const REQUEST_KEYS: &[&str] = &[
    "name",
    "description",
    "registry_id",
    "image_name",
    "tag",
    "arguments",
    "entrypoint",
    "cpu",
    "memory",
    "gpu",
    "min_running_instances",
    "max_running_instances",
    "healthchecks",
    "storage",
    "ports",
    "auto_preview",
    "auto_deploy",
    "annotations_groups",
    "labels_groups",
    "icon_uri",
];

/// A `docker run` line or a `ContainerRequest` body (text starting with `{`) applied to `current`.
pub fn prefill(current: &QDraft, text: &str) -> Result<(QDraft, Report), String> {
    let text = text.trim();
    if text.starts_with('{') {
        from_json(text)
    } else {
        let run = docker_run::parse(text)?;
        Ok(from_docker_run(current, &run))
    }
}

fn from_json(text: &str) -> Result<(QDraft, Report), String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("JSON: {e}"))?;
    let request: ContainerRequest = serde_json::from_value(value.clone())
        .map_err(|e| format!("JSON: not a Qovery container request: {e}"))?;
    let mut report = Report::default();
    if let Some(map) = value.as_object() {
        for key in map.keys() {
            if REQUEST_KEYS.contains(&key.as_str()) {
                report.take(key.clone());
            } else {
                report.leave(key.clone(), "not part of a Qovery container request");
            }
        }
    }
    Ok((QDraft::from_request(&request), report))
}

fn from_docker_run(current: &QDraft, run: &DockerRun) -> (QDraft, Report) {
    let mut d = current.clone();
    let mut r = Report::default();
    d.image_name = run.image.clone();
    d.tag = run.tag.clone().unwrap_or_else(|| "latest".into());
    r.take(format!("image {}:{}", d.image_name, d.tag));
    if let Some(digest) = &run.digest {
        r.leave(
            format!("@{digest}"),
            "Qovery deploys an image by its tag, not its digest",
        );
    }
    if let Some(name) = &run.name {
        d.name = name.clone();
        r.take(format!("name {name}"));
    }
    if !run.publish.is_empty() {
        d.ports = run
            .publish
            .iter()
            .enumerate()
            .map(|(i, p)| PortRow {
                internal: p.container.to_string(),
                protocol: if p.udp {
                    PortProtocol::Udp
                } else {
                    PortProtocol::Http
                },
                public: true,
                name: format!("p{}", p.container),
                default: i == 0,
                ..PortRow::default()
            })
            .collect();
        for p in &run.publish {
            let proto = if p.udp { "UDP" } else { "HTTP" };
            r.take(format!("port {} ({proto}, public)", p.container));
            if let Some(host) = p.host {
                r.leave(
                    format!("host port {host}"),
                    "Qovery chooses the external port (443 for HTTP)",
                );
            }
        }
    }
    // Variables go to the form's Variables section, imported right after the create.
    let mut vars = Vec::new();
    for (key, value) in &run.env {
        match value {
            Some(_) => r.take(format!("variable {key}")),
            None => r.leave(
                format!("-e {key}"),
                "no value given (docker would copy it from your shell): the key is added with an empty value, fill it in",
            ),
        }
        // Secret or not by key and value, like a row typed on the form.
        vars.push(VarRow::guessed(
            key.clone(),
            value.clone().unwrap_or_default(),
        ));
    }
    super::var_rows::merge(&mut d.vars, vars);
    for file in &run.env_files {
        r.leave(
            format!("--env-file {file}"),
            "not read: paste its KEY=VALUE lines in the Variables section",
        );
    }
    if let Some(e) = &run.entrypoint {
        d.entrypoint = e.clone();
        r.take(format!("entrypoint {e}"));
    }
    if !run.args.is_empty() {
        d.arguments = shell_words::join(&run.args);
        r.take(format!("arguments {}", d.arguments));
    }
    if let Some(m) = run.cpu_millis {
        d.cpu = m.to_string();
        r.take(format!("CPU {m} millicores"));
    }
    if let Some(mb) = run.memory_mb {
        d.memory = mb.to_string();
        r.take(format!("memory {mb} MB"));
    }
    if !run.mounts.is_empty() {
        d.storage = run
            .mounts
            .iter()
            .map(|m| StorageRow {
                id: None,
                size: "10".into(),
                mount: m.target.clone(),
            })
            .collect();
        for m in &run.mounts {
            r.take(format!(
                "storage at {} (10 GB: docker gives no size)",
                m.target
            ));
            if m.read_only {
                r.leave(
                    format!("{}:ro", m.target),
                    "Qovery storage is always writable",
                );
            }
        }
    }
    if let Some(policy) = &run.restart {
        r.leave(
            format!("--restart {policy}"),
            "Qovery restarts failed containers itself",
        );
    }
    if let Some(gpus) = &run.gpus {
        match gpus.parse::<u32>() {
            Ok(n) => {
                d.gpu = n.to_string();
                r.take(format!("GPU {n}"));
            }
            Err(_) if gpus == "all" => {
                d.gpu = "1".into();
                r.take("GPU 1 (from --gpus all: set how many)");
            }
            Err(_) => r.leave(
                format!("--gpus {gpus}"),
                "Qovery takes a number of GPUs, not devices",
            ),
        }
    }
    if let Some(h) = &run.health {
        match &h.cmd {
            Some(cmd) => {
                let p = &mut d.liveness;
                p.kind = ProbeKind::Exec;
                // Docker runs --health-cmd with /bin/sh -c.
                p.command = shell_words::join(["/bin/sh", "-c", cmd.as_str()]);
                if let Some(s) = h.interval_s {
                    p.period = s.to_string();
                }
                if let Some(s) = h.timeout_s {
                    p.timeout = s.to_string();
                }
                if let Some(n) = h.retries {
                    p.failure = n.to_string();
                }
                r.take(format!("liveness probe: exec {cmd}"));
            }
            None => r.leave(
                "--health-*",
                "timings without --health-cmd have nothing to check",
            ),
        }
    }
    r.leave_unread_flags(run);
    (d, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_api::rules::Limits;

    fn limits() -> Limits {
        Limits {
            maximum_cpu: Some(8000),
            maximum_memory: Some(16384),
            maximum_gpu: Some(2),
        }
    }

    #[test]
    fn a_docker_run_line_fills_a_valid_request() {
        let current = QDraft {
            registry_id: "reg-1".into(),
            ..QDraft::default()
        };
        let (d, report) = prefill(
            &current,
            "docker run -d --name web -p 8080:80 -e MODE=prod --cpus 0.5 -m 1g -v data:/data \
             --restart always --health-cmd 'curl -f localhost' --health-interval 15s \
             --network host nginx:1.27 nginx -g 'daemon off;'",
        )
        .expect("parses");
        let (req, errors) = d.request(&limits());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (req.image_name.as_str(), req.tag.as_str()),
            ("nginx", "1.27")
        );
        assert_eq!(
            req.registry_id, "reg-1",
            "the registry picked on the form stays"
        );
        assert_eq!((req.cpu, req.memory), (Some(500), Some(1024)));
        let ports = req.ports.expect("ports");
        assert_eq!(
            (ports[0].internal_port, ports[0].publicly_accessible),
            (80, true)
        );
        assert_eq!(req.storage.expect("storage")[0].mount_point, "/data");
        assert_eq!(
            req.arguments.expect("arguments"),
            ["nginx", "-g", "daemon off;"]
        );
        let probe = req.healthchecks.liveness_probe.expect("liveness");
        assert_eq!(probe.period_seconds, Some(15));
        let why = |what: &str| {
            report
                .ignored
                .iter()
                .find(|(w, _)| w == what)
                .map(|(_, why)| why.clone())
                .unwrap_or_else(|| panic!("{what} not listed: {:?}", report.ignored))
        };
        assert_eq!(d.vars, vec![VarRow::guessed("MODE".into(), "prod".into())]);
        assert!(why("--restart always").contains("restarts"));
        assert!(why("--network host").contains("networking"));
        assert!(why("host port 8080").contains("external port"));
        assert!(
            report.taken.iter().any(|t| t == "name web"),
            "{:?}",
            report.taken
        );
    }

    #[test]
    fn docker_run_secrets_are_masked_and_never_stored() {
        let (d, _) = prefill(
            &QDraft::default(),
            "docker run -e MODE=prod -e DB_PASS=hunter2 \
             -e DATABASE_URL=postgres://u:hunter2@db/x nginx",
        )
        .expect("parses");
        let secret: Vec<bool> = d.vars.iter().map(VarRow::is_secret).collect();
        assert_eq!(secret, [false, true, true]);
        let stored = serde_json::to_string(&d).expect("json");
        assert!(!stored.contains("hunter2"), "{stored}");
        assert!(stored.contains("prod"), "{stored}");
    }

    #[test]
    fn a_json_body_fills_the_form_and_names_unknown_keys() {
        let body = r#"{"name": "api", "registry_id": "r", "image_name": "acme/api", "tag": "2",
            "cpu": 250, "memory": 256, "healthchecks": {}, "ports": [{"internal_port": 8080,
            "publicly_accessible": false, "protocol": "TCP"}], "replicas": 3}"#;
        let (d, report) = prefill(&QDraft::default(), body).expect("parses");
        assert_eq!(
            (
                d.name.as_str(),
                d.cpu.as_str(),
                d.ports[0].internal.as_str()
            ),
            ("api", "250", "8080")
        );
        assert_eq!(
            report.ignored,
            [(
                "replicas".to_string(),
                "not part of a Qovery container request".to_string()
            )]
        );
        let err = prefill(&QDraft::default(), r#"{"name": 1}"#).expect_err("bad body");
        assert!(
            err.starts_with("JSON: not a Qovery container request"),
            "{err}"
        );
        let err = prefill(&QDraft::default(), "docker run -p 99999 nginx").expect_err("bad port");
        assert!(err.contains("99999"), "{err}");
    }
}
