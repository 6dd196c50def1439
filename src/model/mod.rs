//! The NER model runtime (candle): load a Hugging Face token-classification
//! model from a local folder and turn texts into [`Hit`]s. Knows nothing about
//! rules, fusion, policy or servers. The network is touched only by
//! [`fetch()`], which only `ampel model fetch` calls.
//!
//! - `config` reads `config.json`, `loader` the folder, `encoder` holds the
//!   network (an encoder plus the classifier; `bert` is our BERT, `packed`
//!   its CPU version on packed, unpadded tokens);
//! - `window` cuts long texts into overlapping windows and merges scores;
//! - `batch` runs the windows of many texts in padded, length-sorted batches;
//! - [`decode`] maps model labels to SPEC labels and scores to spans;
//! - `device` picks CPU/CUDA/Metal ([`DeviceChoice`]); [`fetch()`] and
//!   [`resolve`] deal with the Hugging Face cache;
//! - [`synthetic`] writes tiny random models for tests and benches.

mod batch;
mod bert;
mod config;
pub mod decode;
mod device;
mod encoder;
mod fetch;
mod loader;
mod packed;
pub mod synthetic;
mod window;
mod words;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use device::{DeviceChoice, UnknownDevice};
pub use fetch::{fetch, resolve};
pub use loader::REQUIRED_FILES;

use crate::types::{Hit, Label, Span};
use batch::{Runner, WindowInput};
use decode::Tag;

/// Errors of loading or running a model. Every variant about a file names it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The model folder does not exist (or is not a folder).
    #[error("no model found at {0}")]
    NotFound(PathBuf),
    /// A required file is missing from the model folder.
    #[error("model file missing: {0} (a model folder needs config.json, tokenizer.json and model.safetensors)")]
    MissingFile(PathBuf),
    /// A file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `config.json` is not valid JSON or lacks a needed field.
    #[error("invalid model config {path}: {msg}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// `model_type` names an architecture the runtime cannot run.
    #[error("unsupported model_type {model_type:?} in {path} (supported: bert, xlm-roberta, roberta, distilbert)")]
    UnsupportedModelType {
        /// The config file.
        path: PathBuf,
        /// The model type found.
        model_type: String,
    },
    /// `tokenizer.json` cannot be loaded or used.
    #[error("invalid tokenizer {path}: {msg}")]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// The weights file is not valid safetensors.
    #[error("invalid weights {path}: {msg}")]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// A tensor the architecture needs is not in the weights file.
    #[error("tensor {name} missing from {path}")]
    MissingTensor {
        /// The weights file.
        path: PathBuf,
        /// The tensor name.
        name: String,
    },
    /// A tensor has a shape that does not fit the config.
    #[error("tensor shape mismatch in {path}: {msg}")]
    BadShape {
        /// The weights file.
        path: PathBuf,
        /// Which tensor, expected and found shapes.
        msg: String,
    },
    /// The requested device cannot be used.
    #[error("device error: {0}")]
    Device(String),
    /// Tokenizing or a forward pass failed.
    #[error("inference failed: {0}")]
    Inference(String),
    /// A `hf:` model spec is malformed.
    #[error("invalid model spec {0:?} (expected hf:owner/name[@revision] or a folder path)")]
    BadSpec(String),
    /// A `hf:` model is not in the local Hugging Face cache.
    #[error("model {spec} is not in the local cache, run `ampel model fetch {spec}`")]
    NotInCache {
        /// The spec as given, e.g. `hf:owner/name@main`.
        spec: String,
    },
    /// Downloading from the Hugging Face Hub failed.
    #[error("cannot fetch {repo} from the Hugging Face Hub: {msg}")]
    Fetch {
        /// The repository.
        repo: String,
        /// What went wrong.
        msg: String,
    },
    /// Anything else.
    #[error("model error: {0}")]
    Other(String),
}

/// What a loaded model reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// Folder name, or `owner/name` for a Hugging Face cache snapshot.
    pub name: String,
    /// Hub commit (first 12 characters) for a cache snapshot, else the first
    /// 12 hex digits of the SHA-256 of `model.safetensors`.
    pub revision: String,
    /// The model's own labels (id2label order).
    pub labels: Vec<String>,
    /// The SPEC labels the model can produce (its labels mapped, deduplicated).
    pub spec_labels: Vec<Label>,
    /// Device in words, e.g. `cpu` or `cuda:0`.
    pub device: String,
    /// `bert`, `xlm-roberta` or `distilbert`.
    pub architecture: String,
    /// Transformer layers.
    pub num_layers: usize,
    /// Hidden size.
    pub hidden_size: usize,
    /// Vocabulary size of the embedding matrix.
    pub vocab_size: usize,
    /// Tokens per window, special tokens included.
    pub max_len: usize,
}

/// Per-token class probabilities (diagnostics and tests).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenScore {
    /// Byte span of the token in the text, as reported by the tokenizer
    /// (snapped to `char` boundaries).
    pub span: Span,
    /// One probability per model label (id2label order).
    pub probs: Vec<f32>,
}

