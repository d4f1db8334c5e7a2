//! One deployment's log (`GET /environment/{id}/logs?version=<execution id>`): stage and step,
//! level, time and message per line; the first error line shown above as the reason; followed
//! (polled) while the deployment runs; search and download. While it runs, its stage progress
//! (`GET /environment/{id}/statusesWithStages`: the stage, its status, this container's steps)
//! is polled at the log's pace; without it (an older API, a past deployment) the steps the log
//! went through are shown instead.

use berth_api::config::Connection;
use berth_api::logs::{first_error, keep_newest, EnvironmentLog};
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::log_view::{DownloadLines, Level, LogLine, LogView, CAPPED, KEEP, LOG_CSS};
use crate::state::live::{Live, Rerun};
use crate::state::poll::{pace, use_poll};
use crate::state::task::Tasks;

fn line(l: &EnvironmentLog) -> LogLine {
    let source = match (
        l.details.stage.as_ref().and_then(|s| s.name.clone()),
        l.step(),
    ) {
        (Some(stage), Some(step)) => format!("{stage} · {step}"),
        (Some(stage), None) => stage,
        (None, Some(step)) => step.to_string(),
        (None, None) => String::new(),
    };
    LogLine {
        time: l.timestamp.clone(),
        source,
        level: if l.is_error() {
            Level::Error
        } else {
            Level::of(&l.kind)
        },
        text: l.text(),
    }
}

/// The steps the log went through, in order, once each ("Queued → Deploy → Deployed").
fn steps(lines: &[EnvironmentLog]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for s in lines.iter().filter_map(EnvironmentLog::step) {
        if seen.last() != Some(&s) && !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen.join(" → ")
}

/// The service whose deployment the log is about (its lines' transmitter).
fn service_of(lines: &[EnvironmentLog]) -> Option<String> {
    lines
        .iter()
        .find_map(|l| l.details.transmitter.as_ref()?.id.clone())
}

/// The API has no stage statuses (an older API, or a proxy that does not pass it): stop asking.
fn absent(e: &api::ApiError) -> bool {
    matches!(e.status, Some(404 | 405 | 501))
}

/// What the view shows of the last read of the log.
#[derive(Clone, Copy)]
struct Shown {
    /// Its newest [`KEEP`] lines.
    lines: RwSignal<Vec<LogLine>>,
    // Said of the whole log, before the cap leaves its oldest lines out.
    reason: RwSignal<Option<String>>,
    progress: RwSignal<String>,
    /// The service it is about.
    service: RwSignal<Option<String>>,
    /// The cap left older lines out.
    capped: RwSignal<bool>,
}

impl Shown {
    fn new() -> Shown {
        Shown {
            lines: RwSignal::new(Vec::new()),
            reason: RwSignal::new(None),
            progress: RwSignal::new(String::new()),
            service: RwSignal::new(None),
            capped: RwSignal::new(false),
        }
    }

    /// Shows a read (after an `.await`: `try_` throughout).
    fn show(&self, mut all: Vec<EnvironmentLog>) {
        self.reason
            .try_set(first_error(&all).map(EnvironmentLog::text));
        self.progress.try_set(steps(&all));
        self.service.try_set(service_of(&all));
        self.capped.try_set(keep_newest(&mut all, KEEP) > 0);
        let fresh: Vec<LogLine> = all.iter().map(line).collect();
        // Unchanged (a poll after the last line): the rows are not built again.
        self.lines.try_maybe_update(|l| {
            let changed = *l != fresh;
            if changed {
                *l = fresh;
            }
            (changed, ())
        });
    }
}

/// What the log reads of the history, as context: a chunk's entry takes no arguments.
#[derive(Clone)]
pub struct LogProps {
    pub conn: StoredValue<Connection>,
    pub env: String,
    pub execution: String,
    pub title: String,
    pub running: Signal<bool>,
    pub on_close: Callback<()>,
}

/// The log as its own chunk's entry (see `history::LazyLog`): the viewer, its search and its
/// download are fetched when a log is first opened, not with the container page.
#[component]
pub fn DeploymentLogEntry() -> impl IntoView {
    let Some(p) = use_context::<LogProps>() else {
        return ().into_any();
    };
    view! {
        <DeploymentLog conn=p.conn env=p.env execution=p.execution title=p.title
            running=p.running on_close=p.on_close/>
    }
    .into_any()
}

#[component]
pub fn DeploymentLog(
    conn: StoredValue<Connection>,
    env: String,
    execution: String,
    /// "deploy of nginx:1.27 at …", for the heading and the file name.
    title: String,
    /// The deployment still runs: follow it.
    #[prop(into)]
    running: Signal<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let source = StoredValue::new((env, execution.clone()));
    let shown_log = Shown::new();
    let Shown {
        lines,
        reason,
        progress,
        service,
        capped,
    } = shown_log;
    let query = RwSignal::new(String::new());
    let wrap = RwSignal::new(true);
    let follow = RwSignal::new(true);
    let live = Live::new();
    let tasks = Tasks::new();
    let reads = StoredValue::new(Rerun::default());
    // `must`: the read after the end, which a read in flight (sent before it) cannot stand for.
    let load = move |must: bool| {
        if reads.try_update_value(|r| r.ask(must)) != Some(true) {
            return;
        }
        let c = conn.get_value();
        let (env, exec) = source.get_value();
        tasks.spawn(async move {
            loop {
                live.loading.try_set(true);
                let result = api::qovery::deployment_log(&c, &env, &exec).await;
                if let Some(all) = live.finish(result) {
                    shown_log.show(all);
                }
                if reads.try_update_value(|r| r.landed()) != Some(true) {
                    return;
                }
            }
        });
    };
    // The stage progress: "Stage DEFAULT · ONGOING · Queueing: done, Mirror image: ongoing".
    // `None` until the API names this deployment's container (or when it cannot).
    let stage_line = RwSignal::new(None::<String>);
    let stage_reads = StoredValue::new(Rerun::default());
    // The API has no such endpoint: not asked again.
    let stage_gone = StoredValue::new(false);
    let load_stage = move |must: bool| {
        if stage_gone.try_get_value() != Some(false)
            || stage_reads.try_update_value(|r| r.ask(must)) != Some(true)
        {
            return;
        }
        let c = conn.get_value();
        let (env, exec) = source.get_value();
        tasks.spawn(async move {
            loop {
                let result = api::qovery::statuses_with_stages(&c, &env).await;
                // While it runs, the container deploying is the log's; once it ended, only the
                // container whose status names this deployment.
                let service = running
                    .try_get_untracked()
                    .unwrap_or(false)
                    .then(|| service.try_get_untracked().flatten())
                    .flatten();
                match result {
                    Ok(all) => {
                        if let Some((stage, status)) = all.find(&exec, service.as_deref()) {
                            stage_line.try_set(Some(berth_api::stages::progress(stage, status)));
                        }
                    }
                    // Silently: the log's own steps stay shown.
                    Err(e) if absent(&e) => {
                        stage_line.try_set(None);
                        stage_gone.try_set_value(true);
                        return;
                    }
                    Err(_) => {}
                }
                if stage_reads.try_update_value(|r| r.landed()) != Some(true) {
                    return;
                }
            }
        });
    };
    load(true);
    if running.get_untracked() {
        load_stage(true);
    }
    use_poll(
        Signal::derive(move || pace(running.get())),
        move || live.strain(),
        move || {
            if running.get_untracked() {
                load(false);
                load_stage(false);
            }
        },
    );
    // One last read when it ends, for its final lines and its stage's outcome: after the read in
    // flight, if one is, since it may have been sent before the end.
    Effect::new(move |prev: Option<bool>| {
        let now = running.get();
        if prev == Some(true) && !now {
            load(true);
            load_stage(true);
        }
        now
    });
    let shown = Memo::new(move |_| {
        let q = query.get();
        lines.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, l)| {
                    q.is_empty()
                        || !berth_api::logs::find_all(&l.text, &q).is_empty()
                        || !berth_api::logs::find_all(&l.source, &q).is_empty()
                })
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });
    let file = format!("deployment-{execution}.log");
    let shown_execution = execution.clone();
    let heading = format!("Deployment log: {title}");
    let aria = heading.clone();
    view! {
        <style>{LOG_CSS}</style>
        <section class="berth-panel" aria-label=aria data-deployment-log="" data-execution=shown_execution>
            <div class="berth-page-head">
                <h2>{heading}</h2>
                <span class="berth-spacer"></span>
                <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <StageProgress stage_line=stage_line progress=progress running=running/>
            <FailureReason reason=reason/>
            <LogTools query=query wrap=wrap file=file lines=lines shown=shown capped=capped running=running/>
            {move || live.error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| load(true) stale=true/> })}
            <LogView label="Deployment log lines" lines=lines.into() shown=shown query=query wrap=wrap
                follow=follow loaded=Signal::derive(move || live.loaded_at.get().is_some())
                reading="Reading the deployment's log…" nothing="This deployment wrote no log."/>
        </section>
    }
}

