//! End-to-end tests of `ampel serve` over real loopback sockets
//! (127.0.0.1:0) with the generated tonic client and the rules-only
//! analyzer. Worker hooks hold the analysis thread where a test needs a
//! slow worker (warm-up, full queue, deadlines, shutdown with requests in
//! flight). The assertions hold whatever the rules detect, so they stay
//! true while the rule set grows.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use ampel::redact::{Mapping, MappingEntry};
use ampel::server::pb;
use ampel::server::pb::ampel_client::AmpelClient;
use ampel::server::{serve_with_shutdown, Hook, SealKey, Sealer, ServeConfig, ServerError, Token};
use ampel::{Analyzer, Label};
use tokio::sync::oneshot;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic::{Code, Request};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

const SPEC_EXAMPLE: &str = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"";

const TEXTS: [&str; 8] = [
    SPEC_EXAMPLE,
    "Guten Tag, mein Name ist Thomas Müller, IBAN DE89 3704 0044 0532 0130 00, Tel. 0171 2345678.",
    "Durchschnittlicher Warenkorbwert: 85 €. NPS: 72.",
    "Lieferung an die Lindenstraße 12, 04109 Leipzig. Grüße 👋 von Sabine Krause",
    "Herr Özdemir (Kundennummer 20931) hat Diabetes und ist Gewerkschaftsmitglied.",
    "Von: petra.schmidt@example.de\nAn: support@example.com\nBetreff: Rechnung 2024-0815",
    "Bitte eine allgemeine Vorlage für eine Antwort auf Lieferverzug.",
    "Login von 192.0.2.7, Karte 4111 1111 1111 1111, am 3. März 1982 geboren.",
];

fn analyzer() -> Arc<Analyzer> {
    static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
    Arc::clone(A.get_or_init(|| Arc::new(Analyzer::rules_only())))
}

struct Daemon {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<Result<(), ServerError>>,
}

