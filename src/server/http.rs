//! The web page and the HTTP/JSON API that `ampel serve` offers beside gRPC
//! (default `http://127.0.0.1:8787`, `--http-addr`, off with `--no-http`).
//!
//! Routes: the page (`/`, `/app.js`, `/style.css`, `/favicon.svg`, all
//! embedded in the binary) and the API — `POST /v1/analyze`,
//! `POST /v1/redact`, `POST /v1/restore`, `GET /v1/info`, `GET /v1/health`
//! (alias `/healthz`) — documented in `docs/openapi.yaml`. The handlers are
//! thin adapters over the same [`Engine`] the gRPC service holds, so limits,
//! the queue, sealed restore handles and readiness are shared; an analysis
//! answers with the SPEC's JSON line fields (`ampel`, `entities` with code
//! point offsets plus byte offsets, `redacted`) and `reasons`.
//!
//! The listener is a browser-facing loopback service, so one middleware
//! ([`guard`]) checks every request before a handler runs:
//! - `Host` must be a loopback name (`localhost`, `127.x.x.x`, `[::1]`)
//!   unless `--allow-remote` was given, which stops DNS rebinding;
//! - anything but GET/HEAD must come from the page's own origin: a
//!   `Sec-Fetch-Site` other than `same-origin`/`none`, or an `Origin` that
//!   differs from `http://<Host>`, is refused (403). No GET changes state;
//! - `/v1/*` (except health) needs `Authorization: Bearer <token>` when
//!   `--token-file` is set (401), and POSTs there need
//!   `Content-Type: application/json` (415), which a cross-origin page
//!   cannot send without a CORS preflight that this server never grants.
//!
//! A request may carry `X-Timeout-Ms: <milliseconds>` (1 ms to one hour),
//! the counterpart of gRPC's `grpc-timeout`: if the analysis has not run
//! when it passes, the answer is 504 `deadline_exceeded` and the queued job
//! is skipped. Without the header a request waits as long as it takes.
//!
//! Every response carries a strict Content-Security-Policy
//! (`default-src 'self'`, `frame-ancestors 'none'`), `nosniff`,
//! `Referrer-Policy: no-referrer`, and API answers are `no-store`. Errors are
//! JSON objects `{"error": "…", "code": "…"}` with a fitting status (400,
//! 401, 403, 404, 405, 410, 413, 415, 429, 503, 504, 500). One log line per
//! request carries the route, status, sizes, label counts, verdict and
//! latency — never text, values or mappings.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tonic::Code;

use super::auth::Token;
use super::convert;
use super::engine::{Engine, RequestOptions};
use super::error::ServiceError;
use super::seal::SealError;
use crate::analyzer::Analysis;
use crate::jsonl::{WireEntity, WireResult};
use crate::policy::Reason;
use crate::redact::{restore, Mapping, RedactMode};
use crate::types::{Ampel, Label};

const INDEX_HTML: &str = include_str!("web/index.html");
const APP_JS: &str = include_str!("web/app.js");
const STYLE_CSS: &str = include_str!("web/style.css");
const FAVICON_SVG: &str = include_str!("web/favicon.svg");

/// The page loads only its own script and style sheet and talks only to
/// its own origin; nobody may frame it.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Header carrying the request id (taken from the caller when valid,
/// generated otherwise, echoed in the response).
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Shared by every handler.
#[derive(Clone)]
struct AppState {
    engine: Arc<Engine>,
    token: Option<Arc<Token>>,
    allow_any_host: bool,
    shutdown: watch::Receiver<bool>,
}

/// Serve the page and the API on `listener` until the shutdown flag turns
/// true; in-flight requests finish first.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    engine: Arc<Engine>,
    token: Option<Token>,
    allow_any_host: bool,
    shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = router(engine, token, allow_any_host, shutdown.clone());
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let mut stop = shutdown;
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await
}

