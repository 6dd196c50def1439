"""Plain German text from the NER corpora in shared/data/ner and the synthetic files.

Only used to choose the vocabulary keep set and to verify tokenisation, so a simple
detokeniser is enough: it joins tokens with spaces and removes the space before closing
punctuation and after opening brackets/quotes. Never reads tests/data/customer/.
"""

from __future__ import annotations

import glob
import os
import re

NER_DIR = os.environ.get("AMPEL_NER_DIR", "/work/shared/data/ner")

_NO_SPACE_BEFORE = set(".,;:!?)]}%“‘«")
_NO_SPACE_AFTER = set("([{„‚»")


def detok(tokens: list[str]) -> str:
    """Join word tokens into running text (heuristic, good enough for tokenizer work)."""
    out: list[str] = []
    glue_next = False
    in_quote = False
    for t in tokens:
        glue = glue_next
        glue_next = False
        if t == '"':
            # alternate opening/closing straight quotes
            if in_quote:
                glue = True
            else:
                glue_next = True
            in_quote = not in_quote
        elif t in _NO_SPACE_BEFORE or t in ("'s", "n't"):
            glue = True
        if t in _NO_SPACE_AFTER:
            glue_next = True
        if out and not glue:
            out.append(" ")
        out.append(t)
    return "".join(out)


def _blocks(path: str, token_col: int, sep: str | None) -> list[list[str]]:
    sents: list[list[str]] = []
    cur: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            if line.startswith("#") and sep == "\t" and token_col == 1:
                continue  # GermEval comment lines (if present)
            cols = line.split(sep)
            if len(cols) > token_col:
                cur.append(cols[token_col])
    if cur:
        sents.append(cur)
    return sents


def corpus_files(ner_dir: str = NER_DIR) -> list[str]:
    """All NER corpus files (GermEval dev.tsv, legal *.conll, Europarl *.tsv), sorted."""
    files = [os.path.join(ner_dir, "germeval2014", "dev.tsv")]
    files += sorted(glob.glob(os.path.join(ner_dir, "legal", "*.conll")))
    files += sorted(glob.glob(os.path.join(ner_dir, "europarl", "*.tsv")))
    return [f for f in files if os.path.exists(f)]


def read_corpus(path: str) -> list[str]:
    """Detokenised sentences of one corpus file (format chosen by folder)."""
    if "germeval" in path:
        sents = _blocks(path, 1, "\t")
    elif path.endswith(".conll"):
        sents = _blocks(path, 0, " ")
    else:  # europarl: token, lemma, POS, chunk, NER
        sents = _blocks(path, 0, "\t")
    return [detok(s) for s in sents]


def read_plain(path: str) -> list[str]:
    """Documents of a plain-text file: blank-line separated blocks (synthetic data)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def all_corpus_sentences(ner_dir: str = NER_DIR) -> dict[str, list[str]]:
    """{file: sentences} for every NER corpus file."""
    return {p: read_corpus(p) for p in corpus_files(ner_dir)}
