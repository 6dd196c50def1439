//! Detector for PERSON (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for PERSON.
#[derive(Debug, Default)]
pub(crate) struct Names {}

impl Names {
    pub(crate) fn new() -> Self {
        Names {}
    }
}

impl Detector for Names {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
