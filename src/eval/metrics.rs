//! Accuracy metrics of one ablation mode on one corpus, in code points.
//!
//! Every document contributes gold [`Mention`]s (mapped to SPEC labels),
//! *ignored* gold ranges (labels mapped to `ignore`, or unmapped), and
//! predicted [`Mention`]s. From these:
//!
//! * **Evaluated labels.** Only labels the gold data can have are scored
//!   (for GermEval: PERSON, LOCATION, ORGANIZATION). A prediction with any
//!   other label (say DATE or EMAIL on a corpus that never annotates them)
//!   is left out of precision and over-redaction; it still counts for leak
//!   recall, because it still hides the characters it covers.
//! * **Neutral predictions.** A prediction that overlaps an ignored gold
//!   span and no scored gold span neither rewards nor penalises: it is left
//!   out of every precision-like number.
//! * **Strict** P/R/F1: a prediction matches a gold span with the same
//!   start, end and label (one-to-one).
//! * **Overlap** P/R/F1: same label and at least one shared code point; each
//!   gold span matches at most one prediction and vice versa (maximum
//!   bipartite matching per document and label).
//! * **Leak recall**: the share of gold characters (union of scored gold
//!   spans) covered by *any* prediction, whatever its label; per label over
//!   that label's spans. A gold span with no covered character at all is
//!   *fully missed* and listed.
//! * **Over-redaction**: of the characters covered by scored predictions,
//!   the share outside every gold span (ignored ones included).
//! * **Ampel**: accuracy and a 3×3 confusion matrix (rows gold, columns
//!   predicted) over documents whose gold has a verdict.
//!
//! Undefined ratios (0/0) are reported as 0, as scikit-learn and seqeval do
//! with `zero_division=0`. Macro averages are the unweighted mean over the
//! evaluated labels that have gold spans or predictions.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::types::{Ampel, Label};

/// A labelled code point range `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// SPEC label.
    pub label: Label,
}

impl Mention {
    /// Shorthand constructor.
    pub fn new(start: usize, end: usize, label: Label) -> Self {
        Mention { start, end, label }
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// One document as the metrics see it.
#[derive(Clone, Debug, Default)]
pub struct DocInput<'a> {
    /// Document id (for the list of missed spans).
    pub id: &'a str,
    /// The text (for the list of missed spans; never logged).
    pub text: &'a str,
    /// Scored gold spans.
    pub gold: &'a [Mention],
    /// Gold ranges whose label is ignored or unmapped.
    pub ignored: &'a [(usize, usize)],
    /// Predictions (any label).
    pub predicted: &'a [Mention],
    /// Gold verdict, if any.
    pub gold_ampel: Option<Ampel>,
    /// Predicted verdict.
    pub predicted_ampel: Option<Ampel>,
}

/// True/false positive and false negative counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Matched predictions.
    pub tp: usize,
    /// Unmatched (scored) predictions.
    pub fp: usize,
    /// Unmatched gold spans.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Precision, recall and F1 with their counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// The counts they come from.
    #[serde(flatten)]
    pub counts: Counts,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Prf {
    /// From counts.
    pub fn from_counts(c: Counts) -> Self {
        let precision = ratio(c.tp, c.tp + c.fp);
        let recall = ratio(c.tp, c.tp + c.fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            counts: c,
            precision,
            recall,
            f1,
        }
    }
}

/// Unweighted means over labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Macro {
    /// Mean precision.
    pub precision: f64,
    /// Mean recall.
    pub recall: f64,
    /// Mean F1.
    pub f1: f64,
}

/// Span scores of one matching criterion.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpanScores {
    /// Per evaluated label.
    pub per_label: BTreeMap<Label, Prf>,
    /// Pooled counts.
    pub micro: Prf,
    /// Mean over labels.
    #[serde(rename = "macro")]
    pub macro_: Macro,
}

/// Characters of gold personal data covered by predictions.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Leak {
    /// Gold characters (union of scored gold spans).
    pub gold_chars: usize,
    /// Of those, covered by any prediction.
    pub covered_chars: usize,
    /// covered / gold.
    pub recall: f64,
    /// Per label: (gold chars, covered chars, recall).
    pub per_label: BTreeMap<Label, LeakLabel>,
    /// Number of gold spans without a single covered character.
    pub fully_missed: usize,
}

