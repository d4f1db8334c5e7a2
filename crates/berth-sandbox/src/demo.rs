//! Demo data for `--demo`: seeded once into an empty database, so a restart keeps user changes.

use serde_json::{json, Value};

use crate::db::Db;
use crate::ids::{now_rfc3339, now_secs, uuid};

/// The output of the running demo containers (`--demo-log-lines`, `--demo-log-rate`).
#[derive(Debug, Clone, Copy)]
pub struct LogDemo {
    /// The lines each keeps and answers.
    pub lines: usize,
    /// The lines a second each writes, its instances together.
    pub rate: u32,
}

impl LogDemo {
    /// The time between two lines of one of `instances` instances.
    pub fn tick_ms(self, instances: i64) -> i64 {
        (instances * 1000 / i64::from(self.rate.max(1))).clamp(1, crate::logs::TICK_MS)
    }
}

/// Each running demo container runs two instances.
const INSTANCES: i64 = 2;

/// Seeds an empty database; `extra_aws_apps` generated container apps are added on aws. Every
/// organization gets its clusters (also in a folder seeded before they existed), and with
/// `diagnosis` the diagnosis environment is added once (demo_diagnosis.rs).
pub fn seed(db: &Db, extra_aws_apps: usize, log: LogDemo, diagnosis: bool) -> Result<(), String> {
    if db.is_empty()? {
        seed_qovery(db, log)?;
        seed_kopernik(db, extra_aws_apps)?;
    }
    crate::clusters::ensure(db)?;
    if diagnosis {
        crate::demo_diagnosis::seed(db, log)?;
    }
    Ok(())
}

