//! The Qovery container form against the sandbox: every section, errors that appear and clear,
//! the exact values read back through the API, a 409 at the name field, drafts, and edit by PUT.

use crate::kopernik_create::select;
use crate::Session;
use berth_harness::Sandbox;
use serde_json::json;

async fn check(s: &Session, aria: &str) {
    s.console
        .click(&format!("input[aria-label='{aria}']"))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_fills_every_section_and_the_api_has_the_exact_values() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "500"]).await, "").await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.click_text("New container").await;
    c.wait_for("form[aria-label=Container]").await;
    c.fill("#f-name", "api-2").await;
    c.fill("#f-image_name", "traefik/whoami").await;
    // Suggestions from the registry, after a pause in typing.
    c.wait_until("image suggestions", "[...document.querySelectorAll('#berth-images option')].some(o => o.value === 'traefik/whoami')").await;
    c.wait_until(
        "tag suggestions",
        "[...document.querySelectorAll('#berth-tags option')].some(o => o.value === 'v1.10')",
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelector('#f-image_name').getAttribute('list')")
            .await,
        "berth-images"
    );
    c.fill("#f-tag", "v1.10").await;
    c.fill("#f-arguments", "--port 80 \"--name x y\"").await;
    c.wait_for_text(
        "[data-preview=docker]",
        "docker run traefik/whoami:v1.10 --port 80 '--name x y'",
    )
    .await;
    c.fill("#f-cpu", "5").await;
    c.wait_for_text("#f-cpu-error", "must be at least 10").await;
    c.fill("#f-cpu", "750").await;
    c.wait_until(
        "the cpu error clears",
        "document.querySelector('#f-cpu-error').textContent === ''",
    )
    .await;
    c.wait_for_text(".berth-slider", "0.75 vCPU").await;
    c.fill("#f-memory", "1024").await;
    c.click_text("Add a port").await;
    c.fill("#f-ports-0--internal_port", "80").await;
    check(&s, "Port 1 public").await;
    check(&s, "Port 1 is the default").await;
    c.click_text("Add a port").await;
    c.fill("#f-ports-1--internal_port", "9000").await;
    select(&s, "select[aria-label='Port 2 protocol']", "TCP").await;
    select(&s, "#q-readiness-type", "TCP").await;
    select(&s, "#f-healthchecks-readiness_probe-port", "80").await;
    select(&s, "#q-liveness-type", "HTTP").await;
    select(&s, "#f-healthchecks-liveness_probe-port", "80").await;
    c.fill("#f-healthchecks-liveness_probe-path", "/health")
        .await;
    c.click_text("Add storage (fast SSD)").await;
    c.fill("#f-storage-0--mount_point", "/data").await;
    c.wait_for_text("[data-preview=curl]", "Token $QOVERY_TOKEN")
        .await;
    s.screenshot("qovery-create").await;
    c.click_text("Create").await;
    c.wait_until(
        "back on the list",
        "location.pathname.split('/').length === 6",
    )
    .await;
    c.wait_for_text("table[aria-label=Containers]", "api-2")
        .await;

    let list = s
        .api(
            "GET",
            &format!("/api/qovery/environment/{env}/container"),
            None,
        )
        .json();
    let made = list["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|x| x["name"] == "api-2")
        .expect("created")
        .clone();
    assert_eq!(
        (made["cpu"].clone(), made["memory"].clone()),
        (json!(750), json!(1024))
    );
    assert_eq!(made["arguments"], json!(["--port", "80", "--name x y"]));
    assert_eq!(made["ports"][0]["external_port"], 443);
    assert_eq!(made["ports"][0]["is_default"], true);
    assert_eq!(made["ports"][1]["protocol"], "TCP");
    assert_eq!(
        made["healthchecks"]["readiness_probe"]["type"]["tcp"]["port"],
        80
    );
    assert_eq!(
        made["healthchecks"]["readiness_probe"]["timeout_seconds"],
        1
    );
    assert_eq!(
        made["healthchecks"]["liveness_probe"]["type"]["http"]["path"],
        "/health"
    );
    assert_eq!(made["storage"][0]["mount_point"], "/data");
    assert_eq!(made["storage"][0]["size"], 10);
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_name_shows_at_the_name_field_and_a_reload_keeps_the_draft() {
    let s = Session::start().await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.fill("#f-name", "WEB").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    c.click_text("Create").await;
    c.wait_for_text("#f-name-error", "already taken").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-name').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-image_name').value")
            .await,
        "nginx",
        "the draft is intact"
    );

    c.open(&format!("{path}/new")).await;
    c.wait_for_text("main", "Your draft was restored").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-name').value")
            .await,
        "WEB"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-tag').value")
            .await,
        "1.27"
    );
    c.fill("#f-name", "web-two").await;
    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "web-two")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_changes_a_port_and_the_put_keeps_the_other_ports_and_the_volumes_ids() {
    let s = Session::start().await;
    let (_, env) = s.demo_env();
    let org_regs = s.api("GET", "/api/qovery/organization", None).json();
    let org = org_regs["results"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["name"] == "Acme Corp")
        .expect("acme")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let reg = s
        .api(
            "GET",
            &format!("/api/qovery/organization/{org}/containerRegistry"),
            None,
        )
        .json()["results"][0]["id"]
        .as_str()
        .expect("reg")
        .to_string();
    let created = s
        .api("POST", &format!("/api/qovery/environment/{env}/container"), Some(&json!({
            "name": "two-ports", "registry_id": reg, "image_name": "nginx", "tag": "1.27", "healthchecks": {},
            "ports": [{"internal_port": 80, "publicly_accessible": true, "external_port": 443, "is_default": true, "protocol": "HTTP"},
                      {"internal_port": 9000, "publicly_accessible": false, "protocol": "TCP"}],
            "storage": [{"type": "FAST_SSD", "size": 10, "mount_point": "/data"},
                        {"type": "FAST_SSD", "size": 20, "mount_point": "/cache"}]})))
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let storage_ids = [
        created["storage"][0]["id"].clone(),
        created["storage"][1]["id"].clone(),
    ];
    assert!(
        storage_ids
            .iter()
            .all(|i| i.as_str().is_some_and(|s| !s.is_empty())),
        "the sandbox gives each volume an id: {created}"
    );
    let (first_id, second_id) = (
        created["ports"][0]["id"].clone(),
        created["ports"][1]["id"].clone(),
    );
    let c = &s.console;
    c.open(&format!("/q/sandbox/containers/{id}/edit")).await;
    c.wait_for("form[aria-label=Container]").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-ports-1--internal_port').value")
            .await,
        "9000"
    );
    c.fill("#f-ports-1--internal_port", "9100").await;

    // Review: the port matched by id, changed from 9000 to 9100, and nothing else.
    c.click_text("Review changes").await;
    let row = c
        .text("tr[data-path='ports[1].internal_port'][data-kind=changed]")
        .await;
    assert!(
        row.contains("Port 2 · internal port") && row.contains("9000") && row.contains("9100"),
        "{row}"
    );
    assert_eq!(
        c.eval("return document.querySelectorAll('.berth-review tbody tr').length")
            .await,
        1,
        "only the port changed"
    );
    // Someone changes the container meanwhile: the review says so before saving.
    let mut body = created.clone();
    body["description"] = json!("changed elsewhere");
    s.api("PUT", &format!("/api/qovery/container/{id}"), Some(&body))
        .expect(200);
    c.click_text("Hide the review").await;
    c.click_text("Review changes").await;
    c.wait_for_text("[data-server-changed]", "changed elsewhere")
        .await;
    c.wait_for_text("[data-server-changed]", "Description")
        .await;
    s.screenshot("qovery-review").await;

    // Save sends nothing over their change: it asks first (#21); overwriting is a choice.
    c.click_text("Save").await;
    c.wait_for_text("[data-conflict]", "changed elsewhere")
        .await;
    c.click_text("Overwrite with mine").await;
    c.wait_for_text("main h1", "two-ports").await;
    let after = s
        .api("GET", &format!("/api/qovery/container/{id}"), None)
        .json();
    assert_eq!(
        after["ports"][0]["id"], first_id,
        "the untouched port keeps its id"
    );
    assert_eq!(
        after["ports"][1]["id"], second_id,
        "the edited port is updated, not replaced"
    );
    assert_eq!(after["ports"][1]["internal_port"], 9100);
    // The full PUT carries each volume with its id: kept, not replaced by new ones.
    assert_eq!(
        [
            after["storage"][0]["id"].clone(),
            after["storage"][1]["id"].clone()
        ],
        storage_ids,
        "the volumes keep their ids: {after}"
    );
    assert_eq!(after["storage"][1]["mount_point"], "/cache");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_docker_run_line_fills_the_form_and_says_what_it_left_out() {
    let s = Session::start().await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    let count = || s.containers(&env).len();
    let before = count();
    c.open(&format!("{path}/new")).await;
    c.click("details.berth-paste summary").await;

    // A mistake is said with where it is, and the text stays to be fixed.
    c.fill("#paste-input", "docker run -p 99999:80 nginx").await;
    c.click_text("Fill the form").await;
    c.wait_for_text("#paste-error", "-p 99999:80: `99999` is not a port")
        .await;
    assert_eq!(
        c.eval("return document.querySelector('#paste-input').value")
            .await,
        "docker run -p 99999:80 nginx"
    );

    c.fill(
        "#paste-input",
        "docker run -d --name pasted-web -p 8080:80 -e MODE=prod --cpus 0.5 -m 1g \\\n  -v data:/data --network host --health-cmd 'curl -f localhost' --health-retries 4 \\\n  nginx:1.27 nginx -g 'daemon off;'",
    )
    .await;
    c.click_text("Fill the form").await;
    c.wait_for_text(".berth-paste-report", "Left out").await;
    let report = c.text(".berth-paste-report").await;
    for needle in [
        "--network host: the platform manages networking",
        "host port 8080: Qovery chooses the external port",
        "-d: only means something to a local docker",
    ] {
        assert!(report.contains(needle), "{needle} not in: {report}");
    }
    let value = |id: &'static str| async move {
        c.eval(&format!("return document.querySelector('#{id}').value"))
            .await
    };
    assert_eq!(value("f-name").await, "pasted-web");
    assert_eq!(value("f-image_name").await, "nginx");
    assert_eq!(value("f-tag").await, "1.27");
    assert_eq!(value("f-cpu").await, "500");
    assert_eq!(value("f-memory").await, "1024");
    assert_eq!(value("f-ports-0--internal_port").await, "80");
    assert_eq!(value("f-arguments").await, "nginx -g 'daemon off;'");
    // `-e MODE=prod` became a variable of the form, imported after the create.
    assert!(report.contains("variable MODE"), "{report}");
    assert_eq!(value("f-variables-0--key").await, "MODE");
    assert_eq!(value("f-variables-0--value").await, "prod");
    // Anything the paste sent would have been answered by now.
    c.wait_quiet().await;
    assert_eq!(count(), before, "nothing is sent before the user submits");
    s.screenshot("qovery-paste").await;

    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "pasted-web")
        .await;
    let created = s
        .container_named(&env, "pasted-web")
        .expect("the container was created");
    assert_eq!(created["image_name"], "nginx");
    assert_eq!(created["tag"], "1.27");
    assert_eq!(created["cpu"], 500);
    assert_eq!(created["memory"], 1024);
    assert_eq!(created["ports"][0]["internal_port"], 80);
    assert_eq!(created["ports"][0]["publicly_accessible"], true);
    assert_eq!(created["storage"][0]["mount_point"], "/data");
    assert_eq!(created["arguments"], json!(["nginx", "-g", "daemon off;"]));
    let probe = &created["healthchecks"]["liveness_probe"];
    assert_eq!(
        probe["type"]["exec"]["command"],
        json!(["/bin/sh", "-c", "curl -f localhost"])
    );
    assert_eq!(probe["failure_threshold"], 4);
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn label_and_annotation_groups_are_picked_by_name_and_shown_by_name() {
    let s = Session::start().await;
    let (path, env) = s.demo_env();
    let org = path
        .split('/')
        .nth(3)
        .expect("the org in the path")
        .to_string();
    let group_id = |which: &str, name: &str| -> String {
        let list = s
            .api(
                "GET",
                &format!("/api/qovery/organization/{org}/{which}"),
                None,
            )
            .json();
        list["results"]
            .as_array()
            .and_then(|l| l.iter().find(|g| g["name"] == name))
            .and_then(|g| g["id"].as_str())
            .unwrap_or_else(|| panic!("no {which} named {name}: {list}"))
            .to_string()
    };
    let (compliance, prometheus) = (
        group_id("labelsGroups", "compliance"),
        group_id("annotationsGroups", "prometheus"),
    );
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.fill("#f-name", "grouped").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    c.wait_for_text("fieldset#f-labels_groups", "compliance")
        .await;
    c.wait_for_text("fieldset#f-annotations_groups", "prometheus")
        .await;
    c.click(&format!(
        "fieldset#f-labels_groups input[data-group='{compliance}']"
    ))
    .await;
    c.click(&format!(
        "fieldset#f-annotations_groups input[data-group='{prometheus}']"
    ))
    .await;
    c.wait_for_text("[data-preview=json]", &compliance).await;
    s.screenshot("qovery-groups").await;
    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "grouped")
        .await;
    let created = s.container_named(&env, "grouped").expect("created");
    assert_eq!(created["labels_groups"][0]["id"], compliance.as_str());
    assert_eq!(created["annotations_groups"][0]["id"], prometheus.as_str());

    c.click_text("grouped").await;
    c.wait_for_text("section[aria-label=General]", "compliance")
        .await;
    c.wait_for_text("section[aria-label=General]", "prometheus")
        .await;
    s.end().await;
}

