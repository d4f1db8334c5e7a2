//! Qovery's official `qovery-openapi.yaml` (OpenAPI 3.0: `nullable`, `allOf`, `oneOf`, `$ref`)
//! and a small recursive validator that fails on a missing required field, a null where the
//! schema is not nullable, a wrong type or a value outside an enum; and [`Checker`], which calls
//! the sandbox and validates each answer against the schema the spec gives its operation.

use serde_json::Value;

use super::Server;

/// The vendored copy (tests/spec/README.md says where it comes from): a bare clone has no `../shared`.
pub const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/spec/qovery-openapi.yaml"
);
/// The copy Berth was started from, beside the project when it happens to be there.
pub const SHARED_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/api/qovery-openapi.yaml"
);

pub struct Spec {
    pub doc: Value,
}

impl Spec {
    pub fn load() -> Spec {
        let text =
            std::fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
        let doc: Value = serde_yaml::from_str(&text).expect("the spec parses as YAML");
        Spec { doc }
    }

    /// The JSON schema of `method path` answering `code`.
    pub fn response_schema(&self, path: &str, method: &str, code: u16) -> &Value {
        let mut r = &self.doc["paths"][path][method]["responses"][code.to_string()];
        assert!(!r.is_null(), "the spec has no {code} for {method} {path}");
        if let Some(rf) = r["$ref"].as_str() {
            r = self.resolve(rf);
        }
        &r["content"]["application/json"]["schema"]
    }

    /// The schema `components.schemas.<name>`.
    pub fn component(&self, name: &str) -> &Value {
        let v = &self.doc["components"]["schemas"][name];
        assert!(!v.is_null(), "the spec has no schema {name}");
        v
    }

    /// Fails the test when `v` does not match `schema`, saying what `what` is.
    pub fn assert_valid(&self, schema: &Value, v: &Value, what: &str) {
        let errors = self.errors(schema, v);
        assert!(
            errors.is_empty(),
            "{what} does not match the spec:\n  {}\nanswer: {v}",
            errors.join("\n  ")
        );
    }

    pub fn resolve(&self, r: &str) -> &Value {
        let mut v = &self.doc;
        for part in r.trim_start_matches("#/").split('/') {
            v = &v[part];
        }
        assert!(!v.is_null(), "unresolved $ref {r}");
        v
    }

