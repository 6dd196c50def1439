//! Our BERT encoder: the network and tensor names of candle-transformers'
//! `models/bert.rs`, arranged for speed on a few CPU cores.
//!
//! Profiling the candle-transformers encoder on the shipped 6-layer model
//! (batch 1, 2 cores) put ~15 % of the time in a scalar `erf` and much of the
//! rest in the second core waiting for such serial element-wise work. So:
//!
//! - the query, key and value projections are one matrix product, with the
//!   attention scale 1/√d folded into the query weights at load;
//! - the attention softmax is candle's fused last-dimension kernel;
//! - GELU uses the erf of Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5·10⁻⁷, the
//!   form PyTorch's vectorised CPU kernel uses) with a branch-free `exp`, so
//!   the compiler vectorises it, spread over rayon's threads. On CUDA/Metal
//!   candle's own `gelu_erf` runs instead.
//!
//! Inference only: no dropout, token type 0, absolute positions from 0.

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Module, Shape, Tensor};
use candle_nn::{embedding, layer_norm, Embedding, LayerNorm, Linear, VarBuilder};
use rayon::prelude::*;

use super::config::ModelConfig;
pub(crate) use super::packed::PackedBert;

/// The encoder: on the CPU the packed version ([`PackedBert`]), on other
/// devices candle tensors ([`TensorBert`]).
pub(crate) enum BertEncoder {
    Tensors(TensorBert),
    Packed(PackedBert),
}

impl BertEncoder {
    /// Load from `vb` (already inside the `bert.` prefix, if any): packed
    /// when `vb` loads onto the CPU.
    pub(crate) fn load(vb: VarBuilder, cfg: &ModelConfig) -> candle_core::Result<Self> {
        if vb.device().is_cpu() {
            Ok(BertEncoder::Packed(PackedBert::load(vb, cfg)?))
        } else {
            Ok(BertEncoder::Tensors(TensorBert::load(vb, cfg)?))
        }
    }

    /// Hidden states `(batch, seq, hidden)` for `ids` and `mask` (`(batch,
    /// seq)` u32; mask 1 for real tokens, 0 for padding). What padding
    /// positions hold differs between the two versions: read real tokens only.
    pub(crate) fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            BertEncoder::Tensors(t) => t.forward(ids, mask),
            BertEncoder::Packed(p) => {
                let (b, s) = ids.dims2()?;
                let flat_ids = ids.flatten_all()?.to_vec1::<u32>()?;
                let flat_mask = mask.flatten_all()?.to_vec1::<u32>()?;
                let hidden = p.forward(&flat_ids, &flat_mask, s)?;
                let h = hidden.len() / (b * s).max(1);
                Tensor::from_vec(hidden, (b, s, h), ids.device())
            }
        }
    }
}

/// The tensor version: embeddings plus `num_layers` transformer layers.
pub(crate) struct TensorBert {
    word: Embedding,
    /// Position embeddings plus the token-type-0 row, `(max_positions, hidden)`.
    position: Tensor,
    norm: LayerNorm,
    layers: Vec<Layer>,
}

struct Layer {
    qkv: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    act: Activation,
    output: Linear,
    out_norm: LayerNorm,
    heads: usize,
}

#[derive(Clone, Copy)]
enum Activation {
    GeluErf,
    GeluTanh,
    Relu,
}

