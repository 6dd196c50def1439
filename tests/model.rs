//! The NER runtime end to end on tiny random models written into temp
//! folders (offline): loading, errors, spans on char boundaries, windowing,
//! batching invariance, label forcing through the classifier bias.

use std::path::{Path, PathBuf};

use ampel::model::synthetic::{SyntheticArch, SyntheticModel, SyntheticTokenizer};
use ampel::model::{DeviceChoice, ModelError, NerModel, TokenScore};
use ampel::{Hit, HitKind, Label};
use candle_core::{DType, Device, Tensor};
use tempfile::TempDir;

fn write(m: &SyntheticModel) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny-ner");
    m.write(&dir).unwrap();
    (tmp, dir)
}

fn load(m: &SyntheticModel) -> (TempDir, NerModel) {
    let (tmp, dir) = write(m);
    let model = NerModel::load(&dir, DeviceChoice::Cpu).unwrap();
    (tmp, model)
}

fn variant(arch: SyntheticArch, tok: SyntheticTokenizer) -> SyntheticModel {
    let mut m = SyntheticModel {
        arch,
        tokenizer: tok,
        ..SyntheticModel::default()
    };
    if arch == SyntheticArch::XlmRoberta {
        // Positions start at pad_token_id + 1 = 2.
        m.max_position_embeddings += 2;
    }
    m
}

fn all_variants() -> Vec<SyntheticModel> {
    use SyntheticArch::*;
    use SyntheticTokenizer::*;
    vec![
        variant(Bert, WordPiece),
        variant(XlmRoberta, Unigram),
        // multilingual-e5 style: BERT encoder, SentencePiece tokenizer.
        variant(Bert, Unigram),
        variant(DistilBert, WordPiece),
    ]
}

fn texts<'a>(text: &'a str, hits: &[Hit]) -> Vec<&'a str> {
    hits.iter()
        .map(|h| &text[h.span.start..h.span.end])
        .collect()
}

fn assert_valid(text: &str, hits: &[Hit]) {
    for h in hits {
        assert!(
            h.span.start < h.span.end && h.span.end <= text.len(),
            "{h:?}"
        );
        assert!(text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end));
        let s = &text[h.span.start..h.span.end];
        assert_eq!(s, s.trim(), "no surrounding whitespace");
        assert!((0.0..=1.0).contains(&h.score));
        assert_eq!(h.kind, HitKind::Model);
    }
}

#[test]
fn loads_and_describes_itself() {
    let (_tmp, model) = load(&SyntheticModel::default());
    let info = model.info();
    assert_eq!(info.name, "tiny-ner");
    assert_eq!(info.architecture, "bert");
    assert_eq!(info.labels.len(), 9);
    assert_eq!(
        info.spec_labels,
        vec![Label::Person, Label::Organization, Label::Location]
    );
    assert_eq!(info.revision.len(), 12);
    assert!(info.revision.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        (info.num_layers, info.hidden_size, info.max_len),
        (2, 32, 64)
    );
    assert_eq!(info.device, "cpu");
    assert_eq!(model.predict(&[]).unwrap(), Vec::<Vec<Hit>>::new());
    assert_eq!(model.predict(&["", "  \n "]).unwrap(), vec![vec![], vec![]]);
}

#[test]
fn forced_begin_label_gives_one_exact_span_per_word_for_every_architecture() {
    // Two spaces between words: B-labels one space apart would be joined
    // into one entity (decode's `join_adjacent`), and this test is about
    // word boundaries.
    let text = "Grüße, Anna  👋  Müller! (Hamburg)";
    for m in all_variants() {
        let (_tmp, model) = load(&m.clone().with_bias("B-PER", 30.0));
        let hits = model.predict(&[text]).unwrap().remove(0);
        assert_valid(text, &hits);
        assert_eq!(
            texts(text, &hits),
            ["Grüße", "Anna", "👋", "Müller", "Hamburg"],
            "{:?}/{:?}",
            m.arch,
            m.tokenizer
        );
        assert!(hits
            .iter()
            .all(|h| h.label == Label::Person && h.score > 0.99));
    }
}

#[test]
fn inside_labels_join_words_into_one_entity() {
    let text = "  Anna Weber wohnt in Hamburg. ";
    for m in all_variants() {
        let (_tmp, model) = load(&m.clone().with_bias("I-LOC", 30.0));
        let hits = model.predict(&[text]).unwrap().remove(0);
        assert_eq!(texts(text, &hits), ["Anna Weber wohnt in Hamburg"]);
        assert_eq!(hits[0].label, Label::Location);
    }
}