/// Where the deployment is: its stage's progress when the API tells, else the steps its log went
/// through.
#[component]
fn StageProgress(
    stage_line: RwSignal<Option<String>>,
    progress: RwSignal<String>,
    running: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || match stage_line.get() {
            Some(line) => Some(view! { <p class="berth-muted" data-stage-progress="">{line}</p> }.into_any()),
            None => {
                let p = progress.get();
                (!p.is_empty()).then(|| view! { <p class="berth-muted">"Steps: "{p}{move || running.get().then_some(" …")}</p> }.into_any())
            }
        }}
    }
}

/// The log's first error line, as the reason the deployment failed.
#[component]
fn FailureReason(reason: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        {move || reason.get().map(|r| view! {
            <div class="berth-panel berth-error" role="alert">
                <strong>"Why it failed: "</strong><span class="berth-log-reason" data-reason="">{r}</span>
            </div>
        })}
    }
}

/// Search, wrap, download, and how many lines the log has.
#[component]
fn LogTools(
    query: RwSignal<String>,
    wrap: RwSignal<bool>,
    /// The download's file name.
    file: String,
    lines: RwSignal<Vec<LogLine>>,
    /// The lines the search leaves, by index.
    shown: Memo<Vec<usize>>,
    capped: RwSignal<bool>,
    running: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="berth-log-tools">
            <input type="search" placeholder="Search this log" aria-label="Search this deployment log"
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            <label><input type="checkbox" prop:checked=move || wrap.get()
                on:change=move |ev| wrap.set(event_target_checked(&ev))/>" Wrap lines"</label>
            <DownloadLines file=file lines=lines shown=shown/>
            <span class="berth-muted">{move || format!("{} lines", lines.with(Vec::len))}
                {move || capped.get().then_some(CAPPED)}
                {move || running.get().then_some(" · following")}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_listed_once_in_order() {
        let l = |step: &str| -> EnvironmentLog {
            serde_json::from_value(serde_json::json!({
                "type": "info", "timestamp": "t", "details": {"stage": {"step": step}}
            }))
            .expect("a log line")
        };
        let lines = [l("Queued"), l("Deploy"), l("Deploy"), l("DeployedError")];
        assert_eq!(steps(&lines), "Queued → Deploy → DeployedError");
        assert_eq!(steps(&[]), "");
    }
}
