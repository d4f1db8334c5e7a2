//! Pure HTTP helpers shared by the app's fetch layer and tests: URL building and error decoding.
//! Nothing here touches the network.

use crate::config::BackendKind;

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters pass through).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds `base` + `/` + encoded segments + `?query` (pairs with a `None` value are left out).
pub fn url(base: &str, segments: &[&str], query: &[(&str, Option<&str>)]) -> String {
    let mut out = base.trim_end_matches('/').to_string();
    for s in segments {
        out.push('/');
        out.push_str(&encode(s));
    }
    let mut sep = '?';
    for (k, v) in query {
        if let Some(v) = v {
            out.push(sep);
            out.push_str(&encode(k));
            out.push('=');
            out.push_str(&encode(v));
            sep = '&';
        }
    }
    out
}

/// Why `base` cannot be a connection's base URL, or `None` when it can: an absolute http(s) URL,
/// or a path on this site. `//host/...` (and `/\\host/...`, which browsers read the same way) looks
/// like a path but is another host: the token would be sent there. So is `/\t/host/...`: browsers
/// drop tabs and newlines from a URL before reading it, so no control character or whitespace is
/// allowed anywhere (the form trims the ends before checking).
pub fn base_url_problem(base: &str) -> Option<String> {
    let odd = base
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || c.is_whitespace());
    if let Some((i, c)) = odd {
        let what = match c {
            '\t' => "a tab".to_string(),
            '\n' => "a newline".to_string(),
            '\r' => "a carriage return".to_string(),
            ' ' => "a space".to_string(),
            c if c.is_control() => format!("a control character (U+{:04X})", u32::from(c)),
            c => format!("a whitespace character (U+{:04X})", u32::from(c)),
        };
        return Some(format!("contains {what} at position {}", i + 1));
    }
    let url = base;
    if url.is_empty() {
        return Some("must not be empty".into());
    }
    if url.starts_with("//") || url.starts_with("/\\") {
        return Some(
            "must not start with // (that names another host, not a path on this site)".into(),
        );
    }
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    if !(scheme_ok || url.starts_with('/')) {
        return Some("must start with http://, https:// or / (a path on this site)".into());
    }
    if scheme_ok
        && url
            .split("://")
            .nth(1)
            .is_none_or(|rest| rest.is_empty() || rest.starts_with('/'))
    {
        return Some("must name a host after http:// or https://".into());
    }
    None
}

/// What a failed request says, decoded from either backend's error body, or from nothing at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `None` when no HTTP answer came (network error, timeout, abort).
    pub status: Option<u16>,
    pub message: String,
    pub request_id: Option<String>,
    /// The raw body, for the detail view; empty when there was none.
    pub raw: String,
    /// Seconds the server asked to wait (`Retry-After` on a 429 or 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn network(message: impl Into<String>) -> Self {
        Self {
            status: None,
            message: message.into(),
            request_id: None,
            raw: String::new(),
            retry_after: None,
        }
    }

    /// Keeps a `Retry-After` header given in seconds (the HTTP-date form is ignored).
    pub fn with_retry_after(mut self, header: Option<&str>) -> Self {
        self.retry_after = header.and_then(|h| h.trim().parse().ok());
        self
    }

    /// Decodes an error answer. A non-JSON or empty body still gives a clear message.
    pub fn from_response(
        kind: &BackendKind,
        status: u16,
        body: &str,
        request_id: Option<String>,
    ) -> Self {
        let json: Option<ErrorBody> = serde_json::from_str(body).ok();
        let mut message = None;
        let mut body_request_id = None;
        if let Some(v) = json.as_ref() {
            match kind {
                BackendKind::Kopernik => {
                    message = v.reason.0.clone();
                    body_request_id = v.metadata.0.clone().filter(|u| !u.is_empty());
                }
                _ => {
                    message = [&v.detail, &v.error, &v.message]
                        .into_iter()
                        .find_map(|t| t.0.clone());
                }
            }
        }
        let message = message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| {
            let trimmed = body.trim();
            if trimmed.is_empty() {
                format!("HTTP {status} {} (empty response)", reason_phrase(status))
            } else if json.is_none() && trimmed.len() <= 200 && !trimmed.starts_with('<') {
                format!("HTTP {status}: {trimmed}")
            } else {
                format!("HTTP {status} {}", reason_phrase(status))
            }
        });
        Self {
            status: Some(status),
            message,
            request_id: request_id.or(body_request_id),
            raw: body.to_string(),
            retry_after: None,
        }
    }

    /// A 2xx whose body did not decode as expected.
    pub fn malformed(status: u16, detail: &str, body: &str) -> Self {
        Self {
            status: Some(status),
            message: format!("the server's answer could not be read: {detail}"),
            request_id: None,
            raw: body.to_string(),
            retry_after: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The fields of an error answer the console reads, decoded without a `serde_json::Value` (whose
/// decoder would otherwise sit in the first screen's wasm). Any JSON value decodes; a field of
/// another type than the one read reads as absent.
#[derive(Default)]
struct ErrorBody {
    reason: Text,
    detail: Text,
    error: Text,
    message: Text,
    /// `metadata.uid`: Kopernik's request id.
    metadata: Text,
}

/// A string, or nothing when the value is of another type.
#[derive(Default)]
struct Text(Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(Kind::Text)).map(|b| b.reason)
    }
}

impl<'de> serde::Deserialize<'de> for ErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(Kind::Body))
    }
}

