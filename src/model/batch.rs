//! Forward passes over many windows: windows of all texts are sorted by
//! length (longest first, so each batch pads to nearly its own length),
//! cut into batches of at most `batch_size`, padded with the attention mask
//! set to zero, and run through the network. Returns per-window
//! probability rows for the content tokens (special tokens stripped).

use candle_core::{Device, Tensor};

use super::encoder::TokenClassifier;
use super::loader::Specials;
use super::ModelError;

/// One window's content token ids.
pub(crate) struct WindowInput<'a> {
    pub ids: &'a [u32],
}

/// The network with what it takes to feed it.
pub(crate) struct Runner {
    pub net: TokenClassifier,
    pub device: Device,
    pub specials: Specials,
    pub vocab_size: usize,
    pub pad_id: u32,
    pub num_labels: usize,
}

impl Runner {
    /// Run all windows; `out[i]` holds `windows[i].ids.len() * num_labels`
    /// probabilities, row-major.
    pub(crate) fn run(
        &self,
        batch_size: usize,
        windows: &[WindowInput<'_>],
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let Runner {
            net,
            device,
            specials,
            vocab_size,
            pad_id,
            num_labels,
        } = self;
        let (vocab_size, pad_id, num_labels) = (*vocab_size, *pad_id, *num_labels);
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(windows[i].ids.len()));
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); windows.len()];
        let pre = specials.prefix.len();
        for chunk in order.chunks(batch_size.max(1)) {
            let seq = chunk
                .iter()
                .map(|&i| windows[i].ids.len() + specials.len())
                .max()
                .unwrap_or(0);
            let b = chunk.len();
            let mut ids = Vec::with_capacity(b * seq);
            let mut mask = Vec::with_capacity(b * seq);
            for &i in chunk {
                let content = windows[i].ids.iter().map(|&id| {
                    if (id as usize) < vocab_size {
                        id
                    } else {
                        specials.unk
                    }
                });
                let row_start = ids.len();
                ids.extend(
                    specials
                        .prefix
                        .iter()
                        .copied()
                        .chain(content)
                        .chain(specials.suffix.iter().copied()),
                );
                let real = ids.len() - row_start;
                mask.extend(
                    std::iter::repeat_n(1u32, real).chain(std::iter::repeat_n(0u32, seq - real)),
                );
                ids.resize(row_start + seq, pad_id);
            }
            let probs = forward(net, device, ids, mask, b, seq)
                .map_err(|e| ModelError::Inference(e.to_string()))?;
            for (row, &i) in chunk.iter().enumerate() {
                let n = windows[i].ids.len();
                let start = (row * seq + pre) * num_labels;
                out[i] = probs
                    .get(start..start + n * num_labels)
                    .ok_or_else(|| ModelError::Inference("network returned too few rows".into()))?
                    .to_vec();
            }
        }
        Ok(out)
    }
}

fn forward(
    net: &TokenClassifier,
    device: &Device,
    ids: Vec<u32>,
    mask: Vec<u32>,
    b: usize,
    seq: usize,
) -> candle_core::Result<Vec<f32>> {
    let ids = Tensor::from_vec(ids, (b, seq), device)?;
    let mask = Tensor::from_vec(mask, (b, seq), device)?;
    net.forward(&ids, &mask)?
        .to_dtype(candle_core::DType::F32)?
        .flatten_all()?
        .to_vec1::<f32>()
}
