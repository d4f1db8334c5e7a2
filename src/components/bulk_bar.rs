//! The bar above a list with selected rows: how many are selected, one button per batch action,
//! Clear; under it why an action was refused and the last batch's error; and the batch's
//! confirmation, listing what it acts on (a delete asks for the count to be typed).

use leptos::prelude::*;

use crate::components::confirm::ConfirmByName;
use crate::state::selection::Selection;

/// A batch waiting for its confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The action's label, as on its button: "Restart".
    pub verb: &'static str,
    /// What it acts on, as the list names them.
    pub names: Vec<String>,
    /// A delete: the count must be typed, and the bar's children are shown in the dialog.
    pub typed: bool,
}

/// In the lists' chunks, not the first screen's stylesheet: `/` has no selection.
const BULK_CSS: &str =
    ".berth .berth-bulk-bar{display:flex;align-items:center;gap:8px;flex-wrap:wrap;margin:0 0 var(--b-space)}";

#[component]
pub fn BulkBar(
    selection: Selection,
    /// The bar's accessible name: "Selected containers".
    label: &'static str,
    /// What a batch is made of, in its dialog's title: "container(s)".
    noun: &'static str,
    /// Each button's `data-bulk` key and label; a `delete` one is marked dangerous.
    actions: Vec<(&'static str, &'static str)>,
    /// How many selected rows the table does not show (search, filter); none when not given.
    #[prop(optional, into)]
    hidden: Option<Signal<usize>>,
    /// A batch is being sent: the buttons wait.
    #[prop(into)]
    busy: Signal<bool>,
    /// The batch being confirmed.
    #[prop(into)]
    asking: Signal<Option<Batch>>,
    /// The batch's error: in its dialog while open, then here until Clear or the next batch.
    error: RwSignal<Option<String>>,
    /// Why the last action asked for cannot apply to the selection.
    #[prop(optional)]
    blocked: Option<RwSignal<Option<String>>>,
    /// A button clicked: its index in `actions`.
    on_action: Callback<usize>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    /// Shown in a delete's dialog, under the names.
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let count = move || match (selection.len(), hidden.map_or(0, |h| h.get())) {
        (n, 0) => format!("{n} selected"),
        (n, h) => format!("{n} selected ({h} not shown by the search or filter)"),
    };
    let clear = move |_| {
        selection.clear();
        if let Some(b) = blocked {
            b.set(None);
        }
        error.set(None);
    };
    view! {
        <style>{BULK_CSS}</style>
        <Show when=move || !selection.is_empty()>
            <div class="berth-bulk-bar" role="region" aria-label=label>
                <strong class="berth-bulk-count" role="status">{count}</strong>
                {actions.iter().enumerate().map(|(i, &(key, text))| view! {
                    <button
                        type="button"
                        class="berth-btn berth-btn-small"
                        class:berth-danger=key == "delete"
                        data-bulk=key
                        disabled=move || busy.get()
                        on:click=move |_| on_action.run(i)
                    >
                        {text}
                    </button>
                }).collect_view()}
                <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" on:click=clear>"Clear"</button>
            </div>
        </Show>
        {move || blocked.and_then(|b| b.get()).map(|m| view! { <p class="berth-panel berth-notice" role="alert" data-bulk-blocked="">{m}</p> })}
        {move || asking.with(Option::is_none).then(|| error.get()).flatten().map(|m| view! {
            <p class="berth-panel berth-error" role="alert" data-bulk-error="">{m}</p>
        })}
        {move || asking.get().map(|batch| {
            let n = batch.names.len();
            let names = batch.names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view();
            let more = batch.typed.then(|| children.clone()).flatten();
            view! {
                <ConfirmByName
                    title=format!("{} {n} {noun}?", batch.verb)
                    name=batch.typed.then(|| n.to_string())
                    confirm_label=(!batch.typed).then(|| format!("{} {n}", batch.verb))
                    busy=busy
                    error=error
                    on_confirm=on_confirm
                    on_cancel=on_cancel
                >
                    <ul class="berth-bulk-names">{names}</ul>
                    {more.map(|c| c())}
                </ConfirmByName>
            }
        })}
    }
}
