#!/usr/bin/env bash
# Import throughput: `genoflow import` against `plink2 --make-bed` on the same simulated files, as whole processes.
# Usage: loadtests/import-benchmark.sh SAMPLES VARIANTS [WORKDIR]   (e.g. 20000 50000)
# Prints a markdown table row per input format: wall seconds and peak RSS of both, and the time ratio.
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=${3:-"$root/artifacts/bench-${samples}x${variants}"}
mkdir -p "$work"
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
genoflow=(dotnet "$root/artifacts/genoflow/genoflow.dll")

if [ ! -f "$work/sim/cohort.vcf.gz" ]; then
  "${genoflow[@]}" simulate --out "$work/sim" --samples "$samples" --variants "$variants" --format both --seed 1 >/dev/null
fi

# measure NAME CMD...: runs CMD under /usr/bin/time, prints "seconds rss_mb"
measure() {
  local log="$work/$1.time"; shift
  sync; /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1
  awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$log"
}

row() {
  local format=$1 g_s g_mb p_s p_mb
  read -r g_s g_mb <<<"$2"; read -r p_s p_mb <<<"$3"
  awk -v f="$format" -v gs="$g_s" -v gm="$g_mb" -v ps="$p_s" -v pm="$p_mb" -v n="$samples" -v m="$variants" \
    'BEGIN { printf "| %s | %d x %d | %.2f s (%d MB) | %.2f s (%d MB) | %.2f |\n", f, n, m, gs, gm, ps, pm, gs / ps }'
}

echo "| input | samples x variants | genoflow import | plink2 --make-bed | ratio (genoflow / plink2) |"
echo "|---|---|---|---|---|"
rm -rf "$work/ds-bed" "$work/ds-vcf"
g=$(measure genoflow-bed "${genoflow[@]}" import --bed "$work/sim/cohort" --out "$work/ds-bed")
p=$(measure plink2-bed plink2 --bfile "$work/sim/cohort" --make-bed --out "$work/plink2-bed")
row "bed" "$g" "$p"
g=$(measure genoflow-vcf "${genoflow[@]}" import --vcf "$work/sim/cohort.vcf.gz" --out "$work/ds-vcf")
p=$(measure plink2-vcf plink2 --vcf "$work/sim/cohort.vcf.gz" --make-bed --out "$work/plink2-vcf")
row "vcf.gz" "$g" "$p"
