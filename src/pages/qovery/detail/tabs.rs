//! The page's tabs and the panel of the one chosen. Each tab's code is a chunk of its own,
//! fetched the first time the tab is opened: a deep link to a container carries only its page
//! and the tab it shows.

use berth_api::config::Connection;
use berth_api::qovery::{ContainerResponse, ServiceAction, Status};
use leptos::prelude::*;

use super::TABS;
use crate::chunks::{chunk_view, lazy_screen, ChunkError};
use crate::pages::qovery::history::HistoryLinks;
use crate::state::url_query::UrlQuery;

/// What the tabs read of the page (provided as context: a chunk's entry takes no arguments).
#[derive(Clone, Copy)]
pub struct TabProps {
    pub conn: StoredValue<Connection>,
    pub shown_id: Memo<Option<String>>,
    pub container: Memo<Option<ContainerResponse>>,
    pub status: Memo<Option<Status>>,
    pub raw: Memo<Option<serde_json::Value>>,
    pub busy: RwSignal<Option<ServiceAction>>,
    pub on_deploy_tag: Callback<String>,
    pub history_links: HistoryLinks,
    /// Reads the container again (saved variables change its status).
    pub refresh: Callback<()>,
    /// The page's query string: a tab that moves to another tab (`?tab=logs&pod=…`) or keeps its
    /// own state there (`?range=6h`) uses the page's, so the page sees the change.
    pub url: UrlQuery,
}

impl TabProps {
    pub fn id(&self) -> String {
        self.shown_id.get_untracked().unwrap_or_default()
    }

    pub fn name(&self) -> String {
        self.container
            .with_untracked(|c| c.as_ref().map(|c| c.name.clone()))
            .unwrap_or_default()
    }
}

/// The tab list; the chosen tab is the URL's `tab`.
#[component]
pub(super) fn Tabs(tab: Memo<&'static str>, url: UrlQuery) -> impl IntoView {
    view! {
        <div class="berth-tabs" role="tablist" aria-label="Container sections">
            {TABS.iter().map(|(key, label)| view! {
                <button type="button" role="tab" id=format!("berth-tab-{key}")
                    aria-controls="berth-tab-panel"
                    aria-selected=move || (tab.get() == *key).to_string()
                    tabindex=move || if tab.get() == *key { "0" } else { "-1" }
                    on:pointerenter=move |_| preload(key) on:focus=move |_| preload(key)
                    on:click=move |_| url.set("tab", if *key == "overview" { String::new() } else { key.to_string() })>
                    {*label}
                </button>
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
use leptos::wasm_split::SplitLoaderError;

lazy_screen!(
    qovery_tab_overview,
    overview_view,
    overview_preload,
    super::overview::OverviewTab
);
lazy_screen!(
    qovery_tab_variables,
    variables_view,
    variables_preload,
    crate::pages::qovery::variables::VariablesPanel
);
lazy_screen!(
    qovery_tab_logs,
    logs_view,
    logs_preload,
    crate::pages::qovery::app_log::LogsPanel
);

lazy_screen!(
    qovery_tab_health,
    health_view,
    health_preload,
    crate::pages::qovery::health::HealthPanel
);
lazy_screen!(
    qovery_tab_usage,
    usage_view,
    usage_preload,
    crate::pages::qovery::health::UsagePanel
);

/// Fetches a tab's chunk before it is clicked (on hover or focus); a failure shows when it is
/// opened.
fn preload(key: &str) {
    let key = key.to_string();
    leptos::task::spawn_local(async move {
        let _ = match key.as_str() {
            "variables" => variables_preload().await,
            "logs" => logs_preload().await,
            "health" => health_preload().await,
            "usage" => usage_preload().await,
            _ => overview_preload().await,
        };
    });
}

/// The chosen tab's panel.
#[component]
pub(super) fn TabPanel(tab: Memo<&'static str>, props: TabProps) -> impl IntoView {
    provide_context(props);
    view! {
        <div role="tabpanel" id="berth-tab-panel" aria-labelledby=move || format!("berth-tab-{}", tab.get())>
            {move || match tab.get() {
                "variables" => chunk_view(variables_view).into_any(),
                "logs" => chunk_view(logs_view).into_any(),
                "health" => chunk_view(health_view).into_any(),
                "usage" => chunk_view(usage_view).into_any(),
                _ => chunk_view(overview_view).into_any(),
            }}
        </div>
    }
}
