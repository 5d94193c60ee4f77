#!/usr/bin/env bash
# The CAM family side by side with the Python anchors (issue 16's benchmark), back to back on
# one machine, at 1 and 2 threads: pytorch-grad-cam's methods and its eager forward
# (../shared/anchors/anchors.py bench; Ablation-CAM on 1 image, it takes minutes), then ours
# (bench_engine: forward, each method alone, the seven one-pass gradient methods together, and
# those seven against a forward interleaved in each iteration).
#   usage: scripts/bench-cam-family.sh [BUILD_DIR]   (several minutes; read ratios, not times)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
anchors="$root/../shared/anchors/anchors.py"
gradient=(gradcam gradcampp layercam xgradcam hirescam gradcamelementwise eigencam eigengradcam)

for threads in 1 2; do
    echo "== pytorch-grad-cam, $threads thread(s), 10 photos"
    /usr/bin/python3 "$anchors" bench --images "$data/imagenet-sample" --threads "$threads" --n 10 --no-smooth \
        --methods "${gradient[@]}"
    echo "== ours, $threads thread(s)"
    "$build/tests/bench/bench_engine" \
        --benchmark_filter="BM_Forward/$threads/|BM_AllGradientMethods/$threads/|BM_AllGradientMethodsToForwardRatio/$threads/|BM_Method/$threads/[0-9]+/0" 2>/dev/null \
        | grep '^BM_'
done
echo "== pytorch-grad-cam Ablation-CAM, 2 threads, 1 photo"
/usr/bin/python3 "$anchors" bench --images "$data/imagenet-sample" --threads 2 --n 1 --no-smooth --methods ablationcam
