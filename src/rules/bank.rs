//! Detector for IBAN, CREDIT_CARD (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for IBAN, CREDIT_CARD.
#[derive(Debug, Default)]
pub(crate) struct Bank {}

impl Bank {
    pub(crate) fn new() -> Self {
        Bank {}
    }
}

impl Detector for Bank {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
