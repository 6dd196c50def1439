//! Property tests over the whole rules-only engine: every span lies on char
//! boundaries, spans never overlap, code point offsets agree with byte
//! offsets, and redact → restore gives back the original text.

use ampel::jsonl::WireResult;
use ampel::redact::restore;
use ampel::{AnalyzeOptions, Analyzer};
use proptest::prelude::*;
use std::sync::OnceLock;

/// One engine for all cases: building the rule automata is the slow part.
fn engine() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::rules_only)
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Frau Weber".to_string()),
        Just("Herr Özdemir".to_string()),
        Just("weber@example.com".to_string()),
        Just("Kundennr. 4711".to_string()),
        Just("Bestellung #98765".to_string()),
        Just("DE89 3704 0044 0532 0130 00".to_string()),
        Just("+49 30 1234567".to_string()),
        Just("0171/2345678".to_string()),
        Just("15.01.2024".to_string()),
        Just("3. März 1982".to_string()),
        Just("Lindenstraße 5".to_string()),
        Just("04109 Leipzig".to_string()),
        Just("ich bin schwanger".to_string()),
        Just("Diabetes".to_string()),
        Just("Grüße".to_string()),
        Just("👋🏽".to_string()),
        Just("e\u{301}".to_string()),
        Just("ß".to_string()),
        Just("\n".to_string()),
        "[a-zA-ZäöüÄÖÜß0-9 .,:;@#/+-]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_valid_and_redaction_round_trips(t in text()) {
        let a = engine();
        let r = a.analyze(&t, &AnalyzeOptions::default()).unwrap();
        let mut last_end = 0;
        for e in &r.entities {
            prop_assert!(e.span.start < e.span.end);
            prop_assert!(e.span.end <= t.len());
            prop_assert!(t.is_char_boundary(e.span.start) && t.is_char_boundary(e.span.end));
            prop_assert!(e.span.start >= last_end, "overlap");
            last_end = e.span.end;
        }
        let wire = WireResult::new(serde_json::Value::Null, &t, &r);
        for (w, e) in wire.entities.iter().zip(&r.entities) {
            let by_cp: String = t.chars().skip(w.start).take(w.end - w.start).collect();
            prop_assert_eq!(by_cp.as_str(), &t[e.span.start..e.span.end]);
        }
        prop_assert_eq!(restore(&r.redaction.text, &r.redaction.mapping), t);
    }

    #[test]
    fn arbitrary_unicode_never_panics(t in "\\PC{0,200}") {
        let a = engine();
        let r = a.analyze(&t, &AnalyzeOptions::default()).unwrap();
        for e in &r.entities {
            prop_assert!(t.is_char_boundary(e.span.start) && t.is_char_boundary(e.span.end));
        }
    }
}
