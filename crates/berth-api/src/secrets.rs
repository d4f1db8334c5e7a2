//! Guessing which variables hold secrets, so forms can mask them and keep their values out of
//! browser storage before the user says anything. A guess only sets a default: the user can
//! tick or untick "secret" on any row.
//!
//! The guess leans towards "secret": a false positive costs a masked field and a value to type
//! again after a reload; a false negative leaves a password in sessionStorage.

/// Words that are secret wherever they appear in a key, even glued to other words
/// (`DBPASSWORD`, `STRIPE_APIKEY`, `CLIENT_SECRET`): long enough not to hide inside innocent words.
const ANYWHERE: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "CREDENTIAL",
    "APIKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
];

/// Short words that are secret only as a whole segment: `PASS` is in `PASSENGER`, `BYPASS` and
/// `COMPASS`, `KEY` in `KEYBOARD` and `MONKEY`.
const SEGMENTS: &[&str] = &[
    "PASS", "PWD", "KEY", "KEYS", "TOKEN", "CREDS", "DSN", "SALT",
];

/// Whether a variable's name says it holds a secret. On the trimmed, ASCII-uppercased name, split
/// into segments on `_`, `-` and `.`, it is secret when:
/// - it contains one of `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `CREDENTIAL`, `APIKEY`,
///   `PRIVATEKEY`, `ACCESSKEY` anywhere (`DB_PASSWORD`, `STRIPE_APIKEY`,
///   `GOOGLE_APPLICATION_CREDENTIALS`);
/// - a whole segment is `PASS`, `PWD`, `KEY`, `KEYS`, `TOKEN`, `CREDS`, `DSN` or `SALT`
///   (`SMTP_PASS`, `PRIVATE_KEY`, `GITHUB_TOKEN`, `SENTRY_DSN`, `AUTH_SALT`), except the name
///   `PWD` alone, which shells set to the working directory;
/// - a segment ends in `TOKEN` (`ACCESSTOKEN`), but not one that merely starts with it
///   (`TOKENIZER_MODEL`, and `MAX_TOKENS`, a count);
/// - the last segment is `AUTH` or `AUTHORIZATION` (`BASIC_AUTH`, `REDIS_AUTH`: the value is the
///   credential), while `AUTH_URL` or `AUTH_ENABLED` only configure authentication.
///
/// `DSN` counts because a data source name usually embeds a password in a form
/// [`value_looks_secret`] cannot see (`user:pass@tcp(db:3306)/app`, `host=db password=x`).
pub fn looks_secret(key: &str) -> bool {
    let key = key.trim().to_ascii_uppercase();
    if ANYWHERE.iter().any(|w| key.contains(w)) {
        return true;
    }
    let segments: Vec<&str> = key.split(['_', '-', '.']).collect();
    let secret_segment = |s: &&str| SEGMENTS.contains(s) || s.ends_with("TOKEN");
    let auth_last = segments
        .last()
        .is_some_and(|s| *s == "AUTH" || *s == "AUTHORIZATION");
    key != "PWD" && (segments.iter().any(secret_segment) || auth_last)
}

/// Whether a value carries a credential in a URL: `scheme://user:password@host…`, a non-empty
/// password between the first `:` and the last `@` of the authority (what follows `://` up to the
/// first `/`, `?`, `#` or space). Every `://` in the value is looked at, so
/// `jdbc:postgresql://u:p@db/app` and lists of URLs count too. `http://user@host` (no password),
/// `https://example.com/a@b` (the `@` is in the path) and `mailto:x@y` do not.
pub fn value_looks_secret(value: &str) -> bool {
    value
        .match_indices("://")
        .any(|(at, sep)| url_has_password(&value[at + sep.len()..]))
}

/// `rest` is what follows a `://`.
fn url_has_password(rest: &str) -> bool {
    let authority = rest
        .split(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
        .next()
        .unwrap_or("");
    authority
        .rsplit_once('@')
        .and_then(|(userinfo, _host)| userinfo.split_once(':'))
        .is_some_and(|(_user, password)| !password.is_empty())
}

/// Whether a variable should be treated as a secret when the user has not said: its name
/// ([`looks_secret`]) or its value ([`value_looks_secret`]) says so.
pub fn is_secret(key: &str, value: &str) -> bool {
    looks_secret(key) || value_looks_secret(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for key in [
            "PASSWORD",
            "DB_PASSWORD",
            "db.password",
            "PASSWD",
            "DB_PASS",
            "PASS",
            "SMTP_PASS",
            "PASS_PHRASE",
            "GPG_PASSPHRASE",
            "DB_PWD",
            "TOKEN",
            "GITHUB_TOKEN",
            "api-token",
            "ACCESSTOKEN",
            "SECRET",
            "CLIENT_SECRET",
            "APIKEY",
            "API_KEY",
            "STRIPE_APIKEY",
            "KEY",
            "PRIVATE_KEY",
            "SIGNING_KEY",
            "AWS_ACCESS_KEY_ID",
            "CREDENTIAL",
            "AWS_CREDENTIALS",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "GCP_CREDS",
            "AUTH",
            "BASIC_AUTH",
            "HTTP_AUTHORIZATION",
            "DSN",
            "SENTRY_DSN",
            "AUTH_SALT",
            " db_pass ",
        ] {
            assert!(looks_secret(key), "{key} should look secret");
        }
    }

    #[test]
    fn names_that_only_contain_a_short_word_are_not_secret() {
        for key in [
            "",
            "PORT",
            "PATH",
            "HOST",
            "PWD",
            "OLDPWD",
            "PASSENGER_COUNT",
            "BYPASS_CACHE",
            "COMPASS_URL",
            "KEYBOARD_LAYOUT",
            "MONKEY",
            "LOG_LEVEL",
            "TOKENIZER_MODEL",
            "MAX_TOKENS",
            "AUTH_URL",
            "AUTH_ENABLED",
            "OAUTH_CALLBACK",
            "DATABASE_URL",
        ] {
            assert!(!looks_secret(key), "{key} should not look secret");
        }
    }

    #[test]
    fn credential_urls() {
        for value in [
            "postgres://app:s3cret@db:5432/app",
            "redis://:pw@cache:6379",
            "mysql://u:p@ss@db/app",
            "jdbc:postgresql://u:p@db/app",
            "amqp://guest:guest@rabbit",
            "redis://h1:6379,redis://:pw@h2:6379",
            "  https://u:p@example.com  ",
        ] {
            assert!(value_looks_secret(value), "{value} should look secret");
        }
    }

    #[test]
    fn urls_without_a_password() {
        for value in [
            "",
            "hunter2",
            "https://example.com/a@b",
            "https://example.com/?who=a:b@c",
            "mailto:x@y",
            "http://user@host",
            "http://user:@host",
            "postgres://db:5432/app",
            "user:pass@host",
            "://",
            "a://b:c",
        ] {
            assert!(!value_looks_secret(value), "{value} should not look secret");
        }
    }

    #[test]
    fn either_the_name_or_the_value() {
        assert!(is_secret("DB_PASS", "hunter2"));
        assert!(is_secret("DATABASE_URL", "postgres://u:hunter2@db/x"));
        assert!(is_secret("APIKEY", ""));
        assert!(!is_secret("DATABASE_URL", "postgres://db/x"));
        assert!(!is_secret("MODE", "demo"));
    }
}
