//! The types and rules of #20: variables and secrets (a secret's value never in `Debug`), the
//! import's answer, deployment and container logs, links, bulk bodies.

use berth_api::bulk::{DeployAllRequest, ServiceIdsRequest};
use berth_api::links::{CustomDomain, Link};
use berth_api::logs::{ContainerLog, EnvironmentLog};
use berth_api::rules;
use berth_api::variables::{
    EnvironmentVariable, ImportVariable, Secret, SecretRequest, VariableImport,
    VariableImportRequest, VariableScope, VariableType,
};
use serde_json::json;

#[test]
fn a_secret_value_never_shows_in_debug() {
    let req = SecretRequest {
        key: "API_KEY".into(),
        value: Some("hunter2-very-secret".into()),
        ..SecretRequest::default()
    };
    let shown = format!("{req:?} {req:#?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("API_KEY") && shown.contains("<hidden>"));
    let import = ImportVariable {
        name: "TOKEN".into(),
        value: "hunter2-very-secret".into(),
        scope: VariableScope::Container,
        is_secret: true,
    };
    let request = VariableImportRequest {
        overwrite: false,
        vars: vec![import.clone()],
    };
    assert!(!format!("{request:?}").contains("hunter2"));
    let plain = ImportVariable {
        is_secret: false,
        ..import
    };
    assert!(
        format!("{plain:?}").contains("hunter2"),
        "a plain value is shown"
    );
    // The request still sends the value.
    assert_eq!(
        serde_json::to_value(&req).expect("encodes")["value"],
        "hunter2-very-secret"
    );
}

#[test]
fn variables_and_secrets_decode_the_spec_shapes() {
    let v: EnvironmentVariable = serde_json::from_value(json!({
        "id": "0b3c1a1e-2f4d-4c6e-8a9b-123456789abc", "created_at": "2026-01-01T00:00:00Z",
        "key": "APP_ENV", "value": "production", "mount_path": null, "scope": "ENVIRONMENT",
        "variable_type": "VALUE", "owned_by": "QOVERY", "aliased_variable": {"id": "x"}}))
    .expect("decodes");
    assert_eq!(v.scope, VariableScope::Environment);
    assert!(!v.scope.is_service_scope());
    assert_eq!(v.variable_type, VariableType::Value);
    let s: Secret = serde_json::from_value(json!({
        "id": "0b3c1a1e-2f4d-4c6e-8a9b-123456789abc", "created_at": "2026-01-01T00:00:00Z",
        "key": "K", "scope": "FUTURE_SCOPE"}))
    .expect("decodes");
    assert_eq!(s.scope, VariableScope::Unknown("FUTURE_SCOPE".into()));
    assert_eq!(
        serde_json::to_value(&s).expect("encodes")["scope"],
        "FUTURE_SCOPE"
    );
}

#[test]
fn the_import_answer_tells_the_failed_names_with_or_without_the_extension() {
    let request: VariableImportRequest =
        serde_json::from_value(json!({"overwrite": false, "vars": [
        {"name": "A", "value": "1", "scope": "CONTAINER", "is_secret": false},
        {"name": "B", "value": "2", "scope": "CONTAINER", "is_secret": true},
        {"name": "A", "value": "3", "scope": "CONTAINER", "is_secret": false}]}))
        .expect("decodes");
    // The real API's answer: the spec's fields only.
    let answer: VariableImport = serde_json::from_value(json!({
        "total_variables_to_import": 3,
        "successful_imported_variables": [{"name": "A", "value": "1", "scope": "CONTAINER", "is_secret": false}]}))
    .expect("decodes");
    assert_eq!(answer.failed_names(&request), ["B", "A"]);
    assert_eq!(answer.failed_imported_variables, None);
}

#[test]
fn variable_rules_name_the_field_and_what_is_wrong() {
    let none = |_: &str| false;
    assert!(rules::qovery_variable("PORT", Some("80"), None, None, none).is_empty());
    assert!(rules::qovery_variable("_x9", None, Some("/etc/f"), Some("d"), none).is_empty());
    let one = |key: &str| rules::qovery_variable(key, None, None, None, none);
    assert_eq!(
        one(""),
        [berth_api::FieldError::new("key", "must not be empty")]
    );
    assert!(one("9LIVES")[0]
        .message
        .contains("must start with a letter or `_`"));
    assert!(one("A-B")[0]
        .message
        .contains("only letters, digits and `_`"));
    assert!(one(&"K".repeat(256))[0].message.contains("at most 255"));
    assert!(one(&"K".repeat(255)).is_empty());
    let taken = rules::qovery_variable("PORT", None, None, None, |k| k == "PORT");
    assert_eq!(taken[0].path, "key");
    assert!(taken[0].message.contains("already used"));
    // Keys are case-sensitive.
    assert!(rules::qovery_variable("port", None, None, None, |k| k == "PORT").is_empty());
    let long = "v".repeat(65_537);
    let errs = rules::qovery_variable("K", Some(&long), Some("rel"), Some(&"d".repeat(256)), none);
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["value", "mount_path", "description"]);
    assert!(
        !errs[0].message.contains(&long[..20]),
        "a value is never quoted"
    );
    assert_eq!(rules::variable_key("OK"), None);
}

