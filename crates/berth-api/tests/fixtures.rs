//! The seed documents' JSON examples decode and re-encode unchanged; odd payloads still decode.

use berth_api::kopernik::{
    self, ActionResponse, ActionState, AppTemplate, ContainerApp, ContainerAppCreate, Paged,
    ResourceResponse,
};
use berth_api::qovery::{self, ContainerRequest, ContainerResponse, State};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes `value` as `T`, encodes it again and returns both.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    let again = serde_json::to_value(&typed).expect("encodes");
    (typed, again)
}

#[test]
fn qovery_seed_request_round_trips() {
    let original = fixture("qovery-container-request.json");
    let (req, again) = round_trip::<ContainerRequest>(&original);
    assert_eq!(again, original);
    assert_eq!(req.cpu, Some(1250));
    assert_eq!(req.ports.as_ref().map(Vec::len), Some(1));
    let probe = req.healthchecks.readiness_probe.expect("readiness probe");
    assert_eq!(
        probe.kind.exec.map(|e| e.command),
        Some(vec!["<string>".to_string()])
    );
}

#[test]
fn qovery_seed_response_round_trips() {
    let original = fixture("qovery-container-response.json");
    let (resp, again) = round_trip::<ContainerResponse>(&original);
    assert_eq!(again, original);
    assert_eq!(resp.maximum_cpu, 16000);
    assert_eq!(resp.service_type, Some(qovery::ServiceType::Application));
    assert_eq!(
        resp.registry.and_then(|r| r.kind),
        Some(qovery::RegistryKind::Ecr)
    );
}

#[test]
fn qovery_minimal_console_payload_round_trips_except_null_architecture() {
    let mut original = fixture("qovery-container-request-minimal.json");
    let (req, again) = round_trip::<ContainerRequest>(&original);
    // `cpu_architecture: null` means "cluster default": not set, so not sent back.
    original
        .as_object_mut()
        .expect("object")
        .remove("cpu_architecture");
    assert_eq!(again, original);
    assert_eq!(req.arguments.as_deref().map(<[String]>::len), Some(3));
}

#[test]
fn qovery_error_body_decodes() {
    let (err, again) = round_trip::<qovery::ErrorBody>(&fixture("qovery-error.json"));
    assert_eq!(err.status, Some(400));
    assert_eq!(err.detail.as_deref(), Some("organization does not exist"));
    assert_eq!(again, fixture("qovery-error.json"));
}

#[test]
fn qovery_unknown_state_round_trips_and_extra_fields_are_ignored() {
    let body = json!({
        "id": "c1", "state": "HIBERNATING", "service_deployment_status": "SOMETHING_NEW",
        "brand_new_field": {"x": 1}
    });
    let status: qovery::Status = serde_json::from_value(body).expect("decodes");
    assert_eq!(status.state, State::Unknown("HIBERNATING".into()));
    assert!(!status.state.is_error());
    let again = serde_json::to_value(&status).expect("encodes");
    assert_eq!(again["state"], "HIBERNATING");
    assert_eq!(again["service_deployment_status"], "SOMETHING_NEW");
    assert!(again.get("brand_new_field").is_none());
}

#[test]
fn qovery_response_with_missing_optionals_decodes() {
    let body = json!({"id": "c2", "name": "web"});
    let c: ContainerResponse = serde_json::from_value(body).expect("decodes");
    assert_eq!(c.name, "web");
    assert!(c.ports.is_none());
    assert!(c.healthchecks.readiness_probe.is_none());
}

#[test]
fn qovery_every_state_round_trips() {
    assert_eq!(State::ALL.len(), 29);
    for state in State::ALL {
        let v = serde_json::to_value(state).expect("encodes");
        let back: State = serde_json::from_value(v).expect("decodes");
        assert_eq!(&back, state);
    }
    assert!(State::DeploymentError.is_error());
    assert!(State::DeploymentQueued.is_transitional());
    assert!(!State::Deployed.is_transitional());
}

#[test]
fn kopernik_create_round_trips_and_hides_password_in_debug() {
    let original = fixture("kopernik-containerapp-create.json");
    let (create, again) = round_trip::<ContainerAppCreate>(&original);
    assert_eq!(again, original);
    let debug = format!("{create:?}");
    assert!(
        !debug.contains("\"p\""),
        "password leaked in Debug: {debug}"
    );
    assert!(debug.contains("<redacted>"));
}

#[test]
fn kopernik_page_round_trips() {
    let original = fixture("kopernik-containerapp-page.json");
    let (page, again) = round_trip::<Paged<ContainerApp>>(&original);
    assert_eq!(again, original);
    assert_eq!(page.next_token.as_deref(), Some("b3BhcXVl"));
    assert_eq!(page.resources[0].machine.ipv4[0].address, "203.0.113.10");
}

#[test]
fn kopernik_action_and_template_round_trip() {
    let original = fixture("kopernik-action.json");
    let (action, again) = round_trip::<ActionResponse>(&original);
    assert_eq!(again, original);
    assert_eq!(action.action.state, ActionState::Running);
    assert!(!action.action.state.is_terminal());

    let original = fixture("kopernik-template.json");
    let (template, again) = round_trip::<ResourceResponse<AppTemplate>>(&original);
    assert_eq!(again, original);
    assert!(template.resource.env[0].secret);
}

#[test]
fn kopernik_action_accepts_resource_wrapper_and_unknown_state() {
    let body = json!({"metadata": {"uid": "x", "timestamp": 1}, "resource": {"uid": "a", "state": "paused", "extra": true}});
    let resp: ActionResponse = serde_json::from_value(body).expect("decodes");
    assert_eq!(resp.action.state, ActionState::Unknown("paused".into()));
    // Unknown states are never taken as an outcome.
    assert!(!resp.action.state.is_terminal());
    assert_eq!(
        serde_json::to_value(&resp.action.state).expect("encodes"),
        "paused"
    );
}

#[test]
fn kopernik_error_and_missing_next_token() {
    let (err, _) = round_trip::<kopernik::ErrorResponse>(&fixture("kopernik-error.json"));
    assert_eq!(err.reason, "Provider not found");
    let page: Paged<ContainerApp> =
        serde_json::from_value(json!({"metadata": {"uid": "u", "timestamp": 0}, "resources": []}))
            .expect("decodes");
    assert!(page.next_token.is_none());
    let err: kopernik::ErrorResponse =
        serde_json::from_value(json!({"reason": "no metadata"})).expect("decodes");
    assert_eq!(err.metadata.uid, "");
}

#[test]
fn malformed_payloads_are_errors_not_panics() {
    for text in ["", "{", "null", "[]", "{\"results\": 3}", "{\"id\": 5}"] {
        assert!(
            serde_json::from_str::<ContainerResponse>(text).is_err(),
            "{text}"
        );
    }
    assert!(
        serde_json::from_str::<qovery::ListResponse<ContainerResponse>>("{\"results\": 3}")
            .is_err()
    );
}