impl TensorBert {
    /// Load from `vb` (already inside the `bert.` prefix, if any).
    pub(crate) fn load(vb: VarBuilder, cfg: &ModelConfig) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        let e = vb.pp("embeddings");
        let word = embedding(cfg.vocab_size, h, e.pp("word_embeddings"))?;
        let token_type = e
            .get((cfg.type_vocab_size, h), "token_type_embeddings.weight")?
            .get(0)?;
        let position = e
            .get(
                (cfg.max_position_embeddings, h),
                "position_embeddings.weight",
            )?
            .broadcast_add(&token_type)?;
        let norm = layer_norm(h, cfg.layer_norm_eps, e.pp("LayerNorm"))?;
        let act = match cfg.hidden_act.as_str() {
            "relu" => Activation::Relu,
            "gelu_new" | "gelu_pytorch_tanh" => Activation::GeluTanh,
            _ => Activation::GeluErf,
        };
        let layers = (0..cfg.num_layers)
            .map(|i| Layer::load(vb.pp("encoder.layer").pp(i), cfg, act))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(TensorBert {
            word,
            position,
            norm,
            layers,
        })
    }

    /// Hidden states `(batch, seq, hidden)` for `ids` and `mask` (`(batch,
    /// seq)` u32; mask 1 for real tokens, 0 for padding).
    pub(crate) fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (b, s) = ids.dims2()?;
        let x = self
            .word
            .forward(ids)?
            .broadcast_add(&self.position.narrow(0, 0, s)?)?;
        let mut x = self.norm.forward(&x)?;
        // Additive attention mask as in Hugging Face: 0 for tokens, the most
        // negative f32 for padding (1·MAX + MIN = 0 exactly).
        let bias = mask
            .to_dtype(x.dtype())?
            .affine(f64::from(f32::MAX), f64::from(f32::MIN))?
            .reshape((b, 1, 1, s))?;
        for layer in &self.layers {
            x = layer.forward(&x, &bias)?;
        }
        Ok(x)
    }
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &ModelConfig, act: Activation) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        let heads = cfg.num_heads;
        let scale = 1.0 / ((h / heads) as f64).sqrt();
        let a = vb.pp("attention");
        let s = a.pp("self");
        let (qw, qb) = weight_bias(&s.pp("query"), h, h)?;
        let (kw, kb) = weight_bias(&s.pp("key"), h, h)?;
        let (vw, vb_) = weight_bias(&s.pp("value"), h, h)?;
        let qkv = Linear::new(
            Tensor::cat(&[&(qw * scale)?, &kw, &vw], 0)?,
            Some(Tensor::cat(&[&(qb * scale)?, &kb, &vb_], 0)?),
        );
        let dense = |vb: VarBuilder, i: usize, o: usize| -> candle_core::Result<Linear> {
            let (w, b) = weight_bias(&vb, i, o)?;
            Ok(Linear::new(w, Some(b)))
        };
        Ok(Layer {
            qkv,
            attn_out: dense(a.pp("output.dense"), h, h)?,
            attn_norm: layer_norm(h, cfg.layer_norm_eps, a.pp("output.LayerNorm"))?,
            intermediate: dense(vb.pp("intermediate.dense"), h, cfg.intermediate_size)?,
            act,
            output: dense(vb.pp("output.dense"), cfg.intermediate_size, h)?,
            out_norm: layer_norm(h, cfg.layer_norm_eps, vb.pp("output.LayerNorm"))?,
            heads,
        })
    }

    fn forward(&self, x: &Tensor, bias: &Tensor) -> candle_core::Result<Tensor> {
        let (b, s, h) = x.dims3()?;
        let d = h / self.heads;
        let qkv = self.qkv.forward(x)?;
        // (b, s, h) slice of the fused projection -> (b, heads, s, d)
        let split = |i: usize| {
            qkv.narrow(2, i * h, h)?
                .reshape((b, s, self.heads, d))?
                .transpose(1, 2)?
                .contiguous()
        };
        let (q, k, v) = (split(0)?, split(1)?, split(2)?);
        let scores = q.matmul(&k.t()?)?.broadcast_add(bias)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, s, h))?;
        let x = self
            .attn_norm
            .forward(&(self.attn_out.forward(&ctx)? + x)?)?;
        let inner = self.act.forward(&self.intermediate.forward(&x)?)?;
        self.out_norm.forward(&(self.output.forward(&inner)? + x)?)
    }
}

/// `weight` `(out, in)` and `bias` `(out)` of one dense layer.
fn weight_bias(vb: &VarBuilder, i: usize, o: usize) -> candle_core::Result<(Tensor, Tensor)> {
    Ok((vb.get((o, i), "weight")?, vb.get(o, "bias")?))
}