#[test]
fn logs_decode_the_spec_shapes() {
    let lines: Vec<EnvironmentLog> = serde_json::from_value(json!([
        {"type": "info", "timestamp": "2026-01-01T00:00:00.000Z",
         "details": {"execution_id": "e1", "stage": {"step": "Deploy", "id": null, "name": "DEFAULT"}},
         "message": {"safe_message": "Pulling image"}, "error": null},
        {"type": "error", "timestamp": "2026-01-01T00:00:01Z", "details": {},
         "error": {"user_log_message": "image pull failed", "tag": "IMAGE_PULL_FAILED"}, "message": null}
    ]))
    .expect("decodes");
    assert_eq!(lines[0].text(), "Pulling image");
    assert_eq!(lines[0].step(), Some("Deploy"));
    assert!(!lines[0].is_error());
    assert_eq!(lines[1].text(), "image pull failed");
    assert!(lines[1].is_error());
    let out: ContainerLog = serde_json::from_value(json!({
        "id": "0b3c1a1e-2f4d-4c6e-8a9b-123456789abc", "created_at": "2026-01-01T00:00:00Z",
        "message": "GET /", "pod_name": "web-abc-x1", "version": "1.27"}))
    .expect("decodes");
    assert_eq!(out.pod_name.as_deref(), Some("web-abc-x1"));
}

#[test]
fn links_and_bulk_bodies() {
    let link: Link = serde_json::from_value(json!({
        "service_id": "s", "service_type": "CONTAINER", "url": "https://x.example",
        "internal_port": 80, "external_port": 443, "is_qovery_domain": true, "is_default": true}))
    .expect("decodes");
    assert!(link.is_default);
    let d: CustomDomain = serde_json::from_value(json!({
        "id": "i", "created_at": "2026-01-01T00:00:00Z", "domain": "a.example",
        "generate_certificate": true, "status": "VALIDATION_PENDING"}))
    .expect("decodes");
    assert_eq!(d.status.as_deref(), Some("VALIDATION_PENDING"));
    let deploy = DeployAllRequest::containers([
        ("c1".to_string(), Some("1.2".to_string())),
        ("c2".to_string(), None),
    ]);
    assert_eq!(
        serde_json::to_value(&deploy).expect("encodes"),
        json!({"containers": [{"id": "c1", "image_tag": "1.2"}, {"id": "c2"}]})
    );
    let ids = ServiceIdsRequest::containers(["a".to_string(), "b".to_string()]);
    assert_eq!(
        serde_json::to_value(&ids).expect("encodes"),
        json!({"container_ids": ["a", "b"]})
    );
}
