//! Fusion: rule, lexicon and model hits → non-overlapping entities.
//!
//! Ranking when hits overlap (highest first):
//! 1. [`HitKind::Validated`] — checksummed or strictly parsed values (IBAN,
//!    e-mail, Luhn, Steuer-ID, IP, URL) beat everything, the model included;
//! 2. [`HitKind::Pattern`] — structured rules (street + number, PLZ + city,
//!    dates, keyword-led IDs, phones): they carry the whole value, where the
//!    model tends to tag only the city or street name;
//! 3. [`HitKind::Model`] — the NER model beats lexicons (a name list never
//!    overrides the model's reading of "Koch" or "Vogel");
//! 4. [`HitKind::Lexicon`].
//!
//! Ties go to the longer span, then the higher score. Hits of the same label
//! that overlap the winner are merged into it (their union) unless the union
//! would reach into an accepted entity or into a hit of another label that
//! outranks the merged one; an entity confirmed by both a rule and the model
//! gets [`Source::ModelRule`].
//! Everything here works on byte spans and knows nothing about where hits
//! came from beyond their [`HitKind`].

use crate::types::{Entity, Hit, HitKind, Source, Span};

/// A hit at least this sure stops a weaker hit of another label from
/// widening an entity over it.
const SURE: f32 = 0.5;

fn rank(kind: HitKind) -> u8 {
    match kind {
        HitKind::Validated => 4,
        HitKind::Pattern => 3,
        HitKind::Model => 2,
        HitKind::Lexicon => 1,
    }
}

/// Fuse raw hits into sorted, non-overlapping entities.
///
/// Hits only interact with hits they overlap, directly or through a chain
/// of overlaps, so the work is split into such clusters first: a table of
/// thousands of cells costs thousands of small fusions, not one quadratic
/// one.
pub fn fuse(mut hits: Vec<Hit>) -> Vec<Entity> {
    hits.retain(|h| !h.span.is_empty());
    // Stable, so hits with the same span keep their order: fusion breaks
    // its last ties by input order.
    hits.sort_by_key(|h| h.span.start);
    let mut out = Vec::new();
    let mut rest = hits.as_slice();
    while !rest.is_empty() {
        let mut end = rest[0].span.end;
        let mut n = 1;
        while n < rest.len() && rest[n].span.start < end {
            end = end.max(rest[n].span.end);
            n += 1;
        }
        let (cluster, tail) = rest.split_at(n);
        out.extend(fuse_cluster(cluster.to_vec()));
        rest = tail;
    }
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out
}