fn seed_qovery(db: &Db, log: LogDemo) -> Result<(), String> {
    let orgs = [
        (
            "Acme Corp",
            &[
                ("Storefront", &["production", "staging"][..]),
                ("Data platform", &["development"][..]),
            ][..],
        ),
        ("Globex", &[("Internal tools", &["production"][..])][..]),
    ];
    let now = now_rfc3339();
    for (org_name, projects) in orgs {
        let org = uuid();
        db.put(
            "org",
            &org,
            "",
            &json!({"id": org, "name": org_name, "plan": "TEAM_2025", "created_at": now}),
        )?;
        // With metrics first (production and staging run there), then without (development).
        let clusters = crate::clusters::demo_clusters(&org);
        for c in &clusters {
            db.put("cluster", c["id"].as_str().unwrap_or_default(), &org, c)?;
        }
        for (name, labels) in [
            (
                "team",
                &[("team", "platform", false), ("cost-center", "cc-42", true)][..],
            ),
            ("compliance", &[("data-class", "internal", true)][..]),
        ] {
            let g = uuid();
            let labels: Vec<Value> = labels
                .iter()
                .map(|(k, v, p)| json!({"key": k, "value": v, "propagate_to_cloud_provider": p}))
                .collect();
            db.put(
                "labels_group",
                &g,
                &org,
                &json!({
                "id": g, "created_at": now, "updated_at": now, "name": name, "labels": labels,
                "associated_items_count": 0, "organization_id": org}),
            )?;
        }
        for (name, annotations, scopes) in [
            (
                "prometheus",
                &[
                    ("prometheus.io/scrape", "true"),
                    ("prometheus.io/port", "9090"),
                ][..],
                &["PODS", "SERVICES"][..],
            ),
            (
                "ingress-timeouts",
                &[("nginx.ingress.kubernetes.io/proxy-read-timeout", "120")][..],
                &["INGRESS"][..],
            ),
        ] {
            let g = uuid();
            let annotations: Vec<Value> = annotations
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect();
            db.put(
                "annotations_group",
                &g,
                &org,
                &json!({
                "id": g, "created_at": now, "updated_at": now, "name": name,
                "annotations": annotations, "scopes": scopes, "associated_items_count": 0,
                "organization_id": org}),
            )?;
        }
        let hub = uuid();
        db.put(
            "registry",
            &hub,
            &org,
            &json!({
            "id": hub, "name": "Docker Hub", "kind": "DOCKER_HUB", "url": "https://docker.io",
            "description": "Public images", "organization_id": org, "created_at": now}),
        )?;
        let ghcr = uuid();
        db.put(
            "registry",
            &ghcr,
            &org,
            &json!({
            "id": ghcr, "name": "GitHub packages", "kind": "GITHUB_CR", "url": "https://ghcr.io",
            "organization_id": org, "created_at": now}),
        )?;
        for (image, tags) in [
            ("nginx", &["1.27", "1.27-alpine", "1.25", "latest"][..]),
            ("redis", &["7.4", "7.2", "latest"][..]),
            ("postgres", &["17", "16", "15"][..]),
            ("traefik/whoami", &["v1.10", "latest"][..]),
        ] {
            db.put(
                "image",
                &format!("{hub}/{image}"),
                &hub,
                &json!({"image_name": image, "versions": tags}),
            )?;
        }
        db.put(
            "image",
            &format!("{ghcr}/acme/api"),
            &ghcr,
            &json!({"image_name": "acme/api", "versions": ["2.3.1", "2.3.0"]}),
        )?;
        for (project_name, envs) in projects {
            let project = uuid();
            db.put("project", &project, &org, &json!({
                "id": project, "name": project_name, "organization": {"id": org}, "created_at": now}))?;
            for env_name in envs.iter() {
                let env = uuid();
                let mode = match *env_name {
                    "production" => "PRODUCTION",
                    "staging" => "STAGING",
                    _ => "DEVELOPMENT",
                };
                let mut env_doc = json!({
                    "id": env, "name": env_name, "mode": mode, "organization": {"id": org},
                    "project": {"id": project}, "created_at": now,
                    "maximum_cpu": 8000, "maximum_memory": 16384, "maximum_gpu": 2});
                let cluster = if mode == "DEVELOPMENT" {
                    &clusters[1]
                } else {
                    &clusters[0]
                };
                crate::clusters::place_env(&mut env_doc, cluster);
                db.put("env", &env, &project, &env_doc)?;
                let environment: berth_api::qovery::Environment =
                    serde_json::from_value(env_doc).map_err(|e| e.to_string())?;
                let registry = db.get("registry", &hub)?.unwrap_or(Value::Null);
                crate::variables::seed_inherited(db, &project, &env, env_name)?;
                for (name, image, tag, state) in [
                    ("web", "nginx", "1.27", "DEPLOYED"),
                    ("cache", "redis", "7.4", "STOPPED"),
                    ("whoami", "traefik/whoami", "v1.10", "READY"),
                    ("worker", "redis", "7.2", "DEPLOYMENT_ERROR"),
                ] {
                    let req: berth_api::qovery::ContainerRequest = serde_json::from_value(json!({
                        "name": name, "registry_id": hub, "image_name": image, "tag": tag,
                        "cpu": 500, "memory": 512,
                        "ports": [{"internal_port": 80, "external_port": 443, "publicly_accessible": name == "web", "protocol": "HTTP", "name": "p80", "is_default": true}],
                        "healthchecks": {"readiness_probe": {"type": {"tcp": {"port": 80}}, "initial_delay_seconds": 30, "period_seconds": 10, "timeout_seconds": 1, "success_threshold": 1, "failure_threshold": 3}}
                    }))
                    .map_err(|e| e.to_string())?;
                    let id = uuid();
                    let c = crate::qovery::build_response(
                        &id,
                        &environment,
                        &req,
                        &registry,
                        &crate::qovery::Groups::default(),
                    );
                    db.put(
                        "container",
                        &id,
                        &env,
                        &serde_json::to_value(&c).map_err(|e| e.to_string())?,
                    )?;
                    let stored = serde_json::to_value(&c).map_err(|e| e.to_string())?;
                    if state == "DEPLOYED" {
                        // Running for ten minutes (longer when asked for more output): its
                        // output has lines already.
                        let tick = log.tick_ms(INSTANCES);
                        let ticks = (log.lines as i64 / INSTANCES + 1).max(600_000 / tick);
                        db.put(
                            "run",
                            &id,
                            &env,
                            &json!({
                            "since_ms": crate::engine::now_ms() - ticks * tick, "until_ms": null,
                            "max_lines": log.lines, "tick_ms": tick,
                            "execution_id": uuid(), "name": name, "image": image, "version": tag,
                            "instances": INSTANCES, "port": 80}),
                        )?;
                    }
                    if name == "web" {
                        let slug = org_name.to_lowercase().replace(' ', "-");
                        let domain = berth_api::links::CustomDomainRequest {
                            domain: format!("{env_name}.{slug}.example"),
                            generate_certificate: true,
                            use_cdn: None,
                        };
                        let doc = crate::links::custom_domain_doc(&stored, &domain);
                        db.put(
                            "custom_domain",
                            doc["id"].as_str().unwrap_or_default(),
                            &id,
                            &doc,
                        )?;
                    }
                    let deployed = state != "READY";
                    let outcome = match state {
                        "READY" => "NEVER",
                        "DEPLOYMENT_ERROR" => "ERROR",
                        _ => "SUCCESS",
                    };
                    db.put("status", &id, &env, &json!({
                        "id": id, "state": state,
                        "service_deployment_status": if deployed { "UP_TO_DATE" } else { "NEVER_DEPLOYED" },
                        "status_details": {"action": if state == "STOPPED" { "STOP" } else { "DEPLOY" }, "status": outcome, "sub_action": "NONE"},
                        "last_deployment_date": if deployed { Value::String(now.clone()) } else { Value::Null },
                        "is_part_last_deployment": deployed, "deployment_requests_count": 0, "deployment_request_id": null}))?;
                }
            }
        }
    }
    Ok(())
}

