//! What a cluster runs, in Kubernetes' words: the pods of each running container, named as Qovery
//! names them, so the container log, the cluster's events and its metrics speak of the same pods.
//!
//! - namespace: `z<first 8 hex of the environment id>`
//! - container: `app-z<first 8 hex of the container id>`
//! - pod: `app-z<8 hex>-<10 hex replicaset hash>-<5 chars>`: the replicaset hash follows the
//!   container's run (a deploy or a restart starts a new one), the suffix the instance.
//!
//! A container's pods come from its stored run (kind `run`, see logs.rs): since when, until when
//! (a stop), how many instances, and, for the demo's diagnosis containers, a [`Behaviour`].

use serde_json::Value;

use crate::db::Tx;

/// A hash of `parts` that is the same on every run and every Rust release (FNV-1a, spread).
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    crate::ids::mix(h)
}

/// The first 8 hex digits of an id, without dashes, lower-case.
pub fn short_id(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The Kubernetes namespace of an environment.
pub fn namespace(env_id: &str) -> String {
    format!("z{}", short_id(env_id))
}

/// The Kubernetes container (and deployment) name of a Qovery container.
pub fn kube_container(container_id: &str) -> String {
    format!("app-z{}", short_id(container_id))
}

/// The pod of `instance` in the run `execution` of a container.
pub fn pod_name(container_id: &str, execution: &str, instance: i64) -> String {
    let rs = stable_hash(&[container_id, execution, "replicaset"]) & 0xff_ffff_ffff;
    // Kubernetes' alphabet for generated names: no vowels, no look-alikes.
    let alphabet = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = stable_hash(&[container_id, execution, &instance.to_string()]);
    let suffix: String = (0..5)
        .map(|_| {
            let c = alphabet[(x % alphabet.len() as u64) as usize] as char;
            x /= alphabet.len() as u64;
            c
        })
        .collect();
    format!("{}-{rs:010x}-{suffix}", kube_container(container_id))
}

/// What a demo container does wrong (the demo's diagnosis environment), kept in its run as
/// `behaviour`. A deploy or restart starts a healthy run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Healthy,
    /// Memory climbs to the limit and the container is OOM killed, every 12 minutes.
    OomKilled,
    /// Exits at once (a missing variable); Kubernetes backs off restarting it.
    CrashLoop,
    /// Listens on one port, its readiness probe checks another.
    ProbeFail,
    /// Asks for more memory than any node has: never scheduled.
    Unschedulable,
    /// Its image tag does not exist: never pulled.
    BadImage,
}

impl Behaviour {
    pub fn of_run(run: &Value) -> Behaviour {
        match run["behaviour"].as_str() {
            Some("oom") => Behaviour::OomKilled,
            Some("crash_loop") => Behaviour::CrashLoop,
            Some("probe_fail") => Behaviour::ProbeFail,
            Some("unschedulable") => Behaviour::Unschedulable,
            Some("bad_image") => Behaviour::BadImage,
            _ => Behaviour::Healthy,
        }
    }

    /// The value stored in a run.
    pub fn as_str(self) -> &'static str {
        match self {
            Behaviour::Healthy => "healthy",
            Behaviour::OomKilled => "oom",
            Behaviour::CrashLoop => "crash_loop",
            Behaviour::ProbeFail => "probe_fail",
            Behaviour::Unschedulable => "unschedulable",
            Behaviour::BadImage => "bad_image",
        }
    }

    /// Whether its process keeps running, so it has CPU and memory series.
    pub fn has_series(self) -> bool {
        matches!(
            self,
            Behaviour::Healthy | Behaviour::OomKilled | Behaviour::ProbeFail
        )
    }

    /// Whether its pods were placed on a node.
    pub fn scheduled(self) -> bool {
        self != Behaviour::Unschedulable
    }
}

/// One instance of a running container.
#[derive(Debug, Clone)]
pub struct Pod {
    pub name: String,
    pub uid: String,
    /// The node it runs on (`None` when never scheduled).
    pub node: Option<String>,
    pub ip: String,
    /// When it started and (after a stop) ended, unix seconds.
    pub start_s: i64,
    pub end_s: Option<i64>,
}

/// A container with a run on a cluster: what events and metrics are made of.
#[derive(Debug, Clone)]
pub struct Workload {
    pub container_id: String,
    pub namespace: String,
    pub kube_container: String,
    /// The image reference its pods run, e.g. `docker.io/nginx:1.27`.
    pub image: String,
    /// Configured resources: millicores and MB (MiB: Qovery's 1024 MB = 1 GB).
    pub cpu_millicores: i64,
    pub memory_mb: i64,
    /// The container's `healthchecks.readiness_probe` (null when none).
    pub readiness: Value,
    pub behaviour: Behaviour,
    pub pods: Vec<Pod>,
}

