//! The answer of `GET /cluster/{clusterId}/metrics` (spec `ClusterMetricsResponse`:
//! `{"metrics": "<Prometheus' JSON answer, as a string>"}`), read into series, and what the charts
//! need from them: peak, latest, range, and fewer points to draw.
//!
//! Prometheus writes sample values as strings, `"NaN"`, `"+Inf"` and `"-Inf"` included. Those
//! points are skipped (not kept as NaN): a chart cannot place them, and a peak of `+Inf` would say
//! nothing. Every other odd part (a point that is not `[time, "value"]`, a label that is not a
//! string) is skipped too; only an answer that is not Prometheus' at all is an error.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

/// `ClusterMetricsResponse`. `metrics` is a JSON string per the spec; an object in its place is
/// read as well.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MetricsResponse {
    #[serde(default)]
    pub metrics: Option<Value>,
}

impl MetricsResponse {
    /// The series of the Prometheus answer inside.
    pub fn series(&self) -> Result<Vec<Series>, MetricsError> {
        match &self.metrics {
            Some(Value::String(text)) => parse(text),
            Some(v @ Value::Object(_)) => from_value(v),
            Some(_) | None => Err(MetricsError::Malformed(
                "the answer has no `metrics` text".into(),
            )),
        }
    }
}

/// Why there are no series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsError {
    /// Prometheus answered `"status": "error"` (`errorType`: `bad_data`, `timeout`, `execution`…).
    Query { error_type: String, error: String },
    /// Not a Prometheus answer.
    Malformed(String),
}

impl fmt::Display for MetricsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricsError::Query { error_type, error } => {
                write!(f, "the metrics query failed ({error_type}): {error}")
            }
            MetricsError::Malformed(why) => {
                write!(f, "the metrics answer could not be read: {why}")
            }
        }
    }
}

/// One series: its labels (`pod`…) and its points, `(unix seconds, value)`, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }

    /// The `pod` label.
    pub fn pod(&self) -> Option<&str> {
        self.label("pod")
    }

    /// The highest point `(time, value)` (the earliest of equal ones).
    pub fn peak(&self) -> Option<(f64, f64)> {
        self.points
            .iter()
            .copied()
            .fold(None, |best: Option<(f64, f64)>, p| match best {
                Some(b) if b.1 >= p.1 => Some(b),
                _ => Some(p),
            })
    }

    /// The newest point.
    pub fn latest(&self) -> Option<(f64, f64)> {
        self.points.last().copied()
    }
}

/// Reads the Prometheus answer `text` (`/api/v1/query_range` or `/api/v1/query`).
pub fn parse(text: &str) -> Result<Vec<Series>, MetricsError> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| MetricsError::Malformed(format!("not JSON ({e})")))?;
    from_value(&v)
}

fn from_value(v: &Value) -> Result<Vec<Series>, MetricsError> {
    let text = |key: &str| v.get(key).and_then(Value::as_str);
    match text("status") {
        Some("success") => {}
        Some("error") => {
            return Err(MetricsError::Query {
                error_type: text("errorType").unwrap_or("unknown").to_string(),
                error: text("error").unwrap_or("no message").to_string(),
            })
        }
        Some(other) => return Err(MetricsError::Malformed(format!("status `{other}`"))),
        None => return Err(MetricsError::Malformed("no `status`".into())),
    }
    let data = v
        .get("data")
        .ok_or_else(|| MetricsError::Malformed("no `data`".into()))?;
    let result = data.get("result").unwrap_or(&Value::Null);
    match data.get("resultType").and_then(Value::as_str) {
        Some("matrix") | Some("vector") => {
            let items = result
                .as_array()
                .ok_or_else(|| MetricsError::Malformed("`result` is not a list".into()))?;
            Ok(items.iter().filter_map(series_of).collect())
        }
        Some("scalar") => Ok(point(result)
            .map(|p| Series {
                labels: BTreeMap::new(),
                points: vec![p],
            })
            .into_iter()
            .collect()),
        // A string result has nothing to chart.
        Some("string") => Ok(Vec::new()),
        Some(other) => Err(MetricsError::Malformed(format!("result type `{other}`"))),
        None => Err(MetricsError::Malformed("no `resultType`".into())),
    }
}

