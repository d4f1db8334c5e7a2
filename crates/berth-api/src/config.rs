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
    /// How long a plain request may take, body included, in ms (default 30 000): longer for a
    /// slow backend, shorter for tests that make requests hang.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout_ms: Option<u64>,
}

/// The request timeouts a config may set, in ms.
pub const REQUEST_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 500..=600_000;

impl AppConfig {
    /// Parses a config and checks it, naming the problem and where it is.
    pub fn parse(json: &str) -> Result<Self, String> {
        Self::parse_in(json, None)
    }

    /// Parses a config that came from the folder `dir` (a path or URL ending in `/`): relative base
    /// URLs (`api/qovery`, `./api/qovery`) are resolved against it, so a config shipped beside the
    /// console reaches an API proxied under the same path wherever the console is served.
    pub fn parse_in(json: &str, dir: Option<&str>) -> Result<Self, String> {
        let mut config: AppConfig =
            serde_json::from_str(json).map_err(|e| format!("config.json: {e}"))?;
        if let Some(dir) = dir {
            for c in &mut config.connections {
                c.base_url = resolve_base_url(dir, &c.base_url);
            }
        }
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
        if let Some(ms) = self.request_timeout_ms {
            if !REQUEST_TIMEOUT_MS.contains(&ms) {
                errors.push(crate::FieldError::new(
                    "request_timeout_ms",
                    format!(
                        "must be from {} to {} (ms), not {ms}",
                        REQUEST_TIMEOUT_MS.start(),
                        REQUEST_TIMEOUT_MS.end()
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

/// `api/qovery` or `./api/qovery` under `dir`; anything else (absolute, `../`, empty) unchanged, for
/// the rules to judge.
pub fn resolve_base_url(dir: &str, url: &str) -> String {
    let relative =
        !(url.is_empty() || url.starts_with('/') || url.starts_with("..") || url.contains("://"));
    if !relative {
        return url.to_string();
    }
    let rel = url.trim_start_matches("./");
    format!("{}/{rel}", dir.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_base_urls_are_resolved_against_the_configs_folder() {
        let json = r#"{"connections": [
            {"id": "a", "kind": "qovery", "base_url": "api/qovery"},
            {"id": "b", "kind": "kopernik", "base_url": "./api/kopernik/v0"},
            {"id": "c", "kind": "qovery", "base_url": "https://api.qovery.com"},
            {"id": "d", "kind": "kopernik", "base_url": "/api/kopernik/v0"}
        ]}"#;
        let urls = |dir| {
            AppConfig::parse_in(json, Some(dir))
                .expect("valid")
                .connections
                .into_iter()
                .map(|c| c.base_url)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            urls("/console/"),
            [
                "/console/api/qovery",
                "/console/api/kopernik/v0",
                "https://api.qovery.com",
                "/api/kopernik/v0"
            ]
        );
        assert_eq!(urls("/")[..2], ["/api/qovery", "/api/kopernik/v0"]);
        assert_eq!(
            urls("https://cdn.example/berth/")[0],
            "https://cdn.example/berth/api/qovery"
        );
        // Without a folder a relative URL is refused, and `../` always is.
        let err = AppConfig::parse(json).expect_err("relative without a folder");
        assert!(err.contains("connections[0].base_url"), "{err}");
        let up = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "../api"}]}"#;
        assert!(AppConfig::parse_in(up, Some("/console/")).is_err());
    }

    #[test]
    fn a_request_timeout_is_read_and_checked() {
        let with = |ms: &str| AppConfig::parse(&format!(r#"{{"request_timeout_ms": {ms}}}"#));
        assert_eq!(with("2000").map(|c| c.request_timeout_ms), Ok(Some(2000)));
        assert_eq!(
            AppConfig::parse("{}").map(|c| c.request_timeout_ms),
            Ok(None)
        );
        for bad in ["0", "499", "600001"] {
            let err = with(bad).expect_err(bad);
            assert!(err.contains("request_timeout_ms"), "{err}");
        }
    }

    #[test]
    fn a_config_with_a_protocol_relative_base_url_is_refused() {
        let json = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "//other-host/api", "token": "t"}]}"#;
        let err = AppConfig::parse(json).expect_err("accepted //other-host");
        assert!(err.contains("connections[0].base_url"), "{err}");
        let ok = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "/api/qovery"}]}"#;
        assert!(AppConfig::parse(ok).is_ok());
    }
}
