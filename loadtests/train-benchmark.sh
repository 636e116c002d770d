#!/usr/bin/env bash
# Training speed and accuracy: `genoflow train` (averaging, default settings) against scikit-learn on the same features
# (tests/GenoFlow.Analysis.Tests/Training/sklearn_reference.py: Ridge / LogisticRegression on the genotypes + age + sex,
# standardised over the training samples, same train/test split as GenoFlow's predictions.tsv).
# Usage: loadtests/train-benchmark.sh [SAMPLES VARIANTS]   (default 20000 10000)
# Prints a markdown table row per model: GenoFlow's whole-process time (median of 3, REPEATS=N to change) and peak RSS
# and test metric; sklearn's data loading (read .bed, standardise) and fit times and test metric (one run: with
# Debian's reference BLAS, Ridge's XᵀX takes ~10 minutes at 20,000 x 10,000; SKLEARN_REPEATS=N for a median of N).
set -euo pipefail
samples=${1:-20000}; variants=${2:-10000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"
reference="$root/tests/GenoFlow.Analysis.Tests/Training/sklearn_reference.py"

echo "| model | samples x variants | genoflow train | test metric | sklearn load + fit | test metric | ratio (genoflow / sklearn fit) |"
echo "|---|---|---|---|---|---|---|"
for spec in "linear trait_q 0.3 r2" "logistic trait_b 0.2 auc"; do
  read -r model target l2 metric <<<"$spec"
  out="$work/train-$model"
  g=$(BEFORE="rm -rf '$out'" measure "$work/genoflow-train-$model.time" "${genoflow[@]}" train "$work/import-bed" --phenotypes "$work/sim/phenotypes.tsv" \
    --target "$target" --model "$model" --covariates age,sex --l2 "$l2" --out "$out")
  ours=$(python3 -c "import json; print('%.4f' % json.load(open('$out/metrics.json'))['test']['$metric'])")
  : >"$work/sklearn-$model.jsonl"
  for _ in $(seq "${SKLEARN_REPEATS:-1}"); do
    /usr/bin/python3 "$reference" --bed "$work/sim/cohort" --phenotypes "$work/sim/phenotypes.tsv" --target "$target" --covariates age,sex \
      --split "$out/predictions.tsv" --model "$model" --l2 "$l2" --sklearn-defaults >>"$work/sklearn-$model.jsonl"
  done
  python3 - "$work/sklearn-$model.jsonl" "$model" "$samples x $variants" "$g" "$ours" "$metric" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
model, size, (g_s, g_mb), ours, metric = sys.argv[2], sys.argv[3], sys.argv[4].split(), sys.argv[5], sys.argv[6]
load = statistics.median(r["load_seconds"] for r in runs)
fit = statistics.median(r["fit_seconds"] for r in runs)
theirs = runs[0]["test_" + metric]
name = {"r2": "R²", "auc": "AUC"}[metric]
print(f"| {model} | {size} | {float(g_s):.2f} s ({g_mb} MB) | {name} {ours} | {load:.1f} s + {fit:.2f} s | {name} {theirs:.4f} | {float(g_s) / fit:.2f} |")
PY
done
