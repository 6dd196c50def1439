//! Detector for HEALTH, SPECIAL_CATEGORY (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for HEALTH, SPECIAL_CATEGORY.
#[derive(Debug, Default)]
pub(crate) struct Art9 {}

impl Art9 {
    pub(crate) fn new() -> Self {
        Art9 {}
    }
}

impl Detector for Art9 {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
