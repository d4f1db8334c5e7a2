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