/// The routes, the body limit and the [`guard`] middleware.
fn router(
    engine: Arc<Engine>,
    token: Option<Token>,
    allow_any_host: bool,
    shutdown: watch::Receiver<bool>,
) -> Router {
    let body_limit = engine.limits().max_message_bytes;
    let state = AppState {
        engine,
        token: token.map(Arc::new),
        allow_any_host,
        shutdown,
    };
    let page = |body: &'static str, content_type: &'static str| {
        get(move || async move { ([(header::CONTENT_TYPE, content_type)], body) })
            .fallback(only_get)
    };
    Router::new()
        .route("/", page(INDEX_HTML, "text/html; charset=utf-8"))
        .route("/index.html", page(INDEX_HTML, "text/html; charset=utf-8"))
        .route("/app.js", page(APP_JS, "text/javascript; charset=utf-8"))
        .route("/style.css", page(STYLE_CSS, "text/css; charset=utf-8"))
        .route("/favicon.svg", page(FAVICON_SVG, "image/svg+xml"))
        .route(
            "/v1/analyze",
            axum::routing::post(analyze).fallback(only_post),
        )
        .route(
            "/v1/redact",
            axum::routing::post(redact).fallback(only_post),
        )
        .route(
            "/v1/restore",
            axum::routing::post(restore_handler).fallback(only_post),
        )
        .route("/v1/info", get(info).fallback(only_get))
        .route("/v1/health", get(health).fallback(only_get))
        .route("/healthz", get(health).fallback(only_get))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

// ------------------------------------------------------------------ errors

/// One failed request: status, a stable machine code and a message that
/// never contains text the daemon analysed.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    allow: Option<&'static str>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    code: &'a str,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            allow: None,
        }
    }

    fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (
            self.status,
            Json(ErrorBody {
                error: &self.message,
                code: self.code,
            }),
        )
            .into_response();
        let h = resp.headers_mut();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                h.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"ampel\""),
                );
            }
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                h.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        if let Some(allow) = self.allow {
            h.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        resp.extensions_mut().insert(ErrorCode(self.code));
        resp
    }
}

/// The machine code of an error answer, for the log line.
#[derive(Clone, Copy)]
struct ErrorCode(&'static str);

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let (status, code) = match &e {
            ServiceError::InvalidArgument(_) => (StatusCode::BAD_REQUEST, "invalid_argument"),
            ServiceError::TextTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "text_too_large"),
            ServiceError::QueueFull { .. } => (StatusCode::TOO_MANY_REQUESTS, "queue_full"),
            ServiceError::DeadlineExceeded => (StatusCode::GATEWAY_TIMEOUT, "deadline_exceeded"),
            ServiceError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ServiceError::Handle(SealError::Invalid) => (StatusCode::BAD_REQUEST, "invalid_handle"),
            ServiceError::Handle(SealError::Expired { .. }) => (StatusCode::GONE, "expired_handle"),
            ServiceError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let message = match &e {
            // Details of internal failures go to the log, not to the caller.
            ServiceError::Internal(_) => "internal error; see the daemon's log".to_string(),
            other => other.to_string(),
        };
        ApiError::new(status, code, message)
    }
}

/// The gRPC code a status corresponds to, for the shared metrics.
fn code_for_status(s: StatusCode) -> Code {
    match s.as_u16() {
        200..=299 => Code::Ok,
        400 | 413 | 415 => Code::InvalidArgument,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::NotFound,
        405 => Code::Unimplemented,
        410 => Code::FailedPrecondition,
        429 => Code::ResourceExhausted,
        503 => Code::Unavailable,
        504 => Code::DeadlineExceeded,
        _ => Code::Internal,
    }
}

async fn only_get() -> ApiError {
    ApiError {
        allow: Some("GET, HEAD"),
        ..ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this resource only answers GET",
        )
    }
}

async fn only_post() -> ApiError {
    ApiError {
        allow: Some("POST"),
        ..ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "use POST with a JSON body (Content-Type: application/json)",
        )
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such resource; the API lives under /v1/ (see docs/openapi.yaml)",
    )
}

