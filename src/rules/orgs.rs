//! Detector for ORGANIZATION, LOCATION (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for ORGANIZATION, LOCATION.
#[derive(Debug, Default)]
pub(crate) struct Orgs {}

impl Orgs {
    pub(crate) fn new() -> Self {
        Orgs {}
    }
}

impl Detector for Orgs {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
