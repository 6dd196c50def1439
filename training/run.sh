#!/usr/bin/env bash
# The whole ampel NER training pipeline: generate -> prepare -> train (+ export).
# Runs on 2 CPU cores; with the defaults it finishes in about 90 minutes.
#   PY       python with torch, tokenizers, safetensors, faker (default /work/train-venv/bin/python)
#   BASE     HF BERT folder with the German-pruned vocabulary (default /work/train-work/e5-de-hf)
#   WORK     scratch folder for synthetic data, prepared data and the checkpoint (default /work/train-work)
#   LAYERS   encoder layers kept (default 6)      MINUTES  training time budget (default 70)
#   OUT      export folder (default models/ampel-ner-de in this repository)
# Extra arguments are passed to train.py (e.g. --batch-size 32).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-/work/train-venv/bin/python}
BASE=${BASE:-/work/train-work/e5-de-hf}
WORK=${WORK:-/work/train-work}
LAYERS=${LAYERS:-6}
MINUTES=${MINUTES:-70}
OUT=${OUT:-models/ampel-ner-de}
"$PY" training/synth/generate.py --out "$WORK/synth" --train 6000 --dev 500 --heldout 500
"$PY" training/data/prepare.py --synth "$WORK/synth" --out "$WORK/prepared"
"$PY" training/train/train.py --base "$BASE" --data "$WORK/prepared" --layers "$LAYERS" \
    --minutes "$MINUTES" --eval-every 15 --run-dir "$WORK/run-L$LAYERS" --export-dir "$OUT" "$@"
