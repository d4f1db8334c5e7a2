//! The delivery part of the bench: what each route makes the browser fetch, measured in headless
//! Chromium (every same-origin file the page fetched, compressed as a server would send it), and
//! the time from navigation to the first render of `/` and of a lazily loaded form.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use berth_harness::{Browser, Console, Sandbox};

use crate::util::step;

const FIRST_LOAD_AIM_KB: f64 = 125.0;
const FIRST_LOAD_MAX_KB: f64 = 200.0;
/// Issue #29: a cold deep link to a container's Overview, everything it fetches.
const CONTAINER_COLD_MAX_KB: f64 = 350.0;
const FIRST_RENDER_BUDGET_MS: f64 = 300.0;
const RUNS: usize = 5;
/// The lazily loaded form timed cold and warm.
const FORM_ROUTE: &str = "/k/sandbox/aws/new";

#[derive(Default, Clone, Copy)]
pub struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl Sizes {
    fn of(bytes: &[u8]) -> Result<Sizes, String> {
        Ok(Sizes {
            raw: bytes.len(),
            gzip: gzip(bytes)?,
            brotli: brotli(bytes)?,
        })
    }
    fn add(&mut self, o: Sizes) {
        self.raw += o.raw;
        self.gzip += o.gzip;
        self.brotli += o.brotli;
    }
}

pub struct Report {
    /// The files `/` fetched, each with its sizes.
    first: Vec<(String, Sizes)>,
    /// Per route: the files it fetched beyond those of `/`, and their total.
    routes: Vec<(String, Vec<String>, Sizes)>,
    shell_ms: Vec<f64>,
    overview_ms: Vec<f64>,
    form_cold_ms: Vec<f64>,
    form_warm_ms: Vec<f64>,
}

/// Every same-origin file the page fetched (the document included), as paths under the app root.
const FETCHED: &str = r#"
    const origin = location.origin;
    // The document counts once as `/`, whatever deep link was opened (it is index.html).
    const names = [origin + '/']
        .concat(performance.getEntriesByType('resource').map(e => e.name));
    return names.filter(n => n.startsWith(origin)).map(n => new URL(n).pathname);
"#;

pub async fn measure(sandbox_bin: &Path, dist: &Path) -> Result<Report, String> {
    step("measuring what each route fetches, in headless Chromium");
    let sandbox = Sandbox::start_with(sandbox_bin, dist, &[]).await;
    let ids = route_ids(sandbox.port)?;
    let routes = [
        "/connections".to_string(),
        "/actions".to_string(),
        "/q/sandbox".to_string(),
        format!("/q/sandbox/{}/{}/{}", ids.org, ids.project, ids.env),
        format!("/q/sandbox/{}/{}/{}/new", ids.org, ids.project, ids.env),
        format!("/q/sandbox/containers/{}", ids.container),
        format!("/q/sandbox/containers/{}?tab=variables", ids.container),
        format!("/q/sandbox/containers/{}?tab=logs", ids.container),
        format!("/q/sandbox/containers/{}?tab=health", ids.container),
        format!("/q/sandbox/containers/{}?tab=usage", ids.container),
        format!("/q/sandbox/containers/{}?log=latest", ids.container),
        format!("/q/sandbox/containers/{}/edit", ids.container),
        "/k/sandbox/aws".to_string(),
        FORM_ROUTE.to_string(),
        format!("/k/sandbox/aws/apps/{}", ids.app),
    ];

    let (first_files, _, _) = cold_load(&sandbox.url, "/").await?;
    let first_set: BTreeSet<String> = first_files.iter().cloned().collect();
    let mut first = Vec::new();
    for f in &first_files {
        first.push((f.clone(), Sizes::of(&read(dist, f)?)?));
    }

    let mut per_route = Vec::new();
    for route in &routes {
        let (files, _, _) = cold_load(&sandbox.url, route).await?;
        let extra: Vec<String> = files
            .into_iter()
            .filter(|f| !first_set.contains(f))
            .collect();
        let mut total = Sizes::default();
        for f in &extra {
            total.add(Sizes::of(&read(dist, f)?)?);
        }
        per_route.push((route.clone(), extra, total));
    }

    step(&format!(
        "timing first renders ({RUNS} cold loads of / and of {FORM_ROUTE}, {RUNS} warm reloads)"
    ));
    let (mut shell_ms, mut overview_ms) = (Vec::new(), Vec::new());
    let (mut form_cold_ms, mut form_warm_ms) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (_, s, o) = cold_load(&sandbox.url, "/").await?;
        shell_ms.push(s);
        overview_ms.push(o);
        // A fresh profile (cold cache), then a reload with the cache primed.
        let browser = Browser::start().await;
        let console = Console::new(browser.client.clone(), sandbox.url.clone());
        form_cold_ms.push(route_render(&console, FORM_ROUTE).await?);
        form_warm_ms.push(route_render(&console, FORM_ROUTE).await?);
        browser.close().await;
    }
    Ok(Report {
        first,
        routes: per_route,
        shell_ms,
        overview_ms,
        form_cold_ms,
        form_warm_ms,
    })
}

