#!/usr/bin/env bash
# k-means benchmark: `genoflow kmeans` vs scikit-learn MiniBatchKMeans on N x D Gaussian points around K centres
# (default 1,000,000 x 20, K = 10), same TSV input, batch size 1024, 3 initialisations, seed 1. Both are timed end to
# end (process start, reading the table, clustering, for genoflow also writing assignments.tsv); sklearn's fit alone
# is reported too. Runs alternate (genoflow, sklearn) ${REPEATS:-3} times; medians. Inertia of both tools' centres is
# computed by the same script (kmeans-inertia.py: nearest centre, float64 sum over all rows). sklearn runs twice per
# round: with its default OpenMP threads (both cores) and with OMP_NUM_THREADS=1, because its per-step OpenMP regions
# slow down badly when another process competes for the cores. genoflow's own clustering time (from its progress
# line: loading the shards, initialisation, steps, final passes) is reported beside sklearn's fit, and each row's
# end-to-end ratio to GenoFlow's (above 1: GenoFlow is faster). The load average before and after goes in the header.
# Needs /usr/bin/python3 with numpy and sklearn (Debian python3-sklearn) and /usr/bin/time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${ROWS:-1000000} dims=${DIMS:-20} k=${K:-10}
work="$root/artifacts/bench-kmeans"
table="$work/blobs-${rows}x${dims}-k${k}.tsv"
mkdir -p "$work"
[ -f "$table" ] || /usr/bin/python3 "$root/loadtests/kmeans-blobs.py" "$table" "$rows" "$dims" "$k" 1

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >"$work/genoflow.times"; : >"$work/genoflow.phase"
: >"$work/sklearn.times"; : >"$work/sklearn.fit"; : >"$work/sklearn1.times"; : >"$work/sklearn1.fit"
load_before=$(awk '{ print $1 }' /proc/loadavg)
for _ in $(seq "${REPEATS:-3}"); do
  rm -rf "$work/genoflow-out"
  sync
  /usr/bin/time -a -f "%e %M %U %S" -o "$work/genoflow.times" "${genoflow[@]}" kmeans --input "$table" --k "$k" --out "$work/genoflow-out" \
    --batch-size 1024 --restarts 3 --seed 1 --verbose >"$work/genoflow.log" 2>&1
  grep -o 'kmeans: done in [0-9.]*' "$work/genoflow.log" | awk '{ print $4 }' >>"$work/genoflow.phase"
  sync
  /usr/bin/time -a -f "%e %M %U %S" -o "$work/sklearn.times" /usr/bin/python3 "$root/loadtests/kmeans-sklearn.py" "$table" "$k" 1024 3 1 \
    "$work/sklearn-centroids.tsv" >>"$work/sklearn.fit"
  sync
  OMP_NUM_THREADS=1 /usr/bin/time -a -f "%e %M %U %S" -o "$work/sklearn1.times" /usr/bin/python3 "$root/loadtests/kmeans-sklearn.py" "$table" "$k" 1024 3 1 \
    "$work/sklearn1-centroids.tsv" >>"$work/sklearn1.fit"
done
load_after=$(awk '{ print $1 }' /proc/loadavg)
g_time=$(awk '{ print $1 }' "$work/genoflow.times" | median)
g_phase=$(median <"$work/genoflow.phase")
s1_time=$(awk '{ print $1 }' "$work/sklearn1.times" | median)
s1_fit=$(awk '{ print $1 }' "$work/sklearn1.fit" | median)
s1_mem=$(awk '{ print $2 }' "$work/sklearn1.times" | median)
s1_inertia=$(/usr/bin/python3 "$root/loadtests/kmeans-inertia.py" "$table" "$work/sklearn1-centroids.tsv")
s_time=$(awk '{ print $1 }' "$work/sklearn.times" | median)
s_fit=$(awk '{ print $1 }' "$work/sklearn.fit" | median)
g_mem=$(awk '{ print $2 }' "$work/genoflow.times" | median)
s_mem=$(awk '{ print $2 }' "$work/sklearn.times" | median)
cpu() { awk '{ print $3 + $4 }' "$1" | median; }
g_inertia=$(/usr/bin/python3 "$root/loadtests/kmeans-inertia.py" "$table" "$work/genoflow-out/centroids.tsv")
s_inertia=$(/usr/bin/python3 "$root/loadtests/kmeans-inertia.py" "$table" "$work/sklearn-centroids.tsv")
g_steps=$(grep -o '"steps": [0-9]*' "$work/genoflow-out/summary.json" | head -1 | awk '{ print $2 }')
s_steps=$(tail -1 "$work/sklearn.fit" | awk '{ print $2 }')
echo "| tool (${rows} x ${dims}, K = ${k}; load $load_before-$load_after) | end to end (median of ${REPEATS:-3}) | clustering alone | CPU (user + sys) | peak RSS | inertia | steps | its time / genoflow's |"
echo "|---|---|---|---|---|---|---|---|"
row3() { awk -v n="$1" -v t="$2" -v f="$3" -v m="$4" -v i="$5" -v s="$6" -v c="$7" -v g="$g_time" 'BEGIN { printf "| %s | %.2f s | %.2f s | %.2f s | %d MB | %.7g | %s | %.2f |\n", n, t, f, c, m / 1024, i, s, t / g }'; }
row3 "genoflow kmeans" "$g_time" "$g_phase" "$g_mem" "$g_inertia" "$g_steps" "$(cpu "$work/genoflow.times")"
row3 "sklearn MiniBatchKMeans (2 threads)" "$s_time" "$s_fit" "$s_mem" "$s_inertia" "$s_steps" "$(cpu "$work/sklearn.times")"
row3 "sklearn MiniBatchKMeans (OMP_NUM_THREADS=1)" "$s1_time" "$s1_fit" "$s1_mem" "$s1_inertia" "$(tail -1 "$work/sklearn1.fit" | awk '{ print $2 }')" "$(cpu "$work/sklearn1.times")"
