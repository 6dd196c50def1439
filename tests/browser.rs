//! End-to-end test of the web page in a real headless browser: starts the
//! daemon (rules only) on free loopback ports and runs
//! `tests/browser/e2e.mjs` (playwright-core driving the distribution's
//! Chromium), which pastes the SPEC example, sees RED, copies the redacted
//! text, personalises an AI answer and gets the names back.
//!
//! Needs `node`, `chromium` and `tests/browser/node_modules`; `.ci/run`
//! installs them. When one is missing the test fails and says how to get
//! it — it never passes silently. Environment: `AMPEL_CHROMIUM` (browser
//! binary, default: `chromium` or `chromium-browser` on `PATH`),
//! `AMPEL_NODE` (default `node`), `AMPEL_SCREENSHOT=PATH` (write a
//! full-page screenshot, e.g. `docs/screenshot.png`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use ampel::server::{serve_with_http_and_shutdown, ServeConfig};
use ampel::Analyzer;

const HOW_TO: &str = "run `.ci/run` once (it installs Chromium, Node.js and the test's \
npm packages), or install them yourself: `apt-get install chromium nodejs npm` and \
`(cd tests/browser && npm ci)`";

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("AMPEL_CHROMIUM") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "AMPEL_CHROMIUM={} is not a file: point it at a Chromium binary, or unset it and {HOW_TO}",
            p.display()
        );
        return p;
    }
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(on_path)
        .unwrap_or_else(|| {
            panic!("the browser test needs Chromium, which is not installed: {HOW_TO}")
        })
}

fn node() -> PathBuf {
    if let Some(p) = std::env::var_os("AMPEL_NODE") {
        return PathBuf::from(p);
    }
    on_path("node").unwrap_or_else(|| {
        panic!("the browser test needs Node.js (`node`), which is not installed: {HOW_TO}")
    })
}

#[test]
fn web_page_end_to_end_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = chromium();
    let node = node();
    assert!(
        root.join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "the browser test needs playwright-core in tests/browser/node_modules: {HOW_TO}"
    );

    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let (grpc, http) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let url = format!("http://{}", http.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let daemon = rt.spawn(serve_with_http_and_shutdown(
        ServeConfig::new(),
        Arc::new(Analyzer::rules_only()),
        grpc,
        http,
        async {
            let _ = stopped.await;
        },
    ));

    let mut cmd = Command::new(&node);
    cmd.arg("tests/browser/e2e.mjs")
        .current_dir(root)
        .env("AMPEL_URL", &url)
        .env("AMPEL_CHROMIUM", &chromium);
    if let Some(shot) = std::env::var_os("AMPEL_SCREENSHOT") {
        cmd.env("AMPEL_SCREENSHOT", root.join(shot));
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", node.display()));

    let _ = stop.send(());
    let stopped = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(20), daemon).await })
        .expect("the daemon stopped")
        .expect("the daemon task did not panic");
    assert!(stopped.is_ok(), "clean shutdown: {stopped:?}");

    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the browser test failed ({}) with {} at {url}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status,
        chromium.display(),
    );
    assert!(stdout.contains("e2e: passed"), "{stdout}");
}
