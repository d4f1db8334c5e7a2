//! Times and durations as the diagnosis endpoints take them: ISO-8601 date-times (the events'
//! window), Prometheus' timestamps (unix seconds or RFC 3339) and durations (`30s`, `5m`, `1h30m`).
//! All in milliseconds since the epoch.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads exactly `n` digits at `*at`.
fn digits(b: &[u8], at: &mut usize, n: usize) -> Option<i64> {
    let part = b.get(*at..*at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *at += n;
    std::str::from_utf8(part).ok()?.parse().ok()
}

fn expect(b: &[u8], at: &mut usize, c: u8) -> Option<()> {
    (b.get(*at) == Some(&c)).then(|| *at += 1)
}

/// An ISO-8601 / RFC 3339 date-time with a time zone, e.g. `2025-03-03T09:00:00+00:00`,
/// `2025-03-03T09:00:00.250Z`, `2025-03-03T10:00:00+0100`. A query string's raw `+` decodes to
/// a space, so a space where the zone's sign goes is read as `+` (`...T09:00:00 00:00`).
/// A date-time without a zone is refused: it would be read in some zone silently.
pub fn parse_iso8601(s: &str) -> Result<i64, String> {
    let bad = |why: &str| {
        format!("`{s}` is not an ISO-8601 date-time such as 2025-03-03T09:00:00+00:00 ({why})")
    };
    let b = s.trim_matches(|c: char| c == '\t' || c == '\n').as_bytes();
    let mut at = 0;
    let date = (|| {
        let y = digits(b, &mut at, 4)?;
        expect(b, &mut at, b'-')?;
        let m = digits(b, &mut at, 2)?;
        expect(b, &mut at, b'-')?;
        let d = digits(b, &mut at, 2)?;
        Some((y, m, d))
    })()
    .ok_or_else(|| bad("the date must be YYYY-MM-DD"))?;
    let (y, m, d) = date;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(bad("no such day"));
    }
    if !matches!(b.get(at), Some(b'T' | b't')) {
        return Err(bad("a `T` and the time must follow the date"));
    }
    at += 1;
    let (hh, mm) = (|| {
        let hh = digits(b, &mut at, 2)?;
        expect(b, &mut at, b':')?;
        let mm = digits(b, &mut at, 2)?;
        Some((hh, mm))
    })()
    .ok_or_else(|| bad("the time must be HH:MM:SS"))?;
    let mut ss = 0;
    let mut ms = 0;
    if b.get(at) == Some(&b':') {
        at += 1;
        ss = digits(b, &mut at, 2).ok_or_else(|| bad("the seconds must be two digits"))?;
        if matches!(b.get(at), Some(b'.' | b',')) {
            at += 1;
            let start = at;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return Err(bad("digits must follow the decimal point"));
            }
            let frac: String = b[start..at.min(start + 3)]
                .iter()
                .map(|&c| c as char)
                .collect();
            ms = format!("{frac:0<3}").parse::<i64>().unwrap_or(0);
        }
    }
    // 24:00:00 is not accepted (RFC 3339 has no such time); 60 seconds are leap seconds, not kept.
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(bad("no such time of day"));
    }
    let offset_min = match b.get(at) {
        Some(b'Z' | b'z') => {
            at += 1;
            0
        }
        Some(&sign @ (b'+' | b'-' | b' ')) => {
            at += 1;
            let oh = digits(b, &mut at, 2).ok_or_else(|| bad("the zone must be ±HH:MM"))?;
            if b.get(at) == Some(&b':') {
                at += 1;
            }
            let om = if at < b.len() {
                digits(b, &mut at, 2).ok_or_else(|| bad("the zone must be ±HH:MM"))?
            } else {
                0
            };
            if oh > 23 || om > 59 {
                return Err(bad("no such time zone offset"));
            }
            let sign = if sign == b'-' { -1 } else { 1 };
            sign * (oh * 60 + om)
        }
        None => {
            return Err(bad(
                "a time zone is needed: Z or an offset such as +00:00, its `+` sent as %2B",
            ))
        }
        Some(_) => return Err(bad("unexpected text after the time")),
    };
    if at != b.len() {
        return Err(bad("unexpected text after the time zone"));
    }
    let secs =
        days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss.min(59) - offset_min * 60;
    Ok(secs * 1000 + ms)
}