/// The three nodes of a cluster (ASSUMED: every sandbox cluster has three).
pub fn nodes(cluster: &Value) -> Vec<String> {
    let id = cluster["id"].as_str().unwrap_or_default();
    let region = cluster["region"].as_str().unwrap_or("eu-west-3");
    (0..3u64)
        .map(|i| {
            let h = stable_hash(&[id, "node", &i.to_string()]);
            format!(
                "ip-10-0-{}-{}.{region}.compute.internal",
                // One subnet per availability zone: the three never share a name.
                16 * i + (h >> 8) % 16,
                (h >> 16) % 250 + 2
            )
        })
        .collect()
}

/// The workloads of every container with a run in the environments on `cluster`.
pub fn cluster_workloads(t: &Tx<'_>, cluster: &Value) -> Result<Vec<Workload>, String> {
    let cluster_id = cluster["id"].as_str().unwrap_or_default();
    let nodes = nodes(cluster);
    let mut out = Vec::new();
    for env in t.all("env", None)? {
        if env["cluster_id"].as_str() != Some(cluster_id) {
            continue;
        }
        let env_id = env["id"].as_str().unwrap_or_default();
        for c in t.all("container", Some(env_id))? {
            let cid = c["id"].as_str().unwrap_or_default();
            if let Some(run) = t.get("run", cid)? {
                out.push(workload(&c, env_id, &run, &nodes));
            }
        }
    }
    Ok(out)
}

/// The workload of container `c` (in `env_id`) running `run`.
pub fn workload(c: &Value, env_id: &str, run: &Value, nodes: &[String]) -> Workload {
    let cid = c["id"].as_str().unwrap_or_default();
    let behaviour = Behaviour::of_run(run);
    let host = c["registry"]["url"]
        .as_str()
        .map(|u| {
            u.trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
        })
        .filter(|h| !h.is_empty())
        .unwrap_or("docker.io");
    let image = format!(
        "{host}/{}:{}",
        run["image"]
            .as_str()
            .or(c["image_name"].as_str())
            .unwrap_or("app"),
        run["version"]
            .as_str()
            .or(c["tag"].as_str())
            .unwrap_or("latest")
    );
    let execution = run["execution_id"].as_str().unwrap_or_default();
    let instances = run["instances"].as_i64().unwrap_or(1).clamp(1, 10);
    let start_s = run["since_ms"]
        .as_i64()
        .unwrap_or_default()
        .div_euclid(1000);
    let end_s = run["until_ms"].as_i64().map(|u| u.div_euclid(1000));
    let pods = (0..instances)
        .map(|i| {
            let name = pod_name(cid, execution, i);
            let h = stable_hash(&[&name, "placement"]);
            let a = stable_hash(&[cid, execution, &i.to_string(), "uid"]);
            Pod {
                uid: crate::ids::uuid_from(a, crate::ids::mix(a)),
                node: (behaviour.scheduled() && !nodes.is_empty())
                    .then(|| nodes[(h % nodes.len() as u64) as usize].clone()),
                ip: format!("10.0.{}.{}", (h >> 8) % 32, (h >> 16) % 250 + 2),
                name,
                start_s,
                end_s,
            }
        })
        .collect();
    Workload {
        container_id: cid.to_string(),
        namespace: namespace(env_id),
        kube_container: kube_container(cid),
        image,
        cpu_millicores: c["cpu"].as_i64().unwrap_or(500).max(1),
        memory_mb: c["memory"].as_i64().unwrap_or(512).max(1),
        readiness: c["healthchecks"]["readiness_probe"].clone(),
        behaviour,
        pods,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_qovery() {
        let cid = "3f2a9c1e-77aa-4b1c-9d2e-0123456789ab";
        assert_eq!(
            namespace("AB12cd34-0000-4000-8000-000000000000"),
            "zab12cd34"
        );
        assert_eq!(kube_container(cid), "app-z3f2a9c1e");
        let pod = pod_name(cid, "exec-1", 0);
        let parts: Vec<&str> = pod.split('-').collect();
        assert_eq!(parts.len(), 4, "{pod}");
        assert_eq!(&parts[..2], ["app", "z3f2a9c1e"]);
        assert_eq!(parts[2].len(), 10);
        assert!(parts[2].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(parts[3].len(), 5);
        // Stable, one replicaset per run, one suffix per instance.
        assert_eq!(pod, pod_name(cid, "exec-1", 0));
        let other = pod_name(cid, "exec-1", 1);
        assert_eq!(other.split('-').nth(2), Some(parts[2]));
        assert_ne!(other, pod);
        assert_ne!(pod_name(cid, "exec-2", 0).split('-').nth(2), Some(parts[2]));
    }

    #[test]
    fn three_nodes_per_cluster() {
        let n = nodes(&serde_json::json!({"id": "c1", "region": "eu-west-3"}));
        assert_eq!(n.len(), 3);
        assert!(n.iter().all(|x| x.ends_with(".eu-west-3.compute.internal")));
        let unique: std::collections::HashSet<&String> = n.iter().collect();
        assert_eq!(unique.len(), 3);
    }
}
