//! End-to-end tests of the `ampel` binary: the SPEC example, the JSON line
//! contract, redact → restore through a mapping file, and every kind of bad
//! input with its documented exit status.

use assert_cmd::Command;
use predicates::prelude::*;
use serde::Deserialize;

const SPEC_EXAMPLE: &str = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"";

fn ampel() -> Command {
    let mut c = Command::cargo_bin("ampel").expect("binary is built");
    c.env_remove("AMPEL_MODEL").env_remove("AMPEL_POLICY");
    c
}

/// The SPEC's output line, checked strictly: unknown fields are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: serde_json::Value,
    ampel: String,
    entities: Vec<Ent>,
    redacted: String,
    #[allow(dead_code)]
    reasons: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ent {
    start: usize,
    end: usize,
    label: String,
    score: f32,
    source: String,
    byte_start: usize,
    byte_end: usize,
}

fn slice_cp(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

/// Run `ampel analyze --jsonl EXTRA…` on one text and parse the SPEC line.
fn analyze_line(text: &str, extra: &[&str]) -> Line {
    let input = serde_json::json!({"id": "1", "text": text}).to_string();
    let out = ampel()
        .args(["analyze", "--jsonl"])
        .args(extra)
        .write_stdin(format!("{input}\n"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("one SPEC line")
}

/// (surface, label) of every entity of `line`.
fn surfaces(text: &str, line: &Line) -> Vec<(String, String)> {
    line.entities
        .iter()
        .map(|e| (slice_cp(text, e.start, e.end), e.label.clone()))
        .collect()
}

fn assert_found(found: &[(String, String)], want: &[(&str, &str)]) {
    for (surface, label) in want {
        assert!(
            found.contains(&(surface.to_string(), label.to_string())),
            "missing {surface} as {label} in {found:?}"
        );
    }
}

#[test]
fn spec_example_is_red_with_the_rule_spans() {
    let line = analyze_line(SPEC_EXAMPLE, &["--rules-only"]);
    assert_eq!(line.id, "1");
    assert_eq!(line.ampel, "RED");
    let found = surfaces(SPEC_EXAMPLE, &line);
    assert_found(
        &found,
        &[
            ("Weber", "PERSON"),
            ("weber@example.com", "EMAIL"),
            ("4711", "ID_NUMBER"),
            ("15.01.", "DATE"),
            ("schwanger", "HEALTH"),
        ],
    );
    assert!(found
        .iter()
        .any(|(s, l)| l == "ID_NUMBER" && s.trim_start_matches('#') == "98765"));
    for e in &line.entities {
        assert!(e.source == "rule");
        assert!((0.0..=1.0).contains(&e.score));
        assert_eq!(
            SPEC_EXAMPLE[e.byte_start..e.byte_end],
            slice_cp(SPEC_EXAMPLE, e.start, e.end)
        );
    }
    assert!(!line.redacted.contains("Weber"));
    assert!(line.redacted.contains("[PERSON_1]"));
}

#[test]
fn jsonl_keeps_order_and_reports_bad_lines() {
    let mut stdin = Vec::new();
    stdin.extend_from_slice(b"{\"id\":\"a\",\"text\":\"Kundennr. 4711\"}\n");
    stdin.extend_from_slice(b"{broken\n");
    stdin.extend_from_slice(b"{\"id\":\"c\",\"nottext\":1}\n");
    stdin.extend_from_slice(b"\xc3\x28\n");
    stdin.extend_from_slice(
        b"{\"id\":\"e\",\"text\":\"Durchschnittlicher Warenkorbwert: 85 \xe2\x82\xac\"}\n",
    );
    let out = ampel()
        .args(["analyze", "--jsonl", "--rules-only"])
        .write_stdin(stdin)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["ampel"], "YELLOW");
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "c");
    assert!(lines[2]["error"].is_string());
    assert!(lines[3]["error"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(lines[4]["ampel"], "GREEN");
}

#[test]
fn redact_then_restore_round_trips_through_the_map_file() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.json");
    let redacted = ampel()
        .args(["redact", "--rules-only", "--map"])
        .arg(&map)
        .write_stdin(SPEC_EXAMPLE)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let redacted = String::from_utf8(redacted).unwrap();
    assert!(!redacted.contains("weber@example.com"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&map).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "mapping must be private to its owner");
    }
    let answer = format!("Antwort an [person_1]: {redacted}");
    let restored = ampel()
        .args(["restore", "--map"])
        .arg(&map)
        .write_stdin(answer)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let restored = String::from_utf8(restored).unwrap();
    assert_eq!(restored, format!("Antwort an Weber: {SPEC_EXAMPLE}"));
}

#[test]
fn check_prints_a_verdict_and_json() {
    ampel()
        .args(["check", "--rules-only", "--color", "never"])
        .write_stdin(SPEC_EXAMPLE)
        .assert()
        .success()
        .stdout(predicate::str::contains("● RED"))
        .stdout(predicate::str::contains("⟦Weber|PERSON⟧"));
    let out = ampel()
        .args(["check", "--rules-only", "--json"])
        .write_stdin("Die Messe war gut besucht.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["ampel"], "GREEN");
}

#[test]
fn check_exit_code_follows_the_colour() {
    ampel()
        .args(["check", "--rules-only", "--exit-code"])
        .write_stdin(SPEC_EXAMPLE)
        .assert()
        .code(20);
    ampel()
        .args(["check", "--rules-only", "--exit-code"])
        .write_stdin("Der Umsatz stieg um 3 Prozent.")
        .assert()
        .code(0);
}

#[test]
fn bad_input_has_clear_errors_and_exit_status_2() {
    ampel()
        .args(["check", "--rules-only"])
        .write_stdin(&b"Gr\xfc\xdfe"[..])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
    ampel()
        .args(["check", "--rules-only"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
    let ten_mb = "Hallo Welt. ".repeat(10 * 1024 * 1024 / 12 + 1);
    ampel()
        .args(["check", "--rules-only"])
        .write_stdin(ten_mb)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than the limit"));
    ampel()
        .args(["check", "--rules-only", "/nonexistent/file.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn a_policy_with_an_unknown_label_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.toml");
    std::fs::write(
        &p,
        "version = \"x\"\nidentifying = [\"NAME\"]\n[bulk]\nmin_persons = 3\nmin_identifiers = 6\nmin_thread_headers = 3\nmin_thread_persons = 2\nmin_rows = 3\n",
    )
    .unwrap();
    ampel()
        .args(["check", "--rules-only", "--policy"])
        .arg(&p)
        .write_stdin("Hallo")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME"));
}

#[test]
fn missing_or_corrupt_model_exits_3_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    ampel()
        .args(["analyze", "--jsonl", "--model"])
        .arg(dir.path().join("nope"))
        .write_stdin("{\"id\":\"1\",\"text\":\"x\"}\n")
        .assert()
        .code(3);
    std::fs::write(dir.path().join("config.json"), "{ not json").unwrap();
    ampel()
        .args(["check", "--model"])
        .arg(dir.path())
        .write_stdin("Hallo")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("model"));
}

#[test]
fn restore_with_a_broken_map_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("m.json");
    std::fs::write(&map, "[]").unwrap();
    ampel()
        .args(["restore", "--map"])
        .arg(&map)
        .write_stdin("[PERSON_1]")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an ampel mapping"));
}

#[test]
fn the_shipped_model_finds_name_address_city_and_surgery() {
    let text = "Herr Koch aus der Lindenstraße 5 in Leipzig hat nach seiner Knie-OP angerufen.";
    let line = analyze_line(text, &[]);
    assert_eq!(line.ampel, "RED");
    assert_found(
        &surfaces(text, &line),
        &[
            ("Koch", "PERSON"),
            ("Lindenstraße 5", "ADDRESS"),
            ("Leipzig", "LOCATION"),
            ("Knie-OP", "HEALTH"),
        ],
    );
    assert!(
        line.entities.iter().any(|e| e.source.contains("model")),
        "the default model took part"
    );
}

#[test]
fn the_shipped_model_reads_shouted_text_with_spans_into_the_original() {
    let text = "HALLO, ICH HABE SEIT MEINER CHEMOTHERAPIE PROBLEME MIT DER RECHNUNG. \
                GRUSS HILDBURG FUCHS AUS DORTMUND";
    let line = analyze_line(text, &[]);
    assert_eq!(line.ampel, "RED");
    assert_found(
        &surfaces(text, &line),
        &[
            ("CHEMOTHERAPIE", "HEALTH"),
            ("HILDBURG FUCHS", "PERSON"),
            ("DORTMUND", "LOCATION"),
        ],
    );
    assert!(
        line.entities
            .iter()
            .any(|e| e.label == "PERSON" && e.source.contains("model")),
        "the model read the shouted name"
    );
}

#[test]
fn the_shipped_model_leaves_brands_to_the_organisation_list() {
    // The model alone reads "Rowenta Bügeleisen" and "Staubsauger" as people.
    let text = "Mein Rowenta Bügeleisen ist kaputt, der Miele Staubsauger auch. \
                Frau Miele hat beides bestellt.";
    let line = analyze_line(text, &[]);
    let found = surfaces(text, &line);
    assert_eq!(
        found,
        [
            ("Rowenta", "ORGANIZATION"),
            ("Miele", "ORGANIZATION"),
            ("Miele", "PERSON"),
        ]
        .map(|(s, l)| (s.to_string(), l.to_string()))
        .to_vec()
    );
    assert_eq!(line.ampel, "YELLOW");
}

#[test]
fn model_only_reports_only_model_spans_and_is_refused_where_it_does_not_apply() {
    // The shipped model, no rules: every entity comes from the model, and
    // the e-mail address (a rule's label) is not among them.
    let line = analyze_line(SPEC_EXAMPLE, &["--model-only"]);
    assert!(!line.entities.is_empty());
    assert!(line.entities.iter().all(|e| e.source == "model"));
    assert!(line.entities.iter().all(|e| e.label != "EMAIL"));
    ampel()
        .args(["analyze", "--jsonl", "--model-only", "--rules-only"])
        .write_stdin("{\"text\":\"x\"}\n")
        .assert()
        .code(2);
    ampel()
        .args(["eval", "--model-only", "--data", "jsonl:/nonexistent"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--modes model"));
}
