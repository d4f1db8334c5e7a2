//! RFC 3339 times as the APIs send them, read without a date library: what "3 min ago" and the
//! exact time on hover are computed from.

/// Milliseconds since the Unix epoch of `2026-12-01T10:00:00Z`, `…T10:00:00.123+02:00` or
/// `… 10:00:00` (UTC assumed without an offset); `None` for anything else.
pub fn epoch_ms(text: &str) -> Option<f64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |from: usize, to: usize| t.get(from..to).and_then(|s| s.parse::<i64>().ok());
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, s) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &t[19..];
    let mut ms = 0.0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        ms = format!("0.{}", &frac[..digits]).parse::<f64>().ok()? * 1000.0;
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "" | "Z" | "z" => 0,
        o if o.len() == 6 && matches!(&o[..1], "+" | "-") && &o[3..4] == ":" => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            sign * (o[1..3].parse::<i64>().ok()? * 60 + o[4..6].parse::<i64>().ok()?)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60;
    Some(secs as f64 * 1000.0 + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The time as people read it exactly: `2026-12-01 10:00:00 UTC` (the text as sent when it is
/// not an RFC 3339 time).
pub fn exact(text: &str) -> String {
    match epoch_ms(text) {
        Some(ms) => {
            let (y, m, d, h, mi, s) = utc_parts(ms);
            format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
        }
        None => text.to_string(),
    }
}

/// Epoch ms as an ISO-8601 UTC time with an explicit offset, whole seconds (the fraction is
/// dropped): `2026-12-07T03:00:00+00:00`, the form Qovery's event filters take.
pub fn iso_utc(ms: f64) -> String {
    let (y, m, d, h, mi, s) = utc_parts(ms);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

/// Year, month, day, hour, minute, second (UTC) of epoch ms, rounded down to the second.
fn utc_parts(ms: f64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// How long ago (or how far ahead) `then` is from `now`, both in epoch ms: "just now",
/// "12 s ago", "3 min ago", "2 h ago", "4 d ago", "in 5 min".
pub fn relative(then: f64, now: f64) -> String {
    let diff = now - then;
    let s = (diff.abs() / 1000.0) as u64;
    let span = match s {
        0..=4 => return "just now".into(),
        5..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    };
    if diff >= 0.0 {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_are_read_with_their_offset_and_fraction() {
        assert_eq!(epoch_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(epoch_ms("2026-12-01T10:00:00Z"), Some(1_796_119_200_000.0));
        assert_eq!(
            epoch_ms("2026-12-01T12:00:00.250+02:00"),
            Some(1_796_119_200_250.0)
        );
        assert_eq!(epoch_ms("2026-12-01 10:00:00"), Some(1_796_119_200_000.0));
        assert_eq!(epoch_ms("2024-02-29T00:00:00Z"), Some(1_709_164_800_000.0));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-12-01T10:00:00+0200",
            "2026-12-01T10:00:00.Z",
        ] {
            assert_eq!(epoch_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn exact_and_relative_read_as_people_do() {
        assert_eq!(
            exact("2026-12-01T12:00:00.250+02:00"),
            "2026-12-01 10:00:00 UTC"
        );
        assert_eq!(exact("2024-02-29T23:59:59Z"), "2024-02-29 23:59:59 UTC");
        assert_eq!(exact("not a time"), "not a time");
        let t = 1_796_119_200_000.0;
        assert_eq!(relative(t, t + 1200.0), "just now");
        assert_eq!(relative(t, t + 12_000.0), "12 s ago");
        assert_eq!(relative(t, t + 185_000.0), "3 min ago");
        assert_eq!(relative(t, t + 7_300_000.0), "2 h ago");
        assert_eq!(relative(t, t + 4.0 * 86_400_000.0), "4 d ago");
        assert_eq!(relative(t + 300_000.0, t), "in 5 min");
    }

    #[test]
    fn iso_utc_writes_what_epoch_ms_reads() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso_utc(1_796_119_200_999.0), "2026-12-01T10:00:00+00:00");
        assert_eq!(iso_utc(1_709_251_199_000.0), "2024-02-29T23:59:59+00:00");
        assert_eq!(iso_utc(-1000.0), "1969-12-31T23:59:59+00:00");
        for ms in [
            0.0,
            1_796_119_200_000.0,
            1_709_164_800_000.0,
            951_782_400_000.0,
        ] {
            assert_eq!(epoch_ms(&iso_utc(ms)), Some(ms));
        }
    }
}
