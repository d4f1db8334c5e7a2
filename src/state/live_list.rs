//! One way to keep a list live, shared by the Qovery containers, the Kopernik apps and All apps
//! (the data-provider idea of leptos-struct-table): a [`ListSource`] says what the list is of and
//! how to load it; [`use_live_list`] loads it, polls it (fast while a row moves, slowly otherwise,
//! paused while the tab is hidden, stretched by failures and Retry-After), reloads it when a
//! tracked action ends, and starts over from nothing when its key changes.
//!
//! Not a `LocalResource`: a resource neither aborts the request it replaces nor keeps the last
//! rows when a refresh fails, and a live list needs both. Loads run in the screen's [`Tasks`]:
//! a new key or leaving the screen cancels them and aborts their requests, so an old key's late
//! answer never lands and nothing runs on a disposed signal. The async blocks read no signal:
//! what a load needs is taken before it starts, and its answer is written through `try_`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use leptos::prelude::*;

use super::live::Live;
use super::poll::use_poll;
use super::task::Tasks;
use crate::api::ApiError;

/// A load: the rows and what came with them.
pub type Load<R, X> = Pin<Box<dyn Future<Output = Result<(Vec<R>, X), ApiError>>>>;

/// What a live list shows and how it loads it.
pub trait ListSource: Copy + Send + Sync + 'static {
    /// What the list is of (an environment, a provider and its filter, the connections). Read
    /// tracked: a new key starts over from nothing.
    type Key: Clone + PartialEq + Send + Sync + 'static;
    type Row: Clone + Send + Sync + 'static;
    /// What a load brings beside the rows: the next page's token, the items or parts that could
    /// not be read.
    type Extra: Default + Clone + Send + Sync + 'static;

    fn key(&self) -> Self::Key;

    /// The whole list. `last` is what the previous load of this key brought (how many pages to
    /// walk again, for a paged list).
    fn load(&self, key: Self::Key, last: Self::Extra) -> Load<Self::Row, Self::Extra>;

    /// The next page, appended to the rows, when the list is paged and has one.
    fn more(&self, _key: Self::Key, _last: &Self::Extra) -> Option<Load<Self::Row, Self::Extra>> {
        None
    }

    /// The time between polls for these rows.
    fn interval(&self, rows: &[Self::Row]) -> Duration;

    /// A refusal among the parts of a load that brought rows (a 429 and its Retry-After on one
    /// request of a fan-out): it stretches the next poll as a failed load would.
    fn refused(&self, _extra: &Self::Extra) -> Option<ApiError> {
        None
    }
}

/// A live list: its rows, what came with them, and when and how it last loaded (`live`).
pub struct LiveList<S: ListSource> {
    pub rows: RwSignal<Vec<S::Row>>,
    pub extra: RwSignal<S::Extra>,
    pub live: Live,
    source: S,
    tasks: Tasks,
}

impl<S: ListSource> Clone for LiveList<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ListSource> Copy for LiveList<S> {}

impl<S: ListSource> LiveList<S> {
    /// Loads the list again, keeping the rows shown until the answer replaces them. A load that
    /// runs is cancelled and superseded: it may have started before what this reload is for (an
    /// action that ended), and its answer would bring back what is gone.
    pub fn reload(&self) {
        self.load(true);
    }

    /// A poll: skipped while a load runs (a slow server is not asked again and again).
    fn poll(&self) {
        self.load(false);
    }

    fn load(&self, restart: bool) {
        if !begin(self.live, self.tasks, restart) {
            return;
        }
        let source = self.source;
        let load = untrack(|| source.load(source.key(), self.extra.get_untracked()));
        let (rows, extra, live) = (self.rows, self.extra, self.live);
        self.tasks.spawn(async move {
            if let Some((loaded, with)) = live.finish(load.await) {
                let refused = source.refused(&with);
                rows.try_set(loaded);
                extra.try_set(with);
                // Its Retry-After stretches the next poll.
                if refused.is_some() {
                    live.error.try_set(refused);
                }
            }
        });
    }

    /// Appends the next page, if there is one.
    pub fn more(&self) {
        let source = self.source;
        let Some(load) = untrack(|| self.extra.with(|x| source.more(source.key(), x))) else {
            return;
        };
        if !self.live.begin() {
            return;
        }
        let (rows, extra, live) = (self.rows, self.extra, self.live);
        self.tasks.spawn(async move {
            if let Some((loaded, with)) = live.finish(load.await) {
                rows.try_update(|r| r.extend(loaded));
                extra.try_set(with);
            }
        });
    }

    /// [`reload`](Self::reload) for a Retry or Refresh button.
    pub fn callback(&self) -> Callback<()> {
        let list = *self;
        Callback::new(move |_| list.reload())
    }
}

/// Whether a load starts (apart from signals, so it is tested natively): a reload always does,
/// superseding the load that runs; a poll only when none runs (a slow server is not asked again
/// and again).
pub fn starts(running: bool, restart: bool) -> bool {
    restart || !running
}

/// [`starts`] on a list's signals (not generic: one copy for every list). The load it supersedes
/// is cancelled: its task never resumes, so its answer (from before the reload) never lands, and
/// its request is aborted.
fn begin(live: Live, tasks: Tasks, restart: bool) -> bool {
    if !starts(live.loading.get_untracked(), restart) {
        return false;
    }
    tasks.cancel_all();
    live.loading.set(true);
    true
}

/// Loads `source` now and keeps it live for as long as the current owner lives.
pub fn use_live_list<S: ListSource>(source: S) -> LiveList<S> {
    let list = LiveList {
        rows: RwSignal::new(Vec::new()),
        extra: RwSignal::new(S::Extra::default()),
        live: Live::new(),
        source,
        tasks: Tasks::new(),
    };
    // A new key starts from nothing: its older loads are cancelled and their rows go.
    Effect::new(move |prev: Option<S::Key>| {
        let key = source.key();
        if prev.as_ref() != Some(&key) {
            list.tasks.cancel_all();
            list.rows.set(Vec::new());
            list.extra.set(S::Extra::default());
            list.live.reset();
            list.reload();
        }
        key
    });
    let interval = Memo::new(move |_| list.rows.with(|r| source.interval(r)));
    use_poll(
        interval.into(),
        move || list.live.strain(),
        move || list.poll(),
    );
    // What a tracked action changed shows as soon as it ends.
    if let Some(store) = use_context::<super::pending::PendingStore>() {
        Effect::new(move |prev: Option<u64>| {
            let n = store.ended.get();
            if prev.is_some_and(|p| p != n) {
                list.reload();
            }
            n
        });
    }
    list
}

#[cfg(test)]
mod tests {
    use super::starts;

    #[test]
    fn a_reload_during_a_load_supersedes_it_and_a_poll_waits() {
        assert!(
            starts(true, true),
            "a reload while a load runs (an action ended) starts at once"
        );
        assert!(!starts(true, false), "a poll while a load runs is skipped");
        assert!(starts(false, false) && starts(false, true));
    }
}
