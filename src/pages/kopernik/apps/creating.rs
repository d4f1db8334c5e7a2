//! Creates on their way: a row each until the list shows their app.

use berth_api::config::Connection;
use leptos::prelude::*;

use super::AppRow;

/// Their names, as rows above the list's.
pub(super) fn use_creating(
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
    rows: RwSignal<Vec<AppRow>>,
) -> Memo<Vec<String>> {
    let store = use_context::<crate::state::pending::PendingStore>();
    // Creates still running on this provider whose app the list does not show yet.
    Memo::new(move |_| {
        let (c, p) = (conn.with_value(|c| c.id.clone()), provider.get_value());
        store
            .map(|s| {
                s.entries.with(|list| {
                    list.iter()
                        .filter(|e| e.is_running() && e.kind == crate::state::pending::PendingKind::Create && e.conn == c)
                        .filter(|e| matches!(&e.target, crate::state::pending::Target::Kopernik { provider, app, .. }
                            if *provider == p && !rows.with(|r| r.iter().any(|x| Some(&x.app.uid) == app.as_ref()))))
                        .map(|e| e.name.clone())
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    })
}
