//! The deterministic signals behind the metrics: a pod's CPU counter and memory gauge are
//! functions of (container id, pod, time), nothing stored and nothing random, so every read and
//! every restart of the server agree. Prometheus scrapes every [`SCRAPE_MS`]: a pod has samples
//! at `offset + k × 15 s` (the offset derived from the pod) from its start until it stops (or
//! now).
//!
//! - Healthy (and `probe-fail`, whose process runs): CPU at 8-33 % of the limit on average,
//!   waving ±40 %; memory at 30-45 % of the limit, waving ±5 %.
//! - `oom-worker`: memory climbs linearly from [`OOM_FLOOR_BYTES`] to the limit over
//!   [`OOM_PERIOD_S`], where the container is OOM killed and starts again (events.rs reports an
//!   `OOMKilled` at each `start + k × OOM_PERIOD_S`).

use std::f64::consts::TAU;

use crate::pods::{stable_hash, Behaviour, Pod, Workload};

/// Prometheus' scrape interval (ASSUMED: Qovery's managed Prometheus scrapes every 15 s).
pub const SCRAPE_MS: i64 = 15_000;
/// How far back an instant selector looks for a sample (Prometheus' default lookback).
pub const LOOKBACK_MS: i64 = 300_000;
/// The OOM killer's period for `oom-worker`: 12 minutes.
pub const OOM_PERIOD_S: i64 = 720;
/// Where `oom-worker`'s memory starts after each restart: 60 MiB.
pub const OOM_FLOOR_BYTES: f64 = 60.0 * 1_048_576.0;

/// The metrics the sandbox knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    CpuSeconds,
    MemoryBytes,
    /// `kube_pod_container_resource_limits` / `_requests` (Qovery sets both to the configured
    /// resources): cores for cpu, bytes for memory.
    CpuCores,
    MemoryLimitBytes,
}

/// A number in [0, 1) from a seed and a salt.
fn unit(seed: u64, salt: &str) -> f64 {
    (stable_hash(&[&seed.to_string(), salt]) >> 11) as f64 / (1u64 << 53) as f64
}

/// The signals of one pod of a workload, as Prometheus would have scraped them by `now_ms`.
#[derive(Debug, Clone)]
pub struct PodSignal {
    behaviour: Behaviour,
    start_s: i64,
    /// Samples exist from here...
    first_ms: i64,
    /// ...to here (its stop, or now).
    last_ms: i64,
    /// The pod stopped (its series go stale after its last sample).
    stopped: bool,
    offset_ms: i64,
    cpu_cores: f64,
    memory_bytes: f64,
    cpu_mean: f64,
    cpu_phases: (f64, f64),
    memory_level: f64,
    memory_phases: (f64, f64),
}

impl PodSignal {
    pub fn new(w: &Workload, pod: &Pod, now_ms: i64) -> PodSignal {
        let seed = stable_hash(&[&w.container_id]);
        let pod_seed = stable_hash(&[&w.container_id, &pod.name]);
        let stop_ms = pod.end_s.map(|e| e * 1000);
        PodSignal {
            behaviour: w.behaviour,
            start_s: pod.start_s,
            first_ms: pod.start_s * 1000,
            last_ms: stop_ms.map_or(now_ms, |s| s.min(now_ms)),
            stopped: stop_ms.is_some(),
            offset_ms: (pod_seed % SCRAPE_MS as u64) as i64,
            cpu_cores: w.cpu_millicores as f64 / 1000.0,
            memory_bytes: w.memory_mb as f64 * 1_048_576.0,
            cpu_mean: if w.behaviour == Behaviour::OomKilled {
                0.3
            } else {
                0.08 + 0.25 * unit(seed, "cpu")
            },
            cpu_phases: (TAU * unit(pod_seed, "cpu1"), TAU * unit(pod_seed, "cpu2")),
            memory_level: 0.30 + 0.15 * unit(seed, "memory"),
            memory_phases: (TAU * unit(pod_seed, "mem1"), TAU * unit(pod_seed, "mem2")),
        }
    }

    /// The value of `metric` at `t_ms` (a sample time).
    pub fn value(&self, metric: Metric, t_ms: i64) -> f64 {
        let t = (t_ms as f64 / 1000.0) - self.start_s as f64;
        match metric {
            Metric::CpuSeconds => self.cpu_seconds(t.max(0.0)),
            Metric::MemoryBytes => self.memory(t.max(0.0)),
            Metric::CpuCores => self.cpu_cores,
            Metric::MemoryLimitBytes => self.memory_bytes,
        }
    }

    /// CPU seconds used in the `t` seconds since the pod started: the integral of a usage of
    /// `cores × mean × (1 + 0.3 sin(2πt/600 + a) + 0.1 sin(2πt/97 + b))`, always positive, so
    /// the counter only grows.
    fn cpu_seconds(&self, t: f64) -> f64 {
        let (a, b) = self.cpu_phases;
        let (w1, w2) = (TAU / 600.0, TAU / 97.0);
        let wave =
            0.3 / w1 * (a.cos() - (w1 * t + a).cos()) + 0.1 / w2 * (b.cos() - (w2 * t + b).cos());
        self.cpu_cores * self.cpu_mean * (t + wave)
    }

