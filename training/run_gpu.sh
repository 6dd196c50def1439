#!/usr/bin/env bash
# The distillation recipe, for a session that is lent one GPU (estimated 7 minutes on an H200 from the
# one earlier run of 2026-11: two stages of 2.5 training minutes plus start-up and evaluations; not yet run).
#
#   stage A, side by side: NT 12-layer teachers (seeds 1..NT), each keeping its best evaluated state
#   stage B, side by side: four 6-layer students distilled from the teachers' ensemble (mean
#       probability, precomputed once per training window), each keeping its best evaluated state:
#       kd1, kd2   encoder initialised from the base's first 6 layers (as the CPU recipe), seeds 1, 2
#       kd08       the same with --kd-alpha 0.8
#       kdinit     encoder initialised from teacher 1's layers 0,2,4,6,8,10 (DistilBERT-style)
#   then the student with the best PyTorch validation score (GermEval held-out micro F1
#   + GermEval held-out PERSON F1 + synthetic dev micro F1; GermEval OTH/deriv/part ignored as
#   `ampel eval` does) is written to $OUT as an fp16 checkpoint in parts of 15 MB (the device
#   tool returns at most 8 files of at most 16 MiB), the logs as one logs.tar.gz.
#   Choosing states and runs by the held-out GermEval 500 makes them validation data: a number
#   measured on them afterwards is slightly optimistic.
#
# Inputs (IN, default .gpu/ in the repository root, git-ignored; made by
# `training/run_gpu.sh pack` on the training machine): base.q4.npz (training/convert/q4pack.py),
# config.json of the base, prepared.tar.xz (train/dev files written by training/data/prepare.py).
# The tokenizer is the shipped model's (models/ampel-ner-de/tokenizer.json), identical to the base's.
#
# Back on the training machine:
#   cat $OUT/best.ckpt.part-* > /work/train-work/run-gpu/checkpoint.pt
#   python training/train/export.py --checkpoint /work/train-work/run-gpu/checkpoint.pt --out models/ampel-ner-de
#
# Knobs: PY (python3), STEPS (8000 per run), CAP (2.6 training minutes per run, whichever comes
# first), BS (32), NT (4 teachers), EVERY (0.4 training minutes between evaluations), DEVICE (cuda;
# `DEVICE=cpu STEPS=3 NT=2 EVERY=100` is the pipeline check on the training machine).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
IN=${IN:-.gpu}
OUT=${OUT:-/tmp/gpu-out}
WORK=${WORK:-/tmp/gpu-work}
STEPS=${STEPS:-8000}
CAP=${CAP:-2.6}
BS=${BS:-32}
NT=${NT:-4}
EVERY=${EVERY:-0.4}
DEVICE=${DEVICE:-cuda}

if [ "${1:-}" = pack ]; then
    BASE=${BASE:-/work/train-work/e5-de-hf}
    DATA=${DATA:-/work/train-work/prepared}
    PY=${PY_PACK:-/work/train-venv/bin/python}
    mkdir -p "$IN"
    cmp -s "$BASE/tokenizer.json" models/ampel-ner-de/tokenizer.json || { echo "base tokenizer differs from the shipped one" >&2; exit 1; }
    "$PY" training/convert/q4pack.py pack "$BASE" "$IN/base.q4.npz" || exit 1
    cp "$BASE/config.json" "$IN/config.json"
    tar -C "$DATA" -cJf "$IN/prepared.tar.xz" train.jsonl dev_germeval.jsonl dev_synth.jsonl
    du -sh "$IN"
    exit 0
fi

T=training/train/train.py
mkdir -p "$WORK/base" "$WORK/prepared" "$WORK/logs" "$OUT"
"$PY" training/convert/q4pack.py unpack "$IN/base.q4.npz" "$WORK/base" || exit 1
cp "$IN/config.json" "$WORK/base/" && cp models/ampel-ner-de/tokenizer.json "$WORK/base/" || exit 1
tar -C "$WORK/prepared" -xJf "$IN/prepared.tar.xz" || exit 1
nvidia-smi -L 2>/dev/null
"$PY" -c 'import torch, tokenizers; print("torch", torch.__version__, "tokenizers", tokenizers.__version__, "cuda", torch.cuda.is_available())'
BF16=(--bf16)
[ "$DEVICE" = cpu ] && BF16=()