/// Fuse one cluster of transitively overlapping, non-empty hits.
fn fuse_cluster(mut hits: Vec<Hit>) -> Vec<Entity> {
    // Strongest first.
    hits.sort_by(|a, b| {
        rank(b.kind)
            .cmp(&rank(a.kind))
            .then(b.span.len().cmp(&a.span.len()))
            .then(b.score.total_cmp(&a.score))
            .then(a.span.start.cmp(&b.span.start))
    });

    struct Acc {
        span: Span,
        hit: Hit,
        model: bool,
        rule: bool,
    }
    let mut accepted: Vec<Acc> = Vec::new();
    let mut absorbed = vec![false; hits.len()];

    for (i, h) in hits.iter().enumerate() {
        if accepted.iter().any(|a| a.span.overlaps(&h.span)) {
            continue;
        }
        let mut acc = Acc {
            span: h.span,
            hit: h.clone(),
            model: h.kind.is_model(),
            rule: !h.kind.is_model(),
        };
        absorbed[i] = true;
        // Merge weaker hits of the same label that overlap, repeatedly, as
        // long as the union does not run into an already accepted entity.
        let mut grew = true;
        while grew {
            grew = false;
            for (j, o) in hits.iter().enumerate() {
                if absorbed[j] || o.label != h.label || !o.span.overlaps(&acc.span) {
                    continue;
                }
                let union = Span::new(
                    acc.span.start.min(o.span.start),
                    acc.span.end.max(o.span.end),
                );
                if accepted.iter().any(|a| a.span.overlaps(&union)) {
                    continue;
                }
                // Nor may a weaker hit carry the entity over a stronger one
                // of another label that is more likely than not: a name
                // list's "Ludwig Paris" does not swallow the model's place
                // "Paris". (Art. 9 lexicons still widen: a missed diagnosis
                // costs more than a wrong border.)
                let grown_into_stronger = !h.label.is_art9()
                    && hits.iter().enumerate().any(|(k, x)| {
                        !absorbed[k]
                            && x.label != h.label
                            && rank(x.kind) > rank(o.kind)
                            && x.score >= SURE
                            && x.span.overlaps(&union)
                            && !x.span.overlaps(&acc.span)
                    });
                if grown_into_stronger {
                    continue;
                }
                absorbed[j] = true;
                acc.model |= o.kind.is_model();
                acc.rule |= !o.kind.is_model();
                if union != acc.span {
                    acc.span = union;
                    grew = true;
                }
            }
        }
        accepted.push(acc);
    }

    accepted
        .into_iter()
        .map(|a| Entity {
            span: a.span,
            label: a.hit.label,
            score: a.hit.score,
            source: match (a.model, a.rule) {
                (true, true) => Source::ModelRule,
                (true, false) => Source::Model,
                _ => Source::Rule,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Label;
    use proptest::prelude::*;

    fn hit(s: usize, e: usize, l: Label, k: HitKind) -> Hit {
        Hit::new(s, e, l, 0.9, k)
    }

    #[test]
    fn validated_beats_model() {
        let e = fuse(vec![
            hit(0, 10, Label::Organization, HitKind::Model),
            hit(2, 12, Label::Iban, HitKind::Validated),
        ]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].label, Label::Iban);
        assert_eq!(e[0].source, Source::Rule);
    }

    #[test]
    fn model_beats_lexicon_and_same_label_merges() {
        let e = fuse(vec![
            hit(0, 4, Label::Health, HitKind::Lexicon),
            hit(0, 11, Label::Person, HitKind::Model),
            hit(5, 11, Label::Person, HitKind::Lexicon),
        ]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].label, Label::Person);
        assert_eq!(e[0].source, Source::ModelRule);
        assert_eq!(e[0].span, Span::new(0, 11));
    }

    #[test]
    fn address_rule_absorbs_model_street_and_extends() {
        let e = fuse(vec![
            hit(10, 22, Label::Address, HitKind::Pattern),
            hit(10, 20, Label::Location, HitKind::Model),
            hit(5, 12, Label::Address, HitKind::Model),
        ]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].label, Label::Address);
        assert_eq!(e[0].span, Span::new(5, 22));
        assert_eq!(e[0].source, Source::ModelRule);
    }

    #[test]
    fn a_weaker_hit_does_not_widen_over_a_stronger_one_of_another_label() {
        // "Ludwig Paris": the model's person and place, a name list's
        // "given name + capitalised word".
        let e = fuse(vec![
            hit(0, 6, Label::Person, HitKind::Model),
            hit(7, 12, Label::Location, HitKind::Model),
            hit(0, 12, Label::Person, HitKind::Lexicon),
        ]);
        let got: Vec<_> = e.iter().map(|e| (e.span, e.label)).collect();
        assert_eq!(
            got,
            [
                (Span::new(0, 6), Label::Person),
                (Span::new(7, 12), Label::Location)
            ]
        );
        // Without the model's place the list hit still widens the name.
        let e = fuse(vec![
            hit(0, 6, Label::Person, HitKind::Model),
            hit(0, 12, Label::Person, HitKind::Lexicon),
        ]);
        assert_eq!(e[0].span, Span::new(0, 12));
    }

    #[test]
    fn disjoint_hits_survive_sorted() {
        let e = fuse(vec![
            hit(20, 25, Label::Date, HitKind::Pattern),
            hit(0, 5, Label::Person, HitKind::Model),
            hit(3, 3, Label::Person, HitKind::Model),
        ]);
        assert_eq!(e.len(), 2);
        assert!(e[0].span.end <= e[1].span.start);
    }

    /// The whole-input fusion, as it was before clusters: the reference
    /// the clustered one must match.
    fn unclustered(mut hits: Vec<Hit>) -> Vec<Entity> {
        hits.retain(|h| !h.span.is_empty());
        let mut out = fuse_cluster(hits);
        out.sort_by_key(|e| (e.span.start, e.span.end));
        out
    }

    fn any_hit() -> impl Strategy<Value = Hit> {
        let labels = prop::sample::select(vec![
            Label::Person,
            Label::Location,
            Label::Organization,
            Label::Address,
            Label::Health,
        ]);
        let kinds = prop::sample::select(vec![
            HitKind::Validated,
            HitKind::Pattern,
            HitKind::Model,
            HitKind::Lexicon,
        ]);
        let scores = prop::sample::select(vec![0.3f32, 0.5, 0.9]);
        (0usize..60, 0usize..12, labels, kinds, scores)
            .prop_map(|(s, len, l, k, sc)| Hit::new(s, s + len, l, sc, k))
    }

    proptest! {
        #[test]
        fn clusters_fuse_like_the_whole_input(hits in prop::collection::vec(any_hit(), 0..40)) {
            let got = fuse(hits.clone());
            let want = unclustered(hits);
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_long_table_fuses_cell_by_cell() {
        // 20,000 cells, each a model person confirmed by a name list: the
        // result is one entity per cell, whatever the order they came in.
        let mut hits = Vec::new();
        for i in (0..20_000).rev() {
            hits.push(hit(i * 10, i * 10 + 6, Label::Person, HitKind::Model));
            hits.push(hit(i * 10, i * 10 + 6, Label::Person, HitKind::Lexicon));
        }
        let e = fuse(hits);
        assert_eq!(e.len(), 20_000);
        assert!(e.iter().all(|e| e.source == Source::ModelRule));
        assert!(e.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }
}
