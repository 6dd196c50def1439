//! Protobuf ↔ domain conversions, and the one place where a
//! [`ServiceError`] becomes a gRPC [`Status`].
//!
//! Byte spans turn into code point offsets here, through
//! [`crate::text::Text`]; both are sent.

use tonic::{Code, Status};

use super::config::Limits;
use super::engine::{EngineInfo, RequestOptions};
use super::error::ServiceError;
use super::pb;
use super::seal::SealError;
use crate::analyzer::Analysis;
use crate::policy::Reason;
use crate::redact::RedactMode;
use crate::text::Text;
use crate::types::{Ampel, Entity, Label, Source};

impl ServiceError {
    /// The gRPC code this error maps to.
    pub(crate) fn code(&self) -> Code {
        match self {
            ServiceError::InvalidArgument(_) | ServiceError::TextTooLarge { .. } => {
                Code::InvalidArgument
            }
            ServiceError::QueueFull { .. } => Code::ResourceExhausted,
            ServiceError::DeadlineExceeded => Code::DeadlineExceeded,
            ServiceError::Unavailable(_) => Code::Unavailable,
            ServiceError::Handle(SealError::Invalid) => Code::InvalidArgument,
            ServiceError::Handle(SealError::Expired { .. }) => Code::FailedPrecondition,
            ServiceError::Internal(_) => Code::Internal,
        }
    }
}

impl From<ServiceError> for Status {
    fn from(e: ServiceError) -> Self {
        let msg = match &e {
            // Details of internal failures go to the log, not to the caller.
            ServiceError::Internal(_) => "internal error; see the daemon's log".to_string(),
            other => other.to_string(),
        };
        Status::new(e.code(), msg)
    }
}

/// Domain label → protobuf enum.
pub(crate) fn label_to_pb(l: Label) -> pb::Label {
    match l {
        Label::Person => pb::Label::Person,
        Label::Organization => pb::Label::Organization,
        Label::Location => pb::Label::Location,
        Label::Address => pb::Label::Address,
        Label::Email => pb::Label::Email,
        Label::Phone => pb::Label::Phone,
        Label::Url => pb::Label::Url,
        Label::IpAddress => pb::Label::IpAddress,
        Label::Iban => pb::Label::Iban,
        Label::CreditCard => pb::Label::CreditCard,
        Label::IdNumber => pb::Label::IdNumber,
        Label::Date => pb::Label::Date,
        Label::Health => pb::Label::Health,
        Label::SpecialCategory => pb::Label::SpecialCategory,
    }
}

/// Protobuf enum → domain label (`None` for UNSPECIFIED).
pub(crate) fn label_from_pb(l: pb::Label) -> Option<Label> {
    Label::ALL.into_iter().find(|x| label_to_pb(*x) == l)
}

/// Domain verdict → protobuf enum.
pub(crate) fn verdict_to_pb(a: Ampel) -> pb::Verdict {
    match a {
        Ampel::Green => pb::Verdict::Green,
        Ampel::Yellow => pb::Verdict::Yellow,
        Ampel::Red => pb::Verdict::Red,
    }
}

fn source_to_pb(s: Source) -> pb::Source {
    match s {
        Source::Model => pb::Source::Model,
        Source::Rule => pb::Source::Rule,
        Source::ModelRule => pb::Source::ModelRule,
    }
}

