#!/usr/bin/env bash
# Import throughput: `genoflow import` against `plink2 --make-bed` on the same simulated files, as whole processes.
# Usage: loadtests/import-benchmark.sh SAMPLES VARIANTS [bed|vcf|both]   (e.g. 20000 50000 bed; 20000 10000 vcf)
# Prints the machine line and markdown table rows: median wall seconds of 3 runs (REPEATS=N to change), the two sides
# run alternately, peak RSS of both, and the time ratio (below 1: GenoFlow is faster).
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}; formats=${3:-both}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$root/artifacts/bench-${samples}x${variants}"
mkdir -p "$work"
size="$samples x $variants"

machine
echo "| input | samples x variants | genoflow import | plink2 --make-bed | ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
if [ "$formats" != vcf ]; then
  [ -f "$work/sim/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/sim" --samples "$samples" --variants "$variants" --seed 1 >/dev/null 2>&1
  BEFORE="rm -rf '$work/import-bed-timed'" side_by_side import-bed "${genoflow[*]} import --bed '$work/sim/cohort' --out '$work/import-bed-timed'" \
    "plink2 --bfile '$work/sim/cohort' --make-bed --out '$work/plink2-bed'"
  row "bed" "$size" "$g" "$p"
fi
if [ "$formats" != bed ]; then
  [ -f "$work/sim-vcf/cohort.vcf.gz" ] || "${genoflow[@]}" simulate --out "$work/sim-vcf" --samples "$samples" --variants "$variants" --seed 1 --format vcf >/dev/null 2>&1
  BEFORE="rm -rf '$work/import-vcf'" side_by_side import-vcf "${genoflow[*]} import --vcf '$work/sim-vcf/cohort.vcf.gz' --out '$work/import-vcf'" \
    "plink2 --vcf '$work/sim-vcf/cohort.vcf.gz' --make-bed --out '$work/plink2-vcf'"
  row "vcf.gz" "$size" "$g" "$p"
fi
