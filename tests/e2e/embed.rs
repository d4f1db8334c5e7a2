//! Embedding: a host page mounts the console into its own element with its own config.

use crate::Session;
use berth_harness::Sandbox;

#[tokio::test(flavor = "multi_thread")]
async fn a_host_page_mounts_the_console_into_its_element() {
    // A portal page: its own header, a container element, and the console's script with manual mount.
    let built = berth_harness::env_path("BERTH_DIST");
    let root = std::env::temp_dir().join(format!("berth-embed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    crate::copy_dir(&built, &root);
    let index = std::fs::read_to_string(built.join("index.html")).expect("index.html");
    let host = index
        .replace(
            "<script type=\"module\" src=",
            "<script>window.BERTH_MANUAL_MOUNT = true;</script>\n<script type=\"module\" src=",
        )
        .replace(
            "<body></body>",
            r#"<body><header id="portal-header">Portal</header><div id="portal-slot"></div>
<script>
addEventListener("TrunkApplicationStarted", () => {
  window.wasmBindings.mount(document.getElementById("portal-slot"), {
    connections: [{ id: "main", kind: "qovery", label: "Portal Qovery", base_url: "/api/qovery", token: "sandbox" }]
  });
});
</script></body>"#,
        );
    assert_ne!(
        host, index,
        "the host page could not be derived from index.html"
    );
    std::fs::write(root.join("index.html"), host).expect("write host page");

    let sandbox = Sandbox::start_with(&berth_harness::env_path("BERTH_SANDBOX"), &root, &[]).await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    c.open("/").await;
    let inside = c
        .eval("return !!document.querySelector('#portal-slot > .berth .berth-shell') && document.querySelectorAll('.berth-shell').length")
        .await;
    assert_eq!(
        inside, 1,
        "the console must mount once, inside the host's element"
    );
    c.wait_for_text("article[data-kind=qovery]", "Portal Qovery")
        .await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    let kopernik = c
        .eval("return document.querySelectorAll('article[data-kind=kopernik]').length")
        .await;
    assert_eq!(kopernik, 0, "the host's config replaces config.json");
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}
