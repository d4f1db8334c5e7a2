use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::process::{announced_port, port_after, Announcements};

/// A running `berth-sandbox` with a fresh data folder; killed when dropped.
pub struct Sandbox {
    pub url: String,
    pub port: u16,
    pub data: PathBuf,
    /// A site folder made for this sandbox (the build with its own `config.json`), removed with it.
    site: Option<PathBuf>,
    child: Child,
    _stdout: Announcements,
}

/// Numbers the folders of the sandboxes one test process starts.
static STARTED: AtomicU32 = AtomicU32::new(0);

fn fresh_dir(kind: &str) -> PathBuf {
    let n = STARTED.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("berth-{kind}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

impl Sandbox {
    /// Starts the sandbox from `BERTH_SANDBOX` serving `BERTH_DIST`, with demo data and `extra` flags.
    pub async fn start(extra: &[&str]) -> Sandbox {
        Self::start_with(
            &crate::env_path("BERTH_SANDBOX"),
            &crate::env_path("BERTH_DIST"),
            extra,
        )
        .await
    }

    /// As [`Sandbox::start`], serving the build with its `config.json` changed by `edit` (as an
    /// operator would edit the shipped file): e.g. a short `request_timeout_ms`, or a token.
    pub async fn start_configured(
        extra: &[&str],
        edit: impl FnOnce(&mut serde_json::Value),
    ) -> Sandbox {
        let dist = crate::env_path("BERTH_DIST");
        let site = fresh_dir("site");
        if let Err(e) = site_with_config(&dist, &site, edit) {
            let _ = std::fs::remove_dir_all(&site);
            panic!("cannot make a site folder from {}: {e}", dist.display());
        }
        let mut sandbox = Self::start_with(&crate::env_path("BERTH_SANDBOX"), &site, extra).await;
        sandbox.site = Some(site);
        sandbox
    }

    /// Starts `bin` on port 0: the sandbox binds a port the system picks and prints it (`serving on
    /// http://127.0.0.1:PORT`), so no other process can take it first.
    pub async fn start_with(bin: &Path, dist: &Path, extra: &[&str]) -> Sandbox {
        match Self::try_start(bin, dist, extra).await {
            Ok(sandbox) => sandbox,
            Err(e) => panic!("cannot start berth-sandbox: {e}"),
        }
    }

    async fn try_start(bin: &Path, dist: &Path, extra: &[&str]) -> Result<Sandbox, String> {
        let data = fresh_dir("e2e");
        let mut child = Command::new(bin)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(&data)
            .arg("--dist")
            .arg(dist)
            .arg("--demo")
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        // Seeding comes before the port: 100,000 demo apps take 6.5 s in a debug build alone, and
        // over 30 s beside a full test run's browsers. The limit is only there to catch a hang.
        let announced = announced_port(&mut child, "berth-sandbox", Duration::from_secs(90), |l| {
            port_after(l, "serving on http://")
        })
        .await;
        let (port, stdout) = match announced {
            Ok(found) => found,
            Err(e) => {
                let _ = child.start_kill();
                let _ = std::fs::remove_dir_all(&data);
                return Err(e);
            }
        };
        Ok(Sandbox {
            url: format!("http://127.0.0.1:{port}"),
            port,
            data,
            site: None,
            child,
            _stdout: stdout,
        })
    }
}

/// `site`: every entry of `dist` linked, and `config.json` written from dist's, changed by `edit`.
fn site_with_config(
    dist: &Path,
    site: &Path,
    edit: impl FnOnce(&mut serde_json::Value),
) -> Result<(), String> {
    std::fs::create_dir_all(site).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_name() == "config.json" {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), site.join(entry.file_name()))
            .map_err(|e| e.to_string())?;
    }
    let text = std::fs::read_to_string(dist.join("config.json"))
        .map_err(|e| format!("config.json: {e}"))?;
    let mut config: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("config.json: {e}"))?;
    edit(&mut config);
    std::fs::write(site.join("config.json"), config.to_string()).map_err(|e| e.to_string())
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.data);
        if let Some(site) = &self.site {
            let _ = std::fs::remove_dir_all(site);
        }
    }
}
