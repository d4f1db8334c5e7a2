//! The create form's state as the user typed it (numbers kept as text, so nothing typed is lost),
//! turned into a `ContainerAppCreate` with every rule of `berth-api` checked. Pure: tested natively.

use std::collections::BTreeMap;

use berth_api::kopernik::{
    AppPort, AppPortProtocol, AppTemplate, ContainerAppCreate, ContainerImage, DataDisk, EnvVar,
    MachineCreate, RepositoryCredentials, RestartPolicy, RuntimeProps,
};
use berth_api::{rules, secrets, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRow {
    pub name: String,
    pub value: String,
    /// What the user chose; `None` until they tick or untick the box, and then the name and value
    /// decide (see [`berth_api::secrets::is_secret`]). A secret is masked in the form, never
    /// stored and never previewed.
    #[serde(default)]
    pub secret: Option<bool>,
}

impl EnvRow {
    pub fn is_secret(&self) -> bool {
        self.secret
            .unwrap_or_else(|| secrets::is_secret(&self.name, &self.value))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRow {
    pub port: String,
    pub name: String,
    pub protocol: AppPortProtocol,
}

impl Default for PortRow {
    fn default() -> Self {
        PortRow {
            port: String::new(),
            name: String::new(),
            protocol: AppPortProtocol::Tcp,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Empty: no template.
    pub template_id: String,
    pub name: String,
    pub region: String,
    pub machine_type: String,
    /// Data disk sizes in GB, as typed.
    pub disks: Vec<String>,
    /// Mount target of each data disk (empty: the default /diskN).
    pub mounts: Vec<String>,
    pub image: String,
    pub digest: String,
    pub username: String,
    /// Never stored (see [`Draft::for_storage`]).
    pub password: String,
    pub env: Vec<EnvRow>,
    /// Values of the template's env properties, by variable name.
    pub template_env: BTreeMap<String, String>,
    pub ports: Vec<PortRow>,
    /// The user changed the template's ports: they replace the template's entirely.
    pub ports_edited: bool,
    pub restart: String,
    pub wait_time: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            template_id: String::new(),
            name: String::new(),
            region: String::new(),
            machine_type: String::new(),
            disks: Vec::new(),
            mounts: Vec::new(),
            image: String::new(),
            digest: String::new(),
            username: String::new(),
            password: String::new(),
            env: Vec::new(),
            template_env: BTreeMap::new(),
            ports: Vec::new(),
            ports_edited: false,
            restart: "always".into(),
            wait_time: "10".into(),
        }
    }
}

/// What the form sends: the body, and how long to wait for the Action.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    pub body: ContainerAppCreate,
    pub wait_secs: u32,
}

fn number(text: &str, path: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) if text.trim().is_empty() => {
            errors.push(FieldError::new(path, "must not be empty"));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                path,
                format!("`{}` is not a whole number", text.trim()),
            ));
            None
        }
    }
}

impl Draft {
    /// Applies a template: its image, its number of data disks and mount targets, its ports (until
    /// edited) and its env properties' defaults. `None` goes back to no template.
    pub fn use_template(&mut self, t: Option<&AppTemplate>) {
        match t {
            None => {
                self.template_id.clear();
                self.template_env.clear();
                self.ports_edited = false;
            }
            Some(t) => {
                self.template_id = t.id.clone();
                self.image = t.container_image.id.clone();
                self.digest = t.container_image.digest.clone().unwrap_or_default();
                let n = t.volume_mount_targets.len();
                self.disks.resize(n, "10".into());
                self.mounts = t.volume_mount_targets.clone();
                self.ports = t
                    .ports
                    .iter()
                    .map(|p| PortRow {
                        port: p.port.to_string(),
                        name: p.name.clone().unwrap_or_default(),
                        protocol: p.protocol.clone().unwrap_or(AppPortProtocol::Tcp),
                    })
                    .collect();
                self.ports_edited = false;
                self.template_env = t
                    .env
                    .iter()
                    .map(|p| (p.env_var.clone(), p.default.clone().unwrap_or_default()))
                    .collect();
            }
        }
    }

