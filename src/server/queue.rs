//! The bounded queue in front of the one thread that owns the [`Analyzer`].
//!
//! Modelled on text-embeddings-inference: async handlers validate a request,
//! take permits from a semaphore (one per text; none left → the queue is
//! full) and push a [`Job`] with a `oneshot` reply into a channel. One
//! dedicated OS thread runs the warm-up analysis, then drains jobs into
//! batches — up to `max_batch_texts` texts and `max_batch_chars` characters,
//! waiting at most `batch_wait` for more when a model is loaded — skips jobs
//! whose caller is gone or whose deadline passed, groups the rest by options
//! and calls [`Analyzer::analyze_batch`] (tokenisation included) off the
//! async runtime. A panic inside the analyzer fails only that batch.
//!
//! Memory is bounded by the permits: at most `queue_capacity` texts of at
//! most `max_text_bytes` each are queued or in analysis at any time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch, OwnedSemaphorePermit, Semaphore};

use super::config::{Hooks, Limits};
use super::error::ServiceError;
use super::metrics::Metrics;
use crate::analyzer::{Analysis, AnalyzeOptions, Analyzer};

/// A short German ticket that exercises rules (and the model, if any) once
/// before the daemon reports SERVING.
const WARMUP_TEXT: &str = "Guten Tag, hier schreibt Anna Schulz (anna.schulz@example.com, \
Kundennr. 4711) wegen der Bestellung #98765 vom 15.01. an die Lindenstraße 12, 04109 Leipzig.";

/// What a job's texts came back as: each text with its result.
pub(crate) type JobOutput = Vec<(String, Result<Analysis, crate::Error>)>;

/// One unit of work: texts analysed with the same options.
pub(crate) struct Job {
    texts: Vec<String>,
    chars: usize,
    opts: Arc<AnalyzeOptions>,
    deadline: Option<Instant>,
    reply: oneshot::Sender<JobOutput>,
    _permit: OwnedSemaphorePermit,
}

/// Whether a full queue fails the request or makes it wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Fail at once with RESOURCE_EXHAUSTED (unary calls).
    Reject,
    /// Wait for room (streams: this is their backpressure).
    Wait,
}

/// A queued job's pending answer. Dropping it cancels the job.
pub(crate) struct Ticket {
    rx: oneshot::Receiver<JobOutput>,
}

