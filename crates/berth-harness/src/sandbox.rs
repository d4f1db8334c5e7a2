use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::process::{free_port, port_opens};

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

    /// A port picked free can be taken by another test's process before the sandbox binds it;
    /// then the sandbox exits and the start is retried on a new port.
    pub async fn start_with(bin: &Path, dist: &Path, extra: &[&str]) -> Sandbox {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Self::try_start(bin, dist, extra).await {
                Ok(sandbox) => return sandbox,
                Err(e) => failures.push(e),
            }
        }
        panic!("cannot start berth-sandbox:\n{}", failures.join("\n"));
    }

    async fn try_start(bin: &Path, dist: &Path, extra: &[&str]) -> Result<Sandbox, String> {
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
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let listening = port_opens(port, Duration::from_secs(30)).await;
        if let Ok(Some(status)) = child.try_wait() {
            let _ = std::fs::remove_dir_all(&data);
            return Err(format!("berth-sandbox on port {port} exited: {status}"));
        }
        if !listening {
            return Err(format!(
                "berth-sandbox did not listen on port {port} within 30 s"
            ));
        }
        Ok(Sandbox {
            url: format!("http://{listen}"),
            port,
            data,
            child,
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}
