//! Prometheus-style metrics: counters kept in memory and, when
//! `--metrics-addr` is set, served as text at `http://ADDR/metrics` on a
//! loopback-only listener (axum). Metrics carry RPC names, status codes,
//! verdicts, labels, sizes and timings, never text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use std::time::Duration;

use crate::types::{Ampel, Label};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 13] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// In-memory counters of one daemon.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    latency: Mutex<BTreeMap<&'static str, Histogram>>,
    verdicts: [AtomicU64; 3],
    entities: [AtomicU64; Label::ALL.len()],
    pub(crate) batches: AtomicU64,
    pub(crate) batch_texts: AtomicU64,
    pub(crate) skipped_jobs: AtomicU64,
    pub(crate) ready: AtomicU64,
}

fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "OK",
        Cancelled => "CANCELLED",
        Unknown => "UNKNOWN",
        InvalidArgument => "INVALID_ARGUMENT",
        DeadlineExceeded => "DEADLINE_EXCEEDED",
        NotFound => "NOT_FOUND",
        AlreadyExists => "ALREADY_EXISTS",
        PermissionDenied => "PERMISSION_DENIED",
        ResourceExhausted => "RESOURCE_EXHAUSTED",
        FailedPrecondition => "FAILED_PRECONDITION",
        Aborted => "ABORTED",
        OutOfRange => "OUT_OF_RANGE",
        Unimplemented => "UNIMPLEMENTED",
        Internal => "INTERNAL",
        Unavailable => "UNAVAILABLE",
        DataLoss => "DATA_LOSS",
        Unauthenticated => "UNAUTHENTICATED",
    }
}

impl Metrics {
    /// Count one finished request.
    pub(crate) fn request(&self, rpc: &'static str, code: tonic::Code, elapsed: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((rpc, code_name(code))).or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(rpc).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    /// Count one analysis result.
    pub(crate) fn analysis(&self, verdict: Ampel, labels: impl Iterator<Item = Label>) {
        let v = match verdict {
            Ampel::Green => 0,
            Ampel::Yellow => 1,
            Ampel::Red => 2,
        };
        self.verdicts[v].fetch_add(1, Ordering::Relaxed);
        for l in labels {
            if let Some(i) = Label::ALL.iter().position(|x| *x == l) {
                self.entities[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The Prometheus text exposition.
    pub(crate) fn render(&self, queue_depth: usize, queue_capacity: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP ampel_requests_total Finished RPCs by method and status code.\n# TYPE ampel_requests_total counter"
        );
        if let Ok(m) = self.requests.lock() {
            for ((rpc, code), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "ampel_requests_total{{rpc=\"{rpc}\",code=\"{code}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP ampel_request_duration_seconds RPC latency.\n# TYPE ampel_request_duration_seconds histogram"
        );
        if let Ok(m) = self.latency.lock() {
            for (rpc, h) in m.iter() {
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "ampel_request_duration_seconds_bucket{{rpc=\"{rpc}\",le=\"{b}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "ampel_request_duration_seconds_bucket{{rpc=\"{rpc}\",le=\"+Inf\"}} {}\n\
                     ampel_request_duration_seconds_sum{{rpc=\"{rpc}\"}} {}\n\
                     ampel_request_duration_seconds_count{{rpc=\"{rpc}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP ampel_verdicts_total Analysed texts by verdict.\n# TYPE ampel_verdicts_total counter"
        );
        for (i, v) in ["GREEN", "YELLOW", "RED"].iter().enumerate() {
            let _ = writeln!(
                out,
                "ampel_verdicts_total{{verdict=\"{v}\"}} {}",
                self.verdicts[i].load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP ampel_entities_total Reported entities by label.\n# TYPE ampel_entities_total counter"
        );
        for (i, l) in Label::ALL.iter().enumerate() {
            let _ = writeln!(
                out,
                "ampel_entities_total{{label=\"{l}\"}} {}",
                self.entities[i].load(Ordering::Relaxed)
            );
        }
        let scalar = [
            (
                "ampel_batches_total",
                "counter",
                "Batches the worker analysed.",
                &self.batches,
            ),
            (
                "ampel_batch_texts_total",
                "counter",
                "Texts in those batches.",
                &self.batch_texts,
            ),
            (
                "ampel_skipped_jobs_total",
                "counter",
                "Queued jobs dropped because the caller left or its deadline passed.",
                &self.skipped_jobs,
            ),
            (
                "ampel_ready",
                "gauge",
                "1 after the warm-up analysis ran.",
                &self.ready,
            ),
        ];
        for (name, kind, help, v) in scalar {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        }
        for (name, help, v) in [
            (
                "ampel_queue_depth",
                "Texts waiting for or in analysis.",
                queue_depth,
            ),
            (
                "ampel_queue_capacity",
                "Queue capacity in texts.",
                queue_capacity,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        out
    }
}

/// Serve `/metrics` on `listener` until `shutdown` resolves.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    render: Arc<dyn Fn() -> String + Send + Sync>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/metrics",
        get(move || {
            let render = Arc::clone(&render);
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    render(),
                )
            }
        }),
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters() {
        let m = Metrics::default();
        m.request("Analyze", tonic::Code::Ok, Duration::from_millis(3));
        m.analysis(Ampel::Red, [Label::Health, Label::Person].into_iter());
        let text = m.render(0, 8);
        assert!(text.contains("ampel_requests_total{rpc=\"Analyze\",code=\"OK\"} 1"));
        assert!(text.contains("ampel_verdicts_total{verdict=\"RED\"} 1"));
        assert!(text.contains("ampel_entities_total{label=\"HEALTH\"} 1"));
        assert!(text.contains("ampel_request_duration_seconds_count{rpc=\"Analyze\"} 1"));
    }
}
