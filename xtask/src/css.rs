//! The release build's stylesheet without comments and layout whitespace: about 0.6 KB brotli off
//! the first screen (docs/delivery.md). Trunk 0.21's own `minify` would also rewrite index.html and
//! the JS that the split hook edits, so only the CSS is done here, by a minifier small enough to
//! read: quoted strings are copied as they are, comments dropped, runs of whitespace become one
//! space, and none is kept next to `{ } ; , >`.

/// `css` minified; the rules and their order are unchanged.
pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space);
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = '\0';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                // A comment between two words still separates them.
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ',' | '>' => {
                pending_space = false;
                // A declaration's last `;` is not needed before its block ends.
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                skip_space(&mut chars);
            }
            _ => {
                flush_space(&mut out, &mut pending_space);
                out.push(c);
            }
        }
    }
    out
}

fn flush_space(out: &mut String, pending: &mut bool) {
    if *pending && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', '>']) {
        out.push(' ');
    }
    *pending = false;
}

fn skip_space(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn comments_and_layout_go_and_meaning_stays() {
        let css = "/* head */\n.berth .a > .b,\n.berth .c {\n  color: red;\n  font: 12px \"Segoe  UI\", sans-serif; /* x */\n}\n\
                   @media (max-width: 700px) {\n  .berth .d:hover { margin: 0 auto; }\n}\n";
        assert_eq!(
            minify(css),
            ".berth .a>.b,.berth .c{color: red;font: 12px \"Segoe  UI\",sans-serif}\
             @media (max-width: 700px){.berth .d:hover{margin: 0 auto}}"
        );
    }

    #[test]
    fn a_selector_space_before_a_colon_is_kept() {
        // `.a :hover` (any hovered descendant) is not `.a:hover`.
        assert_eq!(minify(".a :hover { x: y }"), ".a :hover{x: y}");
        assert_eq!(minify("a/**/b{}"), "a b{}");
        assert_eq!(
            minify("content: '/* not a comment */';"),
            "content: '/* not a comment */';"
        );
    }
}
