//! An environment's deployment stages and where its services are in them:
//! `GET /environment/{id}/statusesWithStages` (spec `EnvironmentStatusesWithStages`), read
//! leniently (unknown enum values kept, missing fields `None`), and the one-line progress of a
//! deployment that the deployment log shows.

use serde::Deserialize;

use crate::qovery::{EnvironmentStatus, State, StatusDetails};

string_enum!(
    /// `StageStatusEnum`.
    StageStatus {
        Queued = "QUEUED",
        Ongoing = "ONGOING",
        Done = "DONE",
        Error = "ERROR",
        Skipped = "SKIPPED",
        Canceled = "CANCELED",
    }
);

string_enum!(
    /// `StepMetricStatusEnum`: how a step ended (a step under way has no metric yet).
    StepMetricStatus {
        Success = "SUCCESS",
        Error = "ERROR",
        Cancel = "CANCEL",
        Skip = "SKIP",
    }
);

string_enum!(
    /// `ServiceStepMetricNameEnum`.
    ServiceStepName {
        RegistryCreateRepository = "REGISTRY_CREATE_REPOSITORY",
        GitClone = "GIT_CLONE",
        BuildQueueing = "BUILD_QUEUEING",
        Build = "BUILD",
        DeploymentQueueing = "DEPLOYMENT_QUEUEING",
        Deployment = "DEPLOYMENT",
        RouterDeployment = "ROUTER_DEPLOYMENT",
        MirrorImage = "MIRROR_IMAGE",
        Executing = "EXECUTING",
    }
);

string_enum!(
    /// `StageStepMetricNameEnum`.
    StageStepName {
        Total = "TOTAL",
        Queueing = "QUEUEING",
        ProvisionBuilder = "PROVISION_BUILDER",
    }
);

/// `ServiceStepMetric`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ServiceStepMetric {
    #[serde(default)]
    pub step_name: Option<ServiceStepName>,
    #[serde(default)]
    pub status: Option<StepMetricStatus>,
    #[serde(default)]
    pub duration_sec: Option<i64>,
}

/// `ServiceStepMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ServiceStepMetrics {
    #[serde(default)]
    pub total_duration_sec: Option<i64>,
    #[serde(default)]
    pub total_computing_duration_sec: Option<i64>,
    #[serde(default)]
    pub details: Vec<ServiceStepMetric>,
}

/// A service's `Status` as a stage lists it: the fields the progress line needs (the spec's
/// `Status`; [`crate::qovery::Status`] is the same answer without the step metrics).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServiceStatus {
    pub id: String,
    pub state: State,
    #[serde(default)]
    pub status_details: Option<StatusDetails>,
    /// The deployment it is in or last went through (the history's execution id).
    #[serde(default)]
    pub execution_id: Option<String>,
    #[serde(default)]
    pub steps: Option<ServiceStepMetrics>,
}

/// `StageStepMetric`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StageStepMetric {
    #[serde(default)]
    pub stage_id: Option<String>,
    #[serde(default)]
    pub step_name: Option<StageStepName>,
    #[serde(default)]
    pub status: Option<StepMetricStatus>,
    #[serde(default)]
    pub duration_sec: Option<i64>,
}

/// `StageStepMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StageStepMetrics {
    #[serde(default)]
    pub stage_id: Option<String>,
    #[serde(default)]
    pub total_duration_sec: Option<i64>,
    #[serde(default)]
    pub details: Vec<StageStepMetric>,
}

/// `Stage`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Stage {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub status: Option<StageStatus>,
    #[serde(default)]
    pub steps: Option<StageStepMetrics>,
}

/// `DeploymentStageWithServicesStatuses`: a stage and its services (only containers are read).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StageWithStatuses {
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub containers: Vec<ServiceStatus>,
}

/// `pre_check_stage` of `EnvironmentStatusesWithStages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PreCheckStage {
    #[serde(default)]
    pub status: Option<StepMetricStatus>,
    #[serde(default)]
    pub total_duration_sec: Option<i64>,
}

/// `EnvironmentStatusesWithStages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EnvironmentStatusesWithStages {
    #[serde(default)]
    pub environment: Option<EnvironmentStatus>,
    #[serde(default)]
    pub stages: Vec<StageWithStatuses>,
    #[serde(default)]
    pub pre_check_stage: Option<PreCheckStage>,
}

