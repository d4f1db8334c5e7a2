//! "Paste `docker run` or JSON" on the Kopernik create form: the draft a pasted line or
//! `ContainerAppCreate` body makes, what was taken and what was left out, and why. Pure.

use berth_api::docker_run::{self, DockerRun};
use berth_api::kopernik::{AppPortProtocol, ContainerAppCreate, RestartPolicy};

use super::draft::{Draft, EnvRow, PortRow};
use crate::components::paste::Report;

/// A `docker run` line or a `ContainerAppCreate` body (text starting with `{`) applied to `current`.
pub fn prefill(current: &Draft, text: &str) -> Result<(Draft, Report), String> {
    let text = text.trim();
    if text.starts_with('{') {
        let body: ContainerAppCreate = serde_json::from_str(text)
            .map_err(|e| format!("JSON: not a Kopernik container app body: {e}"))?;
        Ok(from_body(current, &body))
    } else {
        let run = docker_run::parse(text)?;
        Ok(from_docker_run(current, &run))
    }
}

fn from_body(current: &Draft, b: &ContainerAppCreate) -> (Draft, Report) {
    let m = &b.machine_configuration;
    let props = b.runtime_props.clone().unwrap_or_default();
    let d = Draft {
        template_id: b.template_id.clone().unwrap_or_default(),
        name: m.name.clone(),
        region: m.region_uid.clone(),
        machine_type: m.machine_type_uid.clone(),
        disks: m
            .data_disks
            .iter()
            .flatten()
            .map(|x| x.size_gb.to_string())
            .collect(),
        mounts: props.volume_mount_targets.clone().unwrap_or_default(),
        image: b.container_image.id.clone(),
        digest: b.container_image.digest.clone().unwrap_or_default(),
        username: b
            .container_image_repository_credentials
            .as_ref()
            .map(|c| c.username.clone())
            .unwrap_or_default(),
        password: b
            .container_image_repository_credentials
            .as_ref()
            .map(|c| c.password.clone())
            .unwrap_or_default(),
        env: props
            .env
            .iter()
            .flatten()
            .map(|e| EnvRow {
                name: e.name.clone(),
                value: e.value.clone(),
                secret: None,
            })
            .collect(),
        ports: props
            .ports
            .iter()
            .flatten()
            .map(|p| PortRow {
                port: p.port.to_string(),
                name: p.name.clone().unwrap_or_default(),
                protocol: p.protocol.clone().unwrap_or(AppPortProtocol::Tcp),
            })
            .collect(),
        ports_edited: props.ports.is_some(),
        restart: props
            .restart_policy
            .map_or(current.restart.clone(), |r| r.to_string()),
        ..current.clone()
    };
    let report = Report {
        taken: vec!["the whole body".into()],
        ignored: Vec::new(),
    };
    (d, report)
}

