//! The connections the user works with, in signals, persisted without their tokens.
//!
//! Layout in storage (keys namespaced by `storage`): the list (no tokens) in localStorage under
//! `berth.connections.v1` once the user edits it (until then `config.json` rules; a config given by
//! the host always does); each token under `berth.token.<kind>.<id>` in sessionStorage, or in
//! localStorage when the user ticked "remember on this device", as `<base URL>\n<token>`: a token
//! goes only to the base URL it was given for, and a changed base URL drops it (as it drops the
//! config's token).

use berth_api::config::{AppConfig, BackendKind, Connection};
use berth_api::FieldError;
use leptos::prelude::*;

use super::storage::{self, Area};

const LIST_KEY: &str = "berth.connections.v1";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub conn: Connection,
    pub remember: bool,
}

#[derive(Clone, Copy)]
pub struct Connections {
    pub entries: RwSignal<Vec<Entry>>,
    /// False until the config is loaded: pages wait for it instead of reporting unknown connections.
    pub ready: RwSignal<bool>,
    defaults: StoredValue<AppConfig>,
    /// Why the stored list could not be used, if it could not (shown on the settings page).
    pub load_note: RwSignal<Option<String>>,
}

const TOKEN_PREFIX: &str = "berth.token.";

fn token_key(kind: &BackendKind, id: &str) -> String {
    format!("{TOKEN_PREFIX}{kind}.{id}")
}

/// A token stored before keys were namespaced (`berth.token.<kind>.<id>`, no `@<namespace>`):
/// read by no console any more, it would stay on the device for good, so it goes at start and
/// on every Remove or Reset (an older console in another tab may have written it again).
pub fn legacy_token(key: &str) -> bool {
    key.starts_with(TOKEN_PREFIX) && !key.contains('@')
}

/// A base URL as a token is bound to it (`/api/` and `/api` are one).
pub fn bound(url: &str) -> &str {
    url.trim().trim_end_matches('/')
}

/// The token stored under `key` for the base URL `url`, if it was given for that one.
fn stored_token(area: Area, key: &str, url: &str) -> Option<String> {
    let value = storage::get(area, key)?;
    let (for_url, token) = value.split_once('\n')?;
    (for_url == bound(url)).then(|| token.to_string())
}

/// The list as persisted: tokens removed.
pub fn without_tokens(list: &[Connection]) -> Vec<Connection> {
    list.iter()
        .cloned()
        .map(|mut c| {
            c.token = None;
            c
        })
        .collect()
}

impl Connections {
    pub fn empty() -> Connections {
        Connections {
            entries: RwSignal::new(Vec::new()),
            ready: RwSignal::new(false),
            defaults: StoredValue::new(AppConfig::default()),
            load_note: RwSignal::new(None),
        }
    }

    /// Takes the loaded config: stored edits and tokens win over its defaults, except that a config
    /// `given` by the host wins over the saved list.
    pub fn load(&self, config: AppConfig, given: bool) {
        storage::remove_all(legacy_token);
        let (entries, note) = Self::read(&config, given);
        self.defaults.set_value(config);
        self.entries.set(entries);
        self.load_note.set(note);
        self.ready.set(true);
    }

    fn read(config: &AppConfig, given: bool) -> (Vec<Entry>, Option<String>) {
        let mut note = None;
        let list = match storage::get(Area::Local, LIST_KEY) {
            None => config.connections.clone(),
            Some(_) if given => {
                note =
                    Some("The page gives these connections: your saved list is not used.".into());
                config.connections.clone()
            }
            Some(text) => {
                match AppConfig::parse(&format!("{{\"connections\":{text}}}")) {
                    Ok(stored) => stored.connections,
                    Err(e) => {
                        note = Some(format!("Your saved connections could not be read ({e}); the defaults are shown."));
                        config.connections.clone()
                    }
                }
            }
        };
        let entries = list
            .into_iter()
            .map(|mut conn| {
                let key = token_key(&conn.kind, &conn.id);
                let local = stored_token(Area::Local, &key, &conn.base_url);
                let remember = local.is_some();
                // The config's token is for the config's base URL only.
                let default = config
                    .find(&conn.kind, &conn.id)
                    .filter(|c| bound(&c.base_url) == bound(&conn.base_url))
                    .and_then(|c| c.token.clone());
                conn.token = stored_token(Area::Session, &key, &conn.base_url)
                    .or(local)
                    .or(default);
                Entry { conn, remember }
            })
            .collect();
        (entries, note)
    }

