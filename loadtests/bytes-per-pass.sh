#!/usr/bin/env bash
# Bytes each job kind moves through Akka messages and through the scratch store per pass, on 3 real worker nodes:
# prints one row per kind with the stage's jobs (passes), megabytes of message payload (request inputs + reply
# partials) in all and per pass, megabytes written to and read from the scratch store (pieces and sample shard files,
# by the workers' units and the job's coordinator; the units' share in brackets) in all and per pass, and megabytes of
# tiles scanned (read by the workers from the dataset store, not sent). The rows README "Load" shows.
#   bash loadtests/bytes-per-pass.sh [SAMPLES] [VARIANTS]      (default 2,000 x 20,000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
samples="${1:-2000}"
variants="${2:-20000}"
dll="$root/artifacts/genoflow/genoflow.dll"
[ -f "$dll" ] || dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
work="$(mktemp -d /tmp/genoflow-bytes-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gf() { dotnet "$dll" "$@"; }

gf simulate --out "$work/sim" --samples "$samples" --variants "$variants" --populations 3 --seed 7 >/dev/null 2>&1
gf import --bed "$work/sim/cohort" --out "$work/ds" >/dev/null 2>&1
mkdir -p "$work/scratch"
roots=(--data-root "$work" --scratch-root "$work/scratch")
port=$((20000 + RANDOM % 20000))
for i in 0 1 2; do
  seed=(); [ "$i" = 0 ] || seed=(--seed "127.0.0.1:$port")
  # dotnet itself in the background (not the gf function's subshell), so that the trap's kill reaches the node.
  dotnet "$dll" node --port $((port + i)) "${roots[@]}" "${seed[@]}" > "$work/node$i.out" 2>/dev/null &
  pids+=($!)
  until grep -q "node up" "$work/node$i.out" 2>/dev/null; do sleep 0.2; done
done
client=(--cluster "127.0.0.1:$port" "${roots[@]}" --min-workers 3)

row() {  # kind, then the command's stdout on stdin: its statistics line
  perl -ne 'if (/ (\d+) jobs?, \d+ requests/) { my $j = $1; my ($m) = / ([\d.]+) MB in messages/; my ($t) = / ([\d.]+) MB of tiles scanned/;
    my ($w, $r, $uw, $ur) = / MB through the scratch store \(([\d.]+) written, ([\d.]+) read; units ([\d.]+) written, ([\d.]+) read\)/;
    $m //= 0; $t //= 0; $w //= 0; $r //= 0; $uw //= 0; $ur //= 0;
    printf "| %s | %d | %.2f | %.3f | %.2f (%.2f) | %.2f (%.2f) | %.3f | %.3f | %.1f |\n", "'"$1"'", $j, $m, $m / $j, $w, $uw, $r, $ur, $w / $j, $r / $j, $t }'
}
echo "$samples samples x $variants variants, 3 workers on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| job | passes (jobs) | MB in messages | MB per pass | MB scratch written (by units) | MB scratch read (by units) | written per pass | read per pass | MB of tiles scanned |"
echo "|---|---|---|---|---|---|---|---|---|"
gf qc "$work/ds" --out "$work/qc" --no-result-store "${client[@]}" | row qc
gf ld-prune "$work/ds" --out "$work/ld" --no-result-store "${client[@]}" | row ld-prune
gf pca "$work/ds" -k 10 --out "$work/pca" "${client[@]}" | row "pca (k 10)"
gf project --model "$work/pca" --dataset "$work/ds" --out "$work/project" "${client[@]}" | row project
gf kmeans --input "$work/pca/scores.tsv" --k 3 --out "$work/kmeans" "${client[@]}" | row "kmeans (k 3)"
gf train "$work/ds" --phenotypes "$work/sim/phenotypes.tsv" --target trait_q --model linear --l2 0.3 --out "$work/train" "${client[@]}" | row "train (average)"
# Exact aggregation sums XᵀX (at most 4,096 features): the first 1,000 variants that LD pruning kept.
head -n 1000 "$work/ld/prune.in" > "$work/exact.in"
gf train "$work/ds" --phenotypes "$work/sim/phenotypes.tsv" --target trait_q --model linear --l2 0.3 --aggregate exact --extract "$work/exact.in" --out "$work/train-exact" "${client[@]}" | row "train (exact, 1,000 variants)"
gf predict --model "$work/train" --dataset "$work/ds" --out "$work/predict" "${client[@]}" | row predict
