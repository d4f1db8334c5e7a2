//! The create form's variables and secrets as data: a row each (key, value, secret), checked by
//! the berth-api rules as the user types, sent with one `/environmentVariable/import` after the
//! container is created. A secret's value is never written to the draft in sessionStorage; a row
//! the user has not ticked or unticked is secret when its key or value looks like one.

use berth_api::rules::{qovery_variable, variable_key};
use berth_api::secrets;
use berth_api::variables::{ImportVariable, VariableImportRequest, VariableScope};
use berth_api::FieldError;
use serde::{Deserialize, Serialize, Serializer};

/// One variable of the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct VarRow {
    pub key: String,
    #[serde(default)]
    pub value: String,
    /// What the user chose; `None` until they tick or untick the box, and then the key and value
    /// decide (see [`berth_api::secrets::is_secret`]). Drafts stored with a plain `true`/`false`
    /// still read, as a choice.
    #[serde(default)]
    pub secret: Option<bool>,
}

impl VarRow {
    /// A new row the user has not ticked or unticked.
    pub fn guessed(key: String, value: String) -> Self {
        VarRow {
            key,
            value,
            secret: None,
        }
    }

    /// Masked, sent as a secret and never stored.
    pub fn is_secret(&self) -> bool {
        self.secret
            .unwrap_or_else(|| secrets::is_secret(&self.key, &self.value))
    }
}

/// Stored without a secret's value, and then marked secret: a restored row asks for the value
/// again, even one that was secret only by the value it no longer has.
impl Serialize for VarRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let secret = self.is_secret();
        let mut st = s.serialize_struct("VarRow", 3)?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("value", if secret { "" } else { &self.value })?;
        st.serialize_field("secret", &if secret { Some(true) } else { self.secret })?;
        st.end()
    }
}

/// Every rule of the rows, at `variables[i].key` / `.value`: the key's form, unique in the form,
/// the value's length, and a secret's value present (it is not kept in the draft).
pub fn errors(vars: &[VarRow]) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (i, v) in vars.iter().enumerate() {
        let taken = |k: &str| vars.iter().enumerate().any(|(j, o)| j < i && o.key == k);
        for e in qovery_variable(&v.key, Some(&v.value), None, None, taken) {
            out.push(FieldError::new(
                format!("variables[{i}].{}", e.path),
                e.message,
            ));
        }
        if v.is_secret() && v.value.is_empty() && variable_key(&v.key).is_none() {
            out.push(FieldError::new(
                format!("variables[{i}].value"),
                "enter the secret's value (secret values are not kept in the draft)",
            ));
        }
    }
    out
}

/// The one import request of the rows (container scope; a key taken there fails, not replaced).
pub fn import_request(vars: &[VarRow]) -> VariableImportRequest {
    VariableImportRequest {
        overwrite: false,
        vars: vars
            .iter()
            .map(|v| ImportVariable {
                name: v.key.clone(),
                value: v.value.clone(),
                scope: VariableScope::Container,
                is_secret: v.is_secret(),
            })
            .collect(),
    }
}

/// Adds `rows` to `vars`: a key already there takes the new value, and keeps the user's choice
/// of secret unless the new row is chosen secret.
pub fn merge(vars: &mut Vec<VarRow>, rows: Vec<VarRow>) {
    for r in rows {
        match vars.iter_mut().find(|v| v.key == r.key) {
            Some(v) => {
                v.value = r.value;
                if r.secret == Some(true) {
                    v.secret = Some(true);
                }
            }
            None => vars.push(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_never_stored() {
        let rows = vec![
            VarRow {
                key: "A".into(),
                value: "1".into(),
                secret: Some(false),
            },
            VarRow {
                key: "S".into(),
                value: "hunter2".into(),
                secret: Some(true),
            },
        ];
        let text = serde_json::to_string(&rows).unwrap_or_default();
        assert!(text.contains("\"1\""));
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn rules_apply_at_the_row() {
        let rows = vec![
            VarRow {
                key: "A".into(),
                value: "1".into(),
                secret: Some(false),
            },
            VarRow {
                key: "A".into(),
                value: "2".into(),
                secret: Some(false),
            },
            VarRow {
                key: "1x".into(),
                value: String::new(),
                secret: Some(false),
            },
            VarRow {
                key: "S".into(),
                value: String::new(),
                secret: Some(true),
            },
        ];
        let paths: Vec<String> = errors(&rows).into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            ["variables[1].key", "variables[2].key", "variables[3].value"]
        );
    }
}
