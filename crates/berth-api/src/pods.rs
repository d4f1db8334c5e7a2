//! How Qovery names a container's Kubernetes objects, and telling which container an event's
//! object belongs to.
//!
//! Qovery names a container's Deployment, and the container inside its pods, `app-z` followed by
//! the first 8 hex digits of the service id (dashes removed); a pod is then
//! `app-z<8 hex>-<ReplicaSet hash>-<5 chars>` (the spec's own example: the log of service
//! `4aa76065-68b3-…` comes from pod `app-z4aa76065-57d84cbbdb-xcg8v`), a StatefulSet's pod
//! `app-z<8 hex>-<ordinal>`.

const PREFIX: &str = "app-z";

/// The container's Kubernetes name: `app-z1a2b3c4d` for service `1a2b3c4d-…` (lower case, dashes
/// ignored). The PromQL `container` label and the prefix of its pods' names.
pub fn k8s_name(container_id: &str) -> String {
    let short: String = container_id
        .chars()
        .filter(|c| *c != '-')
        .take(8)
        .flat_map(char::to_lowercase)
        .collect();
    format!("{PREFIX}{short}")
}

/// The `app-z<8 hex>` part of an object name that has it (`app-z1a2b3c4d-6f7d9c8b5-x2k9p`,
/// `app-z1a2b3c4d-6f7d9c8b5`, `app-z1a2b3c4d`), `None` for any other name.
pub fn container_key(name: &str) -> Option<&str> {
    let short = name.strip_prefix(PREFIX)?;
    let hex = short.get(..8)?;
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    match short.as_bytes().get(8) {
        None | Some(b'-') => name.get(..PREFIX.len() + 8),
        Some(_) => None,
    }
}

/// Whether the object `name` (a pod, its ReplicaSet or Deployment) is the container
/// `container_id`'s. `app-z1a2b3c4de-…` (a 9-digit lookalike) is not `1a2b3c4d-…`'s, and an id
/// with fewer than 8 hex digits owns nothing.
pub fn belongs_to(name: &str, container_id: &str) -> bool {
    let own = k8s_name(container_id);
    own.len() == PREFIX.len() + 8 && container_key(name) == Some(own.as_str())
}

/// Whether `name` has the shape of one of a Qovery container's pods (not of its ReplicaSet or
/// Deployment): `app-z<8 hex>-<hash>-<suffix>`, or `app-z<8 hex>-<ordinal>`.
pub fn is_pod_name(name: &str) -> bool {
    let Some(key) = container_key(name) else {
        return false;
    };
    let Some(rest) = name[key.len()..].strip_prefix('-') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    match parts.as_slice() {
        [hash, suffix] => !hash.is_empty() && !suffix.is_empty(),
        [ordinal] => !ordinal.is_empty() && ordinal.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    #[test]
    fn the_name_is_app_z_and_eight_hex_digits() {
        assert_eq!(k8s_name(ID), "app-z1a2b3c4d");
        assert_eq!(
            k8s_name("4AA76065-68B3-41EF-AA1D-46BE67012BEF"),
            "app-z4aa76065"
        );
        // Dashes are skipped, not counted.
        assert_eq!(k8s_name("1a2b-3c4d-5e6f"), "app-z1a2b3c4d");
    }

    #[test]
    fn pods_and_owners_belong_lookalikes_do_not() {
        for name in [
            "app-z1a2b3c4d-6f7d9c8b5-x2k9p",
            "app-z1a2b3c4d-6f7d9c8b5",
            "app-z1a2b3c4d",
            "app-z1a2b3c4d-0",
        ] {
            assert!(belongs_to(name, ID), "{name}");
        }
        for name in [
            "app-z1a2b3c4de-6f7d9c8b5-x2k9p", // nine digits: another service
            "app-z1a2b3c4-6f7d9c8b5-x2k9p",   // seven
            "app-z1a2b3c4e-6f7d9c8b5-x2k9p",  // one digit off
            "xapp-z1a2b3c4d-6f7d9c8b5-x2k9p",
            "app-1a2b3c4d-6f7d9c8b5-x2k9p",
            "app-z1a2b3c4d_6f7d9c8b5",
            "",
        ] {
            assert!(!belongs_to(name, ID), "{name}");
        }
        assert!(
            belongs_to("app-z1a2b3c4d-6f7d9c8b5-x2k9p", "1A2B3C4D-5E6F"),
            "upper-case ids"
        );
        // An id too short to name anything owns nothing, not every `app-z1a2…` pod.
        assert!(!belongs_to("app-z1a2-6f7d9c8b5-x2k9p", "1a2"));
        assert!(!belongs_to("app-z1a2b3c4d-6f7d9c8b5-x2k9p", "1a2b"));
    }

    #[test]
    fn pod_names_are_told_from_their_owners() {
        assert!(is_pod_name("app-z1a2b3c4d-6f7d9c8b5-x2k9p"));
        assert!(is_pod_name("app-z1a2b3c4d-0"));
        assert!(!is_pod_name("app-z1a2b3c4d-6f7d9c8b5"));
        assert!(!is_pod_name("app-z1a2b3c4d"));
        assert!(!is_pod_name("app-z1a2b3c4d-a-b-c"));
        assert!(!is_pod_name("app-z1a2b3c4d--x2k9p"));
        assert!(!is_pod_name("nginx-6f7d9c8b5-x2k9p"));
        assert_eq!(container_key("app-zdeadbeef-1-x"), Some("app-zdeadbeef"));
        assert_eq!(
            container_key("app-zDEADBEEF-1-x"),
            None,
            "Kubernetes names are lower case"
        );
        assert_eq!(container_key("app-zdeadbee"), None);
    }
}
