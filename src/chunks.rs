//! Screens delivered as separate wasm chunks, loaded when their route is opened.
//!
//! Each screen's view is built inside a `#[wasm_split]` function: the splitter run by
//! `cargo xtask split` (a trunk `post_build` hook, see docs/delivery.md) moves that function and
//! everything only it reaches into its own `.wasm` file. Unlike leptos' `#[lazy_route]`, the split
//! functions here are `fallible`: a chunk that cannot be fetched (offline, or a 404 after a new
//! release) renders [`ChunkFailed`] with a "Reload" button instead of panicking.
//!
//! Every route's view is one [`Screen`] value: one type for all routes, so the router's matching
//! and view choice are compiled once instead of once per screen (leptos' `Lazy<T>` is a type per
//! route, and that code sits in the first screen's wasm).
//!
//! Outside wasm (native unit tests) a split function is a plain call; in the component tests
//! (`cfg(test)` on wasm) the split is turned off, so their binary links without the loaders.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::ChooseView;

/// A screen's chunk could not be loaded.
#[derive(Debug, Clone)]
pub struct ChunkError;

impl From<SplitLoaderError> for ChunkError {
    fn from(_: SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Shown in place of a screen whose code could not be fetched.
#[component]
pub fn ChunkFailed() -> impl IntoView {
    let reload = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <section class="berth-page">
            <div class="berth-panel berth-error berth-chunk-failed" role="alert">
                <h1>"This screen could not be loaded"</h1>
                <p>
                    "Its code did not arrive: the network may be down, or a new version of the "
                    "console was deployed since this page was opened."
                </p>
                <button class="berth-btn berth-btn-primary" on:click=reload>"Reload"</button>
            </div>
        </section>
    }
}

/// Read by `cargo xtask bench`: navigation start → a lazily loaded screen's view is built.
fn mark_route_render() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("berth-route-render");
    }
}

/// Declares `$split_fn`, whose `$view` lives in the chunk `$chunk`, and its `$preload_fn`.
/// Screens sharing a `$chunk` share one file (the create and edit forms, say).
macro_rules! lazy_screen {
    ($chunk:ident, $split_fn:ident, $preload_fn:ident, $view:path) => {
        #[cfg(not(test))]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload_fn))]
        fn $split_fn() -> Result<AnyView, ChunkError> {
            Ok($view().into_any())
        }

        // The component tests (wasm-bindgen-test) are not split: their binary must not import
        // the loaders that only `cargo xtask split` provides.
        #[cfg(test)]
        async fn $split_fn() -> Result<AnyView, ChunkError> {
            Ok($view().into_any())
        }

        // A part fetched only when opened (a dialog) has no preload to call.
        #[cfg(test)]
        #[allow(dead_code)]
        async fn $preload_fn() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

pub(crate) use lazy_screen;

/// A part of a screen whose code is a chunk of its own (a tab, a dialog): `load` fetches the chunk
/// and builds the view, under the owner this is called in, so the part reads its context. A task
/// rather than `<Suspense>`: the first screen does not carry Suspense's machinery.
pub fn chunk_view<F>(load: impl FnOnce() -> F + 'static) -> impl IntoView
where
    F: std::future::Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    // The built view, taken once by the render (a view cannot be cloned).
    let slot = RwSignal::new_local(None::<AnyView>);
    // Cancelled if the part goes before its chunk arrives.
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        let view = match load().await {
            Ok(view) => view,
            Err(ChunkError) => view! { <ChunkFailed/> }.into_any(),
        };
        slot.try_set(Some(view));
    });
    move || {
        slot.track();
        match slot.try_update_untracked(Option::take).flatten() {
            Some(view) => view,
            None => view! { <p class="berth-loading" aria-busy="true">"Loading…"</p> }.into_any(),
        }
    }
}

use crate::pages;

