//! Idempotent tool set-up. Versions are pinned: trunk by this file, wasm-bindgen by Cargo.lock
//! (checked against Trunk.toml), wasm-opt by package.json (checked against Trunk.toml).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{output, run, step};

pub const TRUNK_VERSION: &str = "0.21.14";

/// Where the tools are, for the commands that need them.
pub struct Env {
    pub root: PathBuf,
    path: String,
}

impl Env {
    /// A command whose PATH puts the project's own tools first (so Debian's old wasm-opt, if
    /// installed, is never picked).
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }
}

pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The tools' environment, without installing anything (for trunk's hooks, which run inside a
/// build that `setup` already prepared, or a developer's own `trunk build`).
pub fn tools_env() -> Env {
    let root = root();
    let bin = root.join(".tools/bin");
    let npm_bin = root.join("node_modules/.bin");
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        npm_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Env { root, path }
}

pub fn setup() -> Result<Env, String> {
    let env = tools_env();
    let root = env.root.clone();
    let tools = root.join(".tools");
    let bin = tools.join("bin");

    // The wasm target.
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        step("installing the wasm32-unknown-unknown target");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    // trunk, built from crates.io (0.22 needs a newer rustc than this project's).
    if !version_is(&bin.join("trunk"), &format!("trunk {TRUNK_VERSION}")) {
        step(&format!(
            "installing trunk {TRUNK_VERSION} into .tools (takes several minutes once)"
        ));
        cargo_install(
            &env,
            &tools,
            &["trunk", "--version", TRUNK_VERSION, "--locked"],
        )?;
    }

    // wasm-bindgen-cli, at exactly the wasm-bindgen version of Cargo.lock.
    let wbg = lock_version(&root, "wasm-bindgen")?;
    let trunk_toml =
        std::fs::read_to_string(root.join("Trunk.toml")).map_err(|e| format!("Trunk.toml: {e}"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{wbg}\"")) {
        return Err(format!(
            "Trunk.toml must pin wasm_bindgen = \"{wbg}\" (the version in Cargo.lock) under [tools]"
        ));
    }
    if !version_is(&bin.join("wasm-bindgen"), &format!("wasm-bindgen {wbg}"))
        || !bin.join("wasm-bindgen-test-runner").exists()
    {
        step(&format!("installing wasm-bindgen-cli {wbg} into .tools"));
        // Without --locked: its lockfile names a crate version the registry no longer has.
        cargo_install(&env, &tools, &["wasm-bindgen-cli", "--version", &wbg])?;
    }

    // wasm-opt from npm's binaryen (Debian's is too old and miscompiles for Chromium).
    // terser minifies the release build's JS (docs/delivery.md); axe-core checks accessibility in
    // the end-to-end tests.
    if !version_is(
        &root.join("node_modules/.bin/wasm-opt"),
        "wasm-opt version 132",
    ) || !version_is(&root.join("node_modules/.bin/terser"), "terser 5.51.2")
        || !root.join("node_modules/axe-core/axe.min.js").exists()
    {
        step("installing binaryen (wasm-opt), terser and axe-core from the npm registry");
        run(env.command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    if !trunk_toml.contains("wasm_opt = \"version_132\"") {
        return Err(
            "Trunk.toml must pin wasm_opt = \"version_132\" (package.json's binaryen)".into(),
        );
    }

    // Chromium and its driver, from Debian.
    let chromium = Path::new("/usr/bin/chromium");
    let driver = Path::new("/usr/bin/chromedriver");
    if !chromium.exists() || !driver.exists() {
        step("installing Debian's chromium and chromium-driver");
        let sudo = output(Command::new("id").arg("-u")).as_deref() != Some("0");
        let apt = |args: &[&str]| {
            let mut cmd = if sudo {
                Command::new("sudo")
            } else {
                Command::new("apt-get")
            };
            if sudo {
                cmd.arg("apt-get");
            }
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut cmd)
        };
        apt(&["update"])?;
        apt(&["install", "-y", "chromium", "chromium-driver"])?;
    }
    nginx(&tools)?;
    Ok(env)
}

/// Debian's nginx packages, in `.tools/nginx`: the end-to-end test of deploy/nginx.
pub fn nginx_prefix(root: &Path) -> PathBuf {
    root.join(".tools/nginx")
}

/// Debian's nginx and its brotli_static module, unpacked (`dpkg -x`) into `.tools/nginx`: installing
/// the packages would also install and start a system service on port 80.
fn nginx(tools: &Path) -> Result<(), String> {
    let prefix = tools.join("nginx");
    if prefix.join("usr/sbin/nginx").exists() {
        return Ok(());
    }
    step("unpacking Debian's nginx and its brotli_static module into .tools/nginx");
    let debs = tools.join("debs");
    let _ = std::fs::remove_dir_all(&debs);
    std::fs::create_dir_all(&debs).map_err(|e| format!("{}: {e}", debs.display()))?;
    let packages = ["nginx", "nginx-common", "libnginx-mod-http-brotli-static"];
    let download = || {
        run(Command::new("apt-get")
            .arg("download")
            .args(packages)
            .current_dir(&debs))
    };
    if download().is_err() {
        // No package lists yet on this machine.
        let sudo = output(Command::new("id").arg("-u")).as_deref() != Some("0");
        let mut update = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            update.arg("apt-get");
        }
        run(update.arg("update"))?;
        download()?;
    }
    let staging = tools.join("nginx.partial");
    let _ = std::fs::remove_dir_all(&staging);
    for deb in std::fs::read_dir(&debs).map_err(|e| format!("{}: {e}", debs.display()))? {
        let deb = deb.map_err(|e| e.to_string())?.path();
        run(Command::new("dpkg").arg("-x").arg(&deb).arg(&staging))?;
    }
    run(Command::new(staging.join("usr/sbin/nginx")).arg("-v"))?;
    std::fs::rename(&staging, &prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    let _ = std::fs::remove_dir_all(&debs);
    Ok(())
}

fn cargo_install(env: &Env, tools: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = env.command("cargo");
    cmd.arg("install").args(args).arg("--root").arg(tools);
    // A clean target dir for tools, so the project's own builds are not invalidated.
    cmd.env("CARGO_TARGET_DIR", tools.join("build"));
    run(&mut cmd)?;
    let _ = std::fs::remove_dir_all(tools.join("build"));
    Ok(())
}

fn version_is(bin: &Path, expected: &str) -> bool {
    output(Command::new(bin).arg("--version"))
        .is_some_and(|v| v.lines().next().unwrap_or_default().starts_with(expected))
}

/// The version of `name` in Cargo.lock.
pub fn lock_version(root: &Path, name: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{name} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_string())
}
