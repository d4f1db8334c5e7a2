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
    /// The generation of the last load started ([`Loads`]): only its answer lands.
    generation: StoredValue<u64>,
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
        let Some(g) = begin(self.live, self.tasks, self.generation, restart) else {
            return;
        };
        let source = self.source;
        let load = untrack(|| source.load(source.key(), self.extra.get_untracked()));
        let (rows, extra, live, generation) = (self.rows, self.extra, self.live, self.generation);
        self.tasks.spawn(async move {
            let answer = load.await;
            if !lands(generation, g) {
                return;
            }
            if let Some((loaded, with)) = live.finish(answer) {
                let refused = source.refused(&with);
                rows.try_set(loaded);
                extra.try_set(with);
                if refused.is_some() {
                    live.failures.try_set(1);
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
        let Some(g) = begin(self.live, self.tasks, self.generation, false) else {
            return;
        };
        let (rows, extra, live, generation) = (self.rows, self.extra, self.live, self.generation);
        self.tasks.spawn(async move {
            let answer = load.await;
            if !lands(generation, g) {
                return;
            }
            if let Some((loaded, with)) = live.finish(answer) {
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

/// Which load's answer a list takes, apart from signals (so it is tested natively). Every load
/// started takes the next generation and only the latest one's answer lands: a reload while a
/// load runs supersedes it, a poll while one runs is skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Loads {
    pub generation: u64,
    pub running: bool,
}

impl Loads {
    /// Starts a load (`restart`: a reload, else a poll or a next page): its generation, or `None`
    /// when it is skipped.
    pub fn start(&mut self, restart: bool) -> Option<u64> {
        if self.running && !restart {
            return None;
        }
        self.generation += 1;
        self.running = true;
        Some(self.generation)
    }

    /// The load of generation `g` answered: whether its answer lands (it is the latest).
    pub fn answer(&mut self, g: u64) -> bool {
        let latest = g == self.generation;
        if latest {
            self.running = false;
        }
        latest
    }
}

/// [`Loads::start`] on a list's signals (not generic: one copy for every list). A superseded
/// load is cancelled, which aborts its request.
fn begin(live: Live, tasks: Tasks, generation: StoredValue<u64>, restart: bool) -> Option<u64> {
    let mut loads = Loads {
        generation: generation.get_value(),
        running: live.loading.get_untracked(),
    };
    let g = loads.start(restart)?;
    tasks.cancel_all();
    generation.set_value(g);
    live.loading.set(true);
    Some(g)
}

/// Whether the answer of load `g` lands ([`Loads::answer`]); never after the screen went.
fn lands(generation: StoredValue<u64>, g: u64) -> bool {
    generation.try_get_value().is_some_and(|latest| {
        Loads {
            generation: latest,
            running: true,
        }
        .answer(g)
    })
}

/// Loads `source` now and keeps it live for as long as the current owner lives.
pub fn use_live_list<S: ListSource>(source: S) -> LiveList<S> {
    let list = LiveList {
        rows: RwSignal::new(Vec::new()),
        extra: RwSignal::new(S::Extra::default()),
        live: Live::new(),
        source,
        tasks: Tasks::new(),
        generation: StoredValue::new(0),
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
    use super::Loads;

    #[test]
    fn a_reload_during_a_load_supersedes_it_and_a_poll_waits() {
        let mut l = Loads::default();
        let poll = l.start(false).unwrap_or_default();
        assert_eq!(l.start(false), None, "a poll while a load runs is skipped");
        // An action ended while the poll ran: the reload starts at once.
        let reload = l.start(true).unwrap_or_default();
        assert!(reload > poll);
        assert!(
            !l.answer(poll),
            "the older load's answer (from before the action ended) is dropped"
        );
        assert!(l.running, "the reload still runs");
        assert_eq!(l.start(false), None);
        assert!(l.answer(reload));
        assert!(!l.running);
        assert!(l.start(false).is_some(), "polls go on after it");
    }
}
