//! "Paste `docker run` or JSON": fills a form from what the user already has and says what it
//! took and what it left out, and why. Each form supplies how a text becomes its draft; nothing is
//! sent until the user submits.

use leptos::prelude::*;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
pub const PASTE_CSS: &str = ".berth .berth-paste{margin-top:12px}.berth .berth-paste textarea{display:block;width:100%;margin:8px 0;font-family:var(--b-mono);font-size:13px;background:var(--b-surface);color:var(--b-text);border:1px solid var(--b-border);border-radius:6px;padding:8px}.berth .berth-paste summary{cursor:pointer;font-weight:600}.berth .berth-paste-report ul{margin:8px 0 0;padding-left:20px}";

/// What a pasted text did to a form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub taken: Vec<String>,
    /// What was left out, and why.
    pub ignored: Vec<(String, String)>,
}

impl Report {
    pub fn take(&mut self, what: impl Into<String>) {
        self.taken.push(what.into());
    }

    pub fn leave(&mut self, what: impl Into<String>, why: &str) {
        self.ignored.push((what.into(), why.to_string()));
    }

    /// The flags the `docker run` parser set aside itself (`-d`, `--network`…), with its reasons.
    pub fn leave_unread_flags(&mut self, run: &berth_api::docker_run::DockerRun) {
        for i in &run.ignored {
            self.leave(i.what.clone(), &i.why);
        }
    }
}

#[component]
pub fn PasteBox(
    /// Applies the text to the form: what it took, or why it could not.
    fill: Callback<String, Result<Report, String>>,
    hint: &'static str,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Report, String>>);
    let error = move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned()));
    view! {
        <style>{PASTE_CSS}</style>
        <details class="berth-panel berth-paste">
            <summary>"Paste " <code>"docker run"</code> " or JSON"</summary>
            <label for="paste-input">"A " <code>"docker run"</code> " line, or a JSON body of this form's request"</label>
            <textarea
                id="paste-input"
                class="berth-input berth-mono"
                rows="4"
                spellcheck="false"
                aria-describedby="paste-hint paste-error"
                aria-invalid=move || error().is_some().then_some("true")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <p class="berth-hint" id="paste-hint">{hint}</p>
            <p class="berth-field-error" id="paste-error" role="alert">{error}</p>
            <div class="berth-actions">
                <button type="button" class="berth-btn" on:click=move |_| result.set(Some(fill.run(text.get_untracked())))>
                    "Fill the form"
                </button>
            </div>
            {move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().ok().cloned())).map(|report| view! {
                <div class="berth-paste-report" role="status">
                    <p><strong>"Filled in: "</strong>{report.taken.join(" · ")}</p>
                    {(!report.ignored.is_empty()).then(|| view! {
                        <p><strong>"Left out:"</strong></p>
                        <ul>
                            {report.ignored.into_iter().map(|(what, why)| view! {
                                <li><code>{what}</code>": "{why}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    <p class="berth-muted">"Check the form below: nothing is sent until you submit."</p>
                </div>
            })}
        </details>
    }
}
