//! The router: both APIs behind their auth, unknown API paths as API-shaped 404s, the app at `/`.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::db::Db;
use crate::errors::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub token: Arc<str>,
    pub provision_ms: u64,
    /// `--status-lag-ms`: how long status reads keep showing the state before an operation.
    pub status_lag_ms: u64,
    /// Resources for jq scans, per (kind, parent), valid for one database generation.
    pub scans: Arc<std::sync::Mutex<ScanCache>>,
    /// The jq workers.
    pub jq: Arc<crate::jq::Pool>,
    /// Keys of Actions as they end, for requests waiting on them (`waitTime`).
    pub actions_ended: crate::engine::Ended,
}

/// Per `kind/parent`: the database generation it was read at, and the resources.
type ScanCache = std::collections::HashMap<String, (u64, Arc<Scan>)>;

/// A snapshot of resources; `id` is unique to it in this process (jq workers cache by it).
pub struct Scan {
    pub id: u64,
    pub rows: Vec<Scanned>,
}

static SCAN_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// One stored resource: its position and its JSON text (what jq workers filter, and the answer).
pub struct Scanned {
    pub seq: i64,
    pub text: String,
}

impl AsRef<[u8]> for Scanned {
    fn as_ref(&self) -> &[u8] {
        self.text.as_bytes()
    }
}

impl AppState {
    pub fn new(
        db: Db,
        token: String,
        provision_ms: u64,
        status_lag_ms: u64,
        jq: crate::jq::Pool,
    ) -> Self {
        Self {
            db: Arc::new(db),
            token: token.into(),
            provision_ms,
            status_lag_ms,
            scans: Arc::default(),
            jq: Arc::new(jq),
            actions_ended: tokio::sync::broadcast::channel(1024).0,
        }
    }

    /// Every resource of `kind` under `parent`, in order: re-read only after a write.
    pub fn scan(&self, kind: &str, parent: Option<&str>) -> Result<Arc<Scan>, String> {
        let key = format!("{kind}/{}", parent.unwrap_or("*"));
        let generation = self.db.generation();
        {
            let cache = self.scans.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((g, rows)) = cache.get(&key) {
                if *g == generation {
                    return Ok(rows.clone());
                }
            }
        }
        let rows: Vec<Scanned> = self
            .db
            .list_raw(kind, parent, 0, i64::MAX)?
            .into_iter()
            .map(|(seq, text)| Scanned { seq, text })
            .collect();
        let scan = Arc::new(Scan {
            id: SCAN_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            rows,
        });
        let mut cache = self.scans.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(key, (generation, scan.clone()));
        Ok(scan)
    }
}

pub struct Options<'a> {
    pub dist: Option<&'a Path>,
    pub faults: bool,
    pub cors_origins: &'a [String],
    pub hosts: Hosts,
}

/// The Host names the server answers (against DNS rebinding: a page on another site that
/// resolves its own name to 127.0.0.1 must not reach the API): `localhost`, IP addresses that
/// are loopback or the one listened on (any IP when listening on all of them), and the
/// `--allow-host` names.
#[derive(Clone)]
pub struct Hosts {
    pub listen: std::net::IpAddr,
    pub names: Vec<String>,
}

impl Hosts {
    pub fn allows(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            // [v6]:port
            Some(rest) => rest.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(h, _)| h),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || self.names.contains(&name) {
            return true;
        }
        match name.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.listen || self.listen.is_unspecified(),
            Err(_) => false,
        }
    }
}

