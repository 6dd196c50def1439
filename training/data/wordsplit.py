"""The word definition shared by data preparation, training, export and the Rust runtime.

A *word* is a maximal run of word characters -- Python's ``\\w`` (Unicode
letters and digits as ``str.isalnum`` counts them, and ``_``) plus combining
marks (categories Mn, Mc, Me, so decomposed "Mu\u0308ller" stays one word) --
or any single other non-whitespace character. So ``Knie-OP,`` is the three
words ``Knie``, ``-``, ``OP`` plus ``,``. Every word is tokenized on its own
(Metaspace adds the leading "▁"), and the model's label for a word is read at
its first piece that is not a bare "▁".

Rust equivalent: a word char is ``c.is_alphanumeric() || c == '_' ||
unicode_normalization::char::is_combining_mark(c)``; any other
char that is not ``c.is_whitespace()`` is a one-char word. (Python and Rust
disagree only on a few exotic code points.) Offsets are code points.
"""
import re
import sys
import unicodedata


def _mark_class() -> str:
    ranges, start, prev = [], None, None
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            if start is None:
                start = cp
            prev = cp
        elif start is not None:
            ranges.append((start, prev))
            start = None
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_MARKS = _mark_class()
WORD_RE = re.compile(rf"[\w{_MARKS}]+|[^\w\s{_MARKS}]")


def split_words(text: str):
    """Return [(word, start, end)] with code point offsets into text."""
    return [(mt.group(0), mt.start(), mt.end()) for mt in WORD_RE.finditer(text)]
