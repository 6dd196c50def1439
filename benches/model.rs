//! NER runtime throughput: tokens per second at batch 1 and batch 16, and
//! the latency of one 400-character support ticket.
//!
//! Runs on the shipped model (`models/ampel-ner-de`, or `AMPEL_BENCH_MODEL`)
//! when it exists, else on a random BERT of the same shape (6 layers, hidden
//! 384, 12 heads, intermediate 1536) whose weights make only speed
//! meaningful.

use std::hint::black_box;
use std::time::Duration;

use ampel::model::synthetic::SyntheticModel;
use ampel::model::{DeviceChoice, NerModel};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Four German support tickets of ~370–400 characters, one per line; the
/// PyTorch comparison (`training/train/bench_torch.py`) reads the same file.
const TICKETS_TXT: &str = include_str!("tickets.txt");

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("bench-bert-6x384");
    // Every word of the tickets is one token, as most are in a real German
    // vocabulary; punctuation and digits split as usual.
    let tickets_all: Vec<&str> = TICKETS_TXT.lines().filter(|l| !l.is_empty()).collect();
    let mut words: Vec<String> = tickets_all
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    words.sort();
    words.dedup();
    SyntheticModel {
        layers: 6,
        hidden: 384,
        heads: 12,
        intermediate: 1536,
        max_position_embeddings: 512,
        vocab_size: 30_522,
        words,
        ..SyntheticModel::default()
    }
    .write(&dir)
    .expect("write synthetic model");
    let shipped = std::env::var_os("AMPEL_BENCH_MODEL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ampel-ner-de")
        });
    let dir = if shipped.join("config.json").is_file() {
        shipped
    } else {
        dir
    };
    eprintln!("model: {}", dir.display());
    let mut model = NerModel::load(&dir, DeviceChoice::Cpu).expect("load");
    model.set_batch_size(16);

    let tickets: Vec<&str> = (0..16)
        .map(|i| tickets_all[i % tickets_all.len()])
        .collect();
    let tokens = |ts: &[&str]| -> u64 {
        ts.iter()
            .map(|t| model.token_scores(t).expect("score").len() as u64)
            .sum()
    };
    let one = &tickets[..1];
    eprintln!(
        "ticket: {} chars, {} tokens; 16 tickets: {} tokens; threads: {}",
        one[0].chars().count(),
        tokens(one),
        tokens(&tickets),
        candle_core::utils::get_num_threads()
    );

    let mut g = c.benchmark_group("ner_6x384");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Elements(tokens(one)));
    g.bench_function(BenchmarkId::new("ticket_400_chars", "batch1"), |b| {
        b.iter(|| black_box(model.predict(black_box(one)).expect("predict")))
    });
    g.throughput(Throughput::Elements(tokens(&tickets)));
    g.bench_function(BenchmarkId::new("16_tickets", "batch16"), |b| {
        b.iter(|| black_box(model.predict(black_box(&tickets)).expect("predict")))
    });
    let long: String = tickets_all.join(" ").repeat(3);
    g.throughput(Throughput::Elements(tokens(&[long.as_str()])));
    g.bench_function(BenchmarkId::new("long_text_windowed", "batch16"), |b| {
        b.iter(|| black_box(model.predict(&[black_box(long.as_str())]).expect("predict")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
