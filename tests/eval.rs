//! The benchmark harness: hand-computed metrics, the three readers on small
//! fixtures (CRLF, comments, trailing blank lines, malformed lines), label
//! mapping, and one end-to-end run that writes every report file.
//!
//! Nothing here depends on what the rules find: accuracy numbers are
//! checked through `metrics::Accumulator` with hand-made predictions, and
//! the end-to-end run asserts only structure and invariants.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ampel::eval::corpus::{self, DataSpec, Format, GoldDoc, Scheme};
use ampel::eval::labels::{LabelMap, MappingFile, Preset, Target};
use ampel::eval::metrics::{Accumulator, Counts, DocInput, Mention, Metrics};
use ampel::eval::{self, EvalArgs, EvalError, Mode};
use ampel::{Ampel, Analyzer, Label};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eval")
        .join(name)
}

fn read(format: Format, name: &str) -> corpus::Corpus {
    corpus::read(
        &DataSpec {
            format,
            path: fixture(name),
        },
        false,
    )
    .unwrap()
}

/// `text[start:end]` in code points.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn entities(doc: &GoldDoc) -> Vec<(String, String)> {
    doc.entities
        .iter()
        .map(|e| (e.label.clone(), slice(&doc.text, e.start, e.end)))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---------------------------------------------------------------- metrics

/// "Anna Schulz wohnt in Berlin."
///  Anna Schulz = [0,11) PERSON, wohnt = [12,17), in = [18,20),
///  Berlin = [21,27) LOCATION, "." = 27.
const TEXT: &str = "Anna Schulz wohnt in Berlin.";

fn gold() -> Vec<Mention> {
    vec![
        Mention::new(0, 11, Label::Person),
        Mention::new(21, 27, Label::Location),
    ]
}

fn score(gold: &[Mention], ignored: &[(usize, usize)], predicted: &[Mention]) -> Metrics {
    let evaluated: BTreeSet<Label> = [Label::Person, Label::Location, Label::Organization]
        .into_iter()
        .collect();
    let mut acc = Accumulator::new(evaluated);
    acc.add(&DocInput {
        id: "d1",
        text: TEXT,
        gold,
        ignored,
        predicted,
        gold_ampel: None,
        predicted_ampel: None,
    });
    acc.finish()
}

#[test]
fn perfect_predictions_score_one() {
    let m = score(&gold(), &[], &gold());
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 2,
            fp: 0,
            fn_: 0
        }
    );
    assert!(close(m.strict.micro.f1, 1.0));
    assert!(close(m.overlap.micro.f1, 1.0));
    assert!(
        close(m.strict.macro_.f1, 1.0),
        "ORGANIZATION has no spans and is not averaged"
    );
    assert_eq!((m.leak.gold_chars, m.leak.covered_chars), (17, 17));
    assert!(close(m.leak.recall, 1.0));
    assert_eq!(m.over_redaction.redacted_chars, 17);
    assert_eq!(m.over_redaction.outside_gold_chars, 0);
    assert!(m.missed.is_empty());
    assert!(m.ampel.is_none());
    assert_eq!(m.strict.per_label.len(), 3);
}

#[test]
fn empty_predictions_score_zero_and_list_every_missed_span() {
    let m = score(&gold(), &[], &[]);
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 0,
            fp: 0,
            fn_: 2
        }
    );
    assert_eq!(
        (
            m.strict.micro.precision,
            m.strict.micro.recall,
            m.strict.micro.f1
        ),
        (0.0, 0.0, 0.0)
    );
    assert_eq!(m.leak.covered_chars, 0);
    assert_eq!(m.over_redaction.rate, 0.0, "0/0 is 0");
    assert_eq!(m.leak.fully_missed, 2);
    let missed: Vec<(Label, usize, &str)> = m
        .missed
        .iter()
        .map(|x| (x.label, x.len, x.text.as_str()))
        .collect();
    assert_eq!(
        missed,
        vec![
            (Label::Person, 11, "Anna Schulz"),
            (Label::Location, 6, "Berlin")
        ]
    );
    assert_eq!(m.missed[0].doc, "d1");
}