impl Activation {
    fn forward(self, xs: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Activation::GeluErf
                if xs.device().is_cpu() && xs.dtype() == DType::F32 && xs.is_contiguous() =>
            {
                xs.apply_op1_no_bwd(&FastGelu)
            }
            Activation::GeluErf => xs.gelu_erf(),
            Activation::GeluTanh => xs.gelu(),
            Activation::Relu => xs.relu(),
        }
    }
}

/// GELU with erf (see the module doc) as a candle CPU op on contiguous f32.
struct FastGelu;

/// Elements per parallel work item.
const GELU_CHUNK: usize = 8 * 1024;

impl CustomOp1 for FastGelu {
    fn name(&self) -> &'static str {
        "ampel-gelu-erf"
    }

    fn cpu_fwd(
        &self,
        storage: &CpuStorage,
        layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(src) = storage else {
            candle_core::bail!("ampel-gelu-erf: f32 input expected")
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("ampel-gelu-erf: contiguous input expected")
        };
        let src = &src[start..end];
        let mut dst = vec![0f32; src.len()];
        dst.par_chunks_mut(GELU_CHUNK)
            .zip(src.par_chunks(GELU_CHUNK))
            .for_each(|(d, s)| {
                for (y, &x) in d.iter_mut().zip(s) {
                    *y = gelu(x);
                }
            });
        Ok((CpuStorage::F32(dst), layout.shape().clone()))
    }
}

/// `x · Φ(x)` with the erf below.
#[inline(always)]
pub(super) fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Abramowitz & Stegun 7.1.26: |error| ≤ 1.5·10⁻⁷, branch-free.
#[inline(always)]
fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [
        0.254_829_6,
        -0.284_496_74,
        1.421_413_8,
        -1.453_152,
        1.061_405_4,
    ];
    let a = x.abs();
    let t = 1.0 / (1.0 + P * a);
    let poly = ((((A[4] * t + A[3]) * t + A[2]) * t + A[1]) * t + A[0]) * t;
    (1.0 - poly * exp_le0(-(a * a))).copysign(x)
}

