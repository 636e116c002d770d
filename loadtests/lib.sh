# Shared by the benchmark scripts: publish the app the way tests/run.sh does, and time whole processes.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
genoflow=(dotnet "$root/artifacts/genoflow/genoflow.dll")

# measure LOG CMD...: runs CMD under /usr/bin/time (Debian package `time`), prints "wall_seconds peak_rss_mb"
measure() {
  local log=$1; shift
  sync
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1
  awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$log"
}

# row LABEL SIZE "genoflow_s genoflow_mb" "peer_s peer_mb": one markdown table row with the time ratio
row() {
  local label=$1 size=$2 g_s g_mb p_s p_mb
  read -r g_s g_mb <<<"$3"
  read -r p_s p_mb <<<"$4"
  awk -v l="$label" -v n="$size" -v gs="$g_s" -v gm="$g_mb" -v ps="$p_s" -v pm="$p_mb" \
    'BEGIN { printf "| %s | %s | %.2f s (%d MB) | %.2f s (%d MB) | %.2f |\n", l, n, gs, gm, ps, pm, gs / ps }'
}
