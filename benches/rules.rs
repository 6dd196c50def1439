//! Throughput of the rules-only path: `RuleSet::new().detect(text)` over a
//! realistic ~100 KB German customer-service text (tickets, e-mails with
//! signatures, CRM notes, numbers of every kind and plenty of prose), then
//! each rule family alone (`rules_family/<name>`), and the column-header
//! vetoes (`RuleSet::table_vetoes`) on a ~100 KB pasted CSV export, and
//! finally the whole rules-only analysis (rules, fusion, verdict,
//! redaction) of the largest text the analyzer takes by default, in the
//! two shapes that once cost quadratic time: a CSV export with thousands of
//! hits, and one line of diagnoses with no full stop.

use std::hint::black_box;

use ampel::analyzer::{AnalyzeOptions, Analyzer, DEFAULT_MAX_TEXT_BYTES};
use ampel::rules::RuleSet;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Building blocks of the corpus; `{n}` is replaced by a running number so
/// that the text is not one block repeated verbatim.
const BLOCKS: &[&str] = &[
    "Sehr geehrte Damen und Herren,\n\nich habe am 15.01.2024 über Ihren Onlineshop eine Bestellung aufgegeben (Bestellung #98{n}), die bis heute nicht angekommen ist. Laut Sendungsverfolgung liegt das Paket seit einer Woche im Verteilzentrum. Können Sie bitte nachsehen, was da los ist? Ich brauche die Ware dringend für den Geburtstag meiner Tochter am 3. März.\n\nMit freundlichen Grüßen\nAnna Schulz\nLindenstraße 12\n04109 Leipzig\nTel.: +49 341 1234{n}\nMobil: 0171/2345{n}\nE-Mail: anna.schulz{n}@example.com\n\n",
    "Ticket #4{n} – Rückruf erbeten. Kunde Herr Özdemir (Kundennr. 47{n}) meldet, dass die Rechnung Nr. RE-2024-{n} doppelt abgebucht wurde. Betrag 1.234,56 € bzw. 89,90 €. Bitte Gutschrift auf IBAN DE89 3704 0044 0532 0130 00 veranlassen. Rückrufnummer 030 98765{n}, erreichbar ab 14:30 Uhr. Vorgang an die Buchhaltung weitergeleitet.\n\n",
    "Hallo zusammen, kurze Info zum Stand der Dinge: Die neue Version 2.0.1.3 der App ist seit gestern live, die Fehlerquote im Checkout ist laut Monitoring deutlich gesunken. Durchschnittlicher Warenkorbwert: 85 €, NPS: 72. Die Kolleginnen und Kollegen aus dem Support berichten, dass die Anfragen zu Lieferverzögerungen zurückgehen. Für das nächste Quartal planen wir eine Umfrage unter allen Bestandskunden sowie eine Überarbeitung der FAQ unter https://www.example.com/hilfe/faq?ref={n}. Bei Fragen meldet euch gern direkt bei mir.\n\n",
    "CRM-Notiz {n}: Frau Dr. Weber hat angerufen wegen Vertragsnummer V-2023-{n}. Sie möchte ihre Adresse ändern und die Zahlung per Kreditkarte (4111 1111 1111 1111) auf Lastschrift umstellen. Geburtsdatum 12.06.1975, Steuer-ID 86095742719 liegt vor. Rückmeldung bis 31.05. zugesagt. Login zuletzt von 192.0.2.{n} aus.\n\n",
    "Guten Tag Herr Müller,\n\nvielen Dank für Ihre Nachricht vom 2024-02-{n} und Ihre Geduld. Wir haben Ihren Fall unter dem Aktenzeichen 3 O 123/24 aufgenommen und an die zuständige Fachabteilung übergeben. Sobald uns eine Rückmeldung vorliegt, melden wir uns umgehend bei Ihnen. Bitte halten Sie für Rückfragen Ihre Mitgliedsnummer bereit. Unsere Hotline ist montags bis freitags von 8 bis 18 Uhr erreichbar.\n\nFreundliche Grüße\nIhr Kundenservice\nMüller Logistik GmbH · Hauptstraße 5 · 80331 München\nTelefon +49 (0) 89 123456-{n} · Fax +49 (0) 89 123456-99\nwww.mueller-logistik.de · service@müller-logistik.de\nAmtsgericht München HRB 12345, USt-IdNr. DE123456789\n\n",
    "Die Lieferung ist leider beschädigt angekommen, der Karton war eingedrückt und zwei der sechs Gläser sind zerbrochen. Ich habe Fotos gemacht und hänge sie an. Bitte schicken Sie mir Ersatz oder erstatten Sie den Kaufpreis. Die Ware wurde am Dienstag geliefert, der Fahrer hatte es sehr eilig und hat nicht gewartet, bis ich die Sendung geprüft hatte. Ich bin seit vielen Jahren zufriedene Kundin und hoffe auf eine schnelle und unkomplizierte Lösung.\n\n",
];