/// `e^z` for `z ≤ 0` (Cephes `expf` reduction and polynomial, ~1 ulp);
/// results below e⁻⁸⁷ flush to e⁻⁸⁷ ≈ 1.6·10⁻³⁸, which `erf` cannot see.
#[inline(always)]
pub(super) fn exp_le0(z: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    // 1.5·2²³: adding and subtracting it rounds to the nearest integer.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let z = z.max(-87.0);
    let n = (z * LOG2E + ROUND) - ROUND;
    let r = z - n * LN2_HI - n * LN2_LO;
    let p = (((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2)
        * r
        + 0.166_666_65)
        * r
        + 0.5)
        * r
        * r
        + r
        + 1.0;
    // n ∈ [-126, 0]: 2ⁿ is a normal float built from its exponent bits.
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;
    use std::collections::HashMap;

    /// Random weights for a 2-layer BERT, under the Hugging Face names.
    fn random_bert(h: usize, inter: usize, layers: usize, vocab: usize) -> HashMap<String, Tensor> {
        let dev = Device::Cpu;
        let r = |shape: &[usize]| Tensor::randn(0f32, 0.5, shape, &dev).expect("randn");
        let mut t = HashMap::new();
        t.insert("embeddings.word_embeddings.weight".into(), r(&[vocab, h]));
        t.insert("embeddings.position_embeddings.weight".into(), r(&[64, h]));
        t.insert("embeddings.token_type_embeddings.weight".into(), r(&[2, h]));
        t.insert("embeddings.LayerNorm.weight".into(), r(&[h]));
        t.insert("embeddings.LayerNorm.bias".into(), r(&[h]));
        for l in 0..layers {
            let p = format!("encoder.layer.{l}");
            for (name, o, i) in [
                ("attention.self.query", h, h),
                ("attention.self.key", h, h),
                ("attention.self.value", h, h),
                ("attention.output.dense", h, h),
                ("intermediate.dense", inter, h),
                ("output.dense", h, inter),
            ] {
                t.insert(format!("{p}.{name}.weight"), r(&[o, i]));
                t.insert(format!("{p}.{name}.bias"), r(&[o]));
            }
            for name in ["attention.output.LayerNorm", "output.LayerNorm"] {
                t.insert(format!("{p}.{name}.weight"), r(&[h]));
                t.insert(format!("{p}.{name}.bias"), r(&[h]));
            }
        }
        t
    }

    #[test]
    fn same_hidden_states_as_candle_transformers_bert() {
        use candle_transformers::models::bert;
        let (h, inter, layers, vocab) = (32, 64, 2, 50);
        let tensors = random_bert(h, inter, layers, vocab);
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu);
        let cfg = small_config(h, inter, layers, vocab);
        let ours = TensorBert::load(vb.clone(), &cfg).expect("ours");
        let bcfg = bert::Config {
            vocab_size: vocab,
            hidden_size: h,
            num_hidden_layers: layers,
            num_attention_heads: 4,
            intermediate_size: inter,
            hidden_act: bert::HiddenAct::Gelu,
            hidden_dropout_prob: 0.0,
            max_position_embeddings: 64,
            type_vocab_size: 2,
            initializer_range: 0.02,
            layer_norm_eps: 1e-12,
            pad_token_id: 1,
            position_embedding_type: bert::PositionEmbeddingType::Absolute,
            use_cache: false,
            classifier_dropout: None,
            model_type: None,
        };
        let theirs = bert::BertModel::load(vb, &bcfg).expect("candle-transformers");
        // Two rows, the second padded after 5 tokens.
        let ids = Tensor::new(
            &[[0u32, 7, 9, 11, 2, 1, 1, 1], [0, 3, 4, 5, 6, 12, 40, 2]],
            &Device::Cpu,
        )
        .expect("ids");
        let mask = Tensor::new(
            &[[1u32, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]],
            &Device::Cpu,
        )
        .expect("mask");
        let a = ours.forward(&ids, &mask).expect("ours forward");
        let b = theirs
            .forward(&ids, &ids.zeros_like().expect("zeros"), Some(&mask))
            .expect("their forward");
        assert_eq!(a.dims(), b.dims());
        // Compare the real tokens only (padding positions carry no meaning).
        let a = a.to_vec3::<f32>().expect("vec");
        let b = b.to_vec3::<f32>().expect("vec");
        let mut worst = 0f32;
        for (row, len) in [(0, 5), (1, 8)] {
            for t in 0..len {
                for (x, y) in a[row][t].iter().zip(&b[row][t]) {
                    worst = worst.max((x - y).abs());
                }
            }
        }
        assert!(worst < 1e-4, "largest difference {worst}");
    }

    fn small_config(h: usize, inter: usize, layers: usize, vocab: usize) -> ModelConfig {
        ModelConfig {
            arch: super::super::config::Arch::Bert,
            labels: vec!["O".into()],
            vocab_size: vocab,
            hidden_size: h,
            num_layers: layers,
            num_heads: 4,
            intermediate_size: inter,
            hidden_act: "gelu".into(),
            max_position_embeddings: 64,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
            pad_token_id: 1,
            word_split: false,
            trained_max_len: None,
        }
    }

    #[test]
    fn packed_matches_the_tensor_version() {
        let (h, inter, layers, vocab) = (32, 64, 2, 50);
        let cfg = small_config(h, inter, layers, vocab);
        let vb = VarBuilder::from_tensors(
            random_bert(h, inter, layers, vocab),
            DType::F32,
            &Device::Cpu,
        );
        let tensors = TensorBert::load(vb.clone(), &cfg).expect("tensor version");
        let packed = BertEncoder::load(vb, &cfg).expect("packed version");
        assert!(matches!(packed, BertEncoder::Packed(_)), "CPU loads packed");
        // Right padding, no padding, a hole in the mask, and a row of
        // padding only.
        let ids = Tensor::new(
            &[
                [0u32, 7, 9, 11, 2, 1, 1, 1],
                [0, 3, 4, 5, 6, 12, 40, 2],
                [0, 8, 1, 13, 14, 2, 1, 1],
                [1, 1, 1, 1, 1, 1, 1, 1],
            ],
            &Device::Cpu,
        )
        .expect("ids");
        let rows: [[u32; 8]; 4] = [
            [1, 1, 1, 1, 1, 0, 0, 0],
            [1, 1, 1, 1, 1, 1, 1, 1],
            [1, 1, 0, 1, 1, 1, 0, 0],
            [0; 8],
        ];
        let mask = Tensor::new(&rows, &Device::Cpu).expect("mask");
        let a = tensors
            .forward(&ids, &mask)
            .and_then(|t| t.to_vec3::<f32>())
            .expect("tensor forward");
        let b = packed
            .forward(&ids, &mask)
            .and_then(|t| t.to_vec3::<f32>())
            .expect("packed forward");
        let mut worst = 0f32;
        for (r, row) in rows.iter().enumerate() {
            for (t, &on) in row.iter().enumerate() {
                if on == 1 {
                    for (x, y) in a[r][t].iter().zip(&b[r][t]) {
                        worst = worst.max((x - y).abs());
                    }
                } else {
                    assert!(b[r][t].iter().all(|&v| v == 0.0), "padding is zero");
                }
            }
        }
        assert!(worst < 1e-4, "largest difference {worst}");
    }

    #[test]
    fn packed_rejects_ids_outside_the_vocabulary() {
        let (h, inter, layers, vocab) = (32, 64, 1, 50);
        let cfg = small_config(h, inter, layers, vocab);
        let vb = VarBuilder::from_tensors(
            random_bert(h, inter, layers, vocab),
            DType::F32,
            &Device::Cpu,
        );
        let packed = PackedBert::load(vb, &cfg).expect("packed");
        assert!(packed.forward(&[0, 50, 2], &[1, 1, 1], 3).is_err());
        // The id is padding: not looked up, not an error.
        assert!(packed.forward(&[0, 50, 2], &[1, 0, 1], 3).is_ok());
        assert!(packed.forward(&[0, 1], &[1, 1, 1], 3).is_err());
        assert!(
            packed.forward(&[0; 65], &[1; 65], 65).is_err(),
            "more tokens than positions"
        );
    }

    #[test]
    fn exp_matches_std() {
        let mut worst = 0f32;
        for i in 0..=87_000 {
            let z = -(i as f32) / 1000.0;
            let (got, want) = (exp_le0(z), z.exp());
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(worst < 5e-7, "worst relative error {worst}");
        assert!(exp_le0(-1e30) > 0.0 && exp_le0(-1e30) < 1e-37);
        assert_eq!(exp_le0(0.0), 1.0);
    }

    #[test]
    fn gelu_matches_candle_gelu_erf() {
        let xs: Vec<f32> = (-20_000..=20_000)
            .map(|i| i as f32 / 1000.0)
            .chain([0.0, -0.0, 1e-30, -1e-30, 100.0, -100.0, 1e6, -1e6])
            .collect();
        let t = Tensor::new(xs.as_slice(), &Device::Cpu).expect("tensor");
        let want = t
            .gelu_erf()
            .and_then(|t| t.to_vec1::<f32>())
            .expect("candle gelu");
        let got = t
            .apply_op1_no_bwd(&FastGelu)
            .and_then(|t| t.to_vec1::<f32>())
            .expect("fast gelu");
        for ((x, g), w) in xs.iter().zip(&got).zip(&want) {
            let tol = 5e-7 * x.abs().max(1.0);
            assert!((g - w).abs() <= tol, "gelu({x}) = {g}, candle {w}");
        }
    }

    #[test]
    fn gelu_keeps_shape_and_rejects_other_dtypes() {
        let t = Tensor::ones((2, 3, 4), DType::F32, &Device::Cpu).expect("tensor");
        let g = t.apply_op1_no_bwd(&FastGelu).expect("gelu");
        assert_eq!(g.dims(), &[2, 3, 4]);
        let t = Tensor::ones(4, DType::F64, &Device::Cpu).expect("tensor");
        assert!(t.apply_op1_no_bwd(&FastGelu).is_err());
    }
}
