//! `cargo xtask bench`: a report, not a test. What each route fetches (gzip -9 and brotli -q 11, as
//! a server would send it) and render times (see `delivery`), sandbox latency and table speed at
//! 10,000 apps, each beside its budget from design.md. `--sizes`: the delivery part and what makes
//! the wasm big (twiggy, see `sizes`).

use berth_harness::{Browser, Console, Sandbox};

use crate::util::step;

pub fn bench(args: &[String]) -> Result<(), String> {
    let sizes_only = match args.first().map(String::as_str) {
        None => false,
        Some("--sizes") => true,
        Some(other) => return Err(format!("bench: unknown argument `{other}`")),
    };
    let env = crate::setup::setup()?;
    let dist = crate::build_app(&env, "/", "target/dist")?;
    let sandbox = crate::build_sandbox(&env, true)?;

    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let delivery = runtime.block_on(crate::delivery::measure(&sandbox, &dist))?;
    if sizes_only {
        println!("\nBerth bench (release build, {})", dist.display());
        delivery.print();
        let target = env.root.join("target");
        return crate::sizes::report(
            &env,
            &[
                (
                    "whole app (rustc output)",
                    &target.join("wasm32-unknown-unknown/release/berth.wasm"),
                ),
                (
                    "main module after the split",
                    &target.join("wasm-split/main.wasm"),
                ),
            ],
        );
    }

    step(&format!(
        "timing the sandbox with {SCALE_APPS} container apps ({LATENCY_RUNS} requests each)"
    ));
    let (latency, table) = runtime.block_on(async {
        let apps = SCALE_APPS.to_string();
        let lines = LOG_LINES.to_string();
        let scaled = Sandbox::start_with(
            &sandbox,
            &dist,
            &["--demo-apps", &apps, "--demo-log-lines", &lines],
        )
        .await;
        let latency = sandbox_latency(scaled.port)?;
        step(&format!(
            "timing search and sort over {SCALE_APPS} loaded rows in headless Chromium"
        ));
        let mut table = table_times(&scaled.url).await?;
        step(&format!(
            "timing a container's log of {LOG_LINES} lines in headless Chromium"
        ));
        table.extend(log_times(&scaled).await?);
        Ok::<_, String>((latency, table))
    })?;

    println!("\nBerth bench (release build, {})", dist.display());
    delivery.print();
    for (name, samples, budget) in &latency {
        let (p50, p99) = (percentile(samples, 50.0), percentile(samples, 99.0));
        let verdict = match budget {
            Some(b) if p99 <= *b => format!("budget p99 {b} ms: ok"),
            Some(b) => format!("budget p99 {b} ms: OVER BUDGET"),
            None => "-".to_string(),
        };
        println!("{name:<28} p50 {p50:>6.1} ms  p99 {p99:>6.1} ms   {verdict}");
    }
    for (name, samples) in &table {
        let m = self::median(samples);
        let shown: Vec<String> = samples.iter().map(|t| format!("{t:.1}")).collect();
        // Opening a screen is held to design.md's "interactive within 300 ms"; the rest are
        // keystrokes and clicks in a loaded table, held to half a frame.
        let budget = if name.starts_with("open") {
            OPEN_BUDGET_MS
        } else {
            KEYSTROKE_BUDGET_MS
        };
        println!(
            "{name:<28} {m:>6.1} ms median (runs: {})   budget {budget} ms: {}",
            shown.join(", "),
            if m <= budget { "ok" } else { "OVER BUDGET" }
        );
    }
    Ok(())
}

const KEYSTROKE_BUDGET_MS: f64 = 8.0;
const OPEN_BUDGET_MS: f64 = 300.0;
const LOG_LINES: usize = 10_000;

/// Resolves when the element at `watch` changes after the action; -1 if it never does.
const MEASURE: &str = r#"
    const [watch, action] = [arguments[0], arguments[1]];
    const done = arguments[arguments.length - 1];
    const text = () => document.querySelector(watch)?.textContent;
    const before = text();
    let t0 = 0;
    const obs = new MutationObserver(() => {
        if (text() !== before) { obs.disconnect(); done(performance.now() - t0); }
    });
    obs.observe(document.querySelector('main'), { characterData: true, subtree: true, childList: true });
    setTimeout(() => { obs.disconnect(); done(-1); }, 3000);
    t0 = performance.now();
    action();
"#;

/// Runs `action` (a script) and answers how long until `watch`'s text changed.
async fn measure(client: &berth_harness::Client, watch: &str, action: &str) -> Result<f64, String> {
    client
        .execute_async(
            &MEASURE.replace("action();", action),
            vec![serde_json::json!(watch), serde_json::Value::Null],
        )
        .await
        .map_err(|e| e.to_string())
        .and_then(|v| {
            v.as_f64()
                .filter(|t| *t >= 0.0)
                .ok_or_else(|| format!("{watch} did not change"))
        })
}

