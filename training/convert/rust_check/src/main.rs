//! Encodes every `{"text": ...}` line of a JSON-lines file with a `tokenizer.json` through
//! the Rust `tokenizers` crate (the one the ampel runtime uses) and prints one JSON line per
//! input: `{"ids": [...], "offsets": [[start, end], ...], "slices_valid": bool}` with BYTE
//! offsets into the original text. `slices_valid` says every offset range lies on UTF-8
//! character boundaries of the original text (so `&text[start..end]` cannot panic).
//!
//! Usage: `tokenizer-check TOKENIZER_JSON INPUT_JSONL`

use std::io::{BufRead, BufReader, Write};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(tok_path), Some(input)) = (args.get(1), args.get(2)) else {
        return Err("usage: tokenizer-check TOKENIZER_JSON INPUT_JSONL".into());
    };
    let tok = tokenizers::Tokenizer::from_file(tok_path)?;
    let reader = BufReader::new(std::fs::File::open(input)?);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().ok_or("missing text")?;
        let enc = tok.encode(text, true)?;
        let offsets: Vec<[usize; 2]> = enc.get_offsets().iter().map(|&(s, e)| [s, e]).collect();
        let slices_valid = offsets
            .iter()
            .all(|&[s, e]| s <= e && text.get(s..e).is_some());
        let row = serde_json::json!({
            "ids": enc.get_ids(),
            "offsets": offsets,
            "slices_valid": slices_valid,
        });
        writeln!(out, "{row}")?;
    }
    Ok(())
}