// --------------------------------------------------------------- the guard

/// Route names for logs and metrics (never the raw path).
fn route_name(path: &str) -> &'static str {
    match path {
        "/v1/analyze" => "http.Analyze",
        "/v1/redact" => "http.Redact",
        "/v1/restore" => "http.Restore",
        "/v1/info" => "http.Info",
        "/v1/health" | "/healthz" => "http.Health",
        "/" | "/index.html" | "/app.js" | "/style.css" | "/favicon.svg" => "http.Page",
        _ => "http.Other",
    }
}

fn next_request_id() -> String {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(rand::random::<u32>);
    format!("{prefix:08x}-h{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn request_id(h: &HeaderMap) -> String {
    h.get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        })
        .map_or_else(next_request_id, str::to_string)
}

/// Is the `Host` header's name a loopback name or address?
fn host_is_loopback(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1] or [::1]:8787
        rest.split(']').next().unwrap_or("")
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Is `origin` the origin of a page served under `host`?
fn same_origin(origin: &str, host: &str) -> bool {
    let origin = origin.trim().trim_end_matches('/');
    let host = host.trim();
    let default_port = host.strip_suffix(":80");
    ["http://", "https://"].iter().any(|scheme| {
        origin
            .get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            && origin.get(scheme.len()..).is_some_and(|rest| {
                rest.eq_ignore_ascii_case(host)
                    || default_port.is_some_and(|h| rest.eq_ignore_ascii_case(h))
            })
    })
}

fn header_str<'a>(h: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Host, origin, token and content-type checks (see the module docs).
fn precheck(s: &AppState, method: &Method, path: &str, h: &HeaderMap) -> Result<(), ApiError> {
    let host = header_str(h, &header::HOST);
    if !s.allow_any_host {
        if let Some(host) = host {
            if !host_is_loopback(host) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "host_not_allowed",
                    "this daemon answers only requests addressed to a loopback name \
                     (localhost, 127.0.0.1, [::1]); start it with --allow-remote to change that",
                ));
            }
        }
    }
    if *method != Method::GET && *method != Method::HEAD {
        let cross = || {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "cross_origin",
                "cross-origin requests are refused: only the page served by this daemon \
                 (or a client that sends no Origin header) may call the API",
            )
        };
        if let Some(site) = h.get("sec-fetch-site") {
            if !matches!(site.as_bytes(), b"same-origin" | b"none") {
                return Err(cross());
            }
        }
        if let Some(origin) = h.get(header::ORIGIN) {
            let ok = match (origin.to_str(), host) {
                (Ok(o), Some(host)) => same_origin(o, host),
                _ => false,
            };
            if !ok {
                return Err(cross());
            }
        }
    }
    let api = path.starts_with("/v1/");
    if api && route_name(path) != "http.Health" {
        if let Some(token) = &s.token {
            let presented = header_str(h, &header::AUTHORIZATION).and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
            match presented {
                Some(t) if token.matches(t) => {}
                Some(_) => {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "unauthenticated",
                        "invalid bearer token",
                    ))
                }
                None => {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "unauthenticated",
                        "missing bearer token: send the header `Authorization: Bearer <token>`",
                    ))
                }
            }
        }
    }
    if api && *method == Method::POST {
        let ct = header_str(h, &header::CONTENT_TYPE).unwrap_or("");
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with the header `Content-Type: application/json`",
            ));
        }
    }
    Ok(())
}

/// What a handler found, for the one log line (no text, no values).
#[derive(Clone)]
struct Outcome {
    entities: usize,
    labels: String,
    verdict: Ampel,
}

