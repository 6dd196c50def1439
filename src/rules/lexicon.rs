//! Lexicon loading (stub: to be filled in).