// Connections and Actions share a chunk, as the Qovery picker and its containers list do: each
// chunk of its own multiplies the shared chunks the splitter makes (and the first screen's link
// module and exports with them), for screens small and visited together.
lazy_screen!(
    settings,
    connections_view,
    connections_preload,
    pages::connections::ConnectionsPage
);
lazy_screen!(
    settings,
    actions_view,
    actions_preload,
    pages::actions::ActionsPage
);
lazy_screen!(
    qovery_containers,
    qovery_picker_view,
    qovery_picker_preload,
    pages::qovery::picker::QoveryPicker
);
lazy_screen!(
    qovery_containers,
    qovery_containers_view,
    qovery_containers_preload,
    pages::qovery::containers::QoveryContainers
);
lazy_screen!(
    qovery_detail,
    qovery_detail_view,
    qovery_detail_preload,
    pages::qovery::detail::QoveryDetail
);
lazy_screen!(
    qovery_form,
    qovery_new_view,
    qovery_new_preload,
    pages::qovery::form::QoveryNew
);
lazy_screen!(
    qovery_form,
    qovery_edit_view,
    qovery_edit_preload,
    pages::qovery::form::QoveryEdit
);
lazy_screen!(
    kopernik_apps,
    kopernik_apps_view,
    kopernik_apps_preload,
    pages::kopernik::apps::KopernikApps
);
lazy_screen!(
    kopernik_detail,
    kopernik_detail_view,
    kopernik_detail_preload,
    pages::kopernik::detail::KopernikDetail
);
lazy_screen!(
    kopernik_create,
    kopernik_new_view,
    kopernik_new_preload,
    pages::kopernik::create::KopernikNew
);

/// The screens of design.md's routes. The overview is in the main module: `/` needs no chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Overview,
    Connections,
    Actions,
    QoveryPicker,
    QoveryContainers,
    QoveryDetail,
    QoveryNew,
    QoveryEdit,
    KopernikApps,
    KopernikDetail,
    KopernikNew,
}

type Pending<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

impl Screen {
    /// The screen's view, once its chunk is loaded.
    fn load(self) -> Pending<Result<AnyView, ChunkError>> {
        match self {
            Screen::Overview => Box::pin(async { Ok(pages::overview::Overview().into_any()) }),
            Screen::Connections => Box::pin(connections_view()),
            Screen::Actions => Box::pin(actions_view()),
            Screen::QoveryPicker => Box::pin(qovery_picker_view()),
            Screen::QoveryContainers => Box::pin(qovery_containers_view()),
            Screen::QoveryDetail => Box::pin(qovery_detail_view()),
            Screen::QoveryNew => Box::pin(qovery_new_view()),
            Screen::QoveryEdit => Box::pin(qovery_edit_view()),
            Screen::KopernikApps => Box::pin(kopernik_apps_view()),
            Screen::KopernikDetail => Box::pin(kopernik_detail_view()),
            Screen::KopernikNew => Box::pin(kopernik_new_view()),
        }
    }

    /// Fetches the screen's chunk without building it (the router calls it before navigating).
    fn fetch(self) -> Pending<Result<(), SplitLoaderError>> {
        match self {
            Screen::Overview => Box::pin(async { Ok(()) }),
            Screen::Connections => Box::pin(connections_preload()),
            Screen::Actions => Box::pin(actions_preload()),
            Screen::QoveryPicker => Box::pin(qovery_picker_preload()),
            Screen::QoveryContainers => Box::pin(qovery_containers_preload()),
            Screen::QoveryDetail => Box::pin(qovery_detail_preload()),
            Screen::QoveryNew => Box::pin(qovery_new_preload()),
            Screen::QoveryEdit => Box::pin(qovery_edit_preload()),
            Screen::KopernikApps => Box::pin(kopernik_apps_preload()),
            Screen::KopernikDetail => Box::pin(kopernik_detail_preload()),
            Screen::KopernikNew => Box::pin(kopernik_new_preload()),
        }
    }
}

/// Provided around a router's `<Routes>`: true until its first route has been preloaded.
#[derive(Clone)]
pub struct FirstRoute(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Default for FirstRoute {
    fn default() -> Self {
        FirstRoute(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            true,
        )))
    }
}

impl ChooseView for Screen {
    async fn choose(self) -> AnyView {
        match self.load().await {
            Ok(view) => {
                if self != Screen::Overview {
                    mark_route_render();
                }
                view
            }
            Err(ChunkError) => view! { <ChunkFailed/> }.into_any(),
        }
    }

    async fn preload(&self) {
        // The router's first load is not aborted by a navigation: had it waited here for a
        // chunk, a click meanwhile would do nothing, then the late chunk's screen would show at
        // the new URL. So the first route fetches its chunk in `choose`, inside the outlet,
        // which a navigation replaces. Later navigations wait here, keeping the old screen up.
        if let Some(first) = use_context::<FirstRoute>() {
            if first.0.swap(false, std::sync::atomic::Ordering::Relaxed) {
                return;
            }
        }
        // A failure here is reported by `choose`, which tries again.
        let _ = self.fetch().await;
    }
}
