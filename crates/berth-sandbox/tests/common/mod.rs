//! A sandbox process on a loopback port it picks itself with a fresh data folder, and a tiny HTTP/1.1
//! client over plain TCP (so the tests see exactly what goes over the wire, drops included).

#![allow(dead_code)]

pub mod spec;

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use berth_harness::http::Answer;

pub struct Server {
    pub port: u16,
    pub data: PathBuf,
    child: Child,
    args: Vec<String>,
}

/// A fresh data folder per server of this test process.
fn fresh_data() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let data = std::env::temp_dir().join(format!("berth-sandbox-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    data
}

impl Server {
    /// Starts on port 0 and reads the port the sandbox prints: a port picked here and bound later
    /// could be taken in between by another test's server, whose exit then resets our requests.
    pub fn start(args: &[&str]) -> Server {
        let args = args.iter().map(|s| s.to_string()).collect();
        Self::start_cmd(0, fresh_data(), args, &[])
    }

    /// As [`Server::start`], with `envs` added to the server's environment.
    pub fn start_with_env(args: &[&str], envs: &[(&str, &str)]) -> Server {
        let args = args.iter().map(|s| s.to_string()).collect();
        Self::start_cmd(0, fresh_data(), args, envs)
    }

    fn start_cmd(port: u16, data: PathBuf, args: Vec<String>, envs: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth-sandbox"))
            .envs(envs.iter().copied())
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(&data)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start berth-sandbox");
        let Some(stdout) = child.stdout.take() else {
            panic!("berth-sandbox without stdout");
        };
        // The reader keeps draining stdout after the announcement, so the server never blocks on
        // a full pipe.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(port) = berth_harness::port_after(&line, "serving on http://") {
                    let _ = tx.send(port);
                }
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(port) => port,
            Err(e) => {
                let _ = child.kill();
                panic!("sandbox did not announce its port: {e}");
            }
        };
        // Announced after the listener is bound: the first connection is served.
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "sandbox did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Server {
            port,
            data,
            child,
            args,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, then start again on the same data folder.
    pub fn kill_and_restart(mut self) -> Server {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (port, data, args) = (self.port, self.data.clone(), self.args.clone());
        std::mem::forget(self);
        // The same port (ours until a moment ago), as a client that reconnects would expect.
        Self::start_cmd(port, data, args, &[])
    }

    /// The first demo organization and its first project's first environment.
    #[allow(dead_code)] // not every test file uses it
    pub fn demo_org_and_env(&self) -> (String, String) {
        let first = |path: &str| {
            self.q("GET", path, None).expect(200).json()["results"][0]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("no result in {path}"))
                .to_string()
        };
        let org = first("/organization");
        let project = first(&format!("/organization/{org}/project"));
        let env = first(&format!("/project/{project}/environment"));
        (org, env)
    }

    pub fn q(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.call(
            method,
            &format!("/api/qovery{path}"),
            body,
            &[("Authorization", "Token sandbox")],
        )
    }

    pub fn k(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.call(
            method,
            &format!("/api/kopernik/v0{path}"),
            body,
            &[("Authorization", "Bearer sandbox")],
        )
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.raw(
            method,
            path,
            body.map(|b| b.to_string()).as_deref(),
            headers,
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Result<Answer, String> {
        berth_harness::http::request(self.port, method, path, body, headers)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// The server's child processes running as jq workers (`__jq-worker` in their command line).
pub fn jq_workers(server_pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|p| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, r)| r.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u32>().ok());
            String::from_utf8_lossy(&cmd).contains("__jq-worker") && ppid == Some(server_pid)
        })
        .collect()
}

/// Polls `f` until it returns Some, for up to `limit`.
pub fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "condition not met within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Percent-encodes a query value.
pub fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// CPU time (clock ticks) used so far by `pid` and every live process below it (Linux /proc).
pub fn cpu_ticks_of_tree(pid: u32) -> u64 {
    let mut stats: Vec<(u32, u32, u64)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
                continue;
            };
            // Fields after the command (which may hold spaces) start past the last ')'.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
                continue;
            };
            let f: Vec<&str> = rest.split_whitespace().collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            // rest[0] is the state, [1] ppid, [11] utime, [12] stime.
            stats.push((p, num(1) as u32, num(11) + num(12)));
        }
    }
    let mut tree = vec![pid];
    let mut total = 0;
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        for (p, pp, ticks) in &stats {
            if *p == parent {
                total += ticks;
            }
            if *pp == parent && !tree.contains(p) {
                tree.push(*p);
            }
        }
        i += 1;
    }
    total
}

