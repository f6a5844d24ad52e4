#!/usr/bin/env bash
# Full profile (8-layer/512-d encoder and decoder, 5000-patient commons) on one GPU with
# accelerate + FSDP. Optional --base checkpoints (local folders: CamemBERT-bio, a Llama/Qwen2 LM).
# Writes every stage's metrics to $OUT (default build/full/bench) and prints a summary.
#   benchmarks/full_profile/run.sh [--encoder-base DIR] [--decoder-base DIR] [--max-steps N]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PARTAGES_PROFILE=full HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 CI=true
PY=${PY:-.venv/bin/python}
OUT=${OUT:-build/full/bench}
CFG=benchmarks/full_profile/accelerate_fsdp.yaml
ENC_BASE=() DEC_BASE=() STEPS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --encoder-base) ENC_BASE=(--base "$2"); shift 2 ;;
    --decoder-base) DEC_BASE=(--base "$2"); shift 2 ;;
    --max-steps) STEPS=(--max-steps "$2"); shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if ! "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
  echo "run.sh: no GPU visible (torch.cuda.is_available() is False); the full profile needs one" >&2
  exit 2
fi
mkdir -p "$OUT"
LAUNCH=("$PY" -m accelerate.commands.launch --config_file "$CFG" -m partages_core models)
start=$(date +%s)
"${LAUNCH[@]}" pretrain-encoder "${ENC_BASE[@]}" "${STEPS[@]}" --fresh --out "$OUT/encoder" > "$OUT/encoder.json"
"${LAUNCH[@]}" pretrain-decoder "${DEC_BASE[@]}" "${STEPS[@]}" --fresh --out "$OUT/decoder" > "$OUT/decoder.json"
"${LAUNCH[@]}" instruct --base "$OUT/decoder" "${STEPS[@]}" --fresh --out "$OUT/decoder-instruct" > "$OUT/instruct.json"
for name in encoder decoder decoder-instruct; do
  "$PY" -m partages_core models card "partages-$name-full" --model "$OUT/$name" --out "$OUT/cards" >/dev/null
done
"$PY" - "$OUT" "$(( $(date +%s) - start ))" <<'PYEOF'
import json, sys, pathlib
out, wall = pathlib.Path(sys.argv[1]), sys.argv[2]
e = json.loads((out / "encoder" / "metrics.json").read_text())
d = json.loads((out / "decoder" / "metrics.json").read_text())
i = json.loads((out / "decoder-instruct" / "metrics.json").read_text())
print(f"full profile on GPU, wall {wall} s")
print(f"encoder: held-out MLM accuracy {e['mlm_accuracy']} {e.get('mlm_accuracy_ci95')}, {e['steps']} steps in {e['seconds']} s")
print(f"decoder: held-out perplexity {d['perplexity_before']} -> {d['perplexity']}, {d['steps']} steps in {d['seconds']} s")
print(f"instruct: ROUGE-L {i['rougeL_model']} vs extractive {i['rougeL_extractive_baseline']}, "
      f"QA exact match {i.get('qa_exact_match')} vs majority {i.get('qa_majority_baseline')}, empty {i['empty_outputs']}")
PYEOF
