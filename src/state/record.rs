//! One record a screen shows (a container, a container app), loaded the one way every detail
//! screen loads it, as the lists load through `use_live_list`: loaded when its key (the route's
//! ids) is known and again when it changes (the old record's load cancelled, its data cleared),
//! reloaded on demand or by a poll, its loads cancelled when the screen goes, and its data kept
//! while a reload runs or fails ([`Live`] says how it went).

use std::future::Future;

use leptos::prelude::*;

use super::live::Live;
use super::task::Tasks;
use crate::api::ApiError;

/// A loaded record and how its loading goes.
pub struct Record<T: 'static> {
    pub data: RwSignal<Option<T>>,
    pub live: Live,
    reload: StoredValue<Box<dyn Fn()>, LocalStorage>,
}

impl<T: 'static> Clone for Record<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Record<T> {}

impl<T: 'static> Record<T> {
    /// Loads the record again, unless a load already runs (its answer is as fresh).
    pub fn reload(&self) {
        self.reload.with_value(|r| r());
    }
}

/// Loads the record `load(key)` for the screen, `key` read tracked (a route parameter).
pub fn use_record<K, T, Fut>(
    key: impl Fn() -> K + 'static,
    load: impl Fn(K) -> Fut + 'static,
) -> Record<T>
where
    K: Clone + PartialEq + 'static,
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let data = RwSignal::new(None::<T>);
    let live = Live::new();
    let tasks = Tasks::new();
    let shown = StoredValue::new_local(None::<K>);
    let reload = move || {
        let Some(k) = shown.get_value() else {
            return;
        };
        if !live.begin() {
            return;
        }
        let fut = load(k);
        tasks.spawn(async move {
            if let Some(v) = live.finish(fut.await) {
                data.try_set(Some(v));
            }
        });
    };
    let reload = StoredValue::new_local(Box::new(reload) as Box<dyn Fn()>);
    Effect::new(move |prev: Option<K>| {
        let now = key();
        if prev.is_some_and(|p| p != now) {
            tasks.cancel_all();
            live.reset();
            data.set(None);
        }
        shown.set_value(Some(now.clone()));
        reload.with_value(|r| r());
        now
    });
    Record { data, live, reload }
}
