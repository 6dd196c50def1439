//! Corpus labels → SPEC labels: the built-in presets (`germeval`, `legal`,
//! `europarl`, `generic`) and user mapping files.
//!
//! A corpus label maps to one SPEC [`Label`] or to [`Target::Ignore`]. Gold
//! spans with an ignored label neither reward nor penalise a prediction that
//! hits them (see [`crate::eval::metrics`]). A label that is neither in the
//! map nor a SPEC label is *unmapped*: its spans are treated like ignored
//! ones and the report lists it, so a missing mapping is visible instead of
//! silently counting as a miss.
//!
//! SPEC labels (`PERSON`, `EMAIL`, …) always map to themselves unless the map
//! says otherwise, so gold files written in SPEC labels need no mapping.
//!
//! # GermEval 2014 derivations and parts
//!
//! GermEval marks words *derived* from a name (`deutschen` → `LOCderiv`) and
//! compounds that merely *contain* one (`EU-Kommission` → `ORGpart`). Neither
//! names an entity itself, so the `germeval` preset maps every `*deriv` and
//! `*part` label to `ignore` explicitly, as it does `OTH` (works of art,
//! events, languages …), which has no SPEC counterpart.
//!
//! # Mapping files
//!
//! ```toml
//! preset = "germeval"      # optional: extend a preset ("none" = start empty)
//! [labels]
//! PER = "PERSON"
//! OTH = "ignore"
//! ```
//!
//! Without `preset` the file extends the preset chosen for each corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::types::Label;

/// Where a corpus label goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Count it as this SPEC label.
    Label(Label),
    /// Neither reward nor penalise predictions on it.
    Ignore,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Label(l) => f.write_str(l.as_str()),
            Target::Ignore => f.write_str("ignore"),
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("ignore") {
            return Ok(Target::Ignore);
        }
        s.parse::<Label>()
            .map(Target::Label)
            .map_err(|e| format!("{e}, or \"ignore\""))
    }
}

/// The built-in presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// GermEval 2014: PER/LOC/ORG, OTH and every `*deriv`/`*part` ignored.
    Germeval,
    /// German legal documents (Leitner et al. 2019), fine-grained labels.
    Legal,
    /// Europarl German NER: PER/LOC/ORG, MISC ignored.
    Europarl,
    /// Common CoNLL labels: PER/LOC/ORG, MISC and OTH ignored.
    Generic,
    /// Nothing but the SPEC labels themselves.
    None,
}

impl Preset {
    /// Every preset, for help texts and errors.
    pub const ALL: [Preset; 5] = [
        Preset::Germeval,
        Preset::Legal,
        Preset::Europarl,
        Preset::Generic,
        Preset::None,
    ];

    /// The preset's name.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Germeval => "germeval",
            Preset::Legal => "legal",
            Preset::Europarl => "europarl",
            Preset::Generic => "generic",
            Preset::None => "none",
        }
    }

    /// A preset by name.
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Choose a preset from a corpus path and format: a file name or parent
    /// folder that mentions `germeval`, `legal`/`ler_` or `europarl` picks
    /// that corpus; otherwise the
    /// `germeval` format picks `germeval` and everything else `generic`.
    pub fn detect(format_is_germeval: bool, path: &Path) -> Preset {
        // Only the file name and its folder, not where the checkout lives.
        let p: String = path
            .components()
            .rev()
            .take(2)
            .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("/");
        if p.contains("germeval") {
            Preset::Germeval
        } else if p.contains("europarl") {
            Preset::Europarl
        } else if p.contains("legal") || p.contains("ler_") {
            Preset::Legal
        } else if format_is_germeval {
            Preset::Germeval
        } else {
            Preset::Generic
        }
    }

    fn entries(self) -> Vec<(&'static str, Target)> {
        use Label::*;
        use Target::Ignore;
        let l = Target::Label;
        match self {
            Preset::Germeval => vec![
                ("PER", l(Person)),
                ("LOC", l(Location)),
                ("ORG", l(Organization)),
                ("OTH", Ignore),
                ("PERderiv", Ignore),
                ("PERpart", Ignore),
                ("LOCderiv", Ignore),
                ("LOCpart", Ignore),
                ("ORGderiv", Ignore),
                ("ORGpart", Ignore),
                ("OTHderiv", Ignore),
                ("OTHpart", Ignore),
            ],
            Preset::Legal => vec![
                ("PER", l(Person)),   // Person
                ("RR", l(Person)),    // Richter (judge)
                ("AN", l(Person)),    // Anwalt (lawyer)
                ("ST", l(Location)),  // Stadt
                ("LD", l(Location)),  // Land
                ("LDS", l(Location)), // Landschaft
                ("STR", l(Address)),  // Straße
                ("ORG", l(Organization)),
                ("UN", l(Organization)),  // Unternehmen
                ("INN", l(Organization)), // Institution
                ("GRT", l(Organization)), // Gericht
                ("MRK", l(Organization)), // Marke
                ("GS", Ignore),           // Gesetz
                ("VO", Ignore),           // Verordnung
                ("EUN", Ignore),          // EU-Norm
                ("VS", Ignore),           // Vorschrift
                ("VT", Ignore),           // Vertrag
                ("RS", Ignore),           // Rechtsprechung
                ("LIT", Ignore),          // Literatur
            ],
            Preset::Europarl => vec![
                ("PER", l(Person)),
                ("LOC", l(Location)),
                ("ORG", l(Organization)),
                ("MISC", Ignore),
            ],
            Preset::Generic => vec![
                ("PER", l(Person)),
                ("LOC", l(Location)),
                ("ORG", l(Organization)),
                ("MISC", Ignore),
                ("OTH", Ignore),
            ],
            Preset::None => Vec::new(),
        }
    }
}

