//! Operating a Qovery container from its page (#20): variables and secrets, a failing deploy
//! whose reason is shown and whose log opens, another tag and "deploy again", the application log
//! (follow, search, instance filter), links.

use crate::Session;

/// Opens the page of the demo container `name` (on `tab`, "" for the overview); answers its id.
async fn open_container(s: &Session, name: &str, tab: &str) -> String {
    let (_, env) = s.demo_env();
    let id = s
        .container_named(&env, name)
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has a container {name}"));
    let query = if tab.is_empty() {
        String::new()
    } else {
        format!("?tab={tab}")
    };
    s.console
        .open(&format!("/q/sandbox/containers/{id}{query}"))
        .await;
    s.console.wait_for_text("main h1", name).await;
    id
}

/// Waits until `body` (a function body that returns) answers true.
async fn wait_js(c: &berth_harness::Console, what: &str, body: &str) {
    c.wait_until(what, &format!("(() => {{ {body} }})()")).await;
}

/// Clicks `css` after scrolling it to the middle of the window and dismissing the toasts, which
/// sit over the bottom of the page (as a user would).
async fn click_centered(c: &berth_harness::Console, css: &str) {
    c.wait_for(css).await;
    c.eval("document.querySelectorAll('.berth-toast button[aria-label=Dismiss]').forEach(b => b.click()); return null")
        .await;
    c.wait_until(
        "the toasts are gone",
        "!document.querySelector('.berth-toast')",
    )
    .await;
    c.eval(&format!(
        "document.querySelector({css:?}).scrollIntoView({{block: 'center'}}); return null"
    ))
    .await;
    c.click(css).await;
}

