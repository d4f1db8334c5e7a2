//! Debian's nginx (unpacked by `cargo xtask setup` into `.tools/nginx`, found through `BERTH_NGINX`)
//! running deploy/nginx's config on a free loopback port.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::process::{free_port, port_opens};

pub struct Nginx {
    pub url: String,
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

impl Nginx {
    /// Serves `www` (which holds `console/`) with `template` rendered for a free port, both APIs
    /// proxied to the sandbox at `sandbox_url`. Retried on a new port if another process took it.
    pub async fn start(template: &Path, www: &Path, sandbox_url: &str) -> Nginx {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Self::try_start(template, www, sandbox_url).await {
                Ok(n) => return n,
                Err(e) => failures.push(e),
            }
        }
        panic!("cannot start nginx:\n{}", failures.join("\n"));
    }

    async fn try_start(template: &Path, www: &Path, sandbox_url: &str) -> Result<Nginx, String> {
        let prefix = crate::env_path("BERTH_NGINX");
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("berth-nginx-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // Workers may run as `nobody`: their temp folders must be theirs to write.
        for sub in ["client", "proxy", "fastcgi", "uwsgi", "scgi"] {
            let p = dir.join(sub);
            std::fs::create_dir_all(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o777));
        }
        let text = std::fs::read_to_string(template)
            .map_err(|e| format!("{}: {e}", template.display()))?;
        let site = render(
            &text,
            &[
                ("BERTH_LISTEN", format!("127.0.0.1:{port}")),
                ("BERTH_ROOT", www.display().to_string()),
                (
                    "BERTH_QOVERY_UPSTREAM",
                    format!("{sandbox_url}/api/qovery/"),
                ),
                (
                    "BERTH_KOPERNIK_UPSTREAM",
                    format!("{sandbox_url}/api/kopernik/"),
                ),
            ],
        )?;
        std::fs::write(dir.join("berth.conf"), site).map_err(|e| e.to_string())?;
        let d = dir.display();
        let p = prefix.display();
        let main = format!(
            "load_module {p}/usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
# One process, so that killing it ends every part of it.
master_process off;
daemon off;
pid {d}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 256; }}
http {{
    include {p}/etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {d}/client;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {d}/berth.conf;
}}
"
        );
        std::fs::write(dir.join("nginx.conf"), main).map_err(|e| e.to_string())?;
        let mut child = Command::new(prefix.join("usr/sbin/nginx"))
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg("stderr")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start nginx from {}: {e}", prefix.display()))?;
        let listening = port_opens(port, Duration::from_secs(20)).await;
        if let Ok(Some(status)) = child.try_wait() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("nginx on port {port} exited: {status}"));
        }
        if !listening {
            return Err(format!("nginx did not listen on port {port} within 20 s"));
        }
        Ok(Nginx {
            url: format!("http://127.0.0.1:{port}"),
            port,
            dir,
            child,
        })
    }
}

/// `${NAME}` → value, as envsubst does; a variable left over is an error.
pub fn render(template: &str, vars: &[(&str, String)]) -> Result<String, String> {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    match out.find("${") {
        Some(i) => Err(format!(
            "the template still has a variable: {}",
            &out[i..out.len().min(i + 40)]
        )),
        None => Ok(out),
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
