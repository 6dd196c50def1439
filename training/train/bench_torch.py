#!/usr/bin/env python3
"""PyTorch reference speed of an exported ampel model, for the ratio to the Rust runtime.

Runs the same workloads as `cargo bench --bench model` on the same tickets
(benches/tickets.txt) with the same piece ids the runtime feeds the encoder
(word split + tokenizer, <s> … </s>), in fp32 on CPU with --threads threads:

  ticket_400_chars/batch1   one ticket, latency in ms
  16_tickets/batch16        16 tickets padded to the longest, pieces per second

Usage (run it right after the Rust bench on the same quiet machine):
  cargo bench --bench model
  python training/train/bench_torch.py --model models/ampel-ner-de --threads 2
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import encode_words, split_words  # noqa: E402
from model import load_base  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def piece_ids(tok, text):
    ids, _, _ = encode_words(tok, [w for w, _, _ in split_words(text)])
    return [tok.token_to_id("<s>")] + ids + [tok.token_to_id("</s>")]


def timed(fn, seconds):
    """Median wall time of fn() over repeated runs for about `seconds` (after one warm-up)."""
    fn()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < 5:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(REPO, "models", "ampel-ner-de"))
    ap.add_argument("--tickets", default=os.path.join(REPO, "benches", "tickets.txt"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=15.0, help="measurement time per workload")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(a.model, "tokenizer.json"))
    pad = tok.token_to_id("<pad>")
    model = load_base(a.model).float().eval()
    tickets = [line for line in open(a.tickets, encoding="utf-8").read().splitlines() if line]
    seqs = [piece_ids(tok, tickets[i % len(tickets)]) for i in range(16)]

    def batch(rows):
        n = max(len(r) for r in rows)
        ids = torch.full((len(rows), n), pad, dtype=torch.long)
        attn = torch.zeros((len(rows), n), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            attn[i, : len(r)] = 1
        return ids, attn

    one, sixteen = batch(seqs[:1]), batch(seqs)
    with torch.inference_mode():
        t1 = timed(lambda: model(*one), a.seconds)
        t16 = timed(lambda: model(*sixteen), a.seconds)
    n1, n16 = len(seqs[0]), sum(len(s) for s in seqs)
    print(f"model {a.model}: {model.config['num_hidden_layers']} layers, torch {torch.__version__}, {a.threads} threads, fp32")
    print(f"ticket_400_chars/batch1: {len(tickets[0])} chars, {n1} pieces, {t1 * 1000:.1f} ms, {n1 / t1:.0f} pieces/s")
    print(f"16_tickets/batch16: {n16} pieces, {t16 * 1000:.1f} ms, {n16 / t16:.0f} pieces/s")


if __name__ == "__main__":
    main()
