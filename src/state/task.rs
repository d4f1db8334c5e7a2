//! Tasks that belong to a screen: cancelled when the screen goes (its owner is cleaned up) or when
//! it asks (another environment, another filter). A cancelled task never resumes after its
//! `.await`, so it never touches the screen's disposed signals, and dropping it aborts its request
//! through the HTTP layer's `AbortController`.
//!
//! Work that must outlive the screen (creates, deletes, deploys) is not spawned here: it runs to
//! its end and hands its result to the root pending store.

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::{on_cleanup, GetValue, StoredValue};

#[derive(Default)]
struct Inner {
    next: u64,
    live: Vec<(u64, AbortHandle)>,
}

/// The running tasks of one screen; `Copy`, so closures of the view can share it.
#[derive(Clone, Copy)]
pub struct Tasks(StoredValue<TaskSet>);

impl Tasks {
    /// Tasks cancelled when the current owner is cleaned up.
    // Not a `Default`: it registers a clean-up with the current owner.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Tasks {
        let set = TaskSet::default();
        let mine = set.clone();
        // Holds the set itself, not the arena slot: it works whatever the order of clean-up.
        on_cleanup(move || mine.cancel_all());
        Tasks(StoredValue::new(set))
    }

    pub fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        if let Some(set) = self.0.try_get_value() {
            set.spawn(task);
        }
    }

    pub fn cancel_all(&self) {
        if let Some(set) = self.0.try_get_value() {
            set.cancel_all();
        }
    }
}

/// The shared set behind [`Tasks`].
#[derive(Clone, Default)]
pub struct TaskSet(Arc<Mutex<Inner>>);

impl TaskSet {
    pub fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        let (handle, registration) = AbortHandle::new_pair();
        let id = match self.0.lock() {
            Ok(mut inner) => {
                inner.next += 1;
                let id = inner.next;
                inner.live.push((id, handle));
                id
            }
            // A poisoned lock cannot happen on one thread; if it did, run the task uncancellable
            // rather than not at all.
            Err(_) => 0,
        };
        let tasks = self.clone();
        leptos::task::spawn_local(async move {
            let _ = Abortable::new(task, registration).await;
            tasks.forget(id);
        });
    }

    /// Cancels every running task (their futures are dropped at their next wake-up, before they
    /// run any further).
    pub fn cancel_all(&self) {
        let handles = match self.0.lock() {
            Ok(mut inner) => std::mem::take(&mut inner.live),
            Err(_) => Vec::new(),
        };
        for (_, h) in handles {
            h.abort();
        }
    }

    /// How many tasks run (for tests).
    pub fn running(&self) -> usize {
        self.0.lock().map(|i| i.live.len()).unwrap_or(0)
    }

    fn forget(&self, id: u64) {
        if let Ok(mut inner) = self.0.lock() {
            inner.live.retain(|(i, _)| *i != id);
        }
    }
}