impl EnvironmentStatusesWithStages {
    /// The stage of the container in deployment `execution` (its `execution_id`), or, when none
    /// names it, of the container `service`; with that container's status.
    pub fn find(&self, execution: &str, service: Option<&str>) -> Option<(&Stage, &ServiceStatus)> {
        let by = |hit: &dyn Fn(&ServiceStatus) -> bool| {
            self.stages.iter().find_map(|s| {
                let stage = s.stage.as_ref()?;
                s.containers.iter().find(|c| hit(c)).map(|c| (stage, c))
            })
        };
        by(&|c| c.execution_id.as_deref() == Some(execution))
            .or_else(|| service.and_then(|id| by(&|c| c.id == id)))
    }
}

fn step_label(name: &ServiceStepName) -> &str {
    match name {
        ServiceStepName::RegistryCreateRepository => "Create repository",
        ServiceStepName::GitClone => "Git clone",
        ServiceStepName::BuildQueueing => "Build queueing",
        ServiceStepName::Build => "Build",
        ServiceStepName::DeploymentQueueing => "Queueing",
        ServiceStepName::Deployment => "Deploy",
        ServiceStepName::RouterDeployment => "Router",
        ServiceStepName::MirrorImage => "Mirror image",
        ServiceStepName::Executing => "Executing",
        ServiceStepName::Unknown(s) => s,
    }
}

fn step_outcome(status: Option<&StepMetricStatus>) -> String {
    match status {
        Some(StepMetricStatus::Success) => "done".into(),
        Some(StepMetricStatus::Error) => "failed".into(),
        Some(StepMetricStatus::Cancel) => "canceled".into(),
        Some(StepMetricStatus::Skip) => "skipped".into(),
        Some(StepMetricStatus::Unknown(s)) => s.to_lowercase(),
        None => "?".into(),
    }
}