/// A Prometheus timestamp: unix seconds (a float) or RFC 3339, as its HTTP API takes them.
pub fn parse_prometheus_time(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        if v.is_finite() && v.abs() < 1e13 {
            return Some((v * 1000.0).round() as i64);
        }
        return None;
    }
    parse_iso8601(t).ok()
}

/// A PromQL duration, e.g. `30s`, `5m`, `1h30m`, `500ms`, `2d`, in milliseconds (positive).
pub fn parse_duration(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut at = 0;
    let mut total: i64 = 0;
    while at < b.len() {
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let n: i64 = s.get(start..at)?.parse().ok()?;
        let unit_start = at;
        while b.get(at).is_some_and(u8::is_ascii_alphabetic) {
            at += 1;
        }
        let unit_ms = match s.get(unit_start..at)? {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 7 * 86_400_000,
            "y" => 365 * 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit_ms)?)?;
    }
    (total > 0).then_some(total)
}

/// A Prometheus `step` (or other duration parameter): seconds as a float, or a duration.
pub fn parse_step(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        return (v.is_finite() && v.abs() < 1e13).then(|| (v * 1000.0).round() as i64);
    }
    parse_duration(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_with_zones() {
        let base = 1_741_021_200_000; // 2025-03-03T17:00:00Z
        assert_eq!(parse_iso8601("2025-03-03T17:00:00Z"), Ok(base));
        assert_eq!(parse_iso8601("2025-03-03T17:00:00+00:00"), Ok(base));
        assert_eq!(parse_iso8601("2025-03-03T18:00:00+01:00"), Ok(base));
        assert_eq!(parse_iso8601("2025-03-03T18:00:00+0100"), Ok(base));
        assert_eq!(parse_iso8601("2025-03-03T16:30:00-00:30"), Ok(base));
        // A raw `+` arrives as a space.
        assert_eq!(parse_iso8601("2025-03-03T18:00:00 01:00"), Ok(base));
        assert_eq!(parse_iso8601("2025-03-03T17:00:00.25Z"), Ok(base + 250));
        assert_eq!(parse_iso8601("2025-03-03T17:00Z"), Ok(base));
        assert_eq!(
            parse_iso8601("1970-01-01T00:00:00Z").map(|v| v / 1000),
            Ok(0)
        );
        assert_eq!(
            parse_iso8601("2000-02-29T00:00:00Z").map(|v| v / 1000),
            Ok(951_782_400)
        );
        for bad in [
            "",
            "yesterday",
            "1741021200",
            "2025-03-03",
            "2025-03-03T17:00:00",
            "2025-02-30T00:00:00Z",
            "2025-03-03T25:00:00Z",
            "2025-03-03T17:00:00Zjunk",
            "2025-03-03 17:00:00Z",
        ] {
            assert!(parse_iso8601(bad).is_err(), "{bad}");
        }
        assert!(parse_iso8601("2025-03-03T17:00:00")
            .unwrap_err()
            .contains("time zone"));
    }

    #[test]
    fn prometheus_times_and_durations() {
        assert_eq!(parse_prometheus_time("1700000000"), Some(1_700_000_000_000));
        assert_eq!(
            parse_prometheus_time("1700000000.5"),
            Some(1_700_000_000_500)
        );
        assert_eq!(
            parse_prometheus_time("2023-11-14T22:13:20Z"),
            Some(1_700_000_000_000)
        );
        assert_eq!(parse_prometheus_time("soon"), None);
        assert_eq!(parse_prometheus_time("NaN"), None);
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("5m"), Some(300_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        for bad in ["", "5", "m", "5x", "0s", "1.5m", "-5m"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_step("15"), Some(15_000));
        assert_eq!(parse_step("0.5"), Some(500));
        assert_eq!(parse_step("1m"), Some(60_000));
    }
}