fn from_docker_run(current: &Draft, run: &DockerRun) -> (Draft, Report) {
    let mut d = current.clone();
    let mut r = Report::default();
    d.image = match &run.tag {
        Some(tag) => format!("{}:{tag}", run.image),
        None => run.image.clone(),
    };
    r.take(format!("image {}", d.image));
    if let Some(digest) = &run.digest {
        d.digest = digest.clone();
        r.take(format!("digest {digest}"));
    }
    if let Some(name) = &run.name {
        d.name = name.clone();
        r.take(format!("name {name}"));
    }
    if !run.publish.is_empty() {
        d.ports = run
            .publish
            .iter()
            .map(|p| PortRow {
                port: p.container.to_string(),
                name: String::new(),
                protocol: if p.udp {
                    AppPortProtocol::Udp
                } else {
                    AppPortProtocol::Tcp
                },
            })
            .collect();
        d.ports_edited = true;
        for p in &run.publish {
            r.take(format!(
                "port {}/{}",
                p.container,
                if p.udp { "udp" } else { "tcp" }
            ));
            if let Some(host) = p.host {
                r.leave(
                    format!("host port {host}"),
                    "Kopernik exposes the container's own port",
                );
            }
        }
    }
    for (name, value) in &run.env {
        match value {
            Some(v) => {
                d.env.retain(|e| &e.name != name);
                d.env.push(EnvRow {
                    name: name.clone(),
                    value: v.clone(),
                    secret: None,
                });
                r.take(format!("env {name}"));
            }
            None => r.leave(
                format!("-e {name}"),
                "its value comes from your shell, which Berth cannot read: add it below",
            ),
        }
    }
    for file in &run.env_files {
        r.leave(
            format!("--env-file {file}"),
            "not read: add its variables below",
        );
    }
    if let Some(e) = &run.entrypoint {
        r.leave(
            format!("--entrypoint {e}"),
            "Kopernik runs the image's own entrypoint",
        );
    }
    if !run.args.is_empty() {
        r.leave(
            shell_words::join(&run.args),
            "Kopernik runs the image's own command: arguments cannot be set",
        );
    }
    if run.cpu_millis.is_some() || run.memory_mb.is_some() {
        r.leave(
            "--cpus / --memory",
            "Kopernik sizes an app by its machine type: pick one below",
        );
    }
    if !run.mounts.is_empty() {
        d.disks = run.mounts.iter().map(|_| "10".to_string()).collect();
        d.mounts = run.mounts.iter().map(|m| m.target.clone()).collect();
        for m in &run.mounts {
            r.take(format!(
                "a 10 GB disk at {} (docker gives no size)",
                m.target
            ));
        }
    }
    if let Some(policy) = &run.restart {
        let name = policy.split(':').next().unwrap_or_default();
        match RestartPolicy::from_wire(name) {
            RestartPolicy::Unknown(_) => r.leave(
                format!("--restart {policy}"),
                "not a Kopernik restart policy",
            ),
            p => {
                d.restart = p.to_string();
                r.take(format!("restart {p}"));
                if policy.contains(':') {
                    r.leave(
                        format!("--restart {policy}"),
                        "Kopernik takes no retry count",
                    );
                }
            }
        }
    }
    if let Some(g) = &run.gpus {
        r.leave(format!("--gpus {g}"), "pick a GPU machine type below");
    }
    if run.health.is_some() {
        r.leave("--health-*", "Kopernik has no health checks");
    }
    r.leave_unread_flags(run);
    (d, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docker_run_line_fills_the_app() {
        let (d, report) = prefill(
            &Draft::default(),
            "docker run --name db-1 -p 5432:5432 -e POSTGRES_PASSWORD=s3cret -e PGDATA \
             -v pg:/var/lib/postgresql/data --restart unless-stopped -m 2g \
             postgres@sha256:0123abcd",
        )
        .expect("parses");
        assert_eq!(
            (d.image.as_str(), d.digest.as_str()),
            ("postgres", "sha256:0123abcd")
        );
        assert_eq!(d.name, "db-1");
        assert_eq!(
            d.ports,
            [PortRow {
                port: "5432".into(),
                name: String::new(),
                protocol: AppPortProtocol::Tcp
            }]
        );
        assert!(d.ports_edited);
        assert_eq!(d.env.len(), 1);
        assert!(d.env[0].is_secret(), "a password stays masked");
        assert_eq!(
            (d.disks.as_slice(), d.mounts.as_slice()),
            (
                &["10".to_string()][..],
                &["/var/lib/postgresql/data".to_string()][..]
            )
        );
        assert_eq!(d.restart, "unless-stopped");
        let left: Vec<&str> = report.ignored.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(left, ["host port 5432", "-e PGDATA", "--cpus / --memory"]);
    }

    #[test]
    fn a_json_body_fills_the_app() {
        let body = r#"{"machineConfiguration": {"name": "w", "regionUid": "us-east-1", "machineTypeUid": "t3.micro",
            "dataDisks": [{"sizeGb": 20}]}, "containerImage": {"id": "nginx:1.27"},
            "runtimeProps": {"env": [{"name": "A", "value": "1"}], "restartPolicy": "no", "volumeMountTargets": ["/data"]}}"#;
        let (d, _) = prefill(&Draft::default(), body).expect("parses");
        assert_eq!(
            (d.name.as_str(), d.region.as_str(), d.machine_type.as_str()),
            ("w", "us-east-1", "t3.micro")
        );
        assert_eq!(
            (
                d.disks[0].as_str(),
                d.mounts[0].as_str(),
                d.restart.as_str()
            ),
            ("20", "/data", "no")
        );
        assert!(prefill(&Draft::default(), r#"{"containerImage": 1}"#).is_err());
    }
}
