#!/usr/bin/env bash
# Fixed cost: whole-process times of small jobs on a 379 x 54,051 cohort (the size of the 1000 Genomes chromosome-22
# LD-pruned panels), where a job's own work is a fraction of a second. GenoFlow's `--help` is the runtime's start-up
# floor; `qc --embedded-cluster` shows what the single-node Akka cluster costs on top of the default in-process run.
# Each job runs alternately with its plink2 peer (median of 3, REPEATS=N to change).
# Usage: loadtests/fixed-cost-benchmark.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
samples=379; variants=54051
cohort_dataset "$samples" "$variants"
ds="$work/import-bed"; bed="$work/sim/cohort"

machine
echo "| job, 379 x 54,051 | genoflow (whole process) | plink2 | ratio (genoflow / plink2) |"
echo "|---|---|---|---|"
fixed_row() {
  local label=$1 g_s g_mb g_cpu p_s p_mb p_cpu
  read -r g_s g_mb g_cpu <<<"$g"
  read -r p_s p_mb p_cpu <<<"$p"
  awk -v l="$label" -v gs="$g_s" -v gm="$g_mb" -v gc="$g_cpu" -v ps="$p_s" -v pm="$p_mb" -v pc="$p_cpu" \
    'BEGIN { printf "| %s | %.2f s (CPU %.2f s, %d MB) | %.2f s (CPU %.2f s, %d MB) | %.2f |\n", l, gs, gc, gm, ps, pc, pm, gs / ps }'
}
side_by_side help "${genoflow[*]} --help" "plink2 --help"
fixed_row "start-up floor: \`genoflow --help\` / \`plink2 --help\`"
BEFORE="rm -rf '$work/qc'" side_by_side qc "${genoflow[*]} qc '$ds' --out '$work/qc' --no-result-store" "plink2 --bfile '$bed' --freq --missing --hardy --out '$work/plink2-qc'"
fixed_row "qc / \`--freq --missing --hardy\`"
BEFORE="rm -rf '$work/qc-embedded'" side_by_side qc-embedded "${genoflow[*]} qc '$ds' --out '$work/qc-embedded' --no-result-store --embedded-cluster" "plink2 --bfile '$bed' --freq --missing --hardy --out '$work/plink2-qc'"
fixed_row "qc --embedded-cluster / \`--freq --missing --hardy\`"
BEFORE="rm -rf '$work/ld'" side_by_side ld "${genoflow[*]} ld-prune '$ds' --out '$work/ld' --no-result-store" "plink2 --bfile '$bed' --indep-pairwise 50 5 0.5 --out '$work/plink2-ld'"
fixed_row "ld-prune / \`--indep-pairwise 50 5 0.5\`"
BEFORE="rm -rf '$work/pca'" side_by_side pca "${genoflow[*]} pca '$ds' -k 10 --out '$work/pca'" "plink2 --bfile '$bed' --pca 10 --out '$work/plink2-pca'"
fixed_row "pca -k 10 / \`--pca 10\`"
