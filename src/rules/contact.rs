//! Detector for EMAIL, URL, IP_ADDRESS, PHONE (stub: to be filled in).

use super::Detector;
use crate::types::Hit;

/// Detector for EMAIL, URL, IP_ADDRESS, PHONE.
#[derive(Debug, Default)]
pub(crate) struct Contact {}

impl Contact {
    pub(crate) fn new() -> Self {
        Contact {}
    }
}

impl Detector for Contact {
    fn detect(&self, _text: &str, _out: &mut Vec<Hit>) {}
}
