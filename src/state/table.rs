//! Search, sort and status filter over loaded rows: pure functions, reflected in the URL query
//! (`q`, `sort`, `dir`, `status`) so a link reopens the same view.

use std::cmp::Ordering;

/// A value to sort on, borrowed from the row (rows keep lower-cased copies of their text
/// columns, so sorting 10,000 rows allocates nothing).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub enum SortKey<'a> {
    Text(&'a str),
    Num(f64),
}

/// What a table needs from its rows.
pub trait Row {
    /// What identifies the row across loads (a container id, an app uid).
    fn id(&self) -> &str;
    /// Lower-cased text that search matches against (computed once per row).
    fn haystack(&self) -> &str;
    /// The status a status filter compares with.
    fn status(&self) -> &str;
    /// The value of column `col` for sorting.
    fn sort_key(&self, col: &str) -> SortKey<'_>;
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TableQuery {
    pub search: String,
    pub sort: Option<String>,
    pub desc: bool,
    pub status: Option<String>,
}

impl TableQuery {
    /// Reads the query from URL parameters.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        TableQuery {
            search: get("q").unwrap_or_default(),
            sort: get("sort").filter(|s| !s.is_empty()),
            desc: get("dir").as_deref() == Some("desc"),
            status: get("status").filter(|s| !s.is_empty()),
        }
    }

    /// The URL parameters of this query (empty ones left out), after `keep` (other parameters).
    pub fn to_params(&self, keep: &[(String, String)]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = keep
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "q" | "sort" | "dir" | "status"))
            .cloned()
            .collect();
        if !self.search.is_empty() {
            out.push(("q".into(), self.search.clone()));
        }
        if let Some(s) = &self.sort {
            out.push(("sort".into(), s.clone()));
            if self.desc {
                out.push(("dir".into(), "desc".into()));
            }
        }
        if let Some(s) = &self.status {
            out.push(("status".into(), s.clone()));
        }
        out
    }

    /// Clicking a column header: sort by it, or flip the direction if it is already the sort.
    pub fn toggled(&self, col: &str) -> TableQuery {
        let mut q = self.clone();
        if q.sort.as_deref() == Some(col) {
            q.desc = !q.desc;
        } else {
            q.sort = Some(col.to_string());
            q.desc = false;
        }
        q
    }
}

/// A query string from parameters (`?a=1&b=2`, or empty).
pub fn query_string(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                berth_api::http::encode(k),
                berth_api::http::encode(v)
            )
        })
        .collect();
    format!("?{}", parts.join("&"))
}

