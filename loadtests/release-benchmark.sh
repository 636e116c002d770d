#!/usr/bin/env bash
# Releases: appending a batch of new samples to a dataset against re-importing everything, and what reprocessing the
# new release costs (QC from scratch; PCA refit, cold and warm-started, against projecting onto the previous release's
# model). Incremental QC and LD pruning with the result store: loadtests/result-store-benchmark.sh.
# Usage: loadtests/release-benchmark.sh [SAMPLES VARIANTS NEW_SAMPLES]   (default 20000 50000 2000)
# Prints markdown table rows: median wall seconds of 3 runs (REPEATS=N to change; PCA runs once), peak RSS, bytes written.
set -euo pipefail
samples=${1:-20000}; variants=${2:-50000}; added=${3:-2000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cohort_dataset "$samples" "$variants"
r1="$work/import-bed"
[ -f "$work/batch1-$added/cohort.bed" ] || "${genoflow[@]}" simulate --out "$work/batch1-$added" --samples "$added" --variants "$variants" --seed 1 --batch 1 >/dev/null 2>&1
[ -f "$work/merged-$added.bed" ] || plink1.9 --bfile "$work/sim/cohort" --bmerge "$work/batch1-$added/cohort" --keep-allele-order --indiv-sort 0 --make-bed --out "$work/merged-$added" >/dev/null 2>&1
mb() { du -sb "$1" | awk '{ printf "%.0f", $1 / 1e6 }'; }

echo "| step | samples x variants | time (peak RSS) | MB written |"
echo "|---|---|---|---|"
ds="$work/release-ds"
a=$(BEFORE="rm -rf '$ds'; cp -r '$r1' '$ds'" measure "$work/append.time" "${genoflow[@]}" import --bed "$work/batch1-$added/cohort" --append-to "$ds" --release R2)
read -r a_s a_mb <<<"$a"
echo "| append $added samples as release R2 | $samples + $added x $variants | $a_s s ($a_mb MB) | $(mb "$ds/g2") |"
f=$(BEFORE="rm -rf '$work/reimport'" measure "$work/reimport.time" "${genoflow[@]}" import --bed "$work/merged-$added" --out "$work/reimport")
read -r f_s f_mb <<<"$f"
echo "| re-import all $((samples + added)) samples | $samples + $added x $variants | $f_s s ($f_mb MB) | $(mb "$work/reimport") |"
# From VCF, where parsing dominates: the release's VCF appended, against re-importing R1's VCF alone (a lower bound of
# re-importing all samples).
[ -f "$work/sim-vcf/cohort.vcf.gz" ] || "${genoflow[@]}" simulate --out "$work/sim-vcf" --samples "$samples" --variants "$variants" --seed 1 --format vcf >/dev/null 2>&1
[ -f "$work/batch1-$added-vcf/cohort.vcf.gz" ] || "${genoflow[@]}" simulate --out "$work/batch1-$added-vcf" --samples "$added" --variants "$variants" --seed 1 --batch 1 --format vcf >/dev/null 2>&1
v=$(BEFORE="rm -rf '$ds'; cp -r '$r1' '$ds'" measure "$work/append-vcf.time" "${genoflow[@]}" import --vcf "$work/batch1-$added-vcf/cohort.vcf.gz" --append-to "$ds" --release R2)
read -r v_s v_mb <<<"$v"
echo "| append $added samples from VCF | $samples + $added x $variants | $v_s s ($v_mb MB) | $(mb "$ds/g2") |"
r=$(BEFORE="rm -rf '$work/reimport-vcf'" measure "$work/reimport-vcf.time" "${genoflow[@]}" import --vcf "$work/sim-vcf/cohort.vcf.gz" --out "$work/reimport-vcf")
read -r r_s r_mb <<<"$r"
echo "| re-import R1's $samples samples from VCF (lower bound of a full re-import) | $samples x $variants | $r_s s ($r_mb MB) | $(mb "$work/reimport-vcf") |"

q=$(BEFORE="rm -rf '$work/qc-r2'" measure "$work/qc-r2.time" "${genoflow[@]}" qc "$ds" --out "$work/qc-r2" --no-result-store)
read -r q_s q_mb <<<"$q"
echo "| QC of R2 from scratch | $((samples + added)) x $variants | $q_s s ($q_mb MB) | |"
# Incremental: R1's QC fills the result store beside the dataset (DATASET@R1 is the same dataset), R2's computes the rest.
i=$(BEFORE="rm -rf '$work/qc-r2i' '$ds.results'; ${genoflow[*]} qc '$ds@R1' --out '$work/qc-r1i' >/dev/null 2>&1" measure "$work/qc-r2i.time" "${genoflow[@]}" qc "$ds" --out "$work/qc-r2i")
read -r i_s i_mb <<<"$i"
echo "| QC of R2 incremental (R1's tiles from the result store) | $((samples + added)) x $variants | $i_s s ($i_mb MB) | |"

[ -f "$work/pca-r1/model.json" ] || "${genoflow[@]}" pca "$r1" -k 10 --out "$work/pca-r1" >/dev/null 2>&1
p=$(REPEATS=1 BEFORE="rm -rf '$work/project-r2'" measure "$work/project-r2.time" "${genoflow[@]}" project --model "$work/pca-r1" --dataset "$ds" --out "$work/project-r2")
read -r p_s p_mb <<<"$p"
echo "| PCA of R2: project onto R1's model | $((samples + added)) x $variants | $p_s s ($p_mb MB) | |"
r=$(REPEATS=1 BEFORE="rm -rf '$work/pca-r2'" measure "$work/pca-r2.time" "${genoflow[@]}" pca "$ds" -k 10 --out "$work/pca-r2")
read -r r_s r_mb <<<"$r"
echo "| PCA of R2: refit from scratch ($(grep -o '[0-9]* iterations' "$work/pca-r2/model.json" 2>/dev/null || grep -o '"iterations": [0-9]*' "$work/pca-r2/model.json")) | $((samples + added)) x $variants | $r_s s ($r_mb MB) | |"
w=$(REPEATS=1 BEFORE="rm -rf '$work/pca-r2-warm'" measure "$work/pca-r2-warm.time" "${genoflow[@]}" pca "$ds" -k 10 --out "$work/pca-r2-warm" --warm-start "$work/pca-r1")
read -r w_s w_mb <<<"$w"
echo "| PCA of R2: refit warm-started from R1's model ($(grep -o '"iterations": [0-9]*' "$work/pca-r2-warm/model.json")) | $((samples + added)) x $variants | $w_s s ($w_mb MB) | |"
