//! Property tests of the Health and Usage tabs' logic: whatever a cluster's events and a metrics
//! answer hold, the diagnosis does not panic, speaks only of this container's pods, and the
//! charts' helpers keep their promises (finite points, peaks kept).

use berth_api::attention::{attention_by_container, needs_attention};
use berth_api::diagnosis::{diagnose, ContainerConfig, Inputs, Tone};
use berth_api::events::KubeEvent;
use berth_api::pods::belongs_to;
use berth_api::prometheus::{downsample, parse, summarize, Series};
use berth_api::window::Window;
use proptest::prelude::*;

const ID: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
/// 2026-12-07T03:00:00Z.
const NOW: f64 = 1_796_612_400_000.0;

fn name() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("app-z1a2b3c4d-6f7d9c8b5-x2k9p".to_string()),
        Just("app-z1a2b3c4d-6f7d9c8b5-q8w7e".to_string()),
        Just("app-z1a2b3c4d-6f7d9c8b5".to_string()),
        Just("app-z1a2b3c4de-6f7d9c8b5-x2k9p".to_string()),
        Just("app-z99887766-5d4c3b2a1-qq7rt".to_string()),
        "app-z[0-9a-f]{0,10}-?[a-z0-9]{0,10}-?[a-z0-9]{0,6}",
        "\\PC{0,20}",
    ])
}

fn reason() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("OOMKilled".to_string()),
        Just("BackOff".to_string()),
        Just("Unhealthy".to_string()),
        Just("Killing".to_string()),
        Just("FailedScheduling".to_string()),
        Just("Failed".to_string()),
        Just("ErrImagePull".to_string()),
        Just("Started".to_string()),
        Just("Scheduled".to_string()),
        "\\PC{0,12}",
    ])
}

fn message() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("Back-off restarting failed container app in pod x".to_string()),
        Just("Back-off pulling image \"nginx:nope\"".to_string()),
        Just("Failed to pull image \"".to_string()),
        Just("Readiness probe failed: dial tcp 10.0.0.1:".to_string()),
        Just("Liveness probe failed: Get \"http://[::1]:99999999/\": statuscode: ".to_string()),
        Just("Container app failed startup probe, will be restarted".to_string()),
        Just("0/3 nodes are available: 3 Insufficient memory, 1 Insufficient cpu.".to_string()),
        "(Readiness|Liveness|Startup) probe failed: \\PC{0,30}:[0-9]{0,7}\\PC{0,5}",
        "\\PC{0,40}",
    ])
}

fn time() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        (0u32..120).prop_map(|m| format!("2026-12-07T{:02}:{:02}:00Z", 1 + m / 60, m % 60)),
        Just("2026-12-07T03:00:30+00:00".to_string()),
        Just("yesterday".to_string()),
        "\\PC{0,25}",
    ])
}

fn event() -> impl Strategy<Value = KubeEvent> {
    (
        (name(), reason(), message()),
        (
            prop::option::of(prop_oneof![
                Just("Pod".to_string()),
                Just("Node".to_string())
            ]),
            prop::option::of(prop_oneof![
                Just("Warning".to_string()),
                Just("Normal".to_string())
            ]),
            prop::option::of(prop_oneof![any::<i64>(), -3i64..20]),
        ),
        (time(), time(), time()),
    )
        .prop_map(|((name, reason, message), (kind, t, count), (c, f, l))| {
            serde_json::from_value(serde_json::json!({
                "name": name, "reason": reason, "message": message, "kind": kind, "type": t,
                "count": count, "created_at": c, "first_occurrence": f, "last_occurrence": l
            }))
            .unwrap_or_default()
        })
}

fn sample() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"NaN\"".to_string()),
        Just("\"+Inf\"".to_string()),
        Just("\"-Inf\"".to_string()),
        Just("\"x\"".to_string()),
        Just("null".to_string()),
        (-1e12f64..1e12).prop_map(|v| format!("\"{v}\"")),
        (0u64..1_000_000_000_000).prop_map(|v| format!("\"{v}\"")),
    ]
}