    /// Working-set bytes `t` seconds after the pod started.
    fn memory(&self, t: f64) -> f64 {
        if self.behaviour == Behaviour::OomKilled {
            let period = OOM_PERIOD_S as f64;
            let phase = (t / period).fract();
            return OOM_FLOOR_BYTES + (self.memory_bytes - OOM_FLOOR_BYTES).max(0.0) * phase;
        }
        let (a, b) = self.memory_phases;
        let level = self.memory_level
            + 0.04 * (TAU * t / 1800.0 + a).sin()
            + 0.01 * (TAU * t / 70.0 + b).sin();
        self.memory_bytes * level
    }

    /// The sample times with `from_ms < t <= to_ms`.
    pub fn sample_times(&self, from_ms: i64, to_ms: i64) -> impl Iterator<Item = i64> {
        let lo = (from_ms + 1).max(self.first_ms);
        let hi = to_ms.min(self.last_ms);
        let off = self.offset_ms;
        let k_lo = (lo - off + SCRAPE_MS - 1).div_euclid(SCRAPE_MS);
        let k_hi = (hi - off).div_euclid(SCRAPE_MS);
        (k_lo..=k_hi).map(move |k| off + k * SCRAPE_MS)
    }

    /// The latest sample an instant selector sees at `t_ms`: at most [`LOOKBACK_MS`] old, and
    /// none after a stopped pod's end (Prometheus marks its series stale).
    pub fn latest(&self, t_ms: i64) -> Option<i64> {
        if self.stopped && t_ms > self.last_ms {
            return None;
        }
        let hi = t_ms.min(self.last_ms);
        let s = self.offset_ms + (hi - self.offset_ms).div_euclid(SCRAPE_MS) * SCRAPE_MS;
        (s >= self.first_ms && s > t_ms - LOOKBACK_MS).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload(behaviour: Behaviour) -> Workload {
        Workload {
            container_id: "3f2a9c1e-77aa-4b1c-9d2e-0123456789ab".into(),
            namespace: "zabc".into(),
            kube_container: "app-z3f2a9c1e".into(),
            image: "docker.io/nginx:1.27".into(),
            cpu_millicores: 500,
            memory_mb: 512,
            readiness: serde_json::Value::Null,
            behaviour,
            pods: vec![Pod {
                name: "app-z3f2a9c1e-0123456789-bcdfg".into(),
                uid: "u".into(),
                node: None,
                ip: "10.0.0.2".into(),
                start_s: 1_700_000_000,
                end_s: None,
            }],
        }
    }

    #[test]
    fn cpu_grows_below_the_limit_and_memory_stays_under_it() {
        let w = workload(Behaviour::Healthy);
        let s = PodSignal::new(&w, &w.pods[0], 1_700_100_000_000);
        let mut last = 0.0;
        for k in 1..2000 {
            let t = 1_700_000_000_000 + k * 15_000;
            let c = s.value(Metric::CpuSeconds, t);
            assert!(c > last, "the counter grows");
            // Over one scrape, at most the limit's worth of CPU.
            assert!(c - last < 0.5 * 15.0);
            last = c;
            let m = s.value(Metric::MemoryBytes, t);
            assert!(m > 0.0 && m < 512.0 * 1_048_576.0);
        }
        assert_eq!(s.value(Metric::CpuSeconds, 1_700_000_000_000), 0.0);
    }

    #[test]
    fn oom_memory_climbs_to_the_limit_and_drops() {
        let w = workload(Behaviour::OomKilled);
        let s = PodSignal::new(&w, &w.pods[0], 1_700_100_000_000);
        let limit = 512.0 * 1_048_576.0;
        let kill = (1_700_000_000 + OOM_PERIOD_S) * 1000;
        assert!(s.value(Metric::MemoryBytes, kill - 1000) > 0.99 * limit);
        assert!(s.value(Metric::MemoryBytes, kill + 1000) < 0.15 * limit);
    }

    #[test]
    fn samples_on_the_grid_within_the_life() {
        let mut w = workload(Behaviour::Healthy);
        w.pods[0].end_s = Some(1_700_000_600);
        let s = PodSignal::new(&w, &w.pods[0], 1_800_000_000_000);
        let times: Vec<i64> = s.sample_times(0, i64::MAX / 2).collect();
        assert_eq!(times.len(), 40);
        assert!(times.windows(2).all(|p| p[1] - p[0] == SCRAPE_MS));
        assert!(times[0] >= 1_700_000_000_000 && times[39] <= 1_700_000_600_000);
        assert_eq!(s.latest(1_700_000_600_001), None, "stale after the stop");
        assert!(s.latest(1_700_000_300_000).is_some());
        assert_eq!(
            s.latest(1_699_999_999_000),
            None,
            "nothing before the start"
        );
    }
}