/// The Acme Corp registry's id and a container made through the API in `env`.
fn make_container(s: &Session, env: &str, name: &str) -> serde_json::Value {
    let orgs = s.api("GET", "/api/qovery/organization", None).json();
    let org = orgs["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["name"] == "Acme Corp")
        .and_then(|o| o["id"].as_str())
        .expect("acme")
        .to_string();
    let reg = s
        .api(
            "GET",
            &format!("/api/qovery/organization/{org}/containerRegistry"),
            None,
        )
        .json()["results"][0]["id"]
        .as_str()
        .expect("reg")
        .to_string();
    s.api(
        "POST",
        &format!("/api/qovery/environment/{env}/container"),
        Some(
            &json!({"name": name, "registry_id": reg, "image_name": "nginx", "tag": "1.27",
                     "description": "first", "healthchecks": {}}),
        ),
    )
    .expect(201)
    .json()
}

/// Someone else's PUT, behind the console's back.
fn change_behind(s: &Session, id: &str, description: &str) {
    let mut body = s
        .api("GET", &format!("/api/qovery/container/{id}"), None)
        .expect(200)
        .json();
    body["description"] = json!(description);
    s.api("PUT", &format!("/api/qovery/container/{id}"), Some(&body))
        .expect(200);
}

fn server_copy(s: &Session, id: &str) -> serde_json::Value {
    s.api("GET", &format!("/api/qovery/container/{id}"), None)
        .expect(200)
        .json()
}

/// Issue 21: Save reads the container again; changed since the form opened, it sends nothing and
/// shows their change beside the user's until one is chosen.
#[tokio::test(flavor = "multi_thread")]
async fn save_over_someone_elses_change_asks_first_and_sends_nothing() {
    let s = Session::start().await;
    let (_, env) = s.demo_env();
    let id = make_container(&s, &env, "shared-1")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let c = &s.console;
    c.open(&format!("/q/sandbox/containers/{id}/edit")).await;
    c.wait_for("form[aria-label=Container]").await;
    c.fill("#f-tag", "1.28").await;
    change_behind(&s, &id, "theirs");
    c.click_text("Save").await;
    let review = c.wait_for_text("[data-conflict]", "theirs").await;
    assert!(review.contains("1.28"), "my change is shown too: {review}");
    // Anything Save sent would have been answered by now.
    c.wait_quiet().await;
    let kept = server_copy(&s, &id);
    assert_eq!(kept["description"], "theirs", "their change is intact");
    assert_eq!(kept["tag"], "1.27", "nothing was sent before a choice");
    assert_eq!(c.path().await, format!("/q/sandbox/containers/{id}/edit"));
    s.screenshot("qovery-conflict").await;

    // Reload theirs: the form takes the server's copy, mine is dropped; a later save keeps theirs.
    c.click_text("Reload theirs (discard mine)").await;
    c.wait_until(
        "the server's copy in the form",
        "document.querySelector('#f-description').value === 'theirs' && document.querySelector('#f-tag').value === '1.27' && !document.querySelector('[data-conflict]')",
    )
    .await;
    c.fill("#f-tag", "1.29").await;
    c.click_text("Save").await;
    c.wait_for_text("main h1", "shared-1").await;
    let saved = server_copy(&s, &id);
    assert_eq!(saved["description"], "theirs");
    assert_eq!(saved["tag"], "1.29");
    s.end().await;
}

/// Issue 21: a session draft typed over a copy that has changed since is offered, not applied;
/// restored, Save still asks before sending it over their change.
#[tokio::test(flavor = "multi_thread")]
async fn a_draft_older_than_the_server_copy_is_offered_not_applied() {
    let s = Session::start().await;
    let (_, env) = s.demo_env();
    let id = make_container(&s, &env, "shared-2")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let c = &s.console;
    let edit = format!("/q/sandbox/containers/{id}/edit");
    c.open(&edit).await;
    c.wait_for("form[aria-label=Container]").await;
    c.fill("#f-tag", "2.0").await;
    // A reload over the same copy restores the draft as before.
    c.open(&edit).await;
    c.wait_for_text("main", "Your draft was restored").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-tag').value")
            .await,
        "2.0"
    );
    change_behind(&s, &id, "theirs");
    c.open(&edit).await;
    c.wait_for_text("[data-stale-draft]", "older copy").await;
    assert_eq!(
        c.eval("return [document.querySelector('#f-tag').value, document.querySelector('#f-description').value]")
            .await,
        json!(["1.27", "theirs"]),
        "the form shows the server's copy, not the old draft"
    );
    // The offer survives a reload until a choice.
    c.open(&edit).await;
    c.wait_for_text("[data-stale-draft]", "older copy").await;
    c.click_text("Restore my changes").await;
    c.wait_until(
        "my draft in the form",
        "document.querySelector('#f-tag').value === '2.0' && !document.querySelector('[data-stale-draft]')",
    )
    .await;
    // It was typed over the older copy: Save shows their change before sending it.
    c.click_text("Save").await;
    c.wait_for_text("[data-conflict]", "theirs").await;
    assert_eq!(server_copy(&s, &id)["tag"], "1.27");
    c.click_text("Overwrite with mine").await;
    c.wait_for_text("main h1", "shared-2").await;
    assert_eq!(server_copy(&s, &id)["tag"], "2.0");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_and_a_secret_are_imported_after_the_create_and_the_secret_is_never_stored() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "500"]).await, "").await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.fill("#f-name", "with-vars").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    for _ in 0..3 {
        c.click_text("Add a variable").await;
    }
    c.fill("#f-variables-0--key", "MODE").await;
    c.fill("#f-variables-0--value", "prod").await;
    c.fill("#f-variables-1--key", "WORKERS").await;
    c.fill("#f-variables-1--value", "4").await;
    c.fill("#f-variables-2--key", "API_TOKEN").await;
    // Ticked by its name: a click here would untick it.
    assert_eq!(
        c.eval(
            "return document.querySelector(\"input[aria-label='Variable 3 is secret']\").checked"
        )
        .await,
        true,
        "API_TOKEN is guessed secret"
    );
    c.fill("#f-variables-2--value", "s3cr3t-value").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-variables-2--value').type")
            .await,
        "password",
        "a secret is masked"
    );
    let mut all = Vec::new();
    crate::a11y::check(c, "create form with variables", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    // The draft is written as the user types: with the variables, never the secret's value.
    c.wait_until(
        "the draft holds the variables",
        "Object.keys(sessionStorage).some((k) => (sessionStorage.getItem(k) || '').includes('WORKERS'))",
    )
    .await;
    let stored = c
        .eval(
            "return Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join('\\n')",
        )
        .await;
    let stored = stored.as_str().unwrap_or_default().to_string();
    assert!(stored.contains("API_TOKEN"), "{stored}");
    assert!(!stored.contains("s3cr3t-value"), "secret stored: {stored}");

    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "with-vars")
        .await;
    let id = s
        .container_named(&env, "with-vars")
        .and_then(|x| x["id"].as_str().map(String::from))
        .expect("created");
    let vars = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/environmentVariable"),
            None,
        )
        .json();
    let own: Vec<(String, String)> = vars["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|v| v["scope"] == "CONTAINER")
        .map(|v| {
            (
                v["key"].as_str().unwrap_or_default().to_string(),
                v["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(own.contains(&("MODE".into(), "prod".into())), "{own:?}");
    assert!(own.contains(&("WORKERS".into(), "4".into())), "{own:?}");
    assert!(
        !own.iter().any(|(k, _)| k == "API_TOKEN"),
        "a secret is not a variable"
    );
    let secrets = s
        .api("GET", &format!("/api/qovery/container/{id}/secret"), None)
        .json();
    let list = secrets["results"].as_array().cloned().unwrap_or_default();
    assert!(
        list.iter()
            .any(|x| x["key"] == "API_TOKEN" && x["scope"] == "CONTAINER"),
        "{secrets}"
    );
    assert!(
        !secrets.to_string().contains("s3cr3t-value"),
        "a secret's value is never returned"
    );
    let stored = c
        .eval(
            "return Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join('\\n')",
        )
        .await;
    assert!(
        !stored.as_str().unwrap_or_default().contains("s3cr3t-value"),
        "{stored}"
    );
    s.end().await;
}

/// Everything the page keeps in sessionStorage and localStorage, one value a line.
async fn all_storage(c: &berth_harness::Console) -> String {
    c.eval(
        "return [sessionStorage, localStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k))).join('\\n')",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_password_is_secret_without_a_tick_and_a_reload_finds_no_value() {
    let s = Session::start().await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.fill("#f-name", "guessed").await;
    c.click_text("Add a variable").await;
    c.fill("#f-variables-0--key", "DB_PASS").await;
    c.fill("#f-variables-0--value", "hunter2").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-variables-0--value').type")
            .await,
        "password",
        "masked by its name"
    );
    assert_eq!(
        c.eval(
            "return document.querySelector(\"input[aria-label='Variable 1 is secret']\").checked"
        )
        .await,
        true
    );
    c.wait_until(
        "the draft holds the row",
        "Object.keys(sessionStorage).some((k) => (sessionStorage.getItem(k) || '').includes('DB_PASS'))",
    )
    .await;
    let stored = all_storage(c).await;
    assert!(!stored.contains("hunter2"), "secret stored: {stored}");

    c.open(&format!("{path}/new")).await;
    c.wait_for_text("main", "Your draft was restored").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-variables-0--key').value")
            .await,
        "DB_PASS"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-variables-0--value').value")
            .await,
        "",
        "the secret's value is asked for again"
    );
    let stored = all_storage(c).await;
    assert!(!stored.contains("hunter2"), "secret stored: {stored}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn docker_run_env_flags_fill_the_variables() {
    let s = Session::start().await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.click("details.berth-paste summary").await;
    c.fill("#paste-input", "docker run -e A=1 --env B=2 -e C nginx")
        .await;
    c.click_text("Fill the form").await;
    let report = c.wait_for_text(".berth-paste-report", "variable A").await;
    assert!(report.contains("variable B"), "{report}");
    assert!(report.contains("-e C: no value given"), "{report}");
    let value = |id: &'static str| async move {
        c.eval(&format!("return document.querySelector('#{id}').value"))
            .await
    };
    assert_eq!(value("f-variables-0--key").await, "A");
    assert_eq!(value("f-variables-0--value").await, "1");
    assert_eq!(value("f-variables-1--key").await, "B");
    assert_eq!(value("f-variables-1--value").await, "2");
    assert_eq!(value("f-variables-2--key").await, "C");
    assert_eq!(value("f-variables-2--value").await, "");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_not_set_stay_in_the_form_and_a_retry_sends_only_them_to_the_same_container() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    // Only the import fails (500), not the create.
    c.eval(
        "const f = window.fetch; window.fetch = function (input, init) { const r = new Request(input, init); \
           if (window.__failImport && new URL(r.url).pathname.endsWith('/environmentVariable/import')) { r.headers.set('X-Berth-Fault', '500'); } \
           return f.call(window, r); }; window.__failImport = true; return null;",
    )
    .await;
    c.fill("#f-name", "vars-retry").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    c.click_text("Add a variable").await;
    c.fill("#f-variables-0--key", "MODE").await;
    c.fill("#f-variables-0--value", "prod").await;
    c.click_text("Create").await;
    let said = c
        .wait_for_text(".berth-panel.berth-error", "were not set")
        .await;
    assert!(said.contains("MODE"), "{said}");
    assert!(said.contains("HTTP 500"), "{said}");
    c.wait_for("[data-retry-variables]").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-variables-0--key').value")
            .await,
        "MODE",
        "the variable stays in the form"
    );
    let id = s
        .container_named(&env, "vars-retry")
        .and_then(|x| x["id"].as_str().map(String::from))
        .expect("the container was created");

    c.eval("window.__failImport = false; return null").await;
    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "vars-retry")
        .await;
    let named = s
        .containers(&env)
        .into_iter()
        .filter(|x| x["name"] == "vars-retry")
        .count();
    assert_eq!(named, 1, "the retry did not create the container again");
    let vars = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/environmentVariable"),
            None,
        )
        .json();
    assert!(
        vars["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .any(|v| v["key"] == "MODE" && v["value"] == "prod" && v["scope"] == "CONTAINER"),
        "{vars}"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_and_an_import_whose_answers_are_lost_are_read_back_and_never_sent_twice() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    // Both writes are done by the server, and their answers lost on the way back (a proxy's 504);
    // every POST is counted by what it writes.
    c.eval(
        "window.__posts = {}; const f = window.fetch; window.fetch = function (input, init) { const r = new Request(input, init); \
           const p = new URL(r.url).pathname; \
           if (r.method === 'POST') { const what = p.endsWith('/import') ? 'import' : p.endsWith('/container') ? 'create' : p; \
             window.__posts[what] = (window.__posts[what] || 0) + 1; \
             if (what === 'import' || what === 'create') r.headers.set('X-Berth-Fault', 'lost-answer'); } \
           return f.call(window, r); }; return null;",
    )
    .await;
    c.fill("#f-name", "lost-create").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    c.click_text("Add a variable").await;
    c.fill("#f-variables-0--key", "MODE").await;
    c.fill("#f-variables-0--value", "prod").await;
    c.click_text("Create").await;
    // Found by a read, it counts as done: the list, not an error and a second create.
    c.wait_for_text("table[aria-label=Containers]", "lost-create")
        .await;
    let posts = c.eval("return window.__posts").await;
    assert_eq!(posts["create"], 1, "{posts}");
    assert_eq!(posts["import"], 1, "{posts}");
    let named: Vec<serde_json::Value> = s
        .containers(&env)
        .into_iter()
        .filter(|x| x["name"] == "lost-create")
        .collect();
    assert_eq!(named.len(), 1, "created once");
    let id = named[0]["id"].as_str().unwrap_or_default();
    let vars = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/environmentVariable"),
            None,
        )
        .json();
    let mode = vars["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v["key"] == "MODE" && v["scope"] == "CONTAINER")
        .count();
    assert_eq!(mode, 1, "{vars}");
    s.end().await;
}
