//! The web page and the HTTP/JSON API of `ampel serve`, over real loopback
//! sockets (127.0.0.1:0) with a plain hyper HTTP/1.1 client and the
//! rules-only analyzer: SPEC fields, redact/restore (sealed handles shared
//! with gRPC), every error status, CSRF and DNS-rebinding defences, bearer
//! tokens, security headers, the full queue and graceful shutdown.

use std::net::SocketAddr;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ampel::jsonl::WireResult;
use ampel::server::{
    serve_with_http_and_shutdown, Hook, SealKey, Sealer, ServeConfig, ServerError, Token,
};
use ampel::{AnalyzeOptions, Analyzer};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::HeaderMap;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::sync::oneshot;

const SPEC_EXAMPLE: &str = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"";

fn analyzer() -> Arc<Analyzer> {
    static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
    Arc::clone(A.get_or_init(|| Arc::new(Analyzer::rules_only())))
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }

    /// An error answer: the status, a JSON body with `error` and `code`.
    fn assert_error(&self, status: StatusCode, code: &str) -> String {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(self.header("content-type").starts_with("application/json"));
        let v = self.json();
        assert_eq!(v["code"], code, "{v}");
        v["error"].as_str().expect("error message").to_string()
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One request on a fresh connection. `Host` is the daemon's address
/// unless `headers` names another.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Reply, BoxError> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut b = Request::builder().method(method).uri(path);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        b = b.header("host", addr.to_string());
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let resp = sender.send_request(b.body(Full::new(body.into()))?).await?;
    let (parts, body) = resp.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

struct Daemon {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<Result<(), ServerError>>,
}

impl Daemon {
    async fn start(cfg: ServeConfig) -> Daemon {
        let grpc = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = http.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve_with_http_and_shutdown(
            cfg,
            analyzer(),
            grpc,
            http,
            async {
                let _ = rx.await;
            },
        ));
        let d = Daemon {
            addr,
            stop: Some(tx),
            handle,
        };
        for _ in 0..1000 {
            if let Ok(r) = d.get("/v1/health").await {
                if r.status == StatusCode::OK {
                    return d;
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the HTTP API did not report SERVING");
    }

    async fn get(&self, path: &str) -> Result<Reply, BoxError> {
        send(self.addr, "GET", path, &[], Bytes::new()).await
    }

    async fn post_with(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
        let mut h = vec![("content-type", "application/json")];
        h.extend_from_slice(headers);
        send(self.addr, "POST", path, &h, body.to_string())
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_with(path, &[], body).await
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("shutdown finished")
            .expect("serve task did not panic")
            .expect("clean shutdown");
    }
}

fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Entities carry the SPEC fields; both offset units point at the same
/// substring; spans are sorted and disjoint.
fn check_entities(text: &str, v: &Value) -> Vec<(String, String)> {
    let mut last_end = 0;
    let mut out = Vec::new();
    for e in v["entities"].as_array().expect("entities") {
        let (s, t) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
        let (bs, be) = (
            e["byte_start"].as_u64().unwrap() as usize,
            e["byte_end"].as_u64().unwrap() as usize,
        );
        assert!(s < t && bs >= last_end, "{e}");
        last_end = be;
        assert_eq!(chars(text, s, t), &text[bs..be]);
        let score = e["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert!(["model", "rule", "model+rule"].contains(&e["source"].as_str().unwrap()));
        out.push((e["label"].as_str().unwrap().to_string(), chars(text, s, t)));
    }
    out
}

#[tokio::test]
async fn analyze_answers_with_a_spec_line() {
    let d = Daemon::start(ServeConfig::new()).await;
    let r = d
        .post("/v1/analyze", &json!({"id": "t1", "text": SPEC_EXAMPLE}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    assert_eq!(r.header("cache-control"), "no-store");
    let v = r.json();
    assert_eq!(v["id"], "t1");
    assert_eq!(v["ampel"], "RED");
    let found = check_entities(SPEC_EXAMPLE, &v);
    for (label, surface) in [
        ("PERSON", "Weber"),
        ("EMAIL", "weber@example.com"),
        ("ID_NUMBER", "4711"),
        ("HEALTH", "schwanger"),
    ] {
        assert!(
            found.iter().any(|(l, s)| l == label && s == surface),
            "{label} {surface} in {found:?}"
        );
    }
    let redacted = v["redacted"].as_str().unwrap();
    for secret in ["Weber", "weber@example.com", "4711", "schwanger"] {
        assert!(!redacted.contains(secret), "{redacted}");
    }
    assert!(redacted.contains("[PERSON_1]") && redacted.contains("[EMAIL_1]"));
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"art9_about_person"), "{codes:?}");

    // Exactly what `ampel analyze --jsonl` writes for the same text.
    let a = analyzer()
        .analyze(SPEC_EXAMPLE, &AnalyzeOptions::default())
        .unwrap();
    let line = serde_json::to_string(&WireResult::new(json!("t1"), SPEC_EXAMPLE, &a)).unwrap();
    assert_eq!(v, serde_json::from_str::<Value>(&line).unwrap());

    // Without an id there is no id; code points and bytes differ after
    // non-ASCII text.
    let text = "Grüße 👋 von Sabine Krause, sabine.krause@example.com";
    let v = d.post("/v1/analyze", &json!({ "text": text })).await.json();
    assert!(v.get("id").is_none());
    let found = check_entities(text, &v);
    assert!(found.contains(&("EMAIL".into(), "sabine.krause@example.com".into())));

    // The empty text is GREEN.
    let v = d.post("/v1/analyze", &json!({"text": ""})).await.json();
    assert_eq!(v["ampel"], "GREEN");
    assert_eq!(v["redacted"], "");
    d.stop().await;
}

#[tokio::test]
async fn options_select_labels_and_modes() {
    let d = Daemon::start(ServeConfig::new()).await;
    let v = d
        .post(
            "/v1/analyze",
            &json!({"text": SPEC_EXAMPLE, "labels": ["EMAIL"], "rules_only": true}),
        )
        .await
        .json();
    let found = check_entities(SPEC_EXAMPLE, &v);
    assert_eq!(
        found,
        vec![("EMAIL".to_string(), "weber@example.com".to_string())]
    );

    let v = d
        .post("/v1/redact", &json!({"text": SPEC_EXAMPLE, "mode": "mask"}))
        .await
        .json();
    assert!(v["redacted"].as_str().unwrap().contains('█'));
    assert!(v["restore_handle"].is_null(), "masks cannot be restored");

    d.post("/v1/analyze", &json!({"text": "x", "labels": ["NAME"]}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    d.post("/v1/analyze", &json!({"text": "x", "mode": "shout"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    d.post(
        "/v1/analyze",
        &json!({"text": "x", "policy_toml": "version = 3"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_argument");
    d.stop().await;
}

#[tokio::test]
async fn redact_and_restore_round_trip() {
    let key = SealKey::from_bytes([7; 32]);
    let cfg = ServeConfig {
        seal_key: key.clone(),
        ..ServeConfig::new()
    };
    let d = Daemon::start(cfg).await;
    let v = d
        .post("/v1/redact", &json!({"text": SPEC_EXAMPLE}))
        .await
        .json();
    assert_eq!(v["ampel"], "RED");
    let handle = v["restore_handle"].as_str().expect("a handle").to_string();
    assert!(handle.starts_with("ampel1.") && !handle.contains("Weber"));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let exp = v["restore_handle_expires_at"].as_i64().unwrap();
    assert!(exp > now && exp <= now + 3601, "{exp} vs {now}");
    let redacted = v["redacted"].as_str().unwrap();
    assert!(redacted.contains("[PERSON_1]"));

    let answer =
        "Sehr geehrte Frau [PERSON_1], wir schreiben Ihnen an [email_1]. [PERSON_9] bleibt.";
    let r = d
        .post(
            "/v1/restore",
            &json!({"text": answer, "restore_handle": handle}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["restored"],
        "Sehr geehrte Frau Weber, wir schreiben Ihnen an weber@example.com. [PERSON_9] bleibt."
    );

    // The page's own mapping (after manual edits) restores the same way.
    let mapping = json!({"version": 1, "entries": [
        {"placeholder": "[PERSON_1]", "label": "PERSON", "original": "Weber"},
        {"placeholder": "[HEALTH_2]", "label": "HEALTH", "original": "Babyausstattung"}
    ]});
    let v = d
        .post(
            "/v1/restore",
            &json!({"text": "[PERSON_1]: [HEALTH_2]", "mapping": mapping}),
        )
        .await
        .json();
    assert_eq!(v["restored"], "Weber: Babyausstattung");

    // Handles are the gRPC side's: sealed with the daemon's key, expiry
    // inside, tampering detected.
    let sealer = Sealer::new(&key, Duration::ZERO);
    let (expired, _) = sealer
        .seal(&ampel::redact::Mapping::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let msg = d
        .post(
            "/v1/restore",
            &json!({"text": "x", "restore_handle": expired}),
        )
        .await
        .assert_error(StatusCode::GONE, "expired_handle");
    assert!(msg.contains("expired"));
    let mut tampered = handle.clone().into_bytes();
    let i = tampered.len() - 4;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    d.post(
        "/v1/restore",
        &json!({"text": "x", "restore_handle": tampered}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_handle");
    let other = Sealer::new(&SealKey::from_bytes([8; 32]), Duration::from_secs(60));
    let (foreign, _) = other
        .seal(&ampel::redact::Mapping::default())
        .unwrap_or_else(|e| panic!("{e}"));
    d.post(
        "/v1/restore",
        &json!({"text": "x", "restore_handle": foreign}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_handle");

    // Exactly one of handle and mapping.
    d.post("/v1/restore", &json!({"text": "x"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    d.post(
        "/v1/restore",
        &json!({"text": "x", "restore_handle": handle, "mapping": {"entries": []}}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    d.post("/v1/restore", &json!({"text": "x", "restore_handle": ""}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_argument");

    // Nothing to restore: no handle.
    let v = d
        .post("/v1/redact", &json!({"text": "NPS: 72."}))
        .await
        .json();
    assert_eq!(v["ampel"], "GREEN");
    assert!(v["restore_handle"].is_null() && v["restore_handle_expires_at"].is_null());
    d.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let mut cfg = ServeConfig::new();
    cfg.limits.max_text_bytes = 1000;
    // Raised to max_text_bytes + 64 KiB by the daemon.
    cfg.limits.max_message_bytes = 1;
    let d = Daemon::start(cfg).await;
    let raw = |body: &'static str| {
        send(
            d.addr,
            "POST",
            "/v1/analyze",
            &[("content-type", "application/json")],
            body,
        )
    };
    raw("{not json")
        .await
        .unwrap()
        .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    raw("")
        .await
        .unwrap()
        .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    let msg = raw("{}")
        .await
        .unwrap()
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert!(msg.contains("missing field `text`"), "{msg}");
    raw(r#"{"text": 5}"#)
        .await
        .unwrap()
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let msg = raw(r#"{"txt": "Hallo"}"#)
        .await
        .unwrap()
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert!(msg.contains("txt"), "typos are named: {msg}");
    // Invalid UTF-8 inside the JSON string.
    send(
        d.addr,
        "POST",
        "/v1/analyze",
        &[("content-type", "application/json")],
        Bytes::from_static(b"{\"text\": \"\xff\xfe\"}"),
    )
    .await
    .unwrap()
    .assert_error(StatusCode::BAD_REQUEST, "invalid_json");

    // Over the text limit, and over the body limit.
    let msg = d
        .post("/v1/analyze", &json!({"text": "a".repeat(1001)}))
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "text_too_large");
    assert!(msg.contains("1000"), "{msg}");
    d.post(
        "/v1/restore",
        &json!({"text": "a".repeat(1001), "mapping": {"entries": []}}),
    )
    .await
    .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "text_too_large");
    let info = d.get("/v1/info").await.unwrap().json();
    let max_body = info["max_body_bytes"].as_u64().unwrap() as usize;
    assert_eq!(info["max_text_bytes"], 1000);
    let huge = format!("{{\"text\": \"{}\"}}", "a".repeat(max_body + 10));
    send(
        d.addr,
        "POST",
        "/v1/analyze",
        &[("content-type", "application/json")],
        huge,
    )
    .await
    .unwrap()
    .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    // Not JSON at all.
    send(
        d.addr,
        "POST",
        "/v1/analyze",
        &[("content-type", "text/plain")],
        "Hallo",
    )
    .await
    .unwrap()
    .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    send(d.addr, "POST", "/v1/analyze", &[], "{\"text\": \"x\"}")
        .await
        .unwrap()
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // A charset parameter is fine.
    let r = send(
        d.addr,
        "POST",
        "/v1/analyze",
        &[("content-type", "application/json; charset=utf-8")],
        "{\"text\": \"Hallo\"}",
    )
    .await
    .unwrap();
    assert_eq!(r.status, StatusCode::OK);
    d.stop().await;
}

#[tokio::test]
async fn methods_and_unknown_paths() {
    let d = Daemon::start(ServeConfig::new()).await;
    for path in ["/v1/analyze", "/v1/redact", "/v1/restore"] {
        let r = d.get(path).await.unwrap();
        r.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        assert_eq!(r.header("allow"), "POST");
    }
    let r = d.post("/v1/info", &json!({})).await;
    r.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(r.header("allow").contains("GET"));
    let r = send(d.addr, "DELETE", "/", &[], Bytes::new())
        .await
        .unwrap();
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    d.get("/v2/analyze")
        .await
        .unwrap()
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    d.get("/etc/passwd")
        .await
        .unwrap()
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    d.stop().await;
}

#[tokio::test]
async fn cross_origin_and_rebinding_are_refused() {
    let d = Daemon::start(ServeConfig::new()).await;
    let body = json!({"text": "Hallo Frau Weber"});
    let own = format!("http://{}", d.addr);
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![("origin", "http://127.0.0.1:1")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", own.as_str()), ("sec-fetch-site", "cross-site")],
    ] {
        d.post_with("/v1/analyze", &headers, &body)
            .await
            .assert_error(StatusCode::FORBIDDEN, "cross_origin");
    }
    // Restore and redact are guarded alike.
    d.post_with("/v1/restore", &[("origin", "http://evil.example")], &body)
        .await
        .assert_error(StatusCode::FORBIDDEN, "cross_origin");
    // The page itself (same origin) and clients without Origin pass.
    let r = d
        .post_with(
            "/v1/redact",
            &[("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(d.post("/v1/analyze", &body).await.status, StatusCode::OK);
    // localhost is the same daemon under another loopback name.
    let port = d.addr.port().to_string();
    let host = format!("localhost:{port}");
    let origin = format!("http://localhost:{port}");
    let r = send(
        d.addr,
        "POST",
        "/v1/analyze",
        &[
            ("host", host.as_str()),
            ("origin", origin.as_str()),
            ("content-type", "application/json"),
        ],
        body.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, StatusCode::OK);

    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    let evil = format!("evil.example:{port}");
    let evil_origin = format!("http://evil.example:{port}");
    for (method, path) in [("GET", "/"), ("GET", "/v1/info"), ("POST", "/v1/analyze")] {
        send(
            d.addr,
            method,
            path,
            &[
                ("host", evil.as_str()),
                ("origin", evil_origin.as_str()),
                ("content-type", "application/json"),
            ],
            if method == "POST" {
                body.to_string()
            } else {
                String::new()
            },
        )
        .await
        .unwrap()
        .assert_error(StatusCode::FORBIDDEN, "host_not_allowed");
    }
    d.stop().await;

    // With --allow-remote the Host check is off (a reverse proxy's name),
    // the Origin check stays.
    let cfg = ServeConfig {
        http_allow_any_host: true,
        ..ServeConfig::new()
    };
    let d = Daemon::start(cfg).await;
    let r = send(
        d.addr,
        "GET",
        "/v1/info",
        &[("host", "ampel.intern.example")],
        Bytes::new(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, StatusCode::OK);
    d.post_with("/v1/analyze", &[("origin", "http://evil.example")], &body)
        .await
        .assert_error(StatusCode::FORBIDDEN, "cross_origin");
    d.stop().await;
}

#[tokio::test]
async fn bearer_token_guards_the_api_but_not_page_and_health() {
    let cfg = ServeConfig {
        token: Some(Token::new("s3cret").unwrap()),
        ..ServeConfig::new()
    };
    let d = Daemon::start(cfg).await;
    let body = json!({"text": SPEC_EXAMPLE});
    let r = d.post("/v1/analyze", &body).await;
    let msg = r.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert!(msg.contains("missing"));
    assert!(r.header("www-authenticate").starts_with("Bearer"));
    d.post_with("/v1/analyze", &[("authorization", "Bearer s3cre")], &body)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    d.post_with("/v1/restore", &[("authorization", "Basic s3cret")], &body)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    d.get("/v1/info")
        .await
        .unwrap()
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let r = d
        .post_with("/v1/redact", &[("authorization", "bearer s3cret")], &body)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let info = send(
        d.addr,
        "GET",
        "/v1/info",
        &[("authorization", "Bearer s3cret")],
        Bytes::new(),
    )
    .await
    .unwrap()
    .json();
    assert_eq!(info["auth_required"], true);
    // Health and the page (which holds no data) stay open.
    assert_eq!(d.get("/v1/health").await.unwrap().status, StatusCode::OK);
    assert_eq!(d.get("/").await.unwrap().status, StatusCode::OK);
    d.stop().await;
}

#[tokio::test]
async fn page_and_security_headers() {
    let d = Daemon::start(ServeConfig::new()).await;
    let page = d.get("/").await.unwrap();
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = String::from_utf8(page.body.to_vec()).unwrap();
    assert!(html.contains("<html lang=\"de\">") && html.contains("Personalisieren"));
    for (path, ctype) in [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = d.get(path).await.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-type"), ctype, "{path}");
        let body = String::from_utf8(r.body.to_vec()).unwrap();
        // Offline: nothing is loaded from anywhere else (the SVG's xmlns is
        // a name, not a download).
        let body = body.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !body.contains("https://") && !body.contains("http://"),
            "{path}"
        );
    }
    assert!(!html.contains("https://") && !html.contains("http://"));
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline code"
    );

    let api = d.post("/v1/analyze", &json!({"text": "Hallo"})).await;
    let info = d.get("/v1/info").await.unwrap();
    let err = d.get("/nowhere").await.unwrap();
    for r in [&page, &api, &info, &err] {
        let csp = r.header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("x-frame-options"), "DENY");
        assert_eq!(r.header("referrer-policy"), "no-referrer");
        assert!(r.headers.get("access-control-allow-origin").is_none());
        assert!(!r.header("x-request-id").is_empty());
    }
    assert_eq!(api.header("cache-control"), "no-store");
    assert_eq!(info.header("cache-control"), "no-store");

    // A caller's request id is echoed; a bad one is replaced.
    let r = send(
        d.addr,
        "GET",
        "/v1/health",
        &[("x-request-id", "ticket-42")],
        Bytes::new(),
    )
    .await
    .unwrap();
    assert_eq!(r.header("x-request-id"), "ticket-42");
    let r = send(
        d.addr,
        "GET",
        "/v1/health",
        &[("x-request-id", "no spaces please")],
        Bytes::new(),
    )
    .await
    .unwrap();
    assert_ne!(r.header("x-request-id"), "no spaces please");

    // Info and health.
    let v = info.json();
    assert_eq!(v["auth_required"], false);
    assert!(v["model"].is_null(), "rules only");
    assert_eq!(v["labels"].as_array().unwrap().len(), 14);
    assert_eq!(v["restore_ttl_seconds"], 3600);
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    let h = d.get("/healthz").await.unwrap();
    assert_eq!(h.json()["status"], "SERVING");
    d.stop().await;
}

/// Holds the analysis worker until opened.
#[derive(Clone)]
struct Gate {
    open_rx: Arc<Mutex<std_mpsc::Receiver<()>>>,
    open_tx: std_mpsc::Sender<()>,
    entered_tx: std_mpsc::Sender<()>,
    entered_rx: Arc<Mutex<std_mpsc::Receiver<()>>>,
}

impl Gate {
    fn new() -> Self {
        let (open_tx, open_rx) = std_mpsc::channel();
        let (entered_tx, entered_rx) = std_mpsc::channel();
        Gate {
            open_rx: Arc::new(Mutex::new(open_rx)),
            open_tx,
            entered_tx,
            entered_rx: Arc::new(Mutex::new(entered_rx)),
        }
    }

    /// Blocks the first batch only.
    fn hook(&self) -> Hook {
        let g = self.clone();
        let first = Arc::new(std::sync::atomic::AtomicBool::new(true));
        Arc::new(move || {
            if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
                let _ = g.entered_tx.send(());
                let _ = g.open_rx.lock().unwrap().recv();
            }
        })
    }

    async fn entered(&self) {
        let rx = Arc::clone(&self.entered_rx);
        tokio::task::spawn_blocking(move || {
            rx.lock().unwrap().recv_timeout(Duration::from_secs(10))
        })
        .await
        .unwrap()
        .expect("worker reached the gate");
    }

    fn open(&self) {
        let _ = self.open_tx.send(());
    }
}

#[tokio::test]
async fn full_queue_is_429_and_shutdown_drains_requests_in_flight() {
    let gate = Gate::new();
    let mut cfg = ServeConfig::new();
    cfg.limits.queue_capacity = 1;
    cfg.limits.stream_window = 1;
    cfg.limits.max_batch_texts = 1;
    cfg.hooks.before_batch = Some(gate.hook());
    let d = Daemon::start(cfg).await;

    // A is held in the worker and keeps the only permit.
    let addr = d.addr;
    let a = tokio::spawn(async move {
        send(
            addr,
            "POST",
            "/v1/redact",
            &[("content-type", "application/json")],
            json!({ "text": SPEC_EXAMPLE }).to_string(),
        )
        .await
        .unwrap()
    });
    gate.entered().await;
    let r = d.post("/v1/analyze", &json!({"text": "Hallo"})).await;
    r.assert_error(StatusCode::TOO_MANY_REQUESTS, "queue_full");
    assert_eq!(r.header("retry-after"), "1");

    // Shut down while A is in flight: health turns NOT_SERVING, A is still
    // answered, and the daemon exits cleanly.
    let Daemon {
        addr,
        mut stop,
        handle,
    } = d;
    let _ = stop.take().unwrap().send(());
    for _ in 0..200 {
        let health = send(addr, "GET", "/v1/health", &[], Bytes::new());
        match tokio::time::timeout(Duration::from_secs(5), health).await {
            Ok(Ok(r)) if r.status == StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(r.json()["status"], "NOT_SERVING");
                break;
            }
            Ok(Ok(_)) => tokio::time::sleep(Duration::from_millis(10)).await,
            // The listener is already closed.
            Ok(Err(_)) | Err(_) => break,
        }
    }
    gate.open();
    let r = a.await.unwrap();
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["ampel"], "RED");
    tokio::time::timeout(Duration::from_secs(20), handle)
        .await
        .expect("shutdown finished")
        .expect("serve task did not panic")
        .expect("clean shutdown");
}

#[tokio::test]
async fn a_timeout_header_sets_a_deadline() {
    let gate = Gate::new();
    let mut cfg = ServeConfig::new();
    cfg.limits.queue_capacity = 2;
    cfg.limits.max_batch_texts = 1;
    cfg.hooks.before_batch = Some(gate.hook());
    let d = Daemon::start(cfg).await;

    // Malformed deadlines are refused before anything is queued.
    for bad in ["0", "-5", "1.5", "soon", "3600001"] {
        let r = d
            .post_with(
                "/v1/analyze",
                &[("x-timeout-ms", bad)],
                &json!({"text": "Hallo"}),
            )
            .await;
        let msg = r.assert_error(StatusCode::BAD_REQUEST, "invalid_argument");
        assert!(msg.contains("x-timeout-ms"), "{bad}: {msg}");
    }

    // A is held in the worker; B waits behind it past its 200 ms.
    let addr = d.addr;
    let a = tokio::spawn(async move {
        send(
            addr,
            "POST",
            "/v1/analyze",
            &[
                ("content-type", "application/json"),
                ("x-timeout-ms", "60000"),
            ],
            json!({ "text": SPEC_EXAMPLE }).to_string(),
        )
        .await
        .unwrap()
    });
    gate.entered().await;
    let started = std::time::Instant::now();
    let r = d
        .post_with(
            "/v1/redact",
            &[("x-timeout-ms", "200")],
            &json!({"text": "Hallo"}),
        )
        .await;
    r.assert_error(StatusCode::GATEWAY_TIMEOUT, "deadline_exceeded");
    assert!(started.elapsed() < Duration::from_secs(10));

    // A, with a deadline far away, is answered once the worker runs.
    gate.open();
    let r = a.await.unwrap();
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["ampel"], "RED");
    d.stop().await;
}

#[test]
fn openapi_file_documents_every_route_and_error_code() {
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.yaml"))
        .expect("docs/openapi.yaml");
    assert!(spec.starts_with("openapi: 3."));
    for route in [
        "/v1/analyze:",
        "/v1/redact:",
        "/v1/restore:",
        "/v1/info:",
        "/v1/health:",
    ] {
        assert!(spec.contains(route), "{route} is not documented");
    }
    for code in [
        "invalid_json",
        "invalid_request",
        "invalid_argument",
        "text_too_large",
        "payload_too_large",
        "unsupported_media_type",
        "unauthenticated",
        "cross_origin",
        "host_not_allowed",
        "method_not_allowed",
        "not_found",
        "invalid_handle",
        "expired_handle",
        "queue_full",
        "deadline_exceeded",
        "x-timeout-ms",
        "unavailable",
        "internal",
    ] {
        assert!(spec.contains(code), "error code {code} is not documented");
    }
}
