//! The synchronous engine: rules + model → fusion → verdict → redaction.
//!
//! An [`Analyzer`] is built once (rules compiled, model loaded, policy
//! parsed) and shared; [`Analyzer::analyze_batch`] runs the model over many
//! texts in one forward pass. Servers call it from one worker thread; the CLI
//! calls it directly. It logs nothing but sizes, counts and timings.

use std::collections::BTreeSet;

use crate::error::Error;
use crate::fuse::fuse;
use crate::model::{ModelInfo, NerModel};
use crate::policy::{Policy, Verdict};
use crate::redact::{redact, RedactMode, Redaction};
use crate::rules::RuleSet;
use crate::types::{Entity, Hit, HitKind, Label, Span};

/// Labels where a lexicon hit needs the model's agreement when a model runs.
/// Only names: given names and surnames are also words ("Koch", "Rose").
/// The organisation and place lists are curated (ambiguous words left out or
/// gated by a preposition) and name what the model often misses — parties,
/// newspapers, rivers, regions — so their hits stand on their own, and the
/// model still wins wherever it tags the same text (see `fuse`).
const MODEL_DECIDES: [Label; 1] = [Label::Person];

/// Default maximum input size: 1 MiB of UTF-8.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;

/// Per-call switches.
#[derive(Clone, Debug)]
pub struct AnalyzeOptions {
    /// Run the deterministic rules and lexicons.
    pub rules: bool,
    /// Run the NER model (ignored when none is loaded).
    pub model: bool,
    /// Report only these labels (all when `None`).
    pub labels: Option<BTreeSet<Label>>,
    /// How to redact.
    pub mode: RedactMode,
    /// A policy that replaces the analyzer's own for this call.
    pub policy: Option<Policy>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            rules: true,
            model: true,
            labels: None,
            mode: RedactMode::Placeholder,
            policy: None,
        }
    }
}

/// The result of analysing one text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Sorted, non-overlapping entities (byte spans into the input).
    pub entities: Vec<Entity>,
    /// Colour and reasons.
    pub verdict: Verdict,
    /// Redacted text and the mapping to restore it.
    pub redaction: Redaction,
}

/// Rules, an optional model and a policy, ready to analyse texts.
#[derive(Debug)]
pub struct Analyzer {
    rules: RuleSet,
    model: Option<NerModel>,
    policy: Policy,
    max_text_bytes: usize,
}

impl Analyzer {
    /// Assemble an analyzer. Without a model it runs on rules alone.
    pub fn new(rules: RuleSet, model: Option<NerModel>, policy: Policy) -> Self {
        Analyzer {
            rules,
            model,
            policy,
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
        }
    }

    /// Rules only, default policy: cheap, used by tests and `--rules-only`.
    pub fn rules_only() -> Self {
        Self::new(RuleSet::new(), None, Policy::default())
    }

    /// Change the maximum input size in bytes.
    pub fn with_max_text_bytes(mut self, max: usize) -> Self {
        self.max_text_bytes = max;
        self
    }

    /// The maximum input size in bytes.
    pub fn max_text_bytes(&self) -> usize {
        self.max_text_bytes
    }

    /// The loaded model's description, if any.
    pub fn model_info(&self) -> Option<&ModelInfo> {
        self.model.as_ref().map(|m| m.info())
    }

    /// True when a model is loaded.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Analyse one text.
    pub fn analyze(&self, text: &str, opts: &AnalyzeOptions) -> Result<Analysis, Error> {
        self.analyze_batch(&[text], opts)
            .pop()
            .unwrap_or_else(|| unreachable!("one result per input. This is a bug."))
    }