/// The demo's `web` container with [`LOG_LINES`] lines of output: from a click on its Logs tab to
/// every line read and the view rendered (fetch and decode included), a search keystroke over
/// them, a jump to the middle (the virtual list renders the new window).
async fn log_times(sandbox: &Sandbox) -> Result<Vec<(&'static str, Vec<f64>)>, String> {
    let get = |path: &str| -> Result<serde_json::Value, String> {
        berth_harness::http::request(
            sandbox.port,
            "GET",
            path,
            None,
            &[("Authorization", "Token sandbox")],
        )
        .map(|a| a.json())
    };
    let id = (|| -> Result<String, String> {
        for org in get("/api/qovery/organization")?["results"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let org = org["id"].as_str().unwrap_or_default();
            for p in get(&format!("/api/qovery/organization/{org}/project"))?["results"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let p = p["id"].as_str().unwrap_or_default();
                for e in get(&format!("/api/qovery/project/{p}/environment"))?["results"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let e = e["id"].as_str().unwrap_or_default();
                    for c in get(&format!("/api/qovery/environment/{e}/container"))?["results"]
                        .as_array()
                        .into_iter()
                        .flatten()
                    {
                        if c["name"] == "web" {
                            return Ok(c["id"].as_str().unwrap_or_default().to_string());
                        }
                    }
                }
            }
        }
        Err("the demo has no container `web`".into())
    })()?;
    let browser = Browser::start().await;
    let console = Console::new(browser.client.clone(), sandbox.url.clone());
    let count = "section[aria-label='Application logs'] [aria-live]";
    let ready = format!(
        "return (document.querySelector(\"{count}\")?.textContent ?? '').startsWith('{LOG_LINES} lines')"
    );
    let mut open = Vec::new();
    for _ in 0..5 {
        console.open(&format!("/q/sandbox/containers/{id}")).await;
        console.wait_for("#berth-tab-logs").await;
        let t = browser
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const t0 = performance.now();
                     document.querySelector('#berth-tab-logs').click();
                     const tick = () => {{
                       if ((() => {{ {ready} }})()) requestAnimationFrame(() => done(performance.now() - t0));
                       else if (performance.now() - t0 > 20000) done(-1);
                       else requestAnimationFrame(tick);
                     }};
                     tick();"
                ),
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        open.push(
            t.as_f64()
                .filter(|t| *t >= 0.0)
                .ok_or("the log never showed its lines")?,
        );
    }
    // Paused, so the measures below see only their own change.
    console.click_text("Pause").await;
    let type_into = |text: &str| {
        format!(
            "const i = document.querySelector('input[aria-label=\"Search the log\"]'); i.value = {text:?}; i.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        )
    };
    let mut search = Vec::new();
    for term in [
        "healthz",
        "/api/items",
        "login",
        "kube-probe",
        "static",
        "orders",
    ] {
        search.push(measure(&browser.client, count, &type_into(term)).await?);
        measure(&browser.client, count, &type_into("")).await?;
    }
    let mut scroll = Vec::new();
    for k in 1..=6 {
        let to = format!(
            "const b = document.querySelector('.berth-log'); b.scrollTop = b.scrollHeight * {k} / 7; b.dispatchEvent(new Event('scroll'));"
        );
        scroll.push(measure(&browser.client, ".berth-log ol", &to).await?);
    }
    browser.close().await;
    Ok(vec![
        ("open a 10k-line log", open),
        ("search 10k log lines", search),
        ("scroll 10k log lines", scroll),
    ])
}

