//! A sandbox process on a free loopback port with a fresh data folder, and a tiny HTTP/1.1
//! client over plain TCP (so the tests see exactly what goes over the wire, drops included).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Server {
    pub port: u16,
    pub data: PathBuf,
    child: Child,
    args: Vec<String>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let port = free_port();
        let data = std::env::temp_dir().join(format!("berth-sandbox-test-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        Self::start_on(port, data, args.iter().map(|s| s.to_string()).collect())
    }

    fn start_on(port: u16, data: PathBuf, args: Vec<String>) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_berth-sandbox"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(&data)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start berth-sandbox");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "sandbox did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Server { port, data, child, args }
    }

    /// SIGKILL, then start again on the same data folder.
    pub fn kill_and_restart(mut self) -> Server {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (port, data, args) = (self.port, self.data.clone(), self.args.clone());
        std::mem::forget(self);
        Self::start_on(port, data, args)
    }

    pub fn q(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.call(method, &format!("/api/qovery{path}"), body, &[("Authorization", "Token sandbox")])
    }

    pub fn k(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.call(method, &format!("/api/kopernik/v0{path}"), body, &[("Authorization", "Bearer sandbox")])
    }

    pub fn call(&self, method: &str, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Answer {
        self.raw(method, path, body.map(|b| b.to_string()).as_deref(), headers)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn raw(&self, method: &str, path: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Result<Answer, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
        let body = body.unwrap_or("");
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if !body.is_empty() {
            req.push_str("Content-Type: application/json\r\n");
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).map_err(|e| format!("read: {e}"))?;
        Answer::parse(&buf)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Answer {
    fn parse(buf: &[u8]) -> Result<Answer, String> {
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no header end: connection cut")?;
        let head = String::from_utf8_lossy(&buf[..split]).to_string();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse().ok())
            .ok_or("no status line")?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = buf[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body)?;
        }
        Ok(Answer { status, headers, text: String::from_utf8_lossy(&body).to_string() })
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Asserts the status, showing the body when it differs.
    pub fn expect(self, status: u16) -> Answer {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        self
    }
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").ok_or("chunked body cut")?;
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..line_end]).trim(), 16).map_err(|e| e.to_string())?;
        b = &b[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if b.len() < size + 2 {
            return Err("chunked body cut".into());
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

/// Polls `f` until it returns Some, for up to `limit`.
pub fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < limit, "condition not met within {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
