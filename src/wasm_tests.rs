//! Component tests: mounted into a real DOM in headless Chromium (wasm-bindgen-test).

use berth_api::http::ApiError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::components::error_panel::ErrorPanel;
use crate::components::field::TextField;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el.unchecked_into()
}

#[wasm_bindgen_test]
async fn text_field_ties_its_error_to_the_input_and_writes_its_signal() {
    let root = container();
    let value = RwSignal::new("start".to_string());
    let error = RwSignal::new(None::<String>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <TextField id="f1" label="Name" value=value error=error hint="A hint"/> }
    });
    // Properties (`prop:value`) are applied by effects, after the first tick.
    leptos::task::tick().await;
    let input: web_sys::HtmlInputElement = root
        .query_selector("#f1")
        .unwrap()
        .expect("input")
        .unchecked_into();
    assert_eq!(input.value(), "start");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("f1-hint")
    );

    error.set(Some("must not be empty".into()));
    leptos::task::tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("f1-hint f1-error")
    );
    let message = root
        .query_selector("#f1-error")
        .unwrap()
        .expect("error element");
    assert_eq!(message.text_content().as_deref(), Some("must not be empty"));

    input.set_value("typed");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(value.get_untracked(), "typed");
}

#[wasm_bindgen_test]
async fn error_panel_shows_status_request_id_and_renders_api_text_as_text() {
    let root = container();
    let error = ApiError {
        status: Some(500),
        message: "<img src=x onerror=alert(1)>".into(),
        request_id: Some("req-42".into()),
        raw: String::new(),
        retry_after: None,
    };
    let retried = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <ErrorPanel error=error on_retry=move |_| retried.update(|n| *n += 1)/> }
    });
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("req-42"), "{text}");
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "API text became markup"
    );
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .unwrap()
        .expect("retry")
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked(), 1);
}

/// A task of a screen resumes while the screen lives, and never after it is cleaned up or its
/// tasks are cancelled: nothing runs on disposed signals.
#[wasm_bindgen_test]
async fn a_screen_task_never_resumes_after_its_screen_is_gone() {
    use std::cell::Cell;
    use std::rc::Rc;

    use crate::state::task::Tasks;

    async fn run(end: &str) -> bool {
        let owner = Owner::new();
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let resumed = Rc::new(Cell::new(false));
        let flag = resumed.clone();
        let tasks = owner.with(|| {
            let tasks = Tasks::new();
            tasks.spawn(async move {
                let _ = rx.await;
                flag.set(true);
            });
            tasks
        });
        leptos::task::tick().await;
        match end {
            "cleanup" => owner.cleanup(),
            "cancel" => owner.with(|| tasks.cancel_all()),
            _ => {}
        }
        let _ = tx.send(());
        leptos::task::tick().await;
        leptos::task::tick().await;
        resumed.get()
    }
    assert!(run("live").await, "a live screen's task resumes");
    assert!(
        !run("cleanup").await,
        "resumed after its screen was cleaned up"
    );
    assert!(!run("cancel").await, "resumed after it was cancelled");
}