#[test]
fn shifted_by_one_is_wrong_strictly_but_right_by_overlap() {
    let pred = [
        Mention::new(1, 12, Label::Person),
        Mention::new(22, 28, Label::Location),
    ];
    let m = score(&gold(), &[], &pred);
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 0,
            fp: 2,
            fn_: 2
        }
    );
    assert_eq!(
        m.overlap.micro.counts,
        Counts {
            tp: 2,
            fp: 0,
            fn_: 0
        }
    );
    // 10 of 11 PERSON characters and 5 of 6 LOCATION characters.
    assert_eq!((m.leak.covered_chars, m.leak.gold_chars), (15, 17));
    assert_eq!(m.leak.per_label[&Label::Person].covered_chars, 10);
    // The space after "Schulz" and the final "." are redacted needlessly.
    assert_eq!(
        (
            m.over_redaction.outside_gold_chars,
            m.over_redaction.redacted_chars
        ),
        (2, 17)
    );
    assert!(close(m.over_redaction.rate, 2.0 / 17.0));
    assert_eq!(m.leak.fully_missed, 0);
}

#[test]
fn wrong_label_fails_span_metrics_but_not_leak_recall() {
    let pred = [
        Mention::new(0, 11, Label::Location),
        Mention::new(21, 27, Label::Person),
    ];
    let m = score(&gold(), &[], &pred);
    for l in [Label::Person, Label::Location] {
        assert_eq!(
            m.strict.per_label[&l].counts,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            m.overlap.per_label[&l].counts,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
    }
    assert!(close(m.leak.recall, 1.0));
    assert_eq!(m.over_redaction.outside_gold_chars, 0);
}

#[test]
fn split_span_counts_once_by_overlap() {
    let pred = [
        Mention::new(0, 4, Label::Person),
        Mention::new(5, 11, Label::Person),
        Mention::new(21, 27, Label::Location),
    ];
    let m = score(&gold(), &[], &pred);
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 1,
            fp: 2,
            fn_: 1
        }
    );
    assert!(close(m.strict.micro.precision, 1.0 / 3.0));
    assert!(close(m.strict.micro.recall, 0.5));
    assert!(close(m.strict.micro.f1, 0.4));
    // One-to-one: "Anna" matches the gold name, "Schulz" is left over.
    assert_eq!(
        m.overlap.micro.counts,
        Counts {
            tp: 2,
            fp: 1,
            fn_: 0
        }
    );
    assert!(close(m.overlap.micro.f1, 0.8));
    // Macro over PERSON (0) and LOCATION (1); ORGANIZATION has no spans.
    assert!(close(m.strict.macro_.f1, 0.5));
    // The space between the two halves leaks.
    assert_eq!((m.leak.covered_chars, m.leak.gold_chars), (16, 17));
    assert_eq!(m.over_redaction.outside_gold_chars, 0);
}

#[test]
fn ignored_spans_and_unannotated_labels_neither_reward_nor_penalise() {
    // "wohnt" [12,17) is an ignored gold span (say GermEval OTH).
    let ignored = [(12, 17)];
    let pred = [
        Mention::new(0, 11, Label::Person),        // exact
        Mention::new(12, 17, Label::Organization), // only on the ignored span: neutral
        Mention::new(18, 20, Label::Date),         // label the corpus does not annotate
        Mention::new(18, 27, Label::Location),     // overlaps Berlin, not exact
    ];
    let m = score(&gold(), &ignored, &pred);
    assert_eq!(m.predictions.total, 4);
    assert_eq!(m.predictions.scored, 2);
    assert_eq!(m.predictions.neutral, 1);
    assert_eq!(m.predictions.other_labels.get(&Label::Date), Some(&1));
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 1,
            fp: 1,
            fn_: 1
        }
    );
    assert_eq!(
        m.overlap.micro.counts,
        Counts {
            tp: 2,
            fp: 0,
            fn_: 0
        }
    );
    assert_eq!(
        m.strict.per_label[&Label::Organization].counts,
        Counts::default(),
        "the neutral prediction is no false positive"
    );
    assert!(!m.strict.per_label.contains_key(&Label::Date));
    // "in " [18,21) lies outside every gold span: 3 of 11 + 9 characters.
    assert_eq!(
        (
            m.over_redaction.outside_gold_chars,
            m.over_redaction.redacted_chars
        ),
        (3, 20)
    );
    assert!(close(m.leak.recall, 1.0));

    // A prediction on an ignored span *and* a gold span is scored.
    let m = score(&gold(), &ignored, &[Mention::new(0, 17, Label::Person)]);
    assert_eq!(m.predictions.neutral, 0);
    assert_eq!(
        m.overlap.micro.counts,
        Counts {
            tp: 1,
            fp: 0,
            fn_: 1
        }
    );
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 0,
            fp: 1,
            fn_: 2
        }
    );
    assert_eq!(
        m.over_redaction.outside_gold_chars, 1,
        "only the space after Schulz"
    );
}

