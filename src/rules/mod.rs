//! Deterministic detectors: one file per detector family, lexicons as data
//! files under `lexicons/`. Rules know nothing about models, fusion, policy
//! or servers; they only turn text into [`Hit`]s (byte spans on char
//! boundaries, possibly overlapping — fusion resolves overlaps).
//!
//! | file | labels |
//! |---|---|
//! | `contact.rs` | EMAIL, URL (with scheme, `www.` or a bare domain), IP_ADDRESS, PHONE |
//! | `bank.rs` | IBAN, CREDIT_CARD |
//! | `ids.rs` | ID_NUMBER (keyword-led numbers, checksummed German IDs, plates) |
//! | `dates.rs` | DATE |
//! | `address.rs` | ADDRESS (street + number, PLZ + city) |
//! | `names.rs` | PERSON (honorifics, greetings, signatures, given-name lexicon) |
//! | `famous.rs` | PERSON (famous surnames in the genitive: "Bismarcks Politik") |
//! | `orgs.rs` | ORGANIZATION (legal forms, known names, newspapers), LOCATION (place lexicon) |
//! | `art9.rs` | HEALTH, SPECIAL_CATEGORY (lexicons with inflections, compounds) |
//! | `fields.rs` | HEALTH, SPECIAL_CATEGORY values of labelled fields and table columns (`Konfession: rk`); the cells of columns that hold no person |
//! | `checksum.rs` | pure validators: mod-97, Luhn, Steuer-ID, … |
//! | `lexicon.rs` | loading `lexicons/*.txt` into Aho-Corasick automata |

use std::fmt::Debug;
use std::sync::Arc;

use crate::types::{Hit, Span};

mod address;
mod art9;
mod bank;
pub mod checksum;
mod contact;
mod dates;
mod famous;
mod fields;
pub(crate) use fields::field_label;
pub use fields::TableVetoes;
mod ids;
mod lexicon;
mod names;
mod orgs;

/// Where the writer's own signature block begins: the line of the last
/// closing formula ("Mit freundlichen Grüßen"), if there is one.
pub fn signature_start(text: &str) -> Option<usize> {
    names::signature_start(text)
}

/// One detector family.
pub(crate) trait Detector: Send + Sync + Debug {
    /// Short family name (the file name without `.rs`).
    fn name(&self) -> &'static str;

    /// Append every hit found in `text` to `out`.
    fn detect(&self, text: &str, out: &mut Vec<Hit>);

    /// Whether the family reads a capital letter as meaning something (a
    /// name may start here): it then sees shouted lines with their function
    /// words lower-cased ([`crate::casing::quiet_function_words`]).
    fn reads_case(&self) -> bool {
        false
    }
}

/// Every rule family, compiled once and shared between threads.
#[derive(Debug)]
pub struct RuleSet {
    detectors: Vec<Box<dyn Detector>>,
    /// The `famous` family, also among `detectors`, for
    /// [`RuleSet::genitive_names`].
    famous: Arc<famous::Famous>,
}

/// A detector shared between the list of families and a direct caller.
impl<D: Detector> Detector for Arc<D> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        (**self).detect(text, out)
    }

    fn reads_case(&self) -> bool {
        (**self).reads_case()
    }
}

impl RuleSet {
    /// Compile all rules and embedded lexicons.
    pub fn new() -> Self {
        let famous = Arc::new(famous::Famous::new());
        RuleSet {
            detectors: vec![
                Box::new(contact::Contact::new()),
                Box::new(bank::Bank::new()),
                Box::new(ids::Ids::new()),
                Box::new(dates::Dates::new()),
                Box::new(address::Address::new()),
                Box::new(names::Names::new()),
                Box::new(Arc::clone(&famous)),
                Box::new(orgs::Orgs::new()),
                Box::new(art9::Art9::new()),
                Box::new(fields::Fields::new()),
            ],
            famous,
        }
    }

    /// Names of the rule families, in the order they run (`contact`,
    /// `bank`, `ids`, `dates`, `address`, `names`, `famous`, `orgs`, `art9`,
    /// `fields`).
    pub fn families(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    /// Raw hits of one rule family only (for benchmarks and debugging);
    /// `None` for an unknown family name.
    pub fn detect_family(&self, family: &str, text: &str) -> Option<Vec<Hit>> {
        let d = self.detectors.iter().find(|d| d.name() == family)?;
        let mut out = Vec::new();
        let view = if d.reads_case() {
            crate::casing::quiet_function_words(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        d.detect(&view, &mut out);
        Some(out)
    }

    /// What the header rows of the tables in `text` rule out, whoever read
    /// the text: PERSON in cells under `Tarif`, `Produkt`, `PLZ` …, and any
    /// entity in a header cell that names a known column (`Diagnose`).
    pub fn table_vetoes(&self, text: &str) -> TableVetoes {
        fields::table_vetoes(text)
    }

    /// Famous surnames in the genitive ("Bismarcks", "Tsitsipas'"): a name
    /// ends there, whoever read it as longer.
    pub fn genitive_names(&self, text: &str) -> Vec<Span> {
        self.famous.genitives(text)
    }

    /// All raw hits of every rule family, in no particular order. Families
    /// that read letter case see shouted lines with their function words
    /// lower-cased (same offsets).
    pub fn detect(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let view = crate::casing::quiet_function_words(text);
        for d in &self.detectors {
            let input: &str = if d.reads_case() { &view } else { text };
            d.detect(input, &mut out);
        }
        out
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::new()
    }
}

/// One rule set shared by the unit tests (building the automata is slow in
/// debug builds).
#[cfg(test)]
pub(crate) fn shared_for_tests() -> &'static RuleSet {
    static RS: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RS.get_or_init(RuleSet::new)
}
