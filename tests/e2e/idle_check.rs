//! The end-of-test check itself (berth_harness::Idle): it waits for what the page has in flight
//! and for a timer about to fire before it reads the console, and a page still busy at its limit
//! fails the test, naming what was pending, instead of being read half-done.

use std::time::Duration;

use crate::Session;
use berth_harness::Sandbox;

/// The overview, loaded and idle; the check passes on it (the control for what follows).
async fn idle_overview(s: &Session) {
    let c = &s.console;
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    s.check_quiet_and_no_panic()
        .await
        .unwrap_or_else(|e| panic!("an idle page failed the check: {e}"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_still_busy_at_the_limit_fails_the_check_naming_what_was_pending() {
    let mut s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    s.set_idle_limit(Duration::from_secs(3));
    idle_overview(&s).await;
    // A request the sandbox does not answer for 65 s, and one a test's wrapper (assigned after
    // the page loaded, as tests do to hold answers) never lets through.
    s.console
        .eval(
            "fetch('/api/qovery/organization?hung=1', { headers: { 'Authorization': 'Token sandbox', 'X-Berth-Fault': 'timeout' } }).catch(() => null); \
             const orig = window.fetch; \
             window.fetch = function (input, init) { \
               if (String(input).includes('held-by-a-wrapper')) return new Promise(() => {}); \
               return orig.call(window, input, init); }; \
             fetch('/api/qovery/held-by-a-wrapper').catch(() => null); return null",
        )
        .await;
    let failure = s
        .check_quiet_and_no_panic()
        .await
        .expect_err("a page with two requests hanging passed the check");
    assert!(failure.contains("still busy"), "{failure}");
    assert!(
        failure.contains("/api/qovery/organization?hung=1"),
        "the hung request is not named: {failure}"
    );
    assert!(
        failure.contains("/api/qovery/held-by-a-wrapper"),
        "the request held by a wrapper is not named: {failure}"
    );
    s.end_unchecked().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_check_waits_for_a_timer_about_to_fire_and_sees_what_it_logs() {
    let s = Session::start().await;
    idle_overview(&s).await;
    let c = &s.console;
    // A timer due within the check's horizon logs a panic line when it fires.
    c.eval("setTimeout(() => console.error('panicked at a timer the check must wait for'), 700); return null")
        .await;
    let at_once = berth_harness::fatal_console_lines(&berth_harness::browser_log(&c.client).await);
    assert!(
        at_once.is_empty(),
        "the line came before the timer, so this proves no waiting: {at_once:?}"
    );
    let failure = s
        .check_quiet_and_no_panic()
        .await
        .expect_err("the check read the console before the timer fired");
    assert!(
        failure.contains("panicked at a timer the check must wait for"),
        "{failure}"
    );
    s.end_unchecked().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_followed_log_is_idle_between_two_reads() {
    // Followed every 2 s, the log of a running container is read again and again: the check must
    // find the gap between two reads, not wait for the reads to stop.
    let s = Session::start().await;
    let c = &s.console;
    let id = s.demo_container("web");
    c.open(&format!("/q/sandbox/containers/{id}?tab=logs"))
        .await;
    c.wait_for("section[aria-label='Application logs'] li")
        .await;
    let reads = "performance.getEntriesByType('resource').filter(e => /\\/container\\/[^/]+\\/log/.test(e.name)).length";
    let first = c.eval(&format!("return {reads}")).await;
    c.wait_until(
        "the log read again (followed)",
        &format!("{reads} > {first}"),
    )
    .await;
    let started = std::time::Instant::now();
    s.check_quiet_and_no_panic()
        .await
        .unwrap_or_else(|e| panic!("a followed log never looked idle: {e}"));
    // Well within the check's limit (10 s): a gap comes every follow period.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the check took {:?}: it waits for the follow to stop",
        started.elapsed()
    );
    s.end().await;
}
