//! The one HTTP layer: base URL, auth header, the connection's request gate (`gate.rs`), timeout
//! (abort), error decoding.
//!
//! Every exchange owns an `AbortController`: it is aborted when the timeout fires (which covers the
//! body as well as the headers, so a stalled body cannot hang a screen or the poller) and when the
//! future is dropped, so a screen that cancels its task on cleanup also cancels its requests.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use berth_api::config::Connection;
use berth_api::http::{authorization, url, ApiError};
use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use serde::de::DeserializeOwned;

/// How long a plain request may take, body included, unless config.json says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

thread_local! {
    static TIMEOUT: Cell<Duration> = const { Cell::new(DEFAULT_TIMEOUT) };
}

/// How long a plain request may take, body included: config.json's `request_timeout_ms`, or
/// [`DEFAULT_TIMEOUT`]. One per page (consoles embedded twice share the last config's).
pub fn timeout() -> Duration {
    TIMEOUT.with(Cell::get)
}

/// Sets [`timeout`] from a config's `request_timeout_ms` (already range-checked by its rules).
pub fn set_timeout(ms: Option<u64>) {
    let t = ms.map_or(DEFAULT_TIMEOUT, Duration::from_millis);
    TIMEOUT.with(|c| c.set(t));
}

/// The HTTP methods the console uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending it twice may do the thing twice (so a timeout is no proof it failed).
    pub fn changes_state(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// The timeout of a request that asks the server to wait up to `wait_secs` before answering: the
/// wait and a plain request's time on top, so a slow but working server is not cut off while it
/// waits as told.
pub fn timeout_for(wait_secs: Option<u32>) -> Duration {
    let plain = timeout();
    match wait_secs {
        Some(w) => plain.max(Duration::from_secs(u64::from(w)) + plain),
        None => plain,
    }
}

/// What a timeout says. A request that changes state may have gone through: saying "failed" would
/// invite a resubmit and a duplicate.
pub fn timeout_message(method: Method, base_url: &str, limit: Duration) -> String {
    // Whole seconds, rounded up (without u128 arithmetic, whose formatting costs the first screen
    // 2 KB).
    let secs = limit.as_secs() + u64::from(limit.subsec_nanos() > 0);
    if method.changes_state() {
        format!(
            "no answer from {base_url} within {secs} s: the request may still have gone through. \
             Check the list before trying again."
        )
    } else {
        format!("no answer from {base_url} within {secs} s")
    }
}

/// A request for `conn`: URL from its base and `segments` (each percent-encoded) and `query`.
pub fn request(
    method: Method,
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> RequestBuilder {
    let target = url(&conn.base_url, segments, query);
    let builder = match method {
        Method::Post => Request::post(&target),
        Method::Put => Request::put(&target),
        Method::Delete => Request::delete(&target),
        Method::Get => Request::get(&target),
    };
    let builder = builder.header("Accept", "application/json");
    match conn.token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => builder.header("Authorization", &authorization(&conn.kind, t)),
        None => builder,
    }
}

/// The abort controller and timer of one exchange: dropping it (the exchange ended, or its task
/// was cancelled) clears the timer and aborts the fetch; an abort after the body was read does
/// nothing.
struct InFlight {
    controller: Option<web_sys::AbortController>,
    timer: Option<TimeoutHandle>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(t) = self.timer.take() {
            t.clear();
        }
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

/// Whether the browser really sends `target` (the request's URL as it parsed it: tabs and newlines
/// dropped, `\\` read as `/`) to the origin the base URL names: the page's for a path. Checked
/// before every request, so a token never goes to another host whatever the base URL hides.
pub fn stays_on_base(base: &str, target: &str) -> Result<(), String> {
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let origin = |u: &str| {
        web_sys::Url::new_with_base(u, &page)
            .ok()
            .map(|u| u.origin())
    };
    let named = if base.starts_with('/') {
        origin(&page)
    } else {
        origin(base)
    };
    let sent = origin(target);
    match (named, sent) {
        (Some(n), Some(s)) if n == s && n != "null" => Ok(()),
        (n, s) => Err(format!(
            "not sent: it would go to {}, not to {} where the connection's base URL points",
            s.unwrap_or_else(|| target.into()),
            n.unwrap_or_else(|| base.into())
        )),
    }
}

/// A 2xx answer, read to its end.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// Sends and reads the whole answer within `limit`; a timeout, a dropped connection or a refused
/// one is an `ApiError` with no status, never a panic. A non-2xx answer is decoded into the error.
pub async fn exchange(
    method: Method,
    conn: &Connection,
    builder: RequestBuilder,
    body: Option<&str>,
    limit: Duration,
) -> Result<Answer, ApiError> {
    // The base URL was checked when the connection was saved; check again here so a token is
    // never sent to another host through a protocol-relative path.
    if let Some(problem) = berth_api::http::base_url_problem(&conn.base_url) {
        return Err(ApiError::network(format!(
            "the connection's base URL {problem}"
        )));
    }
    // A place in the connection's lane first: time queued here does not count towards `limit`.
    let _pass = super::gate::enter(&conn.base_url).await;
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let builder = builder.abort_signal(signal.as_ref());
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    }
    .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    if let Err(e) = stays_on_base(&conn.base_url, &request.url()) {
        return Err(ApiError::network(e));
    }
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.clone().and_then(|c| {
        let flag = timed_out.clone();
        set_timeout_with_handle(
            move || {
                flag.set(true);
                c.abort();
            },
            limit,
        )
        .ok()
    });
    let _in_flight = InFlight { controller, timer };
    let timeout = || ApiError::network(timeout_message(method, &conn.base_url, limit));
    let response = match request.send().await {
        Ok(r) => r,
        Err(_) if timed_out.get() => return Err(timeout()),
        Err(e) => {
            return Err(ApiError::network(format!(
                "could not reach {}: {e}",
                conn.base_url
            )))
        }
    };
    let status = response.status();
    // Read once: the gate holds the connection for it, and an error carries it to its screen.
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|h| h.trim().parse().ok());
    super::gate::answered(&conn.base_url, Some(status), retry_after);
    let text = match response.text().await {
        Ok(t) => t,
        Err(_) if timed_out.get() => return Err(timeout()),
        Err(e) if response.ok() => {
            return Err(ApiError::network(format!("the answer was cut off: {e}")))
        }
        // An error whose body is lost is still the error its status says.
        Err(_) => String::new(),
    };
    if response.ok() {
        Ok(Answer { status, body: text })
    } else {
        let request_id = response
            .headers()
            .get("x-request-id")
            .filter(|s| !s.is_empty());
        let mut e = ApiError::from_response(&conn.kind, status, &text, request_id);
        e.retry_after = retry_after;
        Err(e)
    }
}

