//! Speed of one ablation mode: throughput, per-document latency and memory.
//!
//! Documents go through [`crate::Analyzer::analyze_batch`] in batches (as the
//! server does). The wall time of a batch is shared among its documents in
//! proportion to their length in bytes, so a document's *latency* is its
//! share of the batch it rode in; with `--batch-size 1` it is the exact
//! time of one `analyze` call. Throughput counts only time spent inside the
//! analyzer (no reading, no scoring); one untimed warm-up batch precedes
//! each mode. Tokens are whitespace-separated words
//! of the document text, not model sub-word tokens. Percentiles use the
//! nearest-rank method. Peak memory is the process' peak resident set size
//! (`VmHWM` in `/proc/self/status`, Linux only) over the whole run.

use std::time::Duration;

use serde::Serialize;

/// Collects batch timings.
#[derive(Clone, Debug, Default)]
pub struct SpeedRecorder {
    latencies_ms: Vec<f64>,
    docs: usize,
    tokens: usize,
    bytes: usize,
    busy: Duration,
}

/// The speed numbers of one mode.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Speed {
    /// Documents analysed.
    pub docs: usize,
    /// Whitespace tokens analysed.
    pub tokens: usize,
    /// UTF-8 bytes analysed.
    pub bytes: usize,
    /// Seconds spent inside the analyzer.
    pub seconds: f64,
    /// Documents per second.
    pub docs_per_s: f64,
    /// Whitespace tokens per second.
    pub tokens_per_s: f64,
    /// Median latency per document, in milliseconds.
    pub p50_ms: f64,
    /// 95th percentile latency, in milliseconds.
    pub p95_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Mean latency, in milliseconds.
    pub mean_ms: f64,
    /// Slowest document, in milliseconds.
    pub max_ms: f64,
    /// Every document's latency in milliseconds, input order (for charts;
    /// not serialised).
    #[serde(skip)]
    pub latencies_ms: Vec<f64>,
}

/// Nearest-rank percentile of sorted values (`q` in `[0, 1]`); 0 when empty.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len()) - 1)
        .copied()
        .unwrap_or(0.0)
}

/// Whitespace-separated tokens in `text`.
pub fn whitespace_tokens(text: &str) -> usize {
    text.split_whitespace().count()
}

impl SpeedRecorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// One batch of `texts` took `elapsed`.
    pub fn record(&mut self, texts: &[&str], elapsed: Duration) {
        let total_bytes: usize = texts.iter().map(|t| t.len()).sum();
        let ms = elapsed.as_secs_f64() * 1e3;
        for t in texts {
            let share = if total_bytes == 0 {
                1.0 / texts.len() as f64
            } else {
                t.len() as f64 / total_bytes as f64
            };
            self.latencies_ms.push(ms * share);
            self.tokens += whitespace_tokens(t);
            self.bytes += t.len();
        }
        self.docs += texts.len();
        self.busy += elapsed;
    }

    /// Summarise.
    pub fn finish(self) -> Speed {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let seconds = self.busy.as_secs_f64();
        let per_s = |n: usize| {
            if seconds > 0.0 {
                n as f64 / seconds
            } else {
                0.0
            }
        };
        Speed {
            docs: self.docs,
            tokens: self.tokens,
            bytes: self.bytes,
            seconds,
            docs_per_s: per_s(self.docs),
            tokens_per_s: per_s(self.tokens),
            p50_ms: percentile(&sorted, 0.50),
            p95_ms: percentile(&sorted, 0.95),
            p99_ms: percentile(&sorted, 0.99),
            mean_ms: if sorted.is_empty() {
                0.0
            } else {
                sorted.iter().sum::<f64>() / sorted.len() as f64
            },
            max_ms: sorted.last().copied().unwrap_or(0.0),
            latencies_ms: self.latencies_ms,
        }
    }
}

/// Peak resident set size of this process in bytes (`VmHWM`); `None` where
/// `/proc/self/status` does not exist.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.95), 95.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.0), 1.0);
    }

    #[test]
    fn batch_time_is_shared_by_length() {
        let mut r = SpeedRecorder::new();
        r.record(&["aaa", "a"], Duration::from_millis(8));
        r.record(&["b c"], Duration::from_millis(2));
        let s = r.finish();
        assert_eq!(s.docs, 3);
        assert_eq!(s.tokens, 4);
        assert_eq!(s.latencies_ms, vec![6.0, 2.0, 2.0]);
        assert!((s.seconds - 0.010).abs() < 1e-9);
        assert!((s.docs_per_s - 300.0).abs() < 1e-6);
        assert_eq!(s.max_ms, 6.0);
    }

    #[test]
    fn vm_hwm_parsing() {
        let s = "Name:\tampel\nVmPeak:\t  10 kB\nVmHWM:\t    2048 kB\n";
        assert_eq!(parse_vm_hwm(s), Some(2048 * 1024));
        assert_eq!(parse_vm_hwm("Name: x\n"), None);
    }
}
