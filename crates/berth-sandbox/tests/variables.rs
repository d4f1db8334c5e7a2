//! Container environment variables, secrets and the variable import (#20): scopes, the shared key
//! rules, inherited variables read-only, a secret's value never returned, an import that says
//! which keys failed.

mod common;

use common::{demo_container, Server};
use serde_json::{json, Value};

fn keys(list: &Value) -> Vec<(String, String)> {
    list["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["key"].as_str().unwrap_or_default().to_string(),
                v["scope"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn variables_are_listed_with_their_scope_and_inherited_ones_are_read_only() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let path = format!("/container/{web}/environmentVariable");
    let list = s.q("GET", &path, None).expect(200).json();
    let inherited = keys(&list);
    assert!(
        inherited.contains(&("LOG_LEVEL".into(), "PROJECT".into())),
        "{list}"
    );
    assert!(
        inherited.contains(&("APP_ENV".into(), "ENVIRONMENT".into())),
        "{list}"
    );

    let created = s
        .q(
            "POST",
            &path,
            Some(&json!({"key": "PORT", "value": "8080", "description": "listen port"})),
        )
        .expect(201)
        .json();
    assert_eq!(created["scope"], "CONTAINER");
    assert_eq!(created["value"], "8080");
    assert_eq!(created["variable_type"], "VALUE");
    assert_eq!(created["service_id"], web.as_str());
    let id = created["id"].as_str().expect("id").to_string();
    let list = s.q("GET", &path, None).expect(200).json();
    assert!(keys(&list).contains(&("PORT".into(), "CONTAINER".into())));

    // The rules of berth-api, with their messages naming the field.
    for (body, expected) in [
        (json!({"key": ""}), "key: must not be empty"),
        (
            json!({"key": "1PORT"}),
            "key: `1PORT` must start with a letter or `_`",
        ),
        (
            json!({"key": "MY-VAR"}),
            "must start with a letter or `_` and contain only letters",
        ),
        (
            json!({"key": "K".repeat(256)}),
            "key: must be at most 255 characters long",
        ),
        (
            json!({"key": "PORT", "value": "1"}),
            "key: `PORT` is already used by a variable or secret of this container",
        ),
        (
            json!({"key": "D", "description": "d".repeat(256)}),
            "description: must be at most 255 characters long",
        ),
        (
            json!({"key": "F", "mount_path": "relative/file"}),
            "mount_path: must be an absolute file path",
        ),
    ] {
        let err = s.q("POST", &path, Some(&body)).expect(400).json();
        let detail = err["detail"].as_str().expect("detail");
        assert!(detail.contains(expected), "{body}: {detail}");
    }
    s.q("POST", &path, Some(&json!({"value": "no key"})))
        .expect(400);

    // Edit: key and value replaced; a file variable.
    let edited = s
        .q(
            "PUT",
            &format!("{path}/{id}"),
            Some(&json!({"key": "HTTP_PORT", "value": "9090", "mount_path": "/etc/port"})),
        )
        .expect(200)
        .json();
    assert_eq!(edited["key"], "HTTP_PORT");
    assert_eq!(edited["value"], "9090");
    assert_eq!(edited["variable_type"], "FILE");
    // A key used by a secret of the container is taken too.
    s.q(
        "POST",
        &format!("/container/{web}/secret"),
        Some(&json!({"key": "TOKEN", "value": "x"})),
    )
    .expect(201);
    let err = s
        .q(
            "PUT",
            &format!("{path}/{id}"),
            Some(&json!({"key": "TOKEN", "value": "1"})),
        )
        .expect(400)
        .json();
    assert!(
        err["detail"]
            .as_str()
            .expect("detail")
            .contains("already used"),
        "{err}"
    );

    // Inherited: read-only through the container (403), with a message saying so.
    let app_env = list["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|v| v["key"] == "APP_ENV")
        .and_then(|v| v["id"].as_str())
        .expect("APP_ENV")
        .to_string();
    let err = s
        .q(
            "PUT",
            &format!("{path}/{app_env}"),
            Some(&json!({"key": "APP_ENV", "value": "x"})),
        )
        .expect(403)
        .json();
    let detail = err["detail"].as_str().expect("detail");
    assert!(
        detail.contains("ENVIRONMENT") && detail.contains("read-only"),
        "{detail}"
    );
    s.q("DELETE", &format!("{path}/{app_env}"), None)
        .expect(403);
    // Another container's variable is not found through this one.
    let cache = demo_container(&s, &env, "cache");
    s.q(
        "DELETE",
        &format!("/container/{cache}/environmentVariable/{id}"),
        None,
    )
    .expect(404);
    s.q("GET", "/container/nope/environmentVariable", None)
        .expect(404);

    s.q("DELETE", &format!("{path}/{id}"), None).expect(204);
    s.q("DELETE", &format!("{path}/{id}"), None).expect(404);
    let list = s.q("GET", &path, None).expect(200).json();
    assert!(!keys(&list).iter().any(|(k, _)| k == "HTTP_PORT"));
    // A deployed container whose variables changed is out of date.
    let status = s
        .q("GET", &format!("/container/{web}/status"), None)
        .expect(200)
        .json();
    assert_eq!(status["service_deployment_status"], "OUT_OF_DATE");
}

#[test]
fn a_secret_value_is_stored_but_never_returned() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let path = format!("/container/{web}/secret");
    let value = "s3cr3t-VALUE-that-must-not-leak";
    let created = s
        .q(
            "POST",
            &path,
            Some(&json!({"key": "API_KEY", "value": value})),
        )
        .expect(201);
    assert!(!created.text.contains(value), "{}", created.text);
    let created = created.json();
    assert_eq!(created["scope"], "CONTAINER");
    assert!(created.get("value").is_none(), "{created}");
    let id = created["id"].as_str().expect("id").to_string();

    let list = s.q("GET", &path, None).expect(200);
    assert!(!list.text.contains(value), "{}", list.text);
    let list = list.json();
    let scopes = keys(&list);
    assert!(scopes.contains(&("API_KEY".into(), "CONTAINER".into())));
    assert!(scopes.contains(&("DATABASE_PASSWORD".into(), "ENVIRONMENT".into())));
    for secret in list["results"].as_array().expect("list") {
        assert!(secret.get("value").is_none(), "{secret}");
    }

    let edited = s
        .q(
            "PUT",
            &format!("{path}/{id}"),
            Some(&json!({"key": "API_TOKEN", "value": "other-secret"})),
        )
        .expect(200);
    assert!(!edited.text.contains("other-secret"));
    assert_eq!(edited.json()["key"], "API_TOKEN");
    // Nor is it anywhere else the container shows up.
    for p in [
        format!("/container/{web}"),
        format!("/container/{web}/environmentVariable"),
        format!("/environment/{env}/container"),
    ] {
        let a = s.q("GET", &p, None).expect(200);
        assert!(
            !a.text.contains(value) && !a.text.contains("other-secret"),
            "{p}"
        );
    }
    // The rules are the variables' rules.
    let err = s
        .q(
            "POST",
            &path,
            Some(&json!({"key": "BAD KEY", "value": "x"})),
        )
        .expect(400)
        .json();
    assert!(
        err["detail"].as_str().expect("detail").starts_with("key: "),
        "{err}"
    );
    let inherited = list["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|v| v["key"] == "DATABASE_PASSWORD")
        .and_then(|v| v["id"].as_str())
        .expect("inherited secret")
        .to_string();
    s.q("DELETE", &format!("{path}/{inherited}"), None)
        .expect(403);
    s.q("DELETE", &format!("{path}/{id}"), None).expect(204);
    s.q("GET", "/container/nope/secret", None).expect(404);
}

#[test]
fn an_import_reports_which_keys_failed_and_why() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let path = format!("/container/{web}/environmentVariable");
    s.q(
        "POST",
        &path,
        Some(&json!({"key": "EXISTING", "value": "old"})),
    )
    .expect(201);
    let body = json!({"overwrite": false, "vars": [
        {"name": "GOOD", "value": "1", "scope": "CONTAINER", "is_secret": false},
        {"name": "HIDDEN", "value": "imported-secret", "scope": "CONTAINER", "is_secret": true},
        {"name": "2BAD", "value": "x", "scope": "CONTAINER", "is_secret": false},
        {"name": "EXISTING", "value": "new", "scope": "CONTAINER", "is_secret": false},
        {"name": "GOOD", "value": "2", "scope": "CONTAINER", "is_secret": false},
        {"name": "SHARED", "value": "e", "scope": "ENVIRONMENT", "is_secret": false},
        {"name": "APPX", "value": "a", "scope": "APPLICATION", "is_secret": false},
    ]});
    let a = s
        .q("POST", &format!("{path}/import"), Some(&body))
        .expect(201);
    assert!(!a.text.contains("imported-secret"), "{}", a.text);
    let answer = a.json();
    assert_eq!(answer["total_variables_to_import"], 7);
    let ok: Vec<&str> = answer["successful_imported_variables"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert_eq!(ok, ["GOOD", "HIDDEN", "SHARED"]);
    let failed: Vec<(&str, &str)> = answer["failed_imported_variables"]
        .as_array()
        .expect("failed list")
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default(),
                v["reason"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let names: Vec<&str> = failed.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["2BAD", "EXISTING", "GOOD", "APPX"]);
    assert!(
        failed[0]
            .1
            .starts_with("vars[2].name: `2BAD` must start with a letter"),
        "{failed:?}"
    );
    assert!(
        failed[1].1.contains("already exists") && failed[1].1.contains("overwrite"),
        "{failed:?}"
    );
    assert!(failed[2].1.contains("more than once"), "{failed:?}");
    assert!(failed[3].1.starts_with("vars[6].scope:"), "{failed:?}");
    // The typed answer tells the same names from the spec's fields alone.
    let typed: berth_api::variables::VariableImport =
        serde_json::from_value(answer.clone()).expect("decodes");
    let request: berth_api::variables::VariableImportRequest =
        serde_json::from_value(body).expect("request decodes");
    assert_eq!(
        typed.failed_names(&request),
        ["2BAD", "EXISTING", "GOOD", "APPX"]
    );

    let list = s.q("GET", &path, None).expect(200).json();
    let all = keys(&list);
    assert!(all.contains(&("GOOD".into(), "CONTAINER".into())));
    assert!(all.contains(&("SHARED".into(), "ENVIRONMENT".into())));
    let secrets = s
        .q("GET", &format!("/container/{web}/secret"), None)
        .expect(200)
        .json();
    assert!(keys(&secrets).contains(&("HIDDEN".into(), "CONTAINER".into())));
    // Another container of the environment inherits the imported ENVIRONMENT variable.
    let cache = demo_container(&s, &env, "cache");
    let theirs = s
        .q(
            "GET",
            &format!("/container/{cache}/environmentVariable"),
            None,
        )
        .expect(200)
        .json();
    assert!(keys(&theirs).contains(&("SHARED".into(), "ENVIRONMENT".into())));

    // overwrite: the existing key is replaced.
    let again = json!({"overwrite": true, "vars": [
        {"name": "EXISTING", "value": "new", "scope": "CONTAINER", "is_secret": false}]});
    let answer = s
        .q("POST", &format!("{path}/import"), Some(&again))
        .expect(201)
        .json();
    assert_eq!(answer["successful_imported_variables"][0]["value"], "new");
    let list = s.q("GET", &path, None).expect(200).json();
    let existing: Vec<&Value> = list["results"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|v| v["key"] == "EXISTING")
        .collect();
    assert_eq!(existing.len(), 1);
    assert_eq!(existing[0]["value"], "new");
    s.q(
        "POST",
        &format!("{path}/import"),
        Some(&json!({"vars": "nope"})),
    )
    .expect(400);
}
