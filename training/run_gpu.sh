#!/usr/bin/env bash
# The distillation recipe, for a session that is lent one GPU (about 8 minutes on an H100/H200).
#
#   stage A, side by side: a 12-layer teacher and a 6-layer control (the CPU recipe, only more steps)
#   stage B, side by side: two 6-layer students distilled from the teacher
#       kd      encoder initialised from the base's first 6 layers (as the CPU recipe)
#       kdinit  encoder initialised from teacher layers 0,2,4,6,8,10 (DistilBERT-style)
#   then the 6-layer run with the best PyTorch validation score (GermEval held-out micro F1
#   + GermEval held-out PERSON F1 + synthetic dev micro F1) is written to $OUT as an fp16
#   checkpoint in parts of 15 MB (the device tool returns files of at most 16 MiB).
#
# Inputs (IN, default .gpu/ in the repository root, ignored by git; made by `training/run_gpu.sh pack`
# on the training machine): base.q4.npz (training/convert/q4pack.py), config.json of the base,
# prepared.tar.xz (train/dev files written by training/data/prepare.py). The tokenizer is the
# shipped model's (models/ampel-ner-de/tokenizer.json), identical to the base's.
#
# Back on the training machine:
#   cat $OUT/best.ckpt.part-* > /work/train-work/run-gpu/checkpoint.pt
#   python training/train/export.py --checkpoint /work/train-work/run-gpu/checkpoint.pt --out models/ampel-ner-de
#
# Knobs: PY (python3), STEPS (8000 per run), CAP (3.2 training minutes per run, whichever comes first),
# BS (32), DEVICE (cuda; `DEVICE=cpu STEPS=3` is the pipeline check on the training machine).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
IN=${IN:-.gpu}
OUT=${OUT:-/tmp/gpu-out}
WORK=${WORK:-/tmp/gpu-work}
STEPS=${STEPS:-8000}
CAP=${CAP:-3.2}
BS=${BS:-32}
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
mkdir -p "$WORK/base" "$WORK/prepared" "$OUT/logs"
"$PY" training/convert/q4pack.py unpack "$IN/base.q4.npz" "$WORK/base" || exit 1
cp "$IN/config.json" "$WORK/base/" && cp models/ampel-ner-de/tokenizer.json "$WORK/base/" || exit 1
tar -C "$WORK/prepared" -xJf "$IN/prepared.tar.xz" || exit 1
nvidia-smi -L 2>/dev/null
"$PY" -c 'import torch, tokenizers; print("torch", torch.__version__, "tokenizers", tokenizers.__version__, "cuda", torch.cuda.is_available())'

common=(--base "$WORK/base" --data "$WORK/prepared" --device "$DEVICE" --bf16 --batch-size "$BS" --steps "$STEPS"
        --minutes "$CAP" --eval-every 1 --threads 4 --no-export --fp16-checkpoint)
echo "stage A: $(date +%T)"
"$PY" "$T" "${common[@]}" --layers 12 --run-dir "$WORK/teacher" >"$OUT/logs/teacher.log" 2>&1 &
"$PY" "$T" "${common[@]}" --layers 6 --run-dir "$WORK/control" >"$OUT/logs/control.log" 2>&1 &
wait
echo "stage B: $(date +%T)"
if [ -f "$WORK/teacher/checkpoint.pt" ]; then
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$WORK/teacher" --run-dir "$WORK/kd" >"$OUT/logs/kd.log" 2>&1 &
    "$PY" "$T" "${common[@]}" --layers 6 --teacher "$WORK/teacher" --init-from-teacher 0,2,4,6,8,10 \
        --run-dir "$WORK/kdinit" >"$OUT/logs/kdinit.log" 2>&1 &
    wait
fi
echo "select: $(date +%T)"
"$PY" - "$WORK" "$OUT" <<'EOF'
import json, os, sys
work, out = sys.argv[1:]
best, rows = None, []
for run in ("teacher", "control", "kd", "kdinit"):
    p = os.path.join(work, run, "summary.json")
    if not os.path.exists(p):
        print(f"{run}: no summary"); continue
    s = json.load(open(p))
    h = s["history"][-1]
    ge, sy = h["germeval_heldout"], h["synth_dev"]
    micro = lambda t: t.get("micro", {}).get("f1", 0.0)
    score = micro(ge) + ge.get("PERSON", {}).get("f1", 0.0) + micro(sy)
    line = (f"{run}: steps {s['steps']} ({s['s_per_step'] * 1000:.0f} ms/step)  germeval micro {micro(ge):.3f}"
            f" PER {ge.get('PERSON', {}).get('f1', 0):.3f} LOC {ge.get('LOCATION', {}).get('f1', 0):.3f}"
            f" ORG {ge.get('ORGANIZATION', {}).get('f1', 0):.3f} | synth micro {micro(sy):.3f} | score {score:.3f}")
    print(line); rows.append(line)
    if run != "teacher" and (best is None or score > best[1]):
        best = (run, score)
with open(os.path.join(out, "logs", "select.txt"), "w") as f:
    f.write("\n".join(rows) + f"\nbest 6-layer: {best}\n")
if best:
    print("best:", best[0]); open(os.path.join(work, "best"), "w").write(best[0])
EOF
if [ -f "$WORK/best" ]; then
    split -b 15000000 -d "$WORK/$(cat "$WORK/best")/checkpoint.pt" "$OUT/best.ckpt.part-"
fi
ls -la "$OUT" "$OUT/logs"
echo "done: $(date +%T)"
