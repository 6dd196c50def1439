#!/usr/bin/env python3
"""Word-level BIO training data for the ampel NER model (stdlib only).

Inputs (see ../shared/data/README.md for licences):
  * GermEval 2014 dev.tsv   -> PER/LOC/ORG (outer column) = PERSON/LOCATION/ORGANIZATION;
                               OTH and all *deriv / *part tags -> O; their word ranges are
                               kept as "ignore" (as `ampel eval`'s germeval preset does, a
                               prediction that only hits them counts neither way).
                               The LAST 500 sentences are held out for validation and
                               copied verbatim to training/data/germeval_dev_heldout.tsv.
  * LER ler_dev + ler_test  -> PER/RR/AN = PERSON, ST/LD/LDS = LOCATION, STR = ADDRESS,
                               ORG/UN/INN/GRT/MRK = ORGANIZATION, everything else O (CRLF).
  * Europarl train/dev/test -> IOB1 converted to IOB2; PER/LOC/ORG mapped, MISC -> O.
  * synthetic JSONL         -> spans of the six model labels; structured labels -> O.

Every corpus token is re-split with the runtime word definition (wordsplit.py):
the first sub-word keeps the token's tag, the others continue it with I-.
Synthetic documents are split into words, cut at line/sentence ends and packed
into chunks of at most --max-words words (an entity is never cut).

Outputs in --out (JSON lines {"src", "id", "words", "labels"}):
  train.jsonl           all training examples (field src tells the corpus)
  dev_germeval.jsonl    the 500 held-out GermEval sentences (same labels)
  dev_synth.jsonl       synthetic dev split, heldout_synth.jsonl synthetic held-out split
  stats.json            counts per source and label

Usage:
  python training/data/prepare.py --synth /work/train-work/synth --out /work/train-work/prepared
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
from wordsplit import split_words  # noqa: E402
from common import spans_from_bio  # noqa: E402  (stdlib only, like this script)

MODEL_LABELS = ["PERSON", "ORGANIZATION", "LOCATION", "ADDRESS", "HEALTH", "SPECIAL_CATEGORY"]
BIO = ["O"] + [f"{p}-{lab}" for lab in MODEL_LABELS for p in ("B", "I")]
HELDOUT_N = 500

GERMEVAL_MAP = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
LER_MAP = {"PER": "PERSON", "RR": "PERSON", "AN": "PERSON", "ST": "LOCATION", "LD": "LOCATION", "LDS": "LOCATION",
           "STR": "ADDRESS", "ORG": "ORGANIZATION", "UN": "ORGANIZATION", "INN": "ORGANIZATION",
           "GRT": "ORGANIZATION", "MRK": "ORGANIZATION"}
EUROPARL_MAP = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}


def map_tag(tag: str, table: dict) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    p, t = tag.split("-", 1)
    lab = table.get(t)
    return f"{p}-{lab}" if lab else "O"


def repair_bio(tags: list[str]) -> list[str]:
    """I-X that does not continue X becomes B-X (also converts IOB1 to IOB2)."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def resplit(tokens: list[str], tags: list[str]):
    words, labels = [], []
    for tok, tag in zip(tokens, tags):
        parts = [w for w, _, _ in split_words(tok)] or [tok]
        for i, w in enumerate(parts):
            words.append(w)
            labels.append(tag if i == 0 or tag == "O" else "I-" + tag[2:])
    return words, labels


def read_blocks(path: str, newline: str | None = None):
    """Blank-line separated blocks of lines (handles CRLF)."""
    with open(path, encoding="utf-8", newline=newline) as f:
        block = []
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                if block:
                    yield block
                block = []
            else:
                block.append(line)
        if block:
            yield block


def germeval(path: str, heldout_tsv: str | None):
    raw = open(path, encoding="utf-8").read()
    blocks = [b for b in raw.split("\n\n") if b.strip()]
    train_b, held_b = blocks[:-HELDOUT_N], blocks[-HELDOUT_N:]
    if heldout_tsv:
        os.makedirs(os.path.dirname(os.path.abspath(heldout_tsv)), exist_ok=True)
        body = "\n\n".join(b.strip("\n") for b in held_b) + "\n"
        with open(heldout_tsv, "w", encoding="utf-8") as f:
            f.write(body)
        assert raw.rstrip("\n").endswith(body.rstrip("\n")), "held-out part is not a verbatim suffix"

    def conv(blks, base):
        out = []
        for i, b in enumerate(blks):
            toks, tags, ign = [], [], []
            for line in b.split("\n"):
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                toks.append(cols[1])
                tags.append(map_tag(cols[2], GERMEVAL_MAP))
                ign.append("O" if tags[-1] != "O" or cols[2] == "O" else cols[2][:2] + "IGNORE")
            w, lab = resplit(toks, repair_bio(tags))
            _, ign_lab = resplit(toks, repair_bio(ign))
            ignore = [[a, b] for _, a, b in spans_from_bio(ign_lab)]
            out.append({"src": "germeval", "id": f"ge-dev-{base + i + 1:04d}", "words": w, "labels": lab, "ignore": ignore})
        return out

    return conv(train_b, 0), conv(held_b, len(train_b))


