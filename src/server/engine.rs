//! The protocol-neutral core of the daemon: limits, options, the queue, the
//! restore-handle sealer and the readiness signal. The gRPC service is a
//! thin adapter over it, and an HTTP/JSON API can sit beside gRPC in the
//! same process by holding the same `Arc<Engine>`.
//!
//! It speaks only domain types ([`Analysis`], [`AnalyzeOptions`],
//! [`Mapping`]) and returns [`ServiceError`]s; wire formats live in the
//! adapters.

use std::collections::BTreeSet;
use std::sync::Arc;

use tokio::sync::watch;

use super::config::{Limits, ServeConfig};
use super::error::{ServerError, ServiceError};
use super::metrics::Metrics;
use super::queue::{Admission, Queue, Ticket};
use super::seal::Sealer;
use crate::analyzer::{Analysis, AnalyzeOptions, Analyzer};
use crate::model::ModelInfo;
use crate::policy::{Policy, Verdict};
use crate::redact::{restore, Mapping, RedactMode, Redaction};
use crate::types::{Ampel, Label};

/// Per-request options as any adapter parses them.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestOptions {
    /// Report only these labels (all when empty).
    pub labels: Vec<Label>,
    /// Skip the model.
    pub rules_only: bool,
    /// How to redact.
    pub mode: RedactMode,
    /// A policy (TOML) replacing the daemon's for this request.
    pub policy_toml: Option<String>,
}

/// What the daemon reports about itself.
#[derive(Debug, Clone)]
pub(crate) struct EngineInfo {
    pub model: Option<ModelInfo>,
    pub policy_version: String,
    pub auth_required: bool,
    pub restore_ttl_secs: u64,
}

/// An analysis that is done or queued.
pub(crate) enum Pending {
    /// Answered without the worker (the empty text).
    Done(String, Box<Analysis>),
    /// Waiting for the worker.
    Queued(Ticket),
}

impl Pending {
    /// Wait for the text and its analysis.
    pub(crate) async fn wait(
        self,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<(String, Analysis), ServiceError> {
        match self {
            Pending::Done(t, a) => Ok((t, *a)),
            Pending::Queued(ticket) => {
                let mut out = ticket.wait(deadline).await?;
                let (text, res) = out.pop().ok_or_else(|| {
                    ServiceError::Internal("the worker answered with no result".into())
                })?;
                res.map(|a| (text, a)).map_err(from_engine_error)
            }
        }
    }
}

fn from_engine_error(e: crate::Error) -> ServiceError {
    match e {
        crate::Error::TextTooLarge { len, max } => ServiceError::TextTooLarge { len, max },
        other => {
            tracing::error!(error = %other, "analysis failed");
            ServiceError::Internal("analysis failed".into())
        }
    }
}

/// The daemon's shared state.
pub(crate) struct Engine {
    queue: Queue,
    sealer: Sealer,
    limits: Limits,
    default_opts: Arc<AnalyzeOptions>,
    info: EngineInfo,
    ready: watch::Receiver<bool>,
    pub(crate) metrics: Arc<Metrics>,
}

impl Engine {
    /// Start the worker thread and build the engine.
    pub(crate) fn start(cfg: &ServeConfig, analyzer: Arc<Analyzer>) -> Result<Self, ServerError> {
        let mut limits = cfg.limits.clone();
        limits.max_text_bytes = limits.max_text_bytes.min(analyzer.max_text_bytes());
        limits.max_message_bytes = limits.max_message_bytes.max(
            limits
                .max_text_bytes
                .saturating_add(super::config::MESSAGE_OVERHEAD_BYTES),
        );
        let info = EngineInfo {
            model: analyzer.model_info().cloned(),
            policy_version: analyzer.policy().version.clone(),
            auth_required: cfg.token.is_some(),
            restore_ttl_secs: cfg.restore_ttl.as_secs(),
        };
        let metrics = Arc::new(Metrics::default());
        let (ready_tx, ready) = watch::channel(false);
        let queue = Queue::start(
            analyzer,
            &limits,
            cfg.hooks.clone(),
            Arc::clone(&metrics),
            ready_tx,
        )
        .map_err(|source| ServerError::Io {
            context: "cannot start the analysis worker thread".into(),
            source,
        })?;
        Ok(Engine {
            queue,
            sealer: Sealer::new(&cfg.seal_key, cfg.restore_ttl),
            limits,
            default_opts: Arc::new(AnalyzeOptions::default()),
            info,
            ready,
            metrics,
        })
    }

