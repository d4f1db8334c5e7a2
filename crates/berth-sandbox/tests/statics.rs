//! The console's files as the sandbox serves them: deep links get index.html, a missing asset is
//! a 404 (never HTML a browser could cache under a chunk's name), hashed files are immutable.

mod common;

use common::Server;

#[test]
fn deep_links_get_the_app_and_missing_assets_are_404() {
    let dist = std::env::temp_dir().join(format!("berth-statics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).expect("mkdir");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Berth</title>",
    )
    .expect("write");
    std::fs::write(dist.join("chunk_1-0123456789abcdef.wasm"), b"\0asm").expect("write");
    std::fs::write(dist.join("config.json"), "{}").expect("write");
    let dist_arg = dist.to_string_lossy().to_string();
    let s = Server::start(&["--dist", &dist_arg]);

    let deep = s.call("GET", "/k/sandbox/aws/new", None, &[]).expect(200);
    assert!(deep.text.contains("<title>Berth"));
    assert_eq!(deep.header("cache-control"), Some("no-cache"));

    let chunk = s
        .call("GET", "/chunk_1-0123456789abcdef.wasm", None, &[])
        .expect(200);
    assert_eq!(chunk.header("content-type"), Some("application/wasm"));
    assert_eq!(
        chunk.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let config = s.call("GET", "/config.json", None, &[]).expect(200);
    assert_eq!(config.header("cache-control"), Some("no-cache"));

    for missing in [
        "/chunk_2-0123456789abcdef.wasm",
        "/sub/berth-0123456789abcdef.js",
    ] {
        let a = s.call("GET", missing, None, &[]);
        assert_eq!(a.status, 404, "{missing} must be a 404, not the app");
        assert!(
            !a.text.contains("<title>"),
            "{missing} must not be answered with index.html"
        );
    }
    drop(s);
    let _ = std::fs::remove_dir_all(&dist);
}