/// A matrix item (`values`) or a vector item (`value`); `None` when it is not an object.
fn series_of(item: &Value) -> Option<Series> {
    let obj = item.as_object()?;
    let labels = obj
        .get("metric")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let mut points: Vec<(f64, f64)> = match (obj.get("values"), obj.get("value")) {
        (Some(Value::Array(values)), _) => values.iter().filter_map(point).collect(),
        (_, Some(value)) => point(value).into_iter().collect(),
        _ => Vec::new(),
    };
    if points.windows(2).any(|w| w[0].0 > w[1].0) {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Some(Series { labels, points })
}

/// `[time, "value"]` with both finite; `None` otherwise (NaN and infinities included).
fn point(v: &Value) -> Option<(f64, f64)> {
    let pair = v.as_array()?;
    let [t, x] = pair.as_slice() else {
        return None;
    };
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let (t, x) = (num(t)?, num(x)?);
    (t.is_finite() && x.is_finite()).then_some((t, x))
}

/// What a chart says beside its lines, over every series.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The highest value, when (unix seconds) and in which series (its `pod`).
    pub peak: f64,
    pub peak_at: f64,
    pub peak_pod: Option<String>,
    /// The newest reading: the value at the newest time of any series (the highest, when several
    /// series have a point then).
    pub latest: f64,
    pub latest_at: f64,
    /// The lowest and highest values, for the chart's axis (`max` is `peak`).
    pub min: f64,
    pub max: f64,
}

/// The summary of `series`; `None` when they hold no point.
pub fn summarize(series: &[Series]) -> Option<Summary> {
    let mut out: Option<Summary> = None;
    for s in series {
        for &(t, v) in &s.points {
            let sum = out.get_or_insert_with(|| Summary {
                peak: v,
                peak_at: t,
                peak_pod: s.pod().map(str::to_string),
                latest: v,
                latest_at: t,
                min: v,
                max: v,
            });
            if v > sum.peak {
                sum.peak = v;
                sum.peak_at = t;
                sum.peak_pod = s.pod().map(str::to_string);
            }
            if t > sum.latest_at || (t == sum.latest_at && v > sum.latest) {
                sum.latest = v;
                sum.latest_at = t;
            }
            sum.min = sum.min.min(v);
            sum.max = sum.max.max(v);
        }
    }
    out
}

/// The level of a request or limit line: the highest of the series' newest values (each instance
/// has its own series; they agree unless a deploy changed the value). `None` without a point.
pub fn level(series: &[Series]) -> Option<f64> {
    series
        .iter()
        .filter_map(|s| s.latest())
        .map(|(_, v)| v)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
}