/// A user mapping file (see the module docs).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    /// The preset to extend; `None` extends the per-corpus preset.
    #[serde(default)]
    pub preset: Option<String>,
    /// Corpus label → SPEC label or `"ignore"`.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl MappingFile {
    /// Parse and validate a mapping file's text.
    pub fn parse(src: &str) -> Result<Self, String> {
        let file: MappingFile = toml::from_str(src).map_err(|e| e.to_string())?;
        if let Some(p) = &file.preset {
            if Preset::from_name(p).is_none() {
                return Err(format!(
                    "unknown preset {p:?} (expected one of {})",
                    Preset::ALL.map(|p| p.name()).join(", ")
                ));
            }
        }
        for (k, v) in &file.labels {
            v.parse::<Target>()
                .map_err(|e| format!("label {k:?}: {e}"))?;
        }
        Ok(file)
    }
}

/// A resolved label map for one corpus.
#[derive(Clone, Debug)]
pub struct LabelMap {
    name: String,
    map: BTreeMap<String, Target>,
    /// Labels the corpus is known to annotate (see [`LabelMap::annotated`]).
    annotated: BTreeSet<Label>,
}

impl LabelMap {
    /// A built-in preset.
    pub fn preset(p: Preset) -> Self {
        let map: BTreeMap<String, Target> = p
            .entries()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let annotated = match p {
            // Corpus presets describe a known annotation scheme.
            Preset::Germeval | Preset::Legal | Preset::Europarl => targets(&map),
            // A guess says nothing about what a corpus annotates.
            Preset::Generic | Preset::None => BTreeSet::new(),
        };
        LabelMap {
            name: p.name().to_string(),
            map,
            annotated,
        }
    }

    /// `file` on top of its own preset, or on top of `fallback` when the file
    /// names none.
    pub fn with_file(fallback: Preset, file: &MappingFile) -> Self {
        let base = file
            .preset
            .as_deref()
            .and_then(Preset::from_name)
            .unwrap_or(fallback);
        let mut m = LabelMap::preset(base);
        m.name = format!("{} + mapping file", base.name());
        for (k, v) in &file.labels {
            if let Ok(t) = v.parse::<Target>() {
                m.map.insert(k.clone(), t);
                if let Target::Label(l) = t {
                    m.annotated.insert(l);
                }
            }
        }
        // A remapped corpus label may no longer produce its old target.
        let now = targets(&m.map);
        m.annotated.retain(|l| now.contains(l));
        m
    }

    /// A short description, e.g. `germeval` or `germeval + mapping file`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where `label` goes: the map first, then SPEC labels to themselves;
    /// `None` for an unmapped label.
    pub fn resolve(&self, label: &str) -> Option<Target> {
        if let Some(t) = self.map.get(label) {
            return Some(*t);
        }
        label.parse::<Label>().ok().map(Target::Label)
    }

    /// The SPEC labels this map can produce from corpus labels.
    pub fn targets(&self) -> BTreeSet<Label> {
        targets(&self.map)
    }

    /// The SPEC labels the corpus is known to annotate even where a sample
    /// has none: the targets of a corpus preset (germeval, legal, europarl)
    /// and of a mapping file's entries. Empty for the `generic` and `none`
    /// presets, whose corpora are scored on the labels their gold spans use.
    pub fn annotated(&self) -> &BTreeSet<Label> {
        &self.annotated
    }
}

