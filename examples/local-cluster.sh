#!/usr/bin/env bash
# A three-node GenoFlow cluster on this machine, and QC run on it: the same steps as on real hosts, on loopback.
# Usage: examples/local-cluster.sh [WORKDIR]     (needs the .NET 10 SDK; takes about a minute)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=${1:-"$root/genoflow-work/local-cluster"}
mkdir -p "$work"
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
genoflow() { dotnet "$root/artifacts/genoflow/genoflow.dll" "$@"; }

genoflow simulate --out "$work/sim" --samples 5000 --variants 20000 --seed 7
genoflow import --bed "$work/sim/cohort" --out "$work/dataset" --variants-per-tile 1000 --samples-per-tile 1024

# Three workers: the first is the seed the others (and the job) join through. Each prints "node up at ..." when ready.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
for port in 4053 4054 4055; do
  seed=(); [ "$port" = 4053 ] || seed=(--seed 127.0.0.1:4053)
  # Workers open datasets only under --data-root and keep job pieces only under --scratch-root.
  genoflow node --roles worker --port "$port" "${seed[@]}" --cache-mb 128 --data-root "$work" --scratch-root "$work/scratch" >"$work/node-$port.log" 2>&1 &
  pids+=($!)
  until grep -q "node up at" "$work/node-$port.log"; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/node-$port.log"; exit 1; }
    sleep 0.2
  done
  echo "worker on port $port is up"
done

# The job joins as a coordinator, waits for the three workers, and prints how many tiles each computed.
genoflow qc "$work/dataset" --out "$work/qc" --maf 0.01 --hwe 1e-10 --cluster 127.0.0.1:4053 --min-workers 3 \
  --data-root "$work" --scratch-root "$work/scratch"
# The same job on the embedded single-node cluster gives the same bytes.
genoflow qc "$work/dataset" --out "$work/qc-embedded" --maf 0.01 --hwe 1e-10 >/dev/null
diff -r "$work/qc" "$work/qc-embedded" && echo "cluster and embedded results are identical"
