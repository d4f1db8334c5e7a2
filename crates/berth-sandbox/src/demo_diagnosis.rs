//! `--demo-diagnosis`: the environment Acme Corp / Storefront / `diagnosis`, on the
//! organization's cluster with metrics, holding one container per kind of trouble a console
//! should help diagnose. Each has been at it for a day (and 150 s); its events (events.rs), metrics
//! (series.rs) and log (logs.rs) follow from its run's `behaviour` (pods.rs):
//!
//! | container | image | what it does |
//! |---|---|---|
//! | `oom-worker` | acme/api:2.3.1, 512 MB | memory climbs to 512 MiB and the container is OOM killed every 12 minutes (`OOMKilled`, count = restarts); DEPLOYED |
//! | `crash-loop` | acme/api:2.3.1 | exits at once (`Error: missing required env DATABASE_URL` ends its log); `BackOff` every 5 minutes; DEPLOYMENT_ERROR, no series |
//! | `probe-fail` | acme/api:2.3.1 on 8080 | its readiness probe GETs `/health` on port 80: `Unhealthy`; its process runs (series); DEPLOYMENT_ERROR |
//! | `unschedulable` | postgres:17, 12288 MB | more memory than a node (8 GiB) has: `FailedScheduling`; never ran, no series, no log; DEPLOYMENT_ERROR |
//! | `bad-image` | nginx:v9.9.9 | the tag does not exist: `Failed` (ErrImagePull), `BackOff` (ImagePullBackOff); no series, no log; DEPLOYMENT_ERROR |
//!
//! Added once per data folder (a marker remembers it), so a restart keeps what was changed. A
//! deploy or restart of one of them starts a healthy run: the sandbox does not know what was
//! wrong.

use serde_json::{json, Value};

use crate::db::Db;
use crate::demo::LogDemo;
use crate::ids::{now_rfc3339, uuid};
use crate::pods::Behaviour;

/// How long ago the diagnosis containers started: a day of history to look at, and 150 s more,
/// so their periodic troubles (every 5, 12, 20 minutes) are not all due the moment it is seeded.
pub const AGE_MS: i64 = 86_400_000 + 150_000;

