//! The daemon (`ampel serve`: gRPC, plus a web page and an HTTP/JSON API)
//! and its load generator (`ampel bench`).
//!
//! Read top-down:
//! - [`config`]: flags, environment, TOML file → validated [`ServeConfig`];
//! - `engine`: the protocol-neutral core (limits, options, queue, sealed
//!   restore handles, readiness) that every adapter shares;
//! - `queue`: the bounded queue and the one OS thread that owns the
//!   [`Analyzer`] and batches requests (the text-embeddings-inference flow);
//! - `grpc` + `convert`: the `ampel.v1.Ampel` service and the protobuf
//!   mapping ([`pb`]), the only place errors become gRPC statuses;
//! - `http` (+ `web/`): the page and the HTTP/JSON API on a second loopback
//!   port (default 127.0.0.1:8787), over the same engine;
//! - `auth`, `seal`, `metrics`: bearer tokens, restore handles, Prometheus;
//! - `bench`: the load generator.
//!
//! This module wires them: standard `grpc.health.v1` (NOT_SERVING until the
//! worker ran one real warm-up analysis), server reflection (v1 and
//! v1alpha, so `grpcurl` works without the .proto), the optional metrics
//! endpoint, the optional web page and HTTP API, and graceful shutdown on
//! SIGINT/SIGTERM: health turns NOT_SERVING, the listeners close, open
//! streams stop reading, in-flight requests (gRPC and HTTP) finish, the
//! worker drains its queue, and [`run`] returns `Ok`.
//!
//! The server uses only the public analyzer API; it knows nothing about
//! candle, tokenizers or rule internals, and it never logs text.

use std::future::Future;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::codegen::InterceptedService;
use tonic::transport::server::{Connected, TcpIncoming};
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::analyzer::Analyzer;

mod auth;
mod bench;
pub mod config;
mod convert;
mod engine;
mod error;
mod grpc;
mod http;
mod metrics;
mod queue;
mod seal;

pub use auth::Token;
pub use bench::{bench, BenchArgs, BenchRpc};
pub use config::{Hook, Hooks, Limits, Listen, ServeArgs, ServeConfig};
pub use error::ServerError;
pub use seal::{SealError, SealKey, Sealer};

use engine::Engine;
use grpc::{AmpelService, MessageLimit};

/// Generated protobuf messages, client and server of `ampel.v1`.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod pb {
    tonic::include_proto!("ampel.v1");

    /// The encoded file descriptor set of `ampel.v1`, for server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("ampel_descriptor");
}

/// The fully-qualified gRPC service name.
pub const SERVICE_NAME: &str = "ampel.v1.Ampel";

/// Run until SIGINT/SIGTERM on the configured TCP address or Unix socket
/// (and, unless `--no-http`, the web page and HTTP API on `http_addr`);
/// drains in-flight requests; returns `Ok` on a clean shutdown.
pub async fn run(cfg: ServeConfig, analyzer: Arc<Analyzer>) -> Result<(), ServerError> {
    let signal = shutdown_signal()?;
    let http = match cfg.http_addr {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Io {
                    context: format!(
                        "cannot listen for the web page and HTTP API on {addr} \
                     (choose another port with --http-addr, or turn it off with --no-http)"
                    ),
                    source,
                })?,
        ),
        None => None,
    };
    match cfg.listen.clone() {
        Listen::Tcp(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Io {
                    context: format!("cannot listen on {addr}"),
                    source,
                })?;
            serve_tcp(cfg, analyzer, listener, http, signal).await
        }
        Listen::Uds(path) => serve_uds(cfg, analyzer, path, http, signal).await,
    }
}

