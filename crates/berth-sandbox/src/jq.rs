//! Kopernik's `jq` list filter: jq 1.7 semantics through jaq, applied to each resource's JSON. A
//! resource is kept when any output of the filter is truthy (neither `false` nor `null`); a
//! runtime error on one resource (e.g. `test` on a number) counts as not truthy for it.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::read;

/// A compiled filter, or a message that names the problem and its position in the filter.
pub use jaq_json::Val;

/// Decodes a stored resource for filtering (done once per resource and cached by the caller).
pub fn parse(json: &[u8]) -> Option<Val> {
    read::parse_single(json).ok()
}

pub fn compile(code: &str) -> Result<impl Fn(&Val) -> bool, String> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let at = |rest: &str| code.len().saturating_sub(rest.len()) + 1;
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errs| {
            let mut msgs = Vec::new();
            for (_, e) in errs {
                match e {
                    jaq_core::load::Error::Lex(v) => msgs.extend(v.iter().map(|(exp, rest)| {
                        format!("expected {} at character {}", exp.as_str(), at(rest))
                    })),
                    jaq_core::load::Error::Parse(v) => msgs.extend(v.iter().map(|(exp, rest)| {
                        format!("expected {} at character {}", exp.as_str(), at(rest))
                    })),
                    jaq_core::load::Error::Io(v) => msgs.extend(v.iter().map(|(_, m)| m.clone())),
                }
            }
            format!("jq: syntax error in the filter: {}", msgs.join("; "))
        })?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| {
            let msgs: Vec<String> = errs
                .iter()
                .flat_map(|(_, v)| {
                    v.iter()
                        .map(|(name, undef)| format!("undefined {} `{name}`", describe(undef)))
                })
                .collect();
            format!("jq: the filter does not compile: {}", msgs.join("; "))
        })?;
    Ok(move |input: &Val| {
        let input = input.clone();
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        let truthy = filter
            .id
            .run((ctx, input))
            .map(unwrap_valr)
            .any(|out| matches!(out, Ok(v) if jaq_core::ValT::as_bool(&v)));
        truthy
    })
}

fn describe(u: &jaq_core::compile::Undefined) -> String {
    use jaq_core::compile::Undefined;
    match u {
        Undefined::Mod => "module".into(),
        Undefined::Var => "variable".into(),
        Undefined::Label => "label".into(),
        Undefined::Filter(arity) => format!("filter (with {arity} argument(s))"),
        _ => "symbol".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn filters_like_jq() {
        let app = json!({"name": "web-1", "status": "active", "machine": {"ipv4": [{"address": "203.0.113.1"}]}, "n": 3});
        let text = app.to_string();
        let val = super::parse(text.as_bytes()).expect("valid JSON");
        let keep = |code: &str| super::compile(code).map(|f| f(&val));
        assert_eq!(keep(".status == \"active\""), Ok(true));
        assert_eq!(keep(".name | test(\"^web\")"), Ok(true));
        assert_eq!(keep(".name | startswith(\"db\")"), Ok(false));
        assert_eq!(keep(".missing"), Ok(false));
        assert_eq!(keep(".machine.ipv4 | length > 0"), Ok(true));
        assert_eq!(
            keep(".n | test(\"x\")"),
            Ok(false),
            "a runtime error is not truthy"
        );
        assert_eq!(keep("select(.n > 2) | .name"), Ok(true));
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = super::compile(".name | test(")
            .err()
            .expect("a syntax error");
        assert!(e.starts_with("jq: syntax error in the filter"), "{e}");
        let e = super::compile("nosuchfn(1)")
            .err()
            .expect("a compile error");
        assert!(e.contains("nosuchfn"), "{e}");
    }
}
