//! The `ampel.v1.Ampel` service: thin handlers that validate, hand the text
//! to the [`Engine`], convert the answer, and log one structured line per
//! request (request id, sizes, label counts, verdict, latency — never text).
//!
//! Deadlines: a `grpc-timeout` header sets a deadline that travels with the
//! job (the worker skips jobs whose deadline passed) and ends the call with
//! DEADLINE_EXCEEDED. [`MessageLimit`] turns tonic's OUT_OF_RANGE for an
//! oversized message into RESOURCE_EXHAUSTED, as other gRPC stacks answer.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::codegen::http;
use tonic::server::NamedService;
use tonic::{Code, Request, Response, Status, Streaming};

use super::convert;
use super::engine::{Engine, Pending};
use super::error::ServiceError;
use super::pb;
use super::queue::Admission;
use crate::analyzer::Analysis;

/// Metadata key of the request id (taken from the caller when valid,
/// generated otherwise, echoed in the response).
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// The service implementation.
#[derive(Clone)]
pub(crate) struct AmpelService {
    engine: Arc<Engine>,
    shutdown: watch::Receiver<bool>,
}

impl AmpelService {
    pub(crate) fn new(engine: Arc<Engine>, shutdown: watch::Receiver<bool>) -> Self {
        AmpelService { engine, shutdown }
    }
}

/// Per-call bookkeeping.
struct Call {
    rpc: &'static str,
    id: String,
    started: Instant,
    deadline: Option<tokio::time::Instant>,
}

fn next_request_id() -> String {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(rand::random::<u32>);
    format!("{prefix:08x}-{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn valid_request_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Parse a `grpc-timeout` value: up to 8 digits and a unit (H M S m u n).
fn parse_grpc_timeout(v: &str) -> Option<Duration> {
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (num, unit) = v.split_at(v.len() - 1);
    let n: u64 = num.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.checked_mul(3600)?),
        "M" => Duration::from_secs(n.checked_mul(60)?),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

impl Call {
    fn new<T>(rpc: &'static str, req: &Request<T>) -> Self {
        let started = Instant::now();
        let md = req.metadata();
        let id = md
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|s| valid_request_id(s))
            .map_or_else(next_request_id, str::to_string);
        // tonic itself cancels the call when the timeout passes; end it a
        // little earlier so the caller gets DEADLINE_EXCEEDED.
        let deadline = md
            .get("grpc-timeout")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_grpc_timeout)
            .map(|t| {
                let margin = (t / 10).min(Duration::from_millis(2));
                tokio::time::Instant::now() + t.saturating_sub(margin)
            });
        Call {
            rpc,
            id,
            started,
            deadline,
        }
    }

    fn elapsed_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1e3
    }

    /// Log and count the outcome, attach the request id.
    fn finish<T>(
        self,
        engine: &Engine,
        bytes: usize,
        analysis: Option<&Analysis>,
        res: Result<T, ServiceError>,
    ) -> Result<Response<T>, Status> {
        let code = res.as_ref().map_or_else(ServiceError::code, |_| Code::Ok);
        engine
            .metrics
            .request(self.rpc, code, self.started.elapsed());
        match &res {
            Ok(_) => {
                if let Some(a) = analysis {
                    engine
                        .metrics
                        .analysis(a.verdict.ampel, a.entities.iter().map(|e| e.label));
                    tracing::info!(
                        rpc = self.rpc,
                        request_id = %self.id,
                        bytes,
                        entities = a.entities.len(),
                        labels = %convert::label_counts(&a.entities),
                        verdict = %a.verdict.ampel,
                        latency_ms = self.elapsed_ms(),
                        "ok"
                    );
                } else {
                    tracing::info!(
                        rpc = self.rpc,
                        request_id = %self.id,
                        bytes,
                        latency_ms = self.elapsed_ms(),
                        "ok"
                    );
                }
            }
            Err(e) => {
                let level_error = matches!(e, ServiceError::Internal(_));
                if level_error {
                    tracing::error!(rpc = self.rpc, request_id = %self.id, bytes, error = %e, latency_ms = self.elapsed_ms(), "failed");
                } else {
                    tracing::info!(rpc = self.rpc, request_id = %self.id, bytes, code = ?code, error = %e, latency_ms = self.elapsed_ms(), "rejected");
                }
            }
        }
        let id = self.id;
        res.map(|body| {
            let mut resp = Response::new(body);
            if let Ok(v) = id.parse() {
                resp.metadata_mut().insert(REQUEST_ID, v);
            }
            resp
        })
        .map_err(Status::from)
    }
}

