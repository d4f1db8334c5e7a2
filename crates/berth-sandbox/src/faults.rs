//! `--faults`: the `X-Berth-Fault` request header makes the server fail on purpose, so browser
//! tests can reproduce each failure a real backend shows.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;

pub const HEADER: &str = "x-berth-fault";
/// `timeout` holds the answer this long, past any sensible client timeout.
pub const TIMEOUT: Duration = Duration::from_secs(65);

/// Armed by `X-Berth-Fault: crash-mid-write`: the next multi-write operation aborts the process
/// between two of its writes (a `kill -9` at the worst moment, for the atomicity tests).
static CRASH_MID_WRITE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Called between two writes of one operation: aborts the process when armed.
pub fn crash_point() {
    if CRASH_MID_WRITE.load(std::sync::atomic::Ordering::SeqCst) {
        eprintln!("berth-sandbox: injected fault: kill -9 between two writes");
        // SAFETY: sends SIGKILL to this process; nothing runs after it.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}

/// The fault layer, inside each API's router after its authentication (see `app::router`);
/// `kopernik` picks the error shape.
pub async fn inject(kopernik: bool, req: Request, next: Next) -> Response {
    let Some(fault) = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return next.run(req).await;
    };
    let err = |status: StatusCode, msg: &str| {
        if kopernik {
            ApiError::kopernik(status, msg)
        } else {
            ApiError::qovery(status, msg)
        }
    };
    match fault.trim() {
        "crash-mid-write" => {
            CRASH_MID_WRITE.store(true, std::sync::atomic::Ordering::SeqCst);
            next.run(req).await
        }
        "500" => err(StatusCode::INTERNAL_SERVER_ERROR, "injected fault: internal error").into_response(),
        // A token refused (401) or without the right (403), whatever the request.
        "401" => err(StatusCode::UNAUTHORIZED, "injected fault: the token was refused").into_response(),
        "403" => err(StatusCode::FORBIDDEN, "injected fault: the token may not do this").into_response(),
        // What asks for a resource another client deleted meanwhile.
        "404" => err(StatusCode::NOT_FOUND, "injected fault: not found").into_response(),
        // A newer API: every `state` / `status` string of the answer is a value no client knows.
        "unknown-state" => {
            let (parts, body) = next.run(req).await.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(mut v) => {
                    future_states(&mut v);
                    serde_json::to_vec(&v).unwrap_or_else(|_| bytes.to_vec())
                }
                Err(_) => bytes.to_vec(),
            };
            let mut r = Response::from_parts(parts, Body::from(body));
            r.headers_mut().remove(header::CONTENT_LENGTH);
            r
        }
        "503" => {
            let mut r = err(StatusCode::SERVICE_UNAVAILABLE, "injected fault: service unavailable").into_response();
            r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("3"));
            r
        }
        // `429:<secs>`: a 429 asking to wait that long (a real API's rate limit).
        f if f.starts_with("429:") && f[4..].parse::<u32>().is_ok() => {
            let mut r = err(StatusCode::TOO_MANY_REQUESTS, "injected fault: too many requests").into_response();
            if let Ok(v) = header::HeaderValue::from_str(&f[4..]) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        "429" => {
            let mut r = err(StatusCode::TOO_MANY_REQUESTS, "injected fault: too many requests").into_response();
            r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
            r
        }
        // A write that happens, whose answer a proxy then loses (nginx's 504 page): the client
        // cannot tell whether it went through. Reads are answered as usual, so the client can
        // look.
        "lost-answer" if req.method() != axum::http::Method::GET => {
            let _ = next.run(req).await;
            (
                StatusCode::GATEWAY_TIMEOUT,
                [(header::CONTENT_TYPE, "text/html")],
                "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n",
            )
                .into_response()
        }
        "lost-answer" => next.run(req).await,
        "timeout" => {
            tokio::time::sleep(TIMEOUT).await;
            err(StatusCode::GATEWAY_TIMEOUT, "injected fault: timeout").into_response()
        }
        "drop" => {
            // A body that fails at once: the connection is cut mid-answer.
            let stream = failing_body();
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(stream))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        "malformed" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"results\": [{\"id\": \"trunc",
        )
            .into_response(),
        other => err(
            StatusCode::BAD_REQUEST,
            &format!("X-Berth-Fault: unknown fault `{other}` (expected 401, 403, 404, 500, 503, 429, 429:<secs>, timeout, drop, malformed, lost-answer, unknown-state or crash-mid-write)"),
        )
        .into_response(),
    }
}

/// The value `unknown-state` puts in place of every state.
pub const FUTURE_STATE: &str = "FUTURE_STATE";

fn future_states(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if (k == "state" || k == "status") && x.is_string() {
                    *x = serde_json::Value::from(FUTURE_STATE);
                } else {
                    future_states(x);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(future_states),
        _ => {}
    }
}

fn failing_body() -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    struct Fail(bool);
    impl futures_core::Stream for Fail {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if self.0 {
                return std::task::Poll::Ready(None);
            }
            self.0 = true;
            std::task::Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected fault: connection dropped",
            ))))
        }
    }
    Fail(false)
}
