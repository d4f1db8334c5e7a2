//! Property tests: thousands of generated requests through the rules. No input panics; a request
//! the rules accept really is well-formed; every rejection names a field.

use berth_api::kopernik::{
    AppPort, ContainerAppCreate, ContainerImage, DataDisk, EnvVar, MachineCreate,
    RepositoryCredentials, RuntimeProps,
};
use berth_api::qovery::{ContainerRequest, Healthchecks, Probe, ProbeType, ServicePort, TcpProbe};
use berth_api::rules::{self, Limits};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9-]{1,70}",
        "[A-Za-z_][A-Za-z0-9_]{0,12}",
        "\\PC{0,20}",
        Just("/var/lib/data".to_string()),
        Just("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_string()),
    ]
}

fn kopernik() -> impl Strategy<Value = ContainerAppCreate> {
    (
        (
            text(),
            text(),
            text(),
            prop::collection::vec(-5i64..50, 0..4),
        ),
        (text(), prop::option::of(text())),
        prop::option::of((text(), text())),
        prop::collection::vec((text(), text()), 0..5),
        prop::collection::vec(-10i64..70_000, 0..4),
        prop::option::of(prop::collection::vec(text(), 0..4)),
    )
        .prop_map(
            |((name, region, mtype, disks), (image, digest), creds, env, ports, mounts)| {
                ContainerAppCreate {
                    machine_configuration: MachineCreate {
                        name,
                        region_uid: region,
                        machine_type_uid: mtype,
                        data_disks: Some(
                            disks
                                .into_iter()
                                .map(|size_gb| DataDisk { size_gb })
                                .collect(),
                        ),
                    },
                    template_id: None,
                    container_image: ContainerImage { id: image, digest },
                    container_image_repository_credentials: creds
                        .map(|(username, password)| RepositoryCredentials { username, password }),
                    runtime_props: Some(RuntimeProps {
                        env: Some(
                            env.into_iter()
                                .map(|(name, value)| EnvVar { name, value })
                                .collect(),
                        ),
                        ports: Some(
                            ports
                                .into_iter()
                                .map(|port| AppPort {
                                    port,
                                    name: None,
                                    protocol: None,
                                })
                                .collect(),
                        ),
                        restart_policy: None,
                        volume_mount_targets: mounts,
                    }),
                }
            },
        )
}

fn qovery() -> impl Strategy<Value = ContainerRequest> {
    (
        (text(), text(), text()),
        (
            prop::option::of(-100i64..20_000),
            prop::option::of(-100i64..40_000),
            prop::option::of(-2i64..5),
        ),
        (prop::option::of(-2i64..5), prop::option::of(-3i64..5)),
        prop::collection::vec((-10i64..70_000, any::<bool>()), 0..4),
        prop::option::of(-10i64..70_000),
    )
        .prop_map(
            |((name, image, tag), (cpu, memory, gpu), (min, max), ports, probe)| ContainerRequest {
                name,
                registry_id: "r".into(),
                image_name: image,
                tag,
                cpu,
                memory,
                gpu,
                min_running_instances: min,
                max_running_instances: max,
                ports: Some(
                    ports
                        .into_iter()
                        .map(|(internal_port, publicly_accessible)| ServicePort {
                            id: None,
                            name: None,
                            internal_port,
                            external_port: None,
                            publicly_accessible,
                            is_default: None,
                            protocol: None,
                            public_path: None,
                            public_path_rewrite: None,
                        })
                        .collect(),
                ),
                healthchecks: Healthchecks {
                    readiness_probe: probe.map(|port| Probe {
                        kind: ProbeType {
                            tcp: Some(TcpProbe { port, host: None }),
                            ..ProbeType::default()
                        },
                        ..Probe::default()
                    }),
                    liveness_probe: None,
                },
                ..ContainerRequest::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn kopernik_rules_never_panic_and_name_fields(req in kopernik()) {
        let errors = rules::kopernik_create(&req, None);
        for e in &errors {
            prop_assert!(!e.path.is_empty() && !e.message.is_empty(), "{e:?}");
        }
        if errors.is_empty() {
            let m = &req.machine_configuration;
            prop_assert!(rules::machine_name(&m.name).is_none());
            prop_assert!(!req.container_image.id.trim().is_empty());
            for p in req.runtime_props.iter().flat_map(|r| r.ports.iter().flatten()) {
                prop_assert!((1..=65535).contains(&p.port));
            }
            for e in req.runtime_props.iter().flat_map(|r| r.env.iter().flatten()) {
                prop_assert!(rules::env_name(&e.name));
            }
        }
        // The body always encodes and decodes back unchanged.
        let json = serde_json::to_string(&req).expect("encodes");
        let back: ContainerAppCreate = serde_json::from_str(&json).expect("decodes");
        prop_assert_eq!(back, req);
    }

    #[test]
    fn qovery_rules_never_panic_and_name_fields(req in qovery()) {
        let errors = rules::qovery_container(&req, &Limits { maximum_cpu: Some(8000), maximum_memory: Some(16384), maximum_gpu: Some(2) });
        for e in &errors {
            prop_assert!(!e.path.is_empty() && !e.message.is_empty(), "{e:?}");
        }
        if errors.is_empty() {
            prop_assert!(!req.name.trim().is_empty() && !req.tag.trim().is_empty());
            prop_assert!(req.cpu.is_none_or(|c| (10..=8000).contains(&c)));
            let ports: Vec<i64> = req.ports.iter().flatten().map(|p| p.internal_port).collect();
            for p in &ports {
                prop_assert!((1..=65535).contains(p));
            }
            if let Some(probe) = &req.healthchecks.readiness_probe {
                prop_assert!(ports.contains(&probe.kind.tcp.as_ref().map(|t| t.port).unwrap_or(-1)));
            }
        }
    }
}
