//! A usage chart drawn as SVG: one line per instance, the request and the limit as dashed lines,
//! and the same figures as a table (the chart's text alternative).

use berth_api::prometheus::{downsample, summarize, Series};
use leptos::prelude::*;

const W: f64 = 600.0;
const H: f64 = 200.0;
/// Room for the axis' labels.
const LEFT: f64 = 64.0;
const POINTS: usize = 300;
const COLORS: [&str; 4] = ["#2b6cb0", "#805ad5", "#2c7a7b", "#b83280"];

/// What a chart draws.
#[derive(Clone, Debug)]
pub struct ChartData {
    pub title: &'static str,
    pub series: Vec<Series>,
    pub request: Option<f64>,
    pub limit: Option<f64>,
    /// The window, unix seconds.
    pub from: f64,
    pub to: f64,
    /// A value as people read it ("512 MB", "0.25 cores").
    pub unit: fn(f64) -> String,
}

impl ChartData {
    fn top(&self) -> f64 {
        let peak = summarize(&self.series).map_or(0.0, |s| s.peak);
        let top = peak
            .max(self.limit.unwrap_or(0.0))
            .max(self.request.unwrap_or(0.0));
        if top > 0.0 {
            top * 1.1
        } else {
            1.0
        }
    }

    fn x(&self, t: f64) -> f64 {
        let span = (self.to - self.from).max(1.0);
        LEFT + (t - self.from) / span * (W - LEFT)
    }

    fn y(&self, v: f64, top: f64) -> f64 {
        H - v / top * (H - 10.0)
    }

    /// One sentence for the SVG's label.
    fn summary(&self) -> String {
        let peak = summarize(&self.series)
            .map(|s| format!("peak {}", (self.unit)(s.peak)))
            .unwrap_or_else(|| "no readings".into());
        let limit = self
            .limit
            .map(|l| format!(", limit {}", (self.unit)(l)))
            .unwrap_or_default();
        format!("{}: {peak}{limit}", self.title)
    }
}

/// "1 h", "24 h".
fn since(seconds: f64) -> String {
    format!("{:.0} h", seconds / 3600.0)
}

#[component]
pub fn Chart(data: ChartData) -> impl IntoView {
    let top = data.top();
    let lines: Vec<(String, &'static str)> = data
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let points: Vec<String> = downsample(&s.points, POINTS)
                .iter()
                .map(|(t, v)| format!("{:.1},{:.1}", data.x(*t), data.y(*v, top)))
                .collect();
            (points.join(" "), COLORS[i % COLORS.len()])
        })
        .collect();
    let level = |v: Option<f64>, name: &'static str, color: &'static str| {
        v.map(|v| {
            let y = data.y(v, top);
            view! {
                <line x1=LEFT x2=W y1=y y2=y stroke=color stroke-dasharray="6 4" stroke-width="1.5"/>
                <text x=W - 4.0 y=y - 4.0 text-anchor="end">{format!("{name} {}", (data.unit)(v))}</text>
            }
        })
    };
    view! {
        <svg class="berth-chart" viewBox=format!("0 0 {W} {}", H + 16.0) role="img" aria-label=data.summary()>
            <line x1=LEFT x2=W y1=H y2=H stroke="currentColor" stroke-opacity="0.3"/>
            <text x=LEFT - 6.0 y=H text-anchor="end">"0"</text>
            <text x=LEFT - 6.0 y=14.0 text-anchor="end">{(data.unit)(top)}</text>
            {lines.into_iter().map(|(p, c)| view! { <polyline points=p fill="none" stroke=c stroke-width="1.5"/> }).collect_view()}
            // Qovery sets the request to the limit: then one line says both.
            {match (data.request, data.limit) {
                (Some(r), Some(l)) if (r - l).abs() <= l * 0.01 => level(Some(l), "request = limit", "#c53030").into_any(),
                (r, l) => view! { {level(r, "request", "#718096")}{level(l, "limit", "#c53030")} }.into_any(),
            }}
            <text x=LEFT y=H + 14.0>{format!("{} ago", since(data.to - data.from))}</text>
            <text x=W y=H + 14.0 text-anchor="end">"now"</text>
        </svg>
        <Figures data=data/>
    }
}

