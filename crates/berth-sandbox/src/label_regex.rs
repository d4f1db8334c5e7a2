//! The regular expressions of PromQL's `=~` and `!~` label matchers, anchored at both ends as
//! Prometheus anchors them, for the sandbox's small evaluator (prometheus.rs): literals, `.`,
//! classes (`[a-z0-9_-]`, `[^/]`, `\d`, `\w`, `\s`), groups (`(...)`, `(?:...)`), alternation
//! (`a|b`), and the repetitions `*`, `+`, `?`. Compiled to a Thompson automaton and run as a Pike
//! VM: time linear in the text, whatever the pattern (no backtracking to blow up).

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
    Quest(Box<Node>),
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled label regex.
#[derive(Debug, Clone)]
pub struct LabelRegex {
    prog: Vec<Inst>,
}

/// Patterns longer than this are refused (label regexes are short).
const MAX_PATTERN: usize = 4096;

impl LabelRegex {
    pub fn new(pattern: &str) -> Result<LabelRegex, String> {
        if pattern.chars().count() > MAX_PATTERN {
            return Err(format!("the regex is longer than {MAX_PATTERN} characters"));
        }
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser { c: &chars, at: 0 };
        // Prometheus anchors the pattern itself; explicit anchors at its edges change nothing.
        if p.c.first() == Some(&'^') {
            p.at = 1;
        }
        let node = p.alt()?;
        if p.at < chars.len() {
            return Err(format!(
                "unexpected `{}` at position {} of the regex",
                chars[p.at], p.at
            ));
        }
        let mut prog = Vec::new();
        compile(&node, &mut prog);
        prog.push(Inst::Match);
        Ok(LabelRegex { prog })
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        let n = self.prog.len();
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut step = 0usize;
        add(&self.prog, &mut current, &mut seen, step, 0);
        for ch in text.chars() {
            step += 1;
            next.clear();
            for &pc in &current {
                let ok = match &self.prog[pc] {
                    Inst::Char(c) => *c == ch,
                    Inst::Any => ch != '\n',
                    Inst::Class(ranges, negated) => in_class(ranges, *negated, ch),
                    _ => false,
                };
                if ok {
                    add(&self.prog, &mut next, &mut seen, step, pc + 1);
                }
            }
            std::mem::swap(&mut current, &mut next);
            if current.is_empty() {
                return false;
            }
        }
        current
            .iter()
            .any(|&pc| matches!(self.prog[pc], Inst::Match))
    }
}

fn in_class(ranges: &[(char, char)], negated: bool, ch: char) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= ch && ch <= hi) != negated
}

/// Adds the thread at `pc` and everything reachable from it without reading a character.
fn add(prog: &[Inst], list: &mut Vec<usize>, seen: &mut [usize], step: usize, pc: usize) {
    let mut stack = vec![pc];
    while let Some(pc) = stack.pop() {
        if seen[pc] == step {
            continue;
        }
        seen[pc] = step;
        match prog[pc] {
            Inst::Jmp(to) => stack.push(to),
            Inst::Split(a, b) => {
                // Order does not matter: only whether a thread matches is asked.
                stack.push(b);
                stack.push(a);
            }
            _ => list.push(pc),
        }
    }
}

