use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::process::{free_port, wait_for_port};

/// A running `berth-sandbox` with a fresh data folder; killed when dropped.
pub struct Sandbox {
    pub url: String,
    pub port: u16,
    pub data: PathBuf,
    child: Child,
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

    pub async fn start_with(bin: &Path, dist: &Path, extra: &[&str]) -> Sandbox {
        let port = free_port();
        let data = std::env::temp_dir().join(format!("berth-e2e-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        let listen = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(bin);
        cmd.arg("--listen")
            .arg(&listen)
            .arg("--data")
            .arg(&data)
            .arg("--dist")
            .arg(dist)
            .arg("--demo")
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        wait_for_port(port, Duration::from_secs(30), "berth-sandbox").await;
        Sandbox {
            url: format!("http://{listen}"),
            port,
            data,
            child,
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}