/// Leak recall of one label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LeakLabel {
    /// Gold characters of this label.
    pub gold_chars: usize,
    /// Of those, covered by any prediction.
    pub covered_chars: usize,
    /// covered / gold.
    pub recall: f64,
}

/// Characters redacted without need.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OverRedaction {
    /// Characters covered by scored predictions.
    pub redacted_chars: usize,
    /// Of those, outside every gold span.
    pub outside_gold_chars: usize,
    /// outside / redacted.
    pub rate: f64,
}

/// A gold span that no prediction touched. `text` goes into local report
/// files only, never into logs or the terminal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Missed {
    /// Document id.
    pub doc: String,
    /// Code point offsets.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// SPEC label.
    pub label: Label,
    /// Length in code points.
    pub len: usize,
    /// The gold text.
    pub text: String,
}

/// Verdict accuracy.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AmpelScores {
    /// Documents with a gold verdict and a prediction.
    pub docs: usize,
    /// Of those, predicted right.
    pub correct: usize,
    /// correct / docs.
    pub accuracy: f64,
    /// `confusion[gold][predicted]` in the order GREEN, YELLOW, RED.
    pub confusion: [[usize; 3]; 3],
}

/// How predictions were used.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PredictionUse {
    /// All predictions.
    pub total: usize,
    /// Scored in precision and over-redaction.
    pub scored: usize,
    /// Left out because they only hit ignored gold spans.
    pub neutral: usize,
    /// Left out because the corpus does not annotate their label.
    pub other_labels: BTreeMap<Label, usize>,
}

/// All accuracy numbers of one mode on one corpus.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Exact span matches.
    pub strict: SpanScores,
    /// One-to-one overlapping matches.
    pub overlap: SpanScores,
    /// Leak recall.
    pub leak: Leak,
    /// Over-redaction.
    pub over_redaction: OverRedaction,
    /// Verdict accuracy when the gold has verdicts.
    pub ampel: Option<AmpelScores>,
    /// How predictions were used.
    pub predictions: PredictionUse,
    /// Fully missed gold spans.
    pub missed: Vec<Missed>,
}

/// Collects documents, then [`Accumulator::finish`]es into [`Metrics`].
#[derive(Debug)]
pub struct Accumulator {
    evaluated: BTreeSet<Label>,
    strict: BTreeMap<Label, Counts>,
    overlap: BTreeMap<Label, Counts>,
    leak_gold: BTreeMap<Label, (usize, usize)>,
    gold_chars: usize,
    covered_chars: usize,
    redacted: usize,
    outside: usize,
    ampel: AmpelScores,
    any_ampel: bool,
    use_: PredictionUse,
    missed: Vec<Missed>,
}

fn ampel_index(a: Ampel) -> usize {
    match a {
        Ampel::Green => 0,
        Ampel::Yellow => 1,
        Ampel::Red => 2,
    }
}

/// Mark `[s, e)` in a mask, clamped to its length.
fn mark(mask: &mut [bool], s: usize, e: usize) {
    let e = e.min(mask.len());
    if s < e {
        if let Some(m) = mask.get_mut(s..e) {
            m.fill(true);
        }
    }
}

