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

const TICKETS: [&str; 4] = [
    "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend. Bitte rufen Sie mich unter 0171 2345678 zurück oder schreiben Sie an Lindenstraße 12, 04109 Leipzig. Vielen Dank für Ihre Hilfe und freundliche Grüße, Anna Weber aus Leipzig.",
    "Sehr geehrte Damen und Herren, am Montag habe ich bei der Müller Logistik GmbH in Hamburg ein Paket aufgegeben, das bis heute nicht zugestellt wurde. Die Sendungsnummer lautet 00340434161234567890. Mein Nachbar Herr Özdemir hat es angeblich angenommen, aber er war zu dieser Zeit im Urlaub in Bayern. Ich bitte um schnelle Klärung und eine Gutschrift auf mein Konto. Mit freundlichen Grüßen, Jonas Schulz",
    "Hallo Team, leider ist die Rechnung vom 3. März falsch: statt 85 Euro wurden 185 Euro abgebucht. Meine Kundennummer ist 123456, die Rechnung ging an Peter Schmidt, Hauptstraße 5 in Köln. Bitte korrigieren Sie den Betrag und senden Sie mir eine neue Rechnung per E-Mail. Falls Rückfragen bestehen, erreichen Sie mich tagsüber im Büro der AOK Bayern in München. Danke und viele Grüße aus Köln!",
    "Guten Tag, ich möchte meinen Vertrag zum nächsten möglichen Termin kündigen. Vertragsnummer 2024-77812, Inhaberin Maria Hoffmann, geboren am 12.04.1985, wohnhaft in Dresden. Als Grund nenne ich meinen Umzug nach Österreich zu meiner Familie. Bitte bestätigen Sie die Kündigung schriftlich und teilen Sie mir mit, ob noch offene Beträge bestehen. Mit freundlichen Grüßen und vielen Dank, Maria Hoffmann aus Dresden",
];

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("bench-bert-6x384");
    // Every word of the tickets is one token, as most are in a real German
    // vocabulary; punctuation and digits split as usual.
    let mut words: Vec<String> = TICKETS
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

    let tickets: Vec<&str> = (0..16).map(|i| TICKETS[i % TICKETS.len()]).collect();
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
    let long: String = TICKETS.join(" ").repeat(3);
    g.throughput(Throughput::Elements(tokens(&[long.as_str()])));
    g.bench_function(BenchmarkId::new("long_text_windowed", "batch16"), |b| {
        b.iter(|| black_box(model.predict(&[black_box(long.as_str())]).expect("predict")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