impl Daemon {
    async fn start(cfg: ServeConfig) -> Daemon {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve_with_shutdown(cfg, analyzer(), listener, async {
            let _ = rx.await;
        }));
        Daemon {
            addr,
            stop: Some(tx),
            handle,
        }
    }

    async fn channel(&self) -> Channel {
        let url = format!("http://{}", self.addr);
        for _ in 0..100 {
            if let Ok(ch) = tonic::transport::Endpoint::from_shared(url.clone())
                .unwrap()
                .connect()
                .await
            {
                return ch;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("daemon did not come up");
    }

    async fn client(&self) -> AmpelClient<Channel> {
        AmpelClient::new(self.channel().await)
    }

    async fn health(&self, service: &str) -> ServingStatus {
        let mut h = HealthClient::new(self.channel().await);
        let r = h
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        ServingStatus::try_from(r.status).unwrap()
    }

    async fn wait_serving(&self) {
        for _ in 0..500 {
            if self.health("ampel.v1.Ampel").await == ServingStatus::Serving {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("daemon never became SERVING");
    }

    async fn stop(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("shutdown finished")
            .expect("serve task did not panic")
    }
}

/// A gate the worker waits on: `hold()` gives a hook that blocks until
/// `open()`; `entered()` reports when the worker reached it.
#[derive(Clone)]
struct Gate {
    open_rx: Arc<Mutex<std_mpsc::Receiver<()>>>,
    open_tx: std_mpsc::Sender<()>,
    entered_tx: std_mpsc::Sender<()>,
    entered_rx: Arc<Mutex<std_mpsc::Receiver<()>>>,
    opened: Arc<std::sync::atomic::AtomicBool>,
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
            opened: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    fn hook(&self) -> Hook {
        let g = self.clone();
        Arc::new(move || {
            if g.opened.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            let _ = g.entered_tx.send(());
            let _ = g.open_rx.lock().unwrap().recv();
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
        self.opened.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.open_tx.send(());
    }
}

fn analyze_req(text: &str) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest {
        text: text.into(),
        options: None,
    }
}

fn chars(text: &str, start: u32, end: u32) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Offsets in both units point at the same substring, spans are sorted and
/// disjoint, the redaction hides every span, and the verdict is set.
fn check_analysis(text: &str, a: &pb::AnalyzeResponse) {
    assert_ne!(a.verdict, pb::Verdict::Unspecified as i32);
    let mut last_end = 0;
    for e in &a.entities {
        assert!(e.start <= e.end && e.byte_start <= e.byte_end);
        assert!(e.byte_start >= last_end, "sorted, non-overlapping");
        last_end = e.byte_end;
        let by_bytes = &text[e.byte_start as usize..e.byte_end as usize];
        assert_eq!(chars(text, e.start, e.end), by_bytes);
        assert_ne!(e.label, pb::Label::Unspecified as i32);
        assert!((0.0..=1.0).contains(&e.score));
    }
    if a.entities.is_empty() {
        assert_eq!(a.redacted, text);
        assert_eq!(a.verdict, pb::Verdict::Green as i32);
    }
}

#[tokio::test]
async fn every_rpc_round_trips() {
    let key = SealKey::from_bytes([42; 32]);
    let cfg = ServeConfig {
        seal_key: key.clone(),
        ..ServeConfig::new()
    };
    let d = Daemon::start(cfg).await;
    d.wait_serving().await;
    let mut c = d.client().await;

    // Info
    let info = c.info(pb::InfoRequest {}).await.unwrap().into_inner();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert!(info.model.is_none(), "rules-only analyzer");
    assert_eq!(info.labels.len(), 14);
    assert!(!info.auth_required);
    assert!(info.max_text_bytes > 0 && info.max_message_bytes >= info.max_text_bytes);
    assert_eq!(info.restore_ttl_seconds, 3600);

    // Analyze, with a caller-chosen request id echoed back.
    let mut req = Request::new(analyze_req(SPEC_EXAMPLE));
    req.metadata_mut()
        .insert("x-request-id", "ticket-1".parse().unwrap());
    let resp = c.analyze(req).await.unwrap();
    assert_eq!(
        resp.metadata()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap(),
        "ticket-1"
    );
    let a = resp.into_inner();
    check_analysis(SPEC_EXAMPLE, &a);

    // Redact agrees with Analyze and returns a handle iff there is
    // something to restore; Restore puts the originals back.
    let r = c
        .redact(pb::RedactRequest {
            text: SPEC_EXAMPLE.into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.redacted, a.redacted);
    assert_eq!(r.verdict, a.verdict);
    assert_eq!(r.entities, a.entities);
    assert_eq!(r.restore_handle.is_empty(), a.entities.is_empty());
    if !r.restore_handle.is_empty() {
        assert!(!r.restore_handle.contains("Weber"));
        assert!(r.restore_handle_expire_time_unix > 0);
        let back = c
            .restore(pb::RestoreRequest {
                restore_handle: r.restore_handle.clone(),
                text: r.redacted.clone(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(back.restored, SPEC_EXAMPLE);
    }

    // Restore with a handle sealed under the daemon's key (what a replica
    // sharing --key-file produces).
    let mapping = Mapping {
        version: 1,
        entries: vec![
            MappingEntry {
                placeholder: "[PERSON_1]".into(),
                label: Label::Person,
                original: "Weber".into(),
            },
            MappingEntry {
                placeholder: "[EMAIL_1]".into(),
                label: Label::Email,
                original: "weber@example.com".into(),
            },
        ],
    };
    let (handle, _) = Sealer::new(&key, Duration::from_secs(60))
        .seal(&mapping)
        .unwrap();
    let back = c
        .restore(pb::RestoreRequest {
            restore_handle: handle,
            text: "Liebe Frau [person_1], wir antworten an \\[EMAIL_1\\]. [PERSON_2]".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        back.restored,
        "Liebe Frau Weber, wir antworten an weber@example.com. [PERSON_2]"
    );

    // AnalyzeStream: a few items, ids echoed, same results as unary.
    let items: Vec<pb::AnalyzeStreamRequest> = TEXTS
        .iter()
        .enumerate()
        .map(|(i, t)| pb::AnalyzeStreamRequest {
            request_id: format!("id-{i}"),
            text: (*t).into(),
            options: None,
        })
        .collect();
    let mut out = c
        .analyze_stream(tokio_stream::iter(items))
        .await
        .unwrap()
        .into_inner();
    let mut i = 0;
    while let Some(item) = out.next().await {
        let item = item.unwrap();
        assert_eq!(item.request_id, format!("id-{i}"));
        let Some(pb::analyze_stream_response::Result::Analysis(a)) = item.result else {
            panic!("item {i} failed");
        };
        let unary = c.analyze(analyze_req(TEXTS[i])).await.unwrap().into_inner();
        assert_eq!(a, unary);
        i += 1;
    }
    assert_eq!(i, TEXTS.len());

    // Reflection lists the services, so `grpcurl list` works.
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let mut refl = ServerReflectionClient::new(d.channel().await);
    let mut resp = refl
        .server_reflection_info(tokio_stream::iter(vec![ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        }]))
        .await
        .unwrap()
        .into_inner();
    let first = resp.next().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = first.message_response else {
        panic!("no service list");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(names.contains(&"ampel.v1.Ampel".to_string()), "{names:?}");
    assert!(
        names.contains(&"grpc.health.v1.Health".to_string()),
        "{names:?}"
    );

    d.stop().await.unwrap();
}

#[tokio::test]
async fn empty_text_options_and_limits() {
    let mut cfg = ServeConfig::new();
    cfg.limits.max_text_bytes = 16 * 1024;
    cfg.limits.max_message_bytes = 64 * 1024;
    let d = Daemon::start(cfg).await;
    let mut c = d.client().await;

    // Empty text: GREEN, nothing found, nothing to restore.
    let a = c.analyze(analyze_req("")).await.unwrap().into_inner();
    assert_eq!(a.verdict, pb::Verdict::Green as i32);
    assert!(a.entities.is_empty() && a.redacted.is_empty() && a.reasons.is_empty());
    let r = c
        .redact(pb::RedactRequest {
            text: String::new(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.restore_handle.is_empty());
    assert_eq!(r.restore_handle_expire_time_unix, 0);

    // Text over --max-text-bytes: INVALID_ARGUMENT.
    let big = "ä".repeat(10 * 1024);
    let e = c.analyze(analyze_req(&big)).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
    assert!(e.message().contains("too large"));
    assert!(!e.message().contains('ä'), "errors never echo text");

    // Message over --max-message-bytes: RESOURCE_EXHAUSTED.
    let huge = "x".repeat(100 * 1024);
    let e = c.analyze(analyze_req(&huge)).await.unwrap_err();
    assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
    // The connection survives it.
    c.analyze(analyze_req("Hallo")).await.unwrap();

    // Options: unknown enum numbers and bad policy TOML are rejected,
    // filters and modes work.
    let bad_label = pb::AnalyzeRequest {
        text: "Hallo".into(),
        options: Some(pb::AnalyzeOptions {
            labels: vec![99],
            ..Default::default()
        }),
    };
    assert_eq!(
        c.analyze(bad_label).await.unwrap_err().code(),
        Code::InvalidArgument
    );
    let bad_policy = pb::AnalyzeRequest {
        text: "Hallo".into(),
        options: Some(pb::AnalyzeOptions {
            policy_toml: "this is = = not toml".into(),
            ..Default::default()
        }),
    };
    assert_eq!(
        c.analyze(bad_policy).await.unwrap_err().code(),
        Code::InvalidArgument
    );
    let only_email = pb::AnalyzeRequest {
        text: SPEC_EXAMPLE.into(),
        options: Some(pb::AnalyzeOptions {
            labels: vec![pb::Label::Email as i32],
            rules_only: true,
            redaction_mode: pb::RedactionMode::Mask as i32,
            policy_toml: String::new(),
        }),
    };
    let a = c.analyze(only_email).await.unwrap().into_inner();
    assert!(a
        .entities
        .iter()
        .all(|e| e.label == pb::Label::Email as i32));
    assert!(
        !a.redacted.contains('['),
        "mask mode writes no placeholders"
    );
    let masked = pb::RedactRequest {
        text: SPEC_EXAMPLE.into(),
        options: Some(pb::AnalyzeOptions {
            redaction_mode: pb::RedactionMode::Category as i32,
            ..Default::default()
        }),
    };
    let r = c.redact(masked).await.unwrap().into_inner();
    assert!(
        r.restore_handle.is_empty(),
        "category mode is not reversible"
    );

    // A stream item that is too large fails alone; the stream goes on.
    let items = vec![
        pb::AnalyzeStreamRequest {
            request_id: "a".into(),
            text: big.clone(),
            options: None,
        },
        pb::AnalyzeStreamRequest {
            request_id: "b".into(),
            text: "Hallo Welt".into(),
            options: None,
        },
    ];
    let mut out = c
        .analyze_stream(tokio_stream::iter(items))
        .await
        .unwrap()
        .into_inner();
    let first = out.next().await.unwrap().unwrap();
    assert_eq!(first.request_id, "a");
    let Some(pb::analyze_stream_response::Result::Error(err)) = first.result else {
        panic!("oversized item must fail");
    };
    assert_eq!(err.code, Code::InvalidArgument as i32);
    let second = out.next().await.unwrap().unwrap();
    assert_eq!(second.request_id, "b");
    assert!(matches!(
        second.result,
        Some(pb::analyze_stream_response::Result::Analysis(_))
    ));
    assert!(out.next().await.is_none());

    d.stop().await.unwrap();
}

#[tokio::test]
async fn restore_rejects_bad_expired_and_foreign_handles() {
    let key = SealKey::from_bytes([7; 32]);
    let d = Daemon::start(ServeConfig {
        seal_key: key.clone(),
        ..ServeConfig::new()
    })
    .await;
    let mut c = d.client().await;
    let mapping = Mapping {
        version: 1,
        entries: vec![MappingEntry {
            placeholder: "[PERSON_1]".into(),
            label: Label::Person,
            original: "Weber".into(),
        }],
    };
    let restore = |handle: String| pb::RestoreRequest {
        restore_handle: handle,
        text: "Hallo [PERSON_1]".into(),
    };

    let (good, _) = Sealer::new(&key, Duration::from_secs(60))
        .seal(&mapping)
        .unwrap();
    let ok = c.restore(restore(good.clone())).await.unwrap().into_inner();
    assert_eq!(ok.restored, "Hallo Weber");

    // Expired (sealed with a zero lifetime under the daemon's key).
    let (expired, _) = Sealer::new(&key, Duration::ZERO).seal(&mapping).unwrap();
    let e = c.restore(restore(expired)).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition, "{e:?}");
    assert!(e.message().contains("expired"));

    // Tampered: one character changed.
    let mut bytes = good.into_bytes();
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let e = c.restore(restore(tampered)).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");

    // Sealed by a daemon with another key, garbage, empty.
    let (foreign, _) = Sealer::new(&SealKey::random(), Duration::from_secs(60))
        .seal(&mapping)
        .unwrap();
    for h in [foreign, "not-a-handle".into(), String::new()] {
        let e = c.restore(restore(h)).await.unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
        assert!(!e.message().contains("Weber"));
    }
    d.stop().await.unwrap();
}

#[tokio::test]
async fn bearer_token_guards_the_service_but_not_health() {
    let d = Daemon::start(ServeConfig {
        token: Some(Token::new("s3cret-token").unwrap()),
        ..ServeConfig::new()
    })
    .await;
    d.wait_serving().await; // health needs no token
    let mut c = d.client().await;

    let e = c.analyze(analyze_req("Hallo")).await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    for bad in [
        "Bearer wrong",
        "Bearer s3cret-toke",
        "Basic s3cret-token",
        "s3cret-token",
    ] {
        let mut req = Request::new(pb::InfoRequest {});
        req.metadata_mut()
            .insert("authorization", bad.parse().unwrap());
        assert_eq!(
            c.info(req).await.unwrap_err().code(),
            Code::Unauthenticated,
            "{bad}"
        );
    }
    let mut req = Request::new(pb::InfoRequest {});
    req.metadata_mut()
        .insert("authorization", "Bearer s3cret-token".parse().unwrap());
    let info = c.info(req).await.unwrap().into_inner();
    assert!(info.auth_required);
    d.stop().await.unwrap();
}

#[tokio::test]
async fn health_turns_serving_only_after_warm_up() {
    let gate = Gate::new();
    let mut cfg = ServeConfig::new();
    cfg.hooks.before_warmup = Some(gate.hook());
    let d = Daemon::start(cfg).await;
    gate.entered().await;
    assert_eq!(d.health("").await, ServingStatus::NotServing);
    assert_eq!(d.health("ampel.v1.Ampel").await, ServingStatus::NotServing);

    // A request that arrives during warm-up waits and is answered after it.
    let mut c = d.client().await;
    let early = tokio::spawn(async move { c.analyze(analyze_req(TEXTS[1])).await });
    gate.open();
    d.wait_serving().await;
    assert_eq!(d.health("").await, ServingStatus::Serving);
    let a = early.await.unwrap().unwrap().into_inner();
    check_analysis(TEXTS[1], &a);
    d.stop().await.unwrap();
}

fn mixed_request(i: usize) -> pb::AnalyzeRequest {
    let text = TEXTS[i % TEXTS.len()];
    let options = match (i / TEXTS.len()) % 4 {
        0 => None,
        1 => Some(pb::AnalyzeOptions {
            rules_only: true,
            ..Default::default()
        }),
        2 => Some(pb::AnalyzeOptions {
            labels: vec![pb::Label::Person as i32, pb::Label::Email as i32],
            ..Default::default()
        }),
        _ => Some(pb::AnalyzeOptions {
            redaction_mode: pb::RedactionMode::Mask as i32,
            ..Default::default()
        }),
    };
    pb::AnalyzeRequest {
        text: text.into(),
        options,
    }
}

#[tokio::test]
async fn concurrent_clients_get_exactly_the_serial_results() {
    let mut cfg = ServeConfig::new();
    cfg.limits.max_batch_texts = 8;
    let d = Daemon::start(cfg).await;
    d.wait_serving().await;

    // Serial reference answers for every (text, options) combination.
    let mut c = d.client().await;
    let mut serial = HashMap::new();
    for i in 0..TEXTS.len() * 4 {
        let a = c.analyze(mixed_request(i)).await.unwrap().into_inner();
        check_analysis(TEXTS[i % TEXTS.len()], &a);
        serial.insert(i % (TEXTS.len() * 4), a);
    }
    let serial = Arc::new(serial);

    let mut tasks = Vec::new();
    for client in 0..16 {
        let ch = d.channel().await;
        let serial = Arc::clone(&serial);
        tasks.push(tokio::spawn(async move {
            let mut c = AmpelClient::new(ch);
            for k in 0..50 {
                let i = client * 7 + k * 3;
                let a = c.analyze(mixed_request(i)).await.unwrap().into_inner();
                assert_eq!(&a, &serial[&(i % (TEXTS.len() * 4))], "request {i}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    d.stop().await.unwrap();
}

#[tokio::test]
async fn stream_of_a_thousand_texts_keeps_order_and_ids() {
    let d = Daemon::start(ServeConfig::new()).await;
    d.wait_serving().await;
    let mut c = d.client().await;
    let mut reference = Vec::new();
    for t in TEXTS {
        reference.push(c.analyze(analyze_req(t)).await.unwrap().into_inner());
    }

    let n = 1000;
    let items = (0..n).map(|i| pb::AnalyzeStreamRequest {
        request_id: format!("ticket-{i}"),
        text: TEXTS[i % TEXTS.len()].into(),
        options: None,
    });
    let mut out = c
        .analyze_stream(tokio_stream::iter(items))
        .await
        .unwrap()
        .into_inner();
    let mut i = 0;
    while let Some(item) = out.next().await {
        let item = item.unwrap();
        assert_eq!(item.request_id, format!("ticket-{i}"));
        match item.result {
            Some(pb::analyze_stream_response::Result::Analysis(a)) => {
                assert_eq!(a, reference[i % TEXTS.len()], "item {i}")
            }
            other => panic!("item {i}: {other:?}"),
        }
        i += 1;
    }
    assert_eq!(i, n);
    d.stop().await.unwrap();
}

#[tokio::test]
async fn full_queue_and_deadlines_with_a_held_worker() {
    let gate = Gate::new();
    let mut cfg = ServeConfig::new();
    cfg.limits.queue_capacity = 2;
    cfg.limits.stream_window = 1;
    cfg.limits.max_batch_texts = 1;
    cfg.hooks.before_batch = Some(gate.hook());
    let d = Daemon::start(cfg).await;
    d.wait_serving().await;

    // A reaches the worker and is held there.
    let mut ca = d.client().await;
    let a = tokio::spawn(async move { ca.analyze(analyze_req(TEXTS[0])).await });
    gate.entered().await;

    // B takes the second permit and waits past its deadline.
    let mut c = d.client().await;
    let mut req = Request::new(analyze_req("Hallo"));
    req.set_timeout(Duration::from_millis(200));
    let e = c.analyze(req).await.unwrap_err();
    // The daemon answers DEADLINE_EXCEEDED just before the deadline; a
    // tonic client also enforces the deadline itself and, when its own
    // timer wins the race, reports CANCELLED "Timeout expired".
    assert!(
        e.code() == Code::DeadlineExceeded
            || (e.code() == Code::Cancelled && e.message().contains("Timeout expired")),
        "{e:?}"
    );

    // B's job still sits in the queue (the worker skips it later), so the
    // queue is full: the next call is refused at once.
    let e = c.analyze(analyze_req("Hallo")).await.unwrap_err();
    assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
    assert!(e.message().contains("queue is full"));

    // A stream waits for room instead of being refused, until its deadline.
    let mut req = Request::new(tokio_stream::iter(vec![pb::AnalyzeStreamRequest {
        request_id: "late".into(),
        text: "Hallo".into(),
        options: None,
    }]));
    req.set_timeout(Duration::from_millis(200));
    match c.analyze_stream(req).await {
        Ok(resp) => {
            let mut s = resp.into_inner();
            let e = s.next().await.unwrap().unwrap_err();
            assert_eq!(e.code(), Code::DeadlineExceeded, "{e:?}");
        }
        Err(e) => assert_eq!(e.code(), Code::DeadlineExceeded, "{e:?}"),
    }

    gate.open();
    check_analysis(TEXTS[0], &a.await.unwrap().unwrap().into_inner());
    // Room again, once the worker has skipped the expired jobs behind A
    // (it does so on its own schedule, so allow it a few seconds).
    let mut tries = 0;
    loop {
        match c.analyze(analyze_req("Hallo")).await {
            Ok(_) => break,
            Err(e) if e.code() == Code::ResourceExhausted && tries < 100 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("the queue never made room again: {e:?}"),
        }
    }
    d.stop().await.unwrap();
}

#[tokio::test]
async fn graceful_shutdown_answers_every_request_in_flight() {
    let gate = Gate::new();
    let mut cfg = ServeConfig::new();
    cfg.limits.max_batch_texts = 4;
    cfg.hooks.before_batch = Some(gate.hook());
    let d = Daemon::start(cfg).await;
    d.wait_serving().await;

    let mut tasks = Vec::new();
    for i in 0..20 {
        let mut c = d.client().await;
        tasks.push(tokio::spawn(async move {
            c.analyze(analyze_req(TEXTS[i % TEXTS.len()])).await
        }));
    }
    gate.entered().await;
    // Give the other requests time to reach the queue; the worker is held.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let addr = d.addr;
    let Daemon { stop, handle, .. } = d;
    stop.unwrap().send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        !handle.is_finished(),
        "shutdown waits for in-flight requests"
    );
    gate.open();
    for (i, t) in tasks.into_iter().enumerate() {
        let a = t
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("request {i} lost: {e:?}"));
        check_analysis(TEXTS[i % TEXTS.len()], &a.into_inner());
    }
    tokio::time::timeout(Duration::from_secs(20), handle)
        .await
        .unwrap()
        .unwrap()
        .expect("clean shutdown");
    // The listener is closed.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn metrics_endpoint_on_loopback() {
    let maddr = free_port();
    let d = Daemon::start(ServeConfig {
        metrics_addr: Some(maddr),
        ..ServeConfig::new()
    })
    .await;
    d.wait_serving().await;
    let mut c = d.client().await;
    c.analyze(analyze_req(TEXTS[0])).await.unwrap();
    let _ = c.analyze(analyze_req(&"x".repeat(2 << 20))).await;

    let body = scrape(maddr).await;
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("ampel_requests_total{rpc=\"Analyze\",code=\"OK\"} 1"));
    assert!(body.contains("ampel_ready 1"));
    assert!(body.contains("ampel_queue_capacity 256"));
    assert!(!body.contains("Weber"), "metrics never carry text");
    d.stop().await.unwrap();
}

async fn scrape(addr: SocketAddr) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).await.unwrap();
    body
}

fn free_port() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap()
}

#[tokio::test]
async fn stream_disconnect_cancels_pending_work() {
    let gate = Gate::new();
    let maddr = free_port();
    let mut cfg = ServeConfig::new();
    cfg.metrics_addr = Some(maddr);
    cfg.limits.max_batch_texts = 1;
    cfg.hooks.before_batch = Some(gate.hook());
    let d = Daemon::start(cfg).await;
    d.wait_serving().await;

    let mut c = d.client().await;
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    for i in 0..10 {
        tx.send(pb::AnalyzeStreamRequest {
            request_id: i.to_string(),
            text: TEXTS[i % TEXTS.len()].into(),
            options: None,
        })
        .await
        .unwrap();
    }
    let out = c
        .analyze_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    // Item 0 is held in the worker just before analysis (the hook runs
    // before the cancellation check), items 1..9 wait in the queue.
    gate.entered().await;
    drop(out);
    drop(tx);
    drop(c);
    // Wait until the daemon noticed the disconnect and counted the stream.
    let mut closed = false;
    for _ in 0..500 {
        if scrape(maddr)
            .await
            .contains("ampel_requests_total{rpc=\"AnalyzeStream\",code=\"CANCELLED\"} 1")
        {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(closed, "the daemon noticed the disconnect");
    gate.open();
    let mut skipped = String::new();
    for _ in 0..500 {
        let m = scrape(maddr).await;
        skipped = m
            .lines()
            .find(|l| l.starts_with("ampel_skipped_jobs_total "))
            .unwrap_or_default()
            .to_string();
        if skipped == "ampel_skipped_jobs_total 10" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        skipped, "ampel_skipped_jobs_total 10",
        "queued items were cancelled"
    );
    d.stop().await.unwrap();
}

#[tokio::test]
async fn load_generator_reports_a_markdown_table() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "bench-token\n").unwrap();
    let d = Daemon::start(ServeConfig {
        token: Some(Token::from_file(&token_file).unwrap()),
        ..ServeConfig::new()
    })
    .await;
    d.wait_serving().await;
    let args = ampel::server::BenchArgs {
        addr: d.addr.to_string(),
        token_file: Some(token_file),
        concurrency: vec![1, 4],
        requests: 40,
        warmup: 4,
        ..Default::default()
    };
    let report = ampel::server::bench(&args).await.unwrap();
    assert!(report.contains(
        "| concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |"
    ));
    assert!(report.contains("rules only"), "{report}");
    let rows: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("| 1 |") || l.starts_with("| 4 |"))
        .collect();
    assert_eq!(rows.len(), 2, "{report}");
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], "40", "all requests measured: {row}");
        assert_eq!(cells[3], "0", "no errors: {row}");
    }
    d.stop().await.unwrap();
}

/// Load numbers for the README (not a timed test: it asserts nothing about
/// speed). Run with
/// `cargo test --release --test server -- --ignored load_numbers --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "load benchmark; run explicitly in release mode"]
async fn load_numbers() {
    let d = Daemon::start(ServeConfig::new()).await;
    d.wait_serving().await;
    let requests = std::env::var("AMPEL_BENCH_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    for rpc in [
        ampel::server::BenchRpc::Analyze,
        ampel::server::BenchRpc::Redact,
    ] {
        let args = ampel::server::BenchArgs {
            addr: d.addr.to_string(),
            requests,
            rpc,
            ..Default::default()
        };
        println!("{}", ampel::server::bench(&args).await.unwrap());
    }
    d.stop().await.unwrap();
}
