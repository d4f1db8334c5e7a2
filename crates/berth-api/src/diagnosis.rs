//! Why a container fails, in plain words: its instances and what went wrong, from its settings,
//! the Kubernetes events of its pods, its memory readings and its cluster's size.
//!
//! **Findings** describe the whole window (an out-of-memory kill 50 minutes ago is still one of
//! the last hour's); **instances** describe now (the latest event of each pod sets its state).
//! When several problems show, the headline is the first of, in this order:
//!
//! 1. the image cannot be pulled (nothing can run until it can),
//! 2. the cluster has no room for it (it is never even started),
//! 3. it runs out of memory (the kills also cause the crash loop's back-off: memory is the cause),
//! 4. it exits right after starting (crash loop),
//! 5. a liveness or startup probe fails (Kubernetes restarts it),
//! 6. the readiness probe fails (it runs but gets no traffic),
//! 7. any other warning Kubernetes gave,
//!
//! and, within one rank, the most recent. Every finding is returned for the UI to list the
//! others. No warning in the window: [`headline`] is `None` and [`Report::headline`] the calm
//! "No problems in the last hour" ([`calm`]), since the events were read and said nothing bad.
//!
//! Restart counts come from events (a pod's `Started` occurrences less its first start, at least
//! its out-of-memory and probe kills): Kubernetes keeps events for about an hour, so older restarts
//! are not counted.

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::events::{KubeEvent, CLOCK_SLACK_MS};
use crate::pods::belongs_to;
use crate::prometheus::{summarize, Series};
use crate::qovery::{ContainerResponse, Healthchecks, Probe};
use crate::rules::Limits;
use crate::signals::{classify, probe_failure, ProbeKind, Signal};
use crate::sizes;
use crate::window::{TimeRange, Window};

/// How much more memory than the peak a raise suggests.
pub const MEMORY_HEADROOM: f64 = 1.5;
/// A suggested memory size is a multiple of this, in MB, and at least this above the limit.
pub const MEMORY_STEP_MB: i64 = 128;
/// A pod whose newest memory reading is older than this (ms) is no longer running.
pub const STALE_READING_MS: f64 = 5.0 * 60_000.0;

/// What the diagnosis needs of the container's settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerConfig {
    pub id: String,
    /// Its memory request and limit (Qovery sets both to it), MB.
    pub memory_mb: i64,
    /// Its CPU, millicores.
    pub cpu_millicores: i64,
    /// The internal ports it exposes.
    pub ports: Vec<i64>,
    pub healthchecks: Healthchecks,
    /// The form's bounds ([`crate::rules::qovery_container`] refuses more memory than
    /// `maximum_memory`): a raise is never suggested above them.
    pub limits: Limits,
}

impl ContainerConfig {
    /// From a container as the API returns it; its `maximum_*` are the form's bounds (0 meaning
    /// "not said", as the edit form reads them).
    pub fn from_container(c: &ContainerResponse) -> Self {
        let positive = |v: i64| Some(v).filter(|v| *v > 0);
        ContainerConfig {
            id: c.id.clone(),
            memory_mb: c.memory,
            cpu_millicores: c.cpu,
            ports: c.ports.iter().flatten().map(|p| p.internal_port).collect(),
            healthchecks: c.healthchecks.clone(),
            limits: Limits {
                maximum_cpu: positive(c.maximum_cpu),
                maximum_memory: positive(c.maximum_memory),
                maximum_gpu: Some(c.maximum_gpu),
            },
        }
    }

    /// The port the configured probe checks (HTTP, TCP or gRPC); `None` for an exec probe, a
    /// startup probe (not configurable here) or no probe.
    pub fn probe_port(&self, kind: ProbeKind) -> Option<i64> {
        let probe: Option<&Probe> = match kind {
            ProbeKind::Readiness => self.healthchecks.readiness_probe.as_ref(),
            ProbeKind::Liveness => self.healthchecks.liveness_probe.as_ref(),
            ProbeKind::Startup => None,
        };
        let t = &probe?.kind;
        t.http
            .as_ref()
            .map(|h| h.port)
            .or(t.tcp.as_ref().map(|p| p.port))
            .or(t.grpc.as_ref().map(|g| g.port))
    }
}

/// Everything a diagnosis is made from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub config: &'a ContainerConfig,
    /// The cluster's events of the window: any container's, only this one's pods are read.
    pub events: &'a [KubeEvent],
    /// The memory series of [`crate::promql::memory_usage`] (bytes, by pod); may be empty.
    pub memory: &'a [Series],
    pub cluster: Option<&'a Cluster>,
    pub window: Window,
    pub now_ms: f64,
}

impl<'a> Inputs<'a> {
    /// The window before now, and the clock slack after it.
    fn range(&self) -> TimeRange {
        let r = self.window.range(self.now_ms);
        TimeRange {
            from_ms: r.from_ms,
            to_ms: r.to_ms + CLOCK_SLACK_MS,
        }
    }

    /// This container's events of the window, each with what it says.
    fn own(&self) -> Vec<(&'a KubeEvent, Signal)> {
        let range = self.range();
        self.events
            .iter()
            .filter(|e| belongs_to(e.name(), &self.config.id) && e.within(&range))
            .map(|e| (e, classify(e)))
            .collect()
    }
}

/// How a state or a finding should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tone {
    Ok,
    Neutral,
    Warning,
    Error,
}

/// An instance's state, as its latest event (or its memory readings) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceState {
    Running,
    Starting,
    /// Its readiness probe fails: it gets no traffic.
    NotReady,
    /// Its liveness or startup probe fails.
    Unhealthy,
    /// Killed by its probe, being started again.
    Restarting,
    /// Killed for going over its memory limit.
    OutOfMemory,
    CrashLoop,
    /// Waiting for a node with room.
    Pending,
    ImagePull,
    Stopped,
    Unknown,
}

impl InstanceState {
    pub fn label(self) -> &'static str {
        match self {
            InstanceState::Running => "Running",
            InstanceState::Starting => "Starting",
            InstanceState::NotReady => "Not ready",
            InstanceState::Unhealthy => "Unhealthy",
            InstanceState::Restarting => "Restarting",
            InstanceState::OutOfMemory => "Out of memory",
            InstanceState::CrashLoop => "Crash loop",
            InstanceState::Pending => "Waiting for room",
            InstanceState::ImagePull => "Image not pulled",
            InstanceState::Stopped => "Stopped",
            InstanceState::Unknown => "Unknown",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            InstanceState::Running => Tone::Ok,
            InstanceState::Starting | InstanceState::Stopped | InstanceState::Unknown => {
                Tone::Neutral
            }
            InstanceState::NotReady
            | InstanceState::Unhealthy
            | InstanceState::Restarting
            | InstanceState::Pending => Tone::Warning,
            InstanceState::OutOfMemory | InstanceState::CrashLoop | InstanceState::ImagePull => {
                Tone::Error
            }
        }
    }

    /// Its place in the instances' order: failing first, then on its way, running, gone.
    fn rank(self) -> u8 {
        match self {
            InstanceState::CrashLoop => 0,
            InstanceState::OutOfMemory => 1,
            InstanceState::ImagePull => 2,
            InstanceState::Unhealthy => 3,
            InstanceState::Restarting => 4,
            InstanceState::Pending => 5,
            InstanceState::NotReady => 6,
            InstanceState::Starting => 7,
            InstanceState::Running => 8,
            InstanceState::Unknown => 9,
            InstanceState::Stopped => 10,
        }
    }

    /// The state an event sets; `None` for events that say nothing of it.
    fn of(signal: &Signal) -> Option<InstanceState> {
        Some(match signal {
            Signal::OutOfMemory => InstanceState::OutOfMemory,
            Signal::CrashLoop => InstanceState::CrashLoop,
            Signal::ProbeFailed { probe, .. } => match probe {
                Some(p) if p.restarts() => InstanceState::Unhealthy,
                _ => InstanceState::NotReady,
            },
            Signal::KilledByProbe { .. } => InstanceState::Restarting,
            Signal::Unschedulable { .. } => InstanceState::Pending,
            Signal::ImagePull { .. } => InstanceState::ImagePull,
            Signal::Starting => InstanceState::Starting,
            Signal::Started => InstanceState::Running,
            Signal::Stopped => InstanceState::Stopped,
            Signal::OtherWarning | Signal::Other => return None,
        })
    }
}

