//! The form's draft as the session keeps it: restored when the form opens (an edit's only over the
//! copy it was typed over), and stored again on every change.

use leptos::prelude::*;

use super::conflict::{self, EditDraft, Restore};
use super::draft::QDraft;
use super::{draft_key, Context};
use crate::state::storage::{self, Area};

/// The draft the form edits, and the copies it is measured against.
#[derive(Clone, Copy)]
pub(super) struct KeptDraft {
    pub draft: RwSignal<QDraft>,
    /// The server copy an edit is made over: the one the form opened on, until the user picks
    /// another (restoring a draft made on an older copy, overwriting or reloading theirs).
    pub opened: RwSignal<QDraft>,
    /// A draft typed over an older copy, offered rather than restored.
    pub offer: RwSignal<Option<EditDraft>>,
    /// The stored draft was restored.
    pub had_draft: bool,
    /// What the form shows without a draft (Discard goes back to it).
    pub initial: StoredValue<QDraft>,
    /// The draft's sessionStorage key.
    pub key: StoredValue<String>,
}

pub(super) fn use_kept_draft(ctx: &Context) -> KeptDraft {
    let key = draft_key(ctx);
    let stored = storage::get(Area::Session, &key);
    // An edit's draft is restored only over the copy it was typed over; over a newer one it is
    // offered (#21).
    let (restored, offered) = match &ctx.existing {
        None => (
            stored.and_then(|t| serde_json::from_str::<QDraft>(&t).ok()),
            None,
        ),
        Some((_, server)) => match conflict::restore(stored.as_deref(), server) {
            Restore::Nothing => (None, None),
            Restore::Apply(d) => (Some(d.draft), None),
            Restore::Offer(d) => (None, Some(d)),
        },
    };
    let had_draft = restored.is_some();
    let initial = ctx
        .existing
        .as_ref()
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| QDraft {
            // The first registry the console may use (cluster-bound mirrors are hidden).
            registry_id: ctx
                .registries
                .iter()
                .find(|r| r.cluster.is_none())
                .map(|r| r.id.clone())
                .unwrap_or_default(),
            ..QDraft::default()
        });
    let mut start = restored.unwrap_or_else(|| initial.clone());
    // The Health tab's "Raise memory to 768 MB" opens the edit form with that value filled in
    // (`?memory=768`), as a change the user sees and saves.
    let hint = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("memory"));
    if let Some(mb) = hint.filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit())) {
        if ctx.existing.is_some() {
            start.memory = mb;
        }
    }
    let draft = RwSignal::new(start);
    let opened = RwSignal::new(initial.clone());
    let offer = RwSignal::new(offered);
    let store_key = key.clone();
    let editing = ctx.existing.is_some();
    Effect::new(move |_| {
        let text = if editing {
            let (d, base) = (draft.get(), opened.get());
            if d == base {
                // Nothing typed; a draft on offer stays until restored or discarded.
                if offer.with(Option::is_none) {
                    storage::remove(Area::Session, &store_key);
                }
                return;
            }
            serde_json::to_string(&EditDraft {
                draft: d,
                base,
                saved_ms: crate::state::clock::now_ms(),
            })
        } else {
            draft.with(serde_json::to_string)
        };
        if let Ok(text) = text {
            let _ = storage::set(Area::Session, &store_key, &text);
        }
    });
    KeptDraft {
        draft,
        opened,
        offer,
        had_draft,
        initial: StoredValue::new(initial),
        key: StoredValue::new(key),
    }
}
