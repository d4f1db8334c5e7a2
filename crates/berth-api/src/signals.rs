//! What one Kubernetes event means for a container: the reasons and messages the kubelet and the
//! scheduler write, read into a few kinds the diagnosis and the list's markers reason about.

use crate::events::KubeEvent;

/// A container's health probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// "readiness", "liveness", "startup".
    pub fn word(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }

    /// Whether a failure gets the container restarted (liveness and startup) rather than only
    /// kept out of traffic (readiness).
    pub fn restarts(self) -> bool {
        !matches!(self, ProbeKind::Readiness)
    }
}

/// What an event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// `OOMKilled`: the container went over its memory limit and was killed.
    OutOfMemory,
    /// `BackOff` "Back-off restarting failed container": it keeps exiting, Kubernetes waits longer
    /// before each new start.
    CrashLoop,
    /// `Unhealthy` "Readiness probe failed: …", and the port it checked when the message says.
    ProbeFailed {
        probe: Option<ProbeKind>,
        port: Option<i64>,
    },
    /// `Killing` "Container app failed liveness probe, will be restarted".
    KilledByProbe { probe: ProbeKind },
    /// `FailedScheduling`: no node can take the pod ("Insufficient memory", "Insufficient cpu",
    /// or some other constraint when neither is said).
    Unschedulable { memory: bool, cpu: bool },
    /// `ErrImagePull`, `ImagePullBackOff`, `Failed` "Failed to pull image \"…\"", `BackOff`
    /// "Back-off pulling image \"…\"": the image named in quotes, when the message names it.
    ImagePull { image: Option<String> },
    /// `Scheduled`, `Pulling`, `Pulled`, `Created`: on its way to start.
    Starting,
    /// `Started`: the container (re)started.
    Started,
    /// `Killing` "Stopping container …" (a rollout or a stop, not a failure).
    Stopped,
    /// Any other warning.
    OtherWarning,
    /// Any other normal event.
    Other,
}

fn has(haystack: &str, needle: &str) -> bool {
    haystack.to_ascii_lowercase().contains(needle)
}

/// What `event` says (reasons compared without regard to case).
pub fn classify(event: &KubeEvent) -> Signal {
    let reason = event.reason().to_ascii_lowercase();
    let message = event.message();
    let pull = || Signal::ImagePull {
        image: quoted_image(message),
    };
    match reason.as_str() {
        "oomkilled" | "oomkilling" => Signal::OutOfMemory,
        "backoff" if has(message, "pulling image") => pull(),
        "backoff" => Signal::CrashLoop,
        "errimagepull" | "imagepullbackoff" | "errimageneverpull" | "invalidimagename" => pull(),
        "failed"
            if has(message, "pull image")
                || has(message, "errimagepull")
                || has(message, "imagepullbackoff") =>
        {
            pull()
        }
        "unhealthy" => Signal::ProbeFailed {
            probe: probe_of(message),
            port: port_in(message),
        },
        "killing" => match probe_of(message) {
            Some(probe) if has(message, "failed") => Signal::KilledByProbe { probe },
            _ => Signal::Stopped,
        },
        "failedscheduling" => Signal::Unschedulable {
            memory: has(message, "insufficient memory"),
            cpu: has(message, "insufficient cpu"),
        },
        "scheduled" | "pulling" | "pulled" | "created" => Signal::Starting,
        "started" => Signal::Started,
        _ if event.is_warning() => Signal::OtherWarning,
        _ => Signal::Other,
    }
}

/// The probe a kubelet message names: "Readiness probe failed: …", "Container app failed
/// liveness probe, will be restarted", "Startup probe errored: …".
pub fn probe_of(message: &str) -> Option<ProbeKind> {
    let m = message.to_ascii_lowercase();
    [
        ("readiness probe", ProbeKind::Readiness),
        ("liveness probe", ProbeKind::Liveness),
        ("startup probe", ProbeKind::Startup),
    ]
    .into_iter()
    .filter_map(|(words, kind)| m.find(words).map(|at| (at, kind)))
    .min_by_key(|(at, _)| *at)
    .map(|(_, kind)| kind)
}

/// The first `host:port` of a message (`Get "http://10.2.0.14:80/healthz"`, `dial tcp
/// 10.2.0.14:8080: connect`, `[fd00::1]:9000`): the digits after a `:` that follows a letter, a
/// digit or `]`; `None` when there is none (`statuscode: 503` has a space after its colon).
pub fn port_in(message: &str) -> Option<i64> {
    let b = message.as_bytes();
    (1..b.len()).find_map(|i| {
        if b[i] != b':' || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b']') {
            return None;
        }
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 5 {
            return None;
        }
        let port: i64 = message[i + 1..i + 1 + digits].parse().ok()?;
        (1..=65535).contains(&port).then_some(port)
    })
}

/// The image a pull message quotes: `Failed to pull image "registry/name:tag": …` →
/// `registry/name:tag` (the first quoted text after "image").
pub fn quoted_image(message: &str) -> Option<String> {
    let at = message.to_ascii_lowercase().find("image")?;
    let rest = &message[at..];
    let open = rest.find('"')?;
    let inner = &rest[open + 1..];
    let close = inner.find('"')?;
    let image = inner[..close].trim();
    (!image.is_empty()).then(|| image.to_string())
}