/// One pod of the container.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub pod: String,
    pub state: InstanceState,
    pub restarts: u64,
    /// Its earliest event or reading (epoch ms): its age, as far as the window shows.
    pub first_seen_ms: Option<f64>,
    /// Its latest warning: reason, message, and when.
    pub last_reason: Option<String>,
    pub last_message: Option<String>,
    pub last_at_ms: Option<f64>,
}

#[derive(Default)]
struct PodFacts {
    first: Option<f64>,
    state: Option<(f64, InstanceState)>,
    started: u64,
    kills: u64,
    warning: Option<(f64, String, String)>,
    last_reading: Option<f64>,
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The container's instances: every pod its events of the window or its memory readings name,
/// failing ones first, then starting, running, and stopped last (then by name).
pub fn instances(inputs: &Inputs) -> Vec<Instance> {
    let mut pods: BTreeMap<&str, PodFacts> = BTreeMap::new();
    for (e, signal) in inputs.own() {
        if !e.is_about_pod() {
            continue;
        }
        let facts = pods.entry(e.name()).or_default();
        facts.first = min_opt(facts.first, e.first_ms());
        match signal {
            Signal::Started => facts.started += e.occurrences(),
            Signal::OutOfMemory | Signal::KilledByProbe { .. } => facts.kills += e.occurrences(),
            _ => {}
        }
        let at = e.last_ms().unwrap_or(f64::MIN);
        if let Some(state) = InstanceState::of(&signal) {
            // The latest event wins; at the same time, the worse one.
            let newer = match facts.state {
                None => true,
                Some((t, s)) => at > t || (at == t && state.tone() > s.tone()),
            };
            if newer {
                facts.state = Some((at, state));
            }
        }
        if e.is_warning() && facts.warning.as_ref().is_none_or(|(t, ..)| at >= *t) {
            facts.warning = Some((at, e.reason().to_string(), e.message().to_string()));
        }
    }
    for s in inputs.memory {
        let Some(pod) = s.pod().filter(|p| belongs_to(p, &inputs.config.id)) else {
            continue;
        };
        let Some((first, _)) = s.points.first().copied() else {
            continue;
        };
        let facts = pods.entry(pod).or_default();
        facts.first = min_opt(facts.first, Some(first * 1000.0));
        let newest = s.latest().map(|(t, _)| t * 1000.0);
        facts.last_reading = match (newest, facts.last_reading) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    let mut out: Vec<Instance> = pods
        .into_iter()
        .map(|(pod, f)| {
            let from_readings = f.last_reading.map(|t| {
                if t >= inputs.now_ms - STALE_READING_MS {
                    InstanceState::Running
                } else {
                    InstanceState::Stopped
                }
            });
            let state = f
                .state
                .map(|(_, s)| s)
                .or(from_readings)
                .unwrap_or(InstanceState::Unknown);
            let (last_at_ms, last_reason, last_message) = match f.warning {
                Some((t, r, m)) => (
                    Some(t).filter(|t| *t > f64::MIN),
                    Some(r).filter(|r| !r.is_empty()),
                    Some(m).filter(|m| !m.is_empty()),
                ),
                None => (None, None, None),
            };
            Instance {
                pod: pod.to_string(),
                state,
                restarts: f.started.saturating_sub(1).max(f.kills),
                first_seen_ms: f.first,
                last_reason,
                last_message,
                last_at_ms,
            }
        })
        .collect();
    out.sort_by(|a, b| a.state.rank().cmp(&b.state.rank()).then(a.pod.cmp(&b.pod)));
    out
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    ImagePull,
    NoRoom,
    OutOfMemory,
    CrashLoop,
    /// A probe fails; `None` when the message does not say which.
    Probe(Option<ProbeKind>),
    /// Another warning, by its reason.
    Other(String),
    /// Nothing wrong ([`calm`]).
    Healthy,
}

impl Problem {
    /// Its place in the headline order (lower first).
    fn rank(&self) -> u8 {
        match self {
            Problem::ImagePull => 0,
            Problem::NoRoom => 1,
            Problem::OutOfMemory => 2,
            Problem::CrashLoop => 3,
            Problem::Probe(Some(p)) if p.restarts() => 4,
            Problem::Probe(_) => 5,
            Problem::Other(_) => 6,
            Problem::Healthy => 7,
        }
    }
}

/// What to do about it: a button of the Health tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Open the edit form with memory set to `mb`.
    RaiseMemory { mb: i64 },
    /// Open the Logs tab on that instance.
    ShowLogs { pod: String },
    /// Open the edit form at that probe (`None`: at the health checks).
    EditProbe { probe: Option<ProbeKind> },
    /// Open the edit form at the resources.
    EditResources,
    /// Open "Deploy another version".
    DeployAnotherVersion,
}

impl Fix {
    /// The button's text.
    pub fn label(&self) -> String {
        match self {
            Fix::RaiseMemory { mb } => format!("Raise memory to {}", sizes::mb(*mb)),
            Fix::ShowLogs { .. } => "Show this instance's last log lines".to_string(),
            Fix::EditProbe { probe: Some(p) } => format!("Edit the {} probe", p.word()),
            Fix::EditProbe { probe: None } => "Edit the health probes".to_string(),
            Fix::EditResources => "Edit resources".to_string(),
            Fix::DeployAnotherVersion => "Deploy another version".to_string(),
        }
    }
}

/// One thing found wrong, in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub problem: Problem,
    pub tone: Tone,
    pub headline: String,
    pub detail: Option<String>,
    pub fix: Option<Fix>,
    /// The instances it concerns.
    pub pods: Vec<String>,
    /// How many times it happened in the window.
    pub count: u64,
    /// When it last happened (epoch ms).
    pub last_ms: Option<f64>,
}

/// "once", "twice", "3 times".
pub fn times(n: u64) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

/// "8080", "8080 and 9090", "8080, 9090 and 3000".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Who stops a memory raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// The cluster's whole memory.
    Cluster,
    /// The environment's maximum, which the form enforces.
    Environment,
}

/// What to do about running out of memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryAdvice {
    /// Raise memory to `mb`; `capped_by` when a maximum cut the suggestion down.
    Raise { mb: i64, capped_by: Option<Cap> },
    /// It cannot get more: `cap` MB is already at or below its limit.
    AtMaximum { cap: i64, by: Cap },
    /// Neither a limit nor a reading to start from.
    Unknown,
}

