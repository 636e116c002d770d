#!/usr/bin/env bash
# BGEN and pgen import: `genoflow import` against `plink2 ... --make-bed` on the same plink2-written files, as whole
# processes. Both sides run interleaved (genoflow, plink2, genoflow, plink2, ...) so that load from other work on the
# machine falls on both alike; each row reports the best of ${REPEATS:-3} wall times with that run's CPU seconds
# (user + system, the figure contention distorts least) and peak RSS.
# Usage: loadtests/bgen-pgen-benchmark.sh SAMPLES VARIANTS [bgen|pgen|both]   (e.g. 20000 10000 both)
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}; formats=${3:-both}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$root/artifacts/bench-${samples}x${variants}"
mkdir -p "$work"
[ -f "$work/sim/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/sim" --samples "$samples" --variants "$variants" --seed 1 >/dev/null 2>&1

# best_of LOG: "wall_s cpu_s peak_rss_mb" of the fastest run logged by /usr/bin/time in LOG.
best_of() { sort -n "$1" | head -1 | awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }'; }

# cells GENOFLOW PLINK2: the row's two timing cells and the wall-time ratio.
cells() {
  local g_s g_cpu g_mb p_s p_cpu p_mb
  read -r g_s g_cpu g_mb <<<"$1"
  read -r p_s p_cpu p_mb <<<"$2"
  awk -v gs="$g_s" -v gc="$g_cpu" -v gm="$g_mb" -v ps="$p_s" -v pc="$p_cpu" -v pm="$p_mb" \
    'BEGIN { printf "%.2f s (CPU %.2f s, %d MB) | %.2f s (CPU %.2f s, %d MB) | %.2f", gs, gc, gm, ps, pc, pm, gs / ps }'
}

# race LABEL GENOFLOW_ARGS -- PLINK2_ARGS: interleaved runs of both, one markdown row.
race() {
  local label=$1; shift
  local g_args=() p_args=()
  while [ "$1" != "--" ]; do g_args+=("$1"); shift; done; shift
  p_args=("$@")
  : >"$work/$label.genoflow.time"; : >"$work/$label.plink2.time"
  for _ in $(seq "${REPEATS:-3}"); do
    rm -rf "$work/$label.ds"; sync
    /usr/bin/time -a -f "%e %U %S %M" -o "$work/$label.genoflow.time" "${genoflow[@]}" import "${g_args[@]}" --out "$work/$label.ds" >/dev/null 2>&1
    sync
    /usr/bin/time -a -f "%e %U %S %M" -o "$work/$label.plink2.time" plink2 "${p_args[@]}" --make-bed --out "$work/$label.plink2" >/dev/null 2>&1
  done
  echo "| $label | $samples x $variants | $(cells "$(best_of "$work/$label.genoflow.time")" "$(best_of "$work/$label.plink2.time")") |"
}

echo "| input | samples x variants | genoflow import (best wall) | plink2 --make-bed (best wall) | wall ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
if [ "$formats" != pgen ]; then
  [ -f "$work/b8.bgen" ] || plink2 --bfile "$work/sim/cohort" --export bgen-1.2 bits=8 ref-first --out "$work/b8" >/dev/null
  race "bgen-1.2-8bit-zlib" --bgen "$work/b8.bgen" --sample "$work/b8.sample" -- --bgen "$work/b8.bgen" ref-first --sample "$work/b8.sample"
fi
if [ "$formats" != bgen ]; then
  [ -f "$work/pf.pgen" ] || plink2 --bfile "$work/sim/cohort" --make-pgen --out "$work/pf" >/dev/null
  race "pgen" --pfile "$work/pf" -- --pfile "$work/pf"
fi
