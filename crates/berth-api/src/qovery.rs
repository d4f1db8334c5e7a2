//! Qovery API types (contract.md §1, seed-qovery-create-container.txt, qovery-reference.md §A).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"results": [...]}`: every Qovery list (none are paginated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListResponse<T> {
    #[serde(default = "Vec::new")]
    pub results: Vec<T>,
}

/// `{id}` references used across the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceObject {
    pub id: String,
}

/// Error body: `{"status", "detail"}`; older servers also sent `error`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<ReferenceObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

string_enum!(
    /// `EnvironmentModeEnum`.
    EnvironmentMode {
        Development = "DEVELOPMENT",
        Preview = "PREVIEW",
        Production = "PRODUCTION",
        Staging = "STAGING",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudProviderInfo {
    #[serde(default)]
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<EnvironmentMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<ReferenceObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ReferenceObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<CloudProviderInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ASSUMED: the real API gives these only on a ContainerResponse; the sandbox also puts them on
    /// the environment so a create form knows its bounds before any container exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_cpu: Option<i64>,
    /// ASSUMED, as `maximum_cpu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_memory: Option<i64>,
    /// ASSUMED, as `maximum_cpu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_gpu: Option<i64>,
}

string_enum!(
    /// `ContainerRegistryKindEnum`.
    RegistryKind {
        Ecr = "ECR",
        ScalewayCr = "SCALEWAY_CR",
        DockerHub = "DOCKER_HUB",
        GithubCr = "GITHUB_CR",
        GithubEnterpriseCr = "GITHUB_ENTERPRISE_CR",
        GitlabCr = "GITLAB_CR",
        PublicEcr = "PUBLIC_ECR",
        Docr = "DOCR",
        GenericCr = "GENERIC_CR",
        GcpArtifactRegistry = "GCP_ARTIFACT_REGISTRY",
        AzureCr = "AZURE_CR",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerRegistry {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RegistryKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Registries bound to a cluster are internal mirrors; the console hides them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Value>,
}

/// One image of a registry and its tags (`/containerRegistry/{id}/images`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerVersion {
    pub image_name: String,
    #[serde(default)]
    pub versions: Vec<String>,
}

/// The registry summary embedded in a ContainerResponse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryDetails {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RegistryKind>,
}

string_enum!(
    /// `PortProtocolEnum`; HTTP when absent.
    PortProtocol {
        Http = "HTTP",
        Grpc = "GRPC",
        Tcp = "TCP",
        Udp = "UDP",
    }
);

/// A port, as sent (no `id` on create; `id` keeps it on a PUT) and as returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub internal_port: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_port: Option<i64>,
    pub publicly_accessible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<PortProtocol>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_path_rewrite: Option<String>,
}

string_enum!(
    /// `StorageTypeEnum`.
    StorageType { FastSsd = "FAST_SSD" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Storage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: StorageType,
    /// GB, at least 4.
    pub size: i64,
    pub mount_point: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpProbe {
    pub port: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpProbe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    pub port: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecProbe {
    #[serde(default)]
    pub command: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrpcProbe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub port: i64,
}

/// `{tcp?, http?, exec?, grpc?}`: exactly one must be set (checked by the rules, not the decoder,
/// so a response that breaks the rule can still be shown).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProbeType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpProbe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpProbe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecProbe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GrpcProbe>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Probe {
    #[serde(rename = "type", default)]
    pub kind: ProbeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Healthchecks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
}

/// The create and PUT body: exactly the seed's request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub registry_id: String,
    pub image_name: String,
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<String>,
    /// Millicores; the server's default is 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// MB; the server's default is 512.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_running_instances: Option<i64>,
    /// -1 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_running_instances: Option<i64>,
    pub healthchecks: Healthchecks,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Vec<Storage>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<ServicePort>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_preview: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_deploy: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations_groups: Option<Vec<ReferenceObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels_groups: Option<Vec<ReferenceObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_uri: Option<String>,
}

impl ContainerRequest {
    pub const DEFAULT_CPU: i64 = 500;
    pub const DEFAULT_MEMORY: i64 = 512;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationsGroup {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub propagate_to_cloud_provider: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelsGroup {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub labels: Vec<Label>,
}

string_enum!(
    /// `ServiceTypeEnum`.
    ServiceType {
        Application = "APPLICATION",
        Database = "DATABASE",
        Container = "CONTAINER",
        Job = "JOB",
        Helm = "HELM",
        Terraform = "TERRAFORM",
        ArgocdApp = "ARGOCD_APP",
        AgenticWorkflow = "AGENTIC_WORKFLOW",
    }
);

/// A container as returned. Fields the seed calls required are still decoded leniently where a
/// missing value has an obvious empty form, so one odd record cannot break a whole list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerResponse {
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Vec<Storage>>,
    #[serde(default)]
    pub image_name: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<ReferenceObject>,
    #[serde(default)]
    pub maximum_cpu: i64,
    #[serde(default)]
    pub maximum_memory: i64,
    #[serde(default)]
    pub maximum_gpu: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<String>,
    #[serde(default)]
    pub cpu: i64,
    #[serde(default)]
    pub memory: i64,
    #[serde(default)]
    pub gpu: i64,
    #[serde(default)]
    pub min_running_instances: i64,
    #[serde(default)]
    pub max_running_instances: i64,
    #[serde(default)]
    pub healthchecks: Healthchecks,
    #[serde(default)]
    pub auto_preview: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<ServicePort>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_deploy: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations_groups: Option<Vec<AnnotationsGroup>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels_groups: Option<Vec<LabelsGroup>>,
    #[serde(default)]
    pub icon_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
}

string_enum!(
    /// `StateEnum`: the 29 deployment states. READY means never deployed.
    State {
        Building = "BUILDING",
        BuildError = "BUILD_ERROR",
        Canceled = "CANCELED",
        Canceling = "CANCELING",
        Deleted = "DELETED",
        DeleteError = "DELETE_ERROR",
        DeleteQueued = "DELETE_QUEUED",
        Deleting = "DELETING",
        Deployed = "DEPLOYED",
        Deploying = "DEPLOYING",
        DeploymentError = "DEPLOYMENT_ERROR",
        DeploymentQueued = "DEPLOYMENT_QUEUED",
        Executing = "EXECUTING",
        Queued = "QUEUED",
        Ready = "READY",
        Recap = "RECAP",
        Restarted = "RESTARTED",
        Restarting = "RESTARTING",
        RestartError = "RESTART_ERROR",
        RestartQueued = "RESTART_QUEUED",
        Stopped = "STOPPED",
        Stopping = "STOPPING",
        StopError = "STOP_ERROR",
        StopQueued = "STOP_QUEUED",
        Unavailable = "UNAVAILABLE",
        WaitingDeleting = "WAITING_DELETING",
        WaitingRestarting = "WAITING_RESTARTING",
        WaitingRunning = "WAITING_RUNNING",
        WaitingStopping = "WAITING_STOPPING",
    }
);

impl State {
    pub fn is_error(&self) -> bool {
        self.as_str().ends_with("_ERROR")
    }

    /// Queued or in progress: the list polls fast while any row is in one of these.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            State::Building
                | State::Canceling
                | State::DeleteQueued
                | State::Deleting
                | State::Deploying
                | State::DeploymentQueued
                | State::Executing
                | State::Queued
                | State::Restarting
                | State::RestartQueued
                | State::Stopping
                | State::StopQueued
                | State::WaitingDeleting
                | State::WaitingRestarting
                | State::WaitingRunning
                | State::WaitingStopping
        )
    }
}

string_enum!(
    /// `ServiceDeploymentStatusEnum`.
    ServiceDeploymentStatus {
        NeverDeployed = "NEVER_DEPLOYED",
        OutOfDate = "OUT_OF_DATE",
        UpToDate = "UP_TO_DATE",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatusDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_action: Option<String>,
}

/// A service's deployment status (`/container/{id}/status`, actions, environment statuses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub id: String,
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_deployment_status: Option<ServiceDeploymentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_details: Option<StatusDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_deployment_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_part_last_deployment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_requests_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentStatus {
    pub id: String,
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_deployment_state: Option<State>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_deployment_date: Option<String>,
}

/// `/environment/{id}/statuses`: the one poll a list page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentStatuses {
    pub environment: EnvironmentStatus,
    #[serde(default)]
    pub containers: Vec<Status>,
}

/// Body of `POST /container/{id}/deploy`; the console sends none to keep the current tag.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeployRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
}