/// The id of the demo container `name` in environment `env`.
pub fn demo_container(s: &Server, env: &str, name: &str) -> String {
    let list = s
        .q("GET", &format!("/environment/{env}/container"), None)
        .expect(200)
        .json();
    list["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name)
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("no demo container {name} in {env}"))
        .to_string()
}

/// Now, unix seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// RFC 3339 in UTC (`2025-03-03T09:00:00Z`) of unix seconds.
pub fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Unix seconds of an RFC 3339 UTC time as [`iso`] writes it.
pub fn secs_of(iso: &str) -> i64 {
    let n = |a: usize, b: usize| -> i64 {
        iso.get(a..b)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("not a date-time: {iso}"))
    };
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

/// The `results` of a list answer.
pub fn results(v: &Value) -> Vec<Value> {
    v["results"].as_array().cloned().unwrap_or_default()
}

/// The organization's clusters: the one with metrics, then the one without.
pub fn org_clusters(s: &Server, org: &str) -> (Value, Value) {
    let list = results(
        &s.q("GET", &format!("/organization/{org}/cluster"), None)
            .expect(200)
            .json(),
    );
    let on = list
        .iter()
        .find(|c| c["metrics_parameters"]["enabled"] == true)
        .cloned()
        .expect("a cluster with metrics");
    let off = list
        .iter()
        .find(|c| c["metrics_parameters"]["enabled"] == false)
        .cloned()
        .expect("a cluster without metrics");
    (on, off)
}

/// The demo's diagnosis environment (`--demo-diagnosis`): its organization and id.
pub fn diagnosis_env(s: &Server) -> (String, String) {
    for org in results(&s.q("GET", "/organization", None).expect(200).json()) {
        let org_id = org["id"].as_str().unwrap_or_default();
        let projects = s
            .q("GET", &format!("/organization/{org_id}/project"), None)
            .expect(200)
            .json();
        for p in results(&projects) {
            let pid = p["id"].as_str().unwrap_or_default();
            let envs = s
                .q("GET", &format!("/project/{pid}/environment"), None)
                .expect(200)
                .json();
            if let Some(e) = results(&envs).iter().find(|e| e["name"] == "diagnosis") {
                return (
                    org_id.to_string(),
                    e["id"].as_str().unwrap_or_default().to_string(),
                );
            }
        }
    }
    panic!("no diagnosis environment (start with --demo-diagnosis)")
}

/// `path?k=v&...` with each value percent-encoded.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    format!("{path}?{}", q.join("&"))
}

/// `GET /cluster/{cluster}/events` with the window `[from, to]` (unix seconds) and more params.
pub fn events(s: &Server, cluster: &str, from: i64, to: i64, more: &[(&str, &str)]) -> Answer {
    let (f, t) = (iso(from), iso(to));
    let mut params = vec![("from_date_time", f.as_str()), ("to_date_time", t.as_str())];
    params.extend_from_slice(more);
    s.q(
        "GET",
        &with_query(&format!("/cluster/{cluster}/events"), &params),
        None,
    )
}

/// `GET /cluster/{cluster}/metrics` with these parameters.
pub fn metrics(s: &Server, cluster: &str, params: &[(&str, &str)]) -> Answer {
    s.q(
        "GET",
        &with_query(&format!("/cluster/{cluster}/metrics"), params),
        None,
    )
}

/// A successful metrics answer's Prometheus result (the `metrics` string parsed), checked to be
/// `{"status":"success","data":{"resultType": <kind>, "result": [...]}}`.
pub fn prometheus_result(a: Answer, kind: &str) -> Vec<Value> {
    let v = a.expect(200).json();
    let text = v["metrics"].as_str().expect("metrics is a string");
    let prom: Value = serde_json::from_str(text).expect("metrics holds JSON");
    assert_eq!(prom["status"], "success", "{prom}");
    assert_eq!(prom["data"]["resultType"], kind, "{prom}");
    prom["data"]["result"].as_array().cloned().expect("result")
}

/// The values of a matrix series as (unix seconds, value).
pub fn values(series: &Value) -> Vec<(f64, f64)> {
    series["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|p| {
            let t = p[0].as_f64().expect("a numeric timestamp");
            let v: f64 = p[1]
                .as_str()
                .expect("a value as a string")
                .parse()
                .expect("a number");
            (t, v)
        })
        .collect()
}
