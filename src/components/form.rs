//! What every form shares: its errors (the rules as the user types; a server's 400 or 409 mapped
//! back onto fields), which fields show their error yet, and inputs tied to their error for
//! assistive technology (`aria-invalid`, `aria-describedby`).

use std::collections::HashSet;

use berth_api::FieldError;
use leptos::prelude::*;

/// The forms' layout, in their chunks rather than the first screen's stylesheet (no form is on `/`).
/// Rendered inside each `<form>`: after the stylesheet, so `.berth-check-field` overrides
/// `.berth-field`'s column.
pub const FORM_CSS: &str = ".berth .berth-form h2{margin-bottom:var(--b-space)}\
.berth .berth-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:4px var(--b-space)}\
.berth .berth-check-field{flex-direction:row;align-items:center;gap:8px;padding-top:24px}\
.berth .berth-groups{border:1px solid var(--b-border);border-radius:6px;padding:8px 12px;margin:12px 0 0}\
.berth .berth-groups legend{font-size:13px;padding:0 4px}";

#[derive(Clone, Copy)]
pub struct Form {
    pub errors: Memo<Vec<FieldError>>,
    /// Errors the server named, until the user edits the field.
    pub server: RwSignal<Vec<FieldError>>,
    touched: RwSignal<HashSet<String>>,
    /// After a submit attempt every error shows.
    pub show_all: RwSignal<bool>,
}

/// An element id for a rule path: `machineConfiguration.name` → `f-machineConfiguration-name`.
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    id.extend(path.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

impl Form {
    pub fn new(errors: Memo<Vec<FieldError>>) -> Form {
        Form {
            errors,
            server: RwSignal::new(Vec::new()),
            touched: RwSignal::new(HashSet::new()),
            show_all: RwSignal::new(false),
        }
    }

    pub fn touch(&self, path: &str) {
        if !self.touched.with_untracked(|t| t.contains(path)) {
            self.touched.update(|t| {
                t.insert(path.to_string());
            });
        }
        self.server.update(|s| s.retain(|e| e.path != path));
    }

    /// The message to show at `path`, if any.
    pub fn error(&self, path: impl Into<String>) -> Signal<Option<String>> {
        let path = path.into();
        let form = *self;
        Signal::derive(move || {
            if let Some(e) = form
                .server
                .with(|s| s.iter().find(|e| e.path == path).map(|e| e.message.clone()))
            {
                return Some(e);
            }
            let shown = form.show_all.get() || form.touched.with(|t| t.contains(&path));
            if !shown {
                return None;
            }
            form.errors
                .with(|e| e.iter().find(|e| e.path == path).map(|e| e.message.clone()))
        })
    }

    /// Every error to list in the summary (after a submit attempt).
    pub fn all_errors(&self) -> Vec<FieldError> {
        let mut all = self.server.get();
        all.extend(self.errors.get());
        all
    }
}

/// A labelled input bound to part of the draft, with its error tied to it.
#[component]
pub fn Input(
    form: Form,
    #[prop(into)] path: String,
    #[prop(into)] label: String,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional, into)] kind: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional, into)] readonly: Signal<bool>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional, into)]
    list: Option<String>,
) -> impl IntoView {
    let id = field_id(&path);
    let error = form.error(path.clone());
    let (eid, hid) = (format!("{id}-error"), format!("{id}-hint"));
    let has_hint = hint.is_some();
    let described = {
        let (eid, hid) = (eid.clone(), hid.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hid.clone());
            }
            if error.get().is_some() {
                ids.push(eid.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let p = path.clone();
    view! {
        <div class="berth-field" class:berth-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind.unwrap_or_else(|| "text".into())
                placeholder=placeholder
                autocomplete="off"
                spellcheck="false"
                readonly=move || readonly.get()
                list=list
                prop:value=move || value.get()
                on:input=move |ev| {
                    form.touch(&p);
                    on_input.run(event_target_value(&ev));
                }
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="berth-hint" id=hid>{h}</p> })}
            <p class="berth-field-error" id=eid>{move || error.get()}</p>
        </div>
    }
}

/// A cell input of an editable table row, bound the same way.
#[component]
pub fn Cell(
    form: Form,
    /// The request path its errors are reported under (`ports[0].internal_port`).
    #[prop(into)]
    path: String,
    /// The accessible name ("Port 1 internal").
    #[prop(into)]
    label: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional)] readonly: bool,
    /// The input type; `text` unless given.
    #[prop(optional, into)]
    kind: Option<Signal<&'static str>>,
    #[prop(optional, into)] placeholder: String,
) -> impl IntoView {
    let id = field_id(&path);
    let error = form.error(path.clone());
    let eid = format!("{id}-error");
    let kind = kind.unwrap_or_else(|| Signal::stored("text"));
    view! {
        <td class:berth-invalid=move || error.get().is_some()>
            <input
                id=id
                class="berth-input"
                type=move || kind.get()
                placeholder=placeholder
                aria-label=label
                readonly=readonly
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| {
                    form.touch(&path);
                    on_input.run(event_target_value(&ev));
                }
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=eid.clone()
            />
            <div class="berth-field-error" id=eid.clone()>{move || error.get()}</div>
        </td>
    }
}

/// The list of every error, each linking to its field; shown after a submit attempt.
#[component]
pub fn ErrorSummary(form: Form) -> impl IntoView {
    move || {
        (form.show_all.get() && !form.all_errors().is_empty()).then(|| {
            view! {
                <div id="berth-error-summary" class="berth-panel berth-error" tabindex="-1" role="alert">
                    <p><strong>"Some fields need attention:"</strong></p>
                    <ul>
                        {form.all_errors().into_iter().map(|e| {
                            let id = field_id(&e.path);
                            view! {
                                <li>
                                    <a
                                        href=format!("#{id}")
                                        data-path=e.path.clone()
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_field(&id);
                                        }
                                    >
                                        {berth_api::error::field_label(&e.path)}
                                    </a>
                                    ": "{e.message.clone()}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// A summary link's target: the field takes the focus and comes into view. Done by hand, since
/// the router's hash handling looks the id up in the document, never inside a shadow root.
fn focus_field(id: &str) {
    if let Some(el) = crate::host::element_by_id(id) {
        el.scroll_into_view_with_bool(false);
        if let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&el) {
            let _ = e.focus();
        }
    }
}

/// Moves keyboard focus to the error summary (after a refused submit).
pub fn focus_summary() {
    if let Some(el) = crate::host::element_by_id("berth-error-summary") {
        if let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&el) {
            let _ = e.focus();
        }
    }
}