/// The operations a user can start on a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceAction {
    Deploy,
    Redeploy,
    Restart,
    Stop,
    Delete,
}

impl ServiceAction {
    pub const ALL: [ServiceAction; 5] = [
        ServiceAction::Deploy,
        ServiceAction::Redeploy,
        ServiceAction::Restart,
        ServiceAction::Stop,
        ServiceAction::Delete,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServiceAction::Deploy => "deploy",
            ServiceAction::Redeploy => "redeploy",
            ServiceAction::Restart => "restart",
            ServiceAction::Stop => "stop",
            ServiceAction::Delete => "delete",
        }
    }

    /// Whether the action may start in `state`: Qovery console's availability table
    /// (qovery-reference.md, "Action availability"). Unknown states allow nothing.
    pub fn allowed_in(self, state: &State) -> bool {
        use State::*;
        match self {
            ServiceAction::Deploy => matches!(state, Ready | Stopped | Deleted),
            ServiceAction::Redeploy => {
                matches!(
                    state,
                    Building
                        | BuildError
                        | Queued
                        | StopQueued
                        | DeleteQueued
                        | Deploying
                        | DeploymentError
                        | RestartError
                        | Deployed
                        | Restarted
                        | Stopping
                        | StopError
                        | Deleting
                        | DeleteError
                        | DeploymentQueued
                        | RestartQueued
                        | Canceled
                ) && !state.blocks_actions()
            }
            // The running state is only on Qovery's WebSocket; DEPLOYED/RESTARTED stand for it.
            ServiceAction::Restart => matches!(state, Deployed | Restarted),
            ServiceAction::Stop => {
                matches!(
                    state,
                    Building
                        | BuildError
                        | Queued
                        | StopQueued
                        | DeleteQueued
                        | Deployed
                        | Restarted
                        | DeploymentError
                        | RestartError
                        | DeploymentQueued
                        | RestartQueued
                        | StopError
                        | Canceled
                ) && !state.blocks_actions()
            }
            ServiceAction::Delete => matches!(
                state,
                Ready
                    | BuildError
                    | DeploymentError
                    | RestartError
                    | StopError
                    | DeleteError
                    | Stopped
                    | Deployed
                    | Restarted
                    | Canceled
                    | Deleted
            ),
        }
    }
}

impl State {
    /// States in which an operation is running (the console offers "cancel" there): they block
    /// deploy, redeploy and stop.
    pub fn blocks_actions(&self) -> bool {
        matches!(
            self,
            State::Building
                | State::Deploying
                | State::Restarting
                | State::Stopping
                | State::Deleting
                | State::StopQueued
                | State::DeploymentQueued
                | State::RestartQueued
                | State::DeleteQueued
        )
    }

    /// Where a tracked operation ends (issue: pending actions). A restart ends in RESTARTED.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            State::Deployed | State::Restarted | State::Stopped | State::Canceled
        ) || self.is_error()
    }
}
