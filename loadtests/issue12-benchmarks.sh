#!/usr/bin/env bash
# Every row of issue 12's target table, side by side with its peer, one script after another (run it on a quiet
# machine: each script prints the load average it started at). The 100,000 x 100,000 PCA (GenoFlow and plink2 once
# each: plink2 alone takes many minutes) runs only with FULL=1.
# Usage: loadtests/issue12-benchmarks.sh            REPEATS=N sets each script's repeats (default 3)
#        FULL=1 loadtests/issue12-benchmarks.sh     adds PCA of 100,000 x 100,000
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
run() { echo; echo "### $*"; "$@"; }
run "$here/pca-benchmark.sh" 20000 50000
run "$here/qc-benchmark.sh" 100000 100000
run "$here/qc-benchmark.sh" 20000 50000
run "$here/fixed-cost-benchmark.sh"
run "$here/import-benchmark.sh" 20000 50000 bed
run "$here/import-benchmark.sh" 20000 10000 vcf
run "$here/ld-benchmark.sh" 20000 50000
run "$here/kmeans-benchmark.sh"
if [ "${FULL:-0}" = 1 ]; then
  REPEATS=1 run "$here/pca-benchmark.sh" 100000 100000
fi
