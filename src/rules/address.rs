//! Detector for ADDRESS (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for ADDRESS.
#[derive(Debug, Default)]
pub(crate) struct Address {}

impl Address {
    pub(crate) fn new() -> Self {
        Address {}
    }
}

impl Detector for Address {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