type AnalyzeStreamOut =
    Pin<Box<dyn Stream<Item = Result<pb::AnalyzeStreamResponse, Status>> + Send>>;

#[tonic::async_trait]
impl pb::ampel_server::Ampel for AmpelService {
    async fn analyze(
        &self,
        req: Request<pb::AnalyzeRequest>,
    ) -> Result<Response<pb::AnalyzeResponse>, Status> {
        let call = Call::new("Analyze", &req);
        let pb::AnalyzeRequest { text, options } = req.into_inner();
        let bytes = text.len();
        let res = async {
            let opts = self.engine.options(convert::options_from_pb(options)?)?;
            self.engine.analyze(text, opts, call.deadline).await
        }
        .await;
        match res {
            Ok((text, a)) => {
                let body = convert::analysis_to_pb(&text, &a);
                call.finish(&self.engine, bytes, Some(&a), Ok(body))
            }
            Err(e) => call.finish(&self.engine, bytes, None, Err(e)),
        }
    }

    async fn redact(
        &self,
        req: Request<pb::RedactRequest>,
    ) -> Result<Response<pb::RedactResponse>, Status> {
        let call = Call::new("Redact", &req);
        let pb::RedactRequest { text, options } = req.into_inner();
        let bytes = text.len();
        let res = async {
            let opts = self.engine.options(convert::options_from_pb(options)?)?;
            let (text, a) = self.engine.analyze(text, opts, call.deadline).await?;
            let sealed = self.engine.seal(&a.redaction.mapping)?;
            Ok::<_, ServiceError>((text, a, sealed))
        }
        .await;
        match res {
            Ok((text, a, sealed)) => {
                let (restore_handle, exp) = sealed.unwrap_or_default();
                let body = pb::RedactResponse {
                    redacted: a.redaction.text.clone(),
                    restore_handle,
                    restore_handle_expire_time_unix: exp,
                    verdict: convert::verdict_to_pb(a.verdict.ampel) as i32,
                    entities: convert::entities_to_pb(&text, &a.entities),
                    reasons: convert::reasons_to_pb(&a.verdict.reasons),
                };
                call.finish(&self.engine, bytes, Some(&a), Ok(body))
            }
            Err(e) => call.finish(&self.engine, bytes, None, Err(e)),
        }
    }

    async fn restore(
        &self,
        req: Request<pb::RestoreRequest>,
    ) -> Result<Response<pb::RestoreResponse>, Status> {
        let call = Call::new("Restore", &req);
        let pb::RestoreRequest {
            restore_handle,
            text,
        } = req.into_inner();
        let bytes = text.len();
        let res = self
            .engine
            .restore(&restore_handle, &text)
            .map(|restored| pb::RestoreResponse { restored });
        call.finish(&self.engine, bytes, None, res)
    }

    type AnalyzeStreamStream = AnalyzeStreamOut;

    async fn analyze_stream(
        &self,
        req: Request<Streaming<pb::AnalyzeStreamRequest>>,
    ) -> Result<Response<Self::AnalyzeStreamStream>, Status> {
        let call = Call::new("AnalyzeStream", &req);
        let inbound = req.into_inner();
        let window = self.engine.limits().stream_window;
        let (pending_tx, pending_rx) = mpsc::channel::<StreamItem>(window);
        let (out_tx, out_rx) = mpsc::channel(window);
        let id = call.id.clone();
        tokio::spawn(read_stream(
            Arc::clone(&self.engine),
            inbound,
            pending_tx,
            out_tx.clone(),
            self.shutdown.clone(),
            call.deadline,
        ));
        tokio::spawn(answer_stream(
            Arc::clone(&self.engine),
            pending_rx,
            out_tx,
            call,
        ));
        let mut resp = Response::new(Box::pin(ReceiverStream::new(out_rx)) as AnalyzeStreamOut);
        if let Ok(v) = id.parse() {
            resp.metadata_mut().insert(REQUEST_ID, v);
        }
        Ok(resp)
    }