fn corpus(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    let mut n = 0usize;
    while s.len() < target {
        for b in BLOCKS {
            s.push_str(&b.replace("{n}", &format!("{:03}", n % 1000)));
            n += 7;
        }
    }
    s
}

fn bench_rules(c: &mut Criterion) {
    let rules = RuleSet::new();
    let text = corpus(100 * 1024);
    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("detect_100k_german", |b| {
        b.iter(|| rules.detect(black_box(&text)))
    });
    // The shouted-line check every text pays (nothing here is shouted).
    group.bench_function("shouted_check_100k", |b| {
        b.iter(|| ampel::casing::quiet_function_words(black_box(&text)).len())
    });
    group.finish();

    // The analyzer asks every text for cells that hold no person; a CSV
    // export is the case where that scan does work.
    let mut csv = String::from("Kundennr;Vorname;Nachname;PLZ;Ort;Tarif;Status\n");
    let mut n = 0usize;
    while csv.len() < 100 * 1024 {
        csv.push_str(&format!(
            "{:06};Anna;Schulz;04109;Leipzig;Familie Plus;aktiv\n{:06};Mehmet;Özdemir;80331;München;Öko Klein;gekündigt\n",
            n,
            n + 1
        ));
        n += 2;
    }
    let mut group = c.benchmark_group("rules_tables");
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function("table_vetoes_100k_csv", |b| {
        b.iter(|| rules.table_vetoes(black_box(&csv)).no_person.len())
    });
    group.bench_function("table_vetoes_100k_prose", |b| {
        b.iter(|| rules.table_vetoes(black_box(&text)).no_person.len())
    });
    group.finish();

    let analyzer = Analyzer::rules_only();
    let opts = AnalyzeOptions::default();
    let big = DEFAULT_MAX_TEXT_BYTES - 200;
    let mut export = String::from("Kundennr;Vorname;Nachname;PLZ;Ort;Tarif;Status\n");
    let mut n = 0usize;
    while export.len() < big {
        export.push_str(&format!(
            "{:06};Anna;Schulz;04109;Leipzig;Familie Plus;aktiv\n",
            n
        ));
        n += 1;
    }
    let mut one_line = String::new();
    while one_line.len() < big {
        one_line.push_str("Diabetes bei Frau Weber, Asthma bei Herrn Koch, ");
    }
    let mut group = c.benchmark_group("analyze_1mib");
    group.sample_size(10);
    for (name, text) in [("csv_export", &export), ("one_line_diagnoses", &one_line)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                analyzer
                    .analyze(black_box(text), &opts)
                    .map(|a| a.entities.len())
            })
        });
    }
    group.finish();

    // One family at a time, to see where the time goes.
    let mut group = c.benchmark_group("rules_family");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for family in rules.families() {
        group.bench_function(family, |b| {
            b.iter(|| rules.detect_family(family, black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_rules);
criterion_main!(benches);