#[test]
fn counts_pool_over_documents_and_ampel_confusion() {
    let mut acc = Accumulator::new([Label::Person].into_iter().collect());
    let g = [Mention::new(0, 4, Label::Person)];
    let p = g;
    let cases = [
        (Some(Ampel::Green), Ampel::Green, &p[..]),
        (Some(Ampel::Yellow), Ampel::Red, &[][..]),
        (Some(Ampel::Red), Ampel::Red, &p[..]),
        (None, Ampel::Yellow, &p[..]),
    ];
    for (i, (ga, pa, pred)) in cases.iter().enumerate() {
        acc.add(&DocInput {
            id: &i.to_string(),
            text: "Anna kommt.",
            gold: &g,
            ignored: &[],
            predicted: pred,
            gold_ampel: *ga,
            predicted_ampel: Some(*pa),
        });
    }
    let m = acc.finish();
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 3,
            fp: 0,
            fn_: 1
        }
    );
    assert!(close(m.strict.micro.recall, 0.75));
    let a = m.ampel.unwrap();
    assert_eq!((a.docs, a.correct), (3, 2));
    assert!(close(a.accuracy, 2.0 / 3.0));
    assert_eq!(a.confusion, [[1, 0, 0], [0, 0, 1], [0, 0, 1]]);
}

// ---------------------------------------------------------------- readers

#[test]
fn germeval_reader_comments_malformed_and_trailing_blank_lines() {
    let c = read(Format::Germeval, "germeval_small.tsv");
    assert_eq!(c.docs.len(), 3);
    assert_eq!(c.malformed_lines, 1);
    assert_eq!(c.skipped_records, 1);
    assert_eq!(c.problems[0].line, 23);
    assert_eq!(c.scheme, Some(Scheme::Iob2));
    assert_eq!(
        c.docs[0].text,
        "Angela Merkel besuchte die Universität Leipzig."
    );
    assert_eq!(c.docs[0].id, "L2");
    assert_eq!(
        entities(&c.docs[0]),
        pairs(&[("PER", "Angela Merkel"), ("ORG", "Universität Leipzig")])
    );
    assert_eq!(c.docs[0].entities[1].start, 27);
    assert_eq!(c.docs[0].entities[1].end, 46);
    assert_eq!(c.docs[1].text, "Die deutschen Fans jubelten in „Bern“!");
    assert_eq!(
        entities(&c.docs[1]),
        pairs(&[("LOCderiv", "deutschen"), ("LOC", "Bern")])
    );
    assert_eq!(
        c.docs[2].text,
        "Der Spiegel (Hamburg) berichtete über SAP-Aktien."
    );
    assert_eq!(
        entities(&c.docs[2]),
        pairs(&[
            ("OTH", "Spiegel"),
            ("LOC", "Hamburg"),
            ("ORGpart", "SAP-Aktien")
        ])
    );
    // The inner column adds the nested location.
    let inner = corpus::read(
        &DataSpec {
            format: Format::Germeval,
            path: fixture("germeval_small.tsv"),
        },
        true,
    )
    .unwrap();
    assert_eq!(
        entities(&inner.docs[0]),
        pairs(&[
            ("PER", "Angela Merkel"),
            ("ORG", "Universität Leipzig"),
            ("LOC", "Leipzig")
        ])
    );
}

#[test]
fn conll_reader_on_crlf_space_separated_legal_data() {
    let c = read(Format::Conll, "legal_small.conll");
    assert_eq!(c.docs.len(), 2, "no trailing blank line needed");
    assert_eq!(c.malformed_lines, 0);
    assert_eq!(
        c.docs[0].text,
        "Das Urteil des BGH vom 12. Mai erging gegen Herrn Max Mustermann aus Köln (§ 823 BGB)."
    );
    assert_eq!(
        entities(&c.docs[0]),
        pairs(&[
            ("GRT", "BGH"),
            ("PER", "Max Mustermann"),
            ("ST", "Köln"),
            ("GS", "§ 823 BGB")
        ])
    );
    assert_eq!(
        entities(&c.docs[1]),
        pairs(&[("RR", "Weber"), ("STR", "Hauptstraße 5"), ("FOO", "ACME")])
    );
    assert!(!c.docs[1].text.contains('\r'));
    assert_eq!(c.scheme, Some(Scheme::Iob2));
}