/// What [`Lenient`] reads: a string (into `reason`), an error body, or `metadata` (into `metadata`).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Body,
    Metadata,
}

struct Lenient(Kind);

impl Lenient {
    fn text(self, s: &str) -> ErrorBody {
        let mut out = ErrorBody::default();
        if self.0 == Kind::Text {
            out.reason = Text(Some(s.to_string()));
        }
        out
    }
}

impl<'de> serde::de::Visitor<'de> for Lenient {
    type Value = ErrorBody;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, s: &str) -> Result<ErrorBody, E> {
        Ok(self.text(s))
    }

    fn visit_bool<E>(self, _: bool) -> Result<ErrorBody, E> {
        Ok(ErrorBody::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<ErrorBody, E> {
        Ok(ErrorBody::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<ErrorBody, E> {
        Ok(ErrorBody::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<ErrorBody, E> {
        Ok(ErrorBody::default())
    }

    fn visit_unit<E>(self) -> Result<ErrorBody, E> {
        Ok(ErrorBody::default())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorBody, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(ErrorBody::default())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ErrorBody, A::Error> {
        let mut out = ErrorBody::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match (self.0, key.as_ref()) {
                (Kind::Body, "reason") => Some(&mut out.reason),
                (Kind::Body, "detail") => Some(&mut out.detail),
                (Kind::Body, "error") => Some(&mut out.error),
                (Kind::Body, "message") => Some(&mut out.message),
                (Kind::Metadata, "uid") => Some(&mut out.metadata),
                (Kind::Body, "metadata") => {
                    out.metadata = map.next_value_seed(Seed(Kind::Metadata))?.metadata;
                    continue;
                }
                _ => None,
            };
            match slot {
                Some(slot) => *slot = map.next_value()?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

struct Seed(Kind);

impl<'de> serde::de::DeserializeSeed<'de> for Seed {
    type Value = ErrorBody;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<ErrorBody, D::Error> {
        d.deserialize_any(Lenient(self.0))
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The `Authorization` header value for a backend: Qovery API tokens use `Token`, Kopernik `Bearer`.
pub fn authorization(kind: &BackendKind, token: &str) -> String {
    match kind {
        BackendKind::Kopernik => format!("Bearer {token}"),
        _ => format!("Token {token}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protocol_relative_base_url_is_not_a_path_on_this_site() {
        for bad in [
            "//other-host/api",
            " //other-host",
            "/\\other-host/api",
            "",
            "ftp://x",
            "https://",
            "http:///x",
            "/\t/evil.example/api",
            "/\n/evil.example",
            "/api/qovery ",
            "https://api.qovery.com\r",
            "/api\u{0}x",
            "/api\u{7f}",
            "/api\u{a0}x",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad:?} accepted");
        }
        for good in [
            "/api/qovery",
            "https://api.qovery.com",
            "http://127.0.0.1:8080/api/kopernik/v0",
        ] {
            assert_eq!(base_url_problem(good), None, "{good:?} refused");
        }
    }

    #[test]
    fn a_control_character_or_whitespace_is_named_with_its_position() {
        let said = |s| base_url_problem(s).unwrap_or_default();
        assert_eq!(said("/\t/evil.example/api"), "contains a tab at position 2");
        assert_eq!(said("/api\n"), "contains a newline at position 5");
        assert_eq!(
            said("https://a\rb"),
            "contains a carriage return at position 10"
        );
        assert_eq!(said(" /api"), "contains a space at position 1");
        assert_eq!(
            said("/a\u{1b}"),
            "contains a control character (U+001B) at position 3"
        );
        assert_eq!(
            said("/a\u{2003}b"),
            "contains a whitespace character (U+2003) at position 3"
        );
        let config = r#"{"connections": [{"id": "x", "kind": "qovery", "base_url": "/\t/evil.example/api", "token": "t"}]}"#;
        let err = crate::config::AppConfig::parse(config).expect_err("a tab accepted");
        assert!(
            err.contains("connections[0].base_url") && err.contains("a tab at position 2"),
            "{err}"
        );
    }

    #[test]
    fn url_encodes_segments_and_skips_unset_query() {
        assert_eq!(
            url(
                "/api/kopernik/v0/",
                &["resource", "containerapp", "a b/c"],
                &[("jq", Some(".name|test(\"x\")")), ("nextToken", None)]
            ),
            "/api/kopernik/v0/resource/containerapp/a%20b%2Fc?jq=.name%7Ctest%28%22x%22%29"
        );
        assert_eq!(
            url("https://api.qovery.com", &["organization"], &[]),
            "https://api.qovery.com/organization"
        );
    }

    #[test]
    fn errors_decode_from_both_backends_and_from_garbage() {
        let q = ApiError::from_response(
            &BackendKind::Qovery,
            409,
            r#"{"status":409,"detail":"name taken"}"#,
            None,
        );
        assert_eq!(q.message, "name taken");
        let old = ApiError::from_response(&BackendKind::Qovery, 400, r#"{"error":"bad"}"#, None);
        assert_eq!(old.message, "bad");
        let k = ApiError::from_response(
            &BackendKind::Kopernik,
            404,
            r#"{"metadata":{"uid":"req-7","timestamp":1},"reason":"Provider not found"}"#,
            None,
        );
        assert_eq!(
            (k.message.as_str(), k.request_id.as_deref()),
            ("Provider not found", Some("req-7"))
        );
        let empty = ApiError::from_response(&BackendKind::Kopernik, 502, "", None);
        assert_eq!(empty.message, "HTTP 502 Bad Gateway (empty response)");
        let html = ApiError::from_response(
            &BackendKind::Qovery,
            500,
            "<html>oops</html>",
            Some("h-1".into()),
        );
        assert_eq!(
            (html.message.as_str(), html.request_id.as_deref()),
            ("HTTP 500 Internal Server Error", Some("h-1"))
        );
        let text = ApiError::from_response(&BackendKind::Qovery, 503, "upstream down", None);
        assert_eq!(text.message, "HTTP 503: upstream down");
    }

    #[test]
    fn error_fields_of_another_type_read_as_absent() {
        // A detail that is not a string gives way to the next field that is.
        let q = ApiError::from_response(
            &BackendKind::Qovery,
            400,
            r#"{"detail":{"field":"name"},"error":null,"message":"name is required","x":[1,{"a":2}]}"#,
            None,
        );
        assert_eq!(q.message, "name is required");
        let k = ApiError::from_response(
            &BackendKind::Kopernik,
            500,
            r#"{"metadata":"none","reason":42}"#,
            None,
        );
        assert_eq!(
            (k.message.as_str(), k.request_id),
            ("HTTP 500 Internal Server Error", None)
        );
        let nested = ApiError::from_response(
            &BackendKind::Kopernik,
            409,
            r#"{"metadata":{"uid":{"deep":"x"},"other":{"uid":"no"}},"reason":"busy"}"#,
            None,
        );
        assert_eq!((nested.message.as_str(), nested.request_id), ("busy", None));
        // JSON that is not an object is still JSON: the status says what happened.
        let list = ApiError::from_response(&BackendKind::Qovery, 502, "[1,2]", None);
        assert_eq!(list.message, "HTTP 502 Bad Gateway");
    }

    #[test]
    fn authorization_scheme_per_backend() {
        assert_eq!(authorization(&BackendKind::Qovery, "t"), "Token t");
        assert_eq!(authorization(&BackendKind::Kopernik, "t"), "Bearer t");
    }
}