/// Maximum bipartite matching (Kuhn) between gold `g` and predictions `p`
/// where `adj[i]` lists the predictions gold `i` may match.
fn max_matching(n_pred: usize, adj: &[Vec<usize>]) -> usize {
    fn try_kuhn(
        u: usize,
        adj: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &v in adj.get(u).map(Vec::as_slice).unwrap_or(&[]) {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            if owner[v].is_none_or(|w| try_kuhn(w, adj, seen, owner)) {
                owner[v] = Some(u);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; n_pred];
    let mut matched = 0;
    for u in 0..adj.len() {
        let mut seen = vec![false; n_pred];
        if try_kuhn(u, adj, &mut seen, &mut owner) {
            matched += 1;
        }
    }
    matched
}

impl Accumulator {
    /// Score these labels.
    pub fn new(evaluated: BTreeSet<Label>) -> Self {
        Accumulator {
            evaluated,
            strict: BTreeMap::new(),
            overlap: BTreeMap::new(),
            leak_gold: BTreeMap::new(),
            gold_chars: 0,
            covered_chars: 0,
            redacted: 0,
            outside: 0,
            ampel: AmpelScores::default(),
            any_ampel: false,
            use_: PredictionUse::default(),
            missed: Vec::new(),
        }
    }

    /// Add one document.
    pub fn add(&mut self, d: &DocInput<'_>) {
        let gold: Vec<Mention> = d.gold.iter().copied().filter(|g| g.start < g.end).collect();
        for g in &gold {
            self.evaluated.insert(g.label);
        }
        // Which predictions are scored.
        self.use_.total += d.predicted.len();
        let mut scored: Vec<Mention> = Vec::new();
        for p in d.predicted {
            if !self.evaluated.contains(&p.label) {
                *self.use_.other_labels.entry(p.label).or_default() += 1;
            } else if d.ignored.iter().any(|&(s, e)| p.overlaps(s, e))
                && !gold.iter().any(|g| p.overlaps(g.start, g.end))
            {
                self.use_.neutral += 1;
            } else {
                scored.push(*p);
            }
        }
        self.use_.scored += scored.len();

        // Strict and overlap, per label.
        let labels: BTreeSet<Label> = gold.iter().chain(scored.iter()).map(|m| m.label).collect();
        for l in labels {
            let g: Vec<&Mention> = gold.iter().filter(|m| m.label == l).collect();
            let p: Vec<&Mention> = scored.iter().filter(|m| m.label == l).collect();
            let strict_adj: Vec<Vec<usize>> = g
                .iter()
                .map(|gm| {
                    (0..p.len())
                        .filter(|&j| p[j].start == gm.start && p[j].end == gm.end)
                        .collect()
                })
                .collect();
            let overlap_adj: Vec<Vec<usize>> = g
                .iter()
                .map(|gm| {
                    (0..p.len())
                        .filter(|&j| p[j].overlaps(gm.start, gm.end))
                        .collect()
                })
                .collect();
            for (adj, table) in [
                (strict_adj, &mut self.strict),
                (overlap_adj, &mut self.overlap),
            ] {
                let tp = max_matching(p.len(), &adj);
                table.entry(l).or_default().add(Counts {
                    tp,
                    fp: p.len() - tp,
                    fn_: g.len() - tp,
                });
            }
        }

        // Character masks.
        let n = d.text.chars().count();
        let mut gold_mask = vec![false; n];
        let mut any_gold_mask = vec![false; n];
        let mut pred_mask = vec![false; n];
        let mut scored_mask = vec![false; n];
        for g in &gold {
            mark(&mut gold_mask, g.start, g.end);
            mark(&mut any_gold_mask, g.start, g.end);
        }
        for &(s, e) in d.ignored {
            mark(&mut any_gold_mask, s, e);
        }
        for p in d.predicted {
            mark(&mut pred_mask, p.start, p.end);
        }
        for p in &scored {
            mark(&mut scored_mask, p.start, p.end);
        }
        let count = |f: &dyn Fn(usize) -> bool| (0..n).filter(|&i| f(i)).count();
        self.gold_chars += count(&|i| gold_mask[i]);
        self.covered_chars += count(&|i| gold_mask[i] && pred_mask[i]);
        self.redacted += count(&|i| scored_mask[i]);
        self.outside += count(&|i| scored_mask[i] && !any_gold_mask[i]);

        let mut chars: Option<Vec<char>> = None;
        for g in &gold {
            let (s, e) = (g.start.min(n), g.end.min(n));
            let covered = pred_mask
                .get(s..e)
                .map_or(0, |m| m.iter().filter(|&&b| b).count());
            let entry = self.leak_gold.entry(g.label).or_default();
            entry.0 += e - s;
            entry.1 += covered;
            if covered == 0 {
                let cs = chars.get_or_insert_with(|| d.text.chars().collect());
                self.missed.push(Missed {
                    doc: d.id.to_string(),
                    start: g.start,
                    end: g.end,
                    label: g.label,
                    len: g.end - g.start,
                    text: cs.get(s..e).map(|c| c.iter().collect()).unwrap_or_default(),
                });
            }
        }

        if let Some(ga) = d.gold_ampel {
            self.any_ampel = true;
            if let Some(pa) = d.predicted_ampel {
                self.ampel.docs += 1;
                self.ampel.correct += usize::from(ga == pa);
                self.ampel.confusion[ampel_index(ga)][ampel_index(pa)] += 1;
            }
        }
    }

    fn scores(&self, table: &BTreeMap<Label, Counts>) -> SpanScores {
        let mut per_label = BTreeMap::new();
        let mut micro = Counts::default();
        for l in &self.evaluated {
            let c = table.get(l).copied().unwrap_or_default();
            micro.add(c);
            per_label.insert(*l, Prf::from_counts(c));
        }
        let active: Vec<&Prf> = per_label
            .values()
            .filter(|p| p.counts != Counts::default())
            .collect();
        let mean = |f: &dyn Fn(&Prf) -> f64| {
            if active.is_empty() {
                0.0
            } else {
                active.iter().map(|p| f(p)).sum::<f64>() / active.len() as f64
            }
        };
        SpanScores {
            macro_: Macro {
                precision: mean(&|p| p.precision),
                recall: mean(&|p| p.recall),
                f1: mean(&|p| p.f1),
            },
            per_label,
            micro: Prf::from_counts(micro),
        }
    }

    /// The labels scored so far (the initial set plus every gold label seen).
    pub fn evaluated(&self) -> &BTreeSet<Label> {
        &self.evaluated
    }

    /// Compute the numbers.
    pub fn finish(self) -> Metrics {
        let per_label = self
            .evaluated
            .iter()
            .map(|l| {
                let (g, c) = self.leak_gold.get(l).copied().unwrap_or_default();
                (
                    *l,
                    LeakLabel {
                        gold_chars: g,
                        covered_chars: c,
                        recall: ratio(c, g),
                    },
                )
            })
            .collect();
        let ampel = self.any_ampel.then(|| {
            let mut a = self.ampel.clone();
            a.accuracy = ratio(a.correct, a.docs);
            a
        });
        Metrics {
            strict: self.scores(&self.strict),
            overlap: self.scores(&self.overlap),
            leak: Leak {
                gold_chars: self.gold_chars,
                covered_chars: self.covered_chars,
                recall: ratio(self.covered_chars, self.gold_chars),
                per_label,
                fully_missed: self.missed.len(),
            },
            over_redaction: OverRedaction {
                redacted_chars: self.redacted,
                outside_gold_chars: self.outside,
                rate: ratio(self.outside, self.redacted),
            },
            ampel,
            predictions: self.use_,
            missed: self.missed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    fn run(gold: &[Mention], ignored: &[(usize, usize)], pred: &[Mention]) -> Metrics {
        let text = "x".repeat(100);
        let mut acc = Accumulator::new([Person, Location].into_iter().collect());
        acc.add(&DocInput {
            id: "d",
            text: &text,
            gold,
            ignored,
            predicted: pred,
            ..Default::default()
        });
        acc.finish()
    }

    #[test]
    fn kuhn_finds_the_maximum_not_the_greedy_matching() {
        // gold 0 may take pred 0 or 1, gold 1 only pred 0.
        assert_eq!(max_matching(2, &[vec![0, 1], vec![0]]), 2);
        assert_eq!(max_matching(1, &[vec![0], vec![0]]), 1);
        assert_eq!(max_matching(0, &[vec![], vec![]]), 0);
    }

    #[test]
    fn nested_gold_spans_match_one_to_one() {
        // Outer LOC [0,20) and inner LOC [10,20); one prediction [10,20).
        let m = run(
            &[
                Mention::new(0, 20, Location),
                Mention::new(10, 20, Location),
            ],
            &[],
            &[Mention::new(10, 20, Location)],
        );
        assert_eq!(
            m.strict.micro.counts,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            m.overlap.micro.counts,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(m.leak.gold_chars, 20);
        assert_eq!(m.leak.covered_chars, 10);
        // Per-label leak sums span lengths (nested spans count twice).
        assert_eq!(m.leak.per_label[&Location].gold_chars, 30);
        assert_eq!(m.leak.per_label[&Location].covered_chars, 20);
    }

    #[test]
    fn macro_skips_labels_without_gold_or_predictions() {
        let m = run(
            &[Mention::new(0, 4, Person)],
            &[],
            &[Mention::new(0, 4, Person)],
        );
        assert_eq!(m.strict.macro_.f1, 1.0);
        assert_eq!(m.strict.per_label[&Location].f1, 0.0);
        assert_eq!(m.strict.per_label.len(), 2);
    }
}
