//! A small PromQL parser and evaluator, for exactly the subset the sandbox's metrics answer:
//!
//! - selectors `metric_name{label="v", label!="v", label=~"re", label!~"re"}` (regexes anchored,
//!   label_regex.rs);
//! - `rate(<selector>[<duration>])`, durations like `30s`, `5m`, `1h`, `1h30m`;
//! - `sum(<expr>)`, `sum by (label, ...) (<expr>)` and `sum(<expr>) by (label, ...)`;
//! - parentheses.
//!
//! Anything else (other functions and aggregations, numbers, binary operators, `offset`, `@`,
//! subqueries) is refused with a message saying the sandbox does not support it. Evaluation
//! follows Prometheus: an instant selector takes the latest sample within the lookback, `rate`
//! extrapolates as Prometheus' `extrapolatedRate` does (counter resets included), `sum` drops
//! the metric name and keeps the `by` labels.

use std::collections::BTreeMap;

use crate::label_regex::LabelRegex;
use crate::times::parse_duration;

pub type Labels = BTreeMap<String, String>;
pub type Points = Vec<(i64, f64)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Eq,
    Ne,
    Re,
    Nre,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub label: String,
    pub op: MatchOp,
    pub value: String,
    re: Option<LabelRegex>,
}

impl Matcher {
    /// Whether a label's value (`""` when the series has no such label) is kept.
    pub fn matches(&self, v: &str) -> bool {
        match (self.op, &self.re) {
            (MatchOp::Eq, _) => v == self.value,
            (MatchOp::Ne, _) => v != self.value,
            (MatchOp::Re, Some(re)) => re.is_match(v),
            (MatchOp::Nre, Some(re)) => !re.is_match(v),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Selector {
    pub metric: String,
    pub matchers: Vec<Matcher>,
}

impl Selector {
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matchers
            .iter()
            .all(|m| m.matches(labels.get(&m.label).map_or("", String::as_str)))
    }
}

#[derive(Debug, Clone)]
pub enum Expr {
    Select(Selector),
    Rate {
        selector: Selector,
        range_ms: i64,
    },
    Sum {
        by: Option<Vec<String>>,
        inner: Box<Expr>,
    },
}

/// The samples of one series.
pub trait Samples {
    /// The samples with `from_ms < t <= to_ms`, oldest first.
    fn range(&self, from_ms: i64, to_ms: i64) -> Points;
    /// What an instant selector sees at `t_ms` (the latest sample within the lookback).
    fn at(&self, t_ms: i64) -> Option<f64>;
}

pub struct Series<'a> {
    /// With `__name__`.
    pub labels: Labels,
    pub samples: Box<dyn Samples + 'a>,
}

/// Where series come from.
pub trait Source {
    /// The series of `metric`, or `None` when the metric is unknown.
    fn series(&self, metric: &str) -> Option<Vec<Series<'_>>>;
    /// The metrics it knows, for the error about an unknown one.
    fn known(&self) -> &[&str];
}

// ---------------------------------------------------------------------------------------------
// Lexing.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    /// The text between `[` and `]`.
    Range(String),
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Eq,
    Ne,
    Re,
    Nre,
    /// A binary operator or another symbol PromQL knows and the sandbox does not.
    Op(String),
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("identifier `{s}`"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Num(s) => format!("number `{s}`"),
        Tok::Range(s) => format!("range `[{s}]`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Eq => "`=`".into(),
        Tok::Ne => "`!=`".into(),
        Tok::Re => "`=~`".into(),
        Tok::Nre => "`!~`".into(),
        Tok::Op(s) => format!("`{s}`"),
        Tok::End => "end of input".into(),
    }
}

fn err_at(pos: usize, msg: impl std::fmt::Display) -> String {
    format!("parse error at char {}: {msg}", pos + 1)
}

fn lex(q: &str) -> Result<Vec<(Tok, usize)>, String> {
    let c: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let start = i;
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let tok = if ch.is_ascii_alphabetic() || ch == '_' || ch == ':' {
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_' || c[i] == ':') {
                i += 1;
            }
            Tok::Ident(c[start..i].iter().collect())
        } else if ch.is_ascii_digit()
            || (ch == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                i += 1;
            }
            Tok::Num(c[start..i].iter().collect())
        } else if ch == '"' || ch == '\'' || ch == '`' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&x) = c.get(i) else {
                    return Err(err_at(start, "unterminated quoted string"));
                };
                i += 1;
                if x == ch {
                    break;
                }
                if x == '\\' && ch != '`' {
                    let Some(&e) = c.get(i) else {
                        return Err(err_at(start, "unterminated quoted string"));
                    };
                    i += 1;
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        '\\' => s.push('\\'),
                        '"' | '\'' => s.push(e),
                        // Kept as written, so `"a\.b"` reaches the regex as `a\.b`.
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                } else {
                    s.push(x);
                }
            }
            Tok::Str(s)
        } else if ch == '[' {
            i += 1;
            let from = i;
            while i < c.len() && c[i] != ']' {
                i += 1;
            }
            if i >= c.len() {
                return Err(err_at(start, "missing `]`"));
            }
            i += 1;
            Tok::Range(c[from..i - 1].iter().collect::<String>().trim().to_string())
        } else {
            i += 1;
            let next = c.get(i).copied();
            match (ch, next) {
                ('(', _) => Tok::LParen,
                (')', _) => Tok::RParen,
                ('{', _) => Tok::LBrace,
                ('}', _) => Tok::RBrace,
                (',', _) => Tok::Comma,
                ('=', Some('~')) => {
                    i += 1;
                    Tok::Re
                }
                ('=', Some('=')) => {
                    i += 1;
                    Tok::Op("==".into())
                }
                ('=', _) => Tok::Eq,
                ('!', Some('=')) => {
                    i += 1;
                    Tok::Ne
                }
                ('!', Some('~')) => {
                    i += 1;
                    Tok::Nre
                }
                ('<' | '>', Some('=')) => {
                    i += 1;
                    Tok::Op(format!("{ch}="))
                }
                ('+' | '-' | '*' | '/' | '%' | '^' | '<' | '>' | '@', _) => Tok::Op(ch.into()),
                _ => return Err(err_at(start, format!("unexpected character `{ch}`"))),
            }
        };
        out.push((tok, start));
    }
    out.push((Tok::End, c.len()));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parsing.

