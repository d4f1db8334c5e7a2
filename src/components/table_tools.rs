//! The parts every list shares: a search box and a status filter that write the URL query, and
//! sortable column headers.

use crate::state::table::TableQuery;
use crate::state::url_query::{use_url_query, UrlQuery};
use leptos::prelude::*;

/// The table query of the current URL, and a setter that writes it back (debounced, replacing
/// history: `state::url_query`).
pub fn use_table_query() -> (Memo<TableQuery>, Callback<TableQuery>) {
    use_table_query_in(use_url_query())
}

/// The same over a screen's own `UrlQuery`, when it keeps other parameters there too.
pub fn use_table_query_in(url: UrlQuery) -> (Memo<TableQuery>, Callback<TableQuery>) {
    let query = Memo::new(move |_| TableQuery::from_params(|k| url.get(k)));
    let set = Callback::new(move |q: TableQuery| url.replace(q.to_params(&url.all_untracked())));
    (query, set)
}

#[component]
pub fn SearchBox(
    query: Memo<TableQuery>,
    set: Callback<TableQuery>,
    #[prop(into)] label: String,
) -> impl IntoView {
    view! {
        <input
            class="berth-search"
            type="search"
            placeholder=label.clone()
            aria-label=label
            prop:value=move || query.with(|q| q.search.clone())
            on:input=move |ev| {
                let mut q = query.get_untracked();
                q.search = event_target_value(&ev);
                set.run(q);
            }
        />
    }
}

#[component]
pub fn StatusFilter(
    query: Memo<TableQuery>,
    set: Callback<TableQuery>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <select
            class="berth-select"
            aria-label="Filter by status"
            prop:value=move || query.with(|q| q.status.clone().unwrap_or_default())
            on:change=move |ev| {
                let mut q = query.get_untracked();
                let v = event_target_value(&ev);
                q.status = (!v.is_empty()).then_some(v);
                set.run(q);
            }
        >
            <option value="">"All statuses"</option>
            // Each option says whether it is chosen: the select's value, set before the options
            // arrive (a link with `?status=`), would stay on "All statuses".
            {move || options.get().into_iter().map(|(value, label)| {
                let chosen = query.with_untracked(|q| q.status.as_deref() == Some(value.as_str()));
                view! { <option value=value selected=chosen>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// A column header that sorts by `col`; `aria-sort` tells assistive technology the order.
#[component]
pub fn SortHeader(
    query: Memo<TableQuery>,
    set: Callback<TableQuery>,
    col: &'static str,
    label: &'static str,
    #[prop(optional)] num: bool,
) -> impl IntoView {
    let state = move || {
        query.with(|q| match (q.sort.as_deref() == Some(col), q.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        })
    };
    let arrow = move || match state() {
        "ascending" => " ↑",
        "descending" => " ↓",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=state class:num=num>
            <button class="berth-sort" on:click=move |_| set.run(query.get_untracked().toggled(col))>
                {label}{arrow}
            </button>
        </th>
    }
}

/// The rows to show, as indexes into `rows`: sorted (a direction flip reuses the sort) then
/// filtered by the query's search words and status.
pub fn use_visible_rows<R: crate::state::table::Row + Send + Sync + 'static>(
    rows: RwSignal<Vec<R>>,
    query: Memo<TableQuery>,
) -> Memo<Vec<usize>> {
    use crate::state::table::{filtered, sorted};
    let sort = Memo::new(move |_| query.with(|q| q.sort.clone()));
    let ascending = Memo::new(move |_| {
        let col = sort.get();
        rows.with(|r| sorted(r, col.as_deref(), false))
    });
    let desc = Memo::new(move |_| query.with(|q| q.desc));
    let order = Memo::new(move |_| {
        let mut o = ascending.get();
        if desc.get() && sort.with(Option::is_some) {
            o.reverse();
        }
        o
    });
    Memo::new(move |_| {
        let (search, status) = query.with(|q| (q.search.clone(), q.status.clone()));
        rows.with(|r| order.with(|o| filtered(r, o, &search, status.as_deref())))
    })
}
