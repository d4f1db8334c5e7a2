//! The frame every live list shares: a toolbar (the screen's tools, when it was updated, Refresh,
//! the screen's main action), notices, the load error (over the last rows once some loaded), then
//! a skeleton, the empty state or the table, and what follows it (a count, "load more"). Used by
//! the Qovery containers and the Kopernik apps; All apps, on the first screen, lays out the same
//! parts itself to stay within that screen's size budget.
//!
//! The body is a virtual list ([`VirtualRows`]): however many rows are loaded, only those in view
//! and a few around them are in the page, between two spacers; the arrow keys, Page Up/Down,
//! Home and End move the focus through every row, and `aria-rowcount` / `aria-rowindex` tell a
//! screen reader where it is.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::updated::Updated;
use crate::state::live::Live;
use crate::state::table::ListShape;
use crate::state::virtual_rows::{VirtualRows, RENDER_ALL_UP_TO, TABLE_ROW};

/// The shell's own CSS, in the screens' chunks rather than the first screen's stylesheet. Body
/// rows are held to [`TABLE_ROW`] pixels: the window's arithmetic counts on it. No scroll
/// anchoring: the browser would move the scroll to follow a reused row as the window moves.
const TABLE_CSS: &str = "\
.berth .berth-table-scroll{max-height:70vh;overflow:auto;overflow-anchor:none;border:1px solid var(--b-border);border-radius:var(--b-radius);background:var(--b-surface)}\
.berth .berth-table-scroll .berth-table{border:0;border-radius:0;overflow:visible}\
.berth .berth-table-scroll thead th{position:sticky;top:0;z-index:1;box-shadow:inset 0 -1px 0 var(--b-border)}\
.berth .berth-table-scroll tbody tr{height:44px}\
.berth .berth-table-scroll td{white-space:nowrap;padding:0 8px}\
.berth .berth-table-scroll th{padding:10px 8px}\
.berth .berth-table-scroll tbody tr:focus-visible{outline:2px solid var(--b-accent);outline-offset:-2px}\
.berth .berth-table-scroll tr.berth-vspace{height:auto}\
.berth .berth-table.berth-windowed{table-layout:fixed}\
.berth .berth-windowed td{overflow:hidden;text-overflow:ellipsis}\
.berth .berth-windowed th.berth-select-cell{width:44px}\
.berth .berth-windowed th:nth-child(2){width:14rem}\
.berth .berth-windowed th:last-child{width:10rem}\
.berth .berth-windowed[aria-label=Containers] th:last-child{width:24rem}\
.berth .berth-table-scroll tr.berth-vspace td{padding:0;border:0}\
.berth .berth-menu{display:inline-block;margin-left:4px}\
.berth .berth-menu>summary{list-style:none;cursor:pointer}\
.berth .berth-menu>summary::-webkit-details-marker{display:none}\
.berth .berth-menu-list{position:fixed;z-index:20;display:flex;flex-direction:column;gap:4px;padding:6px;background:var(--b-surface);border:1px solid var(--b-border);border-radius:var(--b-radius);box-shadow:0 4px 16px rgba(0,0,0,.15)}\
.berth .berth-menu-list .berth-btn{width:100%;text-align:left;margin:0}\
.berth .berth-menu-item.berth-hidden{display:none}";

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
    Before,
    BeforeV,
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
    /// Body rows above the window (few: unreadable items, creates on their way).
    before: Before,
    /// The window's rows: `window.shown`, each `tr` with `data-pos`, `aria-rowindex` and
    /// `tabindex` from `window`.
    rows: Rows,
    window: VirtualRows,
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
    Before: Fn() -> BeforeV + Send + Sync + 'static,
    BeforeV: IntoView + 'static,
    Rows: Fn() -> RowsV + Send + Sync + 'static,
    RowsV: IntoView + 'static,
    Footer: Fn() -> FooterV + Send + Sync + 'static,
    FooterV: IntoView + 'static,
{
    let loading = live.loading;
    // Measured once the box is there, then on each scroll.
    Effect::new(move |_| {
        if window.scroller.get().is_some() {
            window.measure();
        }
    });
    // Rows are reused as the window moves: the focus follows its row, not the element.
    Effect::new(move |_| {
        window.range.track();
        request_animation_frame(move || window.keep_focus());
    });
    let windowed = Memo::new(move |_| window.len() > RENDER_ALL_UP_TO);
    let spacer = move |px: f64| format!("height:{px}px");
    let above = move || spacer(window.range.get().0 as f64 * TABLE_ROW);
    let below = move || {
        let (end, len) = (window.range.get().1, window.visible.with(Vec::len));
        spacer(len.saturating_sub(end) as f64 * TABLE_ROW)
    };
    view! {
        <style>{TABLE_CSS}</style>
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
            ListShape::Skeleton => view! { <Skeleton label=label/> }.into_any(),
            ListShape::Empty => view! { <div class="berth-panel berth-empty">{empty()}</div> }.into_any(),
            ListShape::Nothing => ().into_any(),
            ListShape::Rows => view! {
                <div class="berth-table-scroll" node_ref=window.scroller on:scroll=move |_| window.measure()>
                    // A windowed table's columns are fixed: sized by the rows in view, they would
                    // change width as it scrolls (and a wider row would add a scrollbar).
                    <table
                        class="berth-table"
                        class:berth-windowed=windowed
                        aria-label=label
                        aria-busy=move || loading.get().to_string()
                        aria-rowcount=move || (window.len() + 1 + window.before.get()).to_string()
                    >
                        // The spacers are outside the body, so `tbody tr` is every rendered row;
                        // one cell each (a colspan would add columns to a fixed layout).
                        <thead>
                            {head()}
                            <tr class="berth-vspace" aria-hidden="true"><td style=above></td></tr>
                        </thead>
                        <tbody on:keydown=move |ev| on_key(window, ev) on:focusin=move |ev| on_focus(window, ev)>
                            {before()}
                            {rows()}
                        </tbody>
                        <tfoot aria-hidden="true">
                            <tr class="berth-vspace"><td style=below></td></tr>
                        </tfoot>
                    </table>
                </div>
                {footer()}
            }.into_any(),
        }}
    }
}

