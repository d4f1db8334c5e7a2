use std::net::TcpListener;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};

/// A free loopback port (bound then released; a race with another process is possible but rare).
/// For servers that cannot bind port 0 and say which port they got (nginx).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Whether something accepts connections on `port` within `limit`.
pub async fn port_opens(port: u16, limit: Duration) -> bool {
    let start = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        if start.elapsed() >= limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The standard output of a server started on port 0, read until it says which port it bound.
/// Keep it (the pipe stays open, so a later line never fails the server's write).
pub type Announcements = Lines<BufReader<ChildStdout>>;

/// Reads `child`'s standard output (which must be piped) until a line yields a port through
/// `port_of`, within `limit`. The error says what was read, or how the process ended.
pub async fn announced_port(
    child: &mut Child,
    what: &str,
    limit: Duration,
    port_of: impl Fn(&str) -> Option<u16>,
) -> Result<(u16, Announcements), String> {
    let Some(out) = child.stdout.take() else {
        return Err(format!("{what}: its standard output is not piped"));
    };
    let mut lines = BufReader::new(out).lines();
    let mut seen = Vec::new();
    let read = async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(port) = port_of(&line) {
                return Some(port);
            }
            seen.push(line);
        }
        None
    };
    let found = tokio::time::timeout(limit, read).await;
    let said = if seen.is_empty() {
        "nothing".to_string()
    } else {
        seen.join("\n")
    };
    match found {
        Ok(Some(port)) => Ok((port, lines)),
        Ok(None) => {
            let status = child
                .wait()
                .await
                .map(|s| s.to_string())
                .unwrap_or_else(|e| e.to_string());
            Err(format!(
                "{what} ended ({status}) without saying its port; it printed: {said}"
            ))
        }
        Err(_) => Err(format!(
            "{what} did not say its port within {limit:?}; it printed: {said}"
        )),
    }
}

/// The port in `http://HOST:PORT` following `marker` in `line`.
pub fn port_after(line: &str, marker: &str) -> Option<u16> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let address = rest.split_whitespace().next()?;
    let digits: String = address
        .rsplit_once(':')?
        .1
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|p| *p != 0)
}

#[cfg(test)]
mod tests {
    use super::port_after;

    #[test]
    fn a_port_is_read_after_its_marker() {
        let line = "berth-sandbox: serving on http://127.0.0.1:43121 (Qovery API at /api/qovery)";
        assert_eq!(port_after(line, "serving on http://"), Some(43121));
        assert_eq!(
            port_after("serving on http://[::1]:8080", "serving on http://"),
            Some(8080)
        );
        assert_eq!(
            port_after("serving on http://127.0.0.1:0", "serving on http://"),
            None
        );
        assert_eq!(port_after("starting", "serving on http://"), None);
    }
}
