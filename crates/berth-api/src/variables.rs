//! Container environment variables and secrets (`/container/{id}/environmentVariable`,
//! `/container/{id}/secret`, `.../environmentVariable/import`): the spec's `EnvironmentVariable`,
//! `Secret`, `VariableImportRequest` and `VariableImport`, and the one rule both the forms and the
//! sandbox check ([`crate::rules::qovery_variable`]).
//!
//! A secret's value goes to the server and never comes back: [`Secret`] has no `value`, and the
//! `Debug` of every type that carries one prints `<hidden>`.

use serde::{Deserialize, Serialize};

string_enum!(
    /// `APIVariableScopeEnum`; the hierarchy is BUILT_IN > PROJECT > ENVIRONMENT > service.
    VariableScope {
        Application = "APPLICATION",
        BuiltIn = "BUILT_IN",
        Environment = "ENVIRONMENT",
        Project = "PROJECT",
        Container = "CONTAINER",
        Job = "JOB",
        Helm = "HELM",
        Terraform = "TERRAFORM",
        AgenticWorkflow = "AGENTIC_WORKFLOW",
    }
);

impl VariableScope {
    /// Whether a variable of this scope belongs to the service it is listed on (editable through
    /// the service's own path); PROJECT / ENVIRONMENT / BUILT_IN ones are inherited.
    pub fn is_service_scope(&self) -> bool {
        matches!(
            self,
            VariableScope::Application
                | VariableScope::Container
                | VariableScope::Job
                | VariableScope::Helm
                | VariableScope::Terraform
                | VariableScope::AgenticWorkflow
        )
    }
}

string_enum!(
    /// `APIVariableTypeEnum`.
    VariableType {
        Value = "VALUE",
        Alias = "ALIAS",
        Override = "OVERRIDE",
        BuiltIn = "BUILT_IN",
        File = "FILE",
        ExternalSecret = "EXTERNAL_SECRET",
        FileExternalSecret = "FILE_EXTERNAL_SECRET",
    }
);

/// Body of `POST /container/{id}/environmentVariable` (`EnvironmentVariableRequest`) and of its
/// PUT (`EnvironmentVariableEditRequest`: the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EnvironmentVariableRequest {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Set for a file: where it is mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// At most 255 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_interpolation_in_file: Option<bool>,
}

/// `EnvironmentVariableEditRequest` has the request's fields.
pub type EnvironmentVariableEditRequest = EnvironmentVariableRequest;

/// A variable as listed: its own or inherited (`scope`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentVariable {
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_interpolation_in_file: Option<bool>,
    pub scope: VariableScope,
    #[serde(default = "value_type")]
    pub variable_type: VariableType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
}

fn value_type() -> VariableType {
    VariableType::Value
}

/// Body of `POST /container/{id}/secret` (`SecretRequest`) and of its PUT (`SecretEditRequest`).
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SecretRequest {
    pub key: String,
    /// Sent, never returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_interpolation_in_file: Option<bool>,
}

/// `SecretEditRequest` has the request's fields (its `mount_path` is ignored by the server).
pub type SecretEditRequest = SecretRequest;

impl std::fmt::Debug for SecretRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretRequest")
            .field("key", &self.key)
            .field("value", &self.value.as_ref().map(|_| "<hidden>"))
            .field("mount_path", &self.mount_path)
            .field("description", &self.description)
            .field(
                "enable_interpolation_in_file",
                &self.enable_interpolation_in_file,
            )
            .finish()
    }
}

/// A secret as returned: everything but its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    pub key: String,
    pub scope: VariableScope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable_type: Option<VariableType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_interpolation_in_file: Option<bool>,
}

/// One variable of an import (`VariableImportRequest.vars[]`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportVariable {
    pub name: String,
    pub value: String,
    pub scope: VariableScope,
    pub is_secret: bool,
}

impl std::fmt::Debug for ImportVariable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value: &dyn std::fmt::Debug = if self.is_secret {
            &"<hidden>"
        } else {
            &self.value
        };
        f.debug_struct("ImportVariable")
            .field("name", &self.name)
            .field("value", value)
            .field("scope", &self.scope)
            .field("is_secret", &self.is_secret)
            .finish()
    }
}

/// Body of `POST /container/{id}/environmentVariable/import`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VariableImportRequest {
    /// Replace a variable whose key exists in the scope (else it fails).
    #[serde(default)]
    pub overwrite: bool,
    #[serde(default)]
    pub vars: Vec<ImportVariable>,
}

/// One imported variable of the answer (`value` only for a non-secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedVariable {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub scope: VariableScope,
    pub is_secret: bool,
}

/// ASSUMED (sandbox extension, not in the spec): a variable the import refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedImport {
    pub name: String,
    pub scope: VariableScope,
    pub is_secret: bool,
    pub reason: String,
}

/// The import's answer (`VariableImport`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariableImport {
    /// A `number` in the spec.
    pub total_variables_to_import: f64,
    #[serde(default)]
    pub successful_imported_variables: Vec<ImportedVariable>,
    /// ASSUMED: the sandbox also says which failed and why; the real API may not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_imported_variables: Option<Vec<FailedImport>>,
}

impl VariableImport {
    /// The names of `request` that were not imported (works with the real API too, which only
    /// lists the successful ones).
    pub fn failed_names(&self, request: &VariableImportRequest) -> Vec<String> {
        let mut ok: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for v in &self.successful_imported_variables {
            *ok.entry(v.name.as_str()).or_default() += 1;
        }
        let mut failed = Vec::new();
        for v in &request.vars {
            match ok.get_mut(v.name.as_str()) {
                Some(n) if *n > 0 => *n -= 1,
                _ => failed.push(v.name.clone()),
            }
        }
        failed
    }
}

/// ASSUMED limits (the spec gives only the description's 255).
pub const MAX_KEY_LEN: usize = 255;
pub const MAX_VALUE_LEN: usize = 65_536;
pub const MAX_DESCRIPTION_LEN: usize = 255;

/// `KEY=VALUE` lines, as pasted from a `.env` file: blank lines and `#` comments skipped,
/// `export ` allowed, quotes around the value removed; a line without `=` is an error naming its
/// line number.
pub fn parse_env_lines(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut pairs = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        match line.split_once('=') {
            Some((k, v)) => {
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|x| x.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                    .unwrap_or(v);
                pairs.push((k.trim().to_string(), v.to_string()));
            }
            None => bad.push(format!("line {}: expected KEY=VALUE", i + 1)),
        }
    }
    (pairs, bad)
}

#[cfg(test)]
mod parse_tests {
    use super::parse_env_lines;

    #[test]
    fn env_lines() {
        let (pairs, bad) = parse_env_lines("A=1\n# c\nexport B=\"two words\"\n\nC='x=y'\nnope");
        let keys: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(keys, [("A", "1"), ("B", "two words"), ("C", "x=y")]);
        assert_eq!(bad, ["line 6: expected KEY=VALUE"]);
    }
}
