//! A log: thousands of lines in a scrolling box that renders only the rows in view (a fixed row
//! height, a spacer for what is above and below, a few rows of overscan; wrapped lines, whose
//! heights vary, only up to [`WRAP_UP_TO`] and rendered whole), with search matches
//! highlighted and a "follow" mode that keeps the newest line in view. Used by the deployment log
//! and the application log; their CSS travels with them ([`LOG_CSS`]), not in the first screen's
//! stylesheet.

use leptos::html;
use leptos::prelude::*;

use crate::state::virtual_rows::window;

/// How serious a line is (styles it: `data-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// The log says nothing (an application's output).
    #[default]
    None,
    Debug,
    Info,
    Warning,
    Error,
}

impl Level {
    /// A log's own word for it, in any case (`WARN`, `warning`, `Error`…); others are `None`.
    pub fn of(word: &str) -> Level {
        match word.to_ascii_lowercase().as_str() {
            "error" | "err" | "fatal" | "critical" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "info" | "notice" => Level::Info,
            "debug" | "trace" => Level::Debug,
            _ => Level::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One line, whatever log it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogLine {
    pub time: String,
    /// Who wrote it: an instance, or a deployment's stage and step.
    pub source: String,
    pub level: Level,
    pub text: String,
}

impl LogLine {
    /// The line as downloaded: tab-separated, one per line.
    pub fn plain(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}",
            self.time,
            self.source,
            self.level.as_str(),
            self.text
        )
    }
}

/// The height of a row in pixels (the CSS's `--log-row`).
pub const ROW: f64 = 20.0;
const OVERSCAN: usize = 8;

/// The most lines a log keeps, the newest: beyond it the oldest go (memory and search stay
/// bounded while a busy log is followed for hours).
pub const KEEP: usize = 10_000;
/// Said beside a log's count once [`KEEP`] left older lines out.
pub const CAPPED: &str = " · showing the last 10,000 (older lines dropped)";

/// Wrapped, a line is as many rows high as its length needs, which the fixed-height window cannot
/// know: up to this many lines shown, a wrapped log is rendered whole and the browser lays it
/// out; beyond it, lines stay one row high (and say so). Guessing each line's height instead
/// (characters per row) would break on wide glyphs (CJK, emoji), tabs and the width of each
/// line's time and source columns, and overlapping or jumping rows are worse than a cap.
pub const WRAP_UP_TO: usize = 2_000;

/// Whether `len` lines shown are wrapped (and rendered whole) rather than windowed.
pub fn wrapped(wrap: bool, len: usize) -> bool {
    wrap && len <= WRAP_UP_TO
}

pub const LOG_CSS: &str = "\
.berth .berth-log-tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}\
.berth .berth-log-tools input[type=search]{min-width:14rem}\
.berth .berth-log{max-height:28rem;min-height:3rem;overflow:auto;border:1px solid var(--b-border);border-radius:var(--b-radius);background:var(--b-bg);font:12px/20px var(--b-mono)}\
.berth .berth-log:focus-visible{outline:2px solid var(--b-accent);outline-offset:2px}\
.berth .berth-log-inner{position:relative}\
.berth .berth-log ol{position:absolute;left:0;right:0;margin:0;padding:0;list-style:none}\
.berth .berth-log li{height:20px;white-space:pre;overflow:hidden;padding:0 8px;display:flex;gap:12px}\
.berth .berth-log.wrap ol{position:static}\
.berth .berth-log.wrap li{height:auto;min-height:20px;white-space:pre-wrap;word-break:break-all}\
.berth .berth-log li span{flex:none;color:var(--b-muted)}\
.berth .berth-log li .msg{flex:1;color:inherit}\
.berth .berth-log li[data-level=error]{background:var(--b-error-bg)}\
.berth .berth-log li[data-level=warning]{background:var(--b-busy-bg)}\
.berth .berth-log mark{background:#ffe066;color:#222;border-radius:2px}\
.berth .berth-log-empty{padding:12px;color:var(--b-muted)}\
.berth .berth-log-reason{margin:8px 0;font-family:var(--b-mono);white-space:pre-wrap}";

/// The lines `shown` (indices into `lines`, in order) in a virtual list. `follow` keeps the
/// newest line in view; scrolling up turns it off (the caller shows that as paused).
#[component]
pub fn LogView(
    #[prop(into)] label: String,
    lines: Signal<Vec<LogLine>>,
    shown: Memo<Vec<usize>>,
    #[prop(into)] query: Signal<String>,
    #[prop(into)] wrap: Signal<bool>,
    follow: RwSignal<bool>,
    /// The first read ended (until then `reading` is shown; then `nothing` for an empty log).
    #[prop(into)]
    loaded: Signal<bool>,
    reading: &'static str,
    nothing: &'static str,
) -> impl IntoView {
    let empty = move || {
        if !loaded.get() {
            reading
        } else if lines.with(Vec::is_empty) {
            nothing
        } else {
            "No line matches."
        }
    };
    let scroller = NodeRef::<html::Div>::new();
    let top = RwSignal::new(0.0f64);
    let height = RwSignal::new(448.0f64);
    let len = Memo::new(move |_| shown.with(Vec::len));
    let whole = Memo::new(move |_| wrapped(wrap.get(), len.get()));
    let range = Memo::new(move |_| match (whole.get(), len.get()) {
        (true, n) => (0, n),
        (false, n) => window(top.get(), height.get(), n, ROW, OVERSCAN),
    });
    // Follow: after new lines are rendered, scroll to the last one.
    Effect::new(move |_| {
        let n = len.get();
        if !follow.get() {
            return;
        }
        if whole.get() {
            // Rows of any height: the end is known once the browser laid them out.
            request_animation_frame(move || {
                if let Some(el) = scroller.try_get_untracked().flatten() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
            return;
        }
        if let Some(el) = scroller.get() {
            let bottom = (n as f64 * ROW - el.client_height() as f64).max(0.0);
            el.set_scroll_top(bottom as i32);
            top.set(bottom);
        }
    });
    let on_scroll = move |_| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let (t, h) = (el.scroll_top() as f64, el.client_height() as f64);
        top.set(t);
        height.set(h);
        // Scrolled away from the end by the user: stop following.
        let end = el.scroll_height() as f64;
        if follow.get_untracked() && t + h < end - 2.0 * ROW {
            follow.set(false);
        }
    };
    let rows = move || {
        let (start, end) = range.get();
        let q = query.get();
        let n = len.get();
        lines.with(|all| {
            shown.with(|idx| {
                idx[start.min(idx.len())..end.min(idx.len())]
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &i)| all.get(i).map(|l| (start + k, l)))
                    .map(|(pos, l)| {
                        let pieces = berth_api::logs::highlight(&l.text, &q);
                        view! {
                            <li aria-posinset=pos + 1 aria-setsize=n data-level=l.level.as_str()>
                                <span>{l.time.clone()}</span>
                                <span>{l.source.clone()}</span>
                                <span class="msg">{pieces.into_iter().map(|(t, hit)| if hit {
                                    view! { <mark>{t}</mark> }.into_any()
                                } else {
                                    t.into_any()
                                }).collect_view()}</span>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let aria = label.clone();
    view! {
        {move || (wrap.get() && !whole.get()).then(|| view! {
            <p class="berth-muted">"Too many lines to wrap (over 2,000 shown): search to narrow them."</p>
        })}
        <div class="berth-log" class:wrap=move || whole.get() node_ref=scroller tabindex="0"
            role="region" aria-label=aria on:scroll=on_scroll>
            {move || (len.get() == 0).then(|| view! { <p class="berth-log-empty">{empty()}</p> })}
            <div class="berth-log-inner"
                style:height=move || (!whole.get()).then(|| format!("{}px", len.get() as f64 * ROW))>
                <ol aria-label=label
                    style:top=move || (!whole.get()).then(|| format!("{}px", range.get().0 as f64 * ROW))>{rows}</ol>
            </div>
        </div>
    }
}

/// "Download": a link whose `data:` address is written when it is clicked (the lines shown,
/// tab-separated), so nothing is encoded until then and no Blob or DOM API beyond an attribute is
/// needed.
#[component]
pub fn DownloadLines(
    file: String,
    lines: RwSignal<Vec<LogLine>>,
    shown: Memo<Vec<usize>>,
) -> impl IntoView {
    let link = NodeRef::<html::A>::new();
    let write = move |_| {
        let text = lines.with_untracked(|all| {
            shown.with_untracked(|idx| {
                idx.iter()
                    .filter_map(|&i| all.get(i).map(LogLine::plain))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        });
        if let Some(a) = link.get_untracked() {
            let _ = a.set_attribute("href", &data_url(&text));
        }
    };
    view! {
        <a class="berth-btn berth-btn-small" node_ref=link href="#" download=file on:click=write>"Download"</a>
    }
}

/// `text` as a `data:text/plain` address (percent-encoded as `encodeURIComponent` would).
pub fn data_url(text: &str) -> String {
    let mut out = String::from("data:text/plain;charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_log_short_enough_to_render_whole_is_wrapped() {
        assert!(wrapped(true, 0) && wrapped(true, WRAP_UP_TO));
        assert!(!wrapped(true, WRAP_UP_TO + 1), "10,000 lines stay windowed");
        assert!(!wrapped(false, 10));
    }

    #[test]
    fn a_download_address_encodes_every_reserved_byte() {
        assert_eq!(
            data_url("a b\tc\né%#&"),
            "data:text/plain;charset=utf-8,a%20b%09c%0A%C3%A9%25%23%26"
        );
    }
}
