//! The unmodified official JavaScript client (npm `netlicensing-client`, pinned in `tests/clients/js`) drives
//! the server. `.ci/run` installs it; elsewhere run `npm ci` in that folder first.

use std::{path::Path, process::Command};

use crate::common::{Backend, TestServer};

#[tokio::test]
async fn the_official_javascript_client_works_against_the_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/js");
    let installed = dir.join("node_modules/netlicensing-client").is_dir();
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !(installed && node) {
        assert!(std::env::var("CI").is_err(), "CI must install node and the official client (see .ci/run)");
        eprintln!("skipped: run `npm ci` in {} to check the official JavaScript client", dir.display());
        return;
    }
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let base = server.url("");
        let base = base.trim_end_matches('/').to_owned();
        let dir = dir.clone();
        let output = tokio::task::spawn_blocking(move || {
            Command::new("node")
                .arg("chain.mjs")
                .arg(&base)
                .arg(format!("{backend:?}"))
                .current_dir(dir.clone())
                .output()
        })
        .await
        .unwrap()
        .expect("node runs");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{backend:?}: {text}");
        assert!(text.contains("all checks passed"), "{text}");
        server.stop().await;
    }
}
