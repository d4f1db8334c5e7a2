//! Errors shared by every rule and by the API error bodies of both backends.

use serde::{Deserialize, Serialize};

/// One rule violation: where (a JSON path such as `ports[1].internal_port`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A rule path as people read it: `ports[1].internal_port` → "Port 2 · internal port",
/// `runtimeProps.env.MYSQL_ROOT_PASSWORD` → "Runtime props · env · MYSQL_ROOT_PASSWORD".
pub fn field_label(path: &str) -> String {
    let label = path
        .split('.')
        .map(|segment| match segment.split_once('[') {
            Some((name, rest)) => {
                let words = words(name);
                let one = match words.strip_suffix('s') {
                    Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_string(),
                    _ => words,
                };
                match rest.trim_end_matches(']').parse::<usize>() {
                    Ok(i) => format!("{one} {}", i + 1),
                    Err(_) => format!("{one} {rest}"),
                }
            }
            None => words(segment),
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => label,
    }
}

/// `internal_port` / `machineType` → "internal port" / "machine type"; a name without lowercase
/// letters (an environment variable) stays as it is.
fn words(name: &str) -> String {
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return name.to_string();
    }
    let mut out = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_ascii_uppercase() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Joins rule violations into one message, the way the sandbox reports them in a 400.
pub fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The inverse of [`join`]: a server's 400 reason (`path: message; path: message`) as field
/// errors; a reason that names no field comes back whole, for the top of a form.
pub fn reason_to_errors(reason: &str) -> (Vec<FieldError>, Option<String>) {
    let mut fields = Vec::new();
    for part in reason.split("; ") {
        match part.split_once(": ") {
            Some((path, msg)) if !path.contains(' ') && !path.is_empty() => {
                fields.push(FieldError::new(path, msg))
            }
            _ => return (Vec::new(), Some(reason.to_string())),
        }
    }
    (fields, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_reason_splits_back_into_its_fields() {
        let errors = vec![
            FieldError::new("machineConfiguration.name", "must not be empty"),
            FieldError::new("containerImage.id", "must be the template's image `x`"),
        ];
        assert_eq!(reason_to_errors(&join(&errors)), (errors, None));
        let (f, top) = reason_to_errors("Provider not found");
        assert!(f.is_empty());
        assert_eq!(top.as_deref(), Some("Provider not found"));
    }
}

#[cfg(test)]
mod label_tests {
    use super::field_label;

    #[test]
    fn rule_paths_read_as_labels() {
        for (path, label) in [
            ("ports[1].internal_port", "Port 2 · internal port"),
            ("name", "Name"),
            ("cpu", "Cpu"),
            ("storage[0].mount_point", "Storage 1 · mount point"),
            (
                "healthchecks.liveness_probe.type.http.port",
                "Healthchecks · liveness probe · type · http · port",
            ),
            (
                "runtimeProps.env.MYSQL_ROOT_PASSWORD",
                "Runtime props · env · MYSQL_ROOT_PASSWORD",
            ),
            (
                "machineConfiguration.machineType",
                "Machine configuration · machine type",
            ),
            ("arguments[0]", "Argument 1"),
            ("connections[2].base_url", "Connection 3 · base url"),
            ("", ""),
        ] {
            assert_eq!(field_label(path), label, "{path}");
        }
    }
}
