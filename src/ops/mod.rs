//! The operations layer: everything that can be done to a container (Qovery) or a container app
//! (Kopernik) starts here, once, whichever screen has the button.
//!
//! An operation
//! - is refused while the same one is being sent ([`begin`]: the key lives in the root store, so
//!   a screen opened again, or another screen, sees it too);
//! - outlives the screen that started it: it runs in a task of its own and hands what it started
//!   to the root pending store (the toast and /actions report it), and the screen hears the
//!   answer through a callback that writes its signals with `try_` only;
//! - treats a lost answer (no answer, a proxy's 502/503/504) as unknown: it is followed by a
//!   read, never resent, until the server shows whether it happened ([`answer_lost`]).
//!
//! Layers: `api` (fetch) → `state` (signals, the pending store) → `ops` → `pages`.

pub mod kopernik;
pub mod qovery;
pub mod words;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::pending::PendingStore;

/// Whether a failed request may still have been carried out: no answer at all, or a proxy's
/// answer in place of the server's.
pub fn answer_lost(e: &ApiError) -> bool {
    matches!(e.status, None | Some(502..=504))
}

/// A start refused because the same operation is still being sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An operation being sent: its keys leave the store when it is dropped (the task ended).
pub struct Sending {
    store: Option<PendingStore>,
    keys: Vec<String>,
}

impl Drop for Sending {
    fn drop(&mut self) {
        if let Some(s) = self.store {
            let keys = std::mem::take(&mut self.keys);
            s.sending.try_update(|l| l.retain(|k| !keys.contains(k)));
        }
    }
}

/// Marks `keys` as being sent, or refuses if one of them already is (`what` names the operation
/// in the refusal).
pub fn begin(
    store: Option<PendingStore>,
    keys: Vec<String>,
    what: &str,
) -> Result<Sending, Refused> {
    if let Some(s) = store {
        let busy = s
            .sending
            .try_with_untracked(|l| keys.iter().any(|k| l.contains(k)))
            .unwrap_or(false);
        if busy {
            return Err(Refused(format!(
                "{what}: an operation on it is still being sent; wait for its answer"
            )));
        }
        s.sending.try_update(|l| l.extend(keys.iter().cloned()));
    }
    Ok(Sending { store, keys })
}

/// Whether an operation on `key` is being sent (reactive: buttons disable on it).
pub fn is_sending(store: Option<PendingStore>, key: &str) -> bool {
    store.is_some_and(|s| {
        s.sending
            .try_with(|l| l.iter().any(|k| k == key))
            .unwrap_or(false)
    })
}

/// The root store, when the console provides one (always, but for isolated component tests).
pub fn store() -> Option<PendingStore> {
    use_context::<PendingStore>()
}

fn now() -> f64 {
    crate::state::clock::now_ms()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_answers_are_the_ones_that_may_have_gone_through() {
        let with = |status| ApiError {
            status,
            ..ApiError::network("x")
        };
        for s in [None, Some(502), Some(503), Some(504)] {
            assert!(answer_lost(&with(s)), "{s:?}");
        }
        for s in [
            Some(400),
            Some(401),
            Some(404),
            Some(409),
            Some(429),
            Some(500),
        ] {
            assert!(!answer_lost(&with(s)), "{s:?}");
        }
    }

    #[test]
    fn a_second_start_is_refused_until_the_first_ends() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Some(PendingStore::for_tests());
            let first = begin(store, vec!["q:s:c1".into()], "web");
            assert!(first.is_ok());
            assert!(is_sending(store, "q:s:c1"));
            let again = begin(store, vec!["q:s:c2".into(), "q:s:c1".into()], "web");
            assert!(matches!(&again, Err(Refused(m)) if m.contains("still being sent")));
            assert!(
                !is_sending(store, "q:s:c2"),
                "a refused start marks nothing"
            );
            drop(first);
            assert!(!is_sending(store, "q:s:c1"));
            assert!(begin(store, vec!["q:s:c1".into()], "web").is_ok());
        });
    }
}
