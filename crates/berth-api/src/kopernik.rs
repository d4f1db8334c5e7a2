//! Kopernik API types (contract.md §2, seed-kopernik-containerapp.txt, kopernik-reference.md).

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// Epoch seconds are kept as the exact JSON number sent (integer or not), so they round-trip.
fn zero() -> Number {
    Number::from(0)
}

/// Carried by every response: the request id and the server time (epoch seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default)]
    pub uid: String,
    #[serde(default = "zero")]
    pub timestamp: Number,
}

impl Default for Metadata {
    fn default() -> Self {
        Self {
            uid: String::new(),
            timestamp: zero(),
        }
    }
}

/// `{metadata, reason}`: every Kopernik error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorResponse {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub reason: String,
}

string_enum!(
    /// `ProviderId`.
    ProviderId {
        Akamai = "akamai",
        Aws = "aws",
        Digitalocean = "digitalocean",
    }
);

/// `{metadata, resources, nextToken?}`: every paged list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default = "Vec::new")]
    pub resources: Vec<T>,
    /// Absent or empty on the last page.
    #[serde(rename = "nextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// An item of a list that could not be read: where it was, its uid if it had one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenItem {
    pub index: usize,
    pub uid: Option<String>,
    pub error: String,
}

/// A page whose items are decoded one by one: one odd item becomes a [`BrokenItem`] instead of
/// failing the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LenientPage<T> {
    pub resources: Vec<T>,
    pub broken: Vec<BrokenItem>,
    pub next_token: Option<String>,
}

/// The frame of a paged answer. Items stay raw text, so each is decoded on its own by the same
/// `from_str` path as every other answer: no second (`serde_json::Value`-based) decoder per type
/// in the wasm.
#[derive(Deserialize)]
struct RawPage<'a> {
    #[serde(borrow, default)]
    resources: Option<Vec<&'a serde_json::value::RawValue>>,
    #[serde(rename = "nextToken", borrow, default)]
    next_token: Option<&'a serde_json::value::RawValue>,
}

/// What a broken item still tells: its uid, if it has a readable one.
#[derive(Deserialize)]
struct UidOnly {
    uid: String,
}

/// Reads a paged answer item by item. An answer without a `resources` list is an error, not an
/// empty page (it would read as "no apps").
pub fn decode_page<T: serde::de::DeserializeOwned>(body: &str) -> Result<LenientPage<T>, String> {
    let page: RawPage = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let items = page.resources.ok_or("the answer has no `resources` list")?;
    let mut resources = Vec::new();
    let mut broken = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match serde_json::from_str::<T>(item.get()) {
            Ok(r) => resources.push(r),
            Err(e) => broken.push(BrokenItem {
                index,
                uid: serde_json::from_str::<UidOnly>(item.get())
                    .ok()
                    .map(|u| u.uid),
                error: e.to_string(),
            }),
        }
    }
    let next_token = page
        .next_token
        .and_then(|t| serde_json::from_str::<String>(t.get()).ok())
        .filter(|t| !t.is_empty());
    Ok(LenientPage {
        resources,
        broken,
        next_token,
    })
}

/// `{metadata, resource}`: one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceResponse<T> {
    #[serde(default)]
    pub metadata: Metadata,
    pub resource: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAddress {
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    #[serde(default)]
    pub uid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub machine_type_uid: String,
    #[serde(default)]
    pub region_uid: String,
    /// The provider's own status string (not an enum).
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub ipv4: Vec<NetworkAddress>,
    #[serde(default)]
    pub ipv6: Vec<NetworkAddress>,
}

/// A container app: the common resource fields plus the seed's `machine` and `templateId`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerApp {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub provider_uid: String,
    #[serde(default)]
    pub region_uid: String,
    #[serde(default)]
    pub account_uid: String,
    pub uid: String,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: String,
    pub machine: Machine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
    /// ASSUMED: echoed by the server so a detail page can show what was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_image: Option<ContainerImage>,
    /// ASSUMED, as `container_image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_props: Option<RuntimeProps>,
    /// ASSUMED: creation time in epoch seconds, like Action.createdAt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Number>,
}