fn compile(node: &Node, prog: &mut Vec<Inst>) {
    match node {
        Node::Empty => {}
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(r, n) => prog.push(Inst::Class(r.clone(), *n)),
        Node::Concat(parts) => parts.iter().for_each(|p| compile(p, prog)),
        Node::Alt(alts) => {
            // split L1, next; L1: a; jmp end; next: split L2, ...; last alternative; end:
            let mut jumps = Vec::new();
            for (i, alt) in alts.iter().enumerate() {
                if i + 1 < alts.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(alt, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let after = prog.len();
                    prog[split] = Inst::Split(split + 1, after);
                } else {
                    compile(alt, prog);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Star(inner) => {
            let split = prog.len();
            prog.push(Inst::Split(0, 0));
            compile(inner, prog);
            prog.push(Inst::Jmp(split));
            let end = prog.len();
            prog[split] = Inst::Split(split + 1, end);
        }
        Node::Plus(inner) => {
            let start = prog.len();
            compile(inner, prog);
            let end = prog.len() + 1;
            prog.push(Inst::Split(start, end));
        }
        Node::Quest(inner) => {
            let split = prog.len();
            prog.push(Inst::Split(0, 0));
            compile(inner, prog);
            let end = prog.len();
            prog[split] = Inst::Split(split + 1, end);
        }
    }
}

struct Parser<'a> {
    c: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.at).copied()
    }

    fn alt(&mut self) -> Result<Node, String> {
        let mut alts = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.at += 1;
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut parts = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            // `$` closes the pattern (Prometheus anchors it anyway).
            if c == '$' && self.at + 1 == self.c.len() {
                self.at += 1;
                break;
            }
            let atom = self.atom()?;
            let atom = match self.peek() {
                Some('*') => Node::Star(Box::new(atom)),
                Some('+') => Node::Plus(Box::new(atom)),
                Some('?') => Node::Quest(Box::new(atom)),
                Some('{') => {
                    return Err(
                        "counted repetitions (`{n,m}`) are not supported by the sandbox".into(),
                    )
                }
                _ => {
                    parts.push(atom);
                    continue;
                }
            };
            self.at += 1;
            if matches!(self.peek(), Some('*' | '+' | '?')) {
                // `a*?` (lazy) matches the same texts; `a**` is refused as Go's regexp does.
                if self.peek() == Some('?') {
                    self.at += 1;
                } else {
                    return Err(format!("invalid nested repetition at position {}", self.at));
                }
            }
            parts.push(atom);
        }
        Ok(match parts.len() {
            0 => Node::Empty,
            1 => parts.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(parts),
        })
    }

    fn atom(&mut self) -> Result<Node, String> {
        let at = self.at;
        let Some(c) = self.peek() else {
            return Err("unexpected end of the regex".into());
        };
        self.at += 1;
        match c {
            '.' => Ok(Node::Any),
            '(' => {
                if self.c.get(self.at..self.at + 2) == Some(&['?', ':']) {
                    self.at += 2;
                } else if self.peek() == Some('?') {
                    return Err("group flags (`(?i)`, ...) are not supported by the sandbox".into());
                }
                let inner = self.alt()?;
                if self.peek() != Some(')') {
                    return Err(format!("missing `)` for the `(` at position {at}"));
                }
                self.at += 1;
                Ok(inner)
            }
            ')' => Err(format!("unexpected `)` at position {at}")),
            '*' | '+' | '?' => Err(format!("missing argument to repetition operator `{c}`")),
            '[' => self.class(),
            '\\' => self.escape(false).map(|(ranges, negated)| match ranges[..] {
                [(lo, hi)] if lo == hi && !negated => Node::Char(lo),
                _ => Node::Class(ranges, negated),
            }),
            '^' | '$' => Err(format!(
                "`{c}` inside the regex is not supported by the sandbox (Prometheus anchors label regexes)"
            )),
            c => Ok(Node::Char(c)),
        }
    }

    /// After a `\`: a class (`\d`) or one escaped character.
    fn escape(&mut self, in_class: bool) -> Result<(Vec<(char, char)>, bool), String> {
        let Some(c) = self.peek() else {
            return Err("trailing `\\` in the regex".into());
        };
        self.at += 1;
        let digits = vec![('0', '9')];
        let word = vec![('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')];
        let space = vec![(' ', ' '), ('\t', '\r')];
        Ok(match c {
            'd' => (digits, false),
            'D' if !in_class => (digits, true),
            'w' => (word, false),
            'W' if !in_class => (word, true),
            's' => (space, false),
            'S' if !in_class => (space, true),
            'n' => (vec![('\n', '\n')], false),
            't' => (vec![('\t', '\t')], false),
            c if c.is_ascii_alphanumeric() => {
                return Err(format!(
                    "the escape `\\{c}` is not supported by the sandbox"
                ))
            }
            c => (vec![(c, c)], false),
        })
    }

    fn class(&mut self) -> Result<Node, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("missing `]` in the regex".into());
            };
            self.at += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                let (r, neg) = self.escape(true)?;
                if neg || r.len() != 1 || r[0].0 != r[0].1 {
                    ranges.extend(r);
                    continue;
                }
                r[0].0
            } else {
                c
            };
            if self.peek() == Some('-') && self.c.get(self.at + 1).is_some_and(|&n| n != ']') {
                self.at += 1;
                let Some(mut hi) = self.peek() else {
                    return Err("missing `]` in the regex".into());
                };
                self.at += 1;
                if hi == '\\' {
                    let (r, _) = self.escape(true)?;
                    hi = r.first().map_or(hi, |x| x.0);
                }
                if hi < lo {
                    return Err(format!("invalid character class range `{lo}-{hi}`"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(ranges, negated))
    }
}

#[cfg(test)]
mod tests {
    use super::LabelRegex;

    fn m(p: &str, t: &str) -> bool {
        LabelRegex::new(p)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .is_match(t)
    }

    #[test]
    fn anchored_like_prometheus() {
        assert!(m("app-z.*", "app-z3f2a9c1e-1234567890-bcdfg"));
        assert!(!m("app-z.*", "xapp-z"));
        assert!(m("web|api", "api"));
        assert!(!m("web|api", "apis"));
        assert!(!m("web|api", "xweb"));
        assert!(m("app-z(3f2a|9999).*", "app-z3f2a9c1e"));
        assert!(m("(?:cpu|memory)", "memory"));
        assert!(m("^cpu$", "cpu"));
        assert!(m("", ""));
        assert!(!m("", "x"));
        assert!(m(".+", "x"));
        assert!(!m(".+", ""));
        assert!(m("a?b", "b"));
        assert!(m("[a-z0-9-]+", "app-z3f"));
        assert!(!m("[a-z]+", "App"));
        assert!(m("[^/]+", "abc"));
        assert!(!m("[^/]+", "a/c"));
        assert!(m("z\\d+", "z123"));
        assert!(m("a\\.b", "a.b"));
        assert!(!m("a\\.b", "axb"));
        assert!(m("app-z.*-.*", "app-z1-2"));
    }

    #[test]
    fn linear_on_hostile_patterns() {
        let text = "a".repeat(5000);
        let start = std::time::Instant::now();
        assert!(!m("(a*)*b", &text));
        assert!(!m("(a|a)*(a|a)*(a|a)*c", &text));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for bad in ["(", "a)", "*a", "a{2}", "(?i)a", "[a", "a**", "\\b", "a^b"] {
            assert!(LabelRegex::new(bad).is_err(), "{bad}");
        }
    }
}
