#!/usr/bin/env bash
# Runs every GenoFlow test on a fresh machine: installs the peers the tests compare against and the browser that checks
# run reports (Debian packages), publishes the genoflow app the way docker/Dockerfile does, and runs the whole suite
# against it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# tool:package pairs for the peers the tests shell out to.
missing=()
for pair in plink2:plink2 plink1.9:plink1.9 bcftools:bcftools bgzip:tabix; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
done
# scikit-learn is the reference for k-means and the regularised models (Debian's build, for /usr/bin/python3).
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
# plink2 and numpy call the system BLAS: compare against their strong configuration (OpenBLAS), not the reference BLAS.
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
# Run reports are opened in headless Chromium through its ChromeDriver; their plots are drawn in DejaVu Sans.
for pair in chromium:chromium chromedriver:chromium-driver; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
done
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
# The partition test puts nodes in network namespaces joined by veth pairs and a bridge (ip netns, ip link).
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing test peers: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The CLI tests run this published app, the same one the Docker image ships.
export GENOFLOW_DLL="$root/artifacts/genoflow/genoflow.dll"
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet

dotnet build "$root/GenoFlow.sln" -c Release --nologo -v quiet

# Each test assembly leaves its console output and a .trx (per-test durations) under artifacts/test-results.
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
run_tests() {
  dotnet test "$root/tests/$1" -c Release --no-build --nologo --logger "trx;LogFileName=$1.trx" --results-directory "$results" >"$results/$1.log" 2>&1
}
# The CLI tests are the long pole (real processes and clusters; the cluster fault tests run last, one after another,
# beside nothing of their own assembly). They start first, and the other assemblies (about 3 minutes, mostly CPU) run
# one after another beside their first part, instead of before them (`dotnet test GenoFlow.sln` queued the CLI tests
# behind the Analysis tests on one build node).
set +e
status=0
run_tests GenoFlow.Cli.Tests &
cli=$!
for project in GenoFlow.Core.Tests GenoFlow.Engine.Tests GenoFlow.Analysis.Tests; do
  run_tests "$project" || status=1
  cat "$results/$project.log"
done
wait "$cli" || status=1
cat "$results/GenoFlow.Cli.Tests.log"
set -e
# One closing line over all test assemblies, in the plain form CI reads.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", f); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$results"/*.log
# Where the time went: each assembly's wall time and the slowest tests.
/usr/bin/python3 "$root/tests/slowest-tests.py" --top 10 "$results"/*.trx || true

# Load harness, smoke size (about a minute): concurrent mixed jobs on 3 workers with one replaced every 10 s; it
# exits 1 on any failed job or any output that differs from its reference bytes.
echo "load smoke test (loadtests/GenoFlow.LoadTests --smoke)"
dotnet run --project "$root/loadtests/GenoFlow.LoadTests" -c Release --nologo -v quiet -- --smoke --churn-seconds 10 || status=1
exit "$status"