    /// Analyse several texts; the model sees them in one batched pass.
    /// Results come back in input order; one bad text fails only itself.
    pub fn analyze_batch(
        &self,
        texts: &[&str],
        opts: &AnalyzeOptions,
    ) -> Vec<Result<Analysis, Error>> {
        let started = std::time::Instant::now();
        let mut results: Vec<Option<Result<Analysis, Error>>> = texts
            .iter()
            .map(|t| {
                (t.len() > self.max_text_bytes).then_some(Err(Error::TextTooLarge {
                    len: t.len(),
                    max: self.max_text_bytes,
                }))
            })
            .collect();
        let ok: Vec<usize> = (0..texts.len()).filter(|&i| results[i].is_none()).collect();
        let ok_texts: Vec<&str> = ok.iter().map(|&i| texts[i]).collect();

        let model_hits: Option<Vec<Vec<Hit>>> = match (&self.model, opts.model) {
            (Some(m), true) if !ok_texts.is_empty() => match m.predict(&ok_texts) {
                Ok(h) => Some(h),
                Err(e) => {
                    // The model failed for the whole batch: report it per text.
                    let msg = e.to_string();
                    for &i in &ok {
                        results[i] = Some(Err(Error::Model(crate::model::ModelError::Other(
                            msg.clone(),
                        ))));
                    }
                    return results.into_iter().flatten().collect();
                }
            },
            _ => None,
        };

        let policy = opts.policy.as_ref().unwrap_or(&self.policy);
        let mut n_entities = 0;
        for (k, &i) in ok.iter().enumerate() {
            let text = texts[i];
            let mut hits = if opts.rules {
                self.rules.detect(text)
            } else {
                Vec::new()
            };
            if let Some(mh) = &model_hits {
                let model = mh.get(k).map(Vec::as_slice).unwrap_or_default();
                let model = outside_curated_names(text, &hits, model);
                let model = split_at_list_names(
                    text,
                    &hits,
                    &cut_at_genitives(&self.rules.genitive_names(text), model),
                );
                // The model beats the name lexicons, also when it says
                // "nobody": a name list hit the model does not confirm is
                // dropped. Art. 9 lexicons stay (a missed diagnosis costs
                // more than a false one).
                hits.retain(|h| {
                    h.kind != HitKind::Lexicon
                        || !MODEL_DECIDES.contains(&h.label)
                        || model.iter().any(|m| m.span.overlaps(&h.span))
                });
                hits.extend(model);
            }
            if opts.rules {
                // A column header outranks every reader: under "Tarif" or
                // "Produkt" no cell is a person ("Familie Plus"), and the
                // header "Diagnose" itself is no diagnosis.
                let vetoes = self.rules.table_vetoes(text);
                hits.retain(|h| {
                    !inside_any(&vetoes.headers, &h.span)
                        && (h.label != Label::Person || !inside_any(&vetoes.no_person, &h.span))
                });
            }
            if opts.rules {
                hits.extend(repeated_names(text, &hits));
            }
            if let Some(want) = &opts.labels {
                hits.retain(|h| want.contains(&h.label));
            }
            let entities = fuse_about_people(text, hits, policy);
            n_entities += entities.len();
            let verdict = policy.verdict(text, &entities);
            let redaction = redact(text, &entities, opts.mode);
            results[i] = Some(Ok(Analysis {
                entities,
                verdict,
                redaction,
            }));
        }
        tracing::debug!(
            texts = texts.len(),
            bytes = texts.iter().map(|t| t.len()).sum::<usize>(),
            entities = n_entities,
            model = model_hits.is_some(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "analyzed batch"
        );
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| unreachable!("every input got a result. This is a bug.")))
            .collect()
    }
}

/// Words before which a capitalised word is a noun, not a name ("der
/// Vogel", "einen Koch", "unser Koch").
const DETERMINERS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "kein", "keine", "keinen", "jeder", "jede", "jedes", "dieser", "diese", "dieses", "diesen",
    "mein", "meine", "meinen", "meinem", "meiner", "dein", "deine", "sein", "seine", "seinen",
    "seinem", "seiner", "ihr", "ihre", "ihren", "ihrem", "ihrer", "unser", "unsere", "unseren",
    "unserem", "unserer", "euer", "eure", "welcher", "welche", "welches",
];

/// At most this many distinct names are looked for again in one text.
const MAX_REPEATED_NAMES: usize = 64;

/// Score of a name found again (a weak hit: it only fills a gap).
const SCORE_REPEATED_NAME: f32 = 0.7;

