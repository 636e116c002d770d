#!/usr/bin/env bash
# PCA speed and memory: `genoflow pca DATASET -k 10` (randomized) on an imported dataset against
# `plink2 --bfile ... --pca approx 10` on the same cohort's .bed, as whole processes.
# Usage: loadtests/pca-benchmark.sh SAMPLES VARIANTS   (e.g. 20000 50000, 100000 100000)
# Prints a markdown table row: median wall seconds of 3 runs (REPEATS=N to change) and peak RSS of both, and the time ratio (below 1: GenoFlow is faster).
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"

echo "| job | samples x variants | genoflow pca -k 10 | plink2 --pca approx 10 | ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
g=$(BEFORE="rm -rf '$work/pca'" measure "$work/genoflow-pca.time" "${genoflow[@]}" pca "$work/import-bed" -k 10 --out "$work/pca")
p=$(measure "$work/plink2-pca.time" plink2 --bfile "$work/sim/cohort" --pca approx 10 --out "$work/plink2-pca")
row "pca" "$samples x $variants" "$g" "$p"
