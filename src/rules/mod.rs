//! Deterministic detectors: one file per detector family, lexicons as data
//! files. Rules know nothing about models, fusion, policy or servers; they
//! only turn text into [`Hit`]s (byte spans on char boundaries, possibly
//! overlapping — fusion resolves overlaps).

use crate::types::Hit;

/// Every rule family, compiled once and shared between threads.
#[derive(Debug)]
pub struct RuleSet {}

impl RuleSet {
    /// Compile all rules and embedded lexicons.
    pub fn new() -> Self {
        RuleSet {}
    }

    /// All raw hits of every rule family, in no particular order.
    pub fn detect(&self, _text: &str) -> Vec<Hit> {
        Vec::new()
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::new()
    }
}
