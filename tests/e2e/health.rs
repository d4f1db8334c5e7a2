//! Why a container fails (#29): the Health tab says it in words with the fix one click away, the
//! Usage tab draws CPU and memory against their limits, the list marks the containers in trouble,
//! and a Kopernik app shows what its API has instead.

use berth_harness::Sandbox;

use crate::Session;

fn id_of(s: &Session, env: &str, name: &str) -> String {
    s.container_named(env, name)
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the diagnosis demo has {name}"))
}

const HEADLINE: &str = "section[aria-label=Health] [data-headline]";

#[tokio::test(flavor = "multi_thread")]
async fn the_health_tab_says_why_each_troubled_container_fails_and_offers_the_fix() {
    let s = Session::with(Sandbox::start(&["--demo-diagnosis"]).await, "").await;
    let (_, env) = s.env_named("diagnosis");
    let c = &s.console;
    for (name, headline, more) in [
        (
            "probe-fail",
            "The readiness probe fails",
            "The readiness probe checks port 80; the container exposes 8080.",
        ),
        (
            "unschedulable",
            "The cluster has no room for it: it asks for 12 GB of memory",
            "Edit resources",
        ),
        ("bad-image", "The image could not be pulled", "v9.9.9"),
        (
            "crash-loop",
            "Exits right after it starts",
            "Show this instance's last log lines",
        ),
        (
            "oom-worker",
            "Ran out of memory: the 512 MB limit was reached",
            "Raise memory to",
        ),
    ] {
        let id = id_of(&s, &env, name);
        c.open(&format!("/q/sandbox/containers/{id}?tab=health"))
            .await;
        let said = c.wait_for_text(HEADLINE, headline).await;
        assert!(said.contains(more), "{name}: {said}");
        if name == "oom-worker" {
            // Every 12 minutes: 4 to 6 times in the hour, not the event's count since yesterday.
            let n: u32 = said
                .split("was reached ")
                .nth(1)
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a count in: {said}"));
            assert!((4..=6).contains(&n), "{said}");
        }
        // Its instances, each with a state.
        c.wait_for("table[aria-label=Instances] tbody tr td [data-tone]")
            .await;
    }
    let mut all = Vec::new();
    crate::a11y::check(c, "the health tab", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    s.screenshot("health-oom").await;

    // The fix: the edit form opens with the suggested memory filled in, above the 512 MB limit.
    let label = c.text(&format!("{HEADLINE} a.berth-btn")).await;
    let mb: u64 = label
        .trim_start_matches("Raise memory to ")
        .trim_end_matches(" MB")
        .parse()
        .unwrap_or_else(|_| panic!("a size in MB: {label}"));
    assert!(mb > 512, "{label}");
    c.click(&format!("{HEADLINE} a.berth-btn")).await;
    c.wait_until(
        "the edit form shows the suggestion",
        &format!("document.querySelector('#f-memory')?.value === '{mb}'"),
    )
    .await;

    // The crash loop's fix: the Logs tab on that instance, ending with why it exits.
    let id = id_of(&s, &env, "crash-loop");
    c.open(&format!("/q/sandbox/containers/{id}?tab=health"))
        .await;
    c.wait_for_text(HEADLINE, "Exits right after it starts")
        .await;
    c.click(&format!("{HEADLINE} button.berth-btn")).await;
    c.wait_for_text(
        "section[aria-label='Application logs']",
        "missing required env DATABASE_URL",
    )
    .await;
    let picked = c
        .eval("return document.querySelector(\"select[aria-label=Instance]\").value")
        .await;
    assert!(
        picked.as_str().is_some_and(|p| p.starts_with("app-z")),
        "filtered to the instance: {picked}"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_draws_cpu_and_memory_against_the_limit_and_a_cluster_without_metrics_says_so() {
    let s = Session::with(Sandbox::start(&["--demo-diagnosis"]).await, "").await;
    let c = &s.console;
    let web = s.demo_container("web");
    c.open(&format!("/q/sandbox/containers/{web}?tab=usage"))
        .await;
    c.wait_until(
        "two charts",
        "document.querySelectorAll('section[aria-label=Usage] svg.berth-chart polyline').length >= 2",
    )
    .await;
    let labels = c
        .eval("return [...document.querySelectorAll('svg.berth-chart')].map(s => s.getAttribute('aria-label'))")
        .await;
    let labels = labels.to_string();
    assert!(
        labels.contains("CPU: peak") && labels.contains("Memory: peak"),
        "{labels}"
    );
    assert!(labels.contains("limit"), "the limit line: {labels}");
    // The figures are there as a table too (in a closed <details>: read as the DOM has it).
    let figures = c
        .eval("return document.querySelector(\"table[aria-label='Memory figures']\").textContent")
        .await
        .to_string();
    assert!(
        figures.contains("Limit") && figures.contains("MB"),
        "{figures}"
    );
    // A healthy container's Health tab is calm.
    c.click("#berth-tab-health").await;
    c.wait_for_text(HEADLINE, "No problems in the last hour")
        .await;
    // Another range: the charts are read again for it.
    c.click("#berth-tab-usage").await;
    c.click_text("6 h").await;
    c.wait_until(
        "the range is in the URL",
        "location.search.includes('range=6h')",
    )
    .await;
    c.wait_for("section[aria-label=Usage] svg.berth-chart")
        .await;
    s.screenshot("usage-web").await;

    // Development runs on the cluster without metrics: one line says so, no chart, no error.
    let (_, dev) = s.env_named("development");
    let other = id_of(&s, &dev, "web");
    c.open(&format!("/q/sandbox/containers/{other}?tab=usage"))
        .await;
    c.wait_for_text(
        "[data-metrics-note]",
        "Metrics are not collected on the cluster sandbox-cluster-us",
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelectorAll('svg.berth-chart').length + document.querySelectorAll('[role=alert]').length")
            .await,
        0
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_marks_containers_in_trouble_with_one_events_request_and_filters_on_them() {
    let s = Session::with(Sandbox::start(&["--demo-diagnosis"]).await, "").await;
    let (path, env) = s.env_named("diagnosis");
    let c = &s.console;
    c.open(&path).await;
    let oom = id_of(&s, &env, "oom-worker");
    let crash = id_of(&s, &env, "crash-loop");
    for id in [&oom, &crash] {
        c.wait_for(&format!("tr[data-id='{id}'] [data-attention]"))
            .await;
    }
    let mark = c
        .text(&format!("tr[data-id='{oom}'] [data-attention]"))
        .await;
    assert!(mark.contains("Ran out of memory"), "{mark}");
    let events = c
        .eval("return performance.getEntriesByType('resource').filter(e => e.name.includes('/events')).length")
        .await;
    assert_eq!(events, 1, "one request for the whole list");
    // Only those, with the filter on.
    c.click("input[data-attention-filter]").await;
    c.wait_until(
        "the filter is in the URL",
        "location.search.includes('attention=1')",
    )
    .await;
    c.wait_until(
        "only marked rows",
        "[...document.querySelectorAll('tbody tr[data-id]')].every(r => r.querySelector('[data-attention]')) && document.querySelectorAll('tbody tr[data-id]').length >= 2",
    )
    .await;
    let healthy = id_of(&s, &env, "bad-image");
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector(\"tr[data-id='{healthy}']\") === null"
        ))
        .await,
        true,
        "a container that never ran has no restart to mark"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kopernik_app_says_its_api_has_no_events_and_shows_its_actions() {
    let s = Session::start().await;
    let uids = s.kopernik_apps("seen", 1);
    let c = &s.console;
    c.open(&format!("/k/sandbox/aws/apps/{}", uids[0])).await;
    let said = c
        .wait_for_text("section[aria-label='Actions on this app']", "Create")
        .await;
    assert!(said.contains("no events or metrics"), "{said}");
    assert!(said.contains("Success"), "{said}");
    s.end().await;
}
