//! Pending and recent actions: running ones first, then finished ones with their outcome and
//! duration, each linking to the app it concerns.

use leptos::prelude::*;

use crate::routes::AppPath;

use crate::components::link::Link;
use crate::components::state_chip::Chip;
use crate::ops::qovery::retry::{retry, retryable};
use crate::ops::words;
use crate::state::clock::{ago, now_ms, Clock};
use crate::state::connections::Connections;
use crate::state::pending::{Pending, PendingKind, PendingStore, Target};

#[component]
pub fn ActionsPage() -> impl IntoView {
    let store = expect_context::<PendingStore>();
    let clock = use_context::<Clock>();
    let conns = use_context::<Connections>();
    let refused = RwSignal::new(Vec::<String>::new());
    // Each failed one sent again on its own (a batch's successes are not done twice).
    let try_again = Callback::new(move |ids: Vec<String>| {
        let all = store.entries.get_untracked();
        let picked: Vec<Pending> = all
            .iter()
            .filter(|p| ids.contains(&p.id))
            .cloned()
            .collect();
        refused.set(retry(
            |kind, id| conns.and_then(|c| c.find(kind, id)),
            &picked,
            &all,
        ));
    });
    let failed = Memo::new(move |_| {
        store.entries.with(|all| {
            all.iter()
                .filter(|p| retryable(p, all))
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let sorted = Memo::new(move |_| {
        let mut list = store.entries.get();
        // Running first, then the most recent.
        list.sort_by(|a, b| {
            b.is_running()
                .cmp(&a.is_running())
                .then(b.started_ms.total_cmp(&a.started_ms))
        });
        list
    });
    view! {
        <section class="berth-page">
            <div class="berth-page-head">
                <h1>"Actions"</h1>
                <span class="berth-spacer"></span>
                <Show when=move || failed.with(|f| f.len() > 1)>
                    <button class="berth-btn" on:click=move |_| try_again.run(failed.get_untracked())>
                        {move || format!("Try again the {} failed", failed.with(Vec::len))}
                    </button>
                </Show>
                <Show when=move || store.entries.with(|e| e.iter().any(|p| !p.is_running()))>
                    <button class="berth-btn berth-btn-quiet" on:click=move |_| store.clear_finished()>"Clear finished"</button>
                </Show>
            </div>
            {move || store.note.get().map(|n| view! { <p class="berth-panel berth-warning" role="status">{n}</p> })}
            {move || (!refused.with(Vec::is_empty)).then(|| view! { <p class="berth-panel berth-error" role="alert">{refused.get().join("; ")}</p> })}
            <Show
                when=move || !sorted.with(Vec::is_empty)
                fallback=|| view! {
                    <div class="berth-panel berth-empty">
                        <p>"No pending or recent actions."</p>
                        <p class="berth-muted">"Deployments, creations and deletions you start appear here until they end."</p>
                    </div>
                }
            >
                <table class="berth-table" aria-label="Actions">
                    <thead><tr>
                        <th scope="col">"Action"</th><th scope="col">"Connection"</th><th scope="col">"State"</th>
                        <th scope="col">"Started"</th><th scope="col" class="num">"Duration"</th><th scope="col">"Outcome"</th>
                    </tr></thead>
                    <tbody>
                        <For
                            each=move || sorted.get()
                            key=|p| (p.id.clone(), p.state.clone(), p.outcome.is_some(), p.error.clone())
                            children=move |p| {
                                let id = p.id.clone();
                                let can = Signal::derive(move || failed.with(|f| f.contains(&id)));
                                view! { <ActionLine p=p clock=clock can_retry=can on_retry=try_again/> }
                            }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

fn href(p: &Pending) -> Option<String> {
    match &p.target {
        Target::Kopernik {
            provider,
            app: Some(app),
            ..
        } if p.kind != PendingKind::Delete || p.is_running() => Some(
            AppPath::KopernikDetail {
                conn: p.conn.clone(),
                provider: provider.clone(),
                uid: app.clone(),
            }
            .to_path(),
        ),
        Target::Qovery { container } => Some(
            AppPath::QoveryDetail {
                conn: p.conn.clone(),
                id: container.clone(),
            }
            .to_path(),
        ),
        _ => None,
    }
}

#[component]
fn ActionLine(
    p: Pending,
    clock: Option<Clock>,
    can_retry: Signal<bool>,
    on_retry: Callback<Vec<String>>,
) -> impl IntoView {
    let id = p.id.clone();
    let title = format!("{} {}", p.kind, p.name);
    let link = href(&p);
    let (tone, outcome) = words::outcome(&p);
    let (state, state_tone) = words::pending_state(&p);
    // A failed Qovery deployment: its log says why.
    let log = p.failure_log_path();
    let started = p.started_ms;
    let entry = p.clone();
    let when = move || ago(clock.map(|c| c.0.get()).unwrap_or_else(now_ms) - started);
    let duration = move || {
        let now = clock.map(|c| c.0.get()).unwrap_or_else(now_ms);
        format!("{:.0} s", (entry.duration_ms(now) / 1000.0).max(0.0))
    };
    let kind = match p.target {
        Target::Kopernik { .. } => "Kopernik",
        Target::Qovery { .. } => "Qovery",
    };
    view! {
        <tr data-action-id=p.id.clone() data-running=p.is_running().to_string()>
            <td>{match link { Some(h) => view! { <Link href=h>{title}</Link> }.into_any(), None => view! { <span>{title}</span> }.into_any() }}</td>
            <td>{p.conn.clone()}<div class="berth-muted berth-small">{kind}</div></td>
            <td><Chip label=state tone=if p.is_running() { state_tone } else { tone }/></td>
            <td class="berth-small">{when}</td>
            <td class="num">{duration}</td>
            <td class="berth-outcome-cell">{outcome}{log.map(|h| view! { " " <Link href=h>"Open its log"</Link> })}
                <Show when=move || can_retry.get()>
                    " "<button class="berth-btn berth-btn-small" on:click={let id = id.clone(); move |_| on_retry.run(vec![id.clone()])}>"Try again"</button>
                </Show>
            </td>
        </tr>
    }
}
