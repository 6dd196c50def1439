//! The network: an encoder (BERT: our own [`super::bert`], tuned for the CPU;
//! XLM-RoBERTa and DistilBERT: candle-transformers') plus a linear
//! token-classification head (`classifier`), built from a map of named
//! tensors. No file I/O here.
//!
//! Checkpoints name their encoder tensors `bert.…`, `roberta.…`,
//! `distilbert.…` or without a prefix; the prefix is found by looking for
//! the word-embedding matrix. Weights are converted to f32 on load.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::{Linear, Module, VarBuilder};
use candle_transformers::models::{distilbert, xlm_roberta};

use super::bert::BertEncoder;
use super::config::{Arch, ModelConfig};
use super::ModelError;

enum Encoder {
    Bert(BertEncoder),
    XlmRoberta(xlm_roberta::XLMRobertaModel),
    DistilBert(distilbert::DistilBertModel),
}

/// Encoder + classifier, ready for forward passes.
pub(crate) struct TokenClassifier {
    encoder: Encoder,
    classifier: Linear,
}

impl TokenClassifier {
    /// Build the network from `tensors` (any float dtype) on `device`.
    /// `path` names the weights file in errors.
    pub(crate) fn load(
        tensors: HashMap<String, Tensor>,
        cfg: &ModelConfig,
        device: &Device,
        path: &Path,
    ) -> Result<Self, ModelError> {
        let emb = "embeddings.word_embeddings.weight";
        let prefix = cfg
            .arch
            .prefixes()
            .iter()
            .find(|p| {
                let name = if p.is_empty() {
                    emb.to_string()
                } else {
                    format!("{p}.{emb}")
                };
                tensors.contains_key(&name)
            })
            .ok_or_else(|| ModelError::MissingTensor {
                path: path.to_path_buf(),
                name: format!(
                    "{emb} (tried prefixes {})",
                    cfg.arch
                        .prefixes()
                        .iter()
                        .map(|p| if p.is_empty() {
                            "none".to_string()
                        } else {
                            format!("{p}.")
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        for name in ["classifier.weight", "classifier.bias"] {
            if !tensors.contains_key(name) {
                return Err(ModelError::MissingTensor {
                    path: path.to_path_buf(),
                    name: format!("{name} (not a token-classification checkpoint?)"),
                });
            }
        }
        let vb = VarBuilder::from_tensors(tensors, DType::F32, device);
        let enc_vb = if prefix.is_empty() {
            vb.clone()
        } else {
            vb.pp(*prefix)
        };
        let map = |e: candle_core::Error| weight_error(path, e);
        let encoder = match cfg.arch {
            Arch::Bert => Encoder::Bert(BertEncoder::load(enc_vb, cfg).map_err(map)?),
            Arch::XlmRoberta => Encoder::XlmRoberta(
                xlm_roberta::XLMRobertaModel::new(&cfg.xlm_roberta(), enc_vb).map_err(map)?,
            ),
            Arch::DistilBert => {
                let dc = cfg.distilbert().map_err(|msg| ModelError::Config {
                    path: path.to_path_buf(),
                    msg,
                })?;
                Encoder::DistilBert(distilbert::DistilBertModel::load(enc_vb, &dc).map_err(map)?)
            }
        };
        let classifier = candle_nn::linear(cfg.hidden_size, cfg.labels.len(), vb.pp("classifier"))
            .map_err(map)?;
        Ok(TokenClassifier {
            encoder,
            classifier,
        })
    }

    /// Class probabilities `(batch, seq, labels)` for `ids` and `mask`
    /// (`(batch, seq)` u32, mask 1 for real tokens and 0 for padding).
    pub(crate) fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let hidden = match &self.encoder {
            Encoder::Bert(m) => m.forward(ids, mask)?,
            Encoder::XlmRoberta(m) => m.forward(ids, mask, &ids.zeros_like()?, None, None, None)?,
            Encoder::DistilBert(m) => {
                let (b, s) = mask.dims2()?;
                // candle's DistilBERT expects true where attention is masked out.
                let masked = mask.eq(0u32)?.reshape((b, 1, 1, s))?;
                m.forward(ids, &masked)?
            }
        };
        let logits = self.classifier.forward(&hidden)?;
        candle_nn::ops::softmax_last_dim(&logits)
    }
}

/// Turn a candle loading error into a precise [`ModelError`].
fn weight_error(path: &Path, e: candle_core::Error) -> ModelError {
    let mut cur = &e;
    loop {
        match cur {
            candle_core::Error::WithBacktrace { inner, .. }
            | candle_core::Error::Context { inner, .. }
            | candle_core::Error::WithPath { inner, .. } => cur = inner,
            candle_core::Error::CannotFindTensor { path: name } => {
                return ModelError::MissingTensor {
                    path: path.to_path_buf(),
                    name: name.clone(),
                }
            }
            candle_core::Error::UnexpectedShape { msg, expected, got } => {
                return ModelError::BadShape {
                    path: path.to_path_buf(),
                    msg: format!("{msg}: expected {expected:?}, found {got:?}"),
                }
            }
            other => {
                return ModelError::Weights {
                    path: path.to_path_buf(),
                    msg: other.to_string(),
                }
            }
        }
    }
}
