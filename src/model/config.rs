//! `config.json` → architecture, encoder hyper-parameters and the model's
//! own labels (`id2label`).
//!
//! Hugging Face configs differ per architecture (DistilBERT says `dim`,
//! `n_layers`, `hidden_dim` where BERT says `hidden_size`,
//! `num_hidden_layers`, `intermediate_size`), so the file is read as a JSON
//! value and every field is looked up under its known spellings, with the
//! Hugging Face defaults where a field may be absent. This module only
//! parses; it builds candle's per-architecture config structs but loads no
//! weights.

use std::path::Path;

use candle_transformers::models::{distilbert, xlm_roberta};
use serde_json::{json, Value};

use super::ModelError;

/// Absolute upper bound for a window, whatever the config claims.
pub(crate) const MAX_WINDOW: usize = 512;

/// The encoder families the runtime can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arch {
    /// BERT, incl. multilingual-e5 / MiniLM-style models.
    Bert,
    /// XLM-RoBERTa (and RoBERTa/CamemBERT, which share its layout).
    XlmRoberta,
    /// DistilBERT.
    DistilBert,
}

impl Arch {
    /// The name reported in [`super::ModelInfo::architecture`].
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Arch::Bert => "bert",
            Arch::XlmRoberta => "xlm-roberta",
            Arch::DistilBert => "distilbert",
        }
    }

    /// Tensor-name prefixes to try, in order (the empty prefix last).
    pub(crate) fn prefixes(self) -> &'static [&'static str] {
        match self {
            Arch::Bert => &["bert", "roberta", ""],
            Arch::XlmRoberta => &["roberta", "xlm-roberta", "bert", ""],
            Arch::DistilBert => &["distilbert", ""],
        }
    }

    fn from_model_type(model_type: &str) -> Option<Self> {
        match model_type.to_ascii_lowercase().replace('_', "-").as_str() {
            "bert" => Some(Arch::Bert),
            "xlm-roberta" | "roberta" | "camembert" => Some(Arch::XlmRoberta),
            "distilbert" => Some(Arch::DistilBert),
            _ => None,
        }
    }
}

/// Everything the runtime needs from `config.json`.
#[derive(Debug, Clone)]
pub(crate) struct ModelConfig {
    pub arch: Arch,
    /// `id2label` in id order.
    pub labels: Vec<String>,
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_layers: usize,
    pub num_heads: usize,
    pub intermediate_size: usize,
    pub hidden_act: String,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    pub pad_token_id: u32,
    /// The model was trained on pre-split words, each tokenized on its own
    /// (`config.json` has an `ampel.words` block): see `words.rs`.
    pub word_split: bool,
    /// Longest window the model saw in training (`ampel.trained_max_len`);
    /// windows are kept at or under it.
    pub trained_max_len: Option<usize>,
}

