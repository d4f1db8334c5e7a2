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
    ports.push(ports[0].clone());
    ports.push(berth_api::qovery::ServicePort {
        internal_port: 70000,
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
