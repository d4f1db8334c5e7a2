//! Property tests: thousands of generated requests through the rules. No input panics; a request
//! the rules accept really is well-formed; every rejection names a field.

use berth_api::kopernik::{
    AppPort, ContainerAppCreate, ContainerImage, DataDisk, EnvVar, MachineCreate,
    RepositoryCredentials, RuntimeProps,
};
use berth_api::qovery::{
    ContainerRequest, ExecProbe, GrpcProbe, Healthchecks, HttpProbe, PortProtocol, Probe,
    ProbeType, ServicePort, Storage, StorageType, TcpProbe,
};
use berth_api::rules::{self, Limits};
use proptest::prelude::*;

/// contract.md's words as patterns: a machine name is 1 to 63 of `[a-z0-9-]`, not starting or
/// ending with `-`; an env name is `[A-Za-z_][A-Za-z0-9_]*`; an icon is a URI (RFC 3986: a
/// scheme, `:`, the rest), with no whitespace.
const MACHINE_NAME: &str = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
const ENV_NAME: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";
const URI: &str = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$";

fn oracle(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("a valid pattern")
}

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

/// Paths as users type them: absolute or not, with trailing slashes, the root, spaces.
fn a_path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/".to_string()),
        Just("/data".to_string()),
        Just("/data/".to_string()),
        Just("data".to_string()),
        Just(String::new()),
        "/[a-z]{1,4}/?",
        "[a-z/ ]{0,6}",
    ]
}

/// Each probe type, with generated paths, schemes and timings.
fn a_probe() -> impl Strategy<Value = Probe> {
    let kind = prop_oneof![
        (70i64..90).prop_map(|port| ProbeType {
            tcp: Some(TcpProbe { port, host: None }),
            ..ProbeType::default()
        }),
        (
            70i64..90,
            prop::option::of(a_path()),
            prop::option::of(prop_oneof![
                Just("HTTP".to_string()),
                Just("HTTPS".to_string()),
                Just("http".to_string()),
                Just("FTP".to_string()),
            ])
        )
            .prop_map(|(port, path, scheme)| ProbeType {
                http: Some(HttpProbe { path, scheme, port }),
                ..ProbeType::default()
            }),
        prop::collection::vec("[a-z ]{0,5}", 0..3).prop_map(|command| ProbeType {
            exec: Some(ExecProbe { command }),
            ..ProbeType::default()
        }),
        (70i64..90).prop_map(|port| ProbeType {
            grpc: Some(GrpcProbe {
                service: None,
                port
            }),
            ..ProbeType::default()
        }),
        Just(ProbeType::default()),
    ];
    let timing = || prop::option::of(prop_oneof![-2i64..5, 3590i64..3610, 95i64..105]);
    (kind, timing(), timing(), timing(), timing(), timing()).prop_map(
        |(kind, initial, period, timeout, success, failure)| Probe {
            kind,
            initial_delay_seconds: initial,
            period_seconds: period,
            timeout_seconds: timeout,
            success_threshold: success,
            failure_threshold: failure,
        },
    )
}