/// Opens `route` in a fresh browser profile; returns the files fetched and the times to the
/// shell's and to the screen's first render.
async fn cold_load(url: &str, route: &str) -> Result<(Vec<String>, f64, f64), String> {
    let browser = Browser::start().await;
    // The harness's init script lifts the browser's limit of 250 resource entries: a cold
    // screen fetching more was counted short before.
    let console = Console::new(browser.client.clone(), url.to_string());
    let screen = route_render(&console, route).await;
    let shell = mark(&console, "berth-first-render").await;
    // Files fetched after the screen rendered (its own data, then a tab's chunk) count too: wait
    // until nothing new was fetched for 600 ms (at most 8 s).
    let mut files = console.eval(FETCHED).await;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let now = console.eval(FETCHED).await;
        if now == files {
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            let again = console.eval(FETCHED).await;
            if again == now {
                break;
            }
            files = again;
        } else {
            files = now;
        }
    }
    browser.close().await;
    let files: Vec<String> = files
        .as_array()
        .ok_or("the page did not list its resources")?
        .iter()
        .filter_map(|v| v.as_str())
        .filter(|p| !p.starts_with("/api/"))
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok((files, shell?, screen?))
}

/// Loads `route` and returns the time from navigation start to its screen's view built: the
/// `berth-route-render` mark of a lazily loaded screen, or for `/` (the overview, in the main
/// module with the shell) the shell's `berth-first-render`.
async fn route_render(console: &Console, route: &str) -> Result<f64, String> {
    let name = if route == "/" {
        "berth-first-render"
    } else {
        "berth-route-render"
    };
    console.open(route).await;
    console
        .wait_until(
            "the screen rendered",
            &format!("performance.getEntriesByName('{name}').length > 0"),
        )
        .await;
    mark(console, name).await
}

async fn mark(console: &Console, name: &str) -> Result<f64, String> {
    console
        .eval(&format!(
            "const m = performance.getEntriesByName('{name}'); return m.length ? m[0].startTime : null;"
        ))
        .await
        .as_f64()
        .ok_or_else(|| format!("the app did not record the {name} mark"))
}

/// The file behind a fetched path (`/` is `index.html`; any deep link is `index.html` too).
fn read(dist: &Path, path: &str) -> Result<Vec<u8>, String> {
    let rel = path.trim_start_matches('/');
    let mut file: PathBuf = dist.join(rel);
    if rel.is_empty() || !file.is_file() {
        file = dist.join("index.html");
    }
    std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))
}

struct Ids {
    org: String,
    project: String,
    env: String,
    container: String,
    app: String,
}

fn route_ids(port: u16) -> Result<Ids, String> {
    use berth_harness::http::request;
    let q = [("Authorization", "Token sandbox")];
    let k = [("Authorization", "Bearer sandbox")];
    let first = |path: &str, auth: &[(&str, &str)], list: &str, key: &str| {
        let a = request(port, "GET", path, None, auth)?;
        a.json_opt()
            .and_then(|v| v[list][0][key].as_str().map(str::to_string))
            .ok_or(format!("no {key} in {path}"))
    };
    let org = first("/api/qovery/organization", &q, "results", "id")?;
    let project = first(
        &format!("/api/qovery/organization/{org}/project"),
        &q,
        "results",
        "id",
    )?;
    let env = first(
        &format!("/api/qovery/project/{project}/environment"),
        &q,
        "results",
        "id",
    )?;
    let container = first(
        &format!("/api/qovery/environment/{env}/container"),
        &q,
        "results",
        "id",
    )?;
    let app = first(
        "/api/kopernik/v0/resource/containerapp/aws",
        &k,
        "resources",
        "uid",
    )?;
    Ok(Ids {
        org,
        project,
        env,
        container,
        app,
    })
}