fn matrix() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("app-z1a2b3c4d-6f7d9c8b5-x2k9p"),
                Just("app-z1a2b3c4de-6f7d9c8b5-x2k9p"),
                Just("other")
            ],
            prop::collection::vec(
                (
                    prop_oneof![
                        (1_796_608_800u64..1_796_612_460).prop_map(|t| t.to_string()),
                        Just("\"NaN\"".to_string())
                    ],
                    sample(),
                ),
                0..30,
            ),
        ),
        0..4,
    )
    .prop_map(|series| {
        let items: Vec<String> = series
            .iter()
            .map(|(pod, points)| {
                let values: Vec<String> =
                    points.iter().map(|(t, v)| format!("[{t},{v}]")).collect();
                format!(
                    r#"{{"metric":{{"pod":"{pod}"}},"values":[{}]}}"#,
                    values.join(",")
                )
            })
            .collect();
        format!(
            r#"{{"status":"success","data":{{"resultType":"matrix","result":[{}]}}}}"#,
            items.join(",")
        )
    })
}

fn config() -> ContainerConfig {
    ContainerConfig {
        id: ID.to_string(),
        memory_mb: 512,
        cpu_millicores: 500,
        ports: vec![8080],
        ..ContainerConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_events_give_a_diagnosis_of_this_container_only(
        events in prop::collection::vec(event(), 0..25),
        body in matrix(),
        window in prop_oneof![Just(Window::Hour), Just(Window::SixHours), Just(Window::Day)],
    ) {
        let memory: Vec<Series> = parse(&body).unwrap_or_default();
        let config = config();
        let inputs = Inputs { config: &config, events: &events, memory: &memory, cluster: None, window, now_ms: NOW };
        let report = diagnose(&inputs);
        match report.findings.first() {
            Some(first) => prop_assert_eq!(first, &report.headline),
            None => prop_assert_eq!(report.headline.tone, Tone::Ok),
        }
        for d in &report.findings {
            prop_assert!(!d.headline.is_empty());
            prop_assert!(d.count > 0, "{:?}", d);
            for pod in &d.pods {
                prop_assert!(belongs_to(pod, ID), "{} in {:?}", pod, d);
            }
        }
        for i in &report.instances {
            prop_assert!(belongs_to(&i.pod, ID), "{:?}", i);
        }
        if let Some(a) = needs_attention(&events, ID, NOW) {
            prop_assert!(!a.text.is_empty());
        }
        let marks = attention_by_container(&events, &[ID, "99887766-0000-4000-8000-000000000003"], NOW);
        let alone = needs_attention(&events, ID, NOW);
        prop_assert_eq!(marks.get(ID), alone.as_ref());
    }

    #[test]
    fn metrics_have_finite_points_and_downsampling_keeps_the_peak(body in matrix(), max in 1usize..40) {
        let series = parse(&body).unwrap_or_default();
        for s in &series {
            prop_assert!(s.points.iter().all(|(t, v)| t.is_finite() && v.is_finite()));
            prop_assert!(s.points.windows(2).all(|w| w[0].0 <= w[1].0));
            let few = downsample(&s.points, max);
            prop_assert!(few.len() <= max.max(s.points.len().min(max)));
            prop_assert!(few.iter().all(|p| s.points.contains(p)));
            let peak = |p: &[(f64, f64)]| p.iter().map(|(_, v)| *v).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(peak(&few), peak(&s.points));
        }
        if let Some(sum) = summarize(&series) {
            prop_assert!(sum.min <= sum.latest && sum.latest <= sum.max && sum.max == sum.peak);
        }
    }

    #[test]
    fn any_text_as_metrics_is_an_answer_or_an_error(text in "\\PC{0,80}") {
        let _ = parse(&text);
        let _ = parse(&format!(r#"{{"status":"success","data":{{"resultType":"vector","result":[{text}]}}}}"#));
    }
}
