//! deploy/nginx for real: Debian's nginx serves the /console/ build with the shipped config (its
//! relative API URLs proxied to the sandbox), its cache, encoding and security headers, deep links
//! and 404s, and the console works in Chromium under its Content-Security-Policy.

use berth_harness::http::{request, Answer};
use berth_harness::{Nginx, Sandbox};

use crate::Session;

fn get(port: u16, path: &str, encoding: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = encoding
        .map(|e| ("Accept-Encoding", e))
        .into_iter()
        .collect();
    request(port, "GET", path, None, &headers).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

fn header<'a>(a: &'a Answer, name: &str, path: &str) -> &'a str {
    a.header(name)
        .unwrap_or_else(|| panic!("{path}: no {name} header in {:?}", a.headers))
}

#[tokio::test(flavor = "multi_thread")]
async fn nginx_serves_the_console_with_its_headers_and_proxies_both_apis() {
    let built = berth_harness::env_path("BERTH_DIST_CONSOLE");
    // The build as shipped: config.json with relative API URLs, the .br and .gz copies.
    let www = std::env::temp_dir().join(format!("berth-www-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&www);
    crate::copy_dir(&built, &www.join("console"));
    let shipped = std::fs::read_to_string(www.join("console/config.json")).expect("config.json");
    assert!(
        shipped.contains("\"base_url\": \"api/qovery\""),
        "{shipped}"
    );

    let sandbox = Sandbox::start(&[]).await;
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx/berth.conf.template");
    let nginx = Nginx::start(&template, &www, &sandbox.url).await;
    let port = nginx.port;

    // index.html: revalidated, precompressed, under a CSP without eval or inline scripts.
    let index = get(port, "/console/", Some("br"));
    assert_eq!(index.status, 200);
    assert!(header(&index, "content-type", "/console/").starts_with("text/html"));
    assert_eq!(header(&index, "content-encoding", "/console/"), "br");
    assert_eq!(header(&index, "cache-control", "/console/"), "no-cache");
    let csp = header(&index, "content-security-policy", "/console/").to_string();
    let tokens: Vec<&str> = csp.split([' ', ';']).collect();
    assert!(tokens.contains(&"'wasm-unsafe-eval'"), "{csp}");
    assert!(!tokens.contains(&"'unsafe-eval'"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or_default();
    assert!(!script_src.contains("'unsafe-inline'"), "{csp}");
    assert_eq!(
        header(&index, "x-content-type-options", "/console/"),
        "nosniff"
    );
    assert!(index.header("referrer-policy").is_some());
    let plain = get(port, "/console/", None);
    assert!(plain.header("content-encoding").is_none());
    assert!(
        plain.text.contains("berth-start-") && !plain.text.contains("import init"),
        "the start script is a file, not inline: {}",
        plain.text
    );

    // Hashed files: a year, immutable, brotli or gzip as accepted.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(built.join("berth-chunks.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    let wasm = format!(
        "/console/{}",
        manifest["main"]["wasm"].as_str().expect("main wasm")
    );
    for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let a = get(port, &wasm, Some(accept));
        assert_eq!(a.status, 200, "{wasm}");
        assert_eq!(header(&a, "content-type", &wasm), "application/wasm");
        assert_eq!(header(&a, "content-encoding", &wasm), encoding);
        assert_eq!(
            header(&a, "cache-control", &wasm),
            "public, max-age=31536000, immutable"
        );
        assert!(header(&a, "vary", &wasm).contains("Accept-Encoding"));
    }
    // A chunk, in the folder named by the hash of them all: as immutable.
    let chunk = manifest["chunks"]
        .as_object()
        .and_then(|c| c.values().next())
        .and_then(|files| files[0].as_str())
        .expect("a chunk file");
    assert!(chunk.starts_with("chunks-"), "{chunk}");
    let path = format!("/console/{chunk}");
    let a = get(port, &path, Some("br, gzip"));
    assert_eq!(a.status, 200, "{path}");
    assert_eq!(header(&a, "content-encoding", &path), "br");
    assert_eq!(
        header(&a, "cache-control", &path),
        "public, max-age=31536000, immutable"
    );
    // The stable names are revalidated.
    for path in [
        "/console/config.json",
        "/console/berth-embed.js",
        "/console/berth-chunks.json",
    ] {
        let a = get(port, path, Some("gzip"));
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(header(&a, "cache-control", path), "no-cache");
    }
    // A deep link is the app; a missing chunk is a 404, never index.html.
    let deep = get(port, "/console/k/sandbox/aws/apps/x", None);
    assert_eq!(deep.status, 200);
    assert!(deep.text.contains("berth-start-"));
    assert_eq!(
        get(port, "/console/chunk_999-0123456789abcdef.wasm", None).status,
        404
    );
    assert_eq!(get(port, "/console", None).status, 301);

    // Both APIs through the proxy, with the caller's token.
    let orgs = request(
        port,
        "GET",
        "/console/api/qovery/organization",
        None,
        &[("Authorization", "Token sandbox")],
    )
    .expect("proxied Qovery");
    assert_eq!(orgs.status, 200, "{}", orgs.text);
    assert!(orgs.json()["results"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    let refused = get(port, "/console/api/qovery/organization", None);
    assert_eq!(
        refused.status, 401,
        "the token is the caller's: {}",
        refused.text
    );

    // The console itself, under the CSP: both backends listed, a deep link reloaded.
    let s = Session::with(sandbox, "").await;
    let c = berth_harness::Console::new(s.console.client.clone(), format!("{}/console", nginx.url));
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    c.wait_until(
        "rows of both backends",
        "document.querySelectorAll('table[aria-label=\"All apps\"] tbody tr').length === 31",
    )
    .await;
    let table = c.text("table[aria-label='All apps']").await;
    assert!(
        table.contains("Sandbox Qovery") && table.contains("Sandbox Kopernik"),
        "{table}"
    );
    c.open("/k/sandbox/aws").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    c.client.refresh().await.expect("reload");
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    assert_eq!(c.path().await, "/k/sandbox/aws");
    let log = berth_harness::browser_log(&c.client).await;
    let refused: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("Content Security Policy"))
        .collect();
    assert!(refused.is_empty(), "the CSP refused something: {refused:?}");
    let fatal = berth_harness::fatal_console_lines(&log);
    assert!(fatal.is_empty(), "the console panicked: {fatal:?}");
    s.screenshot("nginx-console").await;
    s.end().await;
    drop(nginx);
    let _ = std::fs::remove_dir_all(&www);
}

/// Issue 21: a Kopernik create that waits longer than nginx's default 60 s (waitTime 90, the
/// action takes about 68 s) gets its real answer through deploy/nginx: no 504, so no lost answer,
/// one app, followed to its end.
#[tokio::test(flavor = "multi_thread")]
async fn a_slow_create_through_nginx_gets_its_answer() {
    let www = crate::console_site("slow-create");
    // The shipped config's relative URLs, as deploy/nginx proxies them.
    std::fs::copy(
        berth_harness::env_path("BERTH_DIST_CONSOLE").join("config.json"),
        www.join("console/config.json"),
    )
    .expect("config.json");
    let sandbox = Sandbox::start(&["--provision-ms", "68000"]).await;
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx/berth.conf.template");
    let nginx = Nginx::start(&template, &www, &sandbox.url).await;
    let s = Session::with(sandbox, "").await;
    let c = berth_harness::Console::new(s.console.client.clone(), format!("{}/console", nginx.url));
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    c.fill("#f-machineConfiguration-name", "slow-1").await;
    for (id, value) in [
        ("f-machineConfiguration-regionUid", "nyc1"),
        ("f-machineConfiguration-machineTypeUid", "s-1vcpu-1gb"),
    ] {
        c.eval(&format!(
            "const e = document.getElementById({id:?}); e.value = {value:?}; e.dispatchEvent(new Event('change', {{ bubbles: true }})); return null"
        ))
        .await;
    }
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    c.fill("#f-waitTime", "90").await;
    c.wait_for_text("[data-preview=curl]", "waitTime=90").await;
    let started = std::time::Instant::now();
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-outcome",
        "The container app is ready.",
        std::time::Duration::from_secs(150),
    )
    .await;
    let took = started.elapsed();
    assert!(
        took > std::time::Duration::from_secs(60),
        "the create must outlast nginx's default 60 s to test anything ({took:?})"
    );
    let lost = c
        .eval("return document.querySelector('[data-lost]')?.textContent ?? ''")
        .await;
    assert_eq!(lost, "", "the answer came through nginx, not a 504");
    let apps = s
        .api(
            "GET",
            "/api/kopernik/v0/resource/containerapp/digitalocean?jq=.name%3D%3D%22slow-1%22",
            None,
        )
        .json();
    assert_eq!(
        apps["resources"].as_array().map(Vec::len),
        Some(1),
        "{apps}"
    );
    s.end().await;
    drop(nginx);
    let _ = std::fs::remove_dir_all(&www);
}