/// PromQL's aggregations and functions the sandbox does not evaluate (named in the refusal).
const OTHER_CALLS: &[&str] = &[
    "avg",
    "min",
    "max",
    "count",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "quantile",
    "count_values",
    "limitk",
    "limit_ratio",
    "irate",
    "increase",
    "delta",
    "idelta",
    "deriv",
    "predict_linear",
    "histogram_quantile",
    "abs",
    "ceil",
    "floor",
    "round",
    "clamp",
    "clamp_min",
    "clamp_max",
    "label_replace",
    "label_join",
    "avg_over_time",
    "max_over_time",
    "min_over_time",
    "sum_over_time",
    "count_over_time",
    "last_over_time",
    "quantile_over_time",
    "absent",
    "absent_over_time",
    "changes",
    "resets",
    "sort",
    "sort_desc",
    "time",
    "timestamp",
    "vector",
    "scalar",
    "exp",
    "ln",
    "log2",
    "log10",
    "sqrt",
    "sgn",
];

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
}

/// Parses a query of the sandbox's subset.
pub fn parse(q: &str) -> Result<Expr, String> {
    let toks = lex(q)?;
    let mut p = Parser { toks, i: 0 };
    if p.peek() == &Tok::End {
        return Err("empty query".into());
    }
    let e = p.expr()?;
    match p.peek().clone() {
        Tok::End => Ok(e),
        Tok::Op(op) => Err(p.err(format!(
            "binary operators (`{op}`) are not supported by the sandbox's PromQL subset"
        ))),
        Tok::Ident(w) if matches!(w.as_str(), "offset" | "and" | "or" | "unless") => Err(p.err(
            format!("`{w}` is not supported by the sandbox's PromQL subset"),
        )),
        other => Err(p.err(format!("unexpected {}", describe(&other)))),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.i).map_or(&Tok::End, |t| &t.0)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.i + n).map_or(&Tok::End, |t| &t.0)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.i).map_or(0, |t| t.1)
    }

    fn err(&self, msg: impl std::fmt::Display) -> String {
        err_at(self.pos(), msg)
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.i += 1;
        t
    }

    fn expect(&mut self, want: &Tok) -> Result<(), String> {
        if self.peek() == want {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(format!(
                "expected {}, found {}",
                describe(want),
                describe(self.peek())
            )))
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        match self.peek().clone() {
            Tok::Ident(name) => {
                let called = matches!(self.peek_at(1), Tok::LParen)
                    || matches!(self.peek_at(1), Tok::Ident(w) if w == "by" || w == "without");
                match name.as_str() {
                    "sum" if called => self.sum(),
                    "rate" if called => self.rate(),
                    other if called && OTHER_CALLS.contains(&other) => Err(self.err(format!(
                        "`{other}` is not supported by the sandbox's PromQL subset (only selectors, rate(), sum and sum by)"
                    ))),
                    other if called => Err(self.err(format!("unknown function `{other}`"))),
                    _ => {
                        self.i += 1;
                        let sel = self.selector(Some(name))?;
                        if let Tok::Range(r) = self.peek().clone() {
                            return Err(self.err(format!(
                                "a range vector (`[{r}]`) is supported only inside rate()"
                            )));
                        }
                        Ok(Expr::Select(sel))
                    }
                }
            }
            Tok::LBrace => {
                let sel = self.selector(None)?;
                if matches!(self.peek(), Tok::Range(_)) {
                    return Err(self.err("a range vector is supported only inside rate()"));
                }
                Ok(Expr::Select(sel))
            }
            Tok::LParen => {
                self.i += 1;
                let e = self.expr()?;
                self.expect(&Tok::RParen)?;
                Ok(e)
            }
            Tok::Num(n) => Err(self.err(format!(
                "numbers (`{n}`) are not supported by the sandbox's PromQL subset"
            ))),
            Tok::Str(_) => Err(self.err(
                "string literals are not supported by the sandbox's PromQL subset",
            )),
            Tok::Op(op) => Err(self.err(format!(
                "unary and binary operators (`{op}`) are not supported by the sandbox's PromQL subset"
            ))),
            other => Err(self.err(format!("unexpected {}", describe(&other)))),
        }
    }

    fn by_labels(&mut self) -> Result<Vec<String>, String> {
        match self.next() {
            Tok::Ident(w) if w == "by" => {}
            Tok::Ident(w) if w == "without" => {
                self.i -= 1;
                return Err(self
                    .err("`without` is not supported by the sandbox's PromQL subset (use `by`)"));
            }
            other => {
                self.i -= 1;
                return Err(self.err(format!("expected `by`, found {}", describe(&other))));
            }
        }
        self.expect(&Tok::LParen)?;
        let mut labels = Vec::new();
        loop {
            match self.next() {
                Tok::RParen => break,
                Tok::Ident(l) => {
                    labels.push(l);
                    match self.next() {
                        Tok::Comma => {}
                        Tok::RParen => break,
                        other => {
                            self.i -= 1;
                            return Err(self.err(format!(
                                "expected `,` or `)` in the grouping labels, found {}",
                                describe(&other)
                            )));
                        }
                    }
                }
                other => {
                    self.i -= 1;
                    return Err(
                        self.err(format!("expected a label name, found {}", describe(&other)))
                    );
                }
            }
        }
        Ok(labels)
    }

    fn sum(&mut self) -> Result<Expr, String> {
        self.i += 1; // sum
        let mut by = None;
        if matches!(self.peek(), Tok::Ident(_)) {
            by = Some(self.by_labels()?);
        }
        self.expect(&Tok::LParen)?;
        let inner = self.expr()?;
        self.expect(&Tok::RParen)?;
        if matches!(self.peek(), Tok::Ident(w) if w == "by" || w == "without") {
            if by.is_some() {
                return Err(self.err("`by` may be given once"));
            }
            by = Some(self.by_labels()?);
        }
        Ok(Expr::Sum {
            by,
            inner: Box::new(inner),
        })
    }

    fn rate(&mut self) -> Result<Expr, String> {
        self.i += 1; // rate
        self.expect(&Tok::LParen)?;
        let selector = match self.peek().clone() {
            Tok::Ident(name) if !matches!(self.peek_at(1), Tok::LParen) => {
                self.i += 1;
                self.selector(Some(name))?
            }
            Tok::LBrace => self.selector(None)?,
            other => {
                return Err(self.err(format!(
                    "rate() takes a range vector selector such as `metric{{...}}[5m]`, found {}",
                    describe(&other)
                )))
            }
        };
        let range_ms = match self.next() {
            Tok::Range(r) => {
                if r.contains(':') {
                    self.i -= 1;
                    return Err(
                        self.err("subqueries are not supported by the sandbox's PromQL subset")
                    );
                }
                parse_duration(&r).ok_or_else(|| {
                    err_at(
                        self.toks.get(self.i - 1).map_or(0, |t| t.1),
                        format!("bad duration `{r}`: expected e.g. 30s, 5m, 1h"),
                    )
                })?
            }
            other => {
                self.i -= 1;
                return Err(self.err(format!(
                    "rate() needs a range, e.g. `[5m]`, found {}",
                    describe(&other)
                )));
            }
        };
        self.expect(&Tok::RParen)?;
        Ok(Expr::Rate { selector, range_ms })
    }

    /// A selector, its metric name already read (or in a `__name__` matcher).
    fn selector(&mut self, name: Option<String>) -> Result<Selector, String> {
        let mut matchers = Vec::new();
        if self.peek() == &Tok::LBrace {
            self.i += 1;
            loop {
                let label = match self.next() {
                    Tok::RBrace => break,
                    Tok::Ident(l) => l,
                    other => {
                        self.i -= 1;
                        return Err(
                            self.err(format!("expected a label name, found {}", describe(&other)))
                        );
                    }
                };
                let op = match self.next() {
                    Tok::Eq => MatchOp::Eq,
                    Tok::Ne => MatchOp::Ne,
                    Tok::Re => MatchOp::Re,
                    Tok::Nre => MatchOp::Nre,
                    other => {
                        self.i -= 1;
                        return Err(self.err(format!(
                            "expected a label matching operator (=, !=, =~, !~), found {}",
                            describe(&other)
                        )));
                    }
                };
                let value_pos = self.pos();
                let value = match self.next() {
                    Tok::Str(v) => v,
                    other => {
                        self.i -= 1;
                        return Err(self.err(format!(
                            "expected a quoted label value, found {}",
                            describe(&other)
                        )));
                    }
                };
                let re = match op {
                    MatchOp::Re | MatchOp::Nre => Some(
                        LabelRegex::new(&value)
                            .map_err(|e| err_at(value_pos, format!("error parsing regexp: {e}")))?,
                    ),
                    _ => None,
                };
                matchers.push(Matcher {
                    label,
                    op,
                    value,
                    re,
                });
                match self.next() {
                    Tok::Comma => {}
                    Tok::RBrace => break,
                    other => {
                        self.i -= 1;
                        return Err(self.err(format!(
                            "expected `,` or `}}` in the label matchers, found {}",
                            describe(&other)
                        )));
                    }
                }
            }
        }
        let named = matchers
            .iter()
            .position(|m| m.label == "__name__" && m.op == MatchOp::Eq);
        let metric = match (name, named) {
            (Some(n), None) => n,
            (None, Some(i)) => matchers.remove(i).value,
            (Some(_), Some(_)) => {
                return Err(self.err("the metric name is given twice"));
            }
            (None, None) => {
                return Err(self
                    .err("a metric name is needed (the sandbox does not select across metrics)"))
            }
        };
        if matchers.iter().any(|m| m.label == "__name__") {
            return Err(
                self.err("`__name__` matchers other than `=` are not supported by the sandbox")
            );
        }
        Ok(Selector { metric, matchers })
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

/// The series `expr` gives at each of `times` (each series with the points where it has a
/// value), sorted by labels.
pub fn eval(expr: &Expr, src: &dyn Source, times: &[i64]) -> Result<Vec<(Labels, Points)>, String> {
    let mut out: Vec<(Labels, Points)> = match expr {
        Expr::Select(sel) => select(sel, src)?
            .into_iter()
            .map(|s| {
                let points = times
                    .iter()
                    .filter_map(|&t| s.samples.at(t).map(|v| (t, v)))
                    .collect();
                (s.labels, points)
            })
            .collect(),
        Expr::Rate { selector, range_ms } => select(selector, src)?
            .into_iter()
            .map(|s| {
                let points = rates(s.samples.as_ref(), times, *range_ms);
                let mut labels = s.labels;
                labels.remove("__name__");
                (labels, points)
            })
            .collect(),
        Expr::Sum { by, inner } => {
            let mut groups: BTreeMap<Labels, BTreeMap<i64, f64>> = BTreeMap::new();
            for (labels, points) in eval(inner, src, times)? {
                let key: Labels = match by {
                    Some(by) => labels
                        .into_iter()
                        .filter(|(k, v)| by.contains(k) && !v.is_empty())
                        .collect(),
                    None => Labels::new(),
                };
                let group = groups.entry(key).or_default();
                for (t, v) in points {
                    *group.entry(t).or_insert(0.0) += v;
                }
            }
            groups
                .into_iter()
                .map(|(labels, points)| (labels, points.into_iter().collect()))
                .collect()
        }
    };
    out.retain(|(_, points)| !points.is_empty());
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn select<'a>(sel: &Selector, src: &'a dyn Source) -> Result<Vec<Series<'a>>, String> {
    let all = src.series(&sel.metric).ok_or_else(|| {
        format!(
            "unknown metric `{}`: the sandbox has {}",
            sel.metric,
            src.known().join(", ")
        )
    })?;
    Ok(all.into_iter().filter(|s| sel.matches(&s.labels)).collect())
}

