//! The SPEC's JSON line format: wire structs and the line loop.
