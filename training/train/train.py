#!/usr/bin/env python3
"""Fine-tune the German NER tagger on CPU (PyTorch), then export it for the Rust runtime.

Reads the word-level BIO examples written by training/data/prepare.py, trains a
BERT encoder (the first --layers layers of the base) plus a linear token
classification head, evaluates on the 500 held-out GermEval dev sentences
(strict span F1, PER/LOC/ORG) and on the synthetic dev split, and exports
models/ampel-ner-de/ (see export.py).

Schedule: AdamW, linear warm-up then linear decay to zero. With --minutes N the
schedule runs on wall-clock *training* time (evaluation excluded) and training
stops when N minutes are used; with --steps N it runs on steps.

Each step draws a batch from the sources in proportion to --mix (examples are
drawn in groups of 8 batches and sorted by length inside the group to cut
padding). Labels sit on each word's first non-bare piece; other pieces get -100.

Mention replacement (--augment P, sources --augment-srcs): a drawn example of
those sources is, with probability P, re-written before tokenization: each of
its PERSON/LOCATION/ORGANIZATION mentions is, with probability 0.8, replaced by
a random mention of the same label from the training corpora (GermEval,
Europarl, synthetic). The 1,700 GermEval sentences are otherwise memorised
within minutes (training loss ~0.002); new names in known contexts make the
model read the context instead of the name (Dai & Adel, "An Analysis of Simple
Data Augmentation for Named Entity Recognition", COLING 2020).

Distillation (--teacher RUN_DIR[,RUN_DIR...]): trained taggers (e.g. 12 layers) label
every training window once before training (the mean of their probabilities at
temperature T: several teachers are an ensemble); the loss is
(1 - a) * cross-entropy + a * T^2 * KL(teacher_T || student_T) over the labelled pieces
(--kd-alpha a, --kd-temp T; Hinton et al. 2015). With --init-from-teacher L0,L1,... the
student's encoder layers start from the first teacher's layers (DistilBERT's
every-other-layer initialisation) instead of the base.

Evaluation ignores predictions that only hit GermEval OTH/*deriv/*part words (the
"ignore" ranges prepare.py writes), as `ampel eval` does. --keep-best saves the
evaluated state with the best validation score (GermEval held-out micro + PER +
synthetic dev micro) instead of the last one.

--ema D keeps an exponential moving average of the weights (decay D per step,
torch.optim.swa_utils.AveragedModel) next to the trained ones; at the end it is
evaluated too and saved as checkpoint_ema.pt, so one run yields both candidates
(the export stays the plain weights; export.py --checkpoint takes either).

--device cuda (with --bf16 autocast) runs the same recipe on a GPU; see
training/run_gpu.sh. With both --steps and --minutes the schedule follows whichever
budget is further used up, so the learning rate always reaches zero.

Example (the documented full run):
  python training/train/train.py --base /work/train-work/e5-de-hf --layers 6 --minutes 70
Smoke run:
  python training/train/train.py --layers 2 --minutes 1 --eval-every 0.5
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

import torch
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import Scores, encode_words, spans_from_bio, windows  # noqa: E402
from model import LABEL2ID, LABELS, BertTagger, load_base, load_checkpoint, toy_config, init_weights  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def featurize(tok, rows, max_len):
    """Examples -> list of (ids, label_positions, label_ids) windows, plus word-level alignment for eval."""
    out = []
    cls_id, sep_id = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    for r in rows:
        ids, first, wstart = encode_words(tok, r["words"])
        npw = [(wstart[w + 1] if w + 1 < len(wstart) else len(ids)) - wstart[w] for w in range(len(wstart))]
        for a, b in windows(npw, max_len - 2):
            if a == b:
                continue
            p0 = wstart[a] if a < len(wstart) else len(ids)
            p1 = wstart[b] if b < len(wstart) else len(ids)
            wid = [cls_id] + ids[p0:p1][: max_len - 2] + [sep_id]
            pos = [first[w] - p0 + 1 for w in range(a, b)]
            pos = [p if p < len(wid) - 1 else len(wid) - 2 for p in pos]
            lab = [LABEL2ID[t] for t in r["labels"][a:b]]
            out.append({"src": r["src"], "id": r["id"], "ids": wid, "pos": pos, "lab": lab, "w0": a,
                        "ignore": r.get("ignore", [])})
    return out


def collate(batch, pad_id, soft=False):
    """-> (ids, attention mask, targets) on the CPU; targets are -100 except at labelled pieces.
    With soft=True also the precomputed teacher log-probabilities [batch, len, labels] (zeros
    where unlabelled), written at the same pieces as the targets."""
    n = max(len(x["ids"]) for x in batch)
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    attn = torch.zeros((len(batch), n), dtype=torch.long)
    tgt = torch.full((len(batch), n), -100, dtype=torch.long)
    st = torch.zeros((len(batch), n, len(LABELS))) if soft else None
    for i, x in enumerate(batch):
        ids[i, : len(x["ids"])] = torch.tensor(x["ids"])
        attn[i, : len(x["ids"])] = 1
        for k, (p, lab) in enumerate(zip(x["pos"], x["lab"])):
            tgt[i, p] = lab
            if soft:
                st[i, p] = x["soft"][k]
    if soft:
        return ids, attn, tgt, st
    return ids, attn, tgt


@torch.no_grad()
def soft_targets(teachers, feats, pad_id, temp, bs=128):
    """Store on every feature (key "soft") the teachers' ensemble log-probabilities at temperature
    temp for its labelled pieces: the mean of the teachers' probabilities, then the log."""
    dev = next(teachers[0].parameters()).device
    order = sorted(range(len(feats)), key=lambda i: len(feats[i]["ids"]))
    for k in range(0, len(order), bs):
        idx = order[k:k + bs]
        ids, attn, _ = collate([feats[i] for i in idx], pad_id)
        ids, attn = ids.to(dev), attn.to(dev)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            prob = sum(F.softmax(t(ids, attn).float() / temp, -1) for t in teachers) / len(teachers)
        logp = prob.clamp_min(1e-12).log().cpu()
        for j, i in enumerate(idx):
            feats[i]["soft"] = logp[j, feats[i]["pos"]].clone()