pub fn router(state: AppState, opts: Options<'_>) -> Router {
    let dist = opts.dist;
    let mut qovery = crate::qovery::routes();
    let mut kopernik = crate::kopernik::routes();
    // Faults exist only with --faults, and act only on authenticated requests: the layer added
    // first runs last, after auth (an unauthenticated X-Berth-Fault is a plain 401 and arms
    // nothing).
    if opts.faults {
        qovery = qovery.route_layer(middleware::from_fn(|req: Request, next: Next| {
            crate::faults::inject(false, req, next)
        }));
        kopernik = kopernik.route_layer(middleware::from_fn(|req: Request, next: Next| {
            crate::faults::inject(true, req, next)
        }));
    }
    let qovery = qovery.route_layer(middleware::from_fn_with_state(state.clone(), qovery_auth));
    let kopernik =
        kopernik.route_layer(middleware::from_fn_with_state(state.clone(), kopernik_auth));
    let spa = dist.map(crate::statics::Statics::new);
    let mut app = Router::new()
        .nest("/api/qovery", qovery)
        .nest("/api/kopernik/v0", kopernik)
        .with_state(state)
        .fallback(move |req: Request| fallback(spa.clone(), req));
    app = app.layer(middleware::from_fn(limit_body));
    let hosts = opts.hosts.clone();
    app = app.layer(middleware::from_fn(move |req: Request, next: Next| {
        let hosts = hosts.clone();
        async move { check_host(&hosts, req, next).await }
    }));
    app = app.layer(middleware::from_fn(request_id));
    if !opts.cors_origins.is_empty() {
        app = app.layer(cors(opts.cors_origins));
    }
    app
}

fn cors(origins: &[String]) -> tower_http::cors::CorsLayer {
    use axum::http::{HeaderName, HeaderValue, Method};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-berth-fault"),
        ])
        .expose_headers([header::RETRY_AFTER, HeaderName::from_static("x-request-id")])
}

/// Answers 421 to a request for a Host the server was not started for.
async fn check_host(hosts: &Hosts, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    match host {
        Some(h) if hosts.allows(&h) => next.run(req).await,
        other => {
            let path = req.uri().path().to_string();
            error_for(
                &path,
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "Host `{}` is not served here (start with --allow-host NAME to serve it)",
                    other.unwrap_or_default()
                ),
            )
        }
    }
}

/// Compares two secrets in time that depends only on their lengths.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= std::hint::black_box(x ^ y);
    }
    diff == 0
}

/// The largest request body accepted (a 413 in the API's shape beyond).
pub const MAX_BODY: usize = 1 << 20;

fn error_for(path: &str, status: StatusCode, msg: String) -> Response {
    if path.starts_with("/api/kopernik/") {
        ApiError::kopernik(status, msg).into_response()
    } else {
        ApiError::qovery(status, msg).into_response()
    }
}

/// Bodies above [`MAX_BODY`] are refused with a 413 that says so, whether the client announced
/// the length or not (the body is read up to the limit and no further).
async fn limit_body(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let too_large = || {
        error_for(
            &path,
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body: larger than the limit of {MAX_BODY} bytes (1 MB)"),
        )
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}

/// Every API answer carries an `X-Request-Id`, as real gateways do.
async fn request_id(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if api {
        if let Ok(v) = axum::http::HeaderValue::from_str(&crate::ids::uuid()) {
            res.headers_mut().insert("x-request-id", v);
        }
    }
    res
}

/// Unknown API paths are 404s in their API's shape; anything else is the app (index.html for deep
/// links), or a 404 when no app is served.
async fn fallback(spa: Option<crate::statics::Statics>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let missing = format!("no such endpoint: {} {path}", req.method());
    if path.starts_with("/api/kopernik/") {
        return ApiError::kopernik(StatusCode::NOT_FOUND, missing).into_response();
    }
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::qovery(StatusCode::NOT_FOUND, missing).into_response();
    }
    match spa {
        Some(spa) => spa.serve(req).await,
        None => (
            StatusCode::NOT_FOUND,
            "berth-sandbox: no app is served (start with --dist DIR)",
        )
            .into_response(),
    }
}

fn bearer_or_token(req: &Request) -> Option<(&str, &str)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    value.split_once(' ')
}

