#!/usr/bin/env python3
"""Average the weights of taggers fine-tuned from the same base (a "model soup").

Wortsman et al., "Model soups: averaging weights of multiple fine-tuned models
improves accuracy without increasing inference time" (ICML 2022): runs that start
from the same pre-trained weights usually stay in one basin, so their mean is a
working model that behaves much like their ensemble at the cost of one. The
inputs must have the same shape (layers, vocabulary); each is either a run folder
(checkpoint.pt written by train.py) or an exported model folder (model.safetensors,
e.g. the shipped models/ampel-ner-de). The output is a checkpoint.pt that
export.py turns into a model folder:

  python training/train/soup.py --out /work/train-work/soup/checkpoint.pt \\
      models/ampel-ner-de /work/train-work/run-s14
  python training/train/export.py --checkpoint /work/train-work/soup/checkpoint.pt \\
      --out /work/train-work/soup/model

--weights 0.5,0.5 sets the mixing weights (default: uniform).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import BertTagger, load_base, load_checkpoint  # noqa: E402


def load(path: str):
    """-> (config, fp32 state dict) of a run folder or an exported model folder."""
    ck = os.path.join(path, "checkpoint.pt")
    if os.path.exists(ck):
        model, _ = load_checkpoint(ck)
    elif os.path.exists(os.path.join(path, "model.safetensors")):
        model = load_base(path)
    else:
        raise SystemExit(f"{path}: neither checkpoint.pt nor model.safetensors")
    return model.config, {k: v.float() for k, v in model.state_dict().items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="run folders or exported model folders")
    ap.add_argument("--weights", default=None, help="comma-separated mixing weights (default: uniform)")
    ap.add_argument("--out", required=True, help="checkpoint.pt to write")
    a = ap.parse_args()
    if len(a.inputs) < 2:
        raise SystemExit("a soup needs at least two inputs")
    w = [float(x) for x in a.weights.split(",")] if a.weights else [1.0] * len(a.inputs)
    if len(w) != len(a.inputs) or sum(w) <= 0:
        raise SystemExit("--weights needs one positive-sum weight per input")
    w = [x / sum(w) for x in w]
    loaded = [load(p) for p in a.inputs]
    cfg, first = loaded[0]
    for p, (_, sd) in zip(a.inputs[1:], loaded[1:]):
        if sd.keys() != first.keys() or any(sd[k].shape != first[k].shape for k in first):
            raise SystemExit(f"{p}: tensors differ in names or shapes from {a.inputs[0]}")
    soup = {k: sum(wi * sd[k] for wi, (_, sd) in zip(w, loaded)) for k in first}
    BertTagger(cfg).load_state_dict(soup)  # fails loudly on a mismatch
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    args = {"soup": a.inputs, "weights": w}
    torch.save({"config": cfg, "state_dict": soup, "args": args, "history": []}, a.out)
    with open(os.path.join(os.path.dirname(os.path.abspath(a.out)), "summary.json"), "w") as f:
        json.dump({"args": args, "history": [], "steps": None, "train_minutes": 0}, f, indent=1)
    print(f"soup of {len(a.inputs)} ({', '.join(f'{x:.2f}' for x in w)}) -> {a.out}")


if __name__ == "__main__":
    main()
