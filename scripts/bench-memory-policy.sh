#!/usr/bin/env bash
# Issue 26's measurement, in one run on this machine: how our memory policy
# (engine/core/MemoryPolicy.h) compares with glibc's defaults and with the allocators Debian
# offers (mimalloc, tcmalloc, preloaded over glibc's defaults), beside the Python anchors.
#   speed:  anchors.py bench (eager PyTorch forward, torch-cam Smooth Grad-CAM++ n = 25), then
#           bench_engine BM_Forward and BM_SmoothGradCamPlusPlus (batches of 2) under each policy,
#           with minor page faults per iteration;
#   memory: peak RSS of featurecam-cli on the budget's worst cases (evaluate --batch 64
#           --auc-steps 256; explain of a 100-megapixel photo) under each policy.
#   usage: scripts/bench-memory-policy.sh [THREADS] [--no-memory]   (about 10 minutes at 1 thread)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
threads="${1:-1}"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
lib=/usr/lib/x86_64-linux-gnu
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# name → environment; the preloaded allocators run over glibc's defaults (our mallopt would
# only reach glibc's malloc, which they replace).
policies=("ours=" "glibc=FEATURECAM_MEMORY_POLICY=system")
[ -f "$lib/libmimalloc.so.2" ] && policies+=("mimalloc=FEATURECAM_MEMORY_POLICY=system LD_PRELOAD=$lib/libmimalloc.so.2")
[ -f "$lib/libtcmalloc_minimal.so.4" ] && policies+=("tcmalloc=FEATURECAM_MEMORY_POLICY=system LD_PRELOAD=$lib/libtcmalloc_minimal.so.4")

peak_mib() { # peak RSS of a command, in MiB
    /usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY
}

echo "== anchors (eager PyTorch, torch-cam), $threads thread(s), 10 photos"
/usr/bin/python3 "$root/../shared/anchors/anchors.py" bench --images "$data/imagenet-sample" --threads "$threads" \
    --n 10 --methods gradcam | grep -E '^(forward|smoothgradcampp)'
for entry in "${policies[@]}"; do
    name="${entry%%=*}"
    echo "== bench_engine, $threads thread(s), $name"
    env ${entry#*=} "$build/tests/bench/bench_engine" \
        --benchmark_filter="BM_Forward/$threads/min|BM_SmoothGradCamPlusPlus/$threads/2/min" 2>/dev/null | grep '^BM_'
done
[ "${2:-}" = "--no-memory" ] && exit 0

/usr/bin/python3 -c "
import numpy as np, cv2
rng = np.random.default_rng(1)
small = rng.integers(0, 255, (500, 500, 3), dtype=np.uint8)
cv2.imwrite('$work/photo-100mp.jpg', cv2.resize(small, (10000, 10000), interpolation=cv2.INTER_CUBIC))"
first="$(ls "$data/imagenet-sample"/*.JPEG | head -1)"
printf 'file\n%s\n' "$first" > "$work/one.csv"
cli="$build/app/featurecam-cli"
echo "== peak RSS (MiB) of featurecam-cli, 2 threads"
for entry in "${policies[@]}"; do
    name="${entry%%=*}"
    batch=$(env ${entry#*=} bash -c "$(declare -f peak_mib); peak_mib '$cli' evaluate --images '$work/one.csv' \
        --method gradcam --feature-cam none --batch 64 --auc-steps 256 --threads 2 --out '$work/eval-$name'")
    big=$(env ${entry#*=} bash -c "$(declare -f peak_mib); peak_mib '$cli' explain --method gradcam,gradcampp,smoothgradcampp \
        --feature-cam top5 --threads 2 --out '$work/explain-$name' '$work/photo-100mp.jpg'")
    echo "$name: evaluate --batch 64 --auc-steps 256: $batch MiB; explain 100 MP, 3 methods, top5: $big MiB"
done