#[test]
fn conll_reader_on_iob1_europarl_columns() {
    let c = read(Format::Conll, "europarl_small.tsv");
    assert_eq!(c.docs.len(), 2);
    assert_eq!(c.scheme, Some(Scheme::Iob1));
    assert_eq!(
        c.docs[0].text,
        "Frau Präsidentin, Herr Cox hat die Europäische Kommission in Straßburg kritisiert."
    );
    assert_eq!(
        entities(&c.docs[0]),
        pairs(&[
            ("PER", "Cox"),
            ("ORG", "Europäische Kommission"),
            ("LOC", "Straßburg")
        ])
    );
    // B- separates two adjacent entities of the same type in IOB1.
    assert_eq!(
        entities(&c.docs[1]),
        pairs(&[("PER", "Schröder"), ("PER", "Blair"), ("MISC", "Euro")])
    );
}

#[test]
fn jsonl_reader_counts_bad_lines_and_keeps_going() {
    let c = read(Format::Jsonl, "gold_small.jsonl");
    let ids: Vec<&str> = c.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["j1", "j2", "j3"]);
    assert_eq!(c.malformed_lines, 3);
    assert_eq!(c.skipped_records, 3);
    let lines: Vec<usize> = c.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [4, 5, 6]);
    assert!(c.problems[0].reason.contains("differs"));
    assert_eq!(c.docs[0].ampel, Some(Ampel::Red));
    assert_eq!(c.docs[2].ampel, None);
    assert_eq!(
        entities(&c.docs[0]),
        pairs(&[
            ("PERSON", "Weber"),
            ("EMAIL", "weber@example.com"),
            ("HEALTH", "schwanger")
        ])
    );
    assert_eq!(entities(&c.docs[2]), pairs(&[("LOC", "München")]));
}

// ---------------------------------------------------------------- labels

#[test]
fn presets_are_chosen_by_path_and_a_user_file_extends_one() {
    assert_eq!(
        Preset::detect(false, &fixture("legal_small.conll")),
        Preset::Legal
    );
    assert_eq!(
        Preset::detect(false, &fixture("europarl_small.tsv")),
        Preset::Europarl
    );
    assert_eq!(
        Preset::detect(true, &fixture("germeval_small.tsv")),
        Preset::Germeval
    );
    assert_eq!(
        Preset::detect(false, &fixture("gold_small.jsonl")),
        Preset::Generic
    );

    let legal = LabelMap::preset(Preset::Legal);
    assert_eq!(legal.resolve("FOO"), None, "unmapped");
    let file =
        MappingFile::parse(&std::fs::read_to_string(fixture("mapping.toml")).unwrap()).unwrap();
    let m = LabelMap::with_file(Preset::Generic, &file);
    assert_eq!(m.resolve("FOO"), Some(Target::Label(Label::Organization)));
    assert_eq!(m.resolve("GS"), Some(Target::Ignore));
    assert_eq!(m.resolve("RR"), Some(Target::Label(Label::Person)));
    assert_eq!(m.resolve("STR"), Some(Target::Label(Label::Address)));
    assert_eq!(m.resolve("PERSON"), Some(Target::Label(Label::Person)));
}

#[test]
fn read_and_map_then_perfect_predictions_score_one() {
    let c = read(Format::Germeval, "germeval_small.tsv");
    let map = LabelMap::preset(Preset::Germeval);
    let mut acc = Accumulator::new(map.annotated().clone());
    for d in &c.docs {
        let mut gold = Vec::new();
        let mut ignored = Vec::new();
        for e in &d.entities {
            match map.resolve(&e.label) {
                Some(Target::Label(l)) => gold.push(Mention::new(e.start, e.end, l)),
                _ => ignored.push((e.start, e.end)),
            }
        }
        // A perfect system that also tags the ignored spans as ORGANIZATION.
        let mut pred = gold.clone();
        pred.extend(
            ignored
                .iter()
                .map(|&(s, e)| Mention::new(s, e, Label::Organization)),
        );
        acc.add(&DocInput {
            id: &d.id,
            text: &d.text,
            gold: &gold,
            ignored: &ignored,
            predicted: &pred,
            gold_ampel: None,
            predicted_ampel: None,
        });
    }
    let m = acc.finish();
    assert_eq!(
        m.strict.micro.counts,
        Counts {
            tp: 4,
            fp: 0,
            fn_: 0
        }
    );
    assert_eq!(m.predictions.neutral, 3);
    assert_eq!(m.over_redaction.outside_gold_chars, 0);
}

