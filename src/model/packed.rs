//! The CPU path of our BERT encoder: the network of [`super::bert`] on
//! plain f32 slices, with the tokens of a batch *packed* — the rows of all
//! windows one after another, no padding — as text-embeddings-inference does
//! for BERT.
//!
//! Profiling the tensor version on 2 cores (batch 1 and 16) showed the time
//! outside the big matrix products going to serial element-wise passes
//! (bias and residual additions, head split and merge copies) and to many
//! small attention products, each parallelised on its own. Here:
//!
//! - every dense layer is one `gemm` call that accumulates into a
//!   destination already holding the bias (and the residual, where one is
//!   added), so bias and residual cost no pass of their own;
//! - attention runs one task per (window, head) on rayon's threads: the
//!   window's scores `Q·Kᵀ` (1/√d folded into the query weights at load), a
//!   row softmax and `P·V`, with single-threaded `gemm`s straight from the
//!   fused QKV rows — no split, transpose or mask;
//! - GELU, LayerNorm and the embedding sum run row-parallel;
//! - padding costs nothing: a batch of one long and fifteen short windows
//!   does the work of their real tokens only.
//!
//! Outputs agree with the tensor path to float rounding (tested below);
//! CUDA and Metal keep the tensor path.

use candle_core::{DType, Tensor};
use candle_nn::VarBuilder;
use gemm::Parallelism;
use rayon::prelude::*;

use super::bert::{exp_le0, gelu};
use super::config::ModelConfig;

/// Rows per parallel work item of the row-wise passes.
const ROW_CHUNK: usize = 16;

/// The packed CPU encoder: embeddings plus the transformer layers.
pub(crate) struct PackedBert {
    hidden: usize,
    heads: usize,
    /// Word embeddings `(vocab, hidden)`, row-major.
    word: Vec<f32>,
    /// Position embeddings plus the token-type-0 row, `(max_positions, hidden)`.
    position: Vec<f32>,
    max_positions: usize,
    norm: Norm,
    layers: Vec<Layer>,
    act: Activation,
}

struct Layer {
    qkv: Dense,
    attn_out: Dense,
    attn_norm: Norm,
    intermediate: Dense,
    output: Dense,
    out_norm: Norm,
}

/// A dense layer `y = x·Wᵀ + b` with `W` `(out, in)` row-major, as stored.
struct Dense {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

#[derive(Clone, Copy)]
enum Activation {
    GeluErf,
    GeluTanh,
    Relu,
}

impl PackedBert {
    /// Load from `vb` (already inside the `bert.` prefix, if any), the same
    /// tensors [`super::bert::BertEncoder`] reads.
    pub(crate) fn load(vb: VarBuilder, cfg: &ModelConfig) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        if cfg.num_heads == 0 || h % cfg.num_heads != 0 {
            candle_core::bail!(
                "hidden size {h} is not a multiple of {} heads",
                cfg.num_heads
            );
        }
        let e = vb.pp("embeddings");
        let word = flat(&e.get((cfg.vocab_size, h), "word_embeddings.weight")?)?;
        let token_type = e
            .get((cfg.type_vocab_size, h), "token_type_embeddings.weight")?
            .get(0)?;
        let position = flat(
            &e.get(
                (cfg.max_position_embeddings, h),
                "position_embeddings.weight",
            )?
            .broadcast_add(&token_type)?,
        )?;
        let eps = cfg.layer_norm_eps as f32;
        let norm = Norm::load(&e.pp("LayerNorm"), h, eps)?;
        let scale = 1.0 / ((h / cfg.num_heads) as f64).sqrt();
        let layers = (0..cfg.num_layers)
            .map(|i| {
                let vb = vb.pp("encoder.layer").pp(i);
                let a = vb.pp("attention");
                let s = a.pp("self");
                let (qw, qb) = weight_bias(&s.pp("query"), h, h)?;
                let (kw, kb) = weight_bias(&s.pp("key"), h, h)?;
                let (vw, vb_) = weight_bias(&s.pp("value"), h, h)?;
                let qkv = Dense::new(
                    &Tensor::cat(&[&(qw * scale)?, &kw, &vw], 0)?,
                    &Tensor::cat(&[&(qb * scale)?, &kb, &vb_], 0)?,
                )?;
                let dense = |vb: VarBuilder, i: usize, o: usize| {
                    let (w, b) = weight_bias(&vb, i, o)?;
                    Dense::new(&w, &b)
                };
                Ok(Layer {
                    qkv,
                    attn_out: dense(a.pp("output.dense"), h, h)?,
                    attn_norm: Norm::load(&a.pp("output.LayerNorm"), h, eps)?,
                    intermediate: dense(vb.pp("intermediate.dense"), h, cfg.intermediate_size)?,
                    output: dense(vb.pp("output.dense"), cfg.intermediate_size, h)?,
                    out_norm: Norm::load(&vb.pp("output.LayerNorm"), h, eps)?,
                })
            })
            .collect::<candle_core::Result<Vec<_>>>()?;
        let act = match cfg.hidden_act.as_str() {
            "relu" => Activation::Relu,
            "gelu_new" | "gelu_pytorch_tanh" => Activation::GeluTanh,
            _ => Activation::GeluErf,
        };
        Ok(PackedBert {
            hidden: h,
            heads: cfg.num_heads,
            word,
            position,
            max_positions: cfg.max_position_embeddings,
            norm,
            layers,
            act,
        })
    }