impl ModelConfig {
    /// Parse the text of `config.json`; `path` only names the file in errors.
    pub(crate) fn parse(path: &Path, text: &str) -> Result<Self, ModelError> {
        let bad = |msg: String| ModelError::Config {
            path: path.to_path_buf(),
            msg,
        };
        let v: Value = serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        if !v.is_object() {
            return Err(bad("expected a JSON object".into()));
        }
        let model_type = v.get("model_type").and_then(Value::as_str).unwrap_or("");
        let arch =
            Arch::from_model_type(model_type).ok_or_else(|| ModelError::UnsupportedModelType {
                path: path.to_path_buf(),
                model_type: if model_type.is_empty() {
                    "(missing)".to_string()
                } else {
                    model_type.to_string()
                },
            })?;
        let labels = parse_id2label(&v).map_err(bad)?;

        let req = |keys: &[&str]| {
            usize_of(&v, keys).ok_or_else(|| bad(format!("missing or invalid field `{}`", keys[0])))
        };
        let (hidden_keys, layer_keys, head_keys, inter_keys): (&[&str], &[&str], &[&str], &[&str]) =
            match arch {
                Arch::DistilBert => (&["dim"], &["n_layers"], &["n_heads"], &["hidden_dim"]),
                _ => (
                    &["hidden_size"],
                    &["num_hidden_layers"],
                    &["num_attention_heads"],
                    &["intermediate_size"],
                ),
            };
        let xlmr = arch == Arch::XlmRoberta;
        let cfg = ModelConfig {
            arch,
            labels,
            vocab_size: req(&["vocab_size"])?,
            hidden_size: req(hidden_keys)?,
            num_layers: req(layer_keys)?,
            num_heads: req(head_keys)?,
            intermediate_size: req(inter_keys)?,
            hidden_act: v
                .get("hidden_act")
                .or_else(|| v.get("activation"))
                .and_then(Value::as_str)
                .unwrap_or("gelu")
                .to_ascii_lowercase(),
            max_position_embeddings: usize_of(&v, &["max_position_embeddings"]).unwrap_or(512),
            type_vocab_size: usize_of(&v, &["type_vocab_size"]).unwrap_or(if xlmr { 1 } else { 2 }),
            layer_norm_eps: v
                .get("layer_norm_eps")
                .and_then(Value::as_f64)
                .unwrap_or(if xlmr { 1e-5 } else { 1e-12 }),
            pad_token_id: usize_of(&v, &["pad_token_id"])
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(if xlmr { 1 } else { 0 }),
            word_split: v.pointer("/ampel/words").is_some(),
            trained_max_len: v
                .pointer("/ampel/trained_max_len")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .filter(|&n| n >= 16),
        };
        if let Some(pe) = v.get("position_embedding_type").and_then(Value::as_str) {
            if pe != "absolute" {
                return Err(bad(format!(
                    "position_embedding_type {pe:?} is not supported (only \"absolute\")"
                )));
            }
        }
        cfg.validate().map_err(bad)?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if self.hidden_size == 0 || self.num_heads == 0 || self.hidden_size % self.num_heads != 0 {
            return Err(format!(
                "hidden size {} is not a positive multiple of {} attention heads",
                self.hidden_size, self.num_heads
            ));
        }
        if self.vocab_size == 0 || self.type_vocab_size == 0 || self.intermediate_size == 0 {
            return Err(
                "vocab_size, type_vocab_size and intermediate size must be positive".into(),
            );
        }
        if self.max_len() < 3 {
            return Err(format!(
                "max_position_embeddings {} leaves no room for tokens",
                self.max_position_embeddings
            ));
        }
        match (self.arch, self.hidden_act.as_str()) {
            (Arch::DistilBert, "gelu" | "relu") => Ok(()),
            (Arch::DistilBert, act) => Err(format!("activation {act:?} is not supported")),
            (_, "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "relu") => Ok(()),
            (_, act) => Err(format!("hidden_act {act:?} is not supported")),
        }
    }

    /// Longest token sequence (special tokens included) one window may hold.
    /// RoBERTa-style position ids start at `pad_token_id + 1`, which costs
    /// that many positions.
    pub(crate) fn max_len(&self) -> usize {
        let usable = match self.arch {
            Arch::XlmRoberta => self
                .max_position_embeddings
                .saturating_sub(self.pad_token_id as usize + 1),
            _ => self.max_position_embeddings,
        };
        usable
            .min(MAX_WINDOW)
            .min(self.trained_max_len.unwrap_or(usize::MAX))
    }

    /// candle's XLM-RoBERTa config.
    pub(crate) fn xlm_roberta(&self) -> xlm_roberta::Config {
        xlm_roberta::Config {
            hidden_size: self.hidden_size,
            layer_norm_eps: self.layer_norm_eps,
            attention_probs_dropout_prob: 0.0,
            hidden_dropout_prob: 0.0,
            num_attention_heads: self.num_heads,
            position_embedding_type: "absolute".to_string(),
            intermediate_size: self.intermediate_size,
            hidden_act: match self.hidden_act.as_str() {
                "relu" => candle_nn::Activation::Relu,
                "gelu_new" => candle_nn::Activation::NewGelu,
                "gelu_pytorch_tanh" => candle_nn::Activation::GeluPytorchTanh,
                _ => candle_nn::Activation::Gelu,
            },
            num_hidden_layers: self.num_layers,
            vocab_size: self.vocab_size,
            max_position_embeddings: self.max_position_embeddings,
            type_vocab_size: self.type_vocab_size,
            pad_token_id: self.pad_token_id,
        }
    }

    /// candle's DistilBERT config (its fields are private, so it is built
    /// through serde).
    pub(crate) fn distilbert(&self) -> Result<distilbert::Config, String> {
        serde_json::from_value(json!({
            "vocab_size": self.vocab_size,
            "dim": self.hidden_size,
            "n_layers": self.num_layers,
            "n_heads": self.num_heads,
            "hidden_dim": self.intermediate_size,
            "activation": self.hidden_act,
            "max_position_embeddings": self.max_position_embeddings,
            "initializer_range": 0.02,
            "pad_token_id": self.pad_token_id,
            "model_type": null,
        }))
        .map_err(|e| format!("distilbert config: {e}"))
    }
}

fn usize_of(v: &Value, keys: &[&str]) -> Option<usize> {
    keys.iter()
        .find_map(|k| v.get(*k))
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// `{"0": "O", "1": "B-PER", …}` → labels in id order; ids must be `0..n`.
fn parse_id2label(v: &Value) -> Result<Vec<String>, String> {
    let map = v
        .get("id2label")
        .and_then(Value::as_object)
        .ok_or("missing `id2label` (not a token-classification model?)")?;
    let mut pairs = Vec::with_capacity(map.len());
    for (k, label) in map {
        let id: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("id2label key {k:?} is not a number"))?;
        let label = label
            .as_str()
            .ok_or_else(|| format!("id2label[{k}] is not a string"))?;
        pairs.push((id, label.to_string()));
    }
    pairs.sort_by_key(|p| p.0);
    if pairs.is_empty() || pairs.iter().enumerate().any(|(i, p)| p.0 != i) {
        return Err("id2label ids must be 0..n without gaps".into());
    }
    Ok(pairs.into_iter().map(|p| p.1).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<ModelConfig, ModelError> {
        ModelConfig::parse(Path::new("config.json"), s)
    }

    #[test]
    fn distilbert_spellings_and_xlmr_positions() {
        let d = parse(
            r#"{"model_type":"distilbert","vocab_size":10,"dim":8,"n_layers":1,"n_heads":2,
                "hidden_dim":16,"id2label":{"1":"B-PER","0":"O"}}"#,
        )
        .unwrap();
        assert_eq!(d.arch, Arch::DistilBert);
        assert_eq!((d.hidden_size, d.intermediate_size), (8, 16));
        assert_eq!(d.labels, ["O", "B-PER"]);
        assert!(d.distilbert().is_ok());
        let x = parse(
            r#"{"model_type":"xlm-roberta","vocab_size":10,"hidden_size":8,"num_hidden_layers":1,
                "num_attention_heads":2,"intermediate_size":16,"max_position_embeddings":514,
                "id2label":{"0":"O"}}"#,
        )
        .unwrap();
        assert_eq!((x.pad_token_id, x.max_len()), (1, 512));
    }

    #[test]
    fn rejects_bad_configs() {
        assert!(matches!(parse("{nope"), Err(ModelError::Config { .. })));
        assert!(matches!(
            parse(r#"{"model_type":"gpt2"}"#),
            Err(ModelError::UnsupportedModelType { .. })
        ));
        let gap = r#"{"model_type":"bert","vocab_size":10,"hidden_size":8,"num_hidden_layers":1,
            "num_attention_heads":3,"intermediate_size":16,"id2label":{"0":"O","2":"B-PER"}}"#;
        assert!(matches!(parse(gap), Err(ModelError::Config { .. })));
        let heads = gap.replace("\"2\"", "\"1\"");
        let e = parse(&heads).unwrap_err().to_string();
        assert!(e.contains("attention heads"), "{e}");
    }
}
