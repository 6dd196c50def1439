//! Detector for DATE (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for DATE.
#[derive(Debug, Default)]
pub(crate) struct Dates {}

impl Dates {
    pub(crate) fn new() -> Self {
        Dates {}
    }
}

impl Detector for Dates {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