    /// Hidden states `(batch, seq, hidden)`, row-major, for `ids` and
    /// `mask` (both `(batch, seq)`; mask 1 for a real token, 0 for padding).
    /// A token attends to the real tokens of its own row, at the positions
    /// it has there, as with Hugging Face's attention mask; padding rows of
    /// the result are zero.
    pub(crate) fn forward(
        &self,
        ids: &[u32],
        mask: &[u32],
        seq: usize,
    ) -> candle_core::Result<Vec<f32>> {
        let h = self.hidden;
        if ids.len() != mask.len() || seq == 0 || ids.len() % seq != 0 {
            candle_core::bail!(
                "packed forward: {} ids, {} mask values, rows of {seq}",
                ids.len(),
                mask.len()
            );
        }
        if seq > self.max_positions {
            candle_core::bail!(
                "packed forward: {seq} tokens, the model has {} positions",
                self.max_positions
            );
        }
        // Every real token as (index in the padded batch, position), packed
        // row after row; each row's tokens are one window.
        let mut windows = Vec::with_capacity(ids.len() / seq);
        let mut tokens = Vec::with_capacity(ids.len());
        for (row, m) in mask.chunks(seq).enumerate() {
            let first = tokens.len();
            tokens.extend(
                m.iter()
                    .enumerate()
                    .filter(|(_, &on)| on != 0)
                    .map(|(p, _)| (row * seq + p, p)),
            );
            windows.push((first, tokens.len() - first));
        }
        let vocab = self.word.len() / h;
        if let Some(&(i, _)) = tokens.iter().find(|&&(i, _)| ids[i] as usize >= vocab) {
            candle_core::bail!("packed forward: token id {} outside the vocabulary", ids[i]);
        }
        let mut out = vec![0f32; ids.len() * h];
        if tokens.is_empty() {
            return Ok(out);
        }

        let mut x = vec![0f32; tokens.len() * h];
        x.par_chunks_mut(h)
            .zip(tokens.par_iter())
            .for_each(|(row, &(i, p))| {
                let id = ids[i] as usize;
                let w = &self.word[id * h..(id + 1) * h];
                let pos = &self.position[p * h..(p + 1) * h];
                for ((y, a), b) in row.iter_mut().zip(w).zip(pos) {
                    *y = a + b;
                }
                self.norm.apply(row);
            });
        for layer in &self.layers {
            x = layer.forward(&x, &windows, self.heads, self.act);
        }
        for (&(i, _), row) in tokens.iter().zip(x.chunks(h)) {
            out[i * h..(i + 1) * h].copy_from_slice(row);
        }
        Ok(out)
    }
}

impl Layer {
    /// One transformer layer over the packed rows `x` (`(tokens, hidden)`);
    /// `windows` holds each window's (first row, length).
    fn forward(
        &self,
        x: &[f32],
        windows: &[(usize, usize)],
        heads: usize,
        act: Activation,
    ) -> Vec<f32> {
        let qkv = self.qkv.forward(x, None);
        let ctx = attention(&qkv, windows, self.attn_out.inputs, heads);
        let mut x = self.attn_out.forward(&ctx, Some(x));
        self.attn_norm.apply_rows(&mut x);
        let mut inner = self.intermediate.forward(&x, None);
        act.apply(&mut inner);
        let mut y = self.output.forward(&inner, Some(&x));
        self.out_norm.apply_rows(&mut y);
        y
    }
}

