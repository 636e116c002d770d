#!/usr/bin/env bash
# Cross-validation and class imbalance: `genoflow train` choosing l2 itself (no --l2) against scikit-learn choosing its
# own penalty on the same features and split. Rows: the default (--aggregate auto: exact ridge by GCV for the linear
# model, 5-fold averaging for the logistic one), the old linear default (--aggregate average, 5 folds of samples, grid and
# golden-section refinement), and exact ridge by exact leave-one-out (--cv loo) and by 5 folds
# (tests/GenoFlow.Analysis.Tests/Training/sklearn_reference.py --cv: RidgeCV over 41 alphas, efficient leave-one-out;
# LogisticRegressionCV over 41 Cs, 5 shuffled stratified folds, scoring roc_auc), on a structured cohort (4 populations
# in contiguous sample order, prevalence 0.3); then a rare outcome (5% cases) with --class-weight none / balanced at a
# fixed l2 (IMBALANCE_L2, default 1) against LogisticRegression(class_weight=None / 'balanced').
# Usage: loadtests/train-cv-benchmark.sh [SAMPLES VARIANTS]   (default 4000 2000; REPEATS=N for a median of N runs;
# SEED=S simulates another cohort, default 3; ONLY=linear or ONLY=logistic runs that model's CV rows and no imbalance table)
set -euo pipefail
samples=${1:-4000}; variants=${2:-2000}; seed=${SEED:-3}; only=${ONLY:-}
export REPEATS=${REPEATS:-1}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
reference="$root/tests/GenoFlow.Analysis.Tests/Training/sklearn_reference.py"

# simulated SAMPLES VARIANTS PREVALENCE: a 4-population cohort imported under artifacts/; sets $work.
simulated() {
  work="$root/artifacts/bench-cv-$1x$2-p$3-s$seed"
  mkdir -p "$work"
  [ -f "$work/sim/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/sim" --samples "$1" --variants "$2" --populations 4 --fst 0.1 \
    --causal-variants 100 --heritability 0.5 --prevalence "$3" --seed "$seed" >/dev/null 2>&1
  [ -f "$work/ds/manifest.json" ] || "${genoflow[@]}" import --bed "$work/sim/cohort" --out "$work/ds" >/dev/null 2>&1
}

metric() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

simulated "$samples" "$variants" 0.3
echo "cohort seed $seed; $(machine)"
rm -f "$work"/sklearn-cv-*.json
echo "| model | samples x variants | genoflow train (CV) | chosen l2 | test metric | sklearn load + CV fit | chosen l2 | test metric |"
echo "|---|---|---|---|---|---|---|---|"
for spec in "linear trait_q r2 RidgeCV auto" "linear trait_q r2 RidgeCV average" "linear trait_q r2 RidgeCV exact --cv loo" \
    "linear trait_q r2 RidgeCV exact --cv kfold" "logistic trait_b auc LogisticRegressionCV auto" "logistic trait_b auc LogisticRegressionCV auto --cv-score loss"; do
  read -r model target name peer aggregate extra <<<"$spec"
  [ -z "$only" ] || [ "$only" = "$model" ] || continue
  label="$aggregate${extra:+ $extra}"
  out="$work/cv-$model-${label// /}"
  read -r g_s g_mb < <(BEFORE="rm -rf '$out'" measure "$work/cv-$model.time" "${genoflow[@]}" train "$work/ds" --phenotypes "$work/sim/phenotypes.tsv" \
    --target "$target" --model "$model" --covariates age,sex --aggregate "$aggregate" $extra --out "$out")
  ours=$(metric "$out/metrics.json" "'%.4f' % m['test']['$name']")
  l2=$(metric "$out/model.json" "'%.3g' % m['hyper_parameters']['l2']")
  label="$label: $(metric "$out/model.json" "m['aggregate'] + ', ' + m['cross_validation']['method'] + ', ' + m['cross_validation']['score']")"
  # Every row of a model has the same rows and test split (they depend on the sample ids and --seed only), so
  # scikit-learn's choice is computed once per model.
  [ -f "$work/sklearn-cv-$model.json" ] || /usr/bin/python3 "$reference" --bed "$work/sim/cohort" --phenotypes "$work/sim/phenotypes.tsv" \
    --target "$target" --covariates age,sex --split "$out/predictions.tsv" --model "$model" --cv >"$work/sklearn-cv-$model.json"
  theirs=$(metric "$work/sklearn-cv-$model.json" "'%.1f s + %.1f s | %.3g | %.4f' % (m['load_seconds'], m['fit_seconds'], m['chosen_l2'], m['test_$name'])")
  echo "| $model, $label ($peer) | $samples x $variants | $g_s s ($g_mb MB) | $l2 | $name $ours | $theirs |"
done

[ -z "$only" ] || exit 0
simulated "$samples" "$variants" 0.05
echo
l2=${IMBALANCE_L2:-1}
echo "| 5% cases, l2 $l2 | test AUC | PR AUC | recall at 0.5 | recall at Youden | log-loss | mean P(case) | sklearn test AUC | sklearn recall at 0.5 |"
echo "|---|---|---|---|---|---|---|---|---|"
for weight in none balanced; do
  out="$work/imbalance-$weight"
  rm -rf "$out"
  "${genoflow[@]}" train "$work/ds" --phenotypes "$work/sim/phenotypes.tsv" --target trait_b --model logistic --covariates age,sex --l2 "$l2" \
    --class-weight "$weight" --stratify --out "$out" >/dev/null 2>&1
  ours=$(metric "$out/metrics.json" "'%.4f | %.4f | %.4f | %.4f | %.4f' % (m['test']['auc'], m['test']['pr_auc'], m['test']['recall'], m['test']['youden']['recall'], m['test']['log_loss'])")
  mean=$(python3 -c "import sys; r=[l.split('\t') for l in open(sys.argv[1])][1:]; t=[float(x[1]) for x in r if x[2].strip()=='test']; print('%.4f' % (sum(t)/len(t)))" "$out/predictions.tsv")
  /usr/bin/python3 "$reference" --bed "$work/sim/cohort" --phenotypes "$work/sim/phenotypes.tsv" --target trait_b --covariates age,sex \
    --split "$out/predictions.tsv" --model logistic --l2 "$l2" --class-weight "$weight" --sklearn-defaults >"$work/sklearn-imbalance-$weight.json"
  theirs=$(metric "$work/sklearn-imbalance-$weight.json" "'%.4f | %.4f' % (m['test_auc'], m['test_recall'])")
  echo "| class weight $weight | $ours | $mean | $theirs |"
done