fn targets(map: &BTreeMap<String, Target>) -> BTreeSet<Label> {
    map.values()
        .filter_map(|t| match t {
            Target::Label(l) => Some(*l),
            Target::Ignore => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn germeval_preset_handles_deriv_and_part_explicitly() {
        let m = LabelMap::preset(Preset::Germeval);
        assert_eq!(m.resolve("PER"), Some(Target::Label(Label::Person)));
        assert_eq!(m.resolve("LOC"), Some(Target::Label(Label::Location)));
        assert_eq!(m.resolve("ORG"), Some(Target::Label(Label::Organization)));
        for l in [
            "OTH", "PERderiv", "PERpart", "LOCderiv", "LOCpart", "ORGderiv", "ORGpart", "OTHderiv",
            "OTHpart",
        ] {
            assert_eq!(m.resolve(l), Some(Target::Ignore), "{l}");
        }
        assert_eq!(m.resolve("EMAIL"), Some(Target::Label(Label::Email)));
        assert_eq!(m.resolve("FOO"), None);
        assert_eq!(
            m.targets().into_iter().collect::<Vec<_>>(),
            vec![Label::Person, Label::Organization, Label::Location]
        );
    }

    #[test]
    fn legal_and_europarl_presets() {
        let m = LabelMap::preset(Preset::Legal);
        assert_eq!(m.resolve("RR"), Some(Target::Label(Label::Person)));
        assert_eq!(m.resolve("STR"), Some(Target::Label(Label::Address)));
        assert_eq!(m.resolve("GRT"), Some(Target::Label(Label::Organization)));
        assert_eq!(m.resolve("LDS"), Some(Target::Label(Label::Location)));
        assert_eq!(m.resolve("LIT"), Some(Target::Ignore));
        assert!(m.targets().contains(&Label::Address));
        let e = LabelMap::preset(Preset::Europarl);
        assert_eq!(e.resolve("MISC"), Some(Target::Ignore));
        assert_eq!(e.resolve("PER"), Some(Target::Label(Label::Person)));
    }

    #[test]
    fn preset_detection_from_path() {
        assert_eq!(
            Preset::detect(false, Path::new("data/ner/legal/ler_dev.conll")),
            Preset::Legal
        );
        assert_eq!(
            Preset::detect(false, Path::new("x/europarl/dev.tsv")),
            Preset::Europarl
        );
        assert_eq!(
            Preset::detect(false, Path::new("x/germeval2014/dev.jsonl")),
            Preset::Germeval
        );
        assert_eq!(Preset::detect(true, Path::new("a.tsv")), Preset::Germeval);
        assert_eq!(Preset::detect(false, Path::new("a.tsv")), Preset::Generic);
        assert_eq!(
            Preset::detect(false, Path::new("/home/germeval/work/gold/x.jsonl")),
            Preset::Generic,
            "folders above the parent do not count"
        );
    }

    #[test]
    fn mapping_file_extends_a_preset() {
        let f = MappingFile::parse(
            "preset = \"germeval\"\n[labels]\nOTH = \"ORGANIZATION\"\nKUNDE = \"id_number\"\nPER = \"ignore\"\n",
        )
        .unwrap();
        let m = LabelMap::with_file(Preset::Generic, &f);
        assert_eq!(m.name(), "germeval + mapping file");
        assert_eq!(m.resolve("OTH"), Some(Target::Label(Label::Organization)));
        assert_eq!(m.resolve("KUNDE"), Some(Target::Label(Label::IdNumber)));
        assert_eq!(m.resolve("PER"), Some(Target::Ignore));
        assert_eq!(m.resolve("LOCderiv"), Some(Target::Ignore));
        assert!(m.annotated().contains(&Label::IdNumber));
        assert!(!m.annotated().contains(&Label::Person));
        assert!(LabelMap::preset(Preset::Generic).annotated().is_empty());
    }

    #[test]
    fn mapping_file_errors_are_precise() {
        assert!(MappingFile::parse("[labels]\nPER = \"NAME\"\n")
            .unwrap_err()
            .contains("PER"));
        assert!(MappingFile::parse("preset = \"conll\"\n")
            .unwrap_err()
            .contains("unknown preset"));
        assert!(MappingFile::parse("colour = 1\n").is_err());
        // Without a preset the file extends the corpus' own preset.
        let f = MappingFile::parse("[labels]\nMISC = \"ORGANIZATION\"\n").unwrap();
        let m = LabelMap::with_file(Preset::Europarl, &f);
        assert_eq!(m.resolve("MISC"), Some(Target::Label(Label::Organization)));
        assert_eq!(m.resolve("PER"), Some(Target::Label(Label::Person)));
    }
}