/// Why a probe failed, in words, from the end of its message: "nothing answers on port 8080",
/// "it answered 503", "it does not answer in time"; `None` when the message says nothing known.
pub fn probe_failure(message: &str, port: Option<i64>) -> Option<String> {
    let m = message.to_ascii_lowercase();
    if m.contains("connection refused") {
        return Some(match port {
            Some(p) => format!("nothing answers on port {p}"),
            None => "nothing answers on its port".to_string(),
        });
    }
    if let Some(at) = m.find("statuscode:") {
        let code: String = m[at + "statuscode:".len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !code.is_empty() {
            return Some(format!("it answered {code}"));
        }
    }
    if m.contains("deadline exceeded") || m.contains("timeout") || m.contains("timed out") {
        return Some("it does not answer in time".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(reason: &str, message: &str, warning: bool) -> KubeEvent {
        KubeEvent {
            reason: Some(reason.into()),
            message: Some(message.into()),
            event_type: Some(if warning {
                crate::events::EventType::Warning
            } else {
                crate::events::EventType::Normal
            }),
            ..KubeEvent::default()
        }
    }

    #[test]
    fn kubelet_and_scheduler_events_are_read() {
        let cases = [
            (event("OOMKilled", "Container app-z1a2b3c4d exceeded its memory limit", true), Signal::OutOfMemory),
            (event("BackOff", "Back-off restarting failed container app-z1a2b3c4d in pod app-z1a2b3c4d-6f7d9c8b5-x2k9p_z8a6b2e1f(0c1d…)", true), Signal::CrashLoop),
            (event("BackOff", "Back-off pulling image \"registry.example.com/team/api:1.4.2\"", false),
             Signal::ImagePull { image: Some("registry.example.com/team/api:1.4.2".into()) }),
            (event("Failed", "Failed to pull image \"nginx:does-not-exist\": rpc error: code = NotFound desc = failed to resolve reference \"docker.io/library/nginx:does-not-exist\": not found", true),
             Signal::ImagePull { image: Some("nginx:does-not-exist".into()) }),
            (event("Failed", "Error: ErrImagePull", true), Signal::ImagePull { image: None }),
            (event("Failed", "Error: ImagePullBackOff", true), Signal::ImagePull { image: None }),
            (event("ErrImagePull", "", true), Signal::ImagePull { image: None }),
            (event("Failed", "Error: failed to create containerd task: exec: \"/start\": no such file or directory", true), Signal::OtherWarning),
            (event("Unhealthy", "Readiness probe failed: Get \"http://10.2.0.14:80/healthz\": dial tcp 10.2.0.14:80: connect: connection refused", true),
             Signal::ProbeFailed { probe: Some(ProbeKind::Readiness), port: Some(80) }),
            (event("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", true),
             Signal::ProbeFailed { probe: Some(ProbeKind::Liveness), port: None }),
            (event("Unhealthy", "Startup probe errored: rpc error", true),
             Signal::ProbeFailed { probe: Some(ProbeKind::Startup), port: None }),
            (event("Killing", "Container app-z1a2b3c4d failed liveness probe, will be restarted", false),
             Signal::KilledByProbe { probe: ProbeKind::Liveness }),
            (event("Killing", "Stopping container app-z1a2b3c4d", false), Signal::Stopped),
            (event("FailedScheduling", "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", true),
             Signal::Unschedulable { memory: true, cpu: true }),
            (event("FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.", true),
             Signal::Unschedulable { memory: true, cpu: false }),
            (event("FailedScheduling", "0/3 nodes are available: 3 node(s) had untolerated taint.", true),
             Signal::Unschedulable { memory: false, cpu: false }),
            (event("Started", "Started container app-z1a2b3c4d", false), Signal::Started),
            (event("Pulled", "Successfully pulled image \"nginx:1.27\" in 1.2s", false), Signal::Starting),
            (event("Evicted", "The node was low on resource: memory.", true), Signal::OtherWarning),
            (event("SuccessfulCreate", "Created pod", false), Signal::Other),
        ];
        for (e, want) in cases {
            assert_eq!(classify(&e), want, "{} {}", e.reason(), e.message());
        }
    }

    #[test]
    fn ports_images_and_failures_are_read_from_messages() {
        assert_eq!(
            port_in("dial tcp 10.2.0.14:8080: connect: connection refused"),
            Some(8080)
        );
        assert_eq!(
            port_in("Get \"http://[fd00::1]:9000/ready\": EOF"),
            Some(9000)
        );
        assert_eq!(
            port_in("Get \"http://app.internal:3000/\": EOF"),
            Some(3000)
        );
        assert_eq!(port_in("HTTP probe failed with statuscode: 503"), None);
        assert_eq!(port_in("Readiness probe failed: "), None);
        assert_eq!(port_in("dial tcp 10.0.0.1:99999: bad"), None);
        assert_eq!(
            quoted_image("Back-off pulling image \"ghcr.io/acme/api@sha256:abc\""),
            Some("ghcr.io/acme/api@sha256:abc".into())
        );
        assert_eq!(quoted_image("Error: ErrImagePull"), None);
        assert_eq!(quoted_image("image \"\""), None);
        assert_eq!(
            probe_failure(
                "dial tcp 10.0.0.1:8080: connect: connection refused",
                Some(8080)
            ),
            Some("nothing answers on port 8080".into())
        );
        assert_eq!(
            probe_failure("HTTP probe failed with statuscode: 503", None),
            Some("it answered 503".into())
        );
        assert_eq!(
            probe_failure("Get \"http://10.0.0.1:80/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", Some(80)),
            Some("it does not answer in time".into())
        );
        assert_eq!(probe_failure("command exited 1", None), None);
        assert_eq!(
            probe_of("Container x failed startup probe, will be restarted"),
            Some(ProbeKind::Startup)
        );
        assert_eq!(probe_of("something else"), None);
        assert!(ProbeKind::Liveness.restarts() && !ProbeKind::Readiness.restarts());
    }
}
