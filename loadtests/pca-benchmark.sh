#!/usr/bin/env bash
# PCA speed and memory: `genoflow pca DATASET -k 10` (randomized) on an imported dataset against
# `plink2 --bfile ... --pca approx 10 --threads 2` on the same cohort's .bed, as whole processes, interleaved run by run
# (GenoFlow, plink2, GenoFlow, ...) so load from other work on a shared machine falls on both alike.
# Usage: loadtests/pca-benchmark.sh SAMPLES VARIANTS   (e.g. 20000 50000, 100000 100000)
# Prints the machine's load and BLAS, a markdown table row (median wall seconds of REPEATS=3 runs each with their peak
# RSS, and the time ratio: below 1 GenoFlow is faster), the same runs' CPU seconds (user + system: on a machine
# loaded by other work, wall time measures the neighbours as much as the job), then the per-phase breakdown of the median GenoFlow run
# (`pca --verbose`). Needs plink2 and /usr/bin/time (Debian packages plink2, time); plink2 should run on OpenBLAS
# (libopenblas0-pthread): with the reference BLAS its --pca approx is several times slower.
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "libblas.so.3: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
echo "before: $(uptime)"
g_runs=(); p_runs=()
for run in $(seq "${REPEATS:-3}"); do
  rm -rf "$work/pca"
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/genoflow-pca.$run.time" "${genoflow[@]}" pca "$work/import-bed" -k 10 --out "$work/pca" --verbose \
    >"$work/genoflow-pca.$run.out" 2>"$work/genoflow-pca.$run.err"
  g_runs+=("$(cat "$work/genoflow-pca.$run.time") $run")
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/plink2-pca.$run.time" plink2 --bfile "$work/sim/cohort" --pca approx 10 --threads 2 --out "$work/plink2-pca" >/dev/null 2>&1
  p_runs+=("$(cat "$work/plink2-pca.$run.time") $run")
done
echo "after: $(uptime)"
# median LINES...: "seconds peak_mb cpu_seconds run" of the median run by wall time
median() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1; m[NR] = $2; c[NR] = $3 + $4; r[NR] = $5 } END { i = int((NR + 1) / 2); printf "%.2f %.0f %.2f %d\n", t[i], m[i] / 1024, c[i], r[i] }'; }
read -r g_s g_mb g_cpu g_run <<<"$(median "${g_runs[@]}")"
read -r p_s p_mb p_cpu _ <<<"$(median "${p_runs[@]}")"

echo
echo "| job | samples x variants | genoflow pca -k 10 | plink2 --pca approx 10 | ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
row "pca (median of ${REPEATS:-3})" "$samples x $variants" "$g_s $g_mb" "$p_s $p_mb"
awk -v g="$g_cpu" -v p="$p_cpu" 'BEGIN { printf "CPU seconds of the same runs: genoflow %.1f, plink2 %.1f, ratio %.2f\n", g, p, g / p }'
echo
grep -m1 'principal components of' "$work/genoflow-pca.$g_run.out"
grep '^pca phase:' "$work/genoflow-pca.$g_run.err"
