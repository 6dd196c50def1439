//! Dependencies point one way. This test reads the sources and fails when a
//! lower layer imports a higher one (see the module map in src/lib.rs):
//! rules and model know nothing about fusion, policy or servers; the server
//! knows nothing about candle, tokenizers, rules or model internals.

use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

fn assert_no(dir: &str, forbidden: &[&str]) {
    for (path, text) in sources(dir) {
        for line in text.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            for f in forbidden {
                assert!(
                    !line.contains(f),
                    "{path} must not use `{f}` (layering), found: {line}"
                );
            }
        }
    }
}

#[test]
fn rules_know_nothing_above_them() {
    assert_no(
        "src/rules",
        &[
            "crate::model",
            "crate::fuse",
            "crate::policy",
            "crate::redact",
            "crate::analyzer",
            "crate::server",
            "crate::eval",
            "crate::cli",
            "tonic",
            "tokio",
            "candle",
        ],
    );
}

#[test]
fn model_knows_nothing_above_it() {
    assert_no(
        "src/model",
        &[
            "crate::rules",
            "crate::fuse",
            "crate::policy",
            "crate::redact",
            "crate::analyzer",
            "crate::server",
            "crate::eval",
            "crate::cli",
            "tonic",
            "tokio::",
        ],
    );
}

#[test]
fn server_knows_no_model_internals() {
    assert_no(
        "src/server",
        &["candle", "tokenizers", "crate::rules", "hf_hub"],
    );
}

#[test]
fn only_the_cli_and_jsonl_print() {
    for (path, text) in sources("src") {
        if path.ends_with("cli.rs") || path.ends_with("jsonl.rs") {
            continue;
        }
        let body = text.split("#[cfg(test)]").next().unwrap_or("");
        assert!(
            !body.contains("println!"),
            "{path} prints to stdout; only cli.rs and jsonl.rs may"
        );
    }
}
