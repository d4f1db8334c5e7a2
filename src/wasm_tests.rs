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

/// The live list keeps its rows when a refresh fails, starts over when its key changes, and never
/// lets the old key's late answer land; nothing runs after its screen is gone.
#[wasm_bindgen_test]
async fn a_live_list_keeps_rows_on_failure_and_never_takes_an_old_keys_answer() {
    use futures::channel::oneshot;

    use crate::state::live_list::{use_live_list, ListSource, Load};

    type Answer = Result<(Vec<String>, ()), ApiError>;

    /// Loads wait for the test to answer them.
    #[derive(Clone, Copy)]
    struct Source {
        key: RwSignal<u32>,
        asked: StoredValue<Vec<(u32, oneshot::Sender<Answer>)>, LocalStorage>,
    }

    impl ListSource for Source {
        type Key = u32;
        type Row = String;
        type Extra = ();
        fn key(&self) -> u32 {
            self.key.get()
        }
        fn load(&self, key: u32, _: ()) -> Load<String, ()> {
            let (tx, rx) = oneshot::channel();
            self.asked.update_value(|a| a.push((key, tx)));
            Box::pin(async move {
                rx.await
                    .unwrap_or_else(|_| Err(ApiError::malformed(0, "dropped", "")))
            })
        }
        fn interval(&self, _: &[String]) -> std::time::Duration {
            std::time::Duration::from_secs(600)
        }
    }

    async fn settle() {
        for _ in 0..3 {
            leptos::task::tick().await;
        }
    }
    // The source outlives the screen's owner, so the test can still answer after the clean-up.
    let outer = Owner::new();
    let source = outer.with(|| Source {
        key: RwSignal::new(0),
        asked: StoredValue::new_local(Vec::new()),
    });
    let answer = |key: u32, answer: Answer| {
        let tx = source.asked.try_update_value(|a| {
            let i = a.iter().position(|(k, _)| *k == key)?;
            Some(a.remove(i).1)
        });
        let sent = tx.flatten().map(|tx| tx.send(answer).is_ok());
        assert!(sent.is_some(), "no load of key {key} was waiting");
        sent.unwrap_or(false)
    };
    let rows = |list: &crate::state::live_list::LiveList<Source>| list.rows.get_untracked();
    let owner = Owner::new();
    let list = owner.with(|| use_live_list(source));
    settle().await;
    assert!(answer(0, Ok((vec!["a".into()], ()))));
    settle().await;
    assert_eq!(rows(&list), vec!["a".to_string()]);
    assert!(list.live.loaded_at.get_untracked().is_some());

    owner.with(|| list.reload());
    assert!(answer(0, Err(ApiError::malformed(500, "broken", ""))));
    settle().await;
    assert_eq!(
        rows(&list),
        vec!["a".to_string()],
        "a failed refresh keeps the rows"
    );
    assert!(list.live.error.get_untracked().is_some());

    // A refresh of key 0 is in flight when the key becomes 1.
    owner.with(|| list.reload());
    source.key.set(1);
    settle().await;
    assert!(rows(&list).is_empty(), "a new key starts from nothing");
    assert!(
        !answer(0, Ok((vec!["stale".into()], ()))),
        "the old key's load was cancelled"
    );
    assert!(answer(1, Ok((vec!["b".into()], ()))));
    settle().await;
    assert_eq!(rows(&list), vec!["b".to_string()]);
    assert!(list.live.error.get_untracked().is_none());

    owner.with(|| list.reload());
    owner.cleanup();
    settle().await;
    assert!(
        !answer(1, Ok((vec!["late".into()], ()))),
        "the screen's load ended with it"
    );
}

/// The check before every request reads the URL as the browser does: a base URL hiding a tab
/// (`/\t/evil.example`, which the browser reads as `//evil.example`) or a request URL that left
/// the base's host is refused; the page's own paths and the named host pass.
#[wasm_bindgen_test]
fn a_request_goes_only_to_the_origin_its_base_url_names() {
    use crate::api::http::stays_on_base;
    let page = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .expect("origin");
    assert_eq!(
        stays_on_base("/api/qovery", "/api/qovery/organization"),
        Ok(())
    );
    assert_eq!(
        stays_on_base("/api", &format!("{page}/api/organization")),
        Ok(())
    );
    assert_eq!(
        stays_on_base("https://api.example", "https://api.example/organization"),
        Ok(())
    );
    for (base, target) in [
        ("/\t/evil.example/api", "/\t/evil.example/api/organization"),
        ("/\n/evil.example", "/\n/evil.example/x"),
        ("/api", "//evil.example/api"),
        ("/api", "/\\evil.example/api"),
        ("https://api.example", "https://evil.example/organization"),
    ] {
        let refused = stays_on_base(base, target).expect_err(target);
        assert!(refused.contains("evil.example"), "{refused}");
    }
}