/// Default number of windows per forward pass.
pub const DEFAULT_BATCH_SIZE: usize = 16;
/// Default number of tokens shared by neighbouring windows.
pub const DEFAULT_OVERLAP: usize = 128;

/// A loaded token-classification model.
pub struct NerModel {
    info: ModelInfo,
    tokenizer: tokenizers::Tokenizer,
    runner: Runner,
    tags: Vec<Tag>,
    batch_size: usize,
    overlap: usize,
    /// Tokenize pre-split words one by one (see `words.rs`).
    word_split: bool,
}

impl fmt::Debug for NerModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NerModel")
            .field("info", &self.info)
            .field("batch_size", &self.batch_size)
            .field("overlap", &self.overlap)
            .finish_non_exhaustive()
    }
}

/// Per-text token data and merged probabilities.
struct Scored {
    tokens: Vec<decode::Token>,
    probs: Vec<f32>,
}

impl NerModel {
    /// Load from a local folder holding `config.json`, `tokenizer.json` and
    /// `model.safetensors` (f32, f16 or bf16 weights; computation is f32).
    pub fn load(dir: &Path, device: DeviceChoice) -> Result<Self, ModelError> {
        let started = Instant::now();
        let (device, device_name) = device::open(device)?;
        let l = loader::load(dir, &device)?;
        let tags: Vec<Tag> = l
            .config
            .labels
            .iter()
            .map(|s| decode::parse_tag(s))
            .collect();
        let mut spec_labels: Vec<Label> = tags
            .iter()
            .filter_map(|t| match *t {
                Tag::Begin { label, .. } | Tag::Inside { label, .. } => Some(label),
                Tag::Outside => None,
            })
            .collect();
        spec_labels.sort();
        spec_labels.dedup();
        let info = ModelInfo {
            name: l.name,
            revision: l.revision,
            labels: l.config.labels.clone(),
            spec_labels,
            device: device_name,
            architecture: l.config.arch.as_str().to_string(),
            num_layers: l.config.num_layers,
            hidden_size: l.config.hidden_size,
            vocab_size: l.config.vocab_size,
            max_len: l.config.max_len(),
        };
        tracing::info!(
            architecture = %info.architecture,
            layers = info.num_layers,
            labels = info.labels.len(),
            device = %info.device,
            ms = started.elapsed().as_millis() as u64,
            "model loaded"
        );
        Ok(NerModel {
            runner: Runner {
                net: l.network,
                device,
                specials: l.specials,
                vocab_size: l.config.vocab_size,
                pad_id: l.config.pad_token_id,
                num_labels: l.config.labels.len(),
            },
            tokenizer: l.tokenizer,
            info,
            tags,
            batch_size: DEFAULT_BATCH_SIZE,
            overlap: DEFAULT_OVERLAP,
            word_split: l.config.word_split,
        })
    }

    /// Describe the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Windows per forward pass (at least 1).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Set the number of windows per forward pass (0 counts as 1).
    pub fn set_batch_size(&mut self, windows: usize) {
        self.batch_size = windows.max(1);
    }

    /// Set the number of tokens neighbouring windows share (at most half a
    /// window is used).
    pub fn set_overlap(&mut self, tokens: usize) {
        self.overlap = tokens;
    }

