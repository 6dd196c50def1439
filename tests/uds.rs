//! `ampel serve --uds PATH`: the daemon binary serves gRPC on a Unix domain
//! socket that only its owner may open, answers over it, refuses to replace
//! a file that is not a socket, and removes its socket on SIGTERM.
#![cfg(unix)]

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ampel::server::pb;
use ampel::server::pb::ampel_client::AmpelClient;
use hyper_util::rt::TokioIo;
use tonic::transport::{Endpoint, Uri};

/// The daemon on rules only (starts in well under a second), no web page.
fn spawn_daemon(sock: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ampel"))
        .args(["serve", "--rules-only", "--no-http", "--uds"])
        .arg(sock)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ampel binary starts")
}

/// Connects as soon as the daemon listens (a stale socket file may be there
/// before it does). Polls without blocking the runtime: the connection task
/// must keep running to answer the daemon's GOAWAY when it shuts down.
async fn connect(sock: &Path, daemon: &mut Child) -> AmpelClient<tonic::transport::Channel> {
    let start = Instant::now();
    loop {
        let path = sock.to_path_buf();
        // The URI is required by the API and ignored by the connector.
        let channel = Endpoint::from_static("http://localhost")
            .connect_with_connector(tower::service_fn(move |_: Uri| {
                let path = path.clone();
                async move {
                    Ok::<_, std::io::Error>(TokioIo::new(
                        tokio::net::UnixStream::connect(path).await?,
                    ))
                }
            }))
            .await;
        if let Ok(channel) = channel {
            return AmpelClient::new(channel);
        }
        assert!(
            daemon.try_wait().expect("poll the daemon").is_none(),
            "the daemon exited before it listened"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no connection after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn terminate(daemon: &mut Child) -> std::process::ExitStatus {
    let killed = Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let start = Instant::now();
    loop {
        if let Some(status) = daemon.try_wait().expect("poll the daemon") {
            return status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no exit 60 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn grpc_on_a_private_unix_socket() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("ampel.sock");
    let mut daemon = spawn_daemon(&sock);
    let mut c = connect(&sock, &mut daemon).await;
    let meta = std::fs::symlink_metadata(&sock).unwrap();
    assert!(meta.file_type().is_socket());
    assert_eq!(
        meta.permissions().mode() & 0o777,
        0o600,
        "only the owner may connect"
    );

    let text = "Bitte rufen Sie Herrn Weber unter 0171 2345678 zurück.";
    let a = c
        .analyze(pb::AnalyzeRequest {
            text: text.into(),
            options: None,
        })
        .await
        .expect("Analyze over the socket")
        .into_inner();
    assert_eq!(a.verdict, pb::Verdict::Yellow as i32);
    assert!(!a.redacted.contains("Weber") && !a.redacted.contains("2345678"));

    let status = terminate(&mut daemon).await;
    let mut err = String::new();
    std::io::Read::read_to_string(&mut daemon.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        status.success(),
        "clean shutdown on SIGTERM: {status:?}\n{err}"
    );
    assert!(!sock.exists(), "the socket file is removed on shutdown");

    // A stale socket left behind (a killed daemon) is replaced.
    let stale = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    drop(stale);
    let mut daemon = spawn_daemon(&sock);
    let a = connect(&sock, &mut daemon)
        .await
        .analyze(pb::AnalyzeRequest {
            text: "Guten Morgen".into(),
            options: None,
        })
        .await
        .expect("Analyze after replacing a stale socket")
        .into_inner();
    assert_eq!(a.verdict, pb::Verdict::Green as i32);
    assert!(terminate(&mut daemon).await.success());
}

#[test]
fn a_file_that_is_not_a_socket_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "keep me").unwrap();
    let out = spawn_daemon(&path).wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a socket"), "stderr: {err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}