    /// The request and every violation, each at the path the rules use (which the form maps to
    /// its fields). `template` must be the one `template_id` names, when there is one.
    pub fn build(&self, template: Option<&AppTemplate>) -> (Option<Submission>, Vec<FieldError>) {
        let (body, wait_secs, errors) = self.body(template);
        let ok = errors.is_empty();
        (ok.then_some(Submission { body, wait_secs }), errors)
    }

    /// The body as it stands (for the preview, even while invalid), the wait, and the violations.
    pub fn body(
        &self,
        template: Option<&AppTemplate>,
    ) -> (ContainerAppCreate, u32, Vec<FieldError>) {
        let mut errors = Vec::new();
        let disks: Vec<Option<i64>> = self
            .disks
            .iter()
            .enumerate()
            .map(|(i, d)| {
                number(
                    d,
                    &format!("machineConfiguration.dataDisks[{i}].sizeGb"),
                    &mut errors,
                )
            })
            .collect();
        let ports: Vec<Option<i64>> = self
            .ports
            .iter()
            .enumerate()
            .map(|(i, p)| {
                number(
                    &p.port,
                    &format!("runtimeProps.ports[{i}].port"),
                    &mut errors,
                )
            })
            .collect();
        let wait = match self.wait_time.trim().parse::<u32>() {
            Ok(n) if n <= 300 => n,
            _ => {
                errors.push(FieldError::new(
                    "waitTime",
                    "must be a whole number of seconds from 0 to 300",
                ));
                0
            }
        };
        let mut env: Vec<EnvVar> = self
            .env
            .iter()
            .filter(|e| !(e.name.is_empty() && e.value.is_empty()))
            .map(|e| EnvVar {
                name: e.name.trim().to_string(),
                value: e.value.clone(),
            })
            .collect();
        if let Some(t) = template {
            for p in &t.env {
                let value = self
                    .template_env
                    .get(&p.env_var)
                    .cloned()
                    .unwrap_or_default();
                let value = if p.constant {
                    p.default.clone().unwrap_or_default()
                } else {
                    value
                };
                if !value.is_empty() {
                    env.push(EnvVar {
                        name: p.env_var.clone(),
                        value,
                    });
                }
            }
        }
        let with_template = template.is_some();
        let port_list: Vec<AppPort> = self
            .ports
            .iter()
            .zip(&ports)
            .filter_map(|(p, n)| {
                n.map(|port| AppPort {
                    port,
                    name: (!p.name.trim().is_empty()).then(|| p.name.trim().to_string()),
                    protocol: Some(p.protocol.clone()),
                })
            })
            .collect();
        // With a template, ports are sent only when edited (then they replace the template's).
        let send_ports = if with_template {
            self.ports_edited
        } else {
            !port_list.is_empty()
        };
        let mounts: Vec<String> = self.mounts.iter().map(|m| m.trim().to_string()).collect();
        let send_mounts = !with_template && mounts.iter().any(|m| !m.is_empty());
        let body = ContainerAppCreate {
            machine_configuration: MachineCreate {
                name: self.name.trim().to_string(),
                region_uid: self.region.clone(),
                machine_type_uid: self.machine_type.clone(),
                data_disks: (!disks.is_empty()).then(|| {
                    disks
                        .iter()
                        .map(|d| DataDisk {
                            size_gb: d.unwrap_or(0),
                        })
                        .collect()
                }),
            },
            template_id: template.map(|t| t.id.clone()),
            container_image: ContainerImage {
                id: self.image.trim().to_string(),
                digest: (!self.digest.trim().is_empty()).then(|| self.digest.trim().to_string()),
            },
            container_image_repository_credentials: (!self.username.is_empty()
                || !self.password.is_empty())
            .then(|| RepositoryCredentials {
                username: self.username.clone(),
                password: self.password.clone(),
            }),
            runtime_props: Some(RuntimeProps {
                env: (!env.is_empty()).then_some(env),
                ports: send_ports.then_some(port_list),
                restart_policy: Some(RestartPolicy::from_wire(&self.restart)),
                // Unset targets take the default /diskN: send the list only up to the last one set.
                volume_mount_targets: send_mounts.then(|| {
                    let last = mounts
                        .iter()
                        .rposition(|m| !m.is_empty())
                        .map_or(0, |i| i + 1);
                    mounts[..last]
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            if m.is_empty() {
                                format!("/disk{}", i + 1)
                            } else {
                                m.clone()
                            }
                        })
                        .collect()
                }),
            }),
        };
        errors.extend(rules::kopernik_create(&body, template));
        if self.region.is_empty() {
            errors.retain(|e| e.path != "machineConfiguration.regionUid");
            errors.push(FieldError::new(
                "machineConfiguration.regionUid",
                "choose a region",
            ));
        }
        if self.machine_type.is_empty() {
            errors.retain(|e| e.path != "machineConfiguration.machineTypeUid");
            errors.push(FieldError::new(
                "machineConfiguration.machineTypeUid",
                "choose a machine type",
            ));
        }
        (body, wait, errors)
    }

    /// The draft as kept in sessionStorage: no password, no secret env value, no secret template
    /// property value. A row emptied stays marked secret: one guessed from its value would
    /// otherwise come back as a plain, empty variable.
    pub fn for_storage(&self, template: Option<&AppTemplate>) -> Draft {
        let mut d = self.clone();
        d.password.clear();
        for e in d.env.iter_mut().filter(|e| e.is_secret()) {
            e.value.clear();
            e.secret = Some(true);
        }
        if let Some(t) = template {
            for p in t.env.iter().filter(|p| p.secret) {
                d.template_env.insert(p.env_var.clone(), String::new());
            }
        }
        d
    }
}