#[cfg(unix)]
async fn serve_uds(
    cfg: ServeConfig,
    analyzer: Arc<Analyzer>,
    path: std::path::PathBuf,
    http: Option<tokio::net::TcpListener>,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let io_err = |context: String| move |source| ServerError::Io { context, source };
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if !meta.file_type().is_socket() {
            return Err(ServerError::Config(format!(
                "{} exists and is not a socket; refusing to replace it",
                path.display()
            )));
        }
        std::fs::remove_file(&path).map_err(io_err(format!(
            "cannot remove stale socket {}",
            path.display()
        )))?;
    }
    let listener = tokio::net::UnixListener::bind(&path)
        .map_err(io_err(format!("cannot listen on {}", path.display())))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .map_err(io_err(format!("cannot restrict {}", path.display())))?;
    let incoming = tokio_stream::wrappers::UnixListenerStream::new(listener);
    let bound = format!("unix:{}", path.display());
    let res = serve_incoming(cfg, analyzer, incoming, http, signal, bound).await;
    let _ = std::fs::remove_file(&path);
    res
}

#[cfg(not(unix))]
async fn serve_uds(
    _cfg: ServeConfig,
    _analyzer: Arc<Analyzer>,
    _path: std::path::PathBuf,
    _http: Option<tokio::net::TcpListener>,
    _signal: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    Err(ServerError::Config(
        "--uds needs a Unix system; use --listen".into(),
    ))
}

/// Resolves on the first SIGINT or SIGTERM.
fn shutdown_signal() -> Result<impl Future<Output = ()> + Send + 'static, ServerError> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|source| ServerError::Io {
            context: "cannot install the SIGTERM handler".into(),
            source,
        })?;
    Ok(async move {
        #[cfg(unix)]
        let term = term.recv();
        #[cfg(not(unix))]
        let term = std::future::pending::<Option<()>>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received; shutting down"),
            _ = term => tracing::info!("SIGTERM received; shutting down"),
        }
    })
}

/// For tests and embedding: serve gRPC on an already-bound TCP listener
/// until `shutdown` resolves, then drain in-flight requests and return.
/// Serves no web page or HTTP API (`cfg.http_addr` is ignored); see
/// [`serve_with_http_and_shutdown`].
pub async fn serve_with_shutdown(
    cfg: ServeConfig,
    analyzer: Arc<Analyzer>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    serve_tcp(cfg, analyzer, listener, None, shutdown).await
}

/// For tests and embedding: like [`serve_with_shutdown`], plus the web page
/// and the HTTP/JSON API on the already-bound `http` listener (one engine,
/// one queue, one sealing key for both).
pub async fn serve_with_http_and_shutdown(
    cfg: ServeConfig,
    analyzer: Arc<Analyzer>,
    grpc: tokio::net::TcpListener,
    http: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    serve_tcp(cfg, analyzer, grpc, Some(http), shutdown).await
}

async fn serve_tcp(
    cfg: ServeConfig,
    analyzer: Arc<Analyzer>,
    listener: tokio::net::TcpListener,
    http: Option<tokio::net::TcpListener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let bound = listener
        .local_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    serve_incoming(cfg, analyzer, incoming, http, shutdown, bound).await
}