/// Check every request, add the security headers and the request id to
/// every response, and log and count it.
async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_name(req.uri().path());
    let method = req.method().clone();
    let id = request_id(req.headers());
    let bytes = header_str(req.headers(), &header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let mut resp = match precheck(&s, &method, req.uri().path(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    let code = resp.extensions().get::<ErrorCode>().map(|c| c.0);

    let h = resp.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        let cache = if route == "http.Page" {
            "no-cache"
        } else {
            "no-store"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(REQUEST_ID, v);
    }

    let status = resp.status();
    let elapsed = started.elapsed();
    if route != "http.Page" && route != "http.Other" {
        s.engine
            .metrics
            .request(route, code_for_status(status), elapsed);
    }
    let latency_ms = elapsed.as_secs_f64() * 1e3;
    let status = status.as_u16();
    match resp.extensions().get::<Outcome>() {
        Some(o) => tracing::info!(
            rpc = route,
            request_id = %id,
            method = %method,
            status,
            bytes,
            entities = o.entities,
            labels = %o.labels,
            verdict = %o.verdict,
            latency_ms,
            "ok"
        ),
        None if route == "http.Page" || route == "http.Health" => tracing::debug!(
            rpc = route,
            request_id = %id,
            method = %method,
            status,
            latency_ms,
            "served"
        ),
        None if status < 400 => tracing::info!(
            rpc = route,
            request_id = %id,
            method = %method,
            status,
            bytes,
            latency_ms,
            "ok"
        ),
        None => tracing::info!(
            rpc = route,
            request_id = %id,
            method = %method,
            status,
            bytes,
            code = code.unwrap_or("error"),
            latency_ms,
            "rejected"
        ),
    }
    resp
}

// ---------------------------------------------------------------- the API

/// Read and parse a JSON body. Parser messages may quote the caller's own
/// input back to them; they are never logged.
fn parse_body<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<T, ApiError> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("request body too large; the limit is {limit} bytes"),
            )
        } else {
            ApiError::bad_request("unreadable_body", "cannot read the request body")
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => ApiError::bad_request("invalid_request", e.to_string()),
            _ => ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}")),
        }
    })
}

/// `POST /v1/analyze` and `/v1/redact`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeBody {
    /// Echoed back, as in the SPEC's JSON lines.
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    rules_only: bool,
    #[serde(default)]
    mode: RedactMode,
    #[serde(default)]
    policy_toml: Option<String>,
}

impl AnalyzeBody {
    fn split(self) -> (Option<serde_json::Value>, String, RequestOptions) {
        let opts = RequestOptions {
            labels: self.labels,
            rules_only: self.rules_only,
            mode: self.mode,
            policy_toml: self.policy_toml.filter(|p| !p.trim().is_empty()),
        };
        (self.id, self.text, opts)
    }
}

/// The SPEC output line (+ `reasons`) as one JSON object.
#[derive(Serialize)]
struct AnalyzeReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<serde_json::Value>,
    ampel: Ampel,
    entities: Vec<WireEntity>,
    redacted: String,
    reasons: Vec<Reason>,
}

impl AnalyzeReply {
    fn new(id: Option<serde_json::Value>, text: &str, a: &Analysis) -> Self {
        let w = WireResult::new(serde_json::Value::Null, text, a);
        AnalyzeReply {
            id,
            ampel: w.ampel,
            entities: w.entities,
            redacted: w.redacted,
            reasons: w.reasons,
        }
    }
}

#[derive(Serialize)]
struct RedactReply {
    #[serde(flatten)]
    analysis: AnalyzeReply,
    /// `null` when nothing was replaced (or a non-reversible mode).
    restore_handle: Option<String>,
    /// Seconds since the Unix epoch; `null` with the handle.
    restore_handle_expires_at: Option<i64>,
}

fn outcome(a: &Analysis) -> Outcome {
    Outcome {
        entities: a.entities.len(),
        labels: convert::label_counts(&a.entities),
        verdict: a.verdict.ampel,
    }
}

fn with_outcome(mut resp: Response, a: &Analysis) -> Response {
    resp.extensions_mut().insert(outcome(a));
    resp
}