/// The arrow keys, Page Up/Down, Home and End on a focused row move the focus through every row.
fn on_key(window: VirtualRows, ev: web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    // Only a focused row moves: keys in a row's inputs and buttons keep their meaning.
    let Some(pos) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.tag_name() == "TR")
        .and_then(|e| e.get_attribute("data-pos"))
        .and_then(|p| p.parse::<usize>().ok())
    else {
        return;
    };
    let last = window.len().saturating_sub(1);
    let page = ((window.height.get_untracked() / TABLE_ROW) as usize)
        .saturating_sub(2)
        .max(1);
    let to = match ev.key().as_str() {
        "ArrowDown" => (pos + 1).min(last),
        "ArrowUp" => pos.saturating_sub(1),
        "PageDown" => (pos + page).min(last),
        "PageUp" => pos.saturating_sub(page),
        "Home" => 0,
        "End" => last,
        _ => return,
    };
    ev.prevent_default();
    window.focus_row(to);
}

/// The focus came into a row (a click, Tab): that row is the window's focused row (the one in
/// the tab order, and the one the focus goes back to as the window moves).
fn on_focus(window: VirtualRows, ev: web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(pos) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("tr[data-pos]").ok().flatten())
        .and_then(|e| e.get_attribute("data-pos"))
        .and_then(|p| p.parse::<usize>().ok())
    {
        window.focus.set(pos);
    }
}

/// While the first rows load.
#[component]
fn Skeleton(label: &'static str) -> impl IntoView {
    view! {
        <div class="berth-skeleton" aria-busy="true" aria-label=format!("Loading {}", crate::text::lower(label))>
            {(0..4).map(|_| view! { <div class="berth-skeleton-row"></div> }).collect_view()}
        </div>
    }
}
