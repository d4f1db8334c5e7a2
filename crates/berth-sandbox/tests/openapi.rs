//! Every Qovery response of contract.md §1 validates against Qovery's official
//! `qovery-openapi.yaml` (OpenAPI 3.0: `nullable`, `allOf`, `oneOf`, `$ref`), checked by a small
//! recursive validator (tests/common/spec.rs) that fails on a missing required field, a null
//! where the schema is not nullable, a wrong type or a value outside an enum.

mod common;

use std::time::Duration;

use common::spec::{Checker, Spec, SHARED_SPEC, SPEC};
use common::{eventually, Server};
use serde_json::{json, Value};

#[test]
fn the_vendored_spec_is_the_shared_one_when_that_is_here() {
    let vendored = std::fs::read(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    assert!(
        vendored.starts_with(b"openapi: 3.0.0"),
        "the vendored spec is an OpenAPI 3.0 document"
    );
    // Only a check when ../shared exists: the repository must never need it.
    if let Ok(shared) = std::fs::read(SHARED_SPEC) {
        assert!(
            shared == vendored,
            "tests/spec/qovery-openapi.yaml differs from {SHARED_SPEC}: copy it again"
        );
    }
}

#[test]
fn the_validator_fails_on_what_the_spec_forbids() {
    let spec = Spec::load();
    let schema = spec.response_schema("/container/{containerId}/status", "get", 200);
    let good = json!({"id": "0b3c1a1e-2f4d-4c6e-8a9b-123456789abc", "state": "READY",
        "service_deployment_status": "NEVER_DEPLOYED",
        "status_details": {"action": "DEPLOY", "status": "NEVER", "sub_action": "NONE"},
        "is_part_last_deployment": false, "deployment_requests_count": 0, "deployment_request_id": null});
    assert_eq!(spec.errors(schema, &good), Vec::<String>::new());
    let mut missing = good.clone();
    missing.as_object_mut().map(|o| o.remove("status_details"));
    assert!(
        !spec.errors(schema, &missing).is_empty(),
        "a missing required field"
    );
    let mut null = good.clone();
    null["last_deployment_date"] = Value::Null;
    assert!(
        !spec.errors(schema, &null).is_empty(),
        "null where not nullable"
    );
    let mut bad_enum = good.clone();
    bad_enum["state"] = json!("RUNNING");
    assert!(
        !spec.errors(schema, &bad_enum).is_empty(),
        "a value outside the enum"
    );
    let mut bad_type = good;
    bad_type["deployment_requests_count"] = json!("1");
    assert!(!spec.errors(schema, &bad_type).is_empty(), "a wrong type");
    let orgs = spec.response_schema("/organization", "get", 200);
    let no_plan = json!({"results": [{"id": "0b3c1a1e-2f4d-4c6e-8a9b-123456789abc",
        "created_at": "2026-01-01T00:00:00Z", "name": "x"}]});
    assert!(
        !spec.errors(orgs, &no_plan).is_empty(),
        "Organization needs plan"
    );
    let details = &spec.doc["components"]["schemas"]["DeploymentHistoryServiceDetails"];
    let container = json!({"image_name": "nginx", "tag": "1", "arguments": []});
    assert_eq!(spec.errors(details, &container), Vec::<String>::new());
    let both = json!({"image_name": "nginx", "tag": "1", "arguments": [], "job_type": "CRON"});
    assert!(
        !spec.errors(details, &both).is_empty(),
        "two telling oneOf alternatives"
    );
}

#[test]
fn every_qovery_response_matches_the_official_spec() {
    let s = Server::start(&["--demo", "--provision-ms", "400"]);
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let orgs = c.call("get", "/organization", "/organization", None, 200);
    let org = orgs["results"][0]["id"].as_str().expect("org").to_string();
    let projects = c.call(
        "get",
        "/organization/{organizationId}/project",
        &format!("/organization/{org}/project"),
        None,
        200,
    );
    let project = projects["results"][0]["id"]
        .as_str()
        .expect("project")
        .to_string();
    let envs = c.call(
        "get",
        "/project/{projectId}/environment",
        &format!("/project/{project}/environment"),
        None,
        200,
    );
    let env = envs["results"][0]["id"].as_str().expect("env").to_string();
    c.call(
        "get",
        "/environment/{environmentId}",
        &format!("/environment/{env}"),
        None,
        200,
    );
    let regs = c.call(
        "get",
        "/organization/{organizationId}/containerRegistry",
        &format!("/organization/{org}/containerRegistry"),
        None,
        200,
    );
    let hub = regs["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["kind"] == "DOCKER_HUB")
        .and_then(|r| r["id"].as_str())
        .expect("hub")
        .to_string();
    c.call(
        "get",
        "/organization/{organizationId}/containerRegistry/{containerRegistryId}/images",
        &format!("/organization/{org}/containerRegistry/{hub}/images?search=ngi"),
        None,
        200,
    );
    let labels = c.call(
        "get",
        "/organization/{organizationId}/labelsGroups",
        &format!("/organization/{org}/labelsGroups"),
        None,
        200,
    );
    let label_group = labels["results"][0]["id"]
        .as_str()
        .expect("a demo labels group")
        .to_string();
    let annotations = c.call(
        "get",
        "/organization/{organizationId}/annotationsGroups",
        &format!("/organization/{org}/annotationsGroups"),
        None,
        200,
    );
    let annotation_group = annotations["results"][0]["id"]
        .as_str()
        .expect("a demo annotations group")
        .to_string();
    let env_statuses = |c: &mut Checker| {
        c.call(
            "get",
            "/environment/{environmentId}/statusesWithStages",
            &format!("/environment/{env}/statusesWithStages"),
            None,
            200,
        );
        c.call(
            "get",
            "/environment/{environmentId}/statuses",
            &format!("/environment/{env}/statuses"),
            None,
            200,
        )
    };
    env_statuses(&mut c);
    let list = c.call(
        "get",
        "/environment/{environmentId}/container",
        &format!("/environment/{env}/container"),
        None,
        200,
    );
    assert!(list["results"].as_array().is_some_and(|l| l.len() >= 4));

    let body = json!({
        "name": "spec", "registry_id": hub, "image_name": "nginx", "tag": "1.27",
        "ports": [{"internal_port": 80, "external_port": 443, "publicly_accessible": true, "protocol": "HTTP", "name": "web"}],
        "storage": [{"type": "FAST_SSD", "size": 10, "mount_point": "/data"}],
        "healthchecks": {"readiness_probe": {"type": {"http": {"path": "/", "scheme": "HTTP", "port": 80}}},
                         "liveness_probe": {"type": {"tcp": {"port": 80}}}},
        "labels_groups": [{"id": label_group}], "annotations_groups": [{"id": annotation_group}],
    });
    let created = c.call(
        "post",
        "/environment/{environmentId}/container",
        &format!("/environment/{env}/container"),
        Some(&body),
        201,
    );
    assert_eq!(created["labels_groups"][0]["id"], label_group.as_str());
    let id = created["id"].as_str().expect("id").to_string();
    let status = |c: &mut Checker| {
        c.call(
            "get",
            "/container/{containerId}/status",
            &format!("/container/{id}/status"),
            None,
            200,
        )
    };
    status(&mut c);
    c.call(
        "get",
        "/container/{containerId}",
        &format!("/container/{id}"),
        None,
        200,
    );
    c.call(
        "put",
        "/container/{containerId}",
        &format!("/container/{id}"),
        Some(&body),
        200,
    );
    // Every operation, and every state on the way, as both status endpoints show it.
    for (op, end) in [
        ("deploy", "DEPLOYED"),
        ("restart-service", "RESTARTED"),
        ("redeploy", "DEPLOYED"),
        ("stop", "STOPPED"),
    ] {
        let template = format!("/container/{{containerId}}/{op}");
        c.call(
            "post",
            &template,
            &format!("/container/{id}/{op}"),
            None,
            202,
        );
        eventually(Duration::from_secs(5), || {
            env_statuses(&mut c);
            (status(&mut c)["state"] == end).then_some(())
        });
    }
    let history = c.call(
        "get",
        "/container/{containerId}/deploymentHistoryV2",
        &format!("/container/{id}/deploymentHistoryV2"),
        None,
        200,
    );
    let entries = history["results"].as_array().expect("results");
    assert_eq!(entries.len(), 4, "one entry per operation: {history}");
    assert_eq!(entries[0]["status"], "STOPPED", "newest first");
    assert_eq!(entries[3]["status"], "DEPLOYED");
    // Error answers use statuses the spec lists for each operation.
    c.error(
        "get",
        "/container/{containerId}",
        "/container/nope",
        None,
        404,
    );
    c.error(
        "get",
        "/container/{containerId}/status",
        "/container/nope/status",
        None,
        404,
    );
    c.error(
        "delete",
        "/container/{containerId}",
        "/container/nope",
        None,
        404,
    );
    c.error(
        "post",
        "/environment/{environmentId}/container",
        &format!("/environment/{env}/container"),
        Some(&body),
        409,
    );
    c.error(
        "post",
        "/environment/{environmentId}/container",
        &format!("/environment/{env}/container"),
        Some(&json!({"name": ""})),
        400,
    );
    c.error(
        "post",
        "/container/{containerId}/stop",
        &format!("/container/{id}/stop"),
        None,
        409,
    );
    c.error(
        "get",
        "/container/{containerId}/deploymentHistoryV2",
        "/container/nope/deploymentHistoryV2",
        None,
        404,
    );
    c.error(
        "get",
        "/environment/{environmentId}/statusesWithStages",
        "/environment/nope/statusesWithStages",
        None,
        404,
    );
    // A deploy, then a delete while it runs: queued.
    c.call(
        "post",
        "/container/{containerId}/deploy",
        &format!("/container/{id}/deploy"),
        None,
        202,
    );
    c.call(
        "delete",
        "/container/{containerId}",
        &format!("/container/{id}"),
        None,
        204,
    );
    status(&mut c);
    env_statuses(&mut c);
    eventually(Duration::from_secs(5), || {
        (s.q("GET", &format!("/container/{id}"), None).status == 404).then_some(())
    });
    assert!(c.checked >= 30, "only {} answers checked", c.checked);
}

/// The endpoints of #20: variables, secrets, import, deployment and container logs, links,
/// custom domains, deploying a tag and the bulk service actions, every answer and error status
/// against the spec.
#[test]
fn container_details_and_bulk_actions_match_the_official_spec() {
    let s = Server::start(&["--demo", "--provision-ms", "300"]);
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let (_, env) = s.demo_org_and_env();
    let list = s
        .q("GET", &format!("/environment/{env}/container"), None)
        .expect(200)
        .json();
    let id_of = |name: &str| {
        list["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["name"] == name)
            .and_then(|x| x["id"].as_str())
            .expect("demo container")
            .to_string()
    };
    let (web, cache, whoami) = (id_of("web"), id_of("cache"), id_of("whoami"));
    let vars_t = "/container/{containerId}/environmentVariable";
    let var_t = "/container/{containerId}/environmentVariable/{environmentVariableId}";
    let vars = format!("/container/{web}/environmentVariable");
    let listed = c.call("get", vars_t, &vars, None, 200);
    let inherited = listed["results"][0]["id"]
        .as_str()
        .expect("inherited")
        .to_string();
    let v = c.call(
        "post",
        vars_t,
        &vars,
        Some(&json!({"key": "A", "value": "1"})),
        201,
    );
    let vid = v["id"].as_str().expect("id").to_string();
    c.call("post", vars_t, &vars, Some(&json!({"key": "FILE_VAR", "value": "x", "mount_path": "/etc/x", "description": "a file"})), 201);
    c.error("post", vars_t, &vars, Some(&json!({"key": "1"})), 400);
    c.error(
        "get",
        vars_t,
        "/container/nope/environmentVariable",
        None,
        404,
    );
    c.call(
        "put",
        var_t,
        &format!("{vars}/{vid}"),
        Some(&json!({"key": "B", "value": "2"})),
        200,
    );
    c.error(
        "put",
        var_t,
        &format!("{vars}/{inherited}"),
        Some(&json!({"key": "B"})),
        403,
    );
    c.error("delete", var_t, &format!("{vars}/{inherited}"), None, 403);
    c.call("delete", var_t, &format!("{vars}/{vid}"), None, 204);
    c.error("delete", var_t, &format!("{vars}/{vid}"), None, 404);
    c.call("get", vars_t, &vars, None, 200);
    c.call(
        "post",
        "/container/{containerId}/environmentVariable/import",
        &format!("{vars}/import"),
        Some(&json!({"overwrite": false, "vars": [
            {"name": "I1", "value": "1", "scope": "CONTAINER", "is_secret": false},
            {"name": "I2", "value": "2", "scope": "CONTAINER", "is_secret": true},
            {"name": "9", "value": "3", "scope": "CONTAINER", "is_secret": false}]})),
        201,
    );
    c.error(
        "post",
        "/container/{containerId}/environmentVariable/import",
        &format!("{vars}/import"),
        Some(&json!({"vars": 1})),
        400,
    );

    let secrets_t = "/container/{containerId}/secret";
    let secret_t = "/container/{containerId}/secret/{secretId}";
    let secrets = format!("/container/{web}/secret");
    let sec = c.call(
        "post",
        secrets_t,
        &secrets,
        Some(&json!({"key": "S", "value": "v", "description": "d"})),
        201,
    );
    let sid = sec["id"].as_str().expect("id").to_string();
    c.call("get", secrets_t, &secrets, None, 200);
    c.call(
        "put",
        secret_t,
        &format!("{secrets}/{sid}"),
        Some(&json!({"key": "S2", "value": "w"})),
        200,
    );
    c.error("post", secrets_t, &secrets, Some(&json!({"key": ""})), 400);
    c.call("delete", secret_t, &format!("{secrets}/{sid}"), None, 204);
    c.error("delete", secret_t, &format!("{secrets}/{sid}"), None, 404);

    c.call(
        "get",
        "/container/{containerId}/link",
        &format!("/container/{web}/link"),
        None,
        200,
    );
    c.call(
        "get",
        "/container/{containerId}/customDomain",
        &format!("/container/{web}/customDomain"),
        None,
        200,
    );
    c.call(
        "post",
        "/container/{containerId}/customDomain",
        &format!("/container/{web}/customDomain"),
        Some(&json!({"domain": "api.example.com", "generate_certificate": false, "use_cdn": true})),
        201,
    );
    c.error(
        "post",
        "/container/{containerId}/customDomain",
        &format!("/container/{web}/customDomain"),
        Some(&json!({"domain": "", "generate_certificate": true})),
        400,
    );
    c.call(
        "get",
        "/container/{containerId}/log",
        &format!("/container/{web}/log"),
        None,
        200,
    );
    c.error(
        "get",
        "/container/{containerId}/log",
        "/container/nope/log",
        None,
        404,
    );

    // A deploy of another tag that fails, its status and its log.
    let status_of = |c: &mut Checker, id: &str| {
        c.call(
            "get",
            "/container/{containerId}/status",
            &format!("/container/{id}/status"),
            None,
            200,
        )
    };
    c.call(
        "post",
        "/container/{containerId}/deploy",
        &format!("/container/{whoami}/deploy"),
        Some(&json!({"image_tag": "fail"})),
        202,
    );
    eventually(Duration::from_secs(5), || {
        (status_of(&mut c, &whoami)["state"] == "DEPLOYMENT_ERROR").then_some(())
    });
    let h = s
        .q(
            "GET",
            &format!("/container/{whoami}/deploymentHistoryV2"),
            None,
        )
        .json();
    let execution = h["results"][0]["identifier"]["execution_id"]
        .as_str()
        .expect("execution")
        .to_string();
    let lines = c.call(
        "get",
        "/environment/{environmentId}/logs",
        &format!("/environment/{env}/logs?version={execution}"),
        None,
        200,
    );
    assert!(lines
        .as_array()
        .is_some_and(|l| l.iter().any(|x| x["type"] == "error")));
    c.call(
        "get",
        "/environment/{environmentId}/logs",
        &format!("/environment/{env}/logs"),
        None,
        200,
    );
    c.error(
        "get",
        "/environment/{environmentId}/logs",
        "/environment/nope/logs",
        None,
        404,
    );

    // Bulk.
    let deploy_t = "/environment/{environmentId}/service/deploy";
    c.call(
        "post",
        deploy_t,
        &format!("/environment/{env}/service/deploy"),
        Some(&json!({"containers": [{"id": cache}, {"id": whoami, "image_tag": "v1.10"}]})),
        202,
    );
    c.error(
        "post",
        deploy_t,
        &format!("/environment/{env}/service/deploy"),
        Some(&json!({"containers": [{"id": cache}]})),
        409,
    );
    c.error(
        "post",
        deploy_t,
        &format!("/environment/{env}/service/deploy"),
        Some(&json!({})),
        400,
    );
    c.error(
        "post",
        deploy_t,
        "/environment/nope/service/deploy",
        Some(&json!({"containers": [{"id": cache}]})),
        404,
    );
    eventually(Duration::from_secs(5), || {
        (status_of(&mut c, &cache)["state"] == "DEPLOYED"
            && status_of(&mut c, &whoami)["state"] == "DEPLOYED")
            .then_some(())
    });
    let restart_t = "/environment/{environmentId}/service/restart-service";
    let ids = json!({"container_ids": [web, cache, whoami]});
    c.call(
        "post",
        restart_t,
        &format!("/environment/{env}/service/restart-service"),
        Some(&ids),
        202,
    );
    c.error(
        "post",
        restart_t,
        &format!("/environment/{env}/service/restart-service"),
        Some(&ids),
        409,
    );
    eventually(Duration::from_secs(5), || {
        [&web, &cache, &whoami]
            .iter()
            .all(|id| status_of(&mut c, id)["state"] == "RESTARTED")
            .then_some(())
    });
    c.empty(
        "post",
        "/environment/{environmentId}/service/stop",
        &format!("/environment/{env}/service/stop"),
        Some(&json!({"container_ids": [cache]})),
        200,
    );
    c.error(
        "post",
        "/environment/{environmentId}/service/stop",
        &format!("/environment/{env}/service/stop"),
        Some(&json!({"container_ids": ["nope"]})),
        400,
    );
    c.empty(
        "post",
        "/environment/{environmentId}/service/delete",
        &format!("/environment/{env}/service/delete"),
        Some(&json!({"container_ids": [whoami]})),
        200,
    );
    c.error(
        "post",
        "/environment/{environmentId}/service/delete",
        "/environment/nope/service/delete",
        Some(&json!({"container_ids": [whoami]})),
        404,
    );
    assert!(c.checked >= 40, "only {} answers checked", c.checked);
}