/// Request header with the caller's deadline in milliseconds, the HTTP
/// counterpart of gRPC's `grpc-timeout`: a request still waiting for the
/// worker when it passes is answered 504 `deadline_exceeded`.
const TIMEOUT_HEADER: &str = "x-timeout-ms";

/// Longest deadline [`TIMEOUT_HEADER`] accepts (one hour).
const MAX_TIMEOUT_MS: u64 = 3_600_000;

/// The deadline a request's [`TIMEOUT_HEADER`] sets, if it has one: a whole
/// number of milliseconds from 1 to [`MAX_TIMEOUT_MS`]; anything else is a
/// 400 `invalid_argument`.
fn deadline_of(headers: &HeaderMap) -> Result<Option<tokio::time::Instant>, ApiError> {
    let Some(value) = headers.get(TIMEOUT_HEADER) else {
        return Ok(None);
    };
    let ms = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| (1..=MAX_TIMEOUT_MS).contains(ms))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_argument",
                format!("{TIMEOUT_HEADER} must be a whole number of milliseconds from 1 to {MAX_TIMEOUT_MS}"),
            )
        })?;
    Ok(Some(
        tokio::time::Instant::now() + std::time::Duration::from_millis(ms),
    ))
}

async fn run_analysis(
    s: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Option<serde_json::Value>, String, Analysis), ApiError> {
    let deadline = deadline_of(headers)?;
    let req: AnalyzeBody = parse_body(body, s.engine.limits().max_message_bytes)?;
    let (id, text, opts) = req.split();
    let opts = s.engine.options(opts)?;
    let (text, a) = s.engine.analyze(text, opts, deadline).await?;
    s.engine
        .metrics
        .analysis(a.verdict.ampel, a.entities.iter().map(|e| e.label));
    Ok((id, text, a))
}

async fn analyze(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match run_analysis(&s, &headers, body).await {
        Ok((id, text, a)) => {
            with_outcome(Json(AnalyzeReply::new(id, &text, &a)).into_response(), &a)
        }
        Err(e) => e.into_response(),
    }
}

