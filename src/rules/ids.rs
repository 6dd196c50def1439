//! Detector for ID_NUMBER (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for ID_NUMBER.
#[derive(Debug, Default)]
pub(crate) struct Ids {}

impl Ids {
    pub(crate) fn new() -> Self {
        Ids {}
    }
}

impl Detector for Ids {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