/// A name that a text already gives a person stands for that person
/// wherever else it appears alone: the last word of every PERSON hit
/// ("Anna Vogel" → "Vogel"), also in the genitive ("Vogels Vertrag",
/// "Weiß' Vertrag"), capitalised as written, as a whole word, covered by no
/// other hit and after no article ("der Vogel" is the bird). Without this,
/// redacting "Anna Vogel" would leave "Vogels" in the text.
fn repeated_names(text: &str, hits: &[Hit]) -> Vec<Hit> {
    let mut names: Vec<&str> = hits
        .iter()
        .filter(|h| h.label == Label::Person)
        .filter_map(|h| text.get(h.span.start..h.span.end))
        .filter_map(|name| name.rsplit([' ', '\n', '\t']).next())
        .filter(|w| {
            w.chars().count() >= 3
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-')
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names.truncate(MAX_REPEATED_NAMES);
    if names.is_empty() {
        return Vec::new();
    }
    // Spans sorted by start with the running maximum of their ends: a span
    // overlaps one of them iff some span starting before its end reaches
    // past its start.
    let mut taken: Vec<Span> = hits.iter().map(|h| h.span).collect();
    taken.sort_unstable();
    let reach: Vec<usize> = taken
        .iter()
        .scan(0, |max, s| {
            *max = (*max).max(s.end);
            Some(*max)
        })
        .collect();
    let covered = |span: &Span| {
        let k = taken.partition_point(|s| s.start < span.end);
        k > 0 && reach[k - 1] > span.start
    };
    // Whole words never overlap each other, so the names found need no
    // check against one another.
    let mut found: Vec<Hit> = Vec::new();
    for name in names {
        for (at, _) in text.match_indices(name) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let rest = &text[at + name.len()..];
            let tail = match rest.chars().next() {
                Some('s') if !name.ends_with(['s', 'x', 'z', 'ß']) => 1,
                Some('\'') if name.ends_with(['s', 'x', 'z', 'ß']) => 1,
                _ => 0,
            };
            if rest[tail..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '-')
            {
                continue;
            }
            let span = Span::new(at, at + name.len() + tail);
            let previous = text[..at].trim_end().rsplit(char::is_whitespace).next();
            if previous.is_some_and(|w| DETERMINERS.contains(&w.to_lowercase().as_str()))
                || covered(&span)
            {
                continue;
            }
            found.push(Hit::new(
                span.start,
                span.end,
                Label::Person,
                SCORE_REPEATED_NAME,
                HitKind::Lexicon,
            ));
        }
    }
    found
}

/// Whether `span` lies inside one of `cells` (sorted by start, disjoint):
/// only the last cell starting at or before it can hold it.
fn inside_any(cells: &[Span], span: &Span) -> bool {
    let i = cells.partition_point(|c| c.start <= span.start);
    i > 0 && cells[i - 1].contains(span)
}

/// Model hits, less those that lie inside a longer curated organisation or
/// place name of another label: the list entry is the more specific reading
/// ("Mainz 05", "Hannover 96": a club, not the city). A curated
/// organisation also beats a model person of the same extent ("Carl
/// Zeiss", "Galatasaray") or health term ("Mein Dyson lädt nicht"); a place
/// does not ("Sofia", "Hagen" are names too). A brand is no person with the
/// word after it either: a model person that is a curated organisation plus
/// one more word ("Rowenta Bügeleisen") or the one word right after it
/// ("Miele Staubsauger") goes, unless a name rule knows that word ("Nike
/// Müller", "Bilfinger Berger"). The name rules still find "Frau Bosch" or
/// "Anna Bosch": their pattern hits outrank the list in fusion.
fn outside_curated_names(text: &str, rule_hits: &[Hit], model: &[Hit]) -> Vec<Hit> {
    let curated: Vec<&Hit> = rule_hits
        .iter()
        .filter(|h| {
            h.kind == HitKind::Lexicon && matches!(h.label, Label::Organization | Label::Location)
        })
        .collect();
    // One word after a single space, nothing else: "␣Bügeleisen"; and no
    // name a name rule knows ("Nike Müller" is a person).
    let one_word = |a: usize, b: usize| {
        let word = text
            .get(a..b.max(a))
            .and_then(|t| t.strip_prefix(' '))
            .is_some_and(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric));
        word && !rule_hits
            .iter()
            .any(|h| h.label == Label::Person && h.span.overlaps(&Span::new(a + 1, b)))
    };
    model
        .iter()
        .filter(|m| {
            !curated.iter().any(|c| {
                let brand = c.label == Label::Organization && m.label == Label::Person;
                let inside = c.label != m.label
                    && c.span.contains(&m.span)
                    && (c.span.len() > m.span.len()
                        || brand
                        || c.label == Label::Organization && m.label == Label::Health);
                let brand_and_word = brand
                    && (c.span.start == m.span.start || m.span.start == c.span.end + 1)
                    && one_word(c.span.end, m.span.end);
                inside || brand_and_word
            })
        })
        .cloned()
        .collect()
}

