//! Kubernetes names of what Qovery runs, so the container log, the cluster's events and its
//! metrics speak of the same pods:
//!
//! - container: `app-z<first 8 hex of the container id>`
//! - pod: `app-z<8 hex>-<10 hex replicaset hash>-<5 chars>`: the replicaset hash follows the
//!   container's run (a deploy or a restart starts a new one), the suffix the instance.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_qovery() {
        let cid = "3f2a9c1e-77aa-4b1c-9d2e-0123456789ab";
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
}