// ---------------------------------------------------------------- end to end

fn all_fixtures() -> Vec<String> {
    vec![
        format!("germeval:{}", fixture("germeval_small.tsv").display()),
        format!("conll:{}", fixture("legal_small.conll").display()),
        format!("conll:{}", fixture("europarl_small.tsv").display()),
        format!("jsonl:{}", fixture("gold_small.jsonl").display()),
    ]
}

#[test]
fn end_to_end_run_writes_table_json_markdown_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = EvalArgs::new(all_fixtures());
    args.report = Some(dir.path().join("out"));
    let out = eval::run(&args, &Analyzer::rules_only(), None).unwrap();
    let r = &out.report;

    assert_eq!(r.modes, vec![Mode::Rules]);
    assert!(!r.model.available);
    let docs: Vec<usize> = r.corpora.iter().map(|c| c.docs_evaluated).collect();
    assert_eq!(docs, [3, 2, 2, 3]);
    let malformed: Vec<usize> = r.corpora.iter().map(|c| c.malformed_lines).collect();
    assert_eq!(malformed, [1, 0, 0, 3]);
    let mappings: Vec<&str> = r.corpora.iter().map(|c| c.mapping.as_str()).collect();
    assert_eq!(mappings, ["germeval", "legal", "europarl", "generic"]);

    let ge = &r.corpora[0];
    assert_eq!(
        ge.evaluated_labels,
        [Label::Person, Label::Organization, Label::Location]
    );
    assert_eq!(ge.ignored_labels.get("LOCderiv"), Some(&1));
    assert_eq!(ge.ignored_labels.get("OTH"), Some(&1));
    let legal = &r.corpora[1];
    assert_eq!(legal.unmapped_labels.get("FOO"), Some(&1));
    assert_eq!(legal.gold_by_label.get(&Label::Address), Some(&1));
    assert_eq!(legal.ignored_labels.get("GS"), Some(&1));
    let gold = &r.corpora[3];
    assert_eq!(
        gold.evaluated_labels,
        [Label::Person, Label::Location, Label::Email, Label::Health],
        "generic preset: the labels the gold uses"
    );
    assert_eq!(gold.gold_ampel_docs, 2);

    // Invariants that hold whatever the rules find.
    for c in &r.corpora {
        let n_gold: usize = c.gold_by_label.values().sum();
        for m in &c.modes {
            let x = &m.metrics;
            assert_eq!(x.strict.micro.counts.tp + x.strict.micro.counts.fn_, n_gold);
            assert_eq!(
                x.overlap.micro.counts.tp + x.overlap.micro.counts.fn_,
                n_gold
            );
            assert!(x.overlap.micro.counts.tp >= x.strict.micro.counts.tp);
            for v in [
                x.strict.micro.f1,
                x.overlap.micro.f1,
                x.leak.recall,
                x.over_redaction.rate,
            ] {
                assert!((0.0..=1.0).contains(&v));
            }
            assert_eq!(m.speed.docs, c.docs_evaluated);
            assert_eq!(m.speed.latencies_ms.len(), c.docs_evaluated);
            assert!(m.speed.p50_ms <= m.speed.p95_ms && m.speed.p95_ms <= m.speed.p99_ms);
        }
    }
    assert_eq!(
        r.corpora[3].modes[0].metrics.ampel.as_ref().unwrap().docs,
        2
    );

    // Terminal table: numbers and labels, never document text.
    for want in [
        "strict F1",
        "leak recall",
        "PERSON",
        "germeval_small",
        "model not available",
    ] {
        assert!(
            out.table.contains(want),
            "table lacks {want:?}:\n{}",
            out.table
        );
    }
    for secret in ["Mustermann", "weber@example.com", "Merkel", "München"] {
        assert!(!out.table.contains(secret));
    }

    // Files.
    let names: BTreeSet<String> = out
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for n in [
        "eval.json",
        "eval.md",
        "f1-germeval-small-tsv.svg",
        "latency-germeval-small-tsv.svg",
        "f1-legal-small-conll.svg",
        "f1-europarl-small-tsv.svg",
        "f1-gold-small-jsonl.svg",
    ] {
        assert!(names.contains(n), "missing {n} in {names:?}");
    }
    assert_eq!(out.files.len(), 10);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/eval.json")).unwrap())
            .unwrap();
    assert_eq!(json["corpora"].as_array().unwrap().len(), 4);
    assert_eq!(json["corpora"][0]["modes"][0]["mode"], "rules");
    assert!(json["corpora"][0]["modes"][0]["strict"]["micro"]["f1"].is_number());
    assert!(json["corpora"][0]["modes"][0]["speed"]["p95_ms"].is_number());
    let md = std::fs::read_to_string(dir.path().join("out/eval.md")).unwrap();
    assert!(md.starts_with("# ampel eval\n"));
    assert!(md.contains("![F1 per label](f1-germeval-small-tsv.svg)"));
    assert!(md.contains("## How to read these numbers"));
    for f in &out.files {
        if f.extension().is_some_and(|e| e == "svg") {
            let svg = std::fs::read_to_string(f).unwrap();
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.ends_with("</svg>\n"));
            assert_eq!(svg.matches("<g>").count(), svg.matches("</g>").count());
            assert!(!svg.contains("Mustermann"));
        }
    }
}

