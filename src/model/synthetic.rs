//! Tiny randomly initialised models written to a folder in the exact
//! Hugging Face layout (`config.json`, `tokenizer.json`,
//! `model.safetensors`), so tests and benches can exercise the whole runtime
//! offline. The weights are deterministic (seeded) noise: predictions carry
//! no meaning, but a per-label classifier bias can force a label everywhere.
//! Not used at analysis time.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};
use serde_json::{json, Value};

use super::ModelError;

/// Encoder family of a synthetic model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntheticArch {
    /// `model_type: bert`, tensors under `bert.`.
    Bert,
    /// `model_type: xlm-roberta`, tensors under `roberta.`.
    XlmRoberta,
    /// `model_type: distilbert`, tensors under `distilbert.`.
    DistilBert,
}

/// Tokenizer family of a synthetic model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntheticTokenizer {
    /// BERT WordPiece (`[CLS] … [SEP]`, BertPreTokenizer, no lowercasing).
    WordPiece,
    /// XLM-R style SentencePiece Unigram with Metaspace and an NFKC
    /// normalizer (`<s> … </s>`, pad id 1).
    Unigram,
}

/// Description of a synthetic model.
#[derive(Debug, Clone)]
pub struct SyntheticModel {
    /// Encoder family.
    pub arch: SyntheticArch,
    /// Tokenizer family.
    pub tokenizer: SyntheticTokenizer,
    /// Transformer layers.
    pub layers: usize,
    /// Hidden size (a multiple of `heads`).
    pub hidden: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward size.
    pub intermediate: usize,
    /// `max_position_embeddings` written to the config.
    pub max_position_embeddings: usize,
    /// id2label in id order.
    pub labels: Vec<String>,
    /// Classifier bias per label (missing entries are 0).
    pub label_bias: Vec<f32>,
    /// Whole words added to the vocabulary (one token each).
    pub words: Vec<String>,
    /// Minimum vocabulary size; filler tokens pad the vocabulary up to it.
    pub vocab_size: usize,
    /// dtype of the stored weights (F32, F16 or BF16).
    pub dtype: DType,
    /// Seed of the weight noise.
    pub seed: u64,
}

impl Default for SyntheticModel {
    fn default() -> Self {
        let labels = [
            "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
        ];
        let words =
            "Anna Weber Müller Hamburg Berlin Leipzig GmbH Frau Herr und in aus der die das \
                     ist wohnt arbeitet bei Kundennummer Bestellung Grüße Hallo Straße"
                .split_whitespace()
                .map(String::from)
                .collect();
        SyntheticModel {
            arch: SyntheticArch::Bert,
            tokenizer: SyntheticTokenizer::WordPiece,
            layers: 2,
            hidden: 32,
            heads: 2,
            intermediate: 64,
            max_position_embeddings: 64,
            labels: labels.iter().map(|s| s.to_string()).collect(),
            label_bias: Vec::new(),
            words,
            vocab_size: 0,
            dtype: DType::F32,
            seed: 7,
        }
    }
}

const ALPHABET: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789äöüÄÖÜß.,;:!?()-\"'/@#&+*";

impl SyntheticModel {
    /// Set the bias of one label (by name); unknown names are ignored.
    pub fn with_bias(mut self, label: &str, bias: f32) -> Self {
        if let Some(k) = self.labels.iter().position(|l| l == label) {
            self.label_bias.resize(self.labels.len(), 0.0);
            self.label_bias[k] = bias;
        }
        self
    }

