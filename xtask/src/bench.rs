//! `cargo xtask bench`: a report, not a test. Sizes of the release build (gzip -9 and brotli -q 11,
//! as a server would send them) and the time from navigation to the shell's first render in
//! headless Chromium (median of 5 cold loads), each beside its budget from design.md.

use std::io::Write;
use std::path::Path;

use berth_harness::{Browser, Console, Sandbox};

use crate::util::step;

const FIRST_LOAD_AIM_KB: f64 = 125.0;
const FIRST_LOAD_MAX_KB: f64 = 200.0;
const FIRST_RENDER_BUDGET_MS: f64 = 300.0;
const RUNS: usize = 5;

#[derive(Default)]
struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub fn bench() -> Result<(), String> {
    let env = crate::setup::setup()?;
    let dist = crate::build_app(&env, "/", "target/dist")?;
    let sandbox = crate::build_sandbox(&env)?;

    step("measuring sizes");
    let mut rows: Vec<(&str, Sizes)> = ["html", "wasm", "js", "css"]
        .iter()
        .map(|k| (*k, Sizes::default()))
        .collect();
    for entry in std::fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_string();
        if let Some((_, s)) = rows.iter_mut().find(|(k, _)| *k == ext) {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            s.raw += bytes.len();
            s.gzip += gzip(&bytes)?;
            s.brotli += brotli(&bytes)?;
        }
    }

    step(&format!(
        "timing first render ({RUNS} cold loads in headless Chromium)"
    ));
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let times = runtime.block_on(first_render_times(&sandbox, &dist))?;
    let median = median(&times);

    let kb = |b: usize| b as f64 / 1024.0;
    println!("\nBerth bench (release build, {})", dist.display());
    println!(
        "{:<28} {:>10} {:>10} {:>10}   budget",
        "asset", "raw KB", "gzip KB", "brotli KB"
    );
    let mut total = Sizes::default();
    for (k, s) in &rows {
        println!(
            "{:<28} {:>10.1} {:>10.1} {:>10.1}   -",
            k,
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
        total.raw += s.raw;
        total.gzip += s.gzip;
        total.brotli += s.brotli;
    }
    let verdict = if kb(total.brotli) <= FIRST_LOAD_AIM_KB {
        "within aim"
    } else if kb(total.brotli) <= FIRST_LOAD_MAX_KB {
        "above aim, within max"
    } else {
        "OVER BUDGET"
    };
    println!(
        "{:<28} {:>10.1} {:>10.1} {:>10.1}   aim {FIRST_LOAD_AIM_KB} / max {FIRST_LOAD_MAX_KB} KB brotli: {verdict}",
        "first load (all of above)", kb(total.raw), kb(total.gzip), kb(total.brotli)
    );
    let shown: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    println!(
        "{:<28} {:>10.0} ms (runs: {})   budget {FIRST_RENDER_BUDGET_MS} ms: {}",
        "navigation -> first render",
        median,
        shown.join(", "),
        if median <= FIRST_RENDER_BUDGET_MS {
            "ok"
        } else {
            "OVER BUDGET"
        }
    );
    Ok(())
}

async fn first_render_times(sandbox_bin: &Path, dist: &Path) -> Result<Vec<f64>, String> {
    let sandbox = Sandbox::start_with(sandbox_bin, dist, &[]).await;
    let mut times = Vec::new();
    for _ in 0..RUNS {
        // A fresh browser profile each time: a cold cache, like a first visit.
        let browser = Browser::start().await;
        let console = Console::new(browser.client.clone(), sandbox.url.clone());
        console.open("/").await;
        let v = console
            .eval("const m = performance.getEntriesByName('berth-first-render'); return m.length ? m[0].startTime : null;")
            .await;
        browser.close().await;
        times.push(
            v.as_f64()
                .ok_or("the app did not record the berth-first-render mark")?,
        );
    }
    Ok(times)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
}

fn gzip(bytes: &[u8]) -> Result<usize, String> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(e.finish().map_err(|e| e.to_string())?.len())
}

fn brotli(bytes: &[u8]) -> Result<usize, String> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.len())
}