/// One line of a deployment's stage progress: "Stage DEFAULT · ONGOING · Queueing: done, Mirror
/// image: ongoing". A deploy lists its step metrics, then (while it runs) the step under way,
/// which has no metric yet: the first of its usual steps not measured. Any other operation
/// (restart, stop…) names the container's state.
pub fn progress(stage: &Stage, service: &ServiceStatus) -> String {
    let mut line = format!("Stage {}", stage.name);
    if let Some(status) = &stage.status {
        line.push_str(" · ");
        line.push_str(status.as_str());
    }
    let deploy_states = [
        State::DeploymentQueued,
        State::Deploying,
        State::Deployed,
        State::DeploymentError,
        State::Building,
        State::BuildError,
    ];
    let mut steps: Vec<String> = Vec::new();
    if deploy_states.contains(&service.state) {
        let details = service
            .steps
            .as_ref()
            .map(|s| s.details.as_slice())
            .unwrap_or_default();
        for d in details {
            if let Some(name) = &d.step_name {
                steps.push(format!(
                    "{}: {}",
                    step_label(name),
                    step_outcome(d.status.as_ref())
                ));
            }
        }
        if service.state.is_transitional() {
            let usual: &[ServiceStepName] = if service.state == State::Building {
                &[ServiceStepName::BuildQueueing, ServiceStepName::Build]
            } else {
                &[
                    ServiceStepName::DeploymentQueueing,
                    ServiceStepName::MirrorImage,
                    ServiceStepName::Deployment,
                ]
            };
            let measured =
                |n: &ServiceStepName| details.iter().any(|d| d.step_name.as_ref() == Some(n));
            if let Some(next) = usual.iter().find(|n| !measured(n)) {
                steps.push(format!("{}: ongoing", step_label(next)));
            }
        }
    } else {
        steps.push(service.state.as_str().to_string());
    }
    if !steps.is_empty() {
        line.push_str(" · ");
        line.push_str(&steps.join(", "));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec_example() -> serde_json::Value {
        json!({
            "environment": {"id": "00000000-0000-4000-8000-000000000001", "state": "DEPLOYING",
                            "last_deployment_state": "DEPLOYED", "last_deployment_date": null,
                            "deployment_status": "OUT_OF_DATE", "origin": "CONSOLE"},
            "stages": [{
                "applications": [], "jobs": [], "databases": [], "helms": [], "terraforms": [],
                "containers": [{
                    "id": "c1", "state": "DEPLOYING", "service_deployment_status": "OUT_OF_DATE",
                    "status_details": {"action": "DEPLOY", "status": "ONGOING", "sub_action": "NONE"},
                    "is_part_last_deployment": true, "deployment_requests_count": 1,
                    "deployment_request_id": null, "execution_id": "exec-1",
                    "steps": {"total_duration_sec": null, "total_computing_duration_sec": 3,
                              "details": [{"step_name": "DEPLOYMENT_QUEUEING", "status": "SUCCESS", "duration_sec": 2},
                                          {"step_name": "TELEPORT", "status": "WARP", "duration_sec": 1}]}
                }],
                "stage": {"id": "s1", "name": "DEFAULT", "description": "", "status": "ONGOING",
                          "steps": {"stage_id": "s1", "total_duration_sec": null,
                                    "details": [{"stage_id": "s1", "step_name": "QUEUEING", "status": "SUCCESS", "duration_sec": 2}]}}
            }],
            "pre_check_stage": {"status": "SUCCESS", "total_duration_sec": 0}
        })
    }

    #[test]
    fn decodes_a_spec_shaped_answer_and_keeps_unknown_values() {
        let v: EnvironmentStatusesWithStages =
            serde_json::from_value(spec_example()).expect("decodes");
        assert_eq!(
            v.environment.as_ref().map(|e| &e.state),
            Some(&State::Deploying)
        );
        let s = &v.stages[0];
        let stage = s.stage.as_ref().expect("stage");
        assert_eq!(stage.status, Some(StageStatus::Ongoing));
        let steps = stage.steps.as_ref().expect("stage steps");
        assert_eq!(steps.details[0].step_name, Some(StageStepName::Queueing));
        let c = &s.containers[0];
        let details = &c.steps.as_ref().expect("steps").details;
        assert_eq!(details[0].status, Some(StepMetricStatus::Success));
        assert_eq!(
            details[1].step_name,
            Some(ServiceStepName::Unknown("TELEPORT".into()))
        );
        assert_eq!(
            details[1].status,
            Some(StepMetricStatus::Unknown("WARP".into()))
        );
        assert_eq!(
            v.pre_check_stage.and_then(|p| p.status),
            Some(StepMetricStatus::Success)
        );
        // An unknown stage status, and an answer with almost nothing, still decode.
        let odd: EnvironmentStatusesWithStages = serde_json::from_value(json!({
            "stages": [{"stage": {"id": "s", "name": "X", "description": "", "status": "PAUSED"}}]
        }))
        .expect("decodes");
        let st = odd.stages[0].stage.as_ref().and_then(|s| s.status.clone());
        assert_eq!(st, Some(StageStatus::Unknown("PAUSED".into())));
        let empty: EnvironmentStatusesWithStages = serde_json::from_value(json!({})).expect("{}");
        assert!(empty.stages.is_empty());
    }

    #[test]
    fn finds_the_deployments_container_and_says_where_it_is() {
        let v: EnvironmentStatusesWithStages =
            serde_json::from_value(spec_example()).expect("decodes");
        let (stage, c) = v.find("exec-1", None).expect("by execution");
        assert_eq!(c.id, "c1");
        assert_eq!(
            progress(stage, c),
            "Stage DEFAULT · ONGOING · Queueing: done, TELEPORT: warp, Mirror image: ongoing"
        );
        assert!(v.find("exec-2", None).is_none());
        assert!(v.find("exec-2", Some("c1")).is_some());
        assert!(v.find("exec-2", Some("c2")).is_none());
    }

    #[test]
    fn progress_of_an_ended_deploy_and_of_another_operation() {
        let stage = Stage {
            name: "DEFAULT".into(),
            status: Some(StageStatus::Error),
            ..Stage::default()
        };
        let failed: ServiceStatus = serde_json::from_value(json!({
            "id": "c", "state": "DEPLOYMENT_ERROR",
            "steps": {"details": [{"step_name": "DEPLOYMENT_QUEUEING", "status": "SUCCESS"},
                                  {"step_name": "MIRROR_IMAGE", "status": "ERROR"},
                                  {"step_name": "DEPLOYMENT", "status": "SKIP"}]}
        }))
        .expect("status");
        assert_eq!(
            progress(&stage, &failed),
            "Stage DEFAULT · ERROR · Queueing: done, Mirror image: failed, Deploy: skipped"
        );
        let restarting: ServiceStatus =
            serde_json::from_value(json!({"id": "c", "state": "RESTARTING"})).expect("status");
        let ongoing = Stage {
            status: Some(StageStatus::Ongoing),
            ..stage
        };
        assert_eq!(
            progress(&ongoing, &restarting),
            "Stage DEFAULT · ONGOING · RESTARTING"
        );
        let queued: ServiceStatus =
            serde_json::from_value(json!({"id": "c", "state": "DEPLOYMENT_QUEUED"})).expect("s");
        assert_eq!(
            progress(&ongoing, &queued),
            "Stage DEFAULT · ONGOING · Queueing: ongoing"
        );
    }
}
