//! What an edit changes: two request bodies compared field by field. Array items that carry an
//! `id` (ports, storage) are matched by it, so a port moved in the list is not "changed"; other
//! arrays (arguments) compare whole.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// A rule path (`ports[1].internal_port`), indexed as in the body after the edit (before it,
    /// for a removed item): [`crate::error::field_label`] reads it.
    pub path: String,
    pub kind: Kind,
    /// Compact JSON of the value before and after (`None`: absent).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every difference from `before` to `after`, fields in name order (items in `after`'s order,
/// then the removed ones).
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", before, after, &mut out);
    out
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A missing field and `null` mean the same in a request body.
fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, av) in a {
                let at = join(path, k);
                match (present(b.get(k)), present(Some(av))) {
                    (Some(bv), Some(av)) => walk(&at, bv, av, out),
                    (None, Some(av)) => out.push(Change {
                        path: at,
                        kind: Kind::Added,
                        before: None,
                        after: Some(text(av)),
                    }),
                    (Some(bv), None) => out.push(Change {
                        path: at,
                        kind: Kind::Removed,
                        before: Some(text(bv)),
                        after: None,
                    }),
                    (None, None) => {}
                }
            }
            for (k, bv) in b {
                if !a.contains_key(k) && !bv.is_null() {
                    out.push(Change {
                        path: join(path, k),
                        kind: Kind::Removed,
                        before: Some(text(bv)),
                        after: None,
                    });
                }
            }
        }
        (Value::Array(b), Value::Array(a)) if keyed(b) && keyed(a) => {
            let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_string);
            for (i, av) in a.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match id(av).and_then(|k| b.iter().find(|bv| id(bv).as_deref() == Some(&k))) {
                    Some(bv) => walk(&at, bv, av, out),
                    None => out.push(Change {
                        path: at,
                        kind: Kind::Added,
                        before: None,
                        after: Some(text(av)),
                    }),
                }
            }
            for (i, bv) in b.iter().enumerate() {
                let gone = match id(bv) {
                    Some(k) => !a.iter().any(|av| id(av).as_deref() == Some(&k)),
                    None => true,
                };
                if gone {
                    out.push(Change {
                        path: format!("{path}[{i}]"),
                        kind: Kind::Removed,
                        before: Some(text(bv)),
                        after: None,
                    });
                }
            }
        }
        (b, a) if b != a => out.push(Change {
            path: path.to_string(),
            kind: Kind::Changed,
            before: Some(text(b)),
            after: Some(text(a)),
        }),
        _ => {}
    }
}

/// Arrays of objects: matched by `id` where they have one (a new item has none yet).
fn keyed(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_ports_and_storage_are_compared_by_id() {
        let before = json!({
            "name": "web", "cpu": 500, "description": null, "arguments": ["a"],
            "ports": [
                {"id": "p1", "internal_port": 80, "publicly_accessible": true},
                {"id": "p2", "internal_port": 9000, "publicly_accessible": false}
            ],
            "storage": [{"id": "s1", "size": 10, "mount_point": "/data"}]
        });
        let after = json!({
            "name": "web", "cpu": 750, "description": "front", "arguments": ["a", "b"],
            "ports": [
                {"id": "p2", "internal_port": 9001, "publicly_accessible": false},
                {"internal_port": 8080, "publicly_accessible": true}
            ],
            "storage": [{"id": "s1", "size": 10, "mount_point": "/data"}]
        });
        let changes = diff(&before, &after);
        let seen: Vec<(&str, Kind)> = changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            seen,
            [
                ("arguments", Kind::Changed),
                ("cpu", Kind::Changed),
                ("description", Kind::Added),
                ("ports[0].internal_port", Kind::Changed),
                ("ports[1]", Kind::Added),
                ("ports[0]", Kind::Removed),
            ]
        );
        assert_eq!(changes[1].before.as_deref(), Some("500"));
        assert_eq!(changes[1].after.as_deref(), Some("750"));
        assert_eq!(
            changes[5].before.as_deref().map(|b| b.contains("\"p1\"")),
            Some(true)
        );
        assert!(diff(&before, &before).is_empty());
    }
}
