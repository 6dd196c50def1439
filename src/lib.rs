//! ampel — a local, on-device German PII redaction engine.
//!
//! Read top-down:
//! - [`types`] and [`text`]: labels, verdicts, spans, byte ↔ code point offsets;
//!   [`casing`]: the re-cased copy of shouted lines that name rules and model read;
//!   [`roles`]: the role nouns both leave out of names ("Bürgermeister", "Syrer");
//! - [`rules`]: deterministic detectors (checksummed IDs, IBAN, phone, address,
//!   dates, Art. 9 lexicons);
//! - [`model`]: the candle NER runtime;
//! - [`fuse`], [`policy`], [`redact`]: merge hits into entities, decide the
//!   traffic-light colour, replace and restore placeholders;
//! - [`analyzer`]: the synchronous engine that ties them together;
//! - [`jsonl`], [`eval`], [`server`], [`cli`]: the ways in from outside.
//!
//! Dependencies point one way: rules and model know nothing about fusion,
//! policy or servers; the server knows nothing about candle.
#![deny(missing_docs)]

pub mod analyzer;
pub mod casing;
pub mod cli;
pub mod error;
pub mod eval;
pub mod fuse;
pub mod jsonl;
pub mod model;
pub mod policy;
pub mod redact;
pub mod roles;
pub mod rules;
pub mod server;
pub mod text;
pub mod types;

pub use analyzer::{Analysis, AnalyzeOptions, Analyzer};
pub use error::Error;
pub use types::{Ampel, Entity, Hit, HitKind, Label, Source, Span};
