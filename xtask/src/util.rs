use std::process::Command;

pub fn step(msg: &str) {
    eprintln!("\n==> {msg}");
}

/// Runs a command to completion; a non-zero exit is an error naming the command.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs a command and returns its standard output, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Free space in GiB on the disk holding `path`, read from `df` (None if it cannot tell).
pub fn free_gib(path: &std::path::Path) -> Option<f64> {
    let out = output(Command::new("df").arg("-Pk").arg(path))?;
    let kib: f64 = out
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib / (1024.0 * 1024.0))
}

/// The first `len` bytes of `bytes`' SHA-256, in hex (32 for all of it).
pub fn sha256_hex(bytes: &[u8], len: usize) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .take(len)
        .map(|b| format!("{b:02x}"))
        .collect()
}
