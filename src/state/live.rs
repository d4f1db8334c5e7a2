//! The state every refreshable screen keeps beside its data: when it was last loaded, whether a
//! load runs, the last error and how many loads failed in a row (for back-off). The data itself
//! stays with the screen, so a refresh never blanks it.

use leptos::prelude::*;

use crate::api::ApiError;

#[derive(Clone, Copy)]
pub struct Live {
    pub loaded_at: RwSignal<Option<f64>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub failures: RwSignal<u32>,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Live {
        Live {
            loaded_at: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            failures: RwSignal::new(0),
        }
    }

    /// Marks a load as started; `false` when one already runs (the caller skips then).
    pub fn begin(&self) -> bool {
        if self.loading.get_untracked() {
            return false;
        }
        self.loading.set(true);
        true
    }

    /// Records how a load ended and hands back its value when it succeeded.
    pub fn finish<T>(&self, result: Result<T, ApiError>) -> Option<T> {
        let value = match result {
            Ok(v) => {
                self.loaded_at.set(Some(super::clock::now_ms()));
                self.error.set(None);
                self.failures.set(0);
                Some(v)
            }
            Err(e) => {
                self.error.set(Some(e));
                self.failures.update(|f| *f += 1);
                None
            }
        };
        self.loading.set(false);
        value
    }

    /// Back to "never loaded" (another environment, another filter).
    pub fn reset(&self) {
        self.loaded_at.set(None);
        self.loading.set(false);
    }
}
