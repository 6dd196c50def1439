"""Tokenization, word alignment, decoding and strict span metrics shared by train.py and export.py.

Alignment contract (the Rust runtime does the same):
  1. split the text into words with training/data/wordsplit.py;
  2. encode the word list as pre-tokenized input with tokenizer.json
     (NFC + charsmap normalizer, Metaspace "▁" prepended to every word),
     wrapped as <s> ... </s>;
  3. a word's label is the argmax at its first piece that is not a bare "▁"
     (if a word has only bare pieces, its first piece).
Word labels are turned into spans by `spans_from_bio`: B-X starts an entity,
I-X continues an open X entity, an I-X without an open X starts a new one.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
from wordsplit import split_words  # noqa: E402,F401

BARE = "▁"


def encode_words(tok, words: list[str]):
    """-> (piece ids without specials, label piece index per word, first piece index per word)."""
    enc = tok.encode(words, is_pretokenized=True, add_special_tokens=False)
    first = [-1] * len(words)
    start = [-1] * len(words)
    nonbare = [False] * len(words)
    for i, (w, t) in enumerate(zip(enc.word_ids, enc.tokens)):
        if w is None:
            continue
        if start[w] == -1:
            start[w] = i
        if nonbare[w]:
            continue
        if first[w] == -1:
            first[w] = i
        if t != BARE:
            first[w], nonbare[w] = i, True
    for w in range(len(words)):
        if first[w] == -1:  # a word without pieces (should not happen): use the previous word's piece
            first[w] = first[w - 1] if w else 0
            start[w] = start[w - 1] if w else 0
    return enc.ids, first, start


def windows(n_pieces_per_word: list[int], max_pieces: int):
    """Split a word sequence into consecutive windows of at most max_pieces pieces (word boundaries)."""
    out, start, cur = [], 0, 0
    for i, n in enumerate(n_pieces_per_word):
        if cur and cur + n > max_pieces:
            out.append((start, i))
            start, cur = i, 0
        cur += n
    out.append((start, len(n_pieces_per_word)))
    return out


def spans_from_bio(labels: list[str]):
    """Word-index spans [(type, first_word, last_word_exclusive)]."""
    spans, cur = [], None
    for i, lab in enumerate(labels):
        if lab == "O":
            if cur:
                spans.append(tuple(cur))
            cur = None
            continue
        p, t = lab.split("-", 1)
        if p == "B" or cur is None or cur[0] != t:
            if cur:
                spans.append(tuple(cur))
            cur = [t, i, i + 1]
        else:
            cur[2] = i + 1
    if cur:
        spans.append(tuple(cur))
    return spans


class Scores:
    """Strict (exact type + boundaries) span precision/recall/F1 per type."""

    def __init__(self):
        self.tp, self.fp, self.fn = {}, {}, {}

    def add(self, gold_labels, pred_labels, ignore=()):
        """ignore: word ranges [a, b) whose gold label is left out (GermEval OTH/*deriv/*part);
        a wrong prediction overlapping one counts neither way (as in `ampel eval`)."""
        g, p = set(spans_from_bio(gold_labels)), set(spans_from_bio(pred_labels))
        for s in p & g:
            self.tp[s[0]] = self.tp.get(s[0], 0) + 1
        for s in p - g:
            if any(s[1] < b and a < s[2] for a, b in ignore):
                continue
            self.fp[s[0]] = self.fp.get(s[0], 0) + 1
        for s in g - p:
            self.fn[s[0]] = self.fn.get(s[0], 0) + 1

    def prf(self, types=None):
        types = types or sorted(set(self.tp) | set(self.fp) | set(self.fn))
        tp = sum(self.tp.get(t, 0) for t in types)
        fp = sum(self.fp.get(t, 0) for t in types)
        fn = sum(self.fn.get(t, 0) for t in types)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn

    def table(self, types=None):
        types = types or sorted(set(self.tp) | set(self.fp) | set(self.fn))
        res = {t: self.prf([t]) for t in types}
        res["micro"] = self.prf(types)
        return res