    pub fn errors(&self, schema: &Value, v: &Value) -> Vec<String> {
        let mut e = Vec::new();
        self.check(schema, v, "$", &mut e);
        e
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
        if let Some(r) = schema["$ref"].as_str() {
            return self.check(self.resolve(r), v, at, errs);
        }
        if v.is_null() {
            if schema["nullable"] != true && !self.unconstrained(schema) {
                errs.push(format!("{at}: null, but the schema is not nullable"));
            }
            return;
        }
        if let Some(all) = schema["allOf"].as_array() {
            for s in all {
                self.check(s, v, at, errs);
            }
        }
        for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            if let Some(alts) = schema[key].as_array() {
                let fitting: Vec<&Value> = alts
                    .iter()
                    .filter(|s| {
                        let mut e = Vec::new();
                        self.check(s, v, at, &mut e);
                        e.is_empty()
                    })
                    .collect();
                // An alternative that requires nothing fits every object, so it cannot tell
                // alternatives apart (the spec's HelmDeploymentHistoryDetails is one): only
                // alternatives with required fields count towards "exactly one".
                let telling = fitting
                    .iter()
                    .filter(|s| self.requires_something(s))
                    .count();
                let ambiguous = exactly_one && telling > 1 && schema["discriminator"].is_null();
                if fitting.is_empty() || ambiguous {
                    errs.push(format!(
                        "{at}: matches {} of the {key} alternatives",
                        fitting.len()
                    ));
                }
            }
        }
        if let Some(allowed) = schema["enum"].as_array() {
            if !allowed.contains(v) {
                errs.push(format!("{at}: {v} is not one of {allowed:?}"));
            }
        }
        let ty = schema["type"].as_str().or_else(|| {
            (schema.get("properties").is_some() || schema.get("required").is_some())
                .then_some("object")
        });
        let type_ok = match ty {
            None => true,
            Some("object") => v.is_object(),
            Some("array") => v.is_array(),
            Some("string") => v.is_string(),
            Some("integer") => v.is_i64() || v.is_u64(),
            Some("number") => v.is_number(),
            Some("boolean") => v.is_boolean(),
            Some(other) => {
                errs.push(format!("{at}: the validator does not know type {other}"));
                true
            }
        };
        if !type_ok {
            errs.push(format!("{at}: {v} is not of type {}", ty.unwrap_or("?")));
            return;
        }
        if let Some(s) = v.as_str() {
            match schema["format"].as_str() {
                Some("uuid") if !is_uuid(s) => errs.push(format!("{at}: `{s}` is not a uuid")),
                Some("date-time") if !is_date_time(s) => {
                    errs.push(format!("{at}: `{s}` is not an RFC 3339 date-time"))
                }
                _ => {}
            }
        }
        if let Some(obj) = v.as_object() {
            for r in schema["required"].as_array().into_iter().flatten() {
                if let Some(name) = r.as_str() {
                    if !obj.contains_key(name) {
                        errs.push(format!("{at}: required `{name}` is missing"));
                    }
                }
            }
            if let Some(props) = schema["properties"].as_object() {
                for (k, sub) in props {
                    if let Some(val) = obj.get(k) {
                        self.check(sub, val, &format!("{at}.{k}"), errs);
                    }
                }
            }
            if schema["additionalProperties"].is_object() {
                let props = schema["properties"].as_object();
                for (k, val) in obj {
                    if props.is_none_or(|p| !p.contains_key(k)) {
                        self.check(
                            &schema["additionalProperties"],
                            val,
                            &format!("{at}.{k}"),
                            errs,
                        );
                    }
                }
            }
        }
        if let Some(items) = v.as_array() {
            if let Some(min) = schema["minItems"].as_u64() {
                if (items.len() as u64) < min {
                    errs.push(format!("{at}: fewer than {min} items"));
                }
            }
            if schema.get("items").is_some() {
                for (i, item) in items.iter().enumerate() {
                    self.check(&schema["items"], item, &format!("{at}[{i}]"), errs);
                }
            }
        }
    }

    /// Whether a schema requires a field (itself, through `$ref`, or in an `allOf` part).
    fn requires_something(&self, schema: &Value) -> bool {
        if let Some(r) = schema["$ref"].as_str() {
            return self.requires_something(self.resolve(r));
        }
        schema["required"].as_array().is_some_and(|r| !r.is_empty())
            || schema["allOf"]
                .as_array()
                .is_some_and(|all| all.iter().any(|s| self.requires_something(s)))
    }

    /// A schema that says nothing about its value (so null is as good as anything).
    fn unconstrained(&self, schema: &Value) -> bool {
        [
            "type",
            "properties",
            "required",
            "allOf",
            "oneOf",
            "anyOf",
            "enum",
            "items",
        ]
        .iter()
        .all(|k| schema.get(k).is_none())
    }
}

pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s[19..].contains('+') || s[19..].contains('-'))
}

/// Calls the sandbox and checks the answer against the spec's schema for that operation.
pub struct Checker<'a> {
    pub s: &'a Server,
    pub spec: Spec,
    pub checked: usize,
}

impl Checker<'_> {
    /// An error answer: its status must be one the spec lists for the operation.
    pub fn error(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<&Value>,
        code: u16,
    ) {
        self.s.q(&method.to_uppercase(), path, body).expect(code);
        let listed = &self.spec.doc["paths"][template][method]["responses"][code.to_string()];
        assert!(
            !listed.is_null(),
            "{method} {path} answered {code}, which the spec does not list for {template}"
        );
        self.checked += 1;
    }

    /// A success the spec gives no body for (`200` of the bulk stop and delete): none is sent.
    pub fn empty(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<&Value>,
        code: u16,
    ) {
        let a = self.s.q(&method.to_uppercase(), path, body).expect(code);
        let listed = &self.spec.doc["paths"][template][method]["responses"][code.to_string()];
        assert!(
            !listed.is_null(),
            "the spec has no {code} for {method} {template}"
        );
        assert!(
            listed["content"].is_null(),
            "the spec gives {method} {template} ({code}) a body"
        );
        assert!(
            a.text.is_empty(),
            "{method} {path}: a body where the spec has none"
        );
        self.checked += 1;
    }

    pub fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<&Value>,
        code: u16,
    ) -> Value {
        let a = self.s.q(&method.to_uppercase(), path, body).expect(code);
        if code == 204 {
            assert!(a.text.is_empty(), "{method} {path}: a 204 has no body");
            self.checked += 1;
            return Value::Null;
        }
        let v = a.json();
        let schema = self.spec.response_schema(template, method, code);
        let errors = self.spec.errors(schema, &v);
        assert!(
            errors.is_empty(),
            "{method} {path} ({code}) does not match the spec:\n  {}\nanswer: {v}",
            errors.join("\n  ")
        );
        self.checked += 1;
        v
    }
}