#[test]
fn normalised_text_maps_back_to_the_original_bytes() {
    // NFKC folds the full-width letters and the ligature; spans must still
    // cover the original characters.
    let text = "Ｈａｍｂｕｒｇ  und  ﬁne  Anna";
    let m =
        variant(SyntheticArch::XlmRoberta, SyntheticTokenizer::Unigram).with_bias("B-ORG", 30.0);
    let (_tmp, model) = load(&m);
    let hits = model.predict(&[text]).unwrap().remove(0);
    assert_valid(text, &hits);
    assert_eq!(texts(text, &hits), ["Ｈａｍｂｕｒｇ", "und", "ﬁne", "Anna"]);
}

fn long_text(words: usize, sep: &str) -> String {
    let vocab = SyntheticModel::default().words;
    (0..words)
        .map(|i| vocab[(i * 7) % vocab.len()].as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

#[test]
fn long_texts_are_windowed_without_losing_or_doubling_words() {
    for m in all_variants() {
        let m = SyntheticModel {
            max_position_embeddings: m.max_position_embeddings - 32,
            // LOCATION: PERSON spans lose titles ("Frau", "Herr"); a bare
            // form field word ("Straße") is no place either.
            ..m.with_bias("B-LOC", 30.0)
        };
        let (_tmp, model) = load(&m);
        assert_eq!(model.info().max_len, 32);
        // Commas between words: B-labels one space apart would be joined.
        let text = long_text(100, ", ");
        let hits = model.predict(&[&text]).unwrap().remove(0);
        assert_valid(&text, &hits);
        let expected: Vec<&str> = text.split(", ").filter(|w| *w != "Straße").collect();
        assert_eq!(texts(&text, &hits), expected, "{:?}", m.arch);
    }
}

fn close(a: &TokenScore, b: &TokenScore) -> bool {
    a.probs
        .iter()
        .zip(&b.probs)
        .all(|(x, y)| (x - y).abs() < 1e-4)
}

#[test]
fn a_token_takes_its_scores_from_the_window_where_it_is_central() {
    // BERT, max_len 32 → 30 content tokens per window, overlap 15:
    // windows [0,30) [15,45) [30,60) …; window [15,45) owns tokens 23..=37.
    let m = SyntheticModel {
        max_position_embeddings: 32,
        ..SyntheticModel::default()
    };
    let (_tmp, model) = load(&m);
    let text = long_text(100, " ");
    let long = model.token_scores(&text).unwrap();
    assert_eq!(long.len(), 100, "one token per word");
    let words: Vec<&str> = text.split(' ').collect();
    let alone = model.token_scores(&words[15..45].join(" ")).unwrap();
    assert_eq!(alone.len(), 30);
    for i in 23..=37 {
        assert!(close(&long[i], &alone[i - 15]), "token {i}");
        assert_eq!(&text[long[i].span.start..long[i].span.end], words[i]);
    }
    // Outside its central region the window is not used: context differs.
    assert!((38..45).any(|i| !close(&long[i], &alone[i - 15])));
}

#[test]
fn batching_and_padding_do_not_change_predictions() {
    let inputs = [
        "Anna Weber wohnt in Hamburg und arbeitet bei der Müller GmbH.".to_string(),
        "Hallo".to_string(),
        String::new(),
        long_text(80, " "),
        "Grüße aus Leipzig 👋, Frau Müller!".to_string(),
    ];
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    for m in all_variants() {
        let m = SyntheticModel {
            max_position_embeddings: m.max_position_embeddings - 24,
            ..m.with_bias("O", -1.5)
        };
        let (_tmp, mut model) = load(&m);
        model.set_batch_size(16);
        let batched = model.predict(&refs).unwrap();
        model.set_batch_size(1);
        let mut any = 0;
        for (i, t) in refs.iter().enumerate() {
            let single = model.predict(&[t]).unwrap().remove(0);
            assert_valid(t, &single);
            assert_eq!(single.len(), batched[i].len(), "{:?} text {i}", m.arch);
            for (a, b) in single.iter().zip(&batched[i]) {
                assert_eq!((a.span, a.label), (b.span, b.label));
                assert!((a.score - b.score).abs() < 1e-4);
            }
            any += single.len();
        }
        assert!(any > 0, "the random model should find something");
    }
}

#[test]
fn half_precision_weights_run_in_f32() {
    let text = "Anna  Weber  aus  Berlin";
    for dtype in [DType::F16, DType::BF16] {
        let m = SyntheticModel {
            dtype,
            ..SyntheticModel::default().with_bias("B-LOC", 30.0)
        };
        let (_tmp, model) = load(&m);
        let hits = model.predict(&[text]).unwrap().remove(0);
        assert_eq!(texts(text, &hits), ["Anna", "Weber", "aus", "Berlin"]);
    }
}

fn err(dir: &Path) -> ModelError {
    NerModel::load(dir, DeviceChoice::Cpu).unwrap_err()
}

fn rewrite_tensors(dir: &Path, f: impl FnOnce(&mut std::collections::HashMap<String, Tensor>)) {
    let path = dir.join("model.safetensors");
    let mut t = candle_core::safetensors::load(&path, &Device::Cpu).unwrap();
    f(&mut t);
    candle_core::safetensors::save(&t, &path).unwrap();
}

#[test]
fn clear_errors_for_broken_model_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    assert!(matches!(err(&missing), ModelError::NotFound(p) if p == missing));

    let fresh = || write(&SyntheticModel::default());

    let (_t, dir) = fresh();
    std::fs::remove_file(dir.join("tokenizer.json")).unwrap();
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::MissingFile(p) if p.ends_with("tokenizer.json")),
        "{e}"
    );

    let (_t, dir) = fresh();
    std::fs::write(dir.join("config.json"), "{\"model_type\": \"bert\",").unwrap();
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::Config { path, .. } if path.ends_with("config.json")),
        "{e}"
    );

    let (_t, dir) = fresh();
    let cfg = std::fs::read_to_string(dir.join("config.json")).unwrap();
    std::fs::write(dir.join("config.json"), cfg.replace("\"bert\"", "\"gpt2\"")).unwrap();
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::UnsupportedModelType { model_type, .. } if model_type == "gpt2")
    );
    assert!(e.to_string().contains("gpt2"));

    let (_t, dir) = fresh();
    std::fs::write(dir.join("tokenizer.json"), "not json").unwrap();
    assert!(matches!(err(&dir), ModelError::Tokenizer { .. }));

    let (_t, dir) = fresh();
    std::fs::write(dir.join("model.safetensors"), b"\x10\x00garbage").unwrap();
    assert!(matches!(err(&dir), ModelError::Weights { .. }));

    let (_t, dir) = fresh();
    rewrite_tensors(&dir, |t| {
        t.remove("classifier.weight");
    });
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::MissingTensor { name, .. } if name.contains("classifier.weight")),
        "{e}"
    );

    let (_t, dir) = fresh();
    rewrite_tensors(&dir, |t| {
        t.remove("bert.encoder.layer.1.attention.self.key.weight");
    });
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::MissingTensor { name, .. } if name.contains("layer.1.attention.self.key")),
        "{e}"
    );

    let (_t, dir) = fresh();
    rewrite_tensors(&dir, |t| {
        t.insert(
            "classifier.weight".into(),
            Tensor::zeros((9, 33), DType::F32, &Device::Cpu).unwrap(),
        );
    });
    let e = err(&dir);
    assert!(
        matches!(&e, ModelError::BadShape { msg, .. } if msg.contains("classifier")),
        "{e}"
    );

    // id2label and the classifier disagree on the number of labels.
    let (_t, dir) = fresh();
    let cfg = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    v["id2label"] = serde_json::json!({"0": "O", "1": "B-PER", "2": "I-PER"});
    std::fs::write(dir.join("config.json"), v.to_string()).unwrap();
    assert!(matches!(err(&dir), ModelError::BadShape { .. }));
}

#[test]
fn unavailable_devices_are_reported() {
    let (_tmp, dir) = write(&SyntheticModel::default());
    if !cfg!(feature = "cuda") {
        let e = NerModel::load(&dir, DeviceChoice::Cuda(0)).unwrap_err();
        assert!(matches!(e, ModelError::Device(_)), "{e}");
    }
    if !cfg!(feature = "metal") {
        assert!(matches!(
            NerModel::load(&dir, DeviceChoice::Metal),
            Err(ModelError::Device(_))
        ));
    }
    assert!(NerModel::load(&dir, DeviceChoice::Auto).is_ok());
}

#[test]
fn the_model_can_move_to_and_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<NerModel>();
}