/// `rate(series[range_ms])` at each of `times` (ascending). The series' samples over the whole
/// query are read once; each step's window is found by binary search, and the counter resets
/// inside it come from running sums: the cost grows with the samples and the steps, not with
/// their product.
fn rates(samples: &dyn Samples, times: &[i64], range_ms: i64) -> Points {
    let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
        return Points::new();
    };
    let all = samples.range(first.saturating_sub(range_ms), last);
    // resets[i]: what the resets among the first i + 1 samples add back.
    let mut resets = Vec::with_capacity(all.len());
    let mut added = 0.0;
    for (i, &(_, v)) in all.iter().enumerate() {
        if i > 0 && v < all[i - 1].1 {
            added += all[i - 1].1;
        }
        resets.push(added);
    }
    times
        .iter()
        .filter_map(|&t| {
            let from = t.saturating_sub(range_ms);
            let a = all.partition_point(|p| p.0 <= from);
            let b = all.partition_point(|p| p.0 <= t);
            if b < a + 2 {
                return None;
            }
            let window = Window {
                first: all[a],
                last: all[b - 1],
                count: b - a,
                resets: resets[b - 1] - resets[a],
            };
            extrapolated_rate(&window, from, t).map(|v| (t, v))
        })
        .collect()
}

/// What `rate()` needs of the samples in a range: the first, the last, how many, and what the
/// counter resets between them add back.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub first: (i64, f64),
    pub last: (i64, f64),
    pub count: usize,
    pub resets: f64,
}