def ler(paths: list[str]):
    out = []
    for path in paths:
        name = os.path.basename(path).split(".")[0]
        for i, b in enumerate(read_blocks(path, newline="")):
            toks, tags = [], []
            for line in b:
                tok, _, tag = line.rpartition(" ")
                toks.append(tok)
                tags.append(map_tag(tag, LER_MAP))
            w, lab = resplit(toks, repair_bio(tags))
            out.append({"src": "ler", "id": f"{name}-{i}", "words": w, "labels": lab})
    return out


def europarl(paths: list[str]):
    out = []
    for path in paths:
        name = os.path.basename(path).split(".")[0]
        for i, b in enumerate(read_blocks(path)):
            toks, tags = [], []
            for line in b:
                cols = line.split("\t")
                toks.append(cols[0])
                tags.append(map_tag(cols[-1], EUROPARL_MAP))
            w, lab = resplit(toks, repair_bio(tags))
            out.append({"src": "europarl", "id": f"europarl-{name}-{i}", "words": w, "labels": lab})
    return out


def synth_doc(doc: dict, max_words: int, stats: collections.Counter):
    """One synthetic document -> chunks of word-level BIO examples."""
    text = doc["text"]
    words = split_words(text)
    labels = ["O"] * len(words)
    inside = [False] * len(words)  # word is inside any entity (no cut there)
    for e in doc["entities"]:
        idx = [i for i, (_, s, t) in enumerate(words) if s >= e["start"] and t <= e["end"]]
        partial = [i for i, (_, s, t) in enumerate(words) if s < e["end"] and t > e["start"] and i not in idx]
        if partial or not idx:
            stats["misaligned_entities"] += 1
        for i in idx[1:]:
            inside[i] = True
        if e["label"] in MODEL_LABELS and idx:
            for k, i in enumerate(idx):
                labels[i] = ("B-" if k == 0 else "I-") + e["label"]
    # cut points: after a word that ends a line or a sentence, not inside an entity
    segs, cur = [], []
    for i, (w, s, t) in enumerate(words):
        cur.append(i)
        nxt = words[i + 1] if i + 1 < len(words) else None
        line_end = nxt is None or "\n" in text[t:nxt[1]]
        sent_end = w in ".!?" and nxt is not None and not inside[i + 1] and text[t:nxt[1]].startswith(" ")
        if (line_end or sent_end) and (nxt is None or not inside[i + 1]):
            segs.append(cur)
            cur = []
    if cur:
        segs.append(cur)
    chunks, cur = [], []
    for seg in segs:
        if cur and len(cur) + len(seg) > max_words:
            chunks.append(cur)
            cur = []
        cur = cur + seg
    if cur:
        chunks.append(cur)
    out = []
    for k, ch in enumerate(chunks):
        if len(ch) > max_words:
            stats["overlong_chunks"] += 1
        out.append({"src": "synth", "id": f"{doc['id']}#{k}", "words": [words[i][0] for i in ch],
                    "labels": [labels[i] for i in ch]})
    return out


def synth(path: str, max_words: int, stats: collections.Counter):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.extend(synth_doc(json.loads(line), max_words, stats))
    return out


def write(path: str, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data/ner", help="folder with germeval2014/, legal/, europarl/")
    ap.add_argument("--synth", default="/work/train-work/synth", help="folder with train/dev/heldout.jsonl")
    ap.add_argument("--out", default="/work/train-work/prepared")
    ap.add_argument("--heldout-tsv", default=os.path.join(here, "germeval_dev_heldout.tsv"))
    ap.add_argument("--max-words", type=int, default=64)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    stats = collections.Counter()
    ge_train, ge_held = germeval(os.path.join(a.data, "germeval2014", "dev.tsv"), a.heldout_tsv)
    train = ge_train
    train += ler([os.path.join(a.data, "legal", f) for f in ("ler_dev.conll", "ler_test.conll")])
    train += europarl([os.path.join(a.data, "europarl", f"{s}.tsv") for s in ("train", "dev", "test")])
    if os.path.exists(os.path.join(a.synth, "train.jsonl")):
        train += synth(os.path.join(a.synth, "train.jsonl"), a.max_words, stats)
        write(os.path.join(a.out, "dev_synth.jsonl"), synth(os.path.join(a.synth, "dev.jsonl"), a.max_words, stats))
        write(os.path.join(a.out, "heldout_synth.jsonl"), synth(os.path.join(a.synth, "heldout.jsonl"), a.max_words, stats))
    else:
        print(f"warning: no synthetic data in {a.synth}", file=sys.stderr)
    for r in train + ge_held:
        assert len(r["words"]) == len(r["labels"]) and all(t in BIO for t in r["labels"]), r["id"]
    write(os.path.join(a.out, "train.jsonl"), train)
    write(os.path.join(a.out, "dev_germeval.jsonl"), ge_held)
    summary = {"examples": collections.Counter(r["src"] for r in train),
               "entities": collections.Counter(f"{r['src']}:{t[2:]}" for r in train for t in r["labels"] if t.startswith("B-")),
               "words": collections.Counter(),
               "germeval_heldout_sentences": len(ge_held), "synth": dict(stats)}
    for r in train:
        summary["words"][r["src"]] += len(r["words"])
    with open(os.path.join(a.out, "stats.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    print(json.dumps(summary, sort_keys=True), file=sys.stderr)


if __name__ == "__main__":
    main()
