//! The frame every live list shares: a toolbar (the screen's tools, when it was updated, Refresh,
//! the screen's main action), notices, the load error (over the last rows once some loaded), then
//! a skeleton, the empty state or the table, and what follows it (a count, a pager). Used by the
//! Qovery containers and the Kopernik apps; All apps, on the first screen, lays out the same parts
//! itself to stay within that screen's size budget.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::updated::Updated;
use crate::state::live::Live;
use crate::state::table::ListShape;

/// The parts are generic, not `ViewFn`s: a screen's parts then stay in the screen's chunk (a
/// `dyn` view's code lands in the first screen's wasm, measured at +6 KB brotli).
#[component]
#[allow(clippy::too_many_arguments)]
pub fn LiveTable<
    Tools,
    ToolsV,
    Action,
    ActionV,
    Notices,
    NoticesV,
    Empty,
    EmptyV,
    Head,
    HeadV,
    Rows,
    RowsV,
    Footer,
    FooterV,
>(
    /// The table's accessible name.
    label: &'static str,
    live: Live,
    /// The error to show (a screen may show some errors elsewhere, e.g. at a filter input).
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    #[prop(into)] shape: Signal<ListShape>,
    #[prop(into)] on_refresh: Callback<()>,
    /// Search and filters, left of the toolbar.
    tools: Tools,
    /// The main action, right of Refresh.
    action: Action,
    /// Between the toolbar and the error: notices.
    notices: Notices,
    empty: Empty,
    /// The header row.
    head: Head,
    /// The body rows.
    rows: Rows,
    /// Under the table: a count or a pager.
    footer: Footer,
) -> impl IntoView
where
    Tools: FnOnce() -> ToolsV,
    ToolsV: IntoView + 'static,
    Action: FnOnce() -> ActionV,
    ActionV: IntoView + 'static,
    Notices: FnOnce() -> NoticesV,
    NoticesV: IntoView + 'static,
    Empty: Fn() -> EmptyV + Send + Sync + 'static,
    EmptyV: IntoView + 'static,
    Head: Fn() -> HeadV + Send + Sync + 'static,
    HeadV: IntoView + 'static,
    Rows: Fn() -> RowsV + Send + Sync + 'static,
    RowsV: IntoView + 'static,
    Footer: Fn() -> FooterV + Send + Sync + 'static,
    FooterV: IntoView + 'static,
{
    let loading = live.loading;
    view! {
        <div class="berth-toolbar">
            {tools()}
            <span class="berth-spacer"></span>
            <Updated at=live.loaded_at refreshing=loading/>
            <button class="berth-btn berth-btn-quiet" on:click=move |_| on_refresh.run(()) disabled=move || loading.get()>"Refresh"</button>
            {action()}
        </div>
        {notices()}
        {move || error.get().map(|e| {
            let stale = live.loaded_at.with_untracked(Option::is_some);
            view! { <ErrorPanel error=e on_retry=on_refresh stale=stale/> }
        })}
        {move || match shape.get() {
            ListShape::Skeleton => view! {
                <div class="berth-skeleton" aria-busy="true" aria-label=format!("Loading {}", crate::text::lower(label))>
                    {(0..4).map(|_| view! { <div class="berth-skeleton-row"></div> }).collect_view()}
                </div>
            }.into_any(),
            ListShape::Empty => view! { <div class="berth-panel berth-empty">{empty()}</div> }.into_any(),
            ListShape::Nothing => ().into_any(),
            ListShape::Rows => view! {
                <table class="berth-table" aria-label=label aria-busy=move || loading.get().to_string()>
                    <thead>{head()}</thead>
                    <tbody>{rows()}</tbody>
                </table>
                {footer()}
            }.into_any(),
        }}
    }
}
