#!/usr/bin/env bash
# The run report of a large cohort: runs a pipeline over SAMPLES simulated samples once (QC, PCA, k-means, a linear
# and a logistic model, projection of a batch a fifth the size), then times `genoflow report` on its run directory as
# a whole process (median of ${REPEATS:-3} runs: wall and CPU seconds, peak RSS) and prints the report's size and the
# points it drew.
# Usage: loadtests/report-benchmark.sh [SAMPLES] [VARIANTS]   (default 100000 2000)
set -euo pipefail
samples=${1:-100000}; variants=${2:-2000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$root/artifacts/bench-report-${samples}x${variants}"
mkdir -p "$work"
cat >"$work/pipeline.yaml" <<YAML
version: 1
inputs:
  cohort:
    simulate: { samples: $samples, variants: $variants, populations: 3, seed: 1, chromosomes: 4 }
  batch2:
    simulate: { samples: $((samples / 5)), variants: $variants, populations: 3, seed: 1, chromosomes: 4, batch: 2 }
stages:
  qc: { kind: qc, dataset: cohort, maf: 0.01, max-missing: 0.05, hwe: 1e-10 }
  pca: { kind: pca, dataset: cohort, keep: qc, k: 10, seed: 1 }
  kmeans: { kind: kmeans, scores: pca, k: 3, seed: 1 }
  height: { kind: train, dataset: cohort, phenotypes: cohort, target: trait_q, model: linear, covariates: [age, sex], pcs: pca, keep: qc, l2: 0.3, aggregate: exact, test-fraction: 0.2, seed: 1 }
  disease: { kind: train, dataset: cohort, phenotypes: cohort, target: trait_b, model: logistic, covariates: [age, sex], pcs: pca, keep: qc, l2: 0.2, rounds: 20, test-fraction: 0.2, seed: 1 }
  batch2-pcs: { kind: project, model: pca, dataset: batch2 }
YAML
# The run itself (resumed when it already finished: every stage up to date).
"${genoflow[@]}" run "$work/pipeline.yaml" --run-dir "$work/run" >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
# Wall time is what a user waits; CPU seconds (user + system) are what contention on a shared machine distorts least.
: >"$work/report.time"
for _ in $(seq "${REPEATS:-3}"); do
  rm -f "$work/report.html"
  /usr/bin/time -a -f "%e %U %S %M" -o "$work/report.time" "${genoflow[@]}" report "$work/run" --out "$work/report.html" >/dev/null 2>&1
done
read -r seconds cpu rss < <(sort -n "$work/report.time" | awk '{ t[NR] = $1; c[NR] = $2 + $3; m[NR] = $4 } END { i = int((NR + 1) / 2); printf "%.2f %.2f %.0f\n", t[i], c[i], m[i] / 1024 }')
points=$(grep -o '<ellipse' "$work/report.html" | wc -l)
echo "| samples x variants | genoflow report, wall (median of ${REPEATS:-3}) | CPU | peak RSS | report size | points drawn |"
echo "|---|---|---|---|---|---|"
awk -v n="$samples x $variants" -v s="$seconds" -v c="$cpu" -v m="$rss" -v b="$(stat -c %s "$work/report.html")" -v p="$points" \
  'BEGIN { printf "| %s | %.2f s | %.2f s | %d MB | %.1f MB | %d |\n", n, s, c, m, b / 1e6, p }'
