//! One editable table for every list a form edits (ports, env, disks and mounts, storage): a row
//! per item with its cells, a remove button per row, an add button. The caller renders the cells.

use leptos::prelude::*;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
const EDIT_TABLE_CSS: &str = ".berth .berth-edit-table{margin-bottom:8px}.berth .berth-edit-table td{padding:6px 8px;vertical-align:top}.berth .berth-edit-table .berth-input{width:100%}.berth .berth-edit-table .berth-field-error:empty{display:none}";

#[component]
pub fn EditTable(
    /// Names the table for assistive technology.
    #[prop(into)]
    caption: String,
    headers: Vec<&'static str>,
    #[prop(into)] len: Signal<usize>,
    /// The cells (`<td>`s) of row `i`.
    row: Callback<usize, AnyView>,
    on_add: Callback<()>,
    on_remove: Callback<usize>,
    #[prop(into)] add_label: String,
    /// Rows are set elsewhere (a template): no add or remove.
    #[prop(optional, into)]
    fixed: Signal<bool>,
) -> impl IntoView {
    let aria = caption.clone();
    view! {
        <style>{EDIT_TABLE_CSS}</style>
        <table class="berth-table berth-edit-table" aria-label=aria>
            <thead><tr>
                {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                <th scope="col"><span class="berth-sr">"Remove"</span></th>
            </tr></thead>
            <tbody>
                <For
                    each=move || 0..len.get()
                    key=|i| *i
                    children=move |i| view! {
                        <tr>
                            {row.run(i)}
                            <td class="berth-row-actions">
                                <Show when=move || !fixed.get()>
                                    <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" aria-label=format!("Remove row {}", i + 1) on:click=move |_| on_remove.run(i)>"✕"</button>
                                </Show>
                            </td>
                        </tr>
                    }
                />
            </tbody>
        </table>
        <Show when=move || !fixed.get()>
            <button type="button" class="berth-btn berth-btn-small" on:click=move |_| on_add.run(())>{add_label.clone()}</button>
        </Show>
    }
}