    async fn info(
        &self,
        req: Request<pb::InfoRequest>,
    ) -> Result<Response<pb::InfoResponse>, Status> {
        let call = Call::new("Info", &req);
        let body = convert::info_to_pb(self.engine.info(), self.engine.limits());
        call.finish(&self.engine, 0, None, Ok(body))
    }
}

/// One entry of a stream's ordered pipeline.
enum StreamItem {
    /// A request: its id, size and pending analysis (or why it failed).
    Item {
        request_id: String,
        bytes: usize,
        pending: Result<Pending, ServiceError>,
    },
    /// End the stream with this status once everything before it is sent.
    End(Status),
}

/// Read requests, queue them (waiting for room: backpressure), and pass the
/// pending answers on in order. Stops when the client half-closes, the
/// client goes away, or the daemon shuts down.
async fn read_stream(
    engine: Arc<Engine>,
    mut inbound: Streaming<pb::AnalyzeStreamRequest>,
    pending_tx: mpsc::Sender<StreamItem>,
    out_tx: mpsc::Sender<Result<pb::AnalyzeStreamResponse, Status>>,
    mut shutdown: watch::Receiver<bool>,
    deadline: Option<tokio::time::Instant>,
) {
    enum Next {
        Shutdown,
        ClientGone,
        Message(Result<Option<pb::AnalyzeStreamRequest>, Status>),
    }
    loop {
        let next = tokio::select! {
            biased;
            _ = async { shutdown.wait_for(|s| *s).await.is_ok() } => Next::Shutdown,
            _ = out_tx.closed() => Next::ClientGone,
            m = inbound.message() => Next::Message(m),
        };
        let next = match next {
            Next::Shutdown => {
                let _ = pending_tx
                    .send(StreamItem::End(Status::unavailable(
                        "the daemon is shutting down; requests after the last answered one were not processed",
                    )))
                    .await;
                return;
            }
            Next::ClientGone => return,
            Next::Message(m) => m,
        };
        let req = match next {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let status = if status.code() == Code::OutOfRange {
                    Status::resource_exhausted(format!(
                        "stream message too large; the limit is {} bytes",
                        engine.limits().max_message_bytes
                    ))
                } else {
                    status
                };
                let _ = pending_tx.send(StreamItem::End(status)).await;
                return;
            }
        };
        let pb::AnalyzeStreamRequest {
            request_id,
            text,
            options,
        } = req;
        let bytes = text.len();
        let pending = match convert::options_from_pb(options).and_then(|o| engine.options(o)) {
            Ok(opts) => engine.submit(text, opts, deadline, Admission::Wait).await,
            Err(e) => Err(e),
        };
        let stop = matches!(
            pending,
            Err(ServiceError::DeadlineExceeded | ServiceError::Unavailable(_))
        );
        if pending_tx
            .send(StreamItem::Item {
                request_id,
                bytes,
                pending,
            })
            .await
            .is_err()
            || stop
        {
            return;
        }
    }
}

