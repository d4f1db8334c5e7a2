//! The one HTTP layer: base URL, auth header, timeout (abort), error decoding.

use std::time::Duration;

use berth_api::config::Connection;
use berth_api::http::{authorization, url, ApiError};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::set_timeout_with_handle;
use serde::de::DeserializeOwned;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A request for `conn`: URL from its base and `segments` (each percent-encoded) and `query`.
pub fn request(
    method: &str,
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> RequestBuilder {
    let target = url(&conn.base_url, segments, query);
    let builder = match method {
        "POST" => Request::post(&target),
        "PUT" => Request::put(&target),
        "DELETE" => Request::delete(&target),
        _ => Request::get(&target),
    };
    let builder = builder.header("Accept", "application/json");
    match conn.token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => builder.header("Authorization", &authorization(&conn.kind, t)),
        None => builder,
    }
}

/// Sends with a timeout; a timeout, a dropped connection or a refused one is an `ApiError` with no
/// status, never a panic.
pub async fn send(conn: &Connection, builder: RequestBuilder) -> Result<Response, ApiError> {
    send_with(conn, builder, |b| b.build()).await
}

/// As `send`, with a JSON body.
pub async fn send_json<B: serde::Serialize>(
    conn: &Connection,
    builder: RequestBuilder,
    body: &B,
) -> Result<Response, ApiError> {
    send_with(conn, builder, |b| b.json(body)).await
}

async fn send_with(
    conn: &Connection,
    builder: RequestBuilder,
    finish: impl FnOnce(RequestBuilder) -> Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<Response, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let request = finish(builder.abort_signal(signal.as_ref()))
        .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    let timer = controller
        .clone()
        .and_then(|c| set_timeout_with_handle(move || c.abort(), TIMEOUT).ok());
    let result = request.send().await;
    let timed_out = signal.as_ref().is_some_and(|s| s.aborted());
    if let Some(t) = timer {
        t.clear();
    }
    let response = result.map_err(|e| {
        if timed_out {
            ApiError::network(format!(
                "no answer from {} within {} s",
                conn.base_url,
                TIMEOUT.as_secs()
            ))
        } else {
            ApiError::network(format!("could not reach {}: {e}", conn.base_url))
        }
    })?;
    if response.ok() {
        Ok(response)
    } else {
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .filter(|s| !s.is_empty());
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.unwrap_or_default();
        Err(
            ApiError::from_response(&conn.kind, status, &body, request_id)
                .with_retry_after(retry_after.as_deref()),
        )
    }
}

/// Reads a 2xx body as `T`; a body that does not decode is a clear error with the raw text kept.
pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| ApiError::network(format!("the answer was cut off: {e}")))?;
    serde_json::from_str(&body).map_err(|e| ApiError::malformed(status, &e.to_string(), &body))
}

/// GET and decode.
pub async fn get<T: DeserializeOwned>(
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> Result<T, ApiError> {
    let response = send(conn, request("GET", conn, segments, query)).await?;
    decode(response).await
}

/// GET and decode, keeping the raw JSON too (for the detail pages' raw view).
pub async fn get_with_raw<T: DeserializeOwned>(
    conn: &Connection,
    segments: &[&str],
) -> Result<(T, serde_json::Value), ApiError> {
    let raw: serde_json::Value = get(conn, segments, &[]).await?;
    let typed = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::malformed(200, &e.to_string(), &raw.to_string()))?;
    Ok((typed, raw))
}

/// A request without a body that answers JSON (or nothing, e.g. a 204).
pub async fn send_empty<T: DeserializeOwned>(
    method: &str,
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> Result<Option<T>, ApiError> {
    let response = send(conn, request(method, conn, segments, query)).await?;
    if response.status() == 204 {
        return Ok(None);
    }
    decode(response).await.map(Some)
}
