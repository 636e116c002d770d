#!/usr/bin/env bash
# Remakes examples/report-pca.png, the README's picture of a run report: runs the browser test on the quick-start
# pipeline (600 samples), which opens its report in headless Chromium and saves a screenshot of the PCA section.
# Needs what tests/run.sh installs (chromium, chromium-driver, fonts-dejavu-core).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
dotnet publish "$root/src/GenoFlow.Cli" -c Release -o "$root/artifacts/genoflow" --nologo -v quiet
GENOFLOW_DLL="$root/artifacts/genoflow/genoflow.dll" GENOFLOW_REPORT_SCREENSHOTS="$shots" \
  dotnet test "$root/tests/GenoFlow.Cli.Tests" -c Release --nologo \
  --filter "FullyQualifiedName~ReportCommandTests.The_quick_start_pipeline_writes_a_report_that_renders_every_section_and_plot_offline"
cp "$shots/quick-start-pca.png" "$root/examples/report-pca.png"
echo "wrote $root/examples/report-pca.png ($(stat -c %s "$root/examples/report-pca.png") bytes)"
