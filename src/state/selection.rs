//! Which rows of a list are selected, keyed by id: a poll that reorders or changes rows keeps the
//! selection, an id that left the list leaves it. A shift-click selects the range from the last
//! clicked row in the order the table shows.

use std::collections::HashSet;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Selection {
    pub ids: RwSignal<Vec<String>>,
    /// The last row clicked without shift: one end of a shift-click range.
    anchor: StoredValue<Option<String>>,
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

impl Selection {
    pub fn new() -> Self {
        Selection {
            ids: RwSignal::new(Vec::new()),
            anchor: StoredValue::new(None),
        }
    }

    pub fn has(&self, id: &str) -> bool {
        self.ids.with(|s| s.iter().any(|x| x == id))
    }

    pub fn len(&self) -> usize {
        self.ids.with(Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.ids.with(Vec::is_empty)
    }

    /// A row's checkbox set to `on`; with `shift`, every row of `order` between the anchor and
    /// it too.
    pub fn click(&self, id: &str, on: bool, shift: bool, order: &[String]) {
        let range = if shift {
            self.anchor
                .with_value(|a| a.as_ref().and_then(|a| range(order, a, id)))
        } else {
            None
        };
        let ids = range.unwrap_or_else(|| vec![id.to_string()]);
        self.set(&ids, on);
        self.anchor.set_value(Some(id.to_string()));
    }

    /// Selects (`on`) or unselects every id of `ids`.
    pub fn set(&self, ids: &[String], on: bool) {
        self.ids.update(|s| {
            if on {
                for id in ids {
                    if !s.contains(id) {
                        s.push(id.clone());
                    }
                }
            } else {
                s.retain(|x| !ids.contains(x));
            }
        });
    }

    pub fn clear(&self) {
        self.ids.set(Vec::new());
        self.anchor.set_value(None);
    }

    /// Drops the ids no longer in the list (written only when one went).
    pub fn keep_only(&self, present: &HashSet<&str>) {
        let gone = self
            .ids
            .with_untracked(|s| s.iter().any(|x| !present.contains(x.as_str())));
        if gone {
            self.ids
                .update(|s| s.retain(|x| present.contains(x.as_str())));
        }
    }
}

/// The ids of `order` from `a` to `b`, both included, whichever comes first; `None` if either
/// is not shown.
pub fn range(order: &[String], a: &str, b: &str) -> Option<Vec<String>> {
    let i = order.iter().position(|x| x == a)?;
    let j = order.iter().position(|x| x == b)?;
    let (lo, hi) = (i.min(j), i.max(j));
    Some(order[lo..=hi].to_vec())
}

#[cfg(test)]
mod tests {
    use super::range;

    #[test]
    fn ranges_go_either_way() {
        let order: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            range(&order, "b", "d"),
            Some(vec!["b".into(), "c".into(), "d".into()])
        );
        assert_eq!(
            range(&order, "c", "a"),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(range(&order, "x", "a"), None);
    }
}