impl Ticket {
    /// Wait for the answer, at most until `deadline`.
    pub(crate) async fn wait(
        self,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<JobOutput, ServiceError> {
        let res = match deadline {
            Some(d) => tokio::time::timeout_at(d, self.rx)
                .await
                .map_err(|_| ServiceError::DeadlineExceeded)?,
            None => self.rx.await,
        };
        res.map_err(|_| ServiceError::Internal("the analysis worker dropped the request".into()))
    }
}

/// Handle to the queue and its worker thread.
pub(crate) struct Queue {
    tx: Mutex<Option<std_mpsc::Sender<Job>>>,
    permits: Arc<Semaphore>,
    capacity: usize,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl Queue {
    /// Start the worker thread; `ready` turns true after the warm-up.
    pub(crate) fn start(
        analyzer: Arc<Analyzer>,
        limits: &Limits,
        hooks: Hooks,
        metrics: Arc<Metrics>,
        ready: watch::Sender<bool>,
    ) -> Result<Self, std::io::Error> {
        let (tx, rx) = std_mpsc::channel::<Job>();
        let batch_wait = if analyzer.has_model() {
            limits.batch_wait
        } else {
            Duration::ZERO
        };
        let worker = Worker {
            analyzer,
            rx,
            max_texts: limits.max_batch_texts,
            max_chars: limits.max_batch_chars,
            batch_wait,
            hooks,
            metrics,
        };
        let handle = std::thread::Builder::new()
            .name("ampel-analyzer".into())
            .spawn(move || worker.run(ready))?;
        Ok(Queue {
            tx: Mutex::new(Some(tx)),
            permits: Arc::new(Semaphore::new(limits.queue_capacity)),
            capacity: limits.queue_capacity,
            worker: Mutex::new(Some(handle)),
        })
    }

    /// Queue `texts` for analysis with `opts`.
    pub(crate) async fn enqueue(
        &self,
        texts: Vec<String>,
        opts: Arc<AnalyzeOptions>,
        deadline: Option<tokio::time::Instant>,
        admission: Admission,
    ) -> Result<Ticket, ServiceError> {
        let n = u32::try_from(texts.len())
            .ok()
            .filter(|&n| (n as usize) <= self.capacity)
            .ok_or(ServiceError::QueueFull {
                capacity: self.capacity,
            })?;
        let permit = match admission {
            Admission::Reject => Arc::clone(&self.permits)
                .try_acquire_many_owned(n)
                .map_err(|e| match e {
                    tokio::sync::TryAcquireError::Closed => Self::closed(),
                    tokio::sync::TryAcquireError::NoPermits => ServiceError::QueueFull {
                        capacity: self.capacity,
                    },
                })?,
            Admission::Wait => {
                let acquire = Arc::clone(&self.permits).acquire_many_owned(n);
                let permit = match deadline {
                    Some(d) => tokio::time::timeout_at(d, acquire)
                        .await
                        .map_err(|_| ServiceError::DeadlineExceeded)?,
                    None => acquire.await,
                };
                permit.map_err(|_| Self::closed())?
            }
        };
        let chars = texts.iter().map(|t| t.chars().count()).sum();
        let (reply, rx) = oneshot::channel();
        let job = Job {
            texts,
            chars,
            opts,
            deadline: deadline.map(|d| d.into_std()),
            reply,
            _permit: permit,
        };
        let tx = self
            .tx
            .lock()
            .ok()
            .and_then(|g| g.as_ref().cloned())
            .ok_or_else(Self::closed)?;
        tx.send(job).map_err(|_| Self::closed())?;
        Ok(Ticket { rx })
    }

    fn closed() -> ServiceError {
        ServiceError::Unavailable("the daemon is shutting down".into())
    }

    /// Texts queued or in analysis.
    pub(crate) fn depth(&self) -> usize {
        self.capacity
            .saturating_sub(self.permits.available_permits())
    }

    /// Capacity in texts.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Stop taking jobs, let the worker finish what is queued, and wait for
    /// it to exit.
    pub(crate) async fn close(&self) {
        self.permits.close();
        if let Ok(mut g) = self.tx.lock() {
            g.take();
        }
        let handle = self.worker.lock().ok().and_then(|mut g| g.take());
        if let Some(h) = handle {
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
    }
}

struct Worker {
    analyzer: Arc<Analyzer>,
    rx: std_mpsc::Receiver<Job>,
    max_texts: usize,
    max_chars: usize,
    batch_wait: Duration,
    hooks: Hooks,
    metrics: Arc<Metrics>,
}

impl Worker {
    fn run(self, ready: watch::Sender<bool>) {
        if let Some(h) = &self.hooks.before_warmup {
            h();
        }
        let started = Instant::now();
        let warm = catch_unwind(AssertUnwindSafe(|| {
            self.analyzer
                .analyze(WARMUP_TEXT, &AnalyzeOptions::default())
        }));
        match warm {
            Ok(Ok(a)) => tracing::info!(
                entities = a.entities.len(),
                model = self.analyzer.has_model(),
                elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
                "warm-up analysis done"
            ),
            Ok(Err(e)) => tracing::error!(error = %e, "warm-up analysis failed"),
            Err(_) => tracing::error!("warm-up analysis panicked"),
        }
        // SERVING only after a real analysis ran, even if it failed: the
        // requests will then report the failure themselves.
        ready.send_replace(true);
        self.metrics.ready.store(1, Ordering::Relaxed);

        let mut carry: Option<Job> = None;
        loop {
            let first = match carry.take() {
                Some(j) => j,
                None => match self.rx.recv() {
                    Ok(j) => j,
                    Err(_) => break,
                },
            };
            let mut n = first.texts.len();
            let mut chars = first.chars;
            let mut batch = vec![first];
            let until = Instant::now() + self.batch_wait;
            while n < self.max_texts && chars < self.max_chars {
                let left = until.saturating_duration_since(Instant::now());
                let next = if left.is_zero() {
                    self.rx.try_recv().ok()
                } else {
                    self.rx.recv_timeout(left).ok()
                };
                let Some(j) = next else { break };
                if n + j.texts.len() > self.max_texts || chars + j.chars > self.max_chars {
                    carry = Some(j);
                    break;
                }
                n += j.texts.len();
                chars += j.chars;
                batch.push(j);
            }
            if let Some(h) = &self.hooks.before_batch {
                h();
            }
            self.run_batch(batch);
        }
        tracing::debug!("analysis worker stopped");
    }

    fn run_batch(&self, batch: Vec<Job>) {
        let now = Instant::now();
        let mut groups: Vec<(Arc<AnalyzeOptions>, Vec<Job>)> = Vec::new();
        for job in batch {
            if job.reply.is_closed() || job.deadline.is_some_and(|d| d <= now) {
                self.metrics.skipped_jobs.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            match groups
                .iter_mut()
                .find(|(o, _)| Arc::ptr_eq(o, &job.opts) || same_options(o, &job.opts))
            {
                Some((_, jobs)) => jobs.push(job),
                None => groups.push((Arc::clone(&job.opts), vec![job])),
            }
        }
        for (opts, jobs) in groups {
            let texts: Vec<&str> = jobs
                .iter()
                .flat_map(|j| j.texts.iter().map(String::as_str))
                .collect();
            let total = texts.len();
            let results = catch_unwind(AssertUnwindSafe(|| {
                self.analyzer.analyze_batch(&texts, &opts)
            }));
            self.metrics.batches.fetch_add(1, Ordering::Relaxed);
            self.metrics
                .batch_texts
                .fetch_add(total as u64, Ordering::Relaxed);
            let results = match results {
                Ok(r) if r.len() == total => r,
                Ok(_) => {
                    tracing::error!("analyzer returned the wrong number of results");
                    continue; // dropping the jobs fails their requests
                }
                Err(_) => {
                    tracing::error!(texts = total, "analyzer panicked; batch failed");
                    continue;
                }
            };
            let mut results = results.into_iter();
            for job in jobs {
                let Job { texts, reply, .. } = job;
                let out: JobOutput = texts.into_iter().zip(results.by_ref()).collect();
                let _ = reply.send(out);
            }
        }
    }
}

/// Can two option sets share one `analyze_batch` call?
fn same_options(a: &AnalyzeOptions, b: &AnalyzeOptions) -> bool {
    a.rules == b.rules
        && a.model == b.model
        && a.labels == b.labels
        && a.mode == b.mode
        && a.policy == b.policy
}
