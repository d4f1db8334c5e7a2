//! A virtual list: of thousands of rows, only those in view (and a few around them) exist in the
//! page. Rows have one fixed height, so the window is arithmetic on the scroll offset; what is
//! above and below it is an empty spacer of the right height. Used by the table shell
//! (`LiveTable`) and the log viewers.

use leptos::html;
use leptos::prelude::*;

/// A table row's height in pixels (the table shell's CSS holds every body row to it).
pub const TABLE_ROW: f64 = 44.0;
/// Rows rendered beyond each edge of the view, so a short scroll shows rows that already exist.
pub const TABLE_OVERSCAN: usize = 6;
/// Lists up to this long are rendered whole: cheap, and the browser's find-in-page sees them.
pub const RENDER_ALL_UP_TO: usize = 100;

/// The rows to render `[start, end)` of `len` rows of `row` pixels, for a box scrolled `top`
/// pixels into them and showing `height` pixels. A `top` past the end (the rows just shrank,
/// before the browser moved the scroll back) shows the last rows, never nothing.
pub fn window(top: f64, height: f64, len: usize, row: f64, overscan: usize) -> (usize, usize) {
    let shown = (height.max(row) / row).ceil() as usize + 1;
    let first = ((top.max(0.0) / row).floor() as usize).min(len.saturating_sub(shown));
    let start = first.saturating_sub(overscan).min(len);
    let end = first.saturating_add(shown + overscan).min(len);
    (start, end)
}

/// The scroll offset that brings row `pos` fully into a view now at `top` showing `height`
/// pixels (`None` when it is already in view). `above` is what covers the view's top (a sticky
/// header). Offsets count from the first row's place: the caller adds what is above it.
pub fn scroll_to_show(pos: usize, top: f64, height: f64, row: f64, above: f64) -> Option<f64> {
    let row_top = pos as f64 * row;
    if row_top < top + above {
        Some(row_top - above)
    } else if row_top + row > top + height {
        Some(row_top + row - height)
    } else {
        None
    }
}

/// The window of a table over its visible rows (positions into its loaded rows, after search,
/// filter and sort).
#[derive(Clone, Copy)]
pub struct VirtualRows {
    pub visible: Memo<Vec<usize>>,
    /// The body's scroll offset, from the first windowed row's place, and the view's height.
    pub top: RwSignal<f64>,
    pub height: RwSignal<f64>,
    pub range: Memo<(usize, usize)>,
    /// `visible[start..end]`: what the table renders.
    pub shown: Memo<Vec<usize>>,
    /// The row (a position in `visible`) that Tab lands on: one row at a time is in the tab order.
    pub focus: RwSignal<usize>,
    /// Rows the page puts above the window (unreadable items, creates on their way).
    pub before: Signal<usize>,
    pub scroller: NodeRef<html::Div>,
}

impl VirtualRows {
    pub fn new(visible: Memo<Vec<usize>>, before: Signal<usize>) -> Self {
        let top = RwSignal::new(0.0);
        // Until the box is measured: a view of about a screen.
        let height = RwSignal::new(640.0);
        let len = Memo::new(move |_| visible.with(Vec::len));
        let range = Memo::new(move |_| match len.get() {
            n if n <= RENDER_ALL_UP_TO => (0, n),
            n => window(top.get(), height.get(), n, TABLE_ROW, TABLE_OVERSCAN),
        });
        let shown = Memo::new(move |_| {
            let (start, end) = range.get();
            visible.with(|v| v.get(start..end).map(<[usize]>::to_vec).unwrap_or_default())
        });
        VirtualRows {
            visible,
            top,
            height,
            range,
            shown,
            focus: RwSignal::new(0),
            before,
            scroller: NodeRef::new(),
        }
    }