/// Model PERSON hits cut after a famous surname in the genitive that starts
/// where they start ([`RuleSet::genitive_names`]): the genitive ends the
/// name ("Heines Versepos", which the model reads as one person, is "Heines"
/// and a poem).
fn cut_at_genitives(genitives: &[Span], mut model: Vec<Hit>) -> Vec<Hit> {
    for m in model.iter_mut().filter(|m| m.label == Label::Person) {
        if let Some(g) = genitives
            .iter()
            .find(|g| g.start == m.span.start && g.end < m.span.end)
        {
            m.span.end = g.end;
        }
    }
    model
}

/// Model PERSON hits that the name rules read as two or more full names
/// one after the other ("Nico Schlotterbeck Jamal Musiala" after "nachdem"),
/// split at the rules' borders: each rule name has two or more words, they
/// tile the model span with only spaces between them. Everything else is
/// returned unchanged.
fn split_at_list_names(text: &str, rule_hits: &[Hit], model: &[Hit]) -> Vec<Hit> {
    let mut out = Vec::with_capacity(model.len());
    for m in model {
        if m.label != Label::Person {
            out.push(m.clone());
            continue;
        }
        let mut parts: Vec<&Hit> = rule_hits
            .iter()
            .filter(|h| {
                h.label == Label::Person
                    && m.span.contains(&h.span)
                    && text
                        .get(h.span.start..h.span.end)
                        .is_some_and(|t| t.trim().contains(' '))
            })
            .collect();
        parts.sort_by_key(|h| (h.span.start, h.span.end));
        let tiles = parts.len() >= 2
            && parts.first().is_some_and(|h| h.span.start == m.span.start)
            && parts.last().is_some_and(|h| h.span.end == m.span.end)
            && parts.windows(2).all(|w| {
                w[0].span.end < w[1].span.start
                    && text
                        .get(w[0].span.end..w[1].span.start)
                        .is_some_and(|gap| gap.chars().all(|c| c == ' '))
            });
        if tiles {
            out.extend(parts.iter().map(|p| Hit {
                span: p.span,
                ..m.clone()
            }));
        } else {
            out.push(m.clone());
        }
    }
    out
}

