#!/usr/bin/env bash
# LD-pruning speed: `genoflow ld-prune DATASET` (defaults: --indep-pairwise 50 5 0.5, no result store, so every tile is
# computed) against `plink2 --bfile --indep-pairwise 50 5 0.5` (2 threads) on the same simulated cohort, as whole
# processes. Runs alternate (genoflow, plink2) ${REPEATS:-3} times; medians. Every genoflow run's prune.in must equal
# plink2's byte for byte. GenoFlow's own stage time (its "ld-prune: done in" line: reading tiles, pair pass, greedy
# pass) is shown beside the whole process; user CPU seconds too, since a loaded machine stretches wall times.
# Usage: loadtests/ld-benchmark.sh [SAMPLES VARIANTS]   (default 20000 50000)
set -euo pipefail
samples=${1:-20000}; variants=${2:-50000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"

: >"$work/genoflow-ld.time"; : >"$work/plink2-ld.time"; : >"$work/genoflow-ld.stage"
load_before=$(load_average)
for _ in $(seq "${REPEATS:-3}"); do
  rm -rf "$work/ld"
  timed "$work/genoflow-ld.time" "${genoflow[@]}" ld-prune "$work/import-bed" --out "$work/ld" --no-result-store --verbose
  grep -o 'ld-prune: done in [0-9.]*' "$work/genoflow-ld.time.out" | awk '{ print $4 }' >>"$work/genoflow-ld.stage"
  timed "$work/plink2-ld.time" plink2 --bfile "$work/sim/cohort" --indep-pairwise 50 5 0.5 --threads 2 --out "$work/plink2-ld"
  cmp -s "$work/ld/prune.in" "$work/plink2-ld.prune.in" || { echo "prune.in differs from plink2's" >&2; exit 1; }
done
load_after=$(load_average)
g=$(median_of 1 <"$work/genoflow-ld.time"); g_mb=$(median_of 2 <"$work/genoflow-ld.time"); g_cpu=$(median_of 3 <"$work/genoflow-ld.time")
p=$(median_of 1 <"$work/plink2-ld.time"); p_mb=$(median_of 2 <"$work/plink2-ld.time"); p_cpu=$(median_of 3 <"$work/plink2-ld.time")
stage=$(median_of 1 <"$work/genoflow-ld.stage")
echo "| job (${samples} x ${variants}, median of ${REPEATS:-3}, load $load_before-$load_after) | genoflow ld-prune | its stage | plink2 --indep-pairwise 50 5 0.5 | ratio (genoflow / plink2) | user CPU genoflow / plink2 |"
echo "|---|---|---|---|---|---|"
awk -v g="$g" -v gm="$g_mb" -v s="$stage" -v p="$p" -v pm="$p_mb" -v gc="$g_cpu" -v pc="$p_cpu" -v n="$(wc -l <"$work/ld/prune.in")" \
  'BEGIN { printf "| ld prune 50 5 0.5 (%d kept, same prune.in) | %.2f s (%d MB) | %.2f s | %.2f s (%d MB) | %.2f | %.2f s / %.2f s |\n", n, g, gm / 1024, s, p, pm / 1024, g / p, gc, pc }'
