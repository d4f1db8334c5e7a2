//! The secret values a test typed (into a password field other than a connection's token, which
//! the console keeps in web storage on purpose), per WebDriver session: when the session ends,
//! the harness looks for each in localStorage, sessionStorage, the URL and the browser console,
//! where none may ever be.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn typed() -> &'static Mutex<HashMap<String, Vec<String>>> {
    static TYPED: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    TYPED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Records `value`, typed in the session `session`, as a secret (short values are too common to
/// look for: they would match by chance).
pub fn record(session: &str, value: &str) {
    if value.len() < 6 {
        return;
    }
    if let Ok(mut t) = typed().lock() {
        let list = t.entry(session.to_string()).or_default();
        if !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
    }
}

/// The secrets typed in `session`, forgotten once taken.
pub fn take(session: &str) -> Vec<String> {
    typed()
        .lock()
        .ok()
        .and_then(|mut t| t.remove(session))
        .unwrap_or_default()
}

/// Where each secret of `secrets` was found in `places` (name, text): "`hunter2` in sessionStorage".
pub fn leaks(secrets: &[String], places: &[(&str, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for s in secrets {
        for (name, text) in places {
            if text.contains(s.as_str()) {
                out.push(format!("`{s}` in {name}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_secrets_are_found_where_they_leaked() {
        record("s1", "hunter2-secret");
        record("s1", "abc");
        record("s2", "other-secret");
        let mine = take("s1");
        assert_eq!(mine, ["hunter2-secret"], "short values are not recorded");
        assert!(take("s1").is_empty(), "taken once");
        let places = [
            ("localStorage", "{\"draft\":\"x\"}".to_string()),
            ("sessionStorage", "{\"v\":\"hunter2-secret\"}".to_string()),
        ];
        assert_eq!(
            leaks(&mine, &places),
            ["`hunter2-secret` in sessionStorage"]
        );
        assert_eq!(take("s2"), ["other-secret"]);
    }
}