/// The chart's figures: per instance its latest and highest reading, then the request and limit.
#[component]
fn Figures(data: ChartData) -> impl IntoView {
    let unit = data.unit;
    view! {
        <details class="berth-figures">
            <summary>{format!("{} as figures", data.title)}</summary>
            <table class="berth-table" aria-label=format!("{} figures", data.title)>
                <thead><tr><th scope="col">"Instance"</th><th scope="col" class="num">"Latest"</th><th scope="col" class="num">"Highest"</th></tr></thead>
                <tbody>
                    {data.series.iter().map(|s| view! {
                        <tr>
                            <td><code>{s.pod().unwrap_or("—").to_string()}</code></td>
                            <td class="num">{s.latest().map(|(_, v)| unit(v)).unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{s.peak().map(|(_, v)| unit(v)).unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }).collect_view()}
                    <tr><td>"Request"</td><td class="num" colspan="2">{data.request.map(unit).unwrap_or_else(|| "—".into())}</td></tr>
                    <tr><td>"Limit"</td><td class="num" colspan="2">{data.limit.map(unit).unwrap_or_else(|| "—".into())}</td></tr>
                </tbody>
            </table>
        </details>
    }
}

/// Issue #29's drawing budget: a day of one-minute points for three instances, from Qovery's
/// answer (the Prometheus JSON in a string) to the chart laid out, in one frame (16 ms).
/// `cargo xtask bench` runs this test and reports the times it logs; the test itself holds the
/// drawing to what it must be (no timing is asserted: these machines are noisy).
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use berth_api::prometheus::MetricsResponse;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    /// 24 h at one point a minute, both ends.
    const DAY_POINTS: usize = 1441;
    const TO: f64 = 1_796_612_400.0;
    const RUNS: usize = 16;

    fn answer() -> String {
        let result: Vec<serde_json::Value> = (0..3)
            .map(|i| {
                let values: Vec<serde_json::Value> = (0..DAY_POINTS)
                    .map(|k| {
                        let wave = (k as f64 / 37.0 + f64::from(i)).sin();
                        let v = 200e6 + 100e6 * wave + (k % 12) as f64 * 4e6;
                        serde_json::json!([TO - 86_400.0 + 60.0 * k as f64, v.to_string()])
                    })
                    .collect();
                serde_json::json!({"metric": {"pod": format!("app-z1a2b3c4d-6f7d9c8b5-pod{i}")}, "values": values})
            })
            .collect();
        let inner = serde_json::json!({"status": "success", "data": {"resultType": "matrix", "result": result}});
        serde_json::json!({ "metrics": inner.to_string() }).to_string()
    }

    fn list(times: &[f64]) -> String {
        times
            .iter()
            .map(|t| format!("{t:.2}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    #[wasm_bindgen_test]
    fn a_day_of_one_minute_points_for_three_instances_is_drawn_with_300_points_a_line() {
        let text = answer();
        let window = web_sys::window().expect("window");
        let document = window.document().expect("document");
        let perf = window.performance().expect("performance");
        let (mut whole, mut draw) = (Vec::new(), Vec::new());
        for run in 0..RUNS {
            let root: web_sys::HtmlElement = document
                .create_element("div")
                .expect("div")
                .unchecked_into();
            document
                .body()
                .expect("body")
                .append_child(&root)
                .expect("append");
            let t0 = perf.now();
            let series = serde_json::from_str::<MetricsResponse>(&text)
                .expect("the answer")
                .series()
                .expect("its series");
            let t1 = perf.now();
            let data = ChartData {
                title: "Memory",
                series,
                request: Some(512e6),
                limit: Some(512e6),
                from: TO - 86_400.0,
                to: TO,
                unit: |v| format!("{:.0} MB", v / 1e6),
            };
            let handle =
                leptos::mount::mount_to(root.clone(), move || view! { <Chart data=data/> });
            // Laid out now, as the frame would.
            let _ = root.offset_height();
            let t2 = perf.now();
            // The first run warms up (the allocator, the browser's caches).
            if run > 0 {
                whole.push(t2 - t0);
                draw.push(t2 - t1);
            }
            // The k-th of a kind (no NodeList in the app's web-sys features).
            let nth = |css: &str, k: usize| {
                root.query_selector(&format!("{css}:nth-of-type({k})"))
                    .ok()
                    .flatten()
            };
            for k in 1..=3 {
                let points = nth("svg polyline", k)
                    .and_then(|e| e.get_attribute("points"))
                    .expect("one line per instance");
                assert_eq!(
                    points.split(' ').count(),
                    POINTS,
                    "{DAY_POINTS} points drawn as {POINTS}"
                );
            }
            assert!(nth("svg polyline", 4).is_none(), "no fourth line");
            let text = root.text_content().unwrap_or_default();
            assert!(text.contains("request = limit 512 MB"), "{text}");
            let rows = (1..=6)
                .filter(|k| nth("table tbody tr", *k).is_some())
                .count();
            assert_eq!(rows, 5, "three instances, the request and the limit");
            drop(handle);
            root.remove();
        }
        leptos::logging::log!(
            "berth-bench chart-day whole={} draw={}",
            list(&whole),
            list(&draw)
        );
    }
}