/// The raise for a container limited to `limit_mb` (0 or less: not known) whose memory peaked at
/// `peak_mb`: the peak (or, without readings, the limit) times [`MEMORY_HEADROOM`], rounded up to
/// a multiple of [`MEMORY_STEP_MB`] and at least that much above the limit; never above the
/// cluster's memory nor the environment's maximum (the lower of both).
pub fn memory_advice(
    limit_mb: i64,
    peak_mb: Option<i64>,
    cluster_max: Option<i64>,
    form_max: Option<i64>,
) -> MemoryAdvice {
    let limit = Some(limit_mb).filter(|l| *l > 0);
    let Some(base) = peak_mb.filter(|p| *p > 0).or(limit) else {
        return MemoryAdvice::Unknown;
    };
    let floor = limit.map_or(0, |l| l.saturating_add(MEMORY_STEP_MB));
    let wanted = ((base as f64 * MEMORY_HEADROOM).ceil() as i64).max(floor);
    let wanted = wanted.saturating_add(MEMORY_STEP_MB - 1) / MEMORY_STEP_MB * MEMORY_STEP_MB;
    let cap = [(cluster_max, Cap::Cluster), (form_max, Cap::Environment)]
        .into_iter()
        .filter_map(|(m, by)| m.filter(|m| *m > 0).map(|m| (m, by)))
        .min_by_key(|(m, _)| *m);
    match cap {
        Some((cap, by)) if wanted > cap => {
            if cap <= limit.unwrap_or(0) {
                MemoryAdvice::AtMaximum { cap, by }
            } else {
                MemoryAdvice::Raise {
                    mb: cap,
                    capped_by: Some(by),
                }
            }
        }
        _ => MemoryAdvice::Raise {
            mb: wanted,
            capped_by: None,
        },
    }
}

fn cap_words(cap: i64, by: Cap) -> String {
    match by {
        Cap::Cluster => format!("the cluster has {} in all", sizes::mb(cap)),
        Cap::Environment => format!("{} is this environment's maximum", sizes::mb(cap)),
    }
}

/// Why an image pull failed, when the message says: the image or tag does not exist, the
/// registry refused the credentials, or it could not be reached.
fn pull_failure(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    if m.contains("not found") || m.contains("manifest unknown") {
        Some("The registry has no such image or tag.")
    } else if [
        "unauthorized",
        "denied",
        "authentication required",
        "forbidden",
    ]
    .iter()
    .any(|w| m.contains(w))
    {
        Some("The registry refused access: check the registry's credentials.")
    } else if m.contains("no such host") || m.contains("i/o timeout") {
        Some("The registry could not be reached.")
    } else {
        None
    }
}

/// A probe's latest failure: when, the port it checked, its message.
type Failure<'a> = (Option<f64>, Option<i64>, &'a str);

/// What several events of one kind add up to.
#[derive(Default)]
struct Tally<'a> {
    count: u64,
    last: Option<f64>,
    latest: Option<&'a KubeEvent>,
    pods: Vec<String>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, e: &'a KubeEvent) {
        self.count += e.occurrences();
        let at = e.last_ms();
        if self.latest.is_none() || at > self.last {
            self.last = at;
            self.latest = Some(e);
        }
        if !self.pods.iter().any(|p| p == e.name()) {
            self.pods.push(e.name().to_string());
        }
    }

    fn latest_pod(&self) -> Option<String> {
        self.latest.map(|e| e.name().to_string())
    }

    fn latest_message(&self) -> &str {
        self.latest.map_or("", |e| e.message())
    }

    fn diagnosis(
        &self,
        problem: Problem,
        tone: Tone,
        headline: String,
        detail: Option<String>,
        fix: Option<Fix>,
    ) -> Diagnosis {
        Diagnosis {
            problem,
            tone,
            headline,
            detail,
            fix,
            pods: self.pods.clone(),
            count: self.count,
            last_ms: self.last,
        }
    }
}

