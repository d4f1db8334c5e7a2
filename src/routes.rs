//! Every path of the app, built and parsed in one place: each segment and query value is encoded
//! here once, so views never `format!` a path (and never forget to encode one).
//!
//! The paths are those of design.md's route table; the router's own list lives in `app.rs`.

use berth_api::http::encode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppPath {
    Overview,
    Connections,
    Actions,
    /// The Qovery picker, with the organization and project chosen so far (query string).
    QoveryPicker {
        conn: String,
        org: Option<String>,
        project: Option<String>,
    },
    QoveryContainers {
        conn: String,
        org: String,
        project: String,
        env: String,
    },
    QoveryNew {
        conn: String,
        org: String,
        project: String,
        env: String,
    },
    QoveryDetail {
        conn: String,
        id: String,
    },
    QoveryEdit {
        conn: String,
        id: String,
    },
    /// The container's page with one deployment's log open (`?log=<execution id>`, or `latest`).
    QoveryDeploymentLog {
        conn: String,
        id: String,
        execution: String,
    },
    KopernikApps {
        conn: String,
        provider: String,
    },
    KopernikNew {
        conn: String,
        provider: String,
    },
    KopernikDetail {
        conn: String,
        provider: String,
        uid: String,
    },
}

impl AppPath {
    /// The path (and query) relative to the app's root, starting with `/`.
    pub fn to_path(&self) -> String {
        let join = |segments: &[&str]| -> String {
            segments.iter().fold(String::new(), |mut out, s| {
                out.push('/');
                out.push_str(&encode(s));
                out
            })
        };
        match self {
            AppPath::Overview => "/".into(),
            AppPath::Connections => "/connections".into(),
            AppPath::Actions => "/actions".into(),
            AppPath::QoveryPicker { conn, org, project } => {
                let mut out = join(&["q", conn]);
                let query: Vec<String> = [("org", org), ("project", project)]
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
                    .collect();
                if !query.is_empty() {
                    out.push('?');
                    out.push_str(&query.join("&"));
                }
                out
            }
            AppPath::QoveryContainers {
                conn,
                org,
                project,
                env,
            } => join(&["q", conn, org, project, env]),
            AppPath::QoveryNew {
                conn,
                org,
                project,
                env,
            } => join(&["q", conn, org, project, env, "new"]),
            AppPath::QoveryDetail { conn, id } => join(&["q", conn, "containers", id]),
            AppPath::QoveryEdit { conn, id } => join(&["q", conn, "containers", id, "edit"]),
            AppPath::QoveryDeploymentLog {
                conn,
                id,
                execution,
            } => format!(
                "{}?log={}",
                join(&["q", conn, "containers", id]),
                encode(execution)
            ),
            AppPath::KopernikApps { conn, provider } => join(&["k", conn, provider]),
            AppPath::KopernikNew { conn, provider } => join(&["k", conn, provider, "new"]),
            AppPath::KopernikDetail {
                conn,
                provider,
                uid,
            } => join(&["k", conn, provider, "apps", uid]),
        }
    }

    /// Reads a path (relative to the app's root, with an optional query string) back; `None` for
    /// a path the app does not have.
    pub fn parse(path: &str) -> Option<AppPath> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect::<Option<_>>()?;
        let query = |key: &str| -> Option<String> {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| decode(v))
        };
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let own = |x: &str| x.to_string();
        Some(match s.as_slice() {
            [] => AppPath::Overview,
            ["connections"] => AppPath::Connections,
            ["actions"] => AppPath::Actions,
            ["q", conn] => AppPath::QoveryPicker {
                conn: own(conn),
                org: query("org"),
                project: query("project"),
            },
            ["q", conn, "containers", id] => match query("log") {
                Some(execution) => AppPath::QoveryDeploymentLog {
                    conn: own(conn),
                    id: own(id),
                    execution,
                },
                None => AppPath::QoveryDetail {
                    conn: own(conn),
                    id: own(id),
                },
            },
            ["q", conn, "containers", id, "edit"] => AppPath::QoveryEdit {
                conn: own(conn),
                id: own(id),
            },
            ["q", conn, org, project, env] => AppPath::QoveryContainers {
                conn: own(conn),
                org: own(org),
                project: own(project),
                env: own(env),
            },
            ["q", conn, org, project, env, "new"] => AppPath::QoveryNew {
                conn: own(conn),
                org: own(org),
                project: own(project),
                env: own(env),
            },
            ["k", conn, provider] => AppPath::KopernikApps {
                conn: own(conn),
                provider: own(provider),
            },
            ["k", conn, provider, "new"] => AppPath::KopernikNew {
                conn: own(conn),
                provider: own(provider),
            },
            ["k", conn, provider, "apps", uid] => AppPath::KopernikDetail {
                conn: own(conn),
                provider: own(provider),
                uid: own(uid),
            },
            _ => return None,
        })
    }
}

