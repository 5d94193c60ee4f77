#!/usr/bin/env bash
# Every ratio of docs/performance.md again, with and without the memory policy
# (FEATURECAM_MEMORY_POLICY=system is glibc's defaults), each beside its anchor in one run:
# edges, Score-CAM / Ablation-CAM, evaluation throughput, live, the CAM family, the gallery and
# start-up. Not part of ctest (about 25 minutes at 2 threads). Read ratios, not times.
#   usage: scripts/bench-remeasure.sh [THREADS]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
threads="${1:-2}"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
export FEATURECAM_DATA_PATH="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
policies=("ours=" "glibc=FEATURECAM_MEMORY_POLICY=system")

echo "== edges (bench_featurecam: pidinet_tiny and pidinet at 224x224 and 512x384, $threads threads)"
for entry in "${policies[@]}"; do
    env ${entry#*=} "$build/tests/bench/bench_featurecam" \
        --benchmark_filter="BM_EdgeDetector/[23]/[02]/$threads/|BM_NineVariants" 2>/dev/null | grep '^BM_' \
        | sed "s/^/${entry%%=*}: /"
done

echo "== Ablation-CAM and Score-CAM alone ($threads threads)"
for entry in "${policies[@]}"; do
    env ${entry#*=} "$build/tests/bench/bench_engine" \
        --benchmark_filter="BM_Method/$threads/.*/0/" --benchmark_min_time=0.5 2>/dev/null \
        | grep -E '^BM_.*(ablationcam|scorecam)' | sed "s/^/${entry%%=*}: /"
done

echo "== evaluate, 12 photos, full protocol, hard, no curves ($threads threads), alternated twice"
head -13 <(printf 'file\n'; ls "$FEATURECAM_DATA_PATH"/imagenet-sample/*.JPEG) >"$work/twelve.csv"
for round in 1 2; do
    for entry in "${policies[@]}"; do
        rm -rf "$work/eval"
        env ${entry#*=} "$build/app/featurecam-cli" evaluate --images "$work/twelve.csv" --convention hard \
            --auc-steps 0 --threads "$threads" --out "$work/eval" 2>&1 | grep -iE 'images/s' | tail -1 \
            | sed "s/^/round $round ${entry%%=*}: /"
    done
done

echo "== live (bench_live, 640x480 pan, Grad-CAM, $threads threads, 8 s)"
for entry in "${policies[@]}"; do
    env ${entry#*=} "$build/tests/bench/bench_live" --model mobilenet_v2_1.0_224 --threads "$threads" --seconds 8 2>&1 \
        | tail -3 | sed "s/^/${entry%%=*}: /"
done

echo "== the CAM family beside pytorch-grad-cam (scripts/bench-cam-family.sh)"
"$root/scripts/bench-cam-family.sh" "$build"

echo "== gallery against featurecam-cli explain (scripts/bench-gallery.sh $threads)"
"$root/scripts/bench-gallery.sh" "$threads"

echo "== start-up (scripts/measure-startup.py --runs 5)"
/usr/bin/python3 "$root/scripts/measure-startup.py" --runs 5