async fn serve_incoming<I, IO, IE>(
    cfg: ServeConfig,
    analyzer: Arc<Analyzer>,
    incoming: I,
    http: Option<tokio::net::TcpListener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    bound: String,
) -> Result<(), ServerError>
where
    I: Stream<Item = Result<IO, IE>>,
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
    IE: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let shutdown_timeout = cfg.shutdown_timeout;
    let has_model = analyzer.has_model();
    let engine = Arc::new(Engine::start(&cfg, analyzer)?);
    let limits = engine.limits().clone();

    // Health: NOT_SERVING until the warm-up analysis ran.
    let (reporter, health) = tonic_health::server::health_reporter();
    for name in ["", SERVICE_NAME] {
        reporter
            .set_service_status(name, ServingStatus::NotServing)
            .await;
    }

    // One shutdown signal, fanned out to the server, streams, metrics.
    let (sd_tx, sd_rx) = watch::channel(false);
    {
        let reporter = reporter.clone();
        tokio::spawn(async move {
            shutdown.await;
            for name in ["", SERVICE_NAME] {
                reporter
                    .set_service_status(name, ServingStatus::NotServing)
                    .await;
            }
            let _ = sd_tx.send(true);
        });
    }
    {
        let mut ready = engine.ready();
        let mut sd = sd_rx.clone();
        tokio::spawn(async move {
            tokio::select! {
                ok = async { ready.wait_for(|r| *r).await.is_ok() } => {
                    let shutting_down = *sd.borrow();
                    if ok && !shutting_down {
                        for name in ["", SERVICE_NAME] {
                            reporter.set_service_status(name, ServingStatus::Serving).await;
                        }
                        tracing::info!("health: SERVING");
                    }
                }
                _ = async { sd.wait_for(|s| *s).await.is_ok() } => {}
            }
        });
    }

    let metrics_task = match cfg.metrics_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Io {
                    context: format!("cannot listen for metrics on {addr}"),
                    source,
                })?;
            let e = Arc::clone(&engine);
            let render: Arc<dyn Fn() -> String + Send + Sync> =
                Arc::new(move || e.render_metrics());
            let stop = wait_for_shutdown(sd_rx.clone());
            tracing::info!(%addr, "metrics at http://{addr}/metrics");
            Some(tokio::spawn(metrics::serve(listener, render, stop)))
        }
        None => None,
    };

    let http_task = match http {
        Some(listener) => {
            let addr = listener
                .local_addr()
                .map_or_else(|_| "?".to_string(), |a| a.to_string());
            tracing::info!(http = %addr, "web page and HTTP API at http://{addr}/");
            Some(tokio::spawn(http::serve(
                listener,
                Arc::clone(&engine),
                cfg.token.clone(),
                cfg.http_allow_any_host,
                sd_rx.clone(),
            )))
        }
        None => None,
    };

    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|e| ServerError::Internal(format!("reflection: {e}")))?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(|e| ServerError::Internal(format!("reflection: {e}")))?;

    let service =
        pb::ampel_server::AmpelServer::new(AmpelService::new(Arc::clone(&engine), sd_rx.clone()))
            .max_decoding_message_size(limits.max_message_bytes);
    let service = MessageLimit::new(
        InterceptedService::new(service, auth::AuthInterceptor::new(cfg.token.clone())),
        limits.max_message_bytes,
    );

    tracing::info!(
        listen = %bound,
        model = has_model,
        auth = cfg.token.is_some(),
        queue_capacity = limits.queue_capacity,
        max_batch_texts = limits.max_batch_texts,
        max_batch_chars = limits.max_batch_chars,
        batch_wait_ms = u64::try_from(limits.batch_wait.as_millis()).unwrap_or(u64::MAX),
        max_text_bytes = limits.max_text_bytes,
        max_message_bytes = limits.max_message_bytes,
        "ampel daemon listening"
    );

    let server = Server::builder()
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(service)
        .serve_with_incoming_shutdown(incoming, wait_for_shutdown(sd_rx.clone()));

    // After the signal, give in-flight requests `shutdown_timeout`.
    let forced = async {
        wait_for_shutdown(sd_rx.clone()).await;
        tokio::time::sleep(shutdown_timeout).await;
    };
    // Both front ends drain before the worker stops.
    let both = async {
        let grpc = server.await.map_err(ServerError::from);
        if grpc.is_err() {
            if let Some(t) = &http_task {
                t.abort();
            }
        }
        let http = match http_task {
            Some(t) => match t.await {
                Ok(r) => r.map_err(|source| ServerError::Io {
                    context: "the HTTP server failed".into(),
                    source,
                }),
                Err(e) => Err(ServerError::Internal(format!("the HTTP server task: {e}"))),
            },
            None => Ok(()),
        };
        grpc.and(http)
    };
    let result = tokio::select! {
        r = both => r,
        () = forced => Err(ServerError::Internal(format!(
            "in-flight requests did not finish within {shutdown_timeout:?}; exiting anyway"
        ))),
    };
    engine.close().await;
    if let Some(t) = metrics_task {
        let _ = t.await;
    }
    match &result {
        Ok(()) => tracing::info!("ampel daemon stopped cleanly"),
        Err(e) => tracing::error!(error = %e, "ampel daemon stopped"),
    }
    result
}

/// Resolves once the shutdown flag is set (or its sender is gone).
async fn wait_for_shutdown(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
