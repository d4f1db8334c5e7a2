use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::State;
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::pages::{param, use_connection, UnknownConnection};

/// The containers of an environment with their deployment state (read-only in this version).
#[component]
pub fn QoveryContainers() -> impl IntoView {
    let conn = use_connection(BackendKind::Qovery);
    move || match conn.get() {
        None => view! { <UnknownConnection kind="Qovery"/> }.into_any(),
        Some(c) => view! { <Containers conn=c/> }.into_any(),
    }
}

#[component]
fn Containers(conn: Connection) -> impl IntoView {
    let env = param("env");
    let rows = LocalResource::new(move || {
        let c = conn.clone();
        let env = env.get();
        async move {
            let containers = api::qovery::containers(&c, &env).await?;
            let statuses = api::qovery::statuses(&c, &env).await?;
            Ok::<_, api::ApiError>(
                containers
                    .into_iter()
                    .map(|ct| {
                        let state = statuses
                            .containers
                            .iter()
                            .find(|s| s.id == ct.id)
                            .map(|s| s.state.clone());
                        (ct, state)
                    })
                    .collect::<Vec<_>>(),
            )
        }
    });
    view! {
        <section class="berth-page">
            <h1>"Containers"</h1>
            {move || match rows.get() {
                None => view! { <p class="berth-loading" aria-busy="true">"Loading containers…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e on_retry=move |_| rows.refetch()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <div class="berth-panel berth-empty"><p>"No containers in this environment."</p></div> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="berth-table" aria-label="Containers">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Image"</th><th scope="col">"State"</th>
                            <th scope="col" class="num">"CPU"</th><th scope="col" class="num">"Memory"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|(c, state)| view! {
                                <tr>
                                    <td>{c.name}</td>
                                    <td><code>{format!("{}:{}", c.image_name, c.tag)}</code></td>
                                    <td>{state_chip(state)}</td>
                                    <td class="num">{format!("{} m", c.cpu)}</td>
                                    <td class="num">{format!("{} MB", c.memory)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

fn state_chip(state: Option<State>) -> impl IntoView {
    let (label, class) = match &state {
        None => ("unknown".to_string(), "berth-chip"),
        Some(State::Ready) => ("never deployed".to_string(), "berth-chip"),
        Some(s) if s.is_error() => (s.to_string(), "berth-chip berth-chip-error"),
        Some(s) if s.is_transitional() => (s.to_string(), "berth-chip berth-chip-busy"),
        Some(State::Deployed) => ("DEPLOYED".to_string(), "berth-chip berth-chip-ok"),
        Some(s) => (s.to_string(), "berth-chip"),
    };
    view! { <span class=class>{label}</span> }
}