/// At most `max_points` of `points` to draw: the points are cut into `max_points` runs of equal
/// length and the highest point of each run is kept (with its time), so a spike is never smoothed
/// away. Fewer points than that are returned as they are.
pub fn downsample(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    if points.len() <= max_points {
        return points.to_vec();
    }
    let n = points.len();
    (0..max_points)
        .filter_map(|b| {
            let run = &points[b * n / max_points..(b + 1) * n / max_points];
            run.iter()
                .copied()
                .fold(None, |best: Option<(f64, f64)>, p| match best {
                    Some(q) if q.1 >= p.1 => Some(q),
                    _ => Some(p),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Qovery sends for a `query_range`: Prometheus' answer as a JSON string.
    const MATRIX: &str = r#"{"metrics": "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"app-z1a2b3c4d-6f7d9c8b5-x2k9p\"},\"values\":[[1796612400,\"402653184\"],[1796612415,\"NaN\"],[1796612430,\"536870912\"],[1796612445,\"+Inf\"],[1796612460,\"268435456\"]]},{\"metric\":{\"pod\":\"app-z1a2b3c4d-6f7d9c8b5-q8w7e\",\"odd\":3},\"values\":[[1796612400,\"100000000\"],[1796612460,\"300000000\"],[\"bad\"],[1796612475.5,\"-Inf\"]]}]}}"}"#;

    #[test]
    fn a_matrix_reads_without_its_nan_and_infinite_points() {
        let r: MetricsResponse = serde_json::from_str(MATRIX).expect("outer");
        let series = r.series().expect("series");
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].pod(), Some("app-z1a2b3c4d-6f7d9c8b5-x2k9p"));
        assert_eq!(
            series[0].points,
            vec![
                (1_796_612_400.0, 402_653_184.0),
                (1_796_612_430.0, 536_870_912.0),
                (1_796_612_460.0, 268_435_456.0)
            ]
        );
        assert_eq!(series[1].labels.len(), 1, "the numeric label is dropped");
        assert_eq!(series[1].points.len(), 2);

        let sum = summarize(&series).expect("points");
        assert_eq!(sum.peak, 536_870_912.0);
        assert_eq!(sum.peak_at, 1_796_612_430.0);
        assert_eq!(
            sum.peak_pod.as_deref(),
            Some("app-z1a2b3c4d-6f7d9c8b5-x2k9p")
        );
        assert_eq!(
            (sum.latest, sum.latest_at),
            (300_000_000.0, 1_796_612_460.0)
        );
        assert_eq!((sum.min, sum.max), (100_000_000.0, 536_870_912.0));
        assert_eq!(level(&series), Some(300_000_000.0));
        assert_eq!(series[0].peak(), Some((1_796_612_430.0, 536_870_912.0)));
        assert_eq!(series[0].latest(), Some((1_796_612_460.0, 268_435_456.0)));
    }

    #[test]
    fn a_vector_and_a_scalar_read_as_one_point_series() {
        let v = parse(
            r#"{"status":"success","data":{"resultType":"vector","result":[
                {"metric":{"pod":"p1"},"value":[1796616000.123,"536870912"]},
                {"metric":{"pod":"p2"},"value":[1796616000.123,"NaN"]}]}}"#,
        )
        .expect("vector");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].points, vec![(1_796_616_000.123, 536_870_912.0)]);
        assert!(v[1].points.is_empty(), "NaN skipped, the series kept");
        assert_eq!(level(&v), Some(536_870_912.0));
        let s = parse(
            r#"{"status":"success","data":{"resultType":"scalar","result":[1796616000,"2"]}}"#,
        )
        .expect("scalar");
        assert_eq!(s[0].points, vec![(1_796_616_000.0, 2.0)]);
        let none = parse(r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
            .expect("empty");
        assert!(summarize(&none).is_none() && level(&none).is_none());
        // An object in place of the string is read too.
        let obj: MetricsResponse = serde_json::from_str(
            r#"{"metrics":{"status":"success","data":{"resultType":"vector","result":[]}}}"#,
        )
        .expect("outer");
        assert_eq!(obj.series(), Ok(Vec::new()));
    }

    #[test]
    fn errors_are_typed() {
        let r: MetricsResponse = serde_json::from_str(
            r#"{"metrics": "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected identifier\"}"}"#,
        )
        .expect("outer");
        let err = r.series().expect_err("an error");
        assert_eq!(
            err,
            MetricsError::Query {
                error_type: "bad_data".into(),
                error: "1:5: parse error: unexpected identifier".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "the metrics query failed (bad_data): 1:5: parse error: unexpected identifier"
        );
        for bad in [
            r#"{}"#,
            r#"{"metrics": 5}"#,
            r#"{"metrics": "not json"}"#,
            r#"{"metrics": "{\"data\":{}}"}"#,
            r#"{"metrics": "{\"status\":\"success\"}"}"#,
            r#"{"metrics": "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":{}}}"}"#,
        ] {
            let r: MetricsResponse = serde_json::from_str(bad).expect("outer");
            assert!(
                matches!(r.series(), Err(MetricsError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn downsampling_keeps_every_peak() {
        let points: Vec<(f64, f64)> = (0..1000)
            .map(|i| {
                (
                    i as f64,
                    if i == 537 || i == 3 {
                        99.0
                    } else {
                        (i % 7) as f64
                    },
                )
            })
            .collect();
        let few = downsample(&points, 100);
        assert_eq!(few.len(), 100);
        assert!(few.contains(&(537.0, 99.0)) && few.contains(&(3.0, 99.0)));
        assert!(
            few.windows(2).all(|w| w[0].0 < w[1].0),
            "still in time order"
        );
        assert_eq!(
            few.iter().filter(|p| p.1 == 99.0).count(),
            2,
            "nothing invented"
        );
        // An uneven split still covers every point once.
        let odd = downsample(&points[..10], 3);
        assert_eq!(odd.len(), 3);
        assert_eq!(odd, vec![(2.0, 2.0), (3.0, 99.0), (6.0, 6.0)]);
        assert_eq!(downsample(&points[..5], 10), points[..5].to_vec());
        assert!(downsample(&points, 0).is_empty());
    }
}