common=(--base "$WORK/base" --data "$WORK/prepared" --device "$DEVICE" "${BF16[@]}" --batch-size "$BS" --steps "$STEPS"
        --minutes "$CAP" --eval-every "$EVERY" --keep-best --threads 3 --no-export --fp16-checkpoint)
echo "stage A: $(date +%T)"
for s in $(seq 1 "$NT"); do
    "$PY" "$T" "${common[@]}" --layers 12 --seed "$s" --run-dir "$WORK/teacher$s" >"$WORK/logs/teacher$s.log" 2>&1 &
done
wait
ok=()
for s in $(seq 1 "$NT"); do [ -f "$WORK/teacher$s/checkpoint.pt" ] && ok+=("$WORK/teacher$s"); done
echo "stage B: $(date +%T), ${#ok[@]} teachers"
if [ ${#ok[@]} -gt 0 ]; then
    tl=$(IFS=,; echo "${ok[*]}")
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$tl" --seed 1 --run-dir "$WORK/kd1" >"$WORK/logs/kd1.log" 2>&1 &
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$tl" --seed 2 --run-dir "$WORK/kd2" >"$WORK/logs/kd2.log" 2>&1 &
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$tl" --seed 3 --kd-alpha 0.8 --run-dir "$WORK/kd08" >"$WORK/logs/kd08.log" 2>&1 &
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$tl" --seed 4 --init-from-teacher 0,2,4,6,8,10 \
        --run-dir "$WORK/kdinit" >"$WORK/logs/kdinit.log" 2>&1 &
    wait
fi
echo "select: $(date +%T)"
"$PY" - "$WORK" "$NT" <<'EOF'
import json, os, sys
sys.path.insert(0, "training/train")
from train import selection_score
work, nt = sys.argv[1], int(sys.argv[2])
best, rows = None, []
for run in [f"teacher{i}" for i in range(1, nt + 1)] + ["kd1", "kd2", "kd08", "kdinit"]:
    p = os.path.join(work, run, "summary.json")
    if not os.path.exists(p):
        print(f"{run}: no summary"); continue
    s = json.load(open(p))
    h = s["history"][-1]
    ge, sy = h["germeval_heldout"], h["synth_dev"]
    micro = lambda t: t.get("micro", {}).get("f1", 0.0)
    score = selection_score(h)
    line = (f"{run}: steps {s['steps']} ({s['s_per_step'] * 1000:.0f} ms/step), kept step {h['step']}:"
            f" germeval micro {micro(ge):.3f} PER {ge.get('PERSON', {}).get('f1', 0):.3f}"
            f" LOC {ge.get('LOCATION', {}).get('f1', 0):.3f} ORG {ge.get('ORGANIZATION', {}).get('f1', 0):.3f}"
            f" | synth micro {micro(sy):.3f} | score {score:.3f}")
    print(line); rows.append(line)
    if not run.startswith("teacher") and (best is None or score > best[1]):
        best = (run, score)
with open(os.path.join(work, "logs", "select.txt"), "w") as f:
    f.write("\n".join(rows) + f"\nbest 6-layer: {best}\n")
if best:
    print("best:", best[0]); open(os.path.join(work, "best"), "w").write(best[0])
EOF
for r in "$WORK"/teacher* "$WORK"/kd*; do
    [ -f "$r/summary.json" ] && cp "$r/summary.json" "$WORK/logs/$(basename "$r").summary.json"
done
tar -C "$WORK" -czf "$OUT/logs.tar.gz" logs
if [ -f "$WORK/best" ]; then
    split -b 15000000 -d "$WORK/$(cat "$WORK/best")/checkpoint.pt" "$OUT/best.ckpt.part-"
fi
ls -la "$OUT"
echo "done: $(date +%T)"