impl Report {
    pub fn print(&self) {
        let kb = |b: usize| b as f64 / 1024.0;
        println!("\nfirst screen: every file `/` fetched before and while it rendered");
        println!(
            "  {:<48} {:>9} {:>9} {:>10}",
            "file", "raw KB", "gzip KB", "brotli KB"
        );
        let mut total = Sizes::default();
        for (f, s) in &self.first {
            println!(
                "  {:<48} {:>9.1} {:>9.1} {:>10.1}",
                f,
                kb(s.raw),
                kb(s.gzip),
                kb(s.brotli)
            );
            total.add(*s);
        }
        let verdict = if kb(total.brotli) <= FIRST_LOAD_AIM_KB {
            "within aim"
        } else if kb(total.brotli) <= FIRST_LOAD_MAX_KB {
            "above aim, within max"
        } else {
            "OVER BUDGET"
        };
        println!(
            "  {:<48} {:>9.1} {:>9.1} {:>10.1}   aim {FIRST_LOAD_AIM_KB} / max {FIRST_LOAD_MAX_KB} KB brotli: {verdict}",
            "first screen (all of the above)",
            kb(total.raw),
            kb(total.gzip),
            kb(total.brotli)
        );
        println!("\nextra bytes each route fetches beyond `/`, and its cold total (first screen + extra)");
        println!(
            "  {:<64} {:>9} {:>9} {:>10} {:>12} {:>6}",
            "route", "raw KB", "gzip KB", "brotli KB", "cold br KB", "files"
        );
        for (route, files, s) in &self.routes {
            let cold = kb(total.brotli + s.brotli);
            let verdict = if route.contains("/containers/")
                && !route.contains('?')
                && !route.ends_with("/edit")
            {
                if cold <= CONTAINER_COLD_MAX_KB {
                    format!("   max {CONTAINER_COLD_MAX_KB} KB: ok")
                } else {
                    format!("   max {CONTAINER_COLD_MAX_KB} KB: OVER BUDGET")
                }
            } else {
                String::new()
            };
            println!(
                "  {:<64} {:>9.1} {:>9.1} {:>10.1} {:>12.1} {:>6}{verdict}",
                route,
                kb(s.raw),
                kb(s.gzip),
                kb(s.brotli),
                cold,
                files.len()
            );
        }
        println!();
        let line = |name: &str, samples: &[f64], budget: Option<f64>| {
            let m = crate::bench::median(samples);
            let shown: Vec<String> = samples.iter().map(|t| format!("{t:.0}")).collect();
            let verdict = match budget {
                Some(b) if m <= b => format!("budget {b} ms: ok"),
                Some(b) => format!("budget {b} ms: OVER BUDGET"),
                None => "-".into(),
            };
            println!(
                "{name:<36} {m:>6.0} ms median (runs: {})   {verdict}",
                shown.join(", ")
            );
        };
        line("navigation -> shell rendered", &self.shell_ms, None);
        line(
            "navigation -> `/` rendered (cold)",
            &self.overview_ms,
            Some(FIRST_RENDER_BUDGET_MS),
        );
        line(
            &format!("navigation -> {FORM_ROUTE} (cold)"),
            &self.form_cold_ms,
            None,
        );
        line(
            &format!("navigation -> {FORM_ROUTE} (warm)"),
            &self.form_warm_ms,
            None,
        );
    }
}

pub fn gzip(bytes: &[u8]) -> Result<usize, String> {
    crate::compress::gzip(bytes).map(|b| b.len())
}

pub fn brotli(bytes: &[u8]) -> Result<usize, String> {
    crate::compress::brotli(bytes).map(|b| b.len())
}
