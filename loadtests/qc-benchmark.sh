#!/usr/bin/env bash
# QC speed and memory: `genoflow qc` on an imported dataset against `plink2 --freq --missing --hardy` on the same
# cohort's .bed, as whole processes; without the result store, so every run computes every tile.
# Usage: loadtests/qc-benchmark.sh SAMPLES VARIANTS   (e.g. 20000 50000, 100000 100000)
# Prints the machine line and a markdown table row: median wall seconds of 3 runs (REPEATS=N to change), the two sides
# run alternately, peak RSS of both, and the time ratio (below 1: GenoFlow is faster).
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"

machine
echo "| job | samples x variants | genoflow qc | plink2 --freq --missing --hardy | ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
BEFORE="rm -rf '$work/qc'" side_by_side qc "${genoflow[*]} qc '$work/import-bed' --out '$work/qc' --no-result-store" \
  "plink2 --bfile '$work/sim/cohort' --freq --missing --hardy --out '$work/plink2-qc'"
row "qc" "$samples x $variants" "$g" "$p"