    /// Predict spans for several texts in as few forward passes as possible.
    /// Hits are [`crate::types::HitKind::Model`] with byte spans into each text.
    /// Shouted lines are read re-cased ([`crate::casing`]); the spans are
    /// the same in the original.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<Vec<Hit>>, ModelError> {
        let views: Vec<std::borrow::Cow<'_, str>> =
            texts.iter().map(|t| crate::casing::unshout(t)).collect();
        let views: Vec<&str> = views.iter().map(|v| v.as_ref()).collect();
        let scored = self.score(&views)?;
        Ok(views
            .iter()
            .zip(scored)
            .map(|(text, s)| {
                let words = decode::words(text, &s.tokens);
                decode::decode(text, &words, &s.probs, &self.tags)
            })
            .collect())
    }

    /// The input ids the model sees for a short text (one window, special
    /// tokens included) — for parity checks against the training framework.
    pub fn input_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        let (encodings, _) = self.encode(&[text])?;
        let specials = &self.runner.specials;
        let mut ids = specials.prefix.clone();
        if let Some(e) = encodings.first() {
            ids.extend_from_slice(e.get_ids());
        }
        ids.extend_from_slice(&specials.suffix);
        Ok(ids)
    }

    /// Every word of one text with the model label (`B-PERSON`, `O`, …)
    /// at its deciding token, before BIO decoding and span trimming — what
    /// the training framework's argmax gives, for parity checks.
    pub fn word_labels(&self, text: &str) -> Result<Vec<(Span, String)>, ModelError> {
        let width = self.tags.len().max(1);
        let Some(s) = self.score(&[text])?.pop() else {
            return Ok(Vec::new());
        };
        Ok(decode::words(text, &s.tokens)
            .into_iter()
            .map(|w| {
                let row = s
                    .probs
                    .get(w.token * width..(w.token + 1) * width)
                    .unwrap_or(&[]);
                let best = row
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(k, _)| k)
                    .unwrap_or(0);
                let label = self.info.labels.get(best).cloned().unwrap_or_default();
                (w.span, label)
            })
            .collect())
    }

    /// Per-token probabilities of one text after window merging.
    pub fn token_scores(&self, text: &str) -> Result<Vec<TokenScore>, ModelError> {
        let width = self.tags.len();
        let s = self.score(&[text])?.pop().unwrap_or(Scored {
            tokens: Vec::new(),
            probs: Vec::new(),
        });
        Ok(s.tokens
            .iter()
            .zip(s.probs.chunks(width.max(1)))
            .map(|(t, p)| TokenScore {
                span: crate::text::snap_to_chars(text, t.start, t.end.max(t.start)),
                probs: p.to_vec(),
            })
            .collect())
    }

    /// Tokenize: the whole text at once (the Hugging Face way), or — for
    /// models trained that way — each pre-split word on its own. Returns the
    /// encodings and, per text, every token's byte span and word id.
    fn encode(
        &self,
        texts: &[&str],
    ) -> Result<(Vec<tokenizers::Encoding>, Vec<Vec<decode::Token>>), ModelError> {
        let err = |e: tokenizers::Error| ModelError::Inference(format!("tokenizer: {e}"));
        if !self.word_split {
            let encodings = self
                .tokenizer
                .encode_batch(texts.to_vec(), false)
                .map_err(err)?;
            let tokens = encodings
                .iter()
                .map(|e| {
                    e.get_offsets()
                        .iter()
                        .zip(e.get_word_ids())
                        .map(|(&(start, end), &word)| decode::Token { start, end, word })
                        .collect()
                })
                .collect();
            return Ok((encodings, tokens));
        }
        let spans: Vec<Vec<Span>> = texts.iter().map(|t| words::split(t)).collect();
        let inputs: Vec<tokenizers::EncodeInput<'_>> = texts
            .iter()
            .zip(&spans)
            .map(|(t, ws)| {
                let words: Vec<&str> = ws.iter().map(|w| &t[w.start..w.end]).collect();
                tokenizers::EncodeInput::Single(words.into())
            })
            .collect();
        let encodings = self.tokenizer.encode_batch(inputs, false).map_err(err)?;
        let tokens = encodings
            .iter()
            .zip(&spans)
            .map(|(e, ws)| {
                e.get_tokens()
                    .iter()
                    .zip(e.get_offsets())
                    .zip(e.get_word_ids())
                    .map(|((piece, &(s, end)), &word)| {
                        let w = word.and_then(|i| ws.get(i as usize)).copied();
                        match w {
                            // A bare "▁" never decides a word's label.
                            Some(w) if piece != "\u{2581}" => decode::Token {
                                start: (w.start + s).min(w.end),
                                end: (w.start + end).min(w.end),
                                word,
                            },
                            Some(w) => decode::Token {
                                start: w.start,
                                end: w.start,
                                word,
                            },
                            None => decode::Token {
                                start: 0,
                                end: 0,
                                word: None,
                            },
                        }
                    })
                    .collect()
            })
            .collect();
        Ok((encodings, tokens))
    }

    fn score(&self, texts: &[&str]) -> Result<Vec<Scored>, ModelError> {
        let started = Instant::now();
        let (encodings, token_lists) = self.encode(texts)?;
        let mut token_lists = token_lists.into_iter();
        let cap = self
            .info
            .max_len
            .saturating_sub(self.runner.specials.len())
            .max(1);
        let plans: Vec<_> = encodings
            .iter()
            .map(|e| window::plan(e.len(), cap, self.overlap))
            .collect();
        let inputs: Vec<WindowInput<'_>> = encodings
            .iter()
            .zip(&plans)
            .flat_map(|(e, plan)| {
                plan.iter().map(move |r| WindowInput {
                    ids: e.get_ids().get(r.clone()).unwrap_or_default(),
                })
            })
            .collect();
        let n_tokens: usize = inputs.iter().map(|w| w.ids.len()).sum();
        let mut window_probs = self.runner.run(self.batch_size, &inputs)?.into_iter();
        let width = self.tags.len();
        let out = encodings
            .iter()
            .zip(&plans)
            .map(|(e, plan)| {
                let per_window: Vec<Vec<f32>> = window_probs.by_ref().take(plan.len()).collect();
                let tokens = token_lists.next().unwrap_or_default();
                Scored {
                    tokens,
                    probs: window::merge(plan, &per_window, e.len(), width),
                }
            })
            .collect();
        tracing::debug!(
            texts = texts.len(),
            windows = inputs.len(),
            tokens = n_tokens,
            ms = started.elapsed().as_millis() as u64,
            "model predict"
        );
        Ok(out)
    }
}
