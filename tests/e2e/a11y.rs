//! Accessibility as a test: axe-core (npm, beside binaryen) on every screen, in light and dark
//! mode, with no serious or critical violation; and a Qovery container created with the keyboard
//! alone.

use crate::Session;

/// axe-core's serious and critical violations on the page as it is, in `scheme`.
async fn violations(c: &berth_harness::Console, screen: &str, scheme: &str) -> Vec<String> {
    let axe = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/axe-core/axe.min.js"
    ))
    .expect("node_modules/axe-core/axe.min.js: `cargo xtask setup` installs it");
    let loaded = c.eval("return !!window.axe").await;
    if loaded != true {
        c.eval(&format!("{axe}\nreturn null")).await;
    }
    c.eval(&format!(
        "document.body.setAttribute('data-berth-theme', {scheme:?}); return null"
    ))
    .await;
    // Let the scheme's colours apply before axe reads them.
    c.next_frame().await;
    let found = c
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then((r) => done(
               r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                 .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`)
             )).catch((e) => done([`axe failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("axe.run");
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| format!("{screen} [{scheme}]: {}", v.as_str().unwrap_or_default()))
        .collect()
}

pub async fn check(c: &berth_harness::Console, screen: &str, all: &mut Vec<String>) {
    for scheme in ["light", "dark"] {
        all.extend(violations(c, screen, scheme).await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_in_light_and_dark() {
    let s = Session::start().await;
    let c = &s.console;
    let mut all = Vec::new();
    let (env_path, _) = s.demo_env();

    c.open("/").await;
    c.wait_for("table[aria-label='All apps'] tbody tr").await;
    // The check itself: a button without a name is found, then removed.
    c.eval("const b = document.createElement('button'); b.id = 'axe-control'; document.querySelector('main').append(b); return null")
        .await;
    let control = violations(c, "control", "light").await;
    assert!(
        control
            .iter()
            .any(|v| v.contains("button-name") && v.contains("#axe-control")),
        "axe did not report a button without a name: {control:?}"
    );
    c.eval("document.getElementById('axe-control').remove(); return null")
        .await;
    check(c, "overview", &mut all).await;

    c.open("/connections").await;
    c.wait_for("table[aria-label=Connections] tbody tr").await;
    check(c, "connections", &mut all).await;

    c.open("/actions").await;
    c.wait_for_text("main h1", "Actions").await;
    check(c, "actions", &mut all).await;

    c.open("/q/sandbox").await;
    c.wait_for_text("main", "Acme Corp").await;
    check(c, "picker", &mut all).await;

    c.open(&env_path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    check(c, "qovery list", &mut all).await;
    c.click("tr button[data-action=delete]").await;
    c.wait_for("#berth-confirm-input").await;
    check(c, "qovery delete dialog", &mut all).await;

    c.open(&env_path).await;
    c.click_text("whoami").await;
    c.wait_for("section[aria-label='Deployment history']").await;
    check(c, "qovery detail", &mut all).await;

    c.open(&format!("{env_path}/new")).await;
    c.wait_for("form[aria-label=Container]").await;
    c.click_text("Create").await;
    c.wait_for("#berth-error-summary").await;
    check(c, "qovery form with its error summary", &mut all).await;

    c.open("/k/sandbox/aws").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    check(c, "kopernik list", &mut all).await;
    c.click("tr button[data-action=delete]").await;
    c.wait_for("#berth-confirm-input").await;
    check(c, "kopernik delete dialog", &mut all).await;

    c.open("/k/sandbox/aws").await;
    c.click("table[aria-label='Container apps'] tbody tr a")
        .await;
    c.wait_for("[data-raw-json]").await;
    check(c, "kopernik detail", &mut all).await;

    c.open("/k/sandbox/aws/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    c.click_text("Create container app").await;
    c.wait_for("#berth-error-summary").await;
    check(c, "kopernik form with its error summary", &mut all).await;

    assert!(
        all.is_empty(),
        "{} serious or critical axe violation(s):\n{}",
        all.len(),
        all.join("\n")
    );
    s.end().await;
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";
const ARROW_RIGHT: &str = "\u{E014}";

/// Keys typed into whatever has the focus, as a keyboard does.
async fn press(c: &berth_harness::Console, keys: &str) {
    c.press(keys).await;
}

async fn focused_is(c: &berth_harness::Console, css: &str) -> bool {
    c.eval(&format!(
        "return document.activeElement?.matches({css:?}) === true"
    ))
    .await
        == true
}

/// Tab (forward only) until the element matching `css` has the focus.
async fn tab_to(c: &berth_harness::Console, css: &str) {
    for _ in 0..150 {
        if focused_is(c, css).await {
            return;
        }
        press(c, TAB).await;
    }
    panic!("Tab never reached `{css}`");
}

/// Arrow down in a focused select until its value is `value`.
async fn choose(c: &berth_harness::Console, value: &str) {
    for _ in 0..40 {
        if c.eval("return document.activeElement.value").await == value {
            return;
        }
        press(c, ARROW_DOWN).await;
    }
    panic!("the arrows never chose {value}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_container_and_an_app_are_created_with_the_keyboard_alone() {
    let s = Session::start().await;
    let c = &s.console;
    let (env_path, env) = s.demo_env();

    // Qovery: from the list, by Tab, typing, arrows on the CPU slider and Enter.
    c.open(&env_path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    tab_to(c, "a[href$='/new']").await;
    press(c, ENTER).await;
    c.wait_for("form[aria-label=Container]").await;
    tab_to(c, "#f-name").await;
    press(c, "kb-web").await;
    tab_to(c, "#f-image_name").await;
    press(c, "nginx").await;
    tab_to(c, "#f-tag").await;
    press(c, "1.27").await;
    tab_to(c, "input[aria-label='CPU (millicores) slider']").await;
    let cpu_before = c
        .eval("return document.querySelector('#f-cpu').value")
        .await;
    press(c, ARROW_RIGHT).await;
    press(c, ARROW_RIGHT).await;
    let cpu_after = c
        .eval("return document.querySelector('#f-cpu').value")
        .await;
    assert_ne!(cpu_before, cpu_after, "the arrows move the CPU slider");
    tab_to(c, "button[type=submit]").await;
    press(c, ENTER).await;
    c.wait_for_text("table[aria-label=Containers]", "kb-web")
        .await;
    let created = s
        .container_named(&env, "kb-web")
        .expect("kb-web was created");
    assert_eq!(
        created["cpu"].to_string(),
        cpu_after.as_str().unwrap_or_default()
    );

    // Kopernik: name, region and machine type by arrows, image, Enter.
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    tab_to(c, "#f-machineConfiguration-name").await;
    press(c, "kb-app").await;
    tab_to(c, "#f-machineConfiguration-regionUid").await;
    choose(c, "nyc1").await;
    tab_to(c, "#f-machineConfiguration-machineTypeUid").await;
    choose(c, "s-1vcpu-1gb").await;
    tab_to(c, "#f-containerImage-id").await;
    press(c, "nginx:1.27").await;
    press(c, ENTER).await;
    c.wait_until(
        "the created app's name in the page",
        "document.querySelector('main').textContent.includes('kb-app')",
    )
    .await;
    let apps = s
        .api(
            "GET",
            "/api/kopernik/v0/resource/containerapp/digitalocean",
            None,
        )
        .json();
    assert!(
        apps.to_string().contains("kb-app"),
        "the app was created: {apps}"
    );
    s.end().await;
}
