//! Rows kept by id: each table row reads its own memo, so a poll that changes one row updates that
//! row's cells in place and leaves the other rows (and the focus) alone.

use std::collections::HashMap;

use leptos::prelude::*;

use super::table::Row;

pub struct RowsById<R: Send + Sync + 'static> {
    rows: RwSignal<Vec<R>>,
    index: Memo<HashMap<String, usize>>,
}

impl<R: Send + Sync + 'static> Clone for RowsById<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for RowsById<R> {}

impl<R: Row + Clone + PartialEq + Send + Sync + 'static> RowsById<R> {
    pub fn new(rows: RwSignal<Vec<R>>) -> Self {
        let index = Memo::new(move |_| {
            rows.with(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, x)| (x.id().to_string(), i))
                    .collect()
            })
        });
        RowsById { rows, index }
    }

    /// The ids of the rows at `positions` (what a keyed `<For>` iterates).
    pub fn ids(&self, positions: &[usize]) -> Vec<String> {
        self.rows.with(|r| {
            positions
                .iter()
                .filter_map(|i| r.get(*i).map(|x| x.id().to_string()))
                .collect()
        })
    }

    /// The row with `id` as it is now; it notifies only when that row changed.
    pub fn row(&self, id: String) -> Memo<Option<R>> {
        let (rows, index) = (self.rows, self.index);
        Memo::new(move |_| {
            index
                .with(|ix| ix.get(&id).copied())
                .and_then(|i| rows.with(|r| r.get(i).cloned()))
        })
    }
}

/// Slot `i` of a page of rows (`shown` holds positions in `rows`): the row that slot shows now.
///
/// A paged table renders its page as slots keyed by position, so a keystroke in the search box or
/// a sort rewrites the text of the rows already there instead of building and removing 50 rows
/// of elements, listeners and effects (most of a 10,000-row search's time, measured by Chrome's
/// profiler: docs/delivery.md). A poll that changes one row still updates only that slot.
pub fn page_slot<R: Clone + PartialEq + Send + Sync + 'static>(
    rows: RwSignal<Vec<R>>,
    shown: Memo<Vec<usize>>,
    i: usize,
) -> Memo<Option<R>> {
    Memo::new(move |_| {
        shown
            .with(|s| s.get(i).copied())
            .and_then(|at| rows.with(|r| r.get(at).cloned()))
    })
}
