//! Rules of contract.md: each violation is reported at its field; valid bodies pass.

use berth_api::kopernik::{AppTemplate, ContainerAppCreate};
use berth_api::qovery::ContainerRequest;
use berth_api::rules::{self, Limits};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn paths(errors: &[berth_api::FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn minimal_qovery_payload_is_valid() {
    let req: ContainerRequest =
        serde_json::from_str(&fixture("qovery-container-request-minimal.json")).expect("decodes");
    assert_eq!(rules::qovery_container(&req, &Limits::default()), vec![]);
}

#[test]
fn qovery_violations_name_their_field() {
    let mut req: ContainerRequest =
        serde_json::from_str(&fixture("qovery-container-request-minimal.json")).expect("decodes");
    req.name = " ".into();
    req.cpu = Some(9000);
    req.memory = Some(5);
    req.max_running_instances = Some(0);
    let mut ports = req.ports.clone().unwrap_or_default();
    // Distinct names: port names must be unique too (checked separately below).
    ports.push(berth_api::qovery::ServicePort {
        name: Some("p80-again".into()),
        ..ports[0].clone()
    });
    ports.push(berth_api::qovery::ServicePort {
        internal_port: 70000,
        name: Some("p70000".into()),
        ..ports[0].clone()
    });
    req.ports = Some(ports);
    req.healthchecks
        .liveness_probe
        .as_mut()
        .expect("probe")
        .kind
        .tcp
        .as_mut()
        .expect("tcp")
        .port = 81;
    let errors = rules::qovery_container(
        &req,
        &Limits {
            maximum_cpu: Some(8000),
            ..Limits::default()
        },
    );
    assert_eq!(
        paths(&errors),
        vec![
            "name",
            "cpu",
            "memory",
            "max_running_instances",
            "ports[1].internal_port",
            "ports[2].internal_port",
            "healthchecks.liveness_probe.port"
        ]
    );
    assert_eq!(errors[4].message, "port 80 is declared twice");
    assert_eq!(errors[5].message, "must be between 1 and 65535");
}

#[test]
fn qovery_seed_request_breaks_exactly_one_type_rule() {
    // The seed's example sets all four probe kinds at once, which a real request must not.
    let req: ContainerRequest =
        serde_json::from_str(&fixture("qovery-container-request.json")).expect("decodes");
    let errors = rules::qovery_container(&req, &Limits::default());
    assert!(
        paths(&errors).contains(&"healthchecks.readiness_probe.type"),
        "{errors:?}"
    );
}

#[test]
fn kopernik_template_rules() {
    let mut req: ContainerAppCreate =
        serde_json::from_str(&fixture("kopernik-containerapp-create.json")).expect("decodes");
    let t: serde_json::Value =
        serde_json::from_str(&fixture("kopernik-template.json")).expect("decodes");
    let template: AppTemplate = serde_json::from_value(t["resource"].clone()).expect("template");
    assert_eq!(rules::kopernik_create(&req, Some(&template)), vec![]);

    req.container_image.id = "mysql:9".into();
    req.machine_configuration.data_disks = None;
    let props = req.runtime_props.as_mut().expect("props");
    props.env = Some(vec![]);
    props.volume_mount_targets = Some(vec!["/data".into()]);
    let errors = rules::kopernik_create(&req, Some(&template));
    assert_eq!(
        paths(&errors),
        vec![
            "containerImage.id",
            "runtimeProps.env.MYSQL_ROOT_PASSWORD",
            "runtimeProps.volumeMountTargets",
            "machineConfiguration.dataDisks"
        ]
    );
}

#[test]
fn kopernik_field_rules() {
    assert_eq!(rules::machine_name("web-1"), None);
    for bad in ["", "-web", "web-", "Web", "a_b", &"a".repeat(64)] {
        assert!(rules::machine_name(bad).is_some(), "{bad}");
    }
    assert!(rules::env_name("_A1"));
    assert!(!rules::env_name("1A"));
    assert!(!rules::env_name("A-B"));
    let mut req: ContainerAppCreate =
        serde_json::from_str(&fixture("kopernik-containerapp-create.json")).expect("decodes");
    req.container_image.digest = Some("sha256:xyz".into());
    req.template_id = None;
    let errors = rules::kopernik_create(&req, None);
    assert_eq!(paths(&errors), vec!["containerImage.digest"]);
}

#[test]
fn action_availability_follows_the_console_table() {
    use berth_api::qovery::{ServiceAction as A, State as S};
    assert!(A::Deploy.allowed_in(&S::Ready));
    assert!(!A::Deploy.allowed_in(&S::Deployed));
    assert!(A::Redeploy.allowed_in(&S::Deployed));
    assert!(
        !A::Redeploy.allowed_in(&S::Deploying),
        "an operation in progress blocks redeploy"
    );
    assert!(A::Stop.allowed_in(&S::Deployed));
    assert!(!A::Stop.allowed_in(&S::Stopped));
    assert!(!A::Stop.allowed_in(&S::StopQueued));
    assert!(A::Restart.allowed_in(&S::Deployed));
    assert!(!A::Restart.allowed_in(&S::Ready));
    assert!(A::Delete.allowed_in(&S::Stopped));
    assert!(!A::Delete.allowed_in(&S::Deploying));
    for a in A::ALL {
        assert!(
            !a.allowed_in(&S::Unknown("NEW".into())),
            "{a:?} on an unknown state"
        );
    }
}

fn minimal() -> ContainerRequest {
    serde_json::from_str(&fixture("qovery-container-request-minimal.json")).expect("decodes")
}

fn kopernik_plain() -> ContainerAppCreate {
    let mut req: ContainerAppCreate =
        serde_json::from_str(&fixture("kopernik-containerapp-create.json")).expect("decodes");
    req.template_id = None;
    req
}

#[test]
fn qovery_rules_for_instances_ports_probes_storage_and_names() {
    use berth_api::qovery::{HttpProbe, ProbeType, Storage, StorageType};
    let check = |req: &ContainerRequest| rules::qovery_container(req, &Limits::default());
    // The console's defaults (probe path "/", scheme HTTP, 30/10/1|5/1/3, public HTTP on 443).
    let mut req = minimal();
    req.healthchecks
        .readiness_probe
        .as_mut()
        .expect("probe")
        .kind = ProbeType {
        http: Some(HttpProbe {
            path: Some("/".into()),
            scheme: Some("HTTP".into()),
            port: 80,
        }),
        ..ProbeType::default()
    };
    assert_eq!(check(&req), vec![]);

    // A minimum above 1 with no maximum: the default maximum (1) is below it.
    let mut r = minimal();
    r.min_running_instances = Some(3);
    r.max_running_instances = None;
    assert_eq!(paths(&check(&r)), vec!["max_running_instances"]);
    r.max_running_instances = Some(-1);
    assert_eq!(check(&r), vec![]);

    let mut r = minimal();
    let mut ports = r.ports.clone().unwrap_or_default();
    ports.push(berth_api::qovery::ServicePort {
        internal_port: 81,
        ..ports[0].clone()
    });
    ports[0].public_path = Some("api".into());
    r.ports = Some(ports);
    assert_eq!(
        paths(&check(&r)),
        vec!["ports[0].public_path", "ports[1].name"]
    );

    let mut r = minimal();
    let probe = r.healthchecks.readiness_probe.as_mut().expect("probe");
    probe.kind = ProbeType {
        http: Some(HttpProbe {
            path: Some("health".into()),
            scheme: Some("http".into()),
            port: 80,
        }),
        ..ProbeType::default()
    };
    probe.period_seconds = Some(3601);
    let live = r.healthchecks.liveness_probe.as_mut().expect("probe");
    live.success_threshold = Some(2);
    live.failure_threshold = Some(101);
    assert_eq!(
        paths(&check(&r)),
        vec![
            "healthchecks.readiness_probe.type.http.scheme",
            "healthchecks.readiness_probe.type.http.path",
            "healthchecks.readiness_probe.period_seconds",
            "healthchecks.liveness_probe.success_threshold",
            "healthchecks.liveness_probe.failure_threshold",
        ]
    );
    // A readiness probe may need several successes.
    let mut r = minimal();
    r.healthchecks
        .readiness_probe
        .as_mut()
        .expect("probe")
        .success_threshold = Some(3);
    assert_eq!(check(&r), vec![]);

    let volume = |size: i64, mount: &str| Storage {
        id: None,
        kind: StorageType::FastSsd,
        size,
        mount_point: mount.into(),
    };
    let mut r = minimal();
    r.storage = Some(vec![
        volume(10, "/data"),
        volume(10, "/data/"),
        volume(10, "/"),
        volume(20_000, "/big"),
    ]);
    assert_eq!(
        paths(&check(&r)),
        vec![
            "storage[3].size",
            "storage[1].mount_point",
            "storage[2].mount_point"
        ]
    );
    r.storage = Some((0..21).map(|i| volume(10, &format!("/v{i}"))).collect());
    assert_eq!(paths(&check(&r)), vec!["storage"]);

    let mut r = minimal();
    r.image_name = "nginx latest".into();
    r.tag = "1.25 ".into();
    r.icon_uri = Some("not a uri".into());
    assert_eq!(paths(&check(&r)), vec!["image_name", "tag", "icon_uri"]);
    r.image_name = "nginx".into();
    r.tag = "1.25".into();
    r.icon_uri = Some("app://qovery-console/container".into());
    assert_eq!(check(&r), vec![]);
    assert_eq!(rules::image_tag("1.2 3"), Some("must not contain spaces"));

    let mut r = minimal();
    let one = r.ports.clone().unwrap_or_default()[0].clone();
    r.ports = Some(
        (0..51)
            .map(|i| berth_api::qovery::ServicePort {
                internal_port: 1000 + i,
                name: None,
                ..one.clone()
            })
            .collect(),
    );
    r.healthchecks = Default::default();
    assert_eq!(paths(&check(&r)), vec!["ports"]);
}

#[test]
fn kopernik_rules_for_ports_mounts_credentials_digests_disks_and_constants() {
    use berth_api::kopernik::{AppPort, DataDisk, EnvVar, RepositoryCredentials};
    let check = |req: &ContainerAppCreate| rules::kopernik_create(req, None);
    assert_eq!(check(&kopernik_plain()), vec![]);

    let mut r = kopernik_plain();
    let props = r.runtime_props.as_mut().expect("props");
    props.ports = Some(vec![
        AppPort {
            port: 80,
            name: None,
            protocol: None,
        },
        AppPort {
            port: 80,
            name: None,
            protocol: None,
        },
    ]);
    assert_eq!(paths(&check(&r)), vec!["runtimeProps.ports[1].port"]);

    // Two targets for one disk; a target that is a later disk's default.
    let mut r = kopernik_plain();
    r.runtime_props
        .as_mut()
        .expect("props")
        .volume_mount_targets = Some(vec!["/a".into(), "/b".into()]);
    assert_eq!(paths(&check(&r)), vec!["runtimeProps.volumeMountTargets"]);
    r.machine_configuration.data_disks = Some(vec![DataDisk { size_gb: 5 }; 2]);
    r.runtime_props
        .as_mut()
        .expect("props")
        .volume_mount_targets = Some(vec!["/disk2".into()]);
    assert_eq!(
        paths(&check(&r)),
        vec!["runtimeProps.volumeMountTargets[0]"]
    );
    // The form fills an unset target before the last one with its own default: fine.
    r.runtime_props
        .as_mut()
        .expect("props")
        .volume_mount_targets = Some(vec!["/disk1".into(), "/data".into()]);
    assert_eq!(check(&r), vec![]);
    r.runtime_props
        .as_mut()
        .expect("props")
        .volume_mount_targets = Some(vec!["/".into(), "/data/".into()]);
    assert_eq!(
        paths(&check(&r)),
        vec!["runtimeProps.volumeMountTargets[0]"]
    );

    let mut r = kopernik_plain();
    r.container_image_repository_credentials = Some(RepositoryCredentials {
        username: "".into(),
        password: "p".into(),
    });
    r.container_image.digest = Some(format!("sha256:{}", "AB".repeat(32)));
    r.machine_configuration.data_disks = Some(vec![DataDisk { size_gb: 16_385 }]);
    assert_eq!(
        paths(&check(&r)),
        vec![
            "machineConfiguration.dataDisks[0].sizeGb",
            "containerImage.digest",
            "containerImageRepositoryCredentials"
        ]
    );
    r.machine_configuration.data_disks = Some(vec![DataDisk { size_gb: 1 }; 17]);
    r.container_image.digest = None;
    r.container_image_repository_credentials = None;
    r.runtime_props
        .as_mut()
        .expect("props")
        .volume_mount_targets = None;
    assert_eq!(paths(&check(&r)), vec!["machineConfiguration.dataDisks"]);

    let mut r = kopernik_plain();
    r.runtime_props.as_mut().expect("props").env = Some(
        (0..201)
            .map(|i| EnvVar {
                name: format!("V{i}"),
                value: String::new(),
            })
            .collect(),
    );
    assert_eq!(paths(&check(&r)), vec!["runtimeProps.env"]);

    // A template constant is sent with its default, or not at all; never another value.
    let t: serde_json::Value =
        serde_json::from_str(&fixture("kopernik-template.json")).expect("decodes");
    let mut template: AppTemplate =
        serde_json::from_value(t["resource"].clone()).expect("template");
    template.env[1].constant = true;
    let mut r: ContainerAppCreate =
        serde_json::from_str(&fixture("kopernik-containerapp-create.json")).expect("decodes");
    assert_eq!(rules::kopernik_create(&r, Some(&template)), vec![]);
    let env = r
        .runtime_props
        .as_mut()
        .expect("props")
        .env
        .as_mut()
        .expect("env");
    env.push(EnvVar {
        name: "MYSQL_DATABASE".into(),
        value: "app".into(),
    });
    assert_eq!(rules::kopernik_create(&r, Some(&template)), vec![]);
    let env = r
        .runtime_props
        .as_mut()
        .expect("props")
        .env
        .as_mut()
        .expect("env");
    env[1].value = "other".into();
    assert_eq!(
        paths(&rules::kopernik_create(&r, Some(&template))),
        vec!["runtimeProps.env.MYSQL_DATABASE"]
    );
}