struct Spec {
    name: &'static str,
    registry: &'static str,
    image: &'static str,
    tag: &'static str,
    cpu: i64,
    memory: i64,
    port: (i64, &'static str),
    readiness: Value,
    behaviour: Behaviour,
}

fn specs() -> Vec<Spec> {
    let tcp = |port: i64| {
        json!({"type": {"tcp": {"port": port}}, "initial_delay_seconds": 30, "period_seconds": 10,
               "timeout_seconds": 1, "success_threshold": 1, "failure_threshold": 3})
    };
    vec![
        Spec {
            name: "oom-worker",
            registry: "GITHUB_CR",
            image: "acme/api",
            tag: "2.3.1",
            cpu: 500,
            memory: 512,
            port: (8080, "HTTP"),
            readiness: tcp(8080),
            behaviour: Behaviour::OomKilled,
        },
        Spec {
            name: "crash-loop",
            registry: "GITHUB_CR",
            image: "acme/api",
            tag: "2.3.1",
            cpu: 250,
            memory: 256,
            port: (8080, "HTTP"),
            readiness: tcp(8080),
            behaviour: Behaviour::CrashLoop,
        },
        Spec {
            name: "probe-fail",
            registry: "GITHUB_CR",
            image: "acme/api",
            tag: "2.3.1",
            cpu: 250,
            memory: 256,
            port: (8080, "HTTP"),
            // The mistake: the probe checks port 80, the container listens on 8080.
            readiness: json!({"type": {"http": {"path": "/health", "scheme": "HTTP", "port": 80}},
                "initial_delay_seconds": 30, "period_seconds": 10, "timeout_seconds": 1,
                "success_threshold": 1, "failure_threshold": 3}),
            behaviour: Behaviour::ProbeFail,
        },
        Spec {
            name: "unschedulable",
            registry: "DOCKER_HUB",
            image: "postgres",
            tag: "17",
            cpu: 500,
            // 12 GiB: the cluster's nodes have 8 GiB each (clusters.rs).
            memory: 12_288,
            port: (5432, "TCP"),
            readiness: tcp(5432),
            behaviour: Behaviour::Unschedulable,
        },
        Spec {
            name: "bad-image",
            registry: "DOCKER_HUB",
            image: "nginx",
            tag: "v9.9.9",
            cpu: 250,
            memory: 256,
            port: (80, "HTTP"),
            readiness: tcp(80),
            behaviour: Behaviour::BadImage,
        },
    ]
}

const MARKER: &str = "diagnosis";

/// Adds the diagnosis environment to Acme Corp / Storefront, once per data folder.
pub fn seed(db: &Db, log: LogDemo) -> Result<(), String> {
    if db.get("demo_marker", MARKER)?.is_some() {
        return Ok(());
    }
    let Some(org) = db
        .all("org", None)?
        .into_iter()
        .find(|o| o["name"] == "Acme Corp")
    else {
        return Ok(());
    };
    let org_id = org["id"].as_str().unwrap_or_default().to_string();
    let Some(project) = db
        .all("project", Some(&org_id))?
        .into_iter()
        .find(|p| p["name"] == "Storefront")
    else {
        return Ok(());
    };
    let project_id = project["id"].as_str().unwrap_or_default().to_string();
    let Some(cluster) = db
        .all("cluster", Some(&org_id))?
        .into_iter()
        .find(crate::clusters::metrics_enabled)
    else {
        return Ok(());
    };
    let registries = db.all("registry", Some(&org_id))?;
    let now = now_rfc3339();
    let env = uuid();
    let mut env_doc = json!({
        "id": env, "name": "diagnosis", "mode": "DEVELOPMENT", "organization": {"id": org_id},
        "project": {"id": project_id}, "created_at": now,
        "maximum_cpu": 8000, "maximum_memory": 16384, "maximum_gpu": 2});
    crate::clusters::place_env(&mut env_doc, &cluster);
    db.put("env", &env, &project_id, &env_doc)?;
    crate::variables::seed_inherited(db, &project_id, &env, "diagnosis")?;
    let environment: berth_api::qovery::Environment =
        serde_json::from_value(env_doc).map_err(|e| e.to_string())?;
    let since = crate::engine::now_ms() - AGE_MS;
    for spec in specs() {
        let registry = registries
            .iter()
            .find(|r| r["kind"] == spec.registry)
            .cloned()
            .unwrap_or(Value::Null);
        let req: berth_api::qovery::ContainerRequest = serde_json::from_value(json!({
            "name": spec.name, "registry_id": registry["id"], "image_name": spec.image,
            "tag": spec.tag, "cpu": spec.cpu, "memory": spec.memory,
            "min_running_instances": 1, "max_running_instances": 1,
            "ports": [{"internal_port": spec.port.0, "publicly_accessible": false,
                       "protocol": spec.port.1, "name": format!("p{}", spec.port.0), "is_default": true}],
            "healthchecks": {"readiness_probe": spec.readiness},
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
        db.put(
            "run",
            &id,
            &env,
            &json!({
                "since_ms": since, "until_ms": null, "max_lines": log.lines,
                "tick_ms": log.tick_ms(1), "execution_id": uuid(), "name": spec.name,
                "image": spec.image, "version": spec.tag, "instances": 1, "port": spec.port.0,
                "behaviour": spec.behaviour.as_str()}),
        )?;
        let running = spec.behaviour == Behaviour::OomKilled;
        let state = if running {
            "DEPLOYED"
        } else {
            "DEPLOYMENT_ERROR"
        };
        db.put("status", &id, &env, &json!({
            "id": id, "state": state, "service_deployment_status": "UP_TO_DATE",
            "status_details": {"action": "DEPLOY", "status": if running { "SUCCESS" } else { "ERROR" }, "sub_action": "NONE"},
            "last_deployment_date": now, "is_part_last_deployment": true,
            "deployment_requests_count": 0, "deployment_request_id": null}))?;
    }
    db.put("demo_marker", MARKER, "", &json!({"seeded_at": now}))
}