/// Everything found wrong in the window, the most important first (see the module's order).
pub fn findings(inputs: &Inputs) -> Vec<Diagnosis> {
    let own = inputs.own();
    let config = inputs.config;
    let window = inputs.window;

    // When each pod last started, or was scheduled: a pull or scheduling failure before that is
    // over (a pod stopped since is gone, its failure with it).
    let mut started: BTreeMap<&str, f64> = BTreeMap::new();
    let mut scheduled: BTreeMap<&str, f64> = BTreeMap::new();
    fn mark<'e>(map: &mut BTreeMap<&'e str, f64>, e: &'e KubeEvent) {
        let at = e.last_ms().unwrap_or(f64::MIN);
        let t = map.entry(e.name()).or_insert(at);
        *t = t.max(at);
    }
    for (e, s) in &own {
        match s {
            Signal::Started | Signal::Stopped => {
                mark(&mut started, e);
                mark(&mut scheduled, e);
            }
            Signal::Starting => mark(&mut scheduled, e),
            _ => {}
        }
    }
    let over = |map: &BTreeMap<&str, f64>, e: &KubeEvent| {
        let at = e.last_ms().unwrap_or(f64::MIN);
        map.get(e.name()).is_some_and(|t| *t > at)
    };

    let mut pull = Tally::default();
    let mut pull_image: Option<(Option<f64>, String)> = None;
    let mut pull_cause: Option<(Option<f64>, &str)> = None;
    let mut room = Tally::default();
    let (mut room_memory, mut room_cpu) = (false, false);
    let mut oom = Tally::default();
    let mut crash = Tally::default();
    // By probe: the events, and the port and message of its latest failure (not of a kill).
    let mut probes: BTreeMap<Option<ProbeKind>, (Tally, Option<Failure>)> = BTreeMap::new();
    let mut other: BTreeMap<String, Tally> = BTreeMap::new();
    for (e, s) in &own {
        match s {
            Signal::ImagePull { image } if !over(&started, e) => {
                pull.add(e);
                if let Some(cause) = pull_failure(e.message()) {
                    if pull_cause.is_none_or(|(t, _)| e.last_ms() >= t) {
                        pull_cause = Some((e.last_ms(), cause));
                    }
                }
                if let Some(image) = image {
                    if pull_image.as_ref().is_none_or(|(t, _)| e.last_ms() >= *t) {
                        pull_image = Some((e.last_ms(), image.clone()));
                    }
                }
            }
            Signal::Unschedulable { memory, cpu } if !over(&scheduled, e) => {
                // The latest event says what is short now.
                if room.latest.is_none() || e.last_ms() > room.last {
                    (room_memory, room_cpu) = (*memory, *cpu);
                }
                room.add(e);
            }
            Signal::OutOfMemory => oom.add(e),
            Signal::CrashLoop => crash.add(e),
            Signal::ProbeFailed { probe, port } => {
                let (tally, failure) = probes.entry(*probe).or_default();
                if failure.is_none_or(|(t, ..)| e.last_ms() >= t) {
                    *failure = Some((e.last_ms(), *port, e.message()));
                }
                tally.add(e);
            }
            Signal::KilledByProbe { probe } => {
                probes.entry(Some(*probe)).or_default().0.add(e);
            }
            Signal::OtherWarning => other.entry(e.reason().to_string()).or_default().add(e),
            _ => {}
        }
    }

    let mut out = Vec::new();

    if pull.count > 0 {
        let headline = match &pull_image {
            Some((_, image)) => format!("The image could not be pulled: {image}"),
            None => "The image could not be pulled".to_string(),
        };
        out.push(pull.diagnosis(
            Problem::ImagePull,
            Tone::Error,
            headline,
            pull_cause.map(|(_, cause)| cause.to_string()),
            Some(Fix::DeployAnotherVersion),
        ));
    }

    if room.count > 0 {
        let memory_words = format!("{} of memory", sizes::mb(config.memory_mb));
        let cpu_words = sizes::millicores(config.cpu_millicores);
        let asks = match (room_memory, room_cpu) {
            (true, false) => Some(memory_words),
            (false, true) => Some(cpu_words),
            (true, true) => Some(format!("{memory_words} and {cpu_words}")),
            (false, false) => None,
        };
        let (headline, detail) = match asks {
            Some(asks) => {
                let cluster = inputs.cluster;
                let over_memory = cluster
                    .and_then(Cluster::max_memory_mb)
                    .filter(|m| room_memory && config.memory_mb > *m)
                    .map(|m| format!("the whole cluster has {}", sizes::mb(m)));
                let over_cpu = cluster
                    .and_then(Cluster::max_cpu_millicores)
                    .filter(|c| room_cpu && config.cpu_millicores > *c)
                    .map(|c| format!("the whole cluster has {}", sizes::millicores(c)));
                let detail = match (over_memory, over_cpu) {
                    (Some(m), _) | (None, Some(m)) => {
                        format!("That is more than the cluster can ever give: {m}.")
                    }
                    (None, None) => {
                        "Ask for less, or make room on the cluster (more nodes, or stop other services)."
                            .to_string()
                    }
                };
                (
                    format!("The cluster has no room for it: it asks for {asks}"),
                    detail,
                )
            }
            None => (
                "No node of the cluster can take it".to_string(),
                format!("The scheduler says: {}", room.latest_message()),
            ),
        };
        out.push(room.diagnosis(
            Problem::NoRoom,
            Tone::Error,
            headline,
            Some(detail),
            Some(Fix::EditResources),
        ));
    }

    if oom.count > 0 {
        let limit = config.memory_mb;
        let headline = if limit > 0 {
            format!(
                "Ran out of memory: the {} limit was reached {} {}",
                sizes::mb(limit),
                times(oom.count),
                window.words()
            )
        } else {
            format!("Ran out of memory {} {}", times(oom.count), window.words())
        };
        let peak = summarize(
            &inputs
                .memory
                .iter()
                .filter(|s| s.pod().is_some_and(|p| belongs_to(p, &config.id)))
                .cloned()
                .collect::<Vec<_>>(),
        )
        .map(|s| sizes::bytes_to_mb(s.peak));
        let reading = match peak {
            Some(p) => format!("Its highest reading was {}.", sizes::mb(p)),
            None => "There are no memory readings to size it from.".to_string(),
        };
        let advice = memory_advice(
            limit,
            peak,
            inputs.cluster.and_then(Cluster::max_memory_mb),
            config.limits.maximum_memory,
        );
        let (detail, fix) = match advice {
            MemoryAdvice::Raise { mb, capped_by } => {
                let why = match capped_by {
                    Some(by) => format!(" More would be wise, but {}.", cap_words(mb, by)),
                    None => String::new(),
                };
                (format!("{reading}{why}"), Some(Fix::RaiseMemory { mb }))
            }
            MemoryAdvice::AtMaximum { cap, by } => {
                let why = match by {
                    Cap::Cluster => format!("it has {} in all", sizes::mb(cap)),
                    Cap::Environment => cap_words(cap, by),
                };
                (
                    format!("{reading} The cluster cannot give it more: {why}."),
                    None,
                )
            }
            MemoryAdvice::Unknown => (reading, None),
        };
        out.push(oom.diagnosis(
            Problem::OutOfMemory,
            Tone::Error,
            headline,
            Some(detail),
            fix,
        ));
    }

    if crash.count > 0 {
        let all = instances(inputs);
        let restarts: u64 = all
            .iter()
            .filter(|i| crash.pods.contains(&i.pod))
            .map(|i| i.restarts)
            .sum();
        let detail = if restarts > 0 {
            format!("Restarted {} {}.", times(restarts), window.words())
        } else {
            "Kubernetes waits longer before each new start.".to_string()
        };
        let fix = crash.latest_pod().map(|pod| Fix::ShowLogs { pod });
        out.push(crash.diagnosis(
            Problem::CrashLoop,
            Tone::Error,
            "Exits right after it starts".to_string(),
            Some(detail),
            fix,
        ));
    }

    for (probe, (tally, failure)) in &probes {
        let (seen_port, message) = failure.map_or((None, ""), |(_, p, m)| (p, m));
        let name = probe.map_or("health", ProbeKind::word);
        let headline = match probe {
            Some(p) if p.restarts() => format!("The {name} probe fails: Kubernetes restarts it"),
            _ => format!("The {name} probe fails"),
        };
        let port = seen_port.or_else(|| probe.and_then(|p| config.probe_port(p)));
        let exposed: Vec<String> = config.ports.iter().map(i64::to_string).collect();
        let detail = match port {
            Some(port) if !config.ports.is_empty() && !config.ports.contains(&port) => format!(
                "The {name} probe checks port {port}; the container exposes {}.",
                and_list(&exposed)
            ),
            _ => {
                let failed = format!("Failed {} {}", times(tally.count), window.words());
                match probe_failure(message, port) {
                    Some(why) => format!("{failed}: {why}."),
                    None => format!("{failed}."),
                }
            }
        };
        let tone = match probe {
            Some(p) if p.restarts() => Tone::Error,
            _ => Tone::Warning,
        };
        out.push(tally.diagnosis(
            Problem::Probe(*probe),
            tone,
            headline,
            Some(detail),
            Some(Fix::EditProbe { probe: *probe }),
        ));
    }

    for (reason, tally) in &other {
        let reason = if reason.is_empty() {
            "a warning"
        } else {
            reason
        };
        let message = tally.latest_message();
        out.push(tally.diagnosis(
            Problem::Other(reason.to_string()),
            Tone::Warning,
            format!("Kubernetes reports {reason}"),
            (!message.is_empty()).then(|| message.to_string()),
            None,
        ));
    }

    out.sort_by(|a, b| {
        a.problem.rank().cmp(&b.problem.rank()).then(
            b.last_ms
                .unwrap_or(f64::MIN)
                .total_cmp(&a.last_ms.unwrap_or(f64::MIN)),
        )
    });
    out
}

/// The most important finding; `None` when nothing is wrong in the window.
pub fn headline(inputs: &Inputs) -> Option<Diagnosis> {
    findings(inputs).into_iter().next()
}

/// What the Health tab says when nothing is wrong: "No problems in the last hour".
pub fn calm(window: Window) -> Diagnosis {
    Diagnosis {
        problem: Problem::Healthy,
        tone: Tone::Ok,
        headline: format!("No problems {}", window.words()),
        detail: None,
        fix: None,
        pods: Vec::new(),
        count: 0,
        last_ms: None,
    }
}

/// The Health tab's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The first finding, or [`calm`].
    pub headline: Diagnosis,
    /// Every finding, the headline's included (first).
    pub findings: Vec<Diagnosis>,
    pub instances: Vec<Instance>,
}