#[test]
fn limit_sample_and_mapping_file_options() {
    let mut args = EvalArgs::new(all_fixtures());
    args.limit = Some(1);
    args.sample = Some(42);
    args.mapping = Some(fixture("mapping.toml"));
    let out = eval::run(&args, &Analyzer::rules_only(), None).unwrap();
    assert!(out.files.is_empty(), "no --report, no files");
    for c in &out.report.corpora {
        assert_eq!(c.docs_evaluated, 1);
        assert!(c.mapping.ends_with("+ mapping file"));
        assert!(c.mapping.starts_with("legal"));
    }
    let again = eval::run(&args, &Analyzer::rules_only(), None).unwrap();
    let gold = |o: &eval::EvalOutcome| -> Vec<usize> {
        o.report
            .corpora
            .iter()
            .map(|c| c.gold_by_label.values().sum())
            .collect()
    };
    assert_eq!(
        gold(&out),
        gold(&again),
        "the same seed draws the same documents"
    );
    assert!(out.report.command.contains("--limit 1 --sample 42"));
}

#[test]
fn run_level_errors_are_precise() {
    let rules = Analyzer::rules_only();
    let e = eval::run(&EvalArgs::new(["xml:a.xml"]), &rules, None).unwrap_err();
    assert!(matches!(e, EvalError::Data(_)));
    let e = eval::run(&EvalArgs::new(["conll:/nonexistent/x.conll"]), &rules, None).unwrap_err();
    assert!(matches!(e, EvalError::Read { .. }));
    let mut args = EvalArgs::new(all_fixtures());
    args.modes = vec![Mode::Model];
    let e = eval::run(&args, &rules, None).unwrap_err();
    assert!(matches!(e, EvalError::NoModel("model")));
    let mut args = EvalArgs::new(all_fixtures());
    args.batch_size = 0;
    assert!(matches!(
        eval::run(&args, &rules, None).unwrap_err(),
        EvalError::Invalid(_)
    ));
}

/// A real run on shared dev data (never the GermEval test split). Run with
/// `cargo test --test eval -- --ignored --nocapture`; writes `target/eval-dev`.
#[test]
#[ignore = "reads ../shared data and takes a while"]
fn real_run_on_germeval_dev() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/ner");
    let shared = if shared.exists() {
        shared
    } else {
        PathBuf::from("/work/shared/data/ner")
    };
    let mut args = EvalArgs::new([
        format!("germeval:{}", shared.join("germeval2014/dev.tsv").display()),
        format!("jsonl:{}", shared.join("germeval2014/dev.jsonl").display()),
        format!("conll:{}", shared.join("legal/ler_dev.conll").display()),
        format!("conll:{}", shared.join("europarl/dev.tsv").display()),
    ]);
    args.limit = Some(300);
    let out_dir = std::env::var_os("AMPEL_EVAL_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/eval-dev"));
    args.report = Some(out_dir);
    let out = eval::run(&args, &Analyzer::rules_only(), None).unwrap();
    println!("{}", out.table);
    for f in &out.files {
        println!("wrote {}", f.display());
    }
    assert_eq!(out.report.corpora[0].docs_evaluated, 300);
}