impl Draft {
    /// Pasted `KEY=VALUE` pairs: a new row each, or the new value of a row with that name.
    /// A new row is secret or not by its name and value, like a row typed by hand.
    pub fn add_env(&mut self, pairs: Vec<(String, String)>) {
        for (name, value) in pairs {
            match self.env.iter_mut().find(|e| e.name == name) {
                Some(existing) => existing.value = value,
                None => self.env.push(EnvRow {
                    name,
                    value,
                    secret: None,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mysql() -> AppTemplate {
        serde_json::from_value(serde_json::json!({
            "id": "mysql", "name": "MySQL", "containerImage": {"id": "mysql:8.4"},
            "env": [{"envVar": "MYSQL_ROOT_PASSWORD", "label": "Root password", "secret": true, "required": true},
                    {"envVar": "MYSQL_ROOT_HOST", "label": "Root host", "constant": true, "default": "%"}],
            "ports": [{"port": 3306, "name": "mysql", "protocol": "tcp"}],
            "volumeMountTargets": ["/var/lib/mysql"]
        }))
        .expect("template")
    }

    fn plain() -> Draft {
        Draft {
            name: "web-1".into(),
            region: "nyc1".into(),
            machine_type: "s-1vcpu-1gb".into(),
            image: "nginx:1.27".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn a_plain_draft_builds_the_minimal_body() {
        let (sub, errors) = plain().build(None);
        assert_eq!(errors, vec![]);
        let body = serde_json::to_value(sub.expect("valid").body).expect("json");
        assert_eq!(body["machineConfiguration"]["name"], "web-1");
        assert!(body["machineConfiguration"].get("dataDisks").is_none());
        assert!(body.get("containerImageRepositoryCredentials").is_none());
        assert_eq!(body["runtimeProps"]["restartPolicy"], "always");
    }

    #[test]
    fn typed_numbers_and_rules_are_reported_at_their_fields() {
        let mut d = plain();
        d.name = "Bad".into();
        d.disks = vec!["ten".into()];
        d.ports = vec![PortRow {
            port: "70000".into(),
            ..PortRow::default()
        }];
        d.env = vec![EnvRow {
            name: "1X".into(),
            value: "v".into(),
            secret: Some(false),
        }];
        d.wait_time = "-1".into();
        let (sub, errors) = d.build(None);
        assert!(sub.is_none());
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        for p in [
            "machineConfiguration.dataDisks[0].sizeGb",
            "waitTime",
            "machineConfiguration.name",
            "runtimeProps.env[0].name",
            "runtimeProps.ports[0].port",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
    }

    #[test]
    fn templates_fix_image_disks_and_ports_and_require_their_properties() {
        let t = mysql();
        let mut d = plain();
        d.use_template(Some(&t));
        assert_eq!(
            (d.image.as_str(), d.disks.len(), d.mounts.clone()),
            ("mysql:8.4", 1, vec!["/var/lib/mysql".to_string()])
        );
        let (_, errors) = d.build(Some(&t));
        assert_eq!(
            errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            vec!["runtimeProps.env.MYSQL_ROOT_PASSWORD"]
        );
        d.template_env
            .insert("MYSQL_ROOT_PASSWORD".into(), "s3cret".into());
        let (sub, errors) = d.build(Some(&t));
        assert_eq!(errors, vec![]);
        let body = serde_json::to_value(sub.expect("valid").body).expect("json");
        assert!(
            body["runtimeProps"].get("ports").is_none(),
            "unedited template ports are not sent"
        );
        assert!(body["runtimeProps"].get("volumeMountTargets").is_none());
        let env = body["runtimeProps"]["env"].as_array().expect("env");
        assert!(
            env.iter()
                .any(|e| e["name"] == "MYSQL_ROOT_HOST" && e["value"] == "%"),
            "constants are sent with their value"
        );
        d.ports_edited = true;
        d.ports = vec![PortRow {
            port: "3307".into(),
            ..PortRow::default()
        }];
        let body = serde_json::to_value(d.build(Some(&t)).0.expect("valid").body).expect("json");
        assert_eq!(
            body["runtimeProps"]["ports"],
            serde_json::json!([{"port": 3307, "protocol": "tcp"}])
        );
    }

    #[test]
    fn storage_never_holds_secrets() {
        let t = mysql();
        let mut d = plain();
        d.use_template(Some(&t));
        d.password = "hunter2".into();
        d.template_env
            .insert("MYSQL_ROOT_PASSWORD".into(), "s3cret".into());
        d.env = vec![
            EnvRow {
                name: "API_KEY".into(),
                value: "k".into(),
                secret: Some(true),
            },
            EnvRow {
                name: "MODE".into(),
                value: "demo".into(),
                secret: Some(false),
            },
        ];
        let stored = serde_json::to_string(&d.for_storage(Some(&t))).expect("json");
        for secret in ["hunter2", "s3cret", "\"k\""] {
            assert!(!stored.contains(secret), "{secret} stored: {stored}");
        }
        assert!(stored.contains("demo"));
    }

    #[test]
    fn names_and_values_that_look_secret_are_secret_by_default_and_never_stored() {
        let row = |name: &str, value: &str| EnvRow {
            name: name.into(),
            value: value.into(),
            secret: None,
        };
        for (name, value) in [
            ("DB_PASSWORD", "x"),
            ("api_token", "x"),
            ("SMTP_PASS", "x"),
            ("APIKEY", "x"),
            ("DATABASE_URL", "postgres://u:hunter2@db/x"),
        ] {
            assert!(row(name, value).is_secret(), "{name}={value}");
        }
        for (name, value) in [("MODE", "x"), ("DATABASE_URL", "postgres://db/x")] {
            assert!(!row(name, value).is_secret(), "{name}={value}");
        }
        // Pasted lines are secret by their names and values, like rows typed by hand.
        let mut d = plain();
        let (pairs, _) = berth_api::variables::parse_env_lines(
            "DB_PASSWORD=hunter2\nAPI_TOKEN=t0k3n\nMODE=demo\nDATABASE_URL=postgres://u:pg-pw@db/x",
        );
        d.add_env(pairs);
        let rows = &d.env;
        assert!(rows[0].is_secret() && rows[1].is_secret() && !rows[2].is_secret());
        assert!(rows[3].is_secret());
        let stored = serde_json::to_string(&d.for_storage(None)).expect("json");
        for secret in ["hunter2", "t0k3n", "pg-pw"] {
            assert!(!stored.contains(secret), "{secret} stored: {stored}");
        }
        assert!(stored.contains("demo"));
        // A row emptied by storage comes back secret, asking for its value.
        let restored: Draft = serde_json::from_str(&stored).expect("restored");
        assert!(restored.env[3].is_secret(), "{stored}");
        // The user's choice wins over the name.
        let mut shown = d.env[0].clone();
        shown.secret = Some(false);
        assert!(!shown.is_secret());
        // A draft stored before the choice became optional still reads.
        let old: EnvRow =
            serde_json::from_str(r#"{"name":"A","value":"1","secret":true}"#).expect("old draft");
        assert_eq!(old.secret, Some(true));
    }
}