    /// Effective limits (the text limit is capped by the analyzer's).
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What the daemon reports about itself.
    pub(crate) fn info(&self) -> &EngineInfo {
        &self.info
    }

    /// Turns true once the warm-up analysis ran.
    pub(crate) fn ready(&self) -> watch::Receiver<bool> {
        self.ready.clone()
    }

    /// Prometheus text of the current counters.
    pub(crate) fn render_metrics(&self) -> String {
        self.metrics
            .render(self.queue.depth(), self.queue.capacity())
    }

    /// Turn request options into analyzer options. Requests without options
    /// share one `Arc`, so the worker batches them without comparing.
    pub(crate) fn options(&self, o: RequestOptions) -> Result<Arc<AnalyzeOptions>, ServiceError> {
        let policy =
            match o.policy_toml.as_deref().map(str::trim) {
                Some(t) if !t.is_empty() => Some(Policy::from_toml(t).map_err(|e| {
                    ServiceError::InvalidArgument(format!("invalid policy_toml: {e}"))
                })?),
                _ => None,
            };
        if o.labels.is_empty()
            && !o.rules_only
            && o.mode == RedactMode::Placeholder
            && policy.is_none()
        {
            return Ok(Arc::clone(&self.default_opts));
        }
        Ok(Arc::new(AnalyzeOptions {
            rules: true,
            model: !o.rules_only,
            labels: (!o.labels.is_empty()).then(|| o.labels.into_iter().collect::<BTreeSet<_>>()),
            mode: o.mode,
            policy,
        }))
    }

    /// Check a text against the size limit.
    pub(crate) fn check_text(&self, text: &str) -> Result<(), ServiceError> {
        if text.len() > self.limits.max_text_bytes {
            return Err(ServiceError::TextTooLarge {
                len: text.len(),
                max: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }

    /// Validate and queue one text. The empty text is answered at once:
    /// GREEN, no entities, empty redaction.
    pub(crate) async fn submit(
        &self,
        text: String,
        opts: Arc<AnalyzeOptions>,
        deadline: Option<tokio::time::Instant>,
        admission: Admission,
    ) -> Result<Pending, ServiceError> {
        self.check_text(&text)?;
        if text.is_empty() {
            return Ok(Pending::Done(
                text,
                Box::new(Analysis {
                    entities: Vec::new(),
                    verdict: Verdict {
                        ampel: Ampel::Green,
                        reasons: Vec::new(),
                    },
                    redaction: Redaction::default(),
                }),
            ));
        }
        let ticket = self
            .queue
            .enqueue(vec![text], opts, deadline, admission)
            .await?;
        Ok(Pending::Queued(ticket))
    }

    /// Analyse one text (unary calls: a full queue fails at once).
    pub(crate) async fn analyze(
        &self,
        text: String,
        opts: Arc<AnalyzeOptions>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<(String, Analysis), ServiceError> {
        self.submit(text, opts, deadline, Admission::Reject)
            .await?
            .wait(deadline)
            .await
    }

    /// Seal a mapping; `None` when there is nothing to restore.
    pub(crate) fn seal(&self, mapping: &Mapping) -> Result<Option<(String, i64)>, ServiceError> {
        if mapping.is_empty() {
            return Ok(None);
        }
        self.sealer
            .seal(mapping)
            .map(Some)
            .map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// Open a handle and restore the originals into `answer`.
    pub(crate) fn restore(&self, handle: &str, answer: &str) -> Result<String, ServiceError> {
        self.check_text(answer)?;
        if handle.trim().is_empty() {
            return Err(ServiceError::InvalidArgument(
                "restore_handle is empty: pass the handle a Redact call returned".into(),
            ));
        }
        let mapping = self.sealer.open(handle)?;
        Ok(restore(answer, &mapping))
    }

    /// Stop taking work, finish what is queued, stop the worker.
    pub(crate) async fn close(&self) {
        self.queue.close().await;
    }
}