@torch.no_grad()
def predict(model, feats, pad_id, bs=32):
    """-> list of predicted label-name lists, one per feature window."""
    model.eval()
    dev = next(model.parameters()).device
    order = sorted(range(len(feats)), key=lambda i: len(feats[i]["ids"]))
    preds = [None] * len(feats)
    for k in range(0, len(order), bs):
        idx = order[k:k + bs]
        ids, attn, _ = collate([feats[i] for i in idx], pad_id)
        am = model(ids.to(dev), attn.to(dev)).float().argmax(-1).cpu()
        for j, i in enumerate(idx):
            preds[i] = [LABELS[am[j, p]] for p in feats[i]["pos"]]
    model.train()
    return preds


def evaluate(model, feats, pad_id, types=None):
    preds = predict(model, feats, pad_id)
    # re-join windows of the same example
    gold_by = {}
    ignore = {}
    for f, p in zip(feats, preds):
        gold_by.setdefault(f["id"], []).append((f["w0"], [LABELS[x] for x in f["lab"]], p))
        ignore[f["id"]] = f.get("ignore", [])
    sc = Scores()
    for key, parts in gold_by.items():
        parts.sort(key=lambda t: t[0])
        sc.add([g for _, gl, _ in parts for g in gl], [q for _, _, pl in parts for q in pl], ignore[key])
    return sc.table(types)


def fmt(table):
    return " ".join(f"{t}={v[2]:.3f}" for t, v in table.items())


AUG_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
POOL_SRCS = ("germeval", "europarl", "synth")