/// Findings, headline and instances in one go.
pub fn diagnose(inputs: &Inputs) -> Report {
    let findings = findings(inputs);
    Report {
        headline: findings
            .first()
            .cloned()
            .unwrap_or_else(|| calm(inputs.window)),
        findings,
        instances: instances(inputs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventsPage;
    use crate::prometheus::MetricsResponse;

    /// 2026-12-07T03:00:00Z.
    const NOW: f64 = 1_796_612_400_000.0;
    const ID: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const POD_A: &str = "app-z1a2b3c4d-6f7d9c8b5-x2k9p";
    const POD_B: &str = "app-z1a2b3c4d-6f7d9c8b5-q8w7e";

    /// A container as `GET /container/{id}` returns it: 512 MB, 0.5 vCPU, port 8080, an HTTP
    /// readiness probe on 8080 and a TCP liveness probe on 8080; at most 16 GB in its environment.
    const CONTAINER: &str = r#"{
        "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "created_at": "2026-11-30T08:00:00Z",
        "name": "api", "image_name": "team/api", "tag": "1.4.2",
        "registry": {"id": "r1", "name": "registry", "url": "https://registry.example.com", "kind": "GENERIC_CR"},
        "environment": {"id": "8a6b2e1f-0000-4000-8000-000000000002"},
        "maximum_cpu": 8000, "maximum_memory": 16384, "maximum_gpu": 0,
        "cpu": 500, "memory": 512, "gpu": 0, "min_running_instances": 2, "max_running_instances": 2,
        "healthchecks": {
            "readiness_probe": {"type": {"http": {"path": "/ready", "scheme": "HTTP", "port": 8080}},
                                "initial_delay_seconds": 5, "period_seconds": 10, "timeout_seconds": 1,
                                "success_threshold": 1, "failure_threshold": 3},
            "liveness_probe": {"type": {"tcp": {"port": 8080}}, "initial_delay_seconds": 30,
                               "period_seconds": 10, "timeout_seconds": 5, "success_threshold": 1,
                               "failure_threshold": 3}
        },
        "auto_preview": false,
        "ports": [{"id": "p1", "internal_port": 8080, "external_port": 443, "publicly_accessible": true,
                   "protocol": "HTTP", "name": "p8080"}],
        "icon_uri": "app://qovery-console/container", "service_type": "CONTAINER"
    }"#;

    /// A cluster of 10 vCPU and 8 GB.
    const CLUSTER: &str = r#"{"id": "c1", "name": "production-eu", "cpu": 10000, "memory": 8192,
        "metrics_parameters": {"enabled": true}}"#;

    /// Pod A's memory: 400, then 512 MB (its limit), then 300 MB, the last a minute ago; a
    /// lookalike container's pod at 4 GB, which is not this one's.
    const MEMORY: &str = r#"{"metrics": "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"app-z1a2b3c4d-6f7d9c8b5-x2k9p\"},\"values\":[[1796610600,\"419430400\"],[1796611500,\"536870912\"],[1796612340,\"314572800\"]]},{\"metric\":{\"pod\":\"app-z1a2b3c4de-55d6c7b8f-zz1aa\"},\"values\":[[1796612340,\"4294967296\"]]}]}}"}"#;

    fn config() -> ContainerConfig {
        let c: ContainerResponse = serde_json::from_str(CONTAINER).expect("container");
        ContainerConfig::from_container(&c)
    }

    #[test]
    fn the_config_is_read_from_the_container() {
        let c = config();
        assert_eq!(c.id, ID);
        assert_eq!((c.memory_mb, c.cpu_millicores), (512, 500));
        assert_eq!(c.ports, vec![8080]);
        assert_eq!(c.limits.maximum_memory, Some(16_384));
        assert_eq!(c.probe_port(ProbeKind::Readiness), Some(8080));
        assert_eq!(c.probe_port(ProbeKind::Liveness), Some(8080));
        assert_eq!(c.probe_port(ProbeKind::Startup), None);
        let bare: ContainerResponse = serde_json::from_str(r#"{"id": "x"}"#).expect("bare");
        let b = ContainerConfig::from_container(&bare);
        assert_eq!(b.limits.maximum_memory, None, "0 says nothing");
        assert!(b.ports.is_empty());
        assert_eq!(b.probe_port(ProbeKind::Readiness), None);
    }

    fn cluster() -> Cluster {
        serde_json::from_str(CLUSTER).expect("cluster")
    }

    fn memory() -> Vec<Series> {
        let r: MetricsResponse = serde_json::from_str(MEMORY).expect("metrics");
        r.series().expect("series")
    }

    fn events(results: &str) -> Vec<KubeEvent> {
        let page: EventsPage =
            serde_json::from_str(&format!(r#"{{"results": [{results}]}}"#)).expect("events");
        page.results
    }

    /// One event as the API shapes it.
    fn ev(
        pod: &str,
        kind: &str,
        reason: &str,
        message: &str,
        count: i64,
        first: &str,
        last: &str,
    ) -> String {
        let t = if matches!(
            reason,
            "Started" | "Scheduled" | "Pulled" | "Pulling" | "Created" | "Killing"
        ) {
            "Normal"
        } else {
            "Warning"
        };
        serde_json::json!({
            "created_at": last, "kind": "Pod", "namespace": "z8a6b2e1f-production", "name": pod,
            "reason": reason, "message": message, "type": t, "reporting_component": kind,
            "count": count, "first_occurrence": first, "last_occurrence": last
        })
        .to_string()
    }

    fn run(
        config: &ContainerConfig,
        events: &[KubeEvent],
        memory: &[Series],
        cluster: Option<&Cluster>,
        window: Window,
    ) -> Vec<Diagnosis> {
        findings(&Inputs {
            config,
            events,
            memory,
            cluster,
            window,
            now_ms: NOW,
        })
    }

    fn oom_events() -> Vec<KubeEvent> {
        events(
            &[
                ev(
                    POD_A,
                    "kubelet",
                    "OOMKilled",
                    "Container app-z1a2b3c4d exceeded its memory limit",
                    2,
                    "2026-12-07T02:20:00Z",
                    "2026-12-07T02:41:10Z",
                ),
                ev(
                    POD_B,
                    "kubelet",
                    "OOMKilled",
                    "Container app-z1a2b3c4d exceeded its memory limit",
                    1,
                    "2026-12-07T02:50:00Z",
                    "2026-12-07T02:50:00Z",
                ),
                // Two hours ago: outside the last hour, inside the last 6.
                ev(
                    POD_A,
                    "kubelet",
                    "OOMKilled",
                    "Container app-z1a2b3c4d exceeded its memory limit",
                    1,
                    "2026-12-07T01:00:00Z",
                    "2026-12-07T01:00:00Z",
                ),
                // Another service whose id starts alike.
                ev(
                    "app-z1a2b3c4de-55d6c7b8f-zz1aa",
                    "kubelet",
                    "OOMKilled",
                    "exceeded",
                    9,
                    "2026-12-07T02:30:00Z",
                    "2026-12-07T02:30:00Z",
                ),
            ]
            .join(","),
        )
    }

    #[test]
    fn out_of_memory_says_how_often_and_what_to_raise_to() {
        let (config, cluster, memory) = (config(), cluster(), memory());
        let all = run(
            &config,
            &oom_events(),
            &memory,
            Some(&cluster),
            Window::Hour,
        );
        assert_eq!(all.len(), 1, "{all:#?}");
        let d = &all[0];
        assert_eq!(d.problem, Problem::OutOfMemory);
        assert_eq!(d.tone, Tone::Error);
        assert_eq!(
            d.headline,
            "Ran out of memory: the 512 MB limit was reached 3 times in the last hour"
        );
        assert_eq!(d.detail.as_deref(), Some("Its highest reading was 512 MB."));
        assert_eq!(d.fix, Some(Fix::RaiseMemory { mb: 768 }));
        assert_eq!(
            d.fix.as_ref().map(Fix::label).as_deref(),
            Some("Raise memory to 768 MB")
        );
        assert_eq!(d.count, 3);
        assert_eq!(d.pods, vec![POD_A.to_string(), POD_B.to_string()]);
        assert_eq!(d.last_ms, crate::time::epoch_ms("2026-12-07T02:50:00Z"));

        let six = run(
            &config,
            &oom_events(),
            &memory,
            Some(&cluster),
            Window::SixHours,
        );
        assert_eq!(
            six[0].headline,
            "Ran out of memory: the 512 MB limit was reached 4 times in the last 6 hours"
        );
        let once = events(&ev(
            POD_B,
            "kubelet",
            "OOMKilled",
            "",
            1,
            "2026-12-07T02:50:00Z",
            "2026-12-07T02:50:00Z",
        ));
        let d = &run(&config, &once, &[], Some(&cluster), Window::Hour)[0];
        assert_eq!(
            d.headline,
            "Ran out of memory: the 512 MB limit was reached once in the last hour"
        );
        assert_eq!(
            d.detail.as_deref(),
            Some("There are no memory readings to size it from."),
        );
        assert_eq!(
            d.fix,
            Some(Fix::RaiseMemory { mb: 768 }),
            "1.5 times the limit"
        );
        let twice = events(&ev(
            POD_B,
            "kubelet",
            "OOMKilled",
            "",
            2,
            "2026-12-07T02:50:00Z",
            "2026-12-07T02:51:00Z",
        ));
        assert!(run(&config, &twice, &[], None, Window::Hour)[0]
            .headline
            .contains("reached twice in"));
    }

    #[test]
    fn a_raise_is_capped_by_the_cluster_and_the_environment() {
        let memory = memory();
        let oom = oom_events();
        // The environment allows 600 MB: the raise stops there, and says why.
        let mut config = config();
        config.limits.maximum_memory = Some(600);
        let d = &run(&config, &oom, &memory, Some(&cluster()), Window::Hour)[0];
        assert_eq!(d.fix, Some(Fix::RaiseMemory { mb: 600 }));
        assert_eq!(
            d.detail.as_deref(),
            Some("Its highest reading was 512 MB. More would be wise, but 600 MB is this environment's maximum.")
        );
        // The environment allows no more than it has: no raise, a sentence instead.
        config.limits.maximum_memory = Some(512);
        let d = &run(&config, &oom, &memory, Some(&cluster()), Window::Hour)[0];
        assert_eq!(d.fix, None);
        assert_eq!(
            d.detail.as_deref(),
            Some("Its highest reading was 512 MB. The cluster cannot give it more: 512 MB is this environment's maximum.")
        );
        // The cluster is the smaller bound.
        config.limits.maximum_memory = Some(16_384);
        let small: Cluster =
            serde_json::from_str(r#"{"id": "c", "memory": 512}"#).expect("cluster");
        let d = &run(&config, &oom, &memory, Some(&small), Window::Hour)[0];
        assert_eq!(d.fix, None);
        assert!(
            d.detail.as_deref().is_some_and(
                |t| t.ends_with("The cluster cannot give it more: it has 512 MB in all.")
            ),
            "{:?}",
            d.detail
        );

        use MemoryAdvice::*;
        let raise = |mb| Raise {
            mb,
            capped_by: None,
        };
        assert_eq!(memory_advice(512, Some(512), None, None), raise(768));
        assert_eq!(memory_advice(512, None, None, None), raise(768));
        assert_eq!(
            memory_advice(512, Some(300), None, None),
            raise(640),
            "at least the limit + 128"
        );
        assert_eq!(
            memory_advice(1000, Some(1000), None, None),
            raise(1536),
            "a multiple of 128"
        );
        assert_eq!(memory_advice(512, Some(700), None, None), raise(1152));
        assert_eq!(
            memory_advice(512, Some(512), Some(768), None),
            raise(768),
            "a cap just reached is no cap"
        );
        let small: Cluster =
            serde_json::from_str(r#"{"id": "c", "memory": 700}"#).expect("cluster");
        let d = &run(&config, &oom, &memory, Some(&small), Window::Hour)[0];
        assert_eq!(d.fix, Some(Fix::RaiseMemory { mb: 700 }));
        assert_eq!(
            d.detail.as_deref(),
            Some("Its highest reading was 512 MB. More would be wise, but the cluster has 700 MB in all.")
        );
        assert_eq!(
            memory_advice(512, Some(512), Some(700), Some(16_384)),
            Raise {
                mb: 700,
                capped_by: Some(Cap::Cluster)
            }
        );
        assert_eq!(
            memory_advice(512, Some(512), Some(4096), Some(600)),
            Raise {
                mb: 600,
                capped_by: Some(Cap::Environment)
            }
        );
        assert_eq!(
            memory_advice(512, Some(512), Some(400), None),
            AtMaximum {
                cap: 400,
                by: Cap::Cluster
            }
        );
        assert_eq!(
            memory_advice(512, Some(512), Some(0), Some(-1)),
            raise(768),
            "0 and -1 say nothing"
        );
        assert_eq!(memory_advice(0, None, None, None), Unknown);
        // Absurd sizes from a server do not overflow.
        assert!(matches!(
            memory_advice(i64::MAX, Some(i64::MAX), None, None),
            Raise { .. }
        ));
        assert_eq!(memory_advice(0, Some(300), None, None), raise(512));
    }

    #[test]
    fn a_crash_loop_says_how_often_and_offers_the_logs() {
        let list = events(&[
            ev(POD_A, "kubelet", "Started", "Started container app-z1a2b3c4d", 5,
               "2026-12-07T02:10:00Z", "2026-12-07T02:55:00Z"),
            ev(POD_A, "kubelet", "BackOff",
               "Back-off restarting failed container app-z1a2b3c4d in pod app-z1a2b3c4d-6f7d9c8b5-x2k9p_z8a6b2e1f-production(3e0b1c2d)",
               17, "2026-12-07T02:11:00Z", "2026-12-07T02:58:40Z"),
        ].join(","));
        let all = run(&config(), &list, &[], None, Window::Hour);
        assert_eq!(all.len(), 1);
        let d = &all[0];
        assert_eq!(d.problem, Problem::CrashLoop);
        assert_eq!(d.headline, "Exits right after it starts");
        assert_eq!(
            d.detail.as_deref(),
            Some("Restarted 4 times in the last hour.")
        );
        assert_eq!(d.fix, Some(Fix::ShowLogs { pod: POD_A.into() }));
        assert_eq!(
            d.fix.as_ref().map(Fix::label).as_deref(),
            Some("Show this instance's last log lines")
        );
    }

    #[test]
    fn a_failing_probe_is_checked_against_the_ports() {
        let config = config();
        // The readiness probe hits port 80, the container listens on 8080.
        let wrong = events(&ev(POD_A, "kubelet", "Unhealthy",
            "Readiness probe failed: Get \"http://10.2.0.14:80/ready\": dial tcp 10.2.0.14:80: connect: connection refused",
            12, "2026-12-07T02:30:00Z", "2026-12-07T02:58:30Z"));
        let d = &run(&config, &wrong, &[], None, Window::Hour)[0];
        assert_eq!(d.problem, Problem::Probe(Some(ProbeKind::Readiness)));
        assert_eq!(d.tone, Tone::Warning);
        assert_eq!(d.headline, "The readiness probe fails");
        assert_eq!(
            d.detail.as_deref(),
            Some("The readiness probe checks port 80; the container exposes 8080.")
        );
        assert_eq!(
            d.fix,
            Some(Fix::EditProbe {
                probe: Some(ProbeKind::Readiness)
            })
        );
        assert_eq!(
            d.fix.as_ref().map(Fix::label).as_deref(),
            Some("Edit the readiness probe")
        );

        // The right port, nothing listening yet.
        let refused = events(&ev(POD_A, "kubelet", "Unhealthy",
            "Readiness probe failed: Get \"http://10.2.0.14:8080/ready\": dial tcp 10.2.0.14:8080: connect: connection refused",
            12, "2026-12-07T02:30:00Z", "2026-12-07T02:58:30Z"));
        let d = &run(&config, &refused, &[], None, Window::Hour)[0];
        assert_eq!(
            d.detail.as_deref(),
            Some("Failed 12 times in the last hour: nothing answers on port 8080.")
        );

        // No port in the message: the configured probe's port is checked (9090 here).
        let mut other = config.clone();
        other.ports = vec![8080, 8443];
        other.healthchecks.liveness_probe =
            serde_json::from_str(r#"{"type": {"http": {"path": "/live", "port": 9090}}}"#).ok();
        let status = events(
            &[
                ev(
                    POD_B,
                    "kubelet",
                    "Unhealthy",
                    "Liveness probe failed: HTTP probe failed with statuscode: 503",
                    3,
                    "2026-12-07T02:40:00Z",
                    "2026-12-07T02:45:00Z",
                ),
                ev(
                    POD_B,
                    "kubelet",
                    "Killing",
                    "Container app-z1a2b3c4d failed liveness probe, will be restarted",
                    1,
                    "2026-12-07T02:45:01Z",
                    "2026-12-07T02:45:01Z",
                ),
            ]
            .join(","),
        );
        let d = &run(&other, &status, &[], None, Window::Hour)[0];
        assert_eq!(
            d.headline,
            "The liveness probe fails: Kubernetes restarts it"
        );
        assert_eq!(d.tone, Tone::Error);
        assert_eq!(
            d.detail.as_deref(),
            Some("The liveness probe checks port 9090; the container exposes 8080 and 8443.")
        );
        assert_eq!(d.count, 4, "three failures and the kill");
        // The configured port is exposed: the failure itself is told.
        let d = &run(&config, &status, &[], None, Window::Hour)[0];
        assert_eq!(
            d.detail.as_deref(),
            Some("Failed 4 times in the last hour: it answered 503.")
        );
    }

    #[test]
    fn no_room_says_what_it_asks_for() {
        let mut config = config();
        config.memory_mb = 16_384;
        let pending = "app-z1a2b3c4d-7c8d9e0f1-pp0ab";
        let failed = ev(pending, "default-scheduler", "FailedScheduling",
            "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            6, "2026-12-07T02:40:00Z", "2026-12-07T02:59:00Z");
        let d = &run(
            &config,
            &events(&failed),
            &[],
            Some(&cluster()),
            Window::Hour,
        )[0];
        assert_eq!(d.problem, Problem::NoRoom);
        assert_eq!(
            d.headline,
            "The cluster has no room for it: it asks for 16 GB of memory"
        );
        assert_eq!(
            d.detail.as_deref(),
            Some("That is more than the cluster can ever give: the whole cluster has 8 GB.")
        );
        assert_eq!(d.fix, Some(Fix::EditResources));
        assert_eq!(
            d.fix.as_ref().map(Fix::label).as_deref(),
            Some("Edit resources")
        );

        config.memory_mb = 2048;
        config.cpu_millicores = 4000;
        let both = ev(
            pending,
            "default-scheduler",
            "FailedScheduling",
            "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.",
            2,
            "2026-12-07T02:40:00Z",
            "2026-12-07T02:59:00Z",
        );
        let d = &run(&config, &events(&both), &[], Some(&cluster()), Window::Hour)[0];
        assert_eq!(
            d.headline,
            "The cluster has no room for it: it asks for 2 GB of memory and 4 vCPU"
        );
        assert_eq!(
            d.detail.as_deref(),
            Some("Ask for less, or make room on the cluster (more nodes, or stop other services).")
        );

        // Scheduled since: over.
        let later = ev(pending, "default-scheduler", "Scheduled",
            "Successfully assigned z8a6b2e1f-production/app-z1a2b3c4d-7c8d9e0f1-pp0ab to ip-10-0-1-23", 1,
            "2026-12-07T02:59:30Z", "2026-12-07T02:59:30Z");
        let list = events(&format!("{both},{later}"));
        assert!(run(&config, &list, &[], Some(&cluster()), Window::Hour).is_empty());
    }

    #[test]
    fn an_image_pull_names_the_image() {
        let list = events(&[
            ev(POD_A, "kubelet", "Failed",
               "Failed to pull image \"registry.example.com/team/api:1.4.3\": rpc error: code = NotFound desc = failed to pull and unpack image \"registry.example.com/team/api:1.4.3\": not found",
               3, "2026-12-07T02:50:00Z", "2026-12-07T02:52:00Z"),
            ev(POD_A, "kubelet", "Failed", "Error: ErrImagePull", 3, "2026-12-07T02:50:00Z", "2026-12-07T02:52:00Z"),
            ev(POD_A, "kubelet", "BackOff", "Back-off pulling image \"registry.example.com/team/api:1.4.3\"", 8,
               "2026-12-07T02:50:10Z", "2026-12-07T02:58:00Z"),
            ev(POD_A, "kubelet", "Failed", "Error: ImagePullBackOff", 8, "2026-12-07T02:50:10Z", "2026-12-07T02:58:00Z"),
        ].join(","));
        let all = run(&config(), &list, &[], None, Window::Hour);
        assert_eq!(all.len(), 1, "{all:#?}");
        let d = &all[0];
        assert_eq!(d.problem, Problem::ImagePull);
        assert_eq!(
            d.headline,
            "The image could not be pulled: registry.example.com/team/api:1.4.3"
        );
        assert_eq!(d.count, 22);
        assert_eq!(
            d.fix.as_ref().map(Fix::label).as_deref(),
            Some("Deploy another version")
        );
        // The latest messages (back-off) do not say why; an earlier one does.
        assert_eq!(
            d.detail.as_deref(),
            Some("The registry has no such image or tag.")
        );
        let denied = events(&ev(POD_A, "kubelet", "Failed",
            "Failed to pull image \"ghcr.io/acme/private:2\": rpc error: code = Unknown desc = failed to authorize: 401 Unauthorized",
            1, "2026-12-07T02:50:00Z", "2026-12-07T02:50:00Z"));
        let d = &run(&config(), &denied, &[], None, Window::Hour)[0];
        assert_eq!(
            d.headline,
            "The image could not be pulled: ghcr.io/acme/private:2"
        );
        assert_eq!(
            d.detail.as_deref(),
            Some("The registry refused access: check the registry's credentials.")
        );
        // Pulled and started since: over.
        let fixed = format!(
            "{},{}",
            ev(
                POD_A,
                "kubelet",
                "Failed",
                "Failed to pull image \"a:b\": not found",
                1,
                "2026-12-07T02:50:00Z",
                "2026-12-07T02:50:00Z"
            ),
            ev(
                POD_A,
                "kubelet",
                "Started",
                "Started container app-z1a2b3c4d",
                1,
                "2026-12-07T02:51:00Z",
                "2026-12-07T02:51:00Z"
            )
        );
        assert!(run(&config(), &events(&fixed), &[], None, Window::Hour).is_empty());
    }

    #[test]
    fn the_most_important_comes_first_and_calm_when_nothing_is_wrong() {
        let list = events(
            &[
                ev(
                    POD_A,
                    "kubelet",
                    "Unhealthy",
                    "Readiness probe failed: dial tcp 10.2.0.14:8080: i/o timeout",
                    2,
                    "2026-12-07T02:58:00Z",
                    "2026-12-07T02:59:00Z",
                ),
                ev(
                    POD_A,
                    "kubelet",
                    "BackOff",
                    "Back-off restarting failed container app-z1a2b3c4d in pod x",
                    4,
                    "2026-12-07T02:30:00Z",
                    "2026-12-07T02:57:00Z",
                ),
                ev(
                    POD_A,
                    "kubelet",
                    "OOMKilled",
                    "",
                    1,
                    "2026-12-07T02:20:00Z",
                    "2026-12-07T02:20:00Z",
                ),
                ev(
                    POD_B,
                    "kubelet",
                    "Evicted",
                    "The node was low on resource: ephemeral-storage.",
                    1,
                    "2026-12-07T02:10:00Z",
                    "2026-12-07T02:10:00Z",
                ),
            ]
            .join(","),
        );
        let config = config();
        let inputs = Inputs {
            config: &config,
            events: &list,
            memory: &[],
            cluster: None,
            window: Window::Hour,
            now_ms: NOW,
        };
        let problems: Vec<Problem> = findings(&inputs).into_iter().map(|d| d.problem).collect();
        assert_eq!(
            problems,
            vec![
                Problem::OutOfMemory,
                Problem::CrashLoop,
                Problem::Probe(Some(ProbeKind::Readiness)),
                Problem::Other("Evicted".into()),
            ]
        );
        let report = diagnose(&inputs);
        assert_eq!(report.headline.problem, Problem::OutOfMemory);
        assert_eq!(report.findings.len(), 4);
        let other = &report.findings[3];
        assert_eq!(other.headline, "Kubernetes reports Evicted");
        assert_eq!(
            other.detail.as_deref(),
            Some("The node was low on resource: ephemeral-storage.")
        );

        let calm_list = events(
            &[
                ev(
                    POD_A,
                    "default-scheduler",
                    "Scheduled",
                    "Successfully assigned x to node",
                    1,
                    "2026-12-07T02:10:00Z",
                    "2026-12-07T02:10:00Z",
                ),
                ev(
                    POD_A,
                    "kubelet",
                    "Started",
                    "Started container app-z1a2b3c4d",
                    1,
                    "2026-12-07T02:10:30Z",
                    "2026-12-07T02:10:30Z",
                ),
                // A warning, but older than the window.
                ev(
                    POD_A,
                    "kubelet",
                    "OOMKilled",
                    "",
                    5,
                    "2026-12-07T00:10:00Z",
                    "2026-12-07T01:40:00Z",
                ),
            ]
            .join(","),
        );
        let inputs = Inputs {
            events: &calm_list,
            ..inputs
        };
        assert_eq!(headline(&inputs), None);
        let report = diagnose(&inputs);
        assert_eq!(report.headline.headline, "No problems in the last hour");
        assert_eq!(report.headline.tone, Tone::Ok);
        assert!(report.findings.is_empty());
        assert_eq!(
            calm(Window::Day).headline,
            "No problems in the last 24 hours"
        );
    }

    #[test]
    fn instances_have_a_state_restarts_an_age_and_a_last_reason() {
        let stale = "app-z1a2b3c4d-5a4b3c2d1-old01";
        let list = events(&[
            // A: crash-looping.
            ev(POD_A, "default-scheduler", "Scheduled", "Successfully assigned x to node", 1, "2026-12-07T02:10:00Z", "2026-12-07T02:10:00Z"),
            ev(POD_A, "kubelet", "Started", "Started container app-z1a2b3c4d", 5, "2026-12-07T02:10:30Z", "2026-12-07T02:55:00Z"),
            ev(POD_A, "kubelet", "BackOff", "Back-off restarting failed container app-z1a2b3c4d in pod x", 9, "2026-12-07T02:11:00Z", "2026-12-07T02:58:40Z"),
            // B: killed once for memory, running again since.
            ev(POD_B, "kubelet", "OOMKilled", "Container app-z1a2b3c4d exceeded its memory limit", 1, "2026-12-07T02:30:00Z", "2026-12-07T02:30:00Z"),
            ev(POD_B, "kubelet", "Started", "Started container app-z1a2b3c4d", 1, "2026-12-07T02:30:05Z", "2026-12-07T02:30:05Z"),
            // The old replica, stopped by a rollout.
            ev(stale, "kubelet", "Killing", "Stopping container app-z1a2b3c4d", 1, "2026-12-07T02:09:00Z", "2026-12-07T02:09:00Z"),
            // Its ReplicaSet: not an instance.
            serde_json::json!({"kind": "ReplicaSet", "name": "app-z1a2b3c4d-6f7d9c8b5", "reason": "SuccessfulCreate",
                               "type": "Normal", "last_occurrence": "2026-12-07T02:09:50Z"}).to_string(),
        ].join(","));
        // C is only in the readings (fresh), D too (its last reading 20 minutes old).
        let readings = crate::prometheus::parse(r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"pod":"app-z1a2b3c4d-6f7d9c8b5-ccccc"},"values":[[1796609000,"1000"],[1796612385,"2000"]]},
            {"metric":{"pod":"app-z1a2b3c4d-6f7d9c8b5-ddddd"},"values":[[1796609000,"1000"],[1796611200,"2000"]]}]}}"#)
            .expect("readings");
        let config = config();
        let all = instances(&Inputs {
            config: &config,
            events: &list,
            memory: &readings,
            cluster: None,
            window: Window::Hour,
            now_ms: NOW,
        });
        let summary: Vec<(&str, InstanceState, u64)> = all
            .iter()
            .map(|i| (i.pod.as_str(), i.state, i.restarts))
            .collect();
        assert_eq!(
            summary,
            vec![
                (POD_A, InstanceState::CrashLoop, 4),
                ("app-z1a2b3c4d-6f7d9c8b5-ccccc", InstanceState::Running, 0),
                (POD_B, InstanceState::Running, 1),
                (stale, InstanceState::Stopped, 0),
                ("app-z1a2b3c4d-6f7d9c8b5-ddddd", InstanceState::Stopped, 0),
            ]
        );
        let a = &all[0];
        assert_eq!(
            a.first_seen_ms,
            crate::time::epoch_ms("2026-12-07T02:10:00Z")
        );
        assert_eq!(a.last_reason.as_deref(), Some("BackOff"));
        assert_eq!(a.state.label(), "Crash loop");
        assert_eq!(a.state.tone(), Tone::Error);
        let b = &all[2];
        assert_eq!(
            b.last_reason.as_deref(),
            Some("OOMKilled"),
            "its latest warning, though running now"
        );
        assert_eq!(b.last_at_ms, crate::time::epoch_ms("2026-12-07T02:30:00Z"));
        let c = &all[1];
        assert_eq!(c.first_seen_ms, Some(1_796_609_000_000.0));
        assert_eq!(
            (c.last_reason.as_ref(), c.last_message.as_ref()),
            (None, None)
        );
    }
}