/// A provider: its id, regions (uid, name, country, available) and machine types
/// (uid, name, cpus, memory MB, disk GB).
type Provider = (
    &'static str,
    &'static [(&'static str, &'static str, &'static str, bool)],
    &'static [(&'static str, &'static str, f64, i64, i64)],
);

fn seed_kopernik(db: &Db, extra_aws_apps: usize) -> Result<(), String> {
    let providers: [Provider; 3] = [
        (
            "akamai",
            &[
                ("us-east", "Newark, NJ", "US", true),
                ("eu-central", "Frankfurt", "DE", true),
                ("ap-south", "Singapore", "SG", false),
            ],
            &[
                ("g6-nanode-1", "Nanode 1 GB", 1.0, 1024, 25),
                ("g6-standard-2", "Linode 4 GB", 2.0, 4096, 80),
            ],
        ),
        (
            "aws",
            &[
                ("us-east-1", "US East (N. Virginia)", "US", true),
                ("eu-west-3", "Europe (Paris)", "FR", true),
                ("me-central-1", "Middle East (UAE)", "AE", false),
            ],
            &[
                ("t3.micro", "t3.micro", 2.0, 1024, 8),
                ("t3.medium", "t3.medium", 2.0, 4096, 8),
                ("m6i.large", "m6i.large", 2.0, 8192, 8),
            ],
        ),
        (
            "digitalocean",
            &[
                ("nyc1", "New York 1", "US", true),
                ("ams3", "Amsterdam 3", "NL", true),
                ("blr1", "Bangalore 1", "IN", false),
            ],
            &[
                ("s-1vcpu-1gb", "Basic 1 GB", 1.0, 1024, 25),
                ("s-2vcpu-4gb", "Basic 4 GB", 2.0, 4096, 80),
            ],
        ),
    ];
    for (p, regions, types) in providers {
        for (uid, name, country, available) in regions {
            db.put("region", &format!("{p}/{uid}"), p, &json!({
                "type": "region", "providerUid": p, "uid": uid, "name": name, "country": country,
                "capabilities": {"available": available, "supportedServices": ["machine", "containerapp"]}}))?;
        }
        for (uid, name, cpus, mem, disk) in types {
            db.put(
                "machinetype",
                &format!("{p}/{uid}"),
                p,
                &json!({
                "type": "machinetype", "providerUid": p, "uid": uid, "name": name, "cpus": cpus,
                "memoryMb": mem, "diskGb": disk}),
            )?;
        }
        let apps: Vec<(String, String, Value)> = (0..DEMO_APPS_PER_PROVIDER)
            .map(|i| demo_app(p, regions[i % 2].0, types[i % types.len()].0, i))
            .collect();
        db.put_many("app", &apps)?;
        if p == "aws" && extra_aws_apps > 0 {
            let generated: Vec<(String, String, Value)> = (0..extra_aws_apps)
                .map(|i| {
                    demo_app(
                        p,
                        regions[i % 2].0,
                        types[i % types.len()].0,
                        DEMO_APPS_PER_PROVIDER + i,
                    )
                })
                .collect();
            db.put_many("app", &generated)?;
        }
    }
    let templates = [
        json!({"id": "mysql", "name": "MySQL", "description": "MySQL 8.4 with its data on a volume",
            "containerImage": {"id": "mysql:8.4"},
            "env": [
                {"envVar": "MYSQL_ROOT_PASSWORD", "label": "Root password", "constant": false, "secret": true, "required": true},
                {"envVar": "MYSQL_DATABASE", "label": "Database name", "constant": false, "secret": false, "required": false, "default": "app"},
                {"envVar": "MYSQL_ROOT_HOST", "label": "Root host", "constant": true, "secret": false, "required": false, "default": "%"}],
            "ports": [{"port": 3306, "name": "mysql", "protocol": "tcp"}],
            "volumeMountTargets": ["/var/lib/mysql"]}),
        json!({"id": "nginx", "name": "Nginx", "description": "A static web server",
            "containerImage": {"id": "nginx:1.27"}, "env": [],
            "ports": [{"port": 80, "name": "http", "protocol": "tcp"}], "volumeMountTargets": []}),
        json!({"id": "redis", "name": "Redis", "description": "Redis 7 as a cache, no persistence",
            "containerImage": {"id": "redis:7.4"}, "env": [
                {"envVar": "REDIS_ARGS", "label": "Extra arguments", "constant": false, "secret": false, "required": false, "default": "--maxmemory 256mb"}],
            "ports": [{"port": 6379, "name": "redis", "protocol": "tcp"}], "volumeMountTargets": []}),
        json!({"id": "postgres", "name": "PostgreSQL", "description": "PostgreSQL 17 with data and WAL volumes",
            "containerImage": {"id": "postgres:17"},
            "env": [
                {"envVar": "POSTGRES_PASSWORD", "label": "Superuser password", "constant": false, "secret": true, "required": true},
                {"envVar": "POSTGRES_USER", "label": "Superuser name", "constant": false, "secret": false, "required": true, "default": "postgres"}],
            "ports": [{"port": 5432, "name": "postgres", "protocol": "tcp"}],
            "volumeMountTargets": ["/var/lib/postgresql/data", "/var/lib/postgresql/wal"]}),
    ];
    for t in templates {
        let id = t["id"].as_str().unwrap_or_default().to_string();
        db.put("template", &id, "", &t)?;
    }
    Ok(())
}