    /// Write the three model files into `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<(), ModelError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ModelError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let (tokenizer, vocab_size, pad) = self.tokenizer_json();
        let config = self.config_json(vocab_size, pad);
        for (name, value) in [("config.json", config), ("tokenizer.json", tokenizer)] {
            let path = dir.join(name);
            std::fs::write(&path, value.to_string()).map_err(io(&path))?;
        }
        let path = dir.join("model.safetensors");
        let tensors = self
            .tensors(vocab_size)
            .map_err(|e| ModelError::Other(format!("synthetic weights: {e}")))?;
        candle_core::safetensors::save(&tensors, &path).map_err(|e| ModelError::Weights {
            path: path.clone(),
            msg: e.to_string(),
        })
    }

    fn config_json(&self, vocab_size: usize, pad: u32) -> Value {
        let id2label: serde_json::Map<String, Value> = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| (i.to_string(), Value::from(l.clone())))
            .collect();
        match self.arch {
            SyntheticArch::DistilBert => json!({
                "model_type": "distilbert", "architectures": ["DistilBertForTokenClassification"],
                "vocab_size": vocab_size, "dim": self.hidden, "n_layers": self.layers,
                "n_heads": self.heads, "hidden_dim": self.intermediate, "activation": "gelu",
                "max_position_embeddings": self.max_position_embeddings, "pad_token_id": pad,
                "id2label": id2label,
            }),
            arch => json!({
                "model_type": if arch == SyntheticArch::Bert { "bert" } else { "xlm-roberta" },
                "vocab_size": vocab_size, "hidden_size": self.hidden,
                "num_hidden_layers": self.layers, "num_attention_heads": self.heads,
                "intermediate_size": self.intermediate, "hidden_act": "gelu",
                "max_position_embeddings": self.max_position_embeddings,
                "type_vocab_size": self.type_vocab(), "layer_norm_eps": 1e-12,
                "pad_token_id": pad, "position_embedding_type": "absolute",
                "id2label": id2label,
            }),
        }
    }

    fn type_vocab(&self) -> usize {
        if self.arch == SyntheticArch::XlmRoberta {
            1
        } else {
            2
        }
    }

    /// `(tokenizer.json, vocabulary size, pad id)`.
    fn tokenizer_json(&self) -> (Value, usize, u32) {
        let special = |id: usize, content: &str| {
            json!({"id": id, "content": content, "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true})
        };
        match self.tokenizer {
            SyntheticTokenizer::WordPiece => {
                let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
                    .map(String::from)
                    .to_vec();
                for c in ALPHABET.chars() {
                    vocab.push(c.to_string());
                    vocab.push(format!("##{c}"));
                }
                vocab.extend(self.words.iter().cloned());
                let vocab = pad_vocab(vocab, self.vocab_size, |i| format!("[unused{i}]"));
                let n = vocab.len();
                let map: serde_json::Map<String, Value> = vocab
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| (t, Value::from(i)))
                    .collect();
                let tok = json!({
                    "version": "1.0", "truncation": null, "padding": null,
                    "added_tokens": [special(0, "[PAD]"), special(1, "[UNK]"), special(2, "[CLS]"),
                                     special(3, "[SEP]"), special(4, "[MASK]")],
                    "normalizer": {"type": "BertNormalizer", "clean_text": true,
                                   "handle_chinese_chars": true, "strip_accents": false,
                                   "lowercase": false},
                    "pre_tokenizer": {"type": "BertPreTokenizer"},
                    "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
                    "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
                    "model": {"type": "WordPiece", "unk_token": "[UNK]",
                              "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                              "vocab": map},
                });
                (tok, n, 0)
            }
            SyntheticTokenizer::Unigram => {
                let mut pieces: Vec<(String, f64)> = ["<s>", "<pad>", "</s>", "<unk>"]
                    .iter()
                    .map(|s| (s.to_string(), 0.0))
                    .collect();
                pieces.push(("▁".to_string(), -2.0));
                for c in ALPHABET.chars() {
                    pieces.push((c.to_string(), -5.0));
                }
                for w in &self.words {
                    pieces.push((format!("▁{w}"), -1.0));
                }
                let scores: HashMap<String, f64> = pieces.iter().cloned().collect();
                let names = pad_vocab(
                    pieces.into_iter().map(|p| p.0).collect(),
                    self.vocab_size.saturating_sub(1),
                    |i| format!("<unused{i}>"),
                );
                let mut pieces: Vec<Value> = names
                    .into_iter()
                    .map(|name| {
                        let score = scores.get(&name).copied().unwrap_or(-20.0);
                        json!([name, score])
                    })
                    .collect();
                let mask = pieces.len();
                pieces.push(json!(["<mask>", 0.0]));
                let seq = |id: &str| json!({"Sequence": {"id": id, "type_id": 0}});
                let tok_ = |id: &str| json!({"SpecialToken": {"id": id, "type_id": 0}});
                let tok = json!({
                    "version": "1.0", "truncation": null, "padding": null,
                    "added_tokens": [special(0, "<s>"), special(1, "<pad>"), special(2, "</s>"),
                                     special(3, "<unk>"), special(mask, "<mask>")],
                    "normalizer": {"type": "NFKC"},
                    "pre_tokenizer": {"type": "Metaspace", "replacement": "▁",
                                      "prepend_scheme": "always", "split": true},
                    "post_processor": {"type": "TemplateProcessing",
                        "single": [tok_("<s>"), seq("A"), tok_("</s>")],
                        "pair": [tok_("<s>"), seq("A"), tok_("</s>"), tok_("</s>"), seq("B"), tok_("</s>")],
                        "special_tokens": {
                            "<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                            "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
                    "decoder": {"type": "Metaspace", "replacement": "▁",
                                "prepend_scheme": "always", "split": true},
                    "model": {"type": "Unigram", "unk_id": 3, "vocab": pieces, "byte_fallback": false},
                });
                (tok, mask + 1, 1)
            }
        }
    }

    fn tensors(&self, vocab: usize) -> candle_core::Result<HashMap<String, Tensor>> {
        let mut ws = Weights {
            rng: SplitMix(self.seed),
            out: HashMap::new(),
            dtype: self.dtype,
        };
        let (h, i) = (self.hidden, self.intermediate);
        let small = Init::Noise(0.02);
        let (root, enc) = match self.arch {
            SyntheticArch::Bert => ("bert", "encoder"),
            SyntheticArch::XlmRoberta => ("roberta", "encoder"),
            SyntheticArch::DistilBert => ("distilbert", "transformer"),
        };
        let e = format!("{root}.embeddings");
        ws.put(
            format!("{e}.word_embeddings.weight"),
            &[vocab, h],
            Init::Noise(1.0),
        )?;
        ws.put(
            format!("{e}.position_embeddings.weight"),
            &[self.max_position_embeddings, h],
            Init::Noise(0.5),
        )?;
        if self.arch != SyntheticArch::DistilBert {
            ws.put(
                format!("{e}.token_type_embeddings.weight"),
                &[self.type_vocab(), h],
                small,
            )?;
        }
        ws.norm(format!("{e}.LayerNorm"), h)?;
        for l in 0..self.layers {
            let p = format!("{root}.{enc}.layer.{l}");
            match self.arch {
                SyntheticArch::DistilBert => {
                    for n in ["q_lin", "k_lin", "v_lin", "out_lin"] {
                        ws.linear(format!("{p}.attention.{n}"), h, h)?;
                    }
                    ws.linear(format!("{p}.ffn.lin1"), i, h)?;
                    ws.linear(format!("{p}.ffn.lin2"), h, i)?;
                    ws.norm(format!("{p}.sa_layer_norm"), h)?;
                    ws.norm(format!("{p}.output_layer_norm"), h)?;
                }
                _ => {
                    for n in ["query", "key", "value"] {
                        ws.linear(format!("{p}.attention.self.{n}"), h, h)?;
                    }
                    ws.linear(format!("{p}.attention.output.dense"), h, h)?;
                    ws.linear(format!("{p}.intermediate.dense"), i, h)?;
                    ws.linear(format!("{p}.output.dense"), h, i)?;
                    ws.norm(format!("{p}.attention.output.LayerNorm"), h)?;
                    ws.norm(format!("{p}.output.LayerNorm"), h)?;
                }
            }
        }
        let c = self.labels.len();
        ws.put("classifier.weight".into(), &[c, h], Init::Noise(0.3))?;
        let bias: Vec<f32> = (0..c)
            .map(|k| self.label_bias.get(k).copied().unwrap_or(0.0))
            .collect();
        let t = Tensor::from_vec(bias, c, &Device::Cpu)?.to_dtype(self.dtype)?;
        ws.out.insert("classifier.bias".into(), t);
        Ok(ws.out)
    }
}

/// Accumulates named noise tensors.
struct Weights {
    rng: SplitMix,
    out: HashMap<String, Tensor>,
    dtype: DType,
}

impl Weights {
    fn put(&mut self, name: String, shape: &[usize], init: Init) -> candle_core::Result<()> {
        let n: usize = shape.iter().product();
        let data: Vec<f32> = (0..n)
            .map(|_| match init {
                Init::Noise(s) => self.rng.uniform() * s,
                Init::One => 1.0 + self.rng.uniform() * 0.05,
            })
            .collect();
        let t = Tensor::from_vec(data, shape, &Device::Cpu)?.to_dtype(self.dtype)?;
        self.out.insert(name, t);
        Ok(())
    }

    fn linear(&mut self, name: String, out_dim: usize, in_dim: usize) -> candle_core::Result<()> {
        self.put(
            format!("{name}.weight"),
            &[out_dim, in_dim],
            Init::Noise(0.08),
        )?;
        self.put(format!("{name}.bias"), &[out_dim], Init::Noise(0.02))
    }

    fn norm(&mut self, name: String, dim: usize) -> candle_core::Result<()> {
        self.put(format!("{name}.weight"), &[dim], Init::One)?;
        self.put(format!("{name}.bias"), &[dim], Init::Noise(0.02))
    }
}

#[derive(Clone, Copy)]
enum Init {
    Noise(f32),
    One,
}

fn pad_vocab(mut vocab: Vec<String>, min: usize, filler: impl Fn(usize) -> String) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    vocab.retain(|t| seen.insert(t.clone()));
    let mut k = 0;
    while vocab.len() < min {
        vocab.push(filler(k));
        k += 1;
    }
    vocab
}

/// SplitMix64: a tiny deterministic generator for weight noise.
struct SplitMix(u64);

impl SplitMix {
    /// Uniform in `[-1, 1)`.
    fn uniform(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}