fn list(s: &Session, id: &str, what: &str) -> Vec<serde_json::Value> {
    s.api("GET", &format!("/api/qovery/container/{id}/{what}"), None)
        .expect(200)
        .json()["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_and_secrets_are_saved_read_back_and_ask_for_a_redeploy() {
    let s = Session::start().await;
    let c = &s.console;
    let id = open_container(&s, "web", "variables").await;
    // Inherited ones are listed read-only, a secret's value never.
    c.wait_for_text("table[aria-label='Inherited variables']", "LOG_LEVEL")
        .await;
    c.wait_for_text(
        "table[aria-label='Inherited variables']",
        "DATABASE_PASSWORD",
    )
    .await;

    // A typed variable, a typed secret, and two pasted lines.
    c.click_text("Add a variable").await;
    c.fill("input[aria-label='Variable 1 key']", "MODE").await;
    c.fill("input[aria-label='Variable 1 value']", "prod").await;
    c.click_text("Add a variable").await;
    c.fill("input[aria-label='Variable 2 key']", "API_KEY")
        .await;
    c.click("input[aria-label='Variable 2 is secret']").await;
    c.fill("input[aria-label='Variable 2 value']", "s3cret-value")
        .await;
    c.click("section[aria-label=Variables] details.berth-paste summary")
        .await;
    c.fill(
        "textarea[aria-label='KEY=VALUE lines']",
        "A=1\nexport B=\"two words\"",
    )
    .await;
    c.click_text("Add these variables").await;
    // A bad key is refused at its field, and nothing is sent.
    c.click_text("Add a variable").await;
    c.fill("input[aria-label='Variable 5 key']", "9LIVES").await;
    c.click_text("Save variables").await;
    c.wait_for_text("section[aria-label=Variables]", "must start with a letter")
        .await;
    // Anything Save sent would have been answered by now.
    c.wait_quiet().await;
    assert!(list(&s, &id, "environmentVariable")
        .iter()
        .all(|v| v["key"] != "MODE"));
    c.click("button[aria-label='Remove row 5']").await;
    c.click_text("Save variables").await;
    c.wait_for_text(
        "section[aria-label=Variables] [role=status]",
        "4 changes saved",
    )
    .await;

    let vars = list(&s, &id, "environmentVariable");
    let own = |key: &str| {
        vars.iter()
            .find(|v| v["key"] == key && v["scope"] == "CONTAINER")
            .map(|v| v["value"].clone())
    };
    assert_eq!(own("MODE"), Some("prod".into()), "{vars:?}");
    assert_eq!(own("A"), Some("1".into()));
    assert_eq!(own("B"), Some("two words".into()));
    let secrets = list(&s, &id, "secret");
    let secret = secrets
        .iter()
        .find(|v| v["key"] == "API_KEY")
        .unwrap_or_else(|| panic!("the secret is saved: {secrets:?}"));
    assert!(secret.get("value").is_none(), "{secret}");
    assert!(!serde_json::to_string(&secrets)
        .unwrap_or_default()
        .contains("s3cret-value"));

    // Saved: the container needs a redeploy, offered on the page.
    c.wait_for_text("[data-needs-redeploy]", "redeploy to apply it")
        .await;
    s.screenshot("qovery-variables").await;
    let history = |s: &Session| {
        s.api(
            "GET",
            &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
            None,
        )
        .json()["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let before = history(&s).len();
    c.click("[data-needs-redeploy] button").await;
    wait_js(
        c,
        "the redeploy started and the notice went",
        "return !document.querySelector('[data-needs-redeploy]')",
    )
    .await;
    // A deployment was started on the server, not only the notice hidden.
    let newest = crate::poll_until(
        "a new deployment in the history",
        std::time::Duration::from_secs(10),
        || {
            let h = history(&s);
            (h.len() > before).then(|| h[0]["status_details"]["action"].clone())
        },
    )
    .await;
    assert!(
        newest == "REDEPLOY" || newest == "DEPLOY",
        "the newest deployment: {newest}"
    );

    // Read back after a reload: the secret's value is nowhere on the page.
    c.open(&format!("/q/sandbox/containers/{id}?tab=variables"))
        .await;
    wait_js(
        c,
        "the saved rows are listed",
        "return [...document.querySelectorAll('input[aria-label$=key]')].map(i => i.value).includes('API_KEY')",
    )
    .await;
    let page = c
        .eval("return document.documentElement.outerHTML + JSON.stringify(sessionStorage) + [...document.querySelectorAll('input')].map(i => i.value).join()")
        .await;
    assert!(!page.to_string().contains("s3cret-value"));

    // An existing variable edited and another removed: only those two changes are sent.
    let row_of = |key: &str| {
        format!(
            "return [...document.querySelectorAll('input[aria-label$=\" key\"]')].find(i => i.value === '{key}')?.getAttribute('aria-label').split(' ')[1] ?? null"
        )
    };
    let mode = c.eval(&row_of("MODE")).await;
    let mode = mode.as_str().unwrap_or_else(|| panic!("MODE is listed"));
    c.fill(
        &format!("input[aria-label='Variable {mode} value']"),
        "staging",
    )
    .await;
    let a = c.eval(&row_of("A")).await;
    let a = a.as_str().unwrap_or_else(|| panic!("A is listed"));
    c.click(&format!("button[aria-label='Remove row {a}']"))
        .await;
    c.click_text("Save variables").await;
    c.wait_for_text(
        "section[aria-label=Variables] [role=status]",
        "2 changes saved",
    )
    .await;
    let vars = list(&s, &id, "environmentVariable");
    let own = |key: &str| {
        vars.iter()
            .find(|v| v["key"] == key && v["scope"] == "CONTAINER")
            .map(|v| v["value"].clone())
    };
    assert_eq!(own("MODE"), Some("staging".into()), "{vars:?}");
    assert_eq!(own("A"), None, "A removed: {vars:?}");
    assert_eq!(own("B"), Some("two words".into()), "B untouched");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_deploy_says_why_and_its_log_opens() {
    let s = Session::start().await;
    let c = &s.console;
    let id = open_container(&s, "whoami", "").await;
    c.click_text("Choose another tag").await;
    c.fill("#berth-deploy-tag", "v-fail").await;
    c.click_text("Deploy this tag").await;
    const FIRST: &str = "table[aria-label='Deployment history'] tbody tr:first-child";
    wait_js(
        c,
        "the deploy failed",
        &format!("return document.querySelector(\"{FIRST}\")?.dataset.outcome === 'failed'"),
    )
    .await;
    // The reason, in the row and at the head of the page.
    c.wait_for_text(&format!("{FIRST} [data-reason]"), "image pull failed")
        .await;
    c.wait_for_text(
        "[data-last-failure]",
        "manifest for `traefik/whoami:v-fail` not found",
    )
    .await;
    let mut all = Vec::new();
    crate::a11y::check(c, "a failed deployment's reason", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    let status = s
        .api("GET", &format!("/api/qovery/container/{id}/status"), None)
        .json();
    assert_eq!(status["state"], "DEPLOYMENT_ERROR");
    // Tracked like every deploy: its failure is reported, and the toast leads to that
    // deployment's log (by its execution id, followed from this very page).
    c.wait_for_text(".berth-toast-error", "Deploy whoami (v-fail) failed")
        .await;
    // It says why, in the log's words, without a click (#28).
    c.wait_for_text(".berth-toast-error", "image pull failed")
        .await;
    let failed_exec = c
        .eval(&format!(
            "return document.querySelector(\"{FIRST}\")?.dataset.execution ?? null"
        ))
        .await;
    let failed_exec = failed_exec
        .as_str()
        .expect("the row's execution id")
        .to_string();
    c.wait_for(".berth-toast-error .berth-toast-link").await;
    c.click(".berth-toast-error .berth-toast-link").await;
    c.wait_for_text("[data-deployment-log] [data-reason]", "image pull failed")
        .await;
    assert!(
        c.path().await.ends_with(&format!("?log={failed_exec}")),
        "{}",
        c.path().await
    );

    // Its log: every line, the reason above them, searchable.
    click_centered(c, &format!("{FIRST} button[aria-label^='Log of']")).await;
    c.wait_for_text("[data-deployment-log] [data-reason]", "image pull failed")
        .await;
    wait_js(
        c,
        "the log's lines are shown",
        "return document.querySelectorAll('[data-deployment-log] li').length >= 3",
    )
    .await;
    let all = c
        .eval("return document.querySelectorAll('[data-deployment-log] li').length")
        .await;
    c.fill("input[aria-label='Search this deployment log']", "manifest")
        .await;
    wait_js(
        c,
        "only the matching line is left, highlighted",
        "const li = document.querySelectorAll('[data-deployment-log] li'); \
         return li.length === 1 && li[0].dataset.level === 'error' && li[0].querySelector('mark')?.textContent === 'manifest'",
    )
    .await;
    assert!(all.as_u64().unwrap_or(0) > 1, "{all}");
    // Download: the line shown, as text.
    c.click("[data-deployment-log] a[download]").await;
    let file = c
        .eval("const a = document.querySelector('[data-deployment-log] a[download]'); return [a.download, decodeURIComponent(a.getAttribute('href').split(',')[1])]")
        .await;
    let text = file[1].as_str().unwrap_or_default();
    assert!(
        file[0].as_str().is_some_and(|f| f.ends_with(".log")),
        "{file}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("manifest for `traefik/whoami:v-fail` not found"),
        "{text}"
    );
    s.screenshot("qovery-deployment-log").await;

    // From the actions page: the failed deploy leads to its own log, even once a newer
    // deployment (a good tag) came after it.
    c.fill("#berth-deploy-tag", "v1.11").await;
    c.click_text("Deploy this tag").await;
    wait_js(
        c,
        "the good tag is deployed",
        &format!("return document.querySelector(\"{FIRST}\")?.dataset.outcome === 'succeeded'"),
    )
    .await;
    c.nav("Actions").await;
    c.click_text("Open its log").await;
    c.wait_for_text("[data-deployment-log] [data-reason]", "image pull failed")
        .await;
    let path = c.path().await;
    assert!(path.contains(&id), "{path}");
    assert!(path.ends_with(&format!("?log={failed_exec}")), "{path}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_tag_is_deployed_and_an_older_one_again_from_the_history() {
    let s = Session::start().await;
    let c = &s.console;
    let id = open_container(&s, "whoami", "").await;
    let tag = |s: &Session| {
        s.api("GET", &format!("/api/qovery/container/{id}"), None)
            .json()["tag"]
            .clone()
    };
    // The tag field, once asked for, offers the image's tags in its registry to pick from.
    c.click_text("Choose another tag").await;
    wait_js(
        c,
        "the registry's tags of traefik/whoami offered",
        "const o = [...document.querySelectorAll('#berth-deploy-tags option')].map(o => o.value); \
         return document.querySelector('#berth-deploy-tag')?.getAttribute('list') === 'berth-deploy-tags' \
           && o.length === 2 && o.includes('v1.10') && o.includes('latest')",
    )
    .await;
    c.fill("#berth-deploy-tag", "v1.11").await;
    c.click_text("Deploy this tag").await;
    const FIRST: &str = "table[aria-label='Deployment history'] tbody tr:first-child";
    wait_js(
        c,
        "the new tag is deployed",
        &format!("const r = document.querySelector(\"{FIRST}\"); return r?.dataset.outcome === 'succeeded' && r.textContent.includes('traefik/whoami:v1.11')"),
    )
    .await;
    assert_eq!(tag(&s), "v1.11");
    // Tracked like every deploy: it is on the actions page.
    assert_eq!(
        c.eval("return Object.keys(sessionStorage).filter(k => k.startsWith('berth.pending')).map(k => sessionStorage.getItem(k)).join('').includes('whoami (v1.11)')")
            .await,
        true
    );

    // Back to v1.10 from the history... there is no v1.10 deployment yet: deploy one first.
    c.fill("#berth-deploy-tag", "v1.10").await;
    c.click_text("Deploy this tag").await;
    wait_js(
        c,
        "v1.10 is deployed",
        &format!("const r = document.querySelector(\"{FIRST}\"); return r?.dataset.outcome === 'succeeded' && r.textContent.includes('whoami:v1.10')"),
    )
    .await;
    click_centered(c, "button[aria-label='Deploy traefik/whoami:v1.11 again']").await;
    wait_js(
        c,
        "v1.11 deployed again",
        &format!("const r = document.querySelector(\"{FIRST}\"); return r?.dataset.outcome === 'succeeded' && r.textContent.includes('whoami:v1.11') && document.querySelectorAll('table[aria-label=\"Deployment history\"] tbody tr').length === 3"),
    )
    .await;
    assert_eq!(tag(&s), "v1.11");
    s.end().await;
}

/// The Application logs section's count ("10000 lines · showing the last 10,000 …").
const LOG_COUNT: &str =
    "(document.querySelector('section[aria-label=\"Application logs\"] [aria-live]')?.textContent ?? '')";

#[tokio::test(flavor = "multi_thread")]
async fn a_log_longer_than_the_cap_keeps_its_newest_lines_in_order() {
    // Each read answers 12,000 lines, 2,000 more than the viewer keeps, about 100 of them new.
    let sandbox =
        berth_harness::Sandbox::start(&["--demo-log-lines", "12000", "--demo-log-rate", "50"])
            .await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    open_container(&s, "web", "logs").await;
    wait_js(
        c,
        "the newest 10,000 lines, the cap said",
        &format!("const t = {LOG_COUNT}; return t.startsWith('10000 lines') && t.includes('older lines dropped')"),
    )
    .await;
    // Two more reads, each answering again the 2,000 lines the cap dropped (counted from a fresh
    // buffer: the browser keeps 250 entries).
    c.eval("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(10000); return null")
        .await;
    const READS: &str = "performance.getEntriesByType('resource').filter(e => /\\/container\\/[^/]+\\/log/.test(e.name)).length";
    wait_js(
        c,
        "two more reads",
        &format!("return {READS} >= 2 && {LOG_COUNT}.startsWith('10000 lines')"),
    )
    .await;
    c.click_text("Pause").await;
    c.wait_for_text(
        "section[aria-label='Application logs'] [aria-live]",
        "paused",
    )
    .await;
    // The download holds every line kept: their times never go back.
    let order = c
        .eval(
            "const a = document.querySelector('section[aria-label=\"Application logs\"] a[download]'); \
             a.addEventListener('click', (e) => e.preventDefault(), { once: true }); a.click(); \
             const times = decodeURIComponent(a.getAttribute('href').split(',')[1]).split('\\n').map((l) => l.split('\\t')[0]); \
             const back = times.findIndex((t, i) => i > 0 && t < times[i - 1]); \
             return [times.length, back, back > 0 ? [times[back - 1], times[back]] : null]",
        )
        .await;
    assert_eq!(order[0], 10_000, "{order}");
    assert_eq!(order[1], -1, "a line older than the one before it: {order}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_application_log_follows_searches_and_filters_by_instance() {
    let s = Session::start().await;
    let c = &s.console;
    open_container(&s, "web", "logs").await;
    let count = "return document.querySelector('section[aria-label=\"Application logs\"] [aria-live]').textContent";
    wait_js(
        c,
        "lines arrived",
        "return document.querySelectorAll('section[aria-label=\"Application logs\"] li').length > 0",
    )
    .await;
    let total = |t: serde_json::Value| -> usize {
        t.as_str()
            .and_then(|t| t.split_whitespace().find_map(|w| w.parse().ok()))
            .unwrap_or(0)
    };
    let first = total(c.eval(count).await);
    // Ten minutes of two instances: hundreds of lines, only a screenful rendered.
    assert!(first > 300, "{first}");
    let rendered = c
        .eval("return document.querySelectorAll('section[aria-label=\"Application logs\"] li').length")
        .await;
    assert!(rendered.as_u64().unwrap_or(0) < 60, "{rendered}");
    // The newest line is in view, and new lines come (one every 2 s per instance).
    wait_js(
        c,
        "the log grew while followed",
        &format!("return parseInt(document.querySelector('section[aria-label=\"Application logs\"] [aria-live]').textContent) > {first}"),
    )
    .await;
    let last_in_view = c
        .eval("const li = document.querySelectorAll('section[aria-label=\"Application logs\"] li'); return +li[li.length - 1].getAttribute('aria-posinset') === +li[li.length - 1].getAttribute('aria-setsize')")
        .await;
    assert_eq!(last_in_view, true);

    // A hidden tab stops following (no request for 3 follow periods), a shown one catches up.
    const READS: &str = "performance.getEntriesByType('resource').filter(e => /\\/container\\/[^/]+\\/log/.test(e.name)).length";
    let set_hidden = |hidden: bool| {
        format!(
            "Object.defineProperty(document, 'hidden', {{ value: {hidden}, configurable: true }}); \
             Object.defineProperty(document, 'visibilityState', {{ value: '{}', configurable: true }}); \
             document.dispatchEvent(new Event('visibilitychange', {{ bubbles: true }})); return null",
            if hidden { "hidden" } else { "visible" }
        )
    };
    // Counted from a fresh buffer (the browser keeps 250 entries, and this page made many).
    c.eval("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(10000); return null")
        .await;
    // Control: counted this way, the shown tab's log is read every follow period.
    wait_js(
        c,
        "the log read twice while the tab shows",
        &format!("return {READS} >= 2"),
    )
    .await;
    c.eval(&set_hidden(true)).await;
    // A read already sent may still land: count once the change was handled and nothing is in
    // flight (a read's entry is in the buffer once its body has been read).
    c.next_frame().await;
    c.wait_quiet().await;
    let reads = c.eval(&format!("return {READS}")).await;
    // Nothing in the page can say "no read is coming": 6 s is three follow periods (2 s), in
    // which a followed log is read three times (the control above).
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert_eq!(
        c.eval(&format!("return {READS}")).await,
        reads,
        "the log was read while the tab was hidden"
    );
    c.eval(&set_hidden(false)).await;
    wait_js(
        c,
        "the log is read again once the tab shows",
        &format!("return {READS} > {reads}"),
    )
    .await;

    // Search: matching lines only, each with its match highlighted.
    c.fill("input[aria-label='Search the log']", "healthz")
        .await;
    wait_js(
        c,
        "only health checks are shown",
        "const li = [...document.querySelectorAll('section[aria-label=\"Application logs\"] li')]; \
         return li.length > 0 && li.every(l => l.querySelector('mark')?.textContent.toLowerCase() === 'healthz')",
    )
    .await;
    assert!(c
        .text("section[aria-label='Application logs'] [aria-live]")
        .await
        .contains(" of "));
    c.fill("input[aria-label='Search the log']", "").await;

    // One instance.
    let pod = c
        .eval("return document.querySelector('select[aria-label=Instance] option:nth-child(2)').value")
        .await;
    let pod = pod.as_str().unwrap_or_default().to_string();
    assert!(!pod.is_empty());
    c.eval(&format!(
        "const s = document.querySelector('select[aria-label=Instance]'); s.value = {pod:?}; s.dispatchEvent(new Event('change')); return null"
    ))
    .await;
    wait_js(
        c,
        "only that instance's lines",
        &format!("const li = [...document.querySelectorAll('section[aria-label=\"Application logs\"] li')]; return li.length > 0 && li.every(l => l.children[1].textContent === {pod:?})"),
    )
    .await;

    // Download: the lines shown, one per line, tab-separated.
    let shown = c
        .eval("return document.querySelector('section[aria-label=\"Application logs\"] [aria-live]').textContent")
        .await;
    c.click("section[aria-label='Application logs'] a[download]")
        .await;
    let file = c
        .eval("const a = document.querySelector('section[aria-label=\"Application logs\"] a[download]'); return [a.download, decodeURIComponent(a.getAttribute('href').split(',')[1])]")
        .await;
    let text = file[1].as_str().unwrap_or_default();
    assert_eq!(file[0], "web.log");
    let n = text.lines().count();
    assert!(
        shown
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("{n} of "))),
        "{shown} vs {n} lines"
    );
    assert!(
        text.lines()
            .all(|l| l.split('\t').nth(1) == Some(pod.as_str())),
        "{text:.300}"
    );

    // Paused: no more lines. Control: followed, with this instance's filter, the log grows.
    let growing = c.eval(count).await;
    wait_js(
        c,
        "the filtered log grows while followed",
        &format!("return document.querySelector('section[aria-label=\"Application logs\"] [aria-live]').textContent !== {growing}"),
    )
    .await;
    c.click_text("Pause").await;
    c.wait_for_text(
        "section[aria-label='Application logs'] [aria-live]",
        "paused",
    )
    .await;
    let paused = c.eval(count).await;
    // Nothing in the page can say "no line is coming": 4.5 s is two follow periods (2 s) and a
    // margin, in which the followed log grew (the control above).
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    assert_eq!(c.eval(count).await, paused, "a paused log does not grow");
    s.screenshot("qovery-app-logs").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn links_open_in_a_new_tab() {
    let s = Session::start().await;
    let c = &s.console;
    open_container(&s, "web", "").await;
    c.wait_for("section[aria-label=Links] a[target=_blank]")
        .await;
    let links = c
        .eval("return [...document.querySelectorAll('section[aria-label=Links] a')].map(a => [a.getAttribute('href'), a.rel])")
        .await;
    let links = links.as_array().cloned().unwrap_or_default();
    assert!(
        links.iter().any(|l| l[0]
            .as_str()
            .is_some_and(|h| h.starts_with("https://") && h.contains(".berth-sandbox.test"))),
        "{links:?}"
    );
    assert!(
        links.iter().any(|l| l[0]
            .as_str()
            .is_some_and(|h| h.contains("production.acme-corp.example"))),
        "the custom domain's link: {links:?}"
    );
    assert!(links.iter().all(|l| l[1] == "noopener noreferrer"));
    c.wait_for_text(
        "table[aria-label='Custom domains']",
        "production.acme-corp.example",
    )
    .await;
    // The list offers it in the row of the container that has a public port.
    let (env_path, _) = s.demo_env();
    c.open(&env_path).await;
    c.wait_for("tr a[data-open][target=_blank]").await;
    let rows = c
        .eval("return [...document.querySelectorAll('tr a[data-open]')].map(a => [a.closest('tr').querySelector('td:nth-child(2)').textContent, a.getAttribute('href')])")
        .await;
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "web");
    assert!(
        rows[0][1]
            .as_str()
            .is_some_and(|h| h.starts_with("https://")),
        "{rows:?}"
    );
    // A container without a public port says so.
    open_container(&s, "cache", "").await;
    c.wait_for_text("section[aria-label=Links]", "No public link")
        .await;
    // A Kopernik app's row opens its machine's address.
    c.open("/k/sandbox/digitalocean").await;
    c.wait_for("tr a[data-open]").await;
    let kopernik = c
        .eval("const a = [...document.querySelectorAll('tr a[data-open]')].find(a => a.closest('tr').textContent.includes('nginx-1')); return [a.getAttribute('href'), a.target]")
        .await;
    assert_eq!(
        kopernik,
        serde_json::json!(["http://203.0.113.1:80", "_blank"])
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_container_tabs_pass_axe() {
    let s = Session::start().await;
    let c = &s.console;
    let mut all = Vec::new();
    open_container(&s, "web", "variables").await;
    c.wait_for_text("table[aria-label='Inherited variables']", "LOG_LEVEL")
        .await;
    c.click_text("Add a variable").await;
    crate::a11y::check(c, "variables tab", &mut all).await;
    c.click("#berth-tab-logs").await;
    c.wait_for("section[aria-label='Application logs'] li")
        .await;
    crate::a11y::check(c, "logs tab", &mut all).await;
    c.click("#berth-tab-overview").await;
    c.wait_for("section[aria-label=Links] a").await;
    click_centered(c, "button[data-action=redeploy]").await;
    wait_js(
        c,
        "a deployment in the history",
        "return !!document.querySelector(\"table[aria-label='Deployment history'] button[aria-label^='Log of']\")",
    )
    .await;
    click_centered(
        c,
        "table[aria-label='Deployment history'] button[aria-label^='Log of']",
    )
    .await;
    c.wait_for("[data-deployment-log] li").await;
    crate::a11y::check(c, "overview with a deployment log", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    s.end().await;
}
