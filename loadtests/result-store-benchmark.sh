#!/usr/bin/env bash
# Incremental QC and LD pruning with the result store: release R1 is SAMPLES x VARIANTS (simulated, seed 1), R2 the
# same samples and EXTRA more at the same variants, both imported from scratch with the default tiles (R2 shares R1's
# full sample blocks byte for byte). R1's QC and LD pruning fill a store; then R2's runs with a copy of that store
# (incremental) are timed against R2's runs without a store (from scratch), as whole processes.
# Usage: loadtests/result-store-benchmark.sh SAMPLES VARIANTS EXTRA   (e.g. 20000 50000 2000; SAMPLES a multiple of 4)
# Prints markdown table rows: median wall seconds of 3 runs (REPEATS=N to change) and peak RSS, tiles computed / from
# the store, and the time ratio (incremental / from scratch).
set -euo pipefail
samples=${1:?samples}; variants=${2:?variants}; extra=${3:?extra}
(( samples % 4 == 0 )) || { echo "SAMPLES must be a multiple of 4 (R1 is cut from R2's .bed by whole bytes)" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$root/artifacts/bench-releases-$samples+$extra-x$variants"
mkdir -p "$work"
total=$((samples + extra))
[ -f "$work/sim/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/sim" --samples "$total" --variants "$variants" --seed 1 >/dev/null 2>&1
if [ ! -f "$work/r1.bed" ]; then
  python3 - "$work/sim/cohort" "$work/r1" "$total" "$samples" <<'PY'
import shutil, sys
source, target, total, keep = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
row = (total + 3) // 4
with open(source + ".bed", "rb") as bed, open(target + ".bed", "wb") as out:
    out.write(bed.read(3))
    while chunk := bed.read(row):
        out.write(chunk[: keep // 4])
shutil.copy(source + ".bim", target + ".bim")
with open(source + ".fam") as fam, open(target + ".fam", "w") as out:
    out.writelines(line for i, line in enumerate(fam) if i < keep)
PY
fi
[ -f "$work/r1/manifest.json" ] || "${genoflow[@]}" import --bed "$work/r1" --out "$work/r1" --release R1 >/dev/null 2>&1
[ -f "$work/r2/manifest.json" ] || "${genoflow[@]}" import --bed "$work/sim/cohort" --out "$work/r2" --release R2 >/dev/null 2>&1

echo "| job (R2 = $samples + $extra samples x $variants) | incremental, R1's store | tiles computed / from store | from scratch, no store | ratio |"
echo "|---|---|---|---|---|"
for job in qc ld-prune; do
  rm -rf "$work/store-r1" "$work/$job-r1"
  "${genoflow[@]}" "$job" "$work/r1" --out "$work/$job-r1" --result-store "$work/store-r1" >/dev/null 2>&1
  fresh="rm -rf '$work/$job-r2' '$work/store'; cp -r '$work/store-r1' '$work/store'"
  incremental=$(BEFORE="$fresh" measure "$work/$job-incremental.time" "${genoflow[@]}" "$job" "$work/r2" --out "$work/$job-r2" --result-store "$work/store")
  eval "$fresh"
  counts=$("${genoflow[@]}" "$job" "$work/r2" --out "$work/$job-r2" --result-store "$work/store" | sed -n 's/.*result store: \([0-9]*\) computed, \([0-9]*\) from store.*/\1 \/ \2/p')
  scratch=$(BEFORE="rm -rf '$work/$job-scratch'" measure "$work/$job-scratch.time" "${genoflow[@]}" "$job" "$work/r2" --out "$work/$job-scratch" --no-result-store)
  cmp -s "$work/$job-r2/$( [ "$job" = qc ] && echo variant_qc.tsv || echo prune.in)" "$work/$job-scratch/$( [ "$job" = qc ] && echo variant_qc.tsv || echo prune.in)" \
    || { echo "$job: incremental and from-scratch outputs differ" >&2; exit 1; }
  read -r i_s i_mb <<<"$incremental"; read -r s_s s_mb <<<"$scratch"
  awk -v j="$job" -v is="$i_s" -v im="$i_mb" -v c="$counts" -v ss="$s_s" -v sm="$s_mb" \
    'BEGIN { printf "| %s | %.2f s (%d MB) | %s | %.2f s (%d MB) | %.2f |\n", j, is, im, c, ss, sm, is / ss }'
done
echo "store after R1 + R2: $(du -sh "$work/store" | cut -f1) in $(find "$work/store" -name '*.partial' | wc -l) entries"
