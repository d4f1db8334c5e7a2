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

/// Writes `<file>.br` and `<file>.gz` beside every compressible file of `dir` (two threads: brotli
/// at quality 11 is the slow part of a build).
pub fn precompress(dir: &Path) -> Result<usize, String> {
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
    let halves: Vec<Vec<std::path::PathBuf>> = vec![
        files.iter().step_by(2).cloned().collect(),
        files.iter().skip(1).step_by(2).cloned().collect(),
    ];
    std::thread::scope(|s| {
        let jobs: Vec<_> = halves
            .iter()
            .map(|part| {
                s.spawn(move || -> Result<(), String> {
                    for path in part {
                        let bytes =
                            std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                        for (ext, packed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
                            let out = format!("{}.{ext}", path.display());
                            std::fs::write(&out, packed).map_err(|e| format!("{out}: {e}"))?;
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