def mention_pool(rows):
    """label -> (distinct corpus mentions, distinct synthetic mentions), each a list of word tuples."""
    corpus = {t: set() for t in AUG_TYPES}
    synth = {t: set() for t in AUG_TYPES}
    for r in rows:
        if r["src"] not in POOL_SRCS:
            continue
        into = synth if r["src"] == "synth" else corpus
        for t, a, b in spans_from_bio(r["labels"]):
            m = r["words"][a:b]
            # written as in running text: capitalised, not ALL-CAPS (the synthetic data has both variants)
            if t in into and b - a <= 6 and m[0][:1].isupper() and not all(w.isupper() and len(w) > 3 for w in m):
                into[t].add(tuple(m))
    return {t: (sorted(corpus[t]), sorted(synth[t])) for t in AUG_TYPES}


def replace_mentions(row, pool, rng, p_mention=0.8):
    """A copy of row with some PER/LOC/ORG mentions swapped for random same-label ones
    (half of them from the corpora, half from the synthetic names of many origins)."""
    words, labels, last = [], [], 0
    for t, a, b in spans_from_bio(row["labels"]):
        words += row["words"][last:a]
        labels += row["labels"][last:a]
        if t in pool and rng.random() < p_mention:
            corpus, synth = pool[t]
            new = list(rng.choice(corpus if rng.random() < 0.5 or not synth else synth))
            words += new
            labels += [f"B-{t}"] + [f"I-{t}"] * (len(new) - 1)
        else:
            words += row["words"][a:b]
            labels += row["labels"][a:b]
        last = b
    words += row["words"][last:]
    labels += row["labels"][last:]
    return {**row, "words": words, "labels": labels}


