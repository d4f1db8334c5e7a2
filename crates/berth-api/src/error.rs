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
