//! Connections: which backends the console talks to. Loaded from `config.json` at run time.

use serde::{Deserialize, Serialize};

string_enum!(
    /// Which API a connection speaks.
    BackendKind { Qovery = "qovery", Kopernik = "kopernik" }
);

/// One backend the user works with. The token is optional in `config.json` and in storage.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub id: String,
    pub kind: BackendKind,
    #[serde(default)]
    pub label: String,
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("label", &self.label)
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The runtime configuration: `public/config.json`, or what a host portal passes to `mount`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppConfig {
    #[serde(default)]
    pub connections: Vec<Connection>,
}

impl AppConfig {
    /// Parses a config and checks it, naming the problem and where it is.
    pub fn parse(json: &str) -> Result<Self, String> {
        let config: AppConfig =
            serde_json::from_str(json).map_err(|e| format!("config.json: {e}"))?;
        let errors = config.validate();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(format!("config.json: {}", crate::error::join(&errors)))
        }
    }

    pub fn validate(&self) -> Vec<crate::FieldError> {
        let mut errors = Vec::new();
        for (i, c) in self.connections.iter().enumerate() {
            errors.extend(crate::rules::connection(c, &format!("connections[{i}]")));
            // Until the connection rule checks it too: a `//host` base URL would send the token to
            // another host.
            let at = format!("connections[{i}].base_url");
            if let Some(problem) = crate::http::base_url_problem(&c.base_url) {
                if !errors.iter().any(|e| e.path == at) {
                    errors.push(crate::FieldError::new(at, problem));
                }
            }
            let duplicate = self.connections[..i]
                .iter()
                .any(|o| o.id == c.id && o.kind == c.kind);
            if duplicate {
                errors.push(crate::FieldError::new(
                    format!("connections[{i}].id"),
                    format!(
                        "another {} connection already has the id `{}`",
                        c.kind, c.id
                    ),
                ));
            }
        }
        errors
    }

    pub fn find(&self, kind: &BackendKind, id: &str) -> Option<&Connection> {
        self.connections
            .iter()
            .find(|c| &c.kind == kind && c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_with_a_protocol_relative_base_url_is_refused() {
        let json = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "//other-host/api", "token": "t"}]}"#;
        let err = AppConfig::parse(json).expect_err("accepted //other-host");
        assert!(err.contains("connections[0].base_url"), "{err}");
        let ok = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "/api/qovery"}]}"#;
        assert!(AppConfig::parse(ok).is_ok());
    }
}
