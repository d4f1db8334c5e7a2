//! gzip -9 and brotli -q 11: the sizes the bench reports, and the `.gz` / `.br` files `cargo xtask
//! dist` writes beside each file for web servers that serve them as such (deploy/nginx).

use std::io::Write;
use std::path::Path;

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).map_err(|e| e.to_string())?;
    e.finish().map_err(|e| e.to_string())
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// What is worth compressing: text and wasm, not the compressed copies themselves.
fn compressible(name: &str) -> bool {
    [
        ".html", ".js", ".css", ".wasm", ".bin", ".json", ".svg", ".txt", ".map",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

/// Where compressed copies are kept by content: the two builds of `cargo xtask test` (`/` and
/// `/console/`) share all but a few files, and an unchanged build compresses nothing again.
const CACHE: &str = "target/precompressed";

/// How long a cached copy nobody used is kept.
const CACHE_KEEP: std::time::Duration = std::time::Duration::from_secs(3 * 24 * 3600);

/// Writes `<file>.br` and `<file>.gz` beside every compressible file of `dir` (two threads: brotli
/// at quality 11 is the slow part of a build), from the cache under `root` when the same bytes
/// were compressed before.
pub fn precompress(root: &Path, dir: &Path) -> Result<usize, String> {
    // The folder and its sub-folders (the chunks' folder).
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.is_file() && compressible(&p.to_string_lossy()) {
                files.push(p);
            }
        }
    }
    files.sort();
    let count = files.len();
    let cache = root.join(CACHE);
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    prune(&cache);
    let halves: Vec<Vec<std::path::PathBuf>> = vec![
        files.iter().step_by(2).cloned().collect(),
        files.iter().skip(1).step_by(2).cloned().collect(),
    ];
    let cache = &cache;
    std::thread::scope(|s| {
        let jobs: Vec<_> = halves
            .iter()
            .map(|part| {
                s.spawn(move || -> Result<(), String> {
                    for path in part {
                        let bytes =
                            std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                        let key = content_key(&bytes);
                        for ext in ["br", "gz"] {
                            let out = format!("{}.{ext}", path.display());
                            let kept = cache.join(format!("{key}.{ext}"));
                            if std::fs::copy(&kept, &out).is_ok() {
                                // Marks the copy as used, for `prune`.
                                let _ = std::fs::File::open(&kept)
                                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                                continue;
                            }
                            let packed = if ext == "br" {
                                brotli(&bytes)?
                            } else {
                                gzip(&bytes)?
                            };
                            std::fs::write(&out, &packed).map_err(|e| format!("{out}: {e}"))?;
                            // Written under a temporary name first: a build stopped halfway
                            // never leaves a truncated copy to be reused.
                            let tmp = cache.join(format!("{key}.{ext}.{}", std::process::id()));
                            if std::fs::write(&tmp, &packed).is_ok() {
                                let _ = std::fs::rename(&tmp, &kept);
                            }
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        jobs.into_iter().try_for_each(|j| {
            j.join()
                .map_err(|_| "a compression thread panicked".to_string())?
        })
    })?;
    Ok(count)
}

/// The cache's name for `bytes`: their SHA-256 and length.
fn content_key(bytes: &[u8]) -> String {
    format!("{}-{}", crate::util::sha256_hex(bytes, 32), bytes.len())
}

/// Removes the cached copies no build used for [`CACHE_KEEP`].
fn prune(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > CACHE_KEEP);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_made_once_and_reused_by_content() {
        let root = std::env::temp_dir().join(format!("berth-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (a, b) = (root.join("a"), root.join("b"));
        for d in [&a, &b] {
            std::fs::create_dir_all(d).unwrap();
        }
        let text = "let x = 1;\n".repeat(200);
        std::fs::write(a.join("x.js"), &text).unwrap();
        std::fs::write(b.join("y.js"), &text).unwrap();
        std::fs::write(b.join("z.png"), "not compressed").unwrap();
        assert_eq!(precompress(&root, &a).unwrap(), 1);
        let cached: Vec<_> = std::fs::read_dir(root.join(CACHE))
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(cached.len(), 2, "one .br and one .gz kept");
        // The cache answers for the same bytes under another name: a planted copy proves it was
        // read rather than compressed again.
        let key = content_key(text.as_bytes());
        std::fs::write(root.join(CACHE).join(format!("{key}.br")), b"planted").unwrap();
        assert_eq!(precompress(&root, &b).unwrap(), 1);
        assert_eq!(std::fs::read(b.join("y.js.br")).unwrap(), b"planted");
        let gz = std::fs::read(b.join("y.js.gz")).unwrap();
        assert_eq!(gz, gzip(text.as_bytes()).unwrap());
        assert!(!b.join("z.png.br").exists());
        let _ = std::fs::remove_dir_all(&root);
    }
}