async fn qovery_auth(State(s): State<AppState>, req: Request, next: Next) -> Response {
    match bearer_or_token(&req) {
        Some(("Token" | "Bearer", t)) if same_secret(t.as_bytes(), s.token.as_bytes()) => {
            next.run(req).await
        }
        Some(_) => ApiError::qovery(StatusCode::UNAUTHORIZED, "invalid token").into_response(),
        None => ApiError::qovery(
            StatusCode::UNAUTHORIZED,
            "missing Authorization header (expected `Token <api-token>`)",
        )
        .into_response(),
    }
}

async fn kopernik_auth(State(s): State<AppState>, req: Request, next: Next) -> Response {
    match bearer_or_token(&req) {
        Some(("Bearer", t)) if same_secret(t.as_bytes(), s.token.as_bytes()) => next.run(req).await,
        Some(_) => ApiError::kopernik(
            StatusCode::UNAUTHORIZED,
            "invalid token (expected `Bearer <token>`)",
        )
        .into_response(),
        None => ApiError::kopernik(
            StatusCode::UNAUTHORIZED,
            "missing Authorization header (expected `Bearer <token>`)",
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::{same_secret, Hosts};

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret(b"sandbox", b"sandbox"));
        assert!(!same_secret(b"sandbox", b"sandboy"));
        assert!(!same_secret(b"sandbox", b"sandbox2"));
        assert!(!same_secret(b"", b"x"));
        assert!(same_secret(b"", b""));
    }

    /// The fastest of `runs` timings of `compare(secret, guess)` for each of two guesses, timed in
    /// turn: load on the machine (the end-to-end tests' browsers run beside these tests) then falls
    /// on both alike instead of on whichever was timed during a busy moment.
    fn fastest_of_each(
        runs: u32,
        compare: impl Fn(&[u8], &[u8]) -> bool,
        secret: &[u8],
        guesses: [&[u8]; 2],
    ) -> [f64; 2] {
        let time = |guess: &[u8]| {
            let t = std::time::Instant::now();
            std::hint::black_box(compare(
                std::hint::black_box(secret),
                std::hint::black_box(guess),
            ));
            t.elapsed().as_secs_f64()
        };
        let mut best = [f64::INFINITY; 2];
        for _ in 0..runs {
            for (b, guess) in best.iter_mut().zip(guesses) {
                *b = b.min(time(guess));
            }
        }
        best
    }

    /// A guess wrong in its first byte takes as long to refuse as one wrong in its last. The
    /// measurement is shown able to tell: the same timings of an early-exit comparison (`==`)
    /// differ many times over. (The fastest of many runs, so load on the machine is left out.)
    #[test]
    fn refusing_a_guess_takes_as_long_wherever_it_is_wrong() {
        let secret = vec![b'k'; 1 << 20];
        let mut first = secret.clone();
        first[0] = b'x';
        let mut last = secret.clone();
        last[secret.len() - 1] = b'x';
        let ratio = |compare: fn(&[u8], &[u8]) -> bool| {
            let [last, first] = fastest_of_each(31, compare, &secret, [&last, &first]);
            last / first
        };
        let early_exit = ratio(|a, b| a == b);
        assert!(
            early_exit > 10.0,
            "control: the timings cannot tell an early exit (ratio {early_exit:.1})"
        );
        let constant = ratio(same_secret);
        assert!(
            (0.5..2.0).contains(&constant),
            "refusing depends on where the guess is wrong (ratio {constant:.2})"
        );
    }

    #[test]
    fn hosts_are_localhost_listened_ips_and_allowed_names() {
        let loopback = Hosts {
            listen: "127.0.0.1".parse().expect("ip"),
            names: vec!["berth.test".into()],
        };
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "berth.test",
            "BERTH.test:1",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "192.168.1.5:8080",
            "localhost.evil.example",
            "",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let all = Hosts {
            listen: "0.0.0.0".parse().expect("ip"),
            names: vec![],
        };
        assert!(all.allows("192.168.1.5:8080"));
        assert!(!all.allows("evil.example"));
    }
}