impl std::fmt::Display for AppPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_path())
    }
}

/// Undoes [`encode`]; `None` for a malformed escape or bytes that are not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A route's path (`/q/:conn/containers/:id`), matched as `path!()`'s segments would be, but one
/// type for every route: the router's matching is then compiled once rather than once per route
/// (each `path!()` is a tuple type of its own, and the routes a tuple of those).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern(pub &'static str);

impl Pattern {
    fn segments(self) -> impl Iterator<Item = &'static str> {
        self.0.split('/').filter(|s| !s.is_empty())
    }
}

impl leptos_router::PossibleRouteMatch for Pattern {
    fn optional(&self) -> bool {
        false
    }

    /// Each segment takes one `/`-led part of the path: a static one must equal it, a `:param`
    /// takes it (not empty, not decoded, as `ParamSegment` does). What is left is the caller's.
    fn test<'a>(&self, path: &'a str) -> Option<leptos_router::PartialPathMatch<'a>> {
        let mut rest = path;
        let mut params = Vec::new();
        for segment in self.segments() {
            let part = rest.strip_prefix('/')?;
            let (value, after) = part.split_at(part.find('/').unwrap_or(part.len()));
            match segment.strip_prefix(':') {
                Some(name) if !value.is_empty() => {
                    params.push((std::borrow::Cow::Borrowed(name), value.to_string()))
                }
                None if value == segment => {}
                _ => return None,
            }
            rest = after;
        }
        let matched = &path[..path.len() - rest.len()];
        Some(leptos_router::PartialPathMatch::new(rest, params, matched))
    }

    fn generate_path(&self, path: &mut Vec<leptos_router::PathSegment>) {
        use leptos_router::PathSegment;
        for segment in self.segments() {
            path.push(match segment.strip_prefix(':') {
                Some(name) => PathSegment::Param(name.into()),
                None => PathSegment::Static(segment.into()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(odd: &str) -> Vec<AppPath> {
        let s = |x: &str| format!("{x}{odd}");
        vec![
            AppPath::Overview,
            AppPath::Connections,
            AppPath::Actions,
            AppPath::QoveryPicker {
                conn: s("c"),
                org: None,
                project: None,
            },
            AppPath::QoveryPicker {
                conn: s("c"),
                org: Some(s("o")),
                project: Some(s("p")),
            },
            AppPath::QoveryContainers {
                conn: s("c"),
                org: s("o"),
                project: s("p"),
                env: s("e"),
            },
            AppPath::QoveryNew {
                conn: s("c"),
                org: s("o"),
                project: s("p"),
                env: s("e"),
            },
            AppPath::QoveryDetail {
                conn: s("c"),
                id: s("i"),
            },
            AppPath::QoveryEdit {
                conn: s("c"),
                id: s("i"),
            },
            AppPath::QoveryDeploymentLog {
                conn: s("c"),
                id: s("i"),
                execution: s("x"),
            },
            AppPath::KopernikApps {
                conn: s("c"),
                provider: s("aws"),
            },
            AppPath::KopernikNew {
                conn: s("c"),
                provider: s("aws"),
            },
            AppPath::KopernikDetail {
                conn: s("c"),
                provider: s("aws"),
                uid: s("u"),
            },
        ]
    }

    #[test]
    fn every_path_reads_back_as_itself_whatever_its_ids_hold() {
        for odd in ["", "-1", " a/b?c&d=e#f%20é"] {
            for p in every(odd) {
                let text = p.to_path();
                assert!(text.starts_with('/'), "{text}");
                assert!(
                    !text.contains(' ') && !text.contains('#'),
                    "not encoded: {text}"
                );
                assert_eq!(AppPath::parse(&text), Some(p.clone()), "{text}");
            }
        }
    }

    #[test]
    fn paths_are_those_of_the_route_table() {
        let detail = AppPath::KopernikDetail {
            conn: "sandbox".into(),
            provider: "aws".into(),
            uid: "a b".into(),
        };
        assert_eq!(detail.to_path(), "/k/sandbox/aws/apps/a%20b");
        assert_eq!(
            AppPath::parse("/q/sandbox?org=o1&project=p1"),
            Some(AppPath::QoveryPicker {
                conn: "sandbox".into(),
                org: Some("o1".into()),
                project: Some("p1".into())
            })
        );
        // "containers" and "new" are words of the route table, not ids.
        assert!(matches!(
            AppPath::parse("/q/s/containers/x"),
            Some(AppPath::QoveryDetail { .. })
        ));
        assert_eq!(AppPath::parse("/k/s"), None);
        assert_eq!(AppPath::parse("/nowhere/at/all"), None);
        assert_eq!(AppPath::parse("/k/s/aws/apps/%zz"), None);
    }

    /// `Pattern` answers as the router's own `path!()` segments do, on every route of the app and
    /// paths that match, nearly match or do not.
    #[test]
    fn a_pattern_matches_as_the_routers_segments_do() {
        use leptos_router::{path, PossibleRouteMatch};
        let paths = [
            "",
            "/",
            "/connections",
            "/connections/",
            "/connectionsx",
            "/actions",
            "/q",
            "/q/",
            "/q/c1",
            "/q/c1/",
            "/q//containers/x",
            "/q/c1/containers/x",
            "/q/c1/containers/x/",
            "/q/c1/containers/x/edit",
            "/q/c1/containers/x/editx",
            "/q/c%20d/o/p/e",
            "/q/c1/o/p/e/new",
            "/q/c1/o/p/e/new/more",
            "/k/c1/aws",
            "/k/c1/aws/new",
            "/k/c1/aws/apps/42",
            "/k/c1/aws/apps/",
            "/k/é/ü/apps/ß",
        ];
        fn same<P: PossibleRouteMatch>(pattern: &'static str, theirs: P, paths: &[&str]) {
            for p in paths {
                // What the router keeps: a match that leaves nothing but a trailing `/`.
                let seen = |m: Option<leptos_router::PartialPathMatch<'_>>| {
                    m.filter(|m| m.is_complete())
                        .map(|m| (m.matched().to_string(), m.params()))
                };
                assert_eq!(
                    seen(Pattern(pattern).test(p)),
                    seen(theirs.test(p)),
                    "{pattern} on {p:?}"
                );
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            Pattern(pattern).generate_path(&mut a);
            theirs.generate_path(&mut b);
            let raw = |v: &[leptos_router::PathSegment]| {
                v.iter()
                    .map(|s| s.as_raw_str().to_string())
                    .filter(|s| !s.is_empty() && s != "/")
                    .collect::<Vec<_>>()
            };
            assert_eq!(raw(&a), raw(&b), "{pattern}");
        }
        same("/", path!("/"), &paths);
        same("/connections", path!("/connections"), &paths);
        same("/actions", path!("/actions"), &paths);
        same(
            "/q/:conn/containers/:id/edit",
            path!("/q/:conn/containers/:id/edit"),
            &paths,
        );
        same(
            "/q/:conn/containers/:id",
            path!("/q/:conn/containers/:id"),
            &paths,
        );
        same(
            "/q/:conn/:org/:project/:env/new",
            path!("/q/:conn/:org/:project/:env/new"),
            &paths,
        );
        same(
            "/q/:conn/:org/:project/:env",
            path!("/q/:conn/:org/:project/:env"),
            &paths,
        );
        same("/q/:conn", path!("/q/:conn"), &paths);
        same(
            "/k/:conn/:provider/new",
            path!("/k/:conn/:provider/new"),
            &paths,
        );
        same(
            "/k/:conn/:provider/apps/:uid",
            path!("/k/:conn/:provider/apps/:uid"),
            &paths,
        );
        same("/k/:conn/:provider", path!("/k/:conn/:provider"), &paths);
    }
}