/// Reads a 2xx body as `T`; a body that does not decode is a clear error with the raw text kept.
pub fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    serde_json::from_str(&answer.body)
        .map_err(|e| ApiError::malformed(answer.status, &e.to_string(), &answer.body))
}

/// GET, answering the 2xx body undecoded.
pub async fn get_answer(
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> Result<Answer, ApiError> {
    let builder = request(Method::Get, conn, segments, query);
    exchange(Method::Get, conn, builder, None, timeout()).await
}

/// GET and decode.
pub async fn get<T: DeserializeOwned>(
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
) -> Result<T, ApiError> {
    decode(&get_answer(conn, segments, query).await?)
}

/// GET and decode, keeping the raw JSON too (for the detail pages' raw view). Both are read from
/// the text: every type has one decoder (`from_str`), never a second one from a `Value`.
pub async fn get_with_raw<T: DeserializeOwned>(
    conn: &Connection,
    segments: &[&str],
) -> Result<(T, serde_json::Value), ApiError> {
    let answer = get_answer(conn, segments, &[]).await?;
    Ok((decode(&answer)?, decode(&answer)?))
}

/// A request with an optional JSON body that answers JSON, or nothing (a 204); `limit` as given by
/// [`timeout_for`].
pub async fn send<T: DeserializeOwned>(
    method: Method,
    conn: &Connection,
    segments: &[&str],
    query: &[(&str, Option<&str>)],
    body: Option<&str>,
    limit: Duration,
) -> Result<Option<T>, ApiError> {
    let builder = request(method, conn, segments, query);
    let answer = exchange(method, conn, builder, body, limit).await?;
    if answer.status == 204 || (answer.body.trim().is_empty() && method.changes_state()) {
        return Ok(None);
    }
    decode(&answer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_request_outlives_its_wait() {
        assert_eq!(timeout_for(None), DEFAULT_TIMEOUT);
        assert_eq!(timeout_for(Some(0)), DEFAULT_TIMEOUT);
        // The form allows up to 300 s: the request must not be cut off before the server answers.
        assert_eq!(timeout_for(Some(300)), Duration::from_secs(330));
        assert!(timeout_for(Some(20)) >= Duration::from_secs(20) + DEFAULT_TIMEOUT);
    }

    #[test]
    fn the_configured_timeout_is_used_and_resets_to_the_default() {
        set_timeout(Some(2500));
        assert_eq!(timeout(), Duration::from_millis(2500));
        assert_eq!(timeout_for(Some(10)), Duration::from_millis(12_500));
        assert_eq!(
            timeout_message(Method::Get, "/api", timeout()),
            "no answer from /api within 3 s"
        );
        set_timeout(None);
        assert_eq!(timeout(), DEFAULT_TIMEOUT);
    }

    #[test]
    fn a_timed_out_change_may_have_happened() {
        let post = timeout_message(Method::Post, "/api", Duration::from_secs(40));
        assert!(post.contains("may still have gone through"), "{post}");
        assert!(!post.contains("fail"), "{post}");
        let get = timeout_message(Method::Get, "/api", DEFAULT_TIMEOUT);
        assert_eq!(get, "no answer from /api within 30 s");
    }
}