/// Parse request options; unknown enum numbers are INVALID_ARGUMENT.
pub(crate) fn options_from_pb(
    o: Option<pb::AnalyzeOptions>,
) -> Result<RequestOptions, ServiceError> {
    let Some(o) = o else {
        return Ok(RequestOptions::default());
    };
    let mut labels = Vec::with_capacity(o.labels.len());
    for n in &o.labels {
        let l = pb::Label::try_from(*n)
            .map_err(|_| ServiceError::InvalidArgument(format!("unknown label number {n}")))?;
        labels.extend(label_from_pb(l));
    }
    let mode = match pb::RedactionMode::try_from(o.redaction_mode) {
        Ok(pb::RedactionMode::Unspecified | pb::RedactionMode::Placeholder) => {
            RedactMode::Placeholder
        }
        Ok(pb::RedactionMode::Category) => RedactMode::Category,
        Ok(pb::RedactionMode::Mask) => RedactMode::Mask,
        Err(_) => {
            return Err(ServiceError::InvalidArgument(format!(
                "unknown redaction_mode {}",
                o.redaction_mode
            )))
        }
    };
    Ok(RequestOptions {
        labels,
        rules_only: o.rules_only,
        mode,
        policy_toml: (!o.policy_toml.trim().is_empty()).then_some(o.policy_toml),
    })
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Entities with code point and byte offsets.
pub(crate) fn entities_to_pb(text: &str, entities: &[Entity]) -> Vec<pb::Entity> {
    let t = Text::new(text);
    entities
        .iter()
        .map(|e| {
            let (start, end) = t.char_span(e.span);
            pb::Entity {
                label: label_to_pb(e.label) as i32,
                score: e.score,
                source: source_to_pb(e.source) as i32,
                start: u32_of(start),
                end: u32_of(end),
                byte_start: u32_of(e.span.start),
                byte_end: u32_of(e.span.end),
            }
        })
        .collect()
}

/// Reasons on the wire.
pub(crate) fn reasons_to_pb(reasons: &[Reason]) -> Vec<pb::Reason> {
    reasons
        .iter()
        .map(|r| pb::Reason {
            code: r.code.clone(),
            message: r.message.clone(),
        })
        .collect()
}

/// A full analysis on the wire.
pub(crate) fn analysis_to_pb(text: &str, a: &Analysis) -> pb::AnalyzeResponse {
    pb::AnalyzeResponse {
        verdict: verdict_to_pb(a.verdict.ampel) as i32,
        entities: entities_to_pb(text, &a.entities),
        redacted: a.redaction.text.clone(),
        reasons: reasons_to_pb(&a.verdict.reasons),
    }
}

/// `Info` on the wire.
pub(crate) fn info_to_pb(info: &EngineInfo, limits: &Limits) -> pb::InfoResponse {
    let u = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    pb::InfoResponse {
        version: env!("CARGO_PKG_VERSION").to_string(),
        model: info.model.as_ref().map(|m| pb::ModelInfo {
            name: m.name.clone(),
            revision: m.revision.clone(),
            labels: m.labels.clone(),
            device: m.device.clone(),
        }),
        policy_version: info.policy_version.clone(),
        labels: Label::ALL
            .into_iter()
            .map(|l| label_to_pb(l) as i32)
            .collect(),
        max_text_bytes: u(limits.max_text_bytes),
        max_message_bytes: u(limits.max_message_bytes),
        queue_capacity: u(limits.queue_capacity),
        max_batch_texts: u(limits.max_batch_texts),
        max_batch_chars: u(limits.max_batch_chars),
        batch_wait_ms: u64::try_from(limits.batch_wait.as_millis()).unwrap_or(u64::MAX),
        restore_ttl_seconds: info.restore_ttl_secs,
        auth_required: info.auth_required,
    }
}

/// Entity counts per label, e.g. `PERSON=2,EMAIL=1` (for logs).
pub(crate) fn label_counts(entities: &[Entity]) -> String {
    let mut counts = [0usize; Label::ALL.len()];
    for e in entities {
        if let Some(i) = Label::ALL.iter().position(|l| *l == e.label) {
            counts[i] += 1;
        }
    }
    Label::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l}={n}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Span;

    #[test]
    fn labels_round_trip() {
        for l in Label::ALL {
            assert_eq!(label_from_pb(label_to_pb(l)), Some(l));
            // The protobuf names are LABEL_ + the SPEC names.
            assert_eq!(label_to_pb(l).as_str_name(), format!("LABEL_{l}"));
        }
        assert_eq!(label_from_pb(pb::Label::Unspecified), None);
    }

    #[test]
    fn offsets_in_both_units() {
        let text = "Grüße an Weber";
        let e = Entity {
            span: Span::new(10, 15),
            label: Label::Person,
            score: 0.9,
            source: Source::Rule,
        };
        let pb = entities_to_pb(text, std::slice::from_ref(&e));
        assert_eq!((pb[0].byte_start, pb[0].byte_end), (10, 15));
        assert_eq!((pb[0].start, pb[0].end), (8, 13));
        assert_eq!(label_counts(&[e.clone(), e]), "PERSON=2");
    }

    #[test]
    fn status_codes() {
        let s: Status = ServiceError::QueueFull { capacity: 1 }.into();
        assert_eq!(s.code(), Code::ResourceExhausted);
        let s: Status = ServiceError::Handle(SealError::Expired { ago_secs: 3 }).into();
        assert_eq!(s.code(), Code::FailedPrecondition);
        let s: Status = ServiceError::Internal("secret detail".into()).into();
        assert!(!s.message().contains("secret"));
    }
}
