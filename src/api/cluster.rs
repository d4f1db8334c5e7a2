//! What Qovery says about a cluster: its settings (is metrics collection on?), its Kubernetes
//! events, and Prometheus queries over its metrics. Read by the container page's Health and Usage
//! tabs and, for events, by the containers list.

use berth_api::cluster::Cluster;
use berth_api::config::Connection;
use berth_api::events::{EventsPage, EventsQuery, KubeEvent};
use berth_api::prometheus::{MetricsError, MetricsResponse, Series};
use berth_api::promql::MetricsQuery;
use berth_api::qovery::ListResponse;

use super::http::get;
use super::ApiError;

/// The organization's cluster `id` (the spec lists clusters; it has no GET of one).
pub async fn cluster(c: &Connection, org: &str, id: &str) -> Result<Option<Cluster>, ApiError> {
    let list: ListResponse<Cluster> = get(c, &["organization", org, "cluster"], &[]).await?;
    Ok(list.results.into_iter().find(|x| x.id == id))
}

/// The cluster's events of `query`'s window.
pub async fn events(
    c: &Connection,
    cluster: &str,
    query: &EventsQuery,
) -> Result<Vec<KubeEvent>, ApiError> {
    let page: EventsPage = get(c, &EventsQuery::segments(cluster), &query.pairs()).await?;
    Ok(page.results)
}

/// A metrics query's series, or why there are none, in words (the request's failure, or what
/// Prometheus said of the query).
pub async fn metrics(
    c: &Connection,
    cluster: &str,
    query: &MetricsQuery,
) -> Result<Vec<Series>, String> {
    let answer: MetricsResponse = get(c, &MetricsQuery::segments(cluster), &query.pairs())
        .await
        .map_err(|e| super::describe(&e))?;
    answer.series().map_err(|e| match e {
        MetricsError::Query { error_type, error } => {
            format!("the metrics query was refused ({error_type}): {error}")
        }
        MetricsError::Malformed(why) => format!("the metrics answer could not be read: {why}"),
    })
}