/// Prometheus' `rate()` over `(range_start, range_end]`: the increase (counter resets added back),
/// extrapolated to the range's edges when the samples come close to them (Prometheus'
/// `extrapolatedRate`), per second. `None` with fewer than two samples.
pub fn extrapolated_rate(w: &Window, range_start: i64, range_end: i64) -> Option<f64> {
    if w.count < 2 {
        return None;
    }
    let (first_t, first_v) = w.first;
    let (last_t, last_v) = w.last;
    let result = last_v - first_v + w.resets;
    let mut to_start = (first_t - range_start) as f64 / 1000.0;
    let mut to_end = (range_end - last_t) as f64 / 1000.0;
    let sampled = (last_t - first_t) as f64 / 1000.0;
    if sampled <= 0.0 {
        return None;
    }
    let average = sampled / (w.count - 1) as f64;
    let threshold = average * 1.1;
    if to_start >= threshold {
        to_start = average / 2.0;
    }
    if result > 0.0 && first_v >= 0.0 {
        let to_zero = sampled * (first_v / result);
        if to_zero < to_start {
            to_start = to_zero;
        }
    }
    if to_end >= threshold {
        to_end = average / 2.0;
    }
    let range = (range_end - range_start) as f64 / 1000.0;
    Some(result * (sampled + to_start + to_end) / sampled / range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Expr {
        parse(q).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn parses_the_subset() {
        match p(
            r#"sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="zabc", container!="", pod=~"app-z.*"}[5m]))"#,
        ) {
            Expr::Sum {
                by: Some(by),
                inner,
            } => {
                assert_eq!(by, ["pod"]);
                match *inner {
                    Expr::Rate { selector, range_ms } => {
                        assert_eq!(selector.metric, "container_cpu_usage_seconds_total");
                        assert_eq!(selector.matchers.len(), 3);
                        assert_eq!(range_ms, 300_000);
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(p("sum(rate(x[30s])) by (pod, container)"), Expr::Sum { by: Some(b), .. } if b.len() == 2)
        );
        assert!(matches!(p("sum(x)"), Expr::Sum { by: None, .. }));
        assert!(matches!(p("sum by () (x)"), Expr::Sum { by: Some(b), .. } if b.is_empty()));
        assert!(matches!(p("(x{a='b',})"), Expr::Select(s) if s.matchers.len() == 1));
        assert!(
            matches!(p(r#"{__name__="x", pod="p"}"#), Expr::Select(s) if s.metric == "x" && s.matchers.len() == 1)
        );
        assert!(matches!(
            p("rate(x[1h30m])"),
            Expr::Rate {
                range_ms: 5_400_000,
                ..
            }
        ));
    }

    #[test]
    fn refuses_the_rest_saying_why() {
        for (q, says) in [
            ("avg(x)", "not supported"),
            ("irate(x[5m])", "not supported"),
            ("x + 1", "binary operators"),
            ("x > 0", "binary operators"),
            ("1", "numbers"),
            ("x[5m]", "only inside rate()"),
            ("rate(x)", "needs a range"),
            ("rate(x[5q])", "bad duration"),
            ("rate(x[5m:1m])", "subqueries"),
            ("sum without (pod) (x)", "without"),
            ("x offset 5m", "offset"),
            ("x{a=b}", "quoted label value"),
            ("x{a=~\"(\"}", "regexp"),
            ("{a=\"b\"}", "metric name"),
            ("", "empty"),
            ("x{", "expected a label name"),
            ("sum(x", "expected `)`"),
            ("foo(x)", "unknown function"),
            ("x y", "unexpected"),
        ] {
            let e = parse(q).expect_err(q);
            assert!(e.contains(says), "{q}: {e}");
        }
    }

    /// The window of `samples` (oldest first), `None` when empty.
    fn window_of(samples: &[(i64, f64)]) -> Option<Window> {
        let resets = samples
            .windows(2)
            .filter(|w| w[1].1 < w[0].1)
            .map(|w| w[0].1)
            .sum();
        Some(Window {
            first: *samples.first()?,
            last: *samples.last()?,
            count: samples.len(),
            resets,
        })
    }

    struct Fake(Vec<(Labels, Points)>);

    struct FakeSamples(Points);

    impl Samples for FakeSamples {
        fn range(&self, from: i64, to: i64) -> Points {
            self.0
                .iter()
                .copied()
                .filter(|(t, _)| *t > from && *t <= to)
                .collect()
        }
        fn at(&self, t: i64) -> Option<f64> {
            self.0
                .iter()
                .rev()
                .find(|(s, _)| *s <= t && *s > t - 300_000)
                .map(|p| p.1)
        }
    }

    impl Source for Fake {
        fn series(&self, metric: &str) -> Option<Vec<Series<'_>>> {
            (metric == "m").then(|| {
                self.0
                    .iter()
                    .map(|(l, p)| Series {
                        labels: l.clone(),
                        samples: Box::new(FakeSamples(p.clone())),
                    })
                    .collect()
            })
        }
        fn known(&self) -> &[&str] {
            &["m"]
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn evaluates_selectors_rates_and_sums() {
        // Two counters growing 1/s and 2/s, sampled every 15 s.
        let pts = |rate: f64| {
            (0..100)
                .map(|k| (k * 15_000, k as f64 * 15.0 * rate))
                .collect()
        };
        let src = Fake(vec![
            (
                labels(&[("__name__", "m"), ("pod", "a"), ("c", "x")]),
                pts(1.0),
            ),
            (
                labels(&[("__name__", "m"), ("pod", "b"), ("c", "x")]),
                pts(2.0),
            ),
        ]);
        let times = [600_000, 900_000];
        let r = eval(&p("rate(m[5m])"), &src, &times).expect("eval");
        assert_eq!(r.len(), 2);
        assert!(!r[0].0.contains_key("__name__"));
        for (t, v) in &r[0].1 {
            assert!((v - 1.0).abs() < 1e-9, "{t}: {v}");
        }
        let s = eval(&p("sum by (c) (rate(m[5m]))"), &src, &times).expect("eval");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, labels(&[("c", "x")]));
        assert!((s[0].1[0].1 - 3.0).abs() < 1e-9);
        let all = eval(&p("sum(m{pod=~\"a|b\"})"), &src, &[600_000]).expect("eval");
        assert_eq!(all[0].0, Labels::new());
        assert_eq!(all[0].1, vec![(600_000, 600.0 + 1200.0)]);
        let one = eval(&p("m{pod!=\"a\"}"), &src, &[600_000]).expect("eval");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0["__name__"], "m");
        assert!(eval(&p("nope"), &src, &times)
            .unwrap_err()
            .contains("unknown metric `nope`"));
        // Before any sample: no point, no series.
        assert!(eval(&p("m"), &src, &[-1000]).expect("eval").is_empty());
    }

    #[test]
    fn rate_handles_counter_resets_like_prometheus() {
        // 1/s, reset to 0 at 60 s.
        let samples: Points = (1..=8)
            .map(|k| {
                let t = k * 15_000;
                (
                    t,
                    if t < 60_000 {
                        t as f64 / 1000.0
                    } else {
                        (t - 60_000) as f64 / 1000.0
                    },
                )
            })
            .collect();
        // Increase 45 + 45 (the reset adds back the 45 before it) over 105 s of samples,
        // extrapolated to the 15 s before the first: 90 × 120/105 over 120 s.
        let window = window_of(&samples).expect("samples");
        let r = extrapolated_rate(&window, 0, 120_000).expect("rate");
        assert!((r - 90.0 / 105.0).abs() < 1e-9, "{r}");
        let one = window_of(&samples[..1]).expect("a sample");
        assert_eq!(extrapolated_rate(&one, 0, 120_000), None);
        // Read once for many steps, the same rates as window by window.
        let fake = FakeSamples(samples.clone());
        let steps: Vec<i64> = (4..=8).map(|k| k * 15_000).collect();
        let once = rates(&fake, &steps, 45_000);
        let each: Points = steps
            .iter()
            .filter_map(|&t| {
                let w = window_of(&fake.range(t - 45_000, t))?;
                extrapolated_rate(&w, t - 45_000, t).map(|v| (t, v))
            })
            .collect();
        assert_eq!(once, each);
        assert_eq!(once.len(), 5);
    }
}
