//! Parity between the training framework (PyTorch) and the Rust runtime on
//! the shipped model: `golden.jsonl` holds sentences with the input ids and
//! word labels PyTorch produced from exactly the weights we load. The
//! runtime must reproduce the ids exactly and every word label whose top-1
//! margin is not a near-tie.
//!
//! The model folder is `models/ampel-ner-de` (or `AMPEL_PARITY_MODEL`).

use std::path::PathBuf;

use ampel::model::{DeviceChoice, NerModel};
use ampel::text::Text;
use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    id: String,
    text: String,
    input_ids: Vec<u32>,
    words: Vec<GoldWord>,
}

#[derive(Deserialize)]
struct GoldWord {
    start: usize,
    end: usize,
    label: String,
    margin: f32,
}

/// Near-ties (top-1 minus top-2 logit) may flip between backends.
const MIN_MARGIN: f32 = 1e-2;

fn model_dir() -> PathBuf {
    std::env::var_os("AMPEL_PARITY_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/ampel-ner-de"))
}

#[test]
fn runtime_reproduces_the_training_frameworks_labels() {
    let dir = model_dir();
    let golden = dir.join("golden.jsonl");
    assert!(
        golden.is_file(),
        "the shipped model must come with golden.jsonl at {}",
        golden.display()
    );
    let model = NerModel::load(&dir, DeviceChoice::Cpu).expect("shipped model loads");
    let lines = std::fs::read_to_string(&golden).expect("golden.jsonl readable");
    let mut checked = 0;
    let mut skipped = 0;
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let g: Golden = serde_json::from_str(line).expect("golden line parses");
        assert_eq!(
            model.input_ids(&g.text).expect("encodes"),
            g.input_ids,
            "{}: input ids differ",
            g.id
        );
        let words = model.word_labels(&g.text).expect("predicts");
        let t = Text::new(&g.text);
        for w in &g.words {
            let span = t.byte_span(w.start, w.end).expect("word offsets in range");
            let predicted = words
                .iter()
                .find(|(s, _)| *s == span)
                .map(|(_, l)| l.as_str())
                .unwrap_or("(no such word)");
            if w.margin < MIN_MARGIN {
                skipped += 1;
                continue;
            }
            assert_eq!(
                predicted,
                w.label,
                "{}: word {:?} ({}..{}) margin {}",
                g.id,
                &g.text[span.start..span.end],
                w.start,
                w.end,
                w.margin
            );
            checked += 1;
        }
    }
    assert!(
        checked > 100,
        "checked only {checked} words ({skipped} near-ties)"
    );
}