impl ContainerApp {
    /// Where the app answers: its machine's first public IPv4 (else IPv6) and its first port
    /// (`http://203.0.113.7:8080`), when the API gives both.
    pub fn address(&self) -> Option<String> {
        let ip = self.machine.ipv4.first().or(self.machine.ipv6.first())?;
        let port = self.runtime_props.as_ref()?.ports.as_ref()?.first()?.port;
        crate::links::address(&ip.address, u16::try_from(port).ok()?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerImage {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// Registry credentials. Debug never prints the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryCredentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for RepositoryCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepositoryCredentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

string_enum!(
    /// Port protocol. ASSUMED values: the seed names the enum but not its members.
    AppPortProtocol { Tcp = "tcp", Udp = "udp" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPort {
    pub port: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<AppPortProtocol>,
}

string_enum!(
    /// Restart policy; `always` is the seed's default. ASSUMED values beyond `always`.
    RestartPolicy {
        Always = "always",
        UnlessStopped = "unless-stopped",
        OnFailure = "on-failure",
        No = "no",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeProps {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<EnvVar>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<AppPort>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// The i-th data disk is bound to the i-th target; the rest get /disk1, /disk2, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mount_targets: Option<Vec<String>>,
}

/// ASSUMED shape: the seed references MachineCreate without defining it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataDisk {
    pub size_gb: i64,
}

/// ASSUMED shape (contract.md §2): `{name, regionUid, machineTypeUid, dataDisks?}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineCreate {
    pub name: String,
    pub region_uid: String,
    pub machine_type_uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_disks: Option<Vec<DataDisk>>,
}

/// The create body: exactly the seed's `ContainerAppCreate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerAppCreate {
    pub machine_configuration: MachineCreate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
    pub container_image: ContainerImage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_image_repository_credentials: Option<RepositoryCredentials>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_props: Option<RuntimeProps>,
}

string_enum!(
    /// `ActionType`.
    ActionType {
        CreateResource = "createResource",
        DeleteResource = "deleteResource",
        CreateBlockStorageAttachment = "createBlockStorageAttachment",
        DeleteBlockStorageAttachment = "deleteBlockStorageAttachment",
    }
);

string_enum!(
    /// `ActionState`.
    ActionState {
        Pending = "pending",
        Running = "running",
        Success = "success",
        Failed = "failed",
        RollbackRequested = "rollbackRequested",
        RollbackSuccess = "rollbackSuccess",
        RollbackFailed = "rollbackFailed",
    }
);

impl ActionState {
    /// An unknown state is treated as still running.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            ActionState::Success
                | ActionState::Failed
                | ActionState::RollbackSuccess
                | ActionState::RollbackFailed
        )
    }

    pub fn is_failure(&self) -> bool {
        self.is_terminal() && *self != ActionState::Success
    }
}

/// A background operation. ASSUMED beyond `uid`, `type` and `state` (contract.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub uid: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ActionType>,
    pub state: ActionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `{metadata, action}`. ASSUMED wrapper key `action`; `resource` is accepted too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionResponse {
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(alias = "resource")]
    pub action: Action,
}

/// ASSUMED shape beyond the env property (contract.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateEnvProperty {
    pub env_var: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub constant: bool,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppTemplate {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub container_image: ContainerImage,
    #[serde(default)]
    pub env: Vec<TemplateEnvProperty>,
    #[serde(default)]
    pub ports: Vec<AppPort>,
    #[serde(default)]
    pub volume_mount_targets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionCapabilities {
    #[serde(default)]
    pub available: bool,
    #[serde(default)]
    pub supported_services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub uid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default)]
    pub capabilities: RegionCapabilities,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineType {
    pub uid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub cpus: f64,
    /// ASSUMED field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<i64>,
    /// ASSUMED field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_gb: Option<i64>,
}

string_enum!(
    /// `AttachedVolumesDeletePolicy`; ASSUMED values, `retain` by default.
    AttachedVolumesDeletePolicy { Retain = "retain", Delete = "delete" }
);

/// Keeps raw JSON beside a typed value, for the detail pages' raw view.
pub type Raw = Value;

#[cfg(test)]
mod lenient_tests {
    use super::*;

    #[test]
    fn one_broken_item_does_not_fail_the_page_and_no_list_is_an_error() {
        let v = serde_json::json!({
            "resources": [
                {"type": "containerapp", "uid": "a1", "name": "ok", "machine": {"uid": "m1"}},
                {"type": "containerapp", "uid": "a2", "name": "no machine"},
                "not even an object"
            ],
            "nextToken": "t2"
        });
        let page: LenientPage<ContainerApp> = decode_page(&v.to_string()).expect("a page");
        assert_eq!(page.resources.len(), 1);
        assert_eq!(page.resources[0].uid, "a1");
        assert_eq!(page.broken.len(), 2);
        assert_eq!(page.broken[0].uid.as_deref(), Some("a2"));
        assert_eq!(page.broken[1].index, 2);
        assert_eq!(page.next_token.as_deref(), Some("t2"));
        let none = decode_page::<ContainerApp>(r#"{"metadata": {}}"#);
        assert!(none.is_err(), "a missing list is not an empty one");
        let null = decode_page::<ContainerApp>(r#"{"resources": null}"#);
        assert!(null.is_err(), "a null list is not an empty one");
        let odd_token = decode_page::<ContainerApp>(r#"{"resources": [], "nextToken": 7}"#);
        assert_eq!(
            odd_token.expect("a page").next_token,
            None,
            "an odd token ends the list"
        );
    }
}