/// Await pending answers in order and send them. A failed send means the
/// client is gone: returning drops the pending tickets, which cancels their
/// queued jobs.
async fn answer_stream(
    engine: Arc<Engine>,
    mut pending_rx: mpsc::Receiver<StreamItem>,
    out_tx: mpsc::Sender<Result<pb::AnalyzeStreamResponse, Status>>,
    call: Call,
) {
    let mut items = 0u64;
    let mut failed = 0u64;
    let mut bytes_total = 0usize;
    let mut end: Option<Status> = None;
    while let Some(item) = pending_rx.recv().await {
        let (request_id, bytes, pending) = match item {
            StreamItem::Item {
                request_id,
                bytes,
                pending,
            } => (request_id, bytes, pending),
            StreamItem::End(status) => {
                end = Some(status);
                break;
            }
        };
        items += 1;
        bytes_total += bytes;
        let res = match pending {
            // Stop waiting as soon as the client is gone: returning drops
            // every pending ticket, and the worker skips their jobs.
            Ok(p) => tokio::select! {
                r = p.wait(call.deadline) => r,
                () = out_tx.closed() => {
                    end = Some(Status::cancelled("the client went away"));
                    break;
                }
            },
            Err(e) => Err(e),
        };
        let result = match res {
            Ok((text, a)) => {
                engine
                    .metrics
                    .analysis(a.verdict.ampel, a.entities.iter().map(|e| e.label));
                tracing::debug!(
                    rpc = call.rpc,
                    request_id = %call.id,
                    bytes,
                    entities = a.entities.len(),
                    labels = %convert::label_counts(&a.entities),
                    verdict = %a.verdict.ampel,
                    "stream item"
                );
                pb::analyze_stream_response::Result::Analysis(convert::analysis_to_pb(&text, &a))
            }
            Err(ServiceError::DeadlineExceeded) => {
                end = Some(ServiceError::DeadlineExceeded.into());
                break;
            }
            Err(e) => {
                failed += 1;
                pb::analyze_stream_response::Result::Error(pb::ItemError {
                    code: e.code() as i32,
                    message: e.to_string(),
                })
            }
        };
        let resp = pb::AnalyzeStreamResponse {
            request_id,
            result: Some(result),
        };
        if out_tx.send(Ok(resp)).await.is_err() {
            end = Some(Status::cancelled("the client went away"));
            break;
        }
    }
    let code = end.as_ref().map_or(Code::Ok, Status::code);
    engine
        .metrics
        .request(call.rpc, code, call.started.elapsed());
    tracing::info!(
        rpc = call.rpc,
        request_id = %call.id,
        items,
        failed_items = failed,
        bytes = bytes_total,
        code = ?code,
        latency_ms = call.elapsed_ms(),
        "stream closed"
    );
    if let Some(status) = end {
        if status.code() != Code::Cancelled {
            let _ = out_tx.send(Err(status)).await;
        }
    }
}

/// Wraps the `ampel.v1` service and rewrites tonic's OUT_OF_RANGE answer to
/// an oversized request message into RESOURCE_EXHAUSTED.
#[derive(Clone)]
pub(crate) struct MessageLimit<S> {
    inner: S,
    max: usize,
}

impl<S> MessageLimit<S> {
    pub(crate) fn new(inner: S, max: usize) -> Self {
        MessageLimit { inner, max }
    }
}

impl<S: NamedService> NamedService for MessageLimit<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B, RB> tonic::codegen::Service<http::Request<B>> for MessageLimit<S>
where
    S: tonic::codegen::Service<http::Request<B>, Response = http::Response<RB>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = http::Response<RB>;
    type Error = Infallible;
    type Future =
        Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let fut = self.inner.call(req);
        let max = self.max;
        Box::pin(async move {
            let resp = fut.await?;
            if !is_oversize(resp.headers()) {
                return Ok(resp);
            }
            let status = Status::resource_exhausted(format!(
                "request message too large; the limit is {max} bytes (InfoResponse.max_message_bytes)"
            ));
            // A trailers-only answer: the status lives in the headers.
            let (mut parts, body) = resp.into_parts();
            parts.headers = status.into_http::<()>().into_parts().0.headers;
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

fn is_oversize(h: &http::HeaderMap) -> bool {
    let code_is_out_of_range = h.get("grpc-status").is_some_and(|v| v.as_bytes() == b"11");
    code_is_out_of_range
        && h.get("grpc-message").is_some_and(|m| {
            let m = m.as_bytes();
            m.windows(9).any(|w| w == b"too large" || w == b"too%20lar")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("5"), None);
        assert_eq!(parse_grpc_timeout("123456789m"), None);
        assert_eq!(parse_grpc_timeout("10x"), None);
    }

    #[test]
    fn request_ids() {
        assert!(valid_request_id("abc-123_x.y:z"));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id("has space"));
        assert!(!valid_request_id(&"a".repeat(65)));
        assert_ne!(next_request_id(), next_request_id());
    }

    #[test]
    fn oversize_detection() {
        let mut h = http::HeaderMap::new();
        h.insert("grpc-status", "11".parse().unwrap());
        h.insert(
            "grpc-message",
            "Error,%20decoded%20message%20length%20too%20large"
                .parse()
                .unwrap(),
        );
        assert!(is_oversize(&h));
        h.insert("grpc-status", "3".parse().unwrap());
        assert!(!is_oversize(&h));
    }
}