    /// How many rows the window is over.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.visible.with(Vec::len)
    }

    /// The position in `visible` of the window's slot `slot`.
    pub fn pos(&self, slot: usize) -> usize {
        self.range.with(|r| r.0) + slot
    }

    /// `aria-rowindex` of the row at `pos` (the header row is 1).
    pub fn row_index(&self, pos: usize) -> usize {
        pos + 2 + self.before.get()
    }

    /// `tabindex` of the row at `pos`.
    pub fn tab_index(&self, pos: usize) -> &'static str {
        if self.focus.get() == pos {
            "0"
        } else {
            "-1"
        }
    }

    /// Reads the scroll offset and the view's height from the box (on a scroll, once mounted).
    pub fn measure(&self) {
        if let Some(el) = self.scroller.try_get_untracked().flatten() {
            let (origin, _) = origin(&el);
            self.top.set(el.scroll_top() as f64 - origin);
            self.height.set(el.client_height() as f64);
        }
    }

    /// Scrolls row `pos` into view (past the window's edge too), then focuses it once it is
    /// rendered: the keyboard moves through all the rows, not only those that exist.
    pub fn focus_row(&self, pos: usize) {
        self.focus.set(pos);
        let Some(el) = self.scroller.try_get_untracked().flatten() else {
            return;
        };
        let (origin, header) = origin(&el);
        let top = el.scroll_top() as f64 - origin;
        let height = el.client_height() as f64;
        if let Some(to) = scroll_to_show(pos, top, height, TABLE_ROW, header) {
            el.set_scroll_top((to + origin).max(0.0).round() as i32);
        }
        self.measure();
        let scroller = self.scroller;
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            let row = scroller
                .try_get_untracked()
                .flatten()
                .and_then(|el| {
                    el.query_selector(&format!("tr[data-pos='{pos}']"))
                        .ok()
                        .flatten()
                })
                .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(row) = row {
                focus_in_place(&row);
            }
        });
    }

    /// After the window moved, gives the focus back to the focused row if the focus is in the
    /// table: rows are reused as the window moves, so the element focused may now hold another.
    pub fn keep_focus(&self) {
        use wasm_bindgen::JsCast;
        let want = self.focus.get_untracked();
        let Some(el) = self.scroller.try_get_untracked().flatten() else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let Some(active) = active.filter(|a| a.tag_name() == "TR" && el.contains(Some(a))) else {
            return;
        };
        if active.get_attribute("data-pos") == Some(want.to_string()) {
            return;
        }
        if let Some(row) = el
            .query_selector(&format!("tr[data-pos='{want}']"))
            .ok()
            .flatten()
            .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
        {
            focus_in_place(&row);
        }
    }

    /// Back to the first row (a new search or sort, as a pager went back to page 1).
    pub fn to_top(&self) {
        if let Some(el) = self.scroller.get_untracked() {
            el.set_scroll_top(0);
        }
        self.top.set(0.0);
        self.focus.set(0);
    }
}

/// Focuses `row` without the browser's own scroll into view: the window has scrolled it to where
/// it belongs (below the sticky header), and a second scroll would move the window again.
fn focus_in_place(row: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = row.focus_with_options(&options);
}

/// Where row 0 of the window's rows is (or would be) in the box, from the first row rendered
/// (by its own `data-pos`: the window's range may already have moved while the page has not
/// caught up), below the header and any rows above the window; and the header row's height
/// (sticky, it covers the top of the view).
fn origin(el: &web_sys::HtmlDivElement) -> (f64, f64) {
    use wasm_bindgen::JsCast;
    let element = |css: &str| {
        el.query_selector(css)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let first = element("tbody tr[data-pos]").and_then(|r| {
        let pos = r.get_attribute("data-pos")?.parse::<usize>().ok()?;
        Some(r.offset_top() as f64 - pos as f64 * TABLE_ROW)
    });
    let header = element("thead tr").map(|h| h.offset_height() as f64);
    (first.unwrap_or(0.0), header.unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_the_view_and_its_overscan() {
        // 10,000 rows of 20 px, 400 px shown from row 500.
        let (s, e) = window(500.0 * 20.0, 400.0, 10_000, 20.0, 8);
        assert_eq!((s, e), (492, 529));
        assert_eq!(window(0.0, 400.0, 10_000, 20.0, 8), (0, 29));
        assert_eq!(window(0.0, 400.0, 3, 20.0, 8), (0, 3));
        assert_eq!(window(0.0, 400.0, 0, 20.0, 8), (0, 0));
        // 100,000 rows: the window's size does not grow with the list.
        let (s, e) = window(50_000.0 * 44.0, 660.0, 100_000, 44.0, 6);
        assert_eq!((s, e), (49_994, 50_022));
        // The last row of 100,000 is in the window when scrolled to the end.
        let end = 100_000.0 * 44.0 - 660.0;
        let (s, e) = window(end, 660.0, 100_000, 44.0, 6);
        assert_eq!(e, 100_000);
        assert!(e - s <= 16 + 2 * 6);
    }

    #[test]
    fn a_scroll_past_the_end_shows_the_last_rows() {
        // The list shrank from 10,000 to 100 rows while scrolled far down.
        let (s, e) = window(1e6, 400.0, 100, 20.0, 8);
        assert_eq!(e, 100);
        assert!(s < 100 && e - s >= 21, "{s}..{e}");
    }

    #[test]
    fn scrolling_to_a_row_moves_only_as_far_as_needed() {
        // View of 440 px at 0 with a 44 px header over it: rows 0..=9 are under or below it.
        assert_eq!(scroll_to_show(3, 0.0, 440.0, 44.0, 44.0), None);
        // Row 10 is just below: scroll by one row.
        assert_eq!(scroll_to_show(10, 0.0, 440.0, 44.0, 44.0), Some(44.0));
        // Row 0 under the header after scrolling: back to where the header is above it.
        assert_eq!(scroll_to_show(0, 44.0, 440.0, 44.0, 44.0), Some(-44.0));
        // Far away: put it at the bottom edge when going down.
        assert_eq!(
            scroll_to_show(99_999, 0.0, 440.0, 44.0, 44.0),
            Some(100_000.0 * 44.0 - 440.0)
        );
    }
}
