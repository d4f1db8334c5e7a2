//! The page's tabs (Overview, Variables, Logs) and the panel of the one chosen.

use berth_api::config::Connection;
use berth_api::qovery::{ContainerResponse, ServiceAction, Status};
use leptos::prelude::*;

use super::{ContainerFields, TABS};
use crate::components::details::RawJson;
use crate::pages::qovery::history::HistoryLinks;
use crate::state::url_query::UrlQuery;

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
                    on:click=move |_| url.set("tab", if *key == "overview" { String::new() } else { key.to_string() })>
                    {*label}
                </button>
            }).collect_view()}
        </div>
    }
}

/// The chosen tab's panel.
#[component]
#[allow(clippy::too_many_arguments)]
pub(super) fn TabPanel(
    conn: StoredValue<Connection>,
    tab: Memo<&'static str>,
    shown_id: Memo<Option<String>>,
    container: Memo<Option<ContainerResponse>>,
    status: Memo<Option<Status>>,
    raw: Memo<Option<serde_json::Value>>,
    busy: RwSignal<Option<ServiceAction>>,
    on_deploy_tag: Callback<String>,
    history_links: HistoryLinks,
    /// Reads the container again (saved variables change its status).
    refresh: Callback<()>,
) -> impl IntoView {
    view! {
        <div role="tabpanel" id="berth-tab-panel" aria-labelledby=move || format!("berth-tab-{}", tab.get())>
            {move || {
                let id = shown_id.get().unwrap_or_default();
                let name = container.with_untracked(|c| c.as_ref().map(|c| c.name.clone())).unwrap_or_default();
                match tab.get() {
                    "variables" => view! {
                        <crate::pages::qovery::variables::VariablesTab conn=conn id=id name=name.clone() on_saved=refresh/>
                    }.into_any(),
                    "logs" => view! { <crate::pages::qovery::app_log::AppLogs conn=conn id=id name=name/> }.into_any(),
                    _ => view! {
                        {move || container.get().zip(status.get()).map(|(c, s)| view! { <ContainerFields c=c status=s/> })}
                        <crate::pages::qovery::links::OpenLinks conn=conn id=id.clone()/>
                        <section class="berth-panel" aria-label="Deploy another version">
                            <h2>"Deploy another version"</h2>
                            {move || container.get().map(|c| view! {
                                <crate::pages::qovery::links::DeployTag conn=conn container=c busy=Signal::derive(move || busy.get().is_some()) on_deploy=on_deploy_tag/>
                            })}
                        </section>
                        <crate::pages::qovery::history::DeploymentHistory conn=conn id=shown_id links=history_links/>
                        {move || raw.get().map(|r| view! { <RawJson value=r/> })}
                    }.into_any(),
                }
            }}
        </div>
    }
}