impl Dense {
    fn new(weight: &Tensor, bias: &Tensor) -> candle_core::Result<Self> {
        let (outputs, inputs) = weight.dims2()?;
        Ok(Dense {
            weight: flat(weight)?,
            bias: flat(bias)?,
            inputs,
            outputs,
        })
    }

    /// `x·Wᵀ + b (+ residual)` for the rows of `x`.
    fn forward(&self, x: &[f32], residual: Option<&[f32]>) -> Vec<f32> {
        let (k, n) = (self.inputs, self.outputs);
        let m = x.len() / k;
        let mut y = vec![0f32; m * n];
        match residual {
            Some(r) => y
                .par_chunks_mut(n * ROW_CHUNK)
                .zip(r.par_chunks(n * ROW_CHUNK))
                .for_each(|(ys, rs)| {
                    for (yr, rr) in ys.chunks_mut(n).zip(rs.chunks(n)) {
                        for ((y, r), b) in yr.iter_mut().zip(rr).zip(&self.bias) {
                            *y = r + b;
                        }
                    }
                }),
            None => y.par_chunks_mut(n * ROW_CHUNK).for_each(|ys| {
                for yr in ys.chunks_mut(n) {
                    yr.copy_from_slice(&self.bias);
                }
            }),
        }
        // y += x · Wᵀ: W (n, k) read as (k, n) through its strides.
        matmul(
            &mut y,
            (m, n, k),
            Strided::rows(x, k),
            Strided {
                data: &self.weight,
                rs: 1,
                cs: k,
            },
            true,
            parallelism(),
        );
        y
    }
}

/// Self-attention of every window over its own rows of the fused
/// projection `qkv` (`(tokens, 3·h)`: queries, keys, values; `heads`
/// divides `h`). Returns the context `(tokens, h)`.
fn attention(qkv: &[f32], windows: &[(usize, usize)], h: usize, heads: usize) -> Vec<f32> {
    let d = h / heads;
    let stride = 3 * h;
    let tasks: Vec<(usize, usize)> = (0..windows.len())
        .flat_map(|w| (0..heads).map(move |head| (w, head)))
        .collect();
    // One (length × d) context block per (window, head).
    let blocks: Vec<Vec<f32>> = tasks
        .par_iter()
        .map(|&(w, head)| {
            let (first, n) = windows[w];
            if n == 0 {
                return Vec::new();
            }
            let q = &qkv[first * stride + head * d..];
            let k = &qkv[first * stride + h + head * d..];
            let v = &qkv[first * stride + 2 * h + head * d..];
            let mut scores = vec![0f32; n * n];
            // Q · Kᵀ: K's rows read as columns.
            matmul(
                &mut scores,
                (n, n, d),
                Strided::rows(q, stride),
                Strided {
                    data: k,
                    rs: 1,
                    cs: stride,
                },
                false,
                Parallelism::None,
            );
            for row in scores.chunks_mut(n) {
                softmax(row);
            }
            let mut ctx = vec![0f32; n * d];
            matmul(
                &mut ctx,
                (n, d, n),
                Strided::rows(&scores, n),
                Strided::rows(v, stride),
                false,
                Parallelism::None,
            );
            ctx
        })
        .collect();
    // Merge the heads back: window w's rows are one contiguous block.
    let mut out = vec![0f32; qkv.len() / 3];
    let mut rest = out.as_mut_slice();
    let mut parts = Vec::with_capacity(windows.len());
    for &(_, n) in windows {
        let (part, tail) = rest.split_at_mut(n * h);
        parts.push(part);
        rest = tail;
    }
    parts
        .into_par_iter()
        .zip(blocks.par_chunks(heads.max(1)))
        .for_each(|(part, heads_ctx)| {
            for (head, ctx) in heads_ctx.iter().enumerate() {
                for (row, c) in part.chunks_mut(h).zip(ctx.chunks(d)) {
                    row[head * d..(head + 1) * d].copy_from_slice(c);
                }
            }
        });
    out
}