/// Row indexes in sort order (stable; the loaded order when unsorted).
pub fn sorted<R: Row>(rows: &[R], sort: Option<&str>, desc: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    if let Some(col) = sort {
        let keys: Vec<SortKey<'_>> = rows.iter().map(|r| r.sort_key(col)).collect();
        idx.sort_by(|a, b| {
            let o = keys[*a].partial_cmp(&keys[*b]).unwrap_or(Ordering::Equal);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    idx
}

/// What a list shows below its toolbar. Decided in a memo from the load state, so a refresh that
/// keeps rows re-renders none of this: the table stays, and its keyed rows update in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListShape {
    /// The first load is under way.
    Skeleton,
    /// Loaded, and nothing to list.
    Empty,
    /// The first load failed: its error panel says it all.
    Nothing,
    Rows,
}

pub fn list_shape(loaded: bool, failed: bool, empty: bool) -> ListShape {
    match (loaded, failed, empty) {
        (false, false, _) => ListShape::Skeleton,
        (false, true, _) => ListShape::Nothing,
        (true, _, true) => ListShape::Empty,
        (true, _, false) => ListShape::Rows,
    }
}

/// Of `order` (from [`sorted`]), the rows matching the search words and the status filter.
pub fn filtered<R: Row>(
    rows: &[R],
    order: &[usize],
    search: &str,
    status: Option<&str>,
) -> Vec<usize> {
    let needle = crate::text::lower(search.trim());
    let words: Vec<&[u8]> = needle.split_whitespace().map(str::as_bytes).collect();
    order
        .iter()
        .copied()
        .filter(|i| {
            let r = &rows[*i];
            status.is_none_or(|s| r.status() == s)
                && words.iter().all(|w| contains(r.haystack().as_bytes(), w))
        })
        .collect()
}

/// Whether `needle` occurs in `hay`. `str::contains` sets up a two-way searcher per call, which
/// was a third of a 10,000-row search in Chrome's profiler; haystacks are short, so a scan for the
/// first byte and a compare is faster.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let mut at = 0;
    while let Some(p) = hay[at..=last].iter().position(|&b| b == first) {
        at += p + 1;
        if &hay[at..at + rest.len()] == rest {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_agrees_with_the_standard_library() {
        let hays = [
            "",
            "a",
            "api-9 active nginx:1.27",
            "aaab",
            "abab",
            "ééx",
            "t3.medium us-east-1",
        ];
        let needles = [
            "",
            "a",
            "b",
            "ab",
            "aab",
            "aaab",
            "aaaab",
            "api-9",
            "nginx:1.27",
            "x",
            "é",
            "-1",
            "medium us",
        ];
        for h in hays {
            for n in needles {
                assert_eq!(
                    contains(h.as_bytes(), n.as_bytes()),
                    h.contains(n),
                    "{n:?} in {h:?}"
                );
            }
        }
    }

    struct R(&'static str, &'static str, f64);
    impl Row for R {
        fn id(&self) -> &str {
            self.0
        }
        fn haystack(&self) -> &str {
            self.0
        }
        fn status(&self) -> &str {
            self.1
        }
        fn sort_key(&self, col: &str) -> SortKey<'_> {
            match col {
                "n" => SortKey::Num(self.2),
                _ => SortKey::Text(self.0),
            }
        }
    }

    fn rows() -> Vec<R> {
        vec![
            R("web nginx", "active", 3.0),
            R("db mysql", "off", 1.0),
            R("api web", "active", 2.0),
        ]
    }

    #[test]
    fn sorts_by_text_or_number_both_ways() {
        let r = rows();
        assert_eq!(sorted(&r, None, false), vec![0, 1, 2]);
        assert_eq!(sorted(&r, Some("name"), false), vec![2, 1, 0]);
        assert_eq!(sorted(&r, Some("n"), true), vec![0, 2, 1]);
    }

    #[test]
    fn filters_by_every_word_and_status() {
        let r = rows();
        let order = sorted(&r, Some("n"), false);
        assert_eq!(filtered(&r, &order, "WEB", None), vec![2, 0]);
        assert_eq!(filtered(&r, &order, "web api", None), vec![2]);
        assert_eq!(filtered(&r, &order, "", Some("off")), vec![1]);
        assert_eq!(
            filtered(&r, &order, "web", Some("off")),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn query_round_trips_through_params() {
        let q = TableQuery {
            search: "a b".into(),
            sort: Some("name".into()),
            desc: true,
            status: Some("off".into()),
        };
        let keep = vec![
            ("max".to_string(), "100".to_string()),
            ("q".to_string(), "old".to_string()),
        ];
        let params = q.to_params(&keep);
        let back = TableQuery::from_params(|k| {
            params.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, q);
        assert_eq!(
            query_string(&params),
            "?max=100&q=a%20b&sort=name&dir=desc&status=off"
        );
        assert!(!q.toggled("name").desc);
        assert_eq!(q.toggled("status").sort.as_deref(), Some("status"));
    }

    #[test]
    fn a_list_shows_its_rows_through_refreshes_and_failures_once_loaded() {
        assert_eq!(list_shape(false, false, true), ListShape::Skeleton);
        assert_eq!(list_shape(false, true, true), ListShape::Nothing);
        assert_eq!(list_shape(true, false, true), ListShape::Empty);
        assert_eq!(list_shape(true, false, false), ListShape::Rows);
        // A failed refresh keeps the rows (the stale-rows panel says why above them).
        assert_eq!(list_shape(true, true, false), ListShape::Rows);
    }
}
