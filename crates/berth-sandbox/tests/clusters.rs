//! Clusters (#29): the organization's two clusters in the spec's shapes, environments placed on
//! them (`cluster_id`), environments created through the API, and the same authentication and
//! fault injection as every other Qovery route for the cluster endpoints.

mod common;

use common::spec::{Checker, Spec};
use common::{diagnosis_env, org_clusters, results, Server};
use serde_json::{json, Value};

#[test]
fn clusters_match_the_spec_and_environments_sit_on_them() {
    let s = Server::start(&["--demo-diagnosis"]);
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let orgs = results(&s.q("GET", "/organization", None).expect(200).json());
    assert_eq!(orgs.len(), 2);
    let mut metrics_off_envs = 0;
    for org in &orgs {
        let org = org["id"].as_str().expect("org id");
        let list = c.call(
            "get",
            "/organization/{organizationId}/cluster",
            &format!("/organization/{org}/cluster"),
            None,
            200,
        );
        let clusters = results(&list);
        assert_eq!(clusters.len(), 2, "two clusters per organization: {list}");
        assert_eq!(
            clusters[0]["metrics_parameters"]["enabled"], true,
            "the first has metrics"
        );
        assert_eq!(clusters[1]["metrics_parameters"], json!({"enabled": false}));
        for cluster in &clusters {
            let id = cluster["id"].as_str().expect("cluster id");
            // The spec has no GET of one cluster (only PUT and DELETE, answering `Cluster`).
            let one = s
                .q("GET", &format!("/organization/{org}/cluster/{id}"), None)
                .expect(200)
                .json();
            c.spec
                .assert_valid(c.spec.component("Cluster"), &one, "GET one cluster");
            assert_eq!(&one, cluster);
            assert!(one["cpu"].as_i64().is_some_and(|v| v > 0));
            assert!(one["memory"].as_i64().is_some_and(|v| v > 0));
        }
        let ids: Vec<&Value> = clusters.iter().map(|c| &c["id"]).collect();
        // Every environment, listed or read alone, names one of its organization's clusters.
        let projects = results(
            &s.q("GET", &format!("/organization/{org}/project"), None)
                .expect(200)
                .json(),
        );
        for p in projects {
            let pid = p["id"].as_str().expect("project id");
            let envs = c.call(
                "get",
                "/project/{projectId}/environment",
                &format!("/project/{pid}/environment"),
                None,
                200,
            );
            for env in results(&envs) {
                assert!(ids.contains(&&env["cluster_id"]), "{env}");
                let eid = env["id"].as_str().expect("env id");
                let alone = c.call(
                    "get",
                    "/environment/{environmentId}",
                    &format!("/environment/{eid}"),
                    None,
                    200,
                );
                assert_eq!(alone["cluster_id"], env["cluster_id"]);
                let cluster = clusters
                    .iter()
                    .find(|c| c["id"] == env["cluster_id"])
                    .expect("its cluster");
                assert_eq!(alone["cluster_name"], cluster["name"]);
                assert_eq!(alone["cloud_provider"]["cluster"], cluster["region"]);
                if cluster["metrics_parameters"]["enabled"] == false {
                    metrics_off_envs += 1;
                }
            }
        }
        c.error(
            "get",
            "/organization/{organizationId}/cluster",
            "/organization/nope/cluster",
            None,
            404,
        );
        s.q("GET", &format!("/organization/{org}/cluster/nope"), None)
            .expect(404);
    }
    assert!(
        metrics_off_envs >= 1,
        "an environment on the metrics-off cluster"
    );
    // The diagnosis environment is on the cluster with metrics; a cluster is not found through
    // another organization.
    let (org, env) = diagnosis_env(&s);
    let (on, _) = org_clusters(&s, &org);
    let diag = s
        .q("GET", &format!("/environment/{env}"), None)
        .expect(200)
        .json();
    assert_eq!(diag["cluster_id"], on["id"]);
    let other_org = orgs
        .iter()
        .filter_map(|o| o["id"].as_str())
        .find(|o| *o != org)
        .expect("another organization");
    let on_id = on["id"].as_str().expect("id");
    s.q(
        "GET",
        &format!("/organization/{other_org}/cluster/{on_id}"),
        None,
    )
    .expect(404);
    assert!(c.checked >= 8, "only {} answers checked", c.checked);
}

