//! A confirmation that asks the user to type the name of what they are about to destroy.
//!
//! While its request is in flight (`busy`) it cannot be dismissed: the request goes on either way,
//! and a dialog that vanished would hide what became of it.

use leptos::prelude::*;

#[component]
pub fn ConfirmByName(
    #[prop(into)] title: String,
    #[prop(into)] name: String,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let expected = name.clone();
    let matches = move || typed.get() == expected;
    // `autofocus` does not apply to an element inserted after the page loaded (nor across a
    // shadow root): focus the input once it is in the DOM.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="berth-modal-backdrop">
            <div class="berth-modal" role="dialog" aria-modal="true" aria-labelledby="berth-confirm-title">
                <h2 id="berth-confirm-title">{title}</h2>
                {children.map(|c| c())}
                <label for="berth-confirm-input">"Type " <code>{name.clone()}</code> " to confirm"</label>
                <input
                    id="berth-confirm-input"
                    node_ref=input
                    autocomplete="off"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Escape" && !busy.get_untracked() { on_cancel.run(()) }
                />
                {move || error.get().map(|e| view! { <p class="berth-field-error" role="alert">{e}</p> })}
                {move || busy.get().then(|| view! {
                    <p class="berth-muted berth-small" role="status">"Sent. If you leave this page, the outcome is shown under Actions."</p>
                })}
                <div class="berth-actions">
                    <button
                        class="berth-btn berth-btn-danger"
                        disabled=move || !matches() || busy.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        {move || if busy.get() { "Deleting…" } else { "Delete" }}
                    </button>
                    <button
                        class="berth-btn berth-btn-quiet"
                        data-action="cancel"
                        disabled=move || busy.get()
                        on:click=move |_| if !busy.get_untracked() { on_cancel.run(()) }
                    >
                        "Cancel"
                    </button>
                </div>
            </div>
        </div>
    }
}
