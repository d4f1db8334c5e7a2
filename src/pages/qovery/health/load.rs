//! What the Health and Usage tabs read: where the container runs (its environment's cluster, and
//! whether that cluster collects metrics), the cluster's events of the window, and the series.

use berth_api::cluster::Cluster;
use berth_api::config::Connection;
use berth_api::events::{EventsQuery, KubeEvent};
use berth_api::prometheus::Series;
use berth_api::promql::{self, MetricsQuery, Resource};
use berth_api::window::Window;

use crate::api::{self, ApiError};

/// The container's cluster, as far as it could be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub cluster_id: String,
    /// `None`: the organization's list does not show it (no right to read it, say).
    pub cluster: Option<Cluster>,
}

impl Place {
    pub fn metrics_on(&self) -> bool {
        self.cluster.as_ref().is_some_and(Cluster::metrics_enabled)
    }

    /// "Metrics are not collected on …", when they are not.
    pub fn metrics_off_note(&self) -> Option<String> {
        (!self.metrics_on()).then(|| {
            let name = self.cluster.as_ref().map_or(self.cluster_id.as_str(), |c| c.label());
            format!(
                "Metrics are not collected on the cluster {name}: CPU and memory readings need them \
                 turned on in the cluster's settings."
            )
        })
    }
}

/// The environment `env`'s cluster.
pub async fn place(c: &Connection, env: &str) -> Result<Place, ApiError> {
    let e = api::qovery::environment(c, env).await?;
    let Some(cluster_id) = e.cluster_id.filter(|id| !id.is_empty()) else {
        return Err(ApiError {
            status: Some(200),
            ..ApiError::network(
                "the environment names no cluster: its events and metrics cannot be read",
            )
        });
    };
    let org = e.organization.map(|o| o.id).unwrap_or_default();
    let cluster = api::cluster::cluster(c, &org, &cluster_id).await?;
    Ok(Place {
        cluster_id,
        cluster,
    })
}

/// Readings of one query: the series, or why there are none.
pub type Readings = Result<Vec<Series>, String>;

/// What the Health tab shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Health {
    pub place: Place,
    pub events: Vec<KubeEvent>,
    /// Memory by pod (`None`: metrics off).
    pub memory: Option<Readings>,
    pub now_ms: f64,
}

pub async fn health(
    c: Connection,
    place: Place,
    id: String,
    window: Window,
) -> Result<Health, ApiError> {
    let (c, id) = (&c, id.as_str());
    let now_ms = crate::state::clock::now_ms();
    let raw = api::cluster::events(
        c,
        &place.cluster_id,
        &EventsQuery::for_window(window, now_ms),
    )
    .await?;
    // Each aggregated Event once, counted within the window ("5 times", not its count since
    // yesterday).
    let events = berth_api::events::collapse(raw, window.range(now_ms).from_ms);
    let memory = match place.metrics_on() {
        true => Some(range(c, &place, promql::memory_usage(id), window, now_ms).await),
        false => None,
    };
    Ok(Health {
        place,
        events,
        memory,
        now_ms,
    })
}

async fn range(
    c: &Connection,
    place: &Place,
    query: String,
    window: Window,
    now_ms: f64,
) -> Readings {
    api::cluster::metrics(
        c,
        &place.cluster_id,
        &MetricsQuery::range(query, window, now_ms),
    )
    .await
}

/// One resource's usage and its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub used: Readings,
    pub request: Option<f64>,
    pub limit: Option<f64>,
}

/// What the Usage tab shows (`None` in `cpu` and `memory`: metrics off).
#[derive(Clone, Debug, PartialEq)]
pub struct UsageData {
    pub place: Place,
    pub cpu: Option<Usage>,
    pub memory: Option<Usage>,
    pub now_ms: f64,
}

pub async fn usage(
    c: Connection,
    place: Place,
    id: String,
    window: Window,
) -> Result<UsageData, ApiError> {
    let (c, id) = (&c, id.as_str());
    let now_ms = crate::state::clock::now_ms();
    if !place.metrics_on() {
        return Ok(UsageData {
            place,
            cpu: None,
            memory: None,
            now_ms,
        });
    }
    let mut out = Vec::new();
    for (used, resource) in [
        (promql::cpu_usage(id, window), Resource::Cpu),
        (promql::memory_usage(id), Resource::Memory),
    ] {
        let used = range(c, &place, used, window, now_ms).await;
        let request = level(c, &place, promql::request(id, resource), now_ms).await;
        let limit = level(c, &place, promql::limit(id, resource), now_ms).await;
        out.push(Usage {
            used,
            request,
            limit,
        });
    }
    let memory = out.pop();
    let cpu = out.pop();
    Ok(UsageData {
        place,
        cpu,
        memory,
        now_ms,
    })
}

/// A request or limit line: the value now (one per instance, they are alike).
async fn level(c: &Connection, place: &Place, query: String, now_ms: f64) -> Option<f64> {
    api::cluster::metrics(c, &place.cluster_id, &MetricsQuery::instant(query, now_ms))
        .await
        .ok()
        .and_then(|s| berth_api::prometheus::level(&s))
}