#[test]
fn environments_created_through_the_api_land_on_a_cluster() {
    let s = Server::start(&["--demo"]);
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let (org, _) = s.demo_org_and_env();
    let (on, off) = org_clusters(&s, &org);
    let project = results(
        &s.q("GET", &format!("/organization/{org}/project"), None)
            .expect(200)
            .json(),
    )[0]["id"]
        .as_str()
        .expect("project")
        .to_string();
    let path = format!("/project/{project}/environment");
    let template = "/project/{projectId}/environment";
    let first = c.call(
        "post",
        template,
        &path,
        Some(&json!({"name": "preview-1"})),
        201,
    );
    assert_eq!(
        first["cluster_id"], on["id"],
        "the organization's first cluster"
    );
    assert_eq!(first["mode"], "DEVELOPMENT");
    let named = c.call(
        "post",
        template,
        &path,
        Some(&json!({"name": "qa", "cluster": off["id"], "mode": "STAGING"})),
        201,
    );
    assert_eq!(named["cluster_id"], off["id"]);
    assert_eq!(named["cluster_name"], off["name"]);
    let listed = results(&s.q("GET", &path, None).expect(200).json());
    assert!(listed
        .iter()
        .any(|e| e["id"] == named["id"] && e["cluster_id"] == off["id"]));
    c.error("post", template, &path, Some(&json!({"name": "QA"})), 409);
    c.error(
        "post",
        template,
        &path,
        Some(&json!({"name": "x", "cluster": "nope"})),
        400,
    );
    c.error("post", template, &path, Some(&json!({"name": " "})), 400);
    c.error(
        "post",
        template,
        &path,
        Some(&json!({"name": "y", "mode": "PREVIEW"})),
        400,
    );
    c.error(
        "post",
        template,
        "/project/nope/environment",
        Some(&json!({"name": "z"})),
        404,
    );
    // Another organization's cluster is not this one's.
    let other = results(&s.q("GET", "/organization", None).expect(200).json())
        .into_iter()
        .filter_map(|o| o["id"].as_str().map(str::to_string))
        .find(|o| *o != org)
        .expect("another organization");
    let (foreign, _) = org_clusters(&s, &other);
    let answer = s
        .q(
            "POST",
            &path,
            Some(&json!({"name": "w", "cluster": foreign["id"]})),
        )
        .expect(400);
    assert!(answer.text.contains("cluster"), "{}", answer.text);
}

#[test]
fn cluster_endpoints_need_the_token_and_take_faults() {
    let s = Server::start(&["--demo", "--faults"]);
    let (org, _) = s.demo_org_and_env();
    let (on, _) = org_clusters(&s, &org);
    let id = on["id"].as_str().expect("id");
    let now = common::now_secs();
    let window = common::with_query(
        &format!("/api/qovery/cluster/{id}/events"),
        &[
            ("from_date_time", &common::iso(now - 600)),
            ("to_date_time", &common::iso(now)),
        ],
    );
    let query = common::with_query(
        &format!("/api/qovery/cluster/{id}/metrics"),
        &[
            ("endpoint", "api/v1/query"),
            ("query", "container_memory_working_set_bytes"),
        ],
    );
    for path in [
        format!("/api/qovery/organization/{org}/cluster"),
        format!("/api/qovery/organization/{org}/cluster/{id}"),
        window,
        query,
    ] {
        let none = s.call("GET", &path, None, &[]).expect(401);
        assert!(none.text.contains("missing Authorization"), "{}", none.text);
        s.call("GET", &path, None, &[("Authorization", "Token wrong")])
            .expect(401);
        s.call("GET", &path, None, &[("Authorization", "Token sandbox")])
            .expect(200);
        // Faults act after authentication, as on every Qovery route.
        s.call(
            "GET",
            &path,
            None,
            &[("Authorization", "Token sandbox"), ("X-Berth-Fault", "503")],
        )
        .expect(503);
        s.call("GET", &path, None, &[("X-Berth-Fault", "503")])
            .expect(401);
    }
    // Unknown clusters are 404s on every cluster route.
    let now = common::now_secs();
    common::events(&s, "nope", now - 60, now, &[]).expect(404);
    common::metrics(
        &s,
        "nope",
        &[
            ("endpoint", "api/v1/query"),
            ("query", "container_memory_working_set_bytes"),
        ],
    )
    .expect(404);
}