    // `try_`: tasks call these after an `.await`, when an unmounted console has disposed them.
    pub fn find(&self, kind: &BackendKind, id: &str) -> Option<Connection> {
        self.entries
            .try_with(|e| {
                e.iter()
                    .find(|x| &x.conn.kind == kind && x.conn.id == id)
                    .map(|x| x.conn.clone())
            })
            .flatten()
    }

    pub fn of_kind(&self, kind: &BackendKind) -> Vec<Connection> {
        self.entries
            .try_with(|e| {
                e.iter()
                    .filter(|x| &x.conn.kind == kind)
                    .map(|x| x.conn.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks and stores `entry` at `index` (a new one when `None`).
    pub fn save(&self, index: Option<usize>, entry: Entry) -> Result<(), Vec<FieldError>> {
        let mut errors = berth_api::rules::connection(&entry.conn, "connection");
        // A `//host` base URL passes the rule as "a path" but would send the token elsewhere.
        if let Some(problem) = berth_api::http::base_url_problem(&entry.conn.base_url) {
            if !errors.iter().any(|e| e.path == "connection.base_url") {
                errors.push(FieldError::new("connection.base_url", problem));
            }
        }
        let clash = self.entries.with_untracked(|list| {
            list.iter().enumerate().any(|(i, e)| {
                Some(i) != index && e.conn.kind == entry.conn.kind && e.conn.id == entry.conn.id
            })
        });
        if clash {
            errors.push(FieldError::new(
                "connection.id",
                format!(
                    "another {} connection already uses the id `{}`",
                    entry.conn.kind, entry.conn.id
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let previous = index.and_then(|i| self.entries.with_untracked(|l| l.get(i).cloned()));
        if let Some(p) = &previous {
            let key = token_key(&p.conn.kind, &p.conn.id);
            storage::remove(Area::Session, &key);
            storage::remove(Area::Local, &key);
        }
        self.store_token(&entry)
            .map_err(|e| vec![FieldError::new("connection.token", e)])?;
        self.entries.update(|list| match index {
            Some(i) if i < list.len() => list[i] = entry,
            _ => list.push(entry),
        });
        self.persist()
            .map_err(|e| vec![FieldError::new("connection", e)])
    }

    fn store_token(&self, entry: &Entry) -> Result<(), String> {
        let key = token_key(&entry.conn.kind, &entry.conn.id);
        storage::remove(Area::Session, &key);
        storage::remove(Area::Local, &key);
        let area = if entry.remember {
            Area::Local
        } else {
            Area::Session
        };
        match entry.conn.token.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => storage::set(area, &key, &format!("{}\n{t}", bound(&entry.conn.base_url))),
            None => Ok(()),
        }
    }

    pub fn remove(&self, index: usize) {
        if let Some(e) = self.entries.with_untracked(|l| l.get(index).cloned()) {
            let key = token_key(&e.conn.kind, &e.conn.id);
            storage::remove(Area::Session, &key);
            storage::remove(Area::Local, &key);
        }
        storage::remove_all(legacy_token);
        self.entries.update(|l| {
            if index < l.len() {
                l.remove(index);
            }
        });
        let _ = self.persist();
    }

    /// Back to `config.json`'s connections; stored tokens are forgotten.
    pub fn reset(&self) {
        let count = self.entries.with_untracked(Vec::len);
        for i in (0..count).rev() {
            self.remove(i);
        }
        storage::remove(Area::Local, LIST_KEY);
        // No saved list is left: whether the config was given makes no difference.
        self.load(self.defaults.get_value(), false);
    }

    fn persist(&self) -> Result<(), String> {
        let list: Vec<Connection> = self
            .entries
            .with_untracked(|l| l.iter().map(|e| e.conn.clone()).collect());
        let text = serde_json::to_string(&without_tokens(&list)).map_err(|e| e.to_string())?;
        storage::set(Area::Local, LIST_KEY, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_stored_without_a_namespace_are_legacy() {
        assert!(legacy_token("berth.token.qovery.sandbox"));
        assert!(legacy_token("berth.token.kopernik.prod-eu"));
        assert!(!legacy_token(&format!(
            "{}@/config.json",
            token_key(&BackendKind::Qovery, "sandbox")
        )));
        assert!(!legacy_token("berth.token.qovery.sandbox@key:team-a"));
        // Not tokens: the list and the drafts hold none.
        assert!(!legacy_token("berth.connections.v1"));
        assert!(!legacy_token("berth.draft.qovery.sandbox.env"));
        assert!(!legacy_token("other.berth.token.x"));
    }
}