/// A matrix read from a slice: element (i, j) at `i·rs + j·cs`.
#[derive(Clone, Copy)]
struct Strided<'a> {
    data: &'a [f32],
    rs: usize,
    cs: usize,
}

impl<'a> Strided<'a> {
    /// Rows `stride` apart, columns adjacent.
    fn rows(data: &'a [f32], stride: usize) -> Self {
        Strided {
            data,
            rs: stride,
            cs: 1,
        }
    }

    /// Whether an (rows × cols) matrix lies inside `data`.
    fn holds(&self, rows: usize, cols: usize) -> bool {
        rows == 0 || cols == 0 || (rows - 1) * self.rs + (cols - 1) * self.cs < self.data.len()
    }
}

/// `dst (m×n) = [dst +] lhs (m×k) · rhs (k×n)`, `dst` row-major and
/// contiguous — `gemm` behind bounds checks.
fn matmul(
    dst: &mut [f32],
    (m, n, k): (usize, usize, usize),
    lhs: Strided<'_>,
    rhs: Strided<'_>,
    accumulate: bool,
    parallelism: Parallelism,
) {
    assert!(
        dst.len() >= m * n && lhs.holds(m, k) && rhs.holds(k, n),
        "matmul operands do not hold ({m}×{k}) · ({k}×{n})"
    );
    // SAFETY: the assert keeps every element gemm reads or writes inside
    // the slices; dst does not alias lhs or rhs (it is borrowed mutably).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs.cs as isize,
            lhs.rs as isize,
            rhs.data.as_ptr(),
            rhs.cs as isize,
            rhs.rs as isize,
            if accumulate { 1.0 } else { 0.0 },
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

/// In-place softmax of one row of scores.
fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0f32;
    for s in row.iter_mut() {
        *s = exp_le0(*s - max);
        sum += *s;
    }
    let inv = 1.0 / sum;
    for s in row.iter_mut() {
        *s *= inv;
    }
}

impl Norm {
    fn load(vb: &VarBuilder, h: usize, eps: f32) -> candle_core::Result<Self> {
        Ok(Norm {
            weight: flat(&vb.get(h, "weight")?)?,
            bias: flat(&vb.get(h, "bias")?)?,
            eps,
        })
    }

    /// LayerNorm of one row in place (f32, mean first, then the variance).
    fn apply(&self, row: &mut [f32]) {
        let n = row.len() as f32;
        let mean = row.iter().sum::<f32>() / n;
        let var = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / n;
        let inv = 1.0 / (var + self.eps).sqrt();
        for ((x, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
            *x = (*x - mean) * inv * w + b;
        }
    }

    /// LayerNorm of every row of `x` in place, row-parallel.
    fn apply_rows(&self, x: &mut [f32]) {
        let h = self.weight.len();
        x.par_chunks_mut(h * ROW_CHUNK).for_each(|rows| {
            for row in rows.chunks_mut(h) {
                self.apply(row);
            }
        });
    }
}

impl Activation {
    fn apply(self, x: &mut [f32]) {
        x.par_chunks_mut(8 * 1024).for_each(|xs| match self {
            Activation::GeluErf => xs.iter_mut().for_each(|v| *v = gelu(*v)),
            Activation::GeluTanh => xs.iter_mut().for_each(|v| *v = gelu_tanh(*v)),
            Activation::Relu => xs.iter_mut().for_each(|v| *v = v.max(0.0)),
        });
    }
}

/// GELU, tanh approximation (`gelu_new`).
fn gelu_tanh(x: f32) -> f32 {
    const C: f32 = 0.797_884_6; // √(2/π)
    0.5 * x * (1.0 + (C * (x + 0.044_715 * x * x * x)).tanh())
}

/// Threads for the dense products: all of rayon's.
fn parallelism() -> Parallelism {
    match rayon::current_num_threads() {
        0 | 1 => Parallelism::None,
        n => Parallelism::Rayon(n),
    }
}

fn weight_bias(vb: &VarBuilder, i: usize, o: usize) -> candle_core::Result<(Tensor, Tensor)> {
    Ok((vb.get((o, i), "weight")?, vb.get(o, "bias")?))
}

/// A tensor's values as one row-major f32 vector.
fn flat(t: &Tensor) -> candle_core::Result<Vec<f32>> {
    t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()
}