async fn redact(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let res = async {
        let (id, text, a) = run_analysis(&s, &headers, body).await?;
        let sealed = s.engine.seal(&a.redaction.mapping)?;
        Ok::<_, ApiError>((id, text, a, sealed))
    }
    .await;
    match res {
        Ok((id, text, a, sealed)) => {
            let (restore_handle, restore_handle_expires_at) = match sealed {
                Some((h, exp)) => (Some(h), Some(exp)),
                None => (None, None),
            };
            let reply = RedactReply {
                analysis: AnalyzeReply::new(id, &text, &a),
                restore_handle,
                restore_handle_expires_at,
            };
            with_outcome(Json(reply).into_response(), &a)
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /v1/restore`: exactly one of `restore_handle` (sealed by
/// `/v1/redact` or gRPC `Redact`) and `mapping` (the `--map` file format,
/// held by the caller, e.g. the page after manual edits).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreBody {
    text: String,
    #[serde(default)]
    restore_handle: Option<String>,
    #[serde(default)]
    mapping: Option<Mapping>,
}

#[derive(Serialize)]
struct RestoreReply {
    restored: String,
}

fn restore_body(s: &AppState, body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let req: RestoreBody = parse_body(body, s.engine.limits().max_message_bytes)?;
    match (req.restore_handle, req.mapping) {
        (Some(handle), None) => Ok(s.engine.restore(&handle, &req.text)?),
        (None, Some(mapping)) => {
            s.engine.check_text(&req.text)?;
            Ok(restore(&req.text, &mapping))
        }
        _ => Err(ApiError::bad_request(
            "invalid_request",
            "send exactly one of `restore_handle` (from /v1/redact) and `mapping`",
        )),
    }
}

async fn restore_handler(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match restore_body(&s, body) {
        Ok(restored) => Json(RestoreReply { restored }).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Serialize)]
struct ModelReply<'a> {
    name: &'a str,
    revision: &'a str,
    labels: &'a [String],
    device: &'a str,
}

#[derive(Serialize)]
struct InfoReply<'a> {
    version: &'static str,
    model: Option<ModelReply<'a>>,
    policy_version: &'a str,
    labels: &'static [Label],
    max_text_bytes: usize,
    max_body_bytes: usize,
    queue_capacity: usize,
    max_batch_texts: usize,
    max_batch_chars: usize,
    batch_wait_ms: u64,
    restore_ttl_seconds: u64,
    auth_required: bool,
}

async fn info(State(s): State<AppState>) -> Response {
    let i = s.engine.info();
    let l = s.engine.limits();
    Json(InfoReply {
        version: env!("CARGO_PKG_VERSION"),
        model: i.model.as_ref().map(|m| ModelReply {
            name: &m.name,
            revision: &m.revision,
            labels: &m.labels,
            device: &m.device,
        }),
        policy_version: &i.policy_version,
        labels: &Label::ALL,
        max_text_bytes: l.max_text_bytes,
        max_body_bytes: l.max_message_bytes,
        queue_capacity: l.queue_capacity,
        max_batch_texts: l.max_batch_texts,
        max_batch_chars: l.max_batch_chars,
        batch_wait_ms: u64::try_from(l.batch_wait.as_millis()).unwrap_or(u64::MAX),
        restore_ttl_seconds: i.restore_ttl_secs,
        auth_required: i.auth_required,
    })
    .into_response()
}

#[derive(Serialize)]
struct HealthReply {
    status: &'static str,
}

/// SERVING (200) once the warm-up analysis ran and until shutdown begins;
/// NOT_SERVING (503) otherwise.
async fn health(State(s): State<AppState>) -> Response {
    let serving = *s.engine.ready().borrow() && !*s.shutdown.borrow();
    if serving {
        Json(HealthReply { status: "SERVING" }).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(HealthReply {
                status: "NOT_SERVING",
            }),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1:8787",
            "127.0.0.1",
            "localhost:8787",
            "LOCALHOST",
            "app.localhost:1",
            "[::1]:8787",
            "[::1]",
            "127.1.2.3:80",
        ] {
            assert!(host_is_loopback(h), "{h}");
        }
        for h in [
            "evil.example:8787",
            "192.168.1.2:8787",
            "localhost.evil.example",
            "[2001:db8::1]:8787",
            "",
        ] {
            assert!(!host_is_loopback(h), "{h}");
        }
    }

    #[test]
    fn origins() {
        assert!(same_origin("http://127.0.0.1:8787", "127.0.0.1:8787"));
        assert!(same_origin("http://localhost", "localhost:80"));
        assert!(!same_origin("http://127.0.0.1:8788", "127.0.0.1:8787"));
        assert!(!same_origin("https://evil.example", "127.0.0.1:8787"));
        assert!(!same_origin("null", "127.0.0.1:8787"));
    }

    #[test]
    fn service_errors_map_to_statuses() {
        let s = |e: ServiceError| ApiError::from(e).status;
        assert_eq!(
            s(ServiceError::TextTooLarge { len: 2, max: 1 }),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            s(ServiceError::QueueFull { capacity: 1 }),
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            s(ServiceError::Handle(SealError::Expired { ago_secs: 1 })),
            StatusCode::GONE
        );
        assert_eq!(
            s(ServiceError::Handle(SealError::Invalid)),
            StatusCode::BAD_REQUEST
        );
        let e = ApiError::from(ServiceError::Internal("secret detail".into()));
        assert!(!e.message.contains("secret"));
    }

    #[test]
    fn routes_have_static_names() {
        assert_eq!(route_name("/v1/analyze"), "http.Analyze");
        assert_eq!(route_name("/v1/analyze/x"), "http.Other");
        assert_eq!(route_name("/healthz"), "http.Health");
    }
}