/// Loads every app of the 10,000-app provider into the Kopernik list, then times, from the input
/// event to the DOM showing the result, a search from empty (10 terms) and a sort flip (6 times).
async fn table_times(url: &str) -> Result<Vec<(&'static str, Vec<f64>)>, String> {
    let browser = Browser::start().await;
    let console = Console::new(browser.client.clone(), url.to_string());
    console.open("/k/sandbox/aws?max=1000").await;
    let total = SCALE_APPS + 5;
    for _ in 0..(total / 1000 + 1) {
        let loaded = console
            .eval("return document.querySelector('.berth-count')?.textContent ?? ''")
            .await;
        if loaded
            .as_str()
            .is_some_and(|t| t.contains(&format!("{total} loaded")))
        {
            break;
        }
        console.click_text("Load more").await;
        console
            .wait_until(
                "page loaded",
                "![...document.querySelectorAll('button')].some(b => b.textContent === 'Loading…')",
            )
            .await;
    }
    console
        .wait_for_text(".berth-count", &format!("{total} loaded"))
        .await;
    let run = |watch: &'static str, action: String| {
        let client = browser.client.clone();
        async move { measure(&client, watch, &action).await }
    };
    let type_into = |text: &str| {
        format!(
            "const i = document.querySelector('input[type=search]'); i.value = {text:?}; i.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        )
    };
    let mut search = Vec::new();
    for term in [
        "api-9",
        "nginx",
        "off",
        "203.0.115",
        "whoami-1",
        "us-east-1",
        "m6i",
        "redis",
        "t3.medium",
        "postgres",
    ] {
        search.push(run(".berth-count", type_into(term)).await?);
        run(".berth-count", type_into("")).await?;
    }
    let mut sort = Vec::new();
    for _ in 0..6 {
        sort.push(
            run(
                "table tbody tr td",
                "document.querySelector('th button.berth-sort').click();".into(),
            )
            .await?,
        );
    }
    browser.close().await;
    Ok(vec![
        ("search 10k rows (keystroke)", search),
        ("sort 10k rows (click)", sort),
    ])
}

const SCALE_APPS: usize = 10_000;
const LATENCY_RUNS: usize = 100;
const JQ_P99_BUDGET_MS: f64 = 50.0;

/// Server-side latency over loopback: a Kopernik list whose jq filter matches one app of 10,000
/// (so every app is examined), and a Qovery container create.
/// A measured series: its name, the samples (ms) and its p99 budget if it has one.
type Series = (&'static str, Vec<f64>, Option<f64>);

fn sandbox_latency(port: u16) -> Result<Vec<Series>, String> {
    use berth_harness::http::request;
    let k = [("Authorization", "Bearer sandbox")];
    let q = [("Authorization", "Token sandbox")];
    let time = |f: &mut dyn FnMut() -> Result<(), String>| -> Result<Vec<f64>, String> {
        let mut out = Vec::new();
        for i in 0..LATENCY_RUNS + 3 {
            let start = std::time::Instant::now();
            f()?;
            if i >= 3 {
                out.push(start.elapsed().as_secs_f64() * 1000.0);
            }
        }
        Ok(out)
    };
    // `.name == "api-9003"`, percent-encoded.
    let jq_path = "/api/kopernik/v0/resource/containerapp/aws?maxResults=50&jq=.name%20%3D%3D%20%22api-9003%22";
    let jq = time(&mut || {
        let a = request(port, "GET", jq_path, None, &k)?;
        let found = a
            .json_opt()
            .and_then(|v| v["resources"].as_array().map(Vec::len));
        if a.status == 200 && found == Some(1) {
            Ok(())
        } else {
            Err(format!(
                "jq list answered {}: {}",
                a.status,
                a.text.chars().take(200).collect::<String>()
            ))
        }
    })?;

    let first = |a: berth_harness::http::Answer, what: &str| -> Result<String, String> {
        a.json_opt()
            .and_then(|v| v["results"][0]["id"].as_str().map(str::to_string))
            .ok_or(format!("no {what} in the demo data"))
    };
    let org = first(
        request(port, "GET", "/api/qovery/organization", None, &q)?,
        "organization",
    )?;
    let project = first(
        request(
            port,
            "GET",
            &format!("/api/qovery/organization/{org}/project"),
            None,
            &q,
        )?,
        "project",
    )?;
    let env = first(
        request(
            port,
            "GET",
            &format!("/api/qovery/project/{project}/environment"),
            None,
            &q,
        )?,
        "environment",
    )?;
    let registry = first(
        request(
            port,
            "GET",
            &format!("/api/qovery/organization/{org}/containerRegistry"),
            None,
            &q,
        )?,
        "registry",
    )?;
    let mut n = 0;
    let create = time(&mut || {
        n += 1;
        let body = format!(
            r#"{{"name":"bench-{n}","registry_id":"{registry}","image_name":"nginx","tag":"1.27","ports":[{{"internal_port":80,"publicly_accessible":false}}],"healthchecks":{{"readiness_probe":{{"type":{{"tcp":{{"port":80}}}}}}}}}}"#
        );
        let a = request(
            port,
            "POST",
            &format!("/api/qovery/environment/{env}/container"),
            Some(&body),
            &q,
        )?;
        if a.status == 201 {
            Ok(())
        } else {
            Err(format!("create answered {}: {}", a.status, a.text))
        }
    })?;
    Ok(vec![
        ("kopernik list, jq, 10k apps", jq, Some(JQ_P99_BUDGET_MS)),
        ("qovery container create", create, None),
    ])
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
}