/// Fuse hits, then drop Art. 9 terms that concern nobody: they are not
/// personal data. What such a term covered is fused again without it, so a
/// party or union named in a general statement ("Die CDU lehnt ab") stays an
/// organisation.
fn fuse_about_people(text: &str, mut hits: Vec<Hit>, policy: &Policy) -> Vec<Entity> {
    if !hits.iter().any(|h| h.label.is_art9()) {
        return fuse(hits);
    }
    let fused = fuse(hits.clone());
    let unrelated: Vec<Span> = policy
        .about_nobody(text, &fused)
        .into_iter()
        .map(|e| e.span)
        .collect();
    if unrelated.is_empty() {
        return fused;
    }
    // Fused entities are sorted and disjoint: the one that can overlap a
    // hit is the last one starting before the hit ends.
    let overlaps_unrelated = |h: &Hit| {
        let k = unrelated.partition_point(|u| u.start < h.span.end);
        k > 0 && unrelated[k - 1].overlaps(&h.span)
    };
    hits.retain(|h| !(h.label.is_art9() && overlaps_unrelated(h)));
    fuse(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Ampel;

    fn labels(a: &Analysis, text: &str) -> Vec<(String, Label)> {
        a.entities
            .iter()
            .map(|e| (text[e.span.start..e.span.end].to_string(), e.label))
            .collect()
    }

    #[test]
    fn a_name_found_once_is_found_again_alone_and_in_the_genitive() {
        let text = "Gestern rief Anna Vogel an. Vogels Vertrag läuft aus, Vogel zieht um. \
                    Der Vogel singt, unser Vogel auch. Vogelhaus, Vogel-Schutz, AVogel. \
                    Herr Weiß schrieb: Weiß' Vertrag, Weißs Brief.";
        // "Anna Vogel" read by the model, "Weiß" after "Herr" by the rules.
        let person = |needle: &str, len: usize, kind: HitKind| {
            let s = text.find(needle).unwrap();
            Hit::new(s, s + len, Label::Person, 0.9, kind)
        };
        let hits = vec![
            person("Anna Vogel", "Anna Vogel".len(), HitKind::Model),
            person("Weiß schrieb", "Weiß".len(), HitKind::Pattern),
        ];
        let found: Vec<&str> = repeated_names(text, &hits)
            .iter()
            .map(|h| &text[h.span.start..h.span.end])
            .collect();
        assert_eq!(found, vec!["Vogels", "Vogel", "Weiß'"]);
        // No person named, no name to look for.
        assert!(repeated_names("Vogel und Koch.", &[]).is_empty());
    }

    #[test]
    fn inside_any_finds_the_holding_cell() {
        let cells = [Span::new(0, 5), Span::new(10, 20), Span::new(30, 31)];
        assert!(inside_any(&cells, &Span::new(10, 20)));
        assert!(inside_any(&cells, &Span::new(12, 15)));
        assert!(inside_any(&cells, &Span::new(0, 1)));
        assert!(!inside_any(&cells, &Span::new(4, 11)));
        assert!(!inside_any(&cells, &Span::new(6, 9)));
        assert!(!inside_any(&cells, &Span::new(25, 40)));
        assert!(!inside_any(&[], &Span::new(0, 1)));
    }

    #[test]
    fn a_column_header_vetoes_persons_in_its_cells() {
        let an = Analyzer::rules_only();
        let opts = AnalyzeOptions::default();
        let persons = |text: &str| -> Vec<String> {
            let a = an.analyze(text, &opts).unwrap();
            labels(&a, text)
                .into_iter()
                .filter(|(_, l)| *l == Label::Person)
                .map(|(t, _)| t)
                .collect()
        };
        // In prose the honorific rule reads "Dr. Oetker" as a person …
        assert_eq!(persons("Ich habe mit Dr. Oetker gesprochen."), ["Oetker"]);
        // … under a "Produkt" header it is a product; the customer column
        // keeps its name.
        let csv = "Kundin;Produkt\nFrau Jana Wolf;Dr. Oetker Pizza\n";
        assert_eq!(persons(csv), ["Jana Wolf"]);
    }

    #[test]
    fn a_known_column_header_is_no_entity() {
        let an = Analyzer::rules_only();
        let opts = AnalyzeOptions::default();
        let text = "Patient;Diagnose;Station\nAnna Weber;Diabetes;3\n";
        let a = an.analyze(text, &opts).unwrap();
        assert_eq!(
            labels(&a, text),
            vec![
                ("Anna Weber".to_string(), Label::Person),
                ("Diabetes".to_string(), Label::Health)
            ]
        );
        assert_eq!(
            a.redaction.text,
            "Patient;Diagnose;Station\n[PERSON_1];[HEALTH_1];3\n"
        );
        assert_eq!(a.verdict.ampel, Ampel::Red);
    }

    #[test]
    fn an_art9_term_about_nobody_falls_back_to_what_else_it_is() {
        let an = Analyzer::rules_only();
        let opts = AnalyzeOptions::default();
        // A party in a news sentence: an organisation, not political data.
        let text = "Die CDU lehnt den Antrag ab.";
        let a = an.analyze(text, &opts).unwrap();
        assert_eq!(
            labels(&a, text),
            vec![("CDU".to_string(), Label::Organization)]
        );
        assert_eq!(a.verdict.ampel, Ampel::Green);
        // About a named person it is Art. 9 data.
        let text = "Herr Weber ist Mitglied der CDU.";
        let a = an.analyze(text, &opts).unwrap();
        assert!(labels(&a, text).contains(&("CDU".to_string(), Label::SpecialCategory)));
        assert_eq!(a.verdict.ampel, Ampel::Red);
    }

    #[test]
    fn a_longer_curated_name_beats_a_model_entity_inside_it() {
        let club = Hit::new(0, 8, Label::Organization, 0.75, HitKind::Lexicon);
        let city = Hit::new(0, 5, Label::Location, 0.9, HitKind::Model);
        let same = Hit::new(0, 5, Label::Organization, 0.9, HitKind::Model);
        let wider = Hit::new(0, 12, Label::Person, 0.9, HitKind::Model);
        let name = Hit::new(0, 8, Label::Person, 0.6, HitKind::Lexicon);
        // "Mainz 05": the city inside the club goes; same label, wider or
        // equal spans stay, and name lists do not take part.
        let kept = outside_curated_names(
            "Mainz 05 xy",
            std::slice::from_ref(&club),
            &[city.clone(), same.clone(), wider.clone()],
        );
        assert_eq!(kept, vec![same, wider]);
        assert_eq!(
            outside_curated_names("Mainz 05 xy", &[name], std::slice::from_ref(&city)),
            vec![city]
        );
        // A curated organisation beats a model person of the same extent
        // ("Carl Zeiss"), a curated place does not ("Sofia").
        let person = Hit::new(0, 8, Label::Person, 0.9, HitKind::Model);
        assert!(outside_curated_names(
            "Mainz 05 xy",
            std::slice::from_ref(&club),
            std::slice::from_ref(&person)
        )
        .is_empty());
        let place = Hit::new(0, 8, Label::Location, 0.7, HitKind::Lexicon);
        assert_eq!(
            outside_curated_names("Mainz 05 xy", &[place], std::slice::from_ref(&person)),
            vec![person]
        );
    }

    #[test]
    fn a_brand_is_no_person_with_the_word_after_it() {
        let text =
            "Mein Rowenta Bügeleisen, der Miele Staubsauger, Anna Miele, Miele Staubsauger Anna";
        let span = |s: &str, nth: usize| {
            let a = text.match_indices(s).nth(nth).map_or(0, |(a, _)| a);
            Span::new(a, a + s.len())
        };
        let org = |s: &str, nth| Hit {
            span: span(s, nth),
            ..Hit::new(0, 0, Label::Organization, 0.75, HitKind::Lexicon)
        };
        let person = |s: &str, nth| Hit {
            span: span(s, nth),
            ..Hit::new(0, 0, Label::Person, 0.9, HitKind::Model)
        };
        let rules = [
            org("Rowenta", 0),
            org("Miele", 0),
            org("Miele", 1),
            org("Miele", 2),
        ];
        let dropped = [
            person("Rowenta Bügeleisen", 0),
            person("Staubsauger", 0),
            person("Miele", 0),
        ];
        for m in dropped {
            assert!(
                outside_curated_names(text, &rules, std::slice::from_ref(&m)).is_empty(),
                "{m:?}"
            );
        }
        // The brand at the end of a name, or with more than one word after it.
        let kept = [person("Anna Miele", 0), person("Miele Staubsauger Anna", 0)];
        assert_eq!(outside_curated_names(text, &rules, &kept), kept.to_vec());
        // A word after the brand that a name rule reads as a name.
        let text = "Nike Müller hat angerufen";
        let rules = [
            Hit::new(0, 4, Label::Organization, 0.75, HitKind::Lexicon),
            Hit::new(5, 12, Label::Person, 0.5, HitKind::Lexicon),
        ];
        let kept = [Hit::new(0, 12, Label::Person, 0.9, HitKind::Model)];
        assert_eq!(outside_curated_names(text, &rules, &kept), kept.to_vec());
    }

    #[test]
    fn a_genitive_ends_the_model_name() {
        let text = "Heines Versepos und Andreas Meier";
        let genitives = crate::rules::shared_for_tests().genitive_names(text);
        assert_eq!(genitives, vec![Span::new(0, 6)]);
        let model = |a, b| Hit::new(a, b, Label::Person, 0.9, HitKind::Model);
        let cut = cut_at_genitives(&genitives, vec![model(0, 15), model(20, 33)]);
        assert_eq!(cut, vec![model(0, 6), model(20, 33)]);
    }

    #[test]
    fn a_model_name_is_split_where_the_name_rules_see_two_people() {
        let text = "nachdem Nico Schlotterbeck Jamal Musiala gelegt hatte";
        let span = |s: &str| {
            let a = text.find(s).unwrap_or(0);
            Span::new(a, a + s.len())
        };
        let model = Hit {
            span: span("Nico Schlotterbeck Jamal Musiala"),
            ..Hit::new(0, 0, Label::Person, 0.99, HitKind::Model)
        };
        let rule = |s: &str| Hit {
            span: span(s),
            ..Hit::new(0, 0, Label::Person, 0.8, HitKind::Lexicon)
        };
        let two = [rule("Nico Schlotterbeck"), rule("Jamal Musiala")];
        let got: Vec<Span> = split_at_list_names(text, &two, std::slice::from_ref(&model))
            .iter()
            .map(|h| h.span)
            .collect();
        assert_eq!(got, [span("Nico Schlotterbeck"), span("Jamal Musiala")]);
        assert!(
            split_at_list_names(text, &two, std::slice::from_ref(&model))
                .iter()
                .all(|h| h.kind == HitKind::Model && h.score == 0.99)
        );
        // One rule name, or names that do not tile the span: unchanged.
        let one = [rule("Nico Schlotterbeck")];
        assert_eq!(
            split_at_list_names(text, &one, std::slice::from_ref(&model)),
            vec![model.clone()]
        );
        let gap = [rule("Nico Schlotterbeck"), rule("Musiala")];
        assert_eq!(
            split_at_list_names(text, &gap, std::slice::from_ref(&model)),
            vec![model]
        );
    }
}