const DEMO_APPS_PER_PROVIDER: usize = 5;

/// The i-th demo container app of a provider: stable names and ids, varied images and states.
fn demo_app(p: &str, region: &str, mtype: &str, i: usize) -> (String, String, Value) {
    const IMAGES: [&str; 5] = [
        "nginx:1.27",
        "redis:7.4",
        "ghcr.io/acme/api:2.3.1",
        "traefik/whoami:v1.10",
        "postgres:17",
    ];
    const STATUSES: [&str; 5] = ["active", "active", "active", "off", "active"];
    let account = "123456";
    let uid = format!("{}", 40_000_000 + i * 7919);
    let image = IMAGES[i % IMAGES.len()];
    // "ghcr.io/acme/api:2.3.1" -> "api-3"
    let repo = image.split(':').next().unwrap_or(image);
    let short = repo.rsplit('/').next().unwrap_or(repo);
    let name = format!("{short}-{}", i + 1);
    let status = STATUSES[i % STATUSES.len()];
    let app = json!({
        "type": "containerapp", "providerUid": p, "regionUid": region, "accountUid": account,
        "uid": uid, "grid": format!("grid:{p}:containerapp:{region}:{account}:{uid}"),
        "name": name, "status": status, "createdAt": now_secs() - (i as i64) * 3600,
        "machine": {"uid": format!("m-{uid}"), "name": name, "machineTypeUid": mtype, "regionUid": region,
            "status": status, "ipv4": [{"address": format!("203.0.{}.{}", 113 + i / 250 % 10, i % 250 + 1)}], "ipv6": []},
        "containerImage": {"id": image},
        "runtimeProps": {"ports": [{"port": 80, "protocol": "tcp"}], "restartPolicy": "always"}});
    (format!("{p}/{uid}"), p.to_string(), app)
}