/// Requests aimed at the newer rules: a minimum above 1 with the maximum left out, public ports
/// with or without external ports and public paths, named ports, every probe type, storage.
fn qovery_rich() -> impl Strategy<Value = ContainerRequest> {
    let port = (
        78i64..84,
        prop::option::of(prop_oneof![Just(443i64), 0i64..3, 65534i64..65540]),
        any::<bool>(),
        prop::option::of(prop_oneof![Just("p".to_string()), Just("q".to_string())]),
        prop::option::of(a_path()),
        prop_oneof![
            Just(PortProtocol::Http),
            Just(PortProtocol::Tcp),
            Just(PortProtocol::Grpc)
        ],
    )
        .prop_map(
            |(internal_port, external_port, public, name, public_path, protocol)| ServicePort {
                id: None,
                name,
                internal_port,
                external_port,
                publicly_accessible: public,
                is_default: None,
                protocol: Some(protocol),
                public_path,
                public_path_rewrite: None,
            },
        );
    let storage = (
        prop_oneof![Just(10i64), 0i64..5, 16_380i64..16_390],
        a_path(),
    )
        .prop_map(|(size, mount_point)| Storage {
            id: None,
            kind: StorageType::FastSsd,
            size,
            mount_point,
        });
    (
        (prop::option::of(0i64..5), prop::option::of(-2i64..5)),
        prop::collection::vec(port, 0..4),
        (prop::option::of(a_probe()), prop::option::of(a_probe())),
        prop::collection::vec(storage, 0..4),
        (
            prop_oneof![Just("nginx".to_string()), Just("ng inx".to_string())],
            prop_oneof![Just("1.25".to_string()), Just("1 .25".to_string())],
            prop::option::of(prop_oneof![
                Just("app://qovery-console/container".to_string()),
                Just("https://example.com/i.png".to_string()),
                Just("not a uri".to_string()),
                Just("://x".to_string()),
            ]),
        ),
    )
        .prop_map(
            |((min, max), ports, (readiness, liveness), storage, (image, tag, icon))| {
                ContainerRequest {
                    name: "web".into(),
                    registry_id: "r".into(),
                    image_name: image,
                    tag,
                    min_running_instances: min,
                    max_running_instances: max,
                    ports: Some(ports),
                    healthchecks: Healthchecks {
                        readiness_probe: readiness,
                        liveness_probe: liveness,
                    },
                    storage: Some(storage),
                    icon_uri: icon,
                    ..ContainerRequest::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn accepted_requests_keep_every_newer_rule(req in qovery_rich()) {
        let errors = rules::qovery_container(&req, &Limits::default());
        for e in &errors {
            prop_assert!(!e.path.is_empty() && !e.message.is_empty(), "{e:?}");
        }
        if errors.is_empty() {
            let min = req.min_running_instances.unwrap_or(1);
            let max = req.max_running_instances.unwrap_or(1);
            prop_assert!(max == -1 || max >= min, "instances {min}..{max}");
            prop_assert!(!req.image_name.contains(' ') && !req.tag.contains(' '));
            if let Some(icon) = &req.icon_uri {
                prop_assert!(oracle(URI).is_match(icon), "{icon:?}");
            }
            let ports = req.ports.clone().unwrap_or_default();
            let mut names = std::collections::HashSet::new();
            for p in &ports {
                if let Some(e) = p.external_port {
                    prop_assert!((1..=65535).contains(&e));
                }
                if let Some(path) = &p.public_path {
                    prop_assert!(path.starts_with('/'));
                }
                if let Some(n) = &p.name {
                    prop_assert!(names.insert(n.clone()), "port name {n} twice");
                }
            }
            for (live, probe) in [(false, &req.healthchecks.readiness_probe), (true, &req.healthchecks.liveness_probe)] {
                let Some(probe) = probe else { continue };
                if let Some(http) = &probe.kind.http {
                    prop_assert!(http.scheme.as_deref().is_none_or(|s| s == "HTTP" || s == "HTTPS"));
                    prop_assert!(http.path.as_deref().is_none_or(|p| p.starts_with('/')));
                }
                if live {
                    prop_assert!(probe.success_threshold.is_none_or(|s| s == 1));
                }
                for v in [probe.initial_delay_seconds, probe.period_seconds, probe.timeout_seconds].into_iter().flatten() {
                    prop_assert!((0..=rules::MAX_PROBE_SECONDS).contains(&v));
                }
                for v in [probe.success_threshold, probe.failure_threshold].into_iter().flatten() {
                    prop_assert!((1..=rules::MAX_PROBE_THRESHOLD).contains(&v));
                }
            }
            let mut mounts = std::collections::HashSet::new();
            for s in req.storage.iter().flatten() {
                prop_assert!((rules::MIN_STORAGE_GB..=rules::MAX_STORAGE_GB).contains(&s.size));
                let m = rules::normal_path(&s.mount_point);
                prop_assert!(m.starts_with('/') && m != "/");
                prop_assert!(mounts.insert(m.to_string()), "{m} twice");
            }
        }
    }

    #[test]
    fn kopernik_rules_never_panic_and_name_fields(req in kopernik()) {
        let errors = rules::kopernik_create(&req, None);
        for e in &errors {
            prop_assert!(!e.path.is_empty() && !e.message.is_empty(), "{e:?}");
        }
        if errors.is_empty() {
            let m = &req.machine_configuration;
            prop_assert!(oracle(MACHINE_NAME).is_match(&m.name), "{:?}", m.name);
            prop_assert!(!req.container_image.id.trim().is_empty());
            for p in req.runtime_props.iter().flat_map(|r| r.ports.iter().flatten()) {
                prop_assert!((1..=65535).contains(&p.port));
            }
            for e in req.runtime_props.iter().flat_map(|r| r.env.iter().flatten()) {
                prop_assert!(oracle(ENV_NAME).is_match(&e.name), "{:?}", e.name);
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

/// Strings that look like base URLs, with the characters browsers drop or read specially mixed in
/// anywhere: tabs, newlines, other controls, spaces, `\\` and `/`.
fn base_url_like() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        Just(""),
        Just("/"),
        Just("//"),
        Just("/\\"),
        Just("http://"),
        Just("https://"),
        Just("https://api.example"),
        Just("api/"),
    ];
    let piece = prop_oneof![
        Just("\t"),
        Just("\n"),
        Just("\r"),
        Just(" "),
        Just("\u{0}"),
        Just("\u{1f}"),
        Just("\u{7f}"),
        Just("\u{85}"),
        Just("\u{a0}"),
        Just("\u{3000}"),
        Just("/"),
        Just("\\"),
        Just("."),
        Just(":"),
        Just("@"),
        Just("?"),
        Just("#"),
        Just("%2F"),
        Just("evil.example"),
        Just("api"),
    ];
    (start, prop::collection::vec(piece, 0..8))
        .prop_map(|(s, rest)| format!("{s}{}", rest.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// An accepted base URL has no control character or whitespace, which browsers would drop
    /// before reading it; a path-style one, resolved as the browser does (the `url` crate follows
    /// the same standard), stays on the page's origin, and so do the request URLs built on it.
    #[test]
    fn an_accepted_base_url_stays_where_it_says(base in base_url_like()) {
        let page = url::Url::parse("https://console.example/tools/").expect("page URL");
        match berth_api::http::base_url_problem(&base) {
            Some(problem) => {
                let odd = base.chars().position(|c| c.is_control() || c.is_whitespace());
                if let Some(i) = odd {
                    let at = format!("at position {}", i + 1);
                    prop_assert!(problem.contains(&at), "{base:?}: {problem}");
                }
            }
            None => {
                prop_assert!(!base.chars().any(|c| c.is_control() || c.is_whitespace()), "{base:?}");
                if base.starts_with('/') {
                    let target = berth_api::http::url(&base, &["organization", "a/b"], &[("q", Some("x"))]);
                    for u in [&base, &target] {
                        let resolved = page.join(u).expect("a path resolves");
                        prop_assert_eq!(resolved.origin(), page.origin(), "{:?} left the page", u);
                    }
                }
            }
        }
    }
}