def batches(feats_by_src, mix, bs, rng, aug=None):
    """Endless batches; aug = (probability, {src: rows}, pool, tokenizer, max_len) or None."""
    srcs = [s for s in mix if feats_by_src.get(s)]
    weights = [mix[s] for s in srcs]

    def draw():
        src = rng.choices(srcs, weights)[0]
        if aug and src in aug[1] and rng.random() < aug[0]:
            _, rows, pool, tok, max_len = aug
            wins = featurize(tok, [replace_mentions(rng.choice(rows[src]), pool, rng)], max_len)
            if wins:
                return rng.choice(wins)
        return rng.choice(feats_by_src[src])

    while True:
        group = [draw() for _ in range(bs * 8)]
        group.sort(key=lambda x: len(x["ids"]))
        chunks = [group[i:i + bs] for i in range(0, len(group), bs)]
        rng.shuffle(chunks)
        yield from chunks


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="/work/train-work/e5-de-hf", help="HF BERT folder (config.json, model.safetensors, tokenizer.json)")
    ap.add_argument("--toy", action="store_true", help="tiny random BERT with the base's tokenizer (pipeline tests only)")
    ap.add_argument("--data", default="/work/train-work/prepared")
    ap.add_argument("--layers", type=int, default=6, help="keep only the first K encoder layers")
    ap.add_argument("--minutes", type=float, default=None, help="training time budget (evaluation excluded)")
    ap.add_argument("--steps", type=int, default=None, help="step budget (when --minutes is not given)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=160, help="pieces per window incl. <s> and </s>")
    ap.add_argument("--lr", type=float, default=1e-4, help="peak learning rate of the encoder")
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--emb-lr", type=float, default=None, help="word embedding lr (default: --lr)")
    ap.add_argument("--freeze-embeddings", action="store_true", help="do not train the word embedding matrix (default when vocab > 100k)")
    ap.add_argument("--warmup", type=float, default=0.06, help="fraction of the budget")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--mix", default="synth=0.4,germeval=0.3,ler=0.15,europarl=0.15")
    ap.add_argument("--augment", type=float, default=0.0, help="mention-replacement probability per drawn example (0 = off)")
    ap.add_argument("--augment-srcs", default="germeval,europarl", help="sources whose examples get mention replacement")
    ap.add_argument("--eval-every", type=float, default=10.0, help="minutes of training between evaluations")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (GPU)")
    ap.add_argument("--teacher", default=None,
                    help="run dir (checkpoint.pt) of a trained tagger to distil from; several, comma-separated, "
                         "are an ensemble (mean probability)")
    ap.add_argument("--kd-alpha", type=float, default=0.5, help="weight of the distillation term")
    ap.add_argument("--kd-temp", type=float, default=2.0, help="softmax temperature of the distillation term")
    ap.add_argument("--init-from-teacher", default=None,
                    help="comma-separated teacher layers that initialise the student's encoder layers (e.g. 0,2,4,6,8,10)")
    ap.add_argument("--fp16-checkpoint", action="store_true", help="store the checkpoint's weights as fp16 (half the size)")
    ap.add_argument("--keep-best", action="store_true",
                    help="save the evaluated state with the best validation score (GermEval held-out micro + PER"
                         " + synthetic dev micro) instead of the last one")
    ap.add_argument("--ema", type=float, default=0.0, help="also keep an EMA of the weights with this decay per step (0 = off)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--run-dir", default="/work/train-work/run")
    ap.add_argument("--export-dir", default=os.path.join(REPO, "models", "ampel-ner-de"))
    ap.add_argument("--no-export", action="store_true")
    a = ap.parse_args()
    if a.minutes is None and a.steps is None:
        a.minutes = 70.0

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
    rng = random.Random(a.seed)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(a.base, "tokenizer.json"))
    pad_id = tok.token_to_id("<pad>")
    if a.toy:
        cfg = toy_config(tok.get_vocab_size())
        model = BertTagger(cfg)
        init_weights(model)
    else:
        model = load_base(a.base, a.layers)
    if a.teacher and a.augment > 0:
        raise SystemExit("--teacher precomputes the teachers' targets per training window: not with --augment")
    teachers = []
    for tdir in (a.teacher.split(",") if a.teacher else []):
        t, ck = load_checkpoint(os.path.join(tdir, "checkpoint.pt"))
        teachers.append(t.eval().requires_grad_(False))
        print(f"teacher: {tdir} ({ck['config']['num_hidden_layers']} layers), kd alpha {a.kd_alpha}, T {a.kd_temp}", flush=True)
    if teachers:
        teacher = teachers[0]
        if a.init_from_teacher:
            src = [int(x) for x in a.init_from_teacher.split(",")]
            if len(src) != len(model.bert.encoder.layer):
                raise SystemExit(f"--init-from-teacher names {len(src)} layers, the student has {len(model.bert.encoder.layer)}")
            model.bert.embeddings.load_state_dict(teacher.bert.embeddings.state_dict())
            for dst_layer, s in zip(model.bert.encoder.layer, src):
                dst_layer.load_state_dict(teacher.bert.encoder.layer[s].state_dict())
            model.classifier.load_state_dict(teacher.classifier.state_dict())
            print(f"student initialised from teacher layers {src}", flush=True)
        for t in teachers:
            t.to(dev)
    elif a.init_from_teacher:
        raise SystemExit("--init-from-teacher needs --teacher")
    model.to(dev)
    cfg = model.config
    vocab = cfg["vocab_size"]
    freeze = a.freeze_embeddings or vocab > 100_000
    if freeze:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"model: {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, vocab {vocab}, {nparams / 1e6:.1f}M params,"
          f" word embeddings {'frozen' if freeze else 'trained'}", flush=True)

    t0 = time.time()
    train_rows = load_jsonl(os.path.join(a.data, "train.jsonl"))
    feats = featurize(tok, train_rows, a.max_len)
    by_src = {}
    for f in feats:
        by_src.setdefault(f["src"], []).append(f)
    dev_ge = featurize(tok, load_jsonl(os.path.join(a.data, "dev_germeval.jsonl")), a.max_len)
    dsp = os.path.join(a.data, "dev_synth.jsonl")
    dev_sy = featurize(tok, load_jsonl(dsp), a.max_len) if os.path.exists(dsp) else []
    print(f"features: {', '.join(f'{k}={len(v)}' for k, v in sorted(by_src.items()))}; dev germeval={len(dev_ge)} synth={len(dev_sy)}"
          f" ({time.time() - t0:.0f}s)", flush=True)
    if teachers:
        ts = time.time()
        soft_targets(teachers, feats, pad_id, a.kd_temp)
        del teachers, teacher, t  # not needed once the targets are stored (frees their GPU memory)
        print(f"teacher targets for {len(feats)} windows ({time.time() - ts:.0f}s)", flush=True)

    mix = {kv.split("=")[0]: float(kv.split("=")[1]) for kv in a.mix.split(",")}
    emb_lr = a.emb_lr if a.emb_lr is not None else a.lr
    groups = {"decay": [], "nodecay": [], "head": [], "emb": []}
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if n.startswith("classifier."):
            groups["head"].append(p)
        elif n == "bert.embeddings.word_embeddings.weight":
            groups["emb"].append(p)
        elif n.endswith("bias") or "LayerNorm" in n:
            groups["nodecay"].append(p)
        else:
            groups["decay"].append(p)
    pg = [{"params": groups["decay"], "lr": a.lr, "weight_decay": a.weight_decay},
          {"params": groups["nodecay"], "lr": a.lr, "weight_decay": 0.0},
          {"params": groups["head"], "lr": a.head_lr, "weight_decay": 0.0},
          {"params": groups["emb"], "lr": emb_lr, "weight_decay": 0.0}]
    pg = [g for g in pg if g["params"]]
    for g in pg:
        g["peak"] = g["lr"]
    opt = torch.optim.AdamW(pg, betas=(0.9, 0.999), eps=1e-8)

    budget = a.minutes * 60 if a.minutes is not None else None
    train_time, step, tokens = 0.0, 0, 0
    next_eval = a.eval_every * 60
    aug = None
    if a.augment > 0:
        aug_srcs = set(a.augment_srcs.split(","))
        rows_by = {}
        for r in train_rows:
            if r["src"] in aug_srcs:
                rows_by.setdefault(r["src"], []).append(r)
        pool = mention_pool(train_rows)
        print(f"mention replacement p={a.augment} on {sorted(rows_by)}; pool: "
              f"{', '.join(f'{t}={len(c)}+{len(y)}' for t, (c, y) in pool.items())}", flush=True)
        aug = (a.augment, rows_by, pool, tok, a.max_len)
    it = batches(by_src, mix, a.batch_size, rng, aug)
    log_loss, log_n, t_log = 0.0, 0, time.time()
    history = []
    best = None  # (score, step, state dict on the CPU) with --keep-best
    kd_on = bool(a.teacher)
    ema = None
    if a.ema > 0:
        from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

        ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(a.ema), use_buffers=True)
    model.train()
    while True:
        frac = max(train_time / budget if budget else 0.0, step / a.steps if a.steps else 0.0)
        if frac >= 1.0:
            break
        scale = frac / a.warmup if frac < a.warmup else max(0.0, (1 - frac) / (1 - a.warmup))
        for g in opt.param_groups:
            g["lr"] = g["peak"] * scale
        ts = time.time()
        ids, attn, tgt, *soft = (t.to(dev, non_blocking=True) for t in collate(next(it), pad_id, kd_on))
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.bf16):
            logits = model(ids, attn).float()
            loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.view(-1), ignore_index=-100)
            if kd_on:
                sel = tgt.view(-1) != -100
                s_log = F.log_softmax(logits.view(-1, logits.shape[-1])[sel] / a.kd_temp, -1)
                t_log = soft[0].view(-1, soft[0].shape[-1])[sel]
                kd = F.kl_div(s_log, t_log, log_target=True, reduction="batchmean") * a.kd_temp ** 2
                loss = (1 - a.kd_alpha) * loss + a.kd_alpha * kd
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if ema is not None:
            ema.update_parameters(model)
        train_time += time.time() - ts
        step += 1
        tokens += int(attn.sum())
        log_loss += loss.item()
        log_n += 1
        if step % 50 == 0 or step == 10:
            print(f"step {step} train {train_time / 60:.1f} min  loss {log_loss / log_n:.4f}  lr {opt.param_groups[0]['lr']:.2e}"
                  f"  {train_time / step:.3f} s/step  {tokens / train_time:.0f} pieces/s", flush=True)
            log_loss, log_n = 0.0, 0
        if train_time >= next_eval:
            next_eval += a.eval_every * 60
            history.append(run_eval(model, dev_ge, dev_sy, pad_id, step, train_time))
            best = keep_best(a, model, history[-1], best)
    if not history or history[-1]["step"] != step:  # the last periodic evaluation may have been at this step
        history.append(run_eval(model, dev_ge, dev_sy, pad_id, step, train_time))
        best = keep_best(a, model, history[-1], best)
    if best is not None and best[1] != step:
        model.load_state_dict(best[2])
        print(f"keeping the state of step {best[1]} (score {best[0]:.4f})", flush=True)
        history.append({**next(h for h in history if h["step"] == best[1]), "kept": True})
    print(f"done: {step} steps in {train_time / 60:.1f} min training ({train_time / max(step, 1):.3f} s/step,"
          f" batch {a.batch_size}), wall {(time.time() - t0) / 60:.1f} min", flush=True)

    os.makedirs(a.run_dir, exist_ok=True)
    model.cpu()
    sd = model.state_dict()
    if a.fp16_checkpoint:
        sd = {k: v.half() for k, v in sd.items()}
    torch.save({"config": cfg, "state_dict": sd, "args": vars(a), "history": history},
               os.path.join(a.run_dir, "checkpoint.pt"))
    if ema is not None:
        ema_model = ema.module.eval()
        h_ema = {**run_eval(ema_model.to(dev), dev_ge, dev_sy, pad_id, step, train_time), "ema": a.ema}
        ema_model.cpu()
        esd = ema_model.state_dict()
        if a.fp16_checkpoint:
            esd = {k: v.half() for k, v in esd.items()}
        torch.save({"config": cfg, "state_dict": esd, "args": vars(a), "history": history + [h_ema]},
                   os.path.join(a.run_dir, "checkpoint_ema.pt"))
        history.append(h_ema)
    summary = {"args": vars(a), "steps": step, "train_minutes": train_time / 60, "s_per_step": train_time / max(step, 1),
               "pieces_per_s": tokens / max(train_time, 1e-9), "history": history}
    with open(os.path.join(a.run_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    if not a.no_export:
        from export import export

        export(model, a.base, a.export_dir, summary)


def selection_score(h):
    """GermEval held-out micro + PER + synthetic dev micro (the run_gpu.sh selection)."""
    ge, sy = h["germeval_heldout"], h["synth_dev"]
    return ge.get("micro", {}).get("f1", 0.0) + ge.get("PERSON", {}).get("f1", 0.0) + sy.get("micro", {}).get("f1", 0.0)


def keep_best(a, model, h, best):
    if not a.keep_best:
        return None
    score = selection_score(h)
    if best is None or score > best[0]:
        return (score, h["step"], {k: v.detach().cpu().clone() for k, v in model.state_dict().items()})
    return best


def run_eval(model, dev_ge, dev_sy, pad_id, step, train_time):
    te = time.time()
    ge = evaluate(model, dev_ge, pad_id, ["PERSON", "LOCATION", "ORGANIZATION"])
    sy = evaluate(model, dev_sy, pad_id) if dev_sy else {}
    print(f"[eval step {step}, {train_time / 60:.1f} min] germeval-heldout strict F1: {fmt(ge)} | synth-dev: {fmt(sy)}"
          f" ({time.time() - te:.0f}s)", flush=True)
    return {"step": step, "train_minutes": train_time / 60,
            "germeval_heldout": {k: dict(zip(("p", "r", "f1", "support"), v)) for k, v in ge.items()},
            "synth_dev": {k: dict(zip(("p", "r", "f1", "support"), v)) for k, v in sy.items()}}


if __name__ == "__main__":
    main()
