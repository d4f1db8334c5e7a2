//! A confirmation dialog: a title, what it acts on, Confirm and Cancel. A delete asks the user to
//! type the name of what they are about to destroy (or the count of a batch) first.
//!
//! While its request is in flight (`busy`) it cannot be dismissed: the request goes on either way,
//! and a dialog that vanished would hide what became of it.

use leptos::prelude::*;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
const MODAL_CSS: &str = ".berth .berth-modal-backdrop{position:fixed;inset:0;background:rgba(10,14,20,.45);display:flex;align-items:flex-start;justify-content:center;padding-top:12vh;z-index:10}.berth .berth-modal{width:min(480px,92vw);background:var(--b-surface);color:var(--b-text);border:1px solid var(--b-border);border-radius:var(--b-radius);padding:calc(var(--b-space) * 1.25);box-shadow:0 12px 40px rgba(0,0,0,.25)}.berth .berth-modal label{display:block;font-size:13px;margin:12px 0 4px}.berth .berth-modal input[type=text],.berth .berth-modal input:not([type]){width:100%;font:inherit;padding:7px 10px;border-radius:6px;border:1px solid var(--b-border);background:var(--b-surface);color:var(--b-text)}.berth .berth-radio{display:flex;gap:8px;align-items:center;margin:6px 0}.berth .berth-btn-danger{background:var(--b-error);border-color:var(--b-error);color:#fff}";

#[component]
pub fn ConfirmByName(
    #[prop(into)] title: String,
    /// What must be typed before Delete is enabled; `None` for a plain confirmation.
    #[prop(optional_no_strip, into)]
    name: Option<String>,
    /// A plain confirmation's button ("Restart 3").
    #[prop(optional_no_strip, into)]
    confirm_label: Option<String>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let by_name = name.is_some();
    let expected = name.clone();
    let matches = move || expected.as_ref().is_none_or(|n| typed.with(|t| t == n));
    let escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && !busy.get_untracked() {
            on_cancel.run(())
        }
    };
    // `autofocus` does not apply to an element inserted after the page loaded (nor across a
    // shadow root): focus the input (with nothing to type, the button) once it is in the DOM.
    let input = NodeRef::<leptos::html::Input>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        } else if let Some(el) = button.get() {
            let _ = el.focus();
        }
    });
    let label = move || match (&confirm_label, busy.get()) {
        (Some(label), _) => label.clone(),
        (None, true) => "Deleting…".into(),
        (None, false) => "Delete".into(),
    };
    view! {
        <style>{MODAL_CSS}</style>
        <div class="berth-modal-backdrop">
            // With a name to type, Escape is heard at its input only.
            <div
                class="berth-modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="berth-confirm-title"
                on:keydown=move |ev| if !by_name { escape(ev) }
            >
                <h2 id="berth-confirm-title">{title}</h2>
                {children.map(|c| c())}
                {name.map(|name| view! {
                    <label for="berth-confirm-input">"Type " <code>{name}</code> " to confirm"</label>
                    <input
                        id="berth-confirm-input"
                        node_ref=input
                        autocomplete="off"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        on:keydown=escape
                    />
                })}
                {move || error.get().map(|e| view! { <p class="berth-field-error" role="alert">{e}</p> })}
                {move || busy.get().then(|| view! {
                    <p class="berth-muted berth-small" role="status">"Sent. If you leave this page, the outcome is shown under Actions."</p>
                })}
                <div class="berth-actions">
                    <button
                        node_ref=button
                        type="button"
                        class=if by_name { "berth-btn berth-btn-danger" } else { "berth-btn berth-btn-primary" }
                        data-action="confirm"
                        disabled=move || !matches() || busy.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        {label}
                    </button>
                    <button
                        type="button"
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
