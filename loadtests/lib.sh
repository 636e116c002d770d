# Shared by the benchmark scripts: publish the app the way tests/run.sh does, and time whole processes.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
genoflow=(dotnet "$root/artifacts/genoflow/genoflow.dll")

# measure LOG CMD...: runs CMD ${REPEATS:-3} times under /usr/bin/time (Debian package `time`), prints
# "median_wall_seconds peak_rss_mb" (the median run's figures). A run that fails stops the benchmark.
# $BEFORE, if set, runs untimed before each run (e.g. removing the previous run's output).
measure() {
  local log=$1; shift
  : >"$log"
  for _ in $(seq "${REPEATS:-3}"); do
    [ -z "${BEFORE:-}" ] || eval "$BEFORE"
    sync
    /usr/bin/time -a -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>&1
  done
  median "$log" | cut -d' ' -f1,2
}

# median LOG: "median_wall_seconds peak_rss_mb cpu_seconds" of the runs /usr/bin/time appended to LOG (the median
# run's figures; CPU is user + system, the figure to trust when other work shares the machine).
median() {
  sort -n "$1" | awk '{ t[NR] = $1; m[NR] = $2; c[NR] = $3 + $4 } END { i = int((NR + 1) / 2); printf "%.2f %.0f %.2f\n", t[i], m[i] / 1024, c[i] }'
}

# side_by_side NAME "GENOFLOW COMMAND" "PEER COMMAND": runs the two commands alternately ${REPEATS:-3} times each
# (GenoFlow, the peer, GenoFlow, ...), so both see the same machine load, and sets $g and $p to each side's
# "median_wall_seconds peak_rss_mb". The commands are shell words (eval'd); $BEFORE, if set, runs untimed before each
# GenoFlow run. Logs go to $work/NAME.genoflow.time and $work/NAME.peer.time. A run that fails stops the benchmark.
side_by_side() {
  local name=$1 genoflow_command=$2 peer_command=$3
  : >"$work/$name.genoflow.time"
  : >"$work/$name.peer.time"
  for _ in $(seq "${REPEATS:-3}"); do
    [ -z "${BEFORE:-}" ] || eval "$BEFORE"
    sync
    eval "/usr/bin/time -a -f '%e %M %U %S' -o '$work/$name.genoflow.time' $genoflow_command" >/dev/null 2>&1
    sync
    eval "/usr/bin/time -a -f '%e %M %U %S' -o '$work/$name.peer.time' $peer_command" >/dev/null 2>&1
  done
  g=$(median "$work/$name.genoflow.time")
  p=$(median "$work/$name.peer.time")
}

# machine: one line on where the figures come from (cores, CPU, load average when the benchmark starts).
machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ { print $2 }') GiB; plink2 $(plink2 --version 2>/dev/null | head -1 | cut -d' ' -f2); $(uptime | sed 's/.*load average/load average/')"
}

# row LABEL SIZE "genoflow_s genoflow_mb [cpu_s]" "peer_s peer_mb [cpu_s]": one markdown table row with the time ratio
row() {
  local label=$1 size=$2 g_s g_mb g_cpu p_s p_mb p_cpu
  read -r g_s g_mb g_cpu <<<"$3"
  read -r p_s p_mb p_cpu <<<"$4"
  awk -v l="$label" -v n="$size" -v gs="$g_s" -v gm="$g_mb" -v gc="$g_cpu" -v ps="$p_s" -v pm="$p_mb" -v pc="$p_cpu" \
    'BEGIN { if (gc == "") printf "| %s | %s | %.2f s (%d MB) | %.2f s (%d MB) | %.2f |\n", l, n, gs, gm, ps, pm, gs / ps;
             else printf "| %s | %s | %.2f s (CPU %.2f s, %d MB) | %.2f s (CPU %.2f s, %d MB) | %.2f |\n", l, n, gs, gc, gm, ps, pc, pm, gs / ps }'
}

# cohort_dataset SAMPLES VARIANTS: simulates (seed 1) and imports the benchmark cohort once; sets $work to its directory.
cohort_dataset() {
  work="$root/artifacts/bench-$1x$2"
  mkdir -p "$work"
  [ -f "$work/sim/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/sim" --samples "$1" --variants "$2" --seed 1 >/dev/null 2>&1
  [ -f "$work/import-bed/manifest.json" ] || "${genoflow[@]}" import --bed "$work/sim/cohort" --out "$work/import-bed" >/dev/null 2>&1
}

# timed LOG CMD...: runs CMD once under /usr/bin/time, appending "wall_seconds peak_rss_kb user_seconds" to LOG, its
# output to LOG.out; a run that fails stops the benchmark. For benchmarks that alternate GenoFlow and its peer run by
# run, so both see the same load on a shared machine.
timed() {
  local log=$1; shift
  sync
  /usr/bin/time -a -f "%e %M %U" -o "$log" "$@" >"$log.out" 2>&1
}

# median_of COLUMN <FILE: the median (lower middle) of one whitespace-separated column.
median_of() { awk -v c="$1" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# load_average: the 1-minute load average now, for the figures' caption (other jobs on a shared machine inflate both tools' times).
load_average() { awk '{ print $1 }' /proc/loadavg; }
