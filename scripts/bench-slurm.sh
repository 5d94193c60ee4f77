#!/usr/bin/env bash
# The cluster benchmark of the README's "Evaluating on a cluster" (root; a few minutes): on a
# private one-node Slurm, images per second of one unsharded run at 2 threads against a 2-task
# array of 1 CPU each on the same photos, the merge's own time, and a task's peak memory.
#   usage: scripts/bench-slurm.sh [BUILD_DIR] [PHOTOS]   (default build, 40 photos)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
photos="${2:-40}"
cli="$build/app/featurecam-cli"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}"

tmp="$(mktemp -d /tmp/featurecam-slurm-bench.XXXXXX)"
source "$root/tests/cluster/private-slurm.sh"
trap 'stop_private_slurm "$tmp"' EXIT
start_private_slurm "$tmp"
cd "$tmp"
run=(evaluate --images "$data/imagenet-sample/labels.csv" --limit "$photos" --model mobilenet_v2_1.0_224)

seconds() { date +%s.%N; }
rate() { awk -v n="$photos" -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s, %.3f images/s", b - a, n / (b - a) }'; }

t0=$(seconds)
"$cli" "${run[@]}" --threads 2 --out single >/dev/null 2>&1
t1=$(seconds)
echo "unsharded, 2 threads:           $(rate "$t0" "$t1")"

t0=$(seconds)
"$cli" "${run[@]}" --out sharded --slurm 2 --slurm-option=--cpus-per-task=1 >/dev/null
wait_for_empty_queue 3600
t1=$(seconds)
[ -f sharded/summary.json ] || { echo "the merge did not run: $(cat sharded/logs/merge.log)" >&2; exit 1; }
echo "Slurm, 2 tasks × 1 CPU + merge: $(rate "$t0" "$t1")"

t0=$(seconds)
"$cli" merge sharded/shards --out merged-again >/dev/null 2>&1
t1=$(seconds)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "merge alone:                    %.2f s\n", b - a }'

# A task's peak memory: shard 1 of 2 again, outside Slurm, at 1 thread.
/usr/bin/time -f "%M %e" -o task.txt "$cli" "${run[@]}" --threads 1 --shard 1/2 --out alone >/dev/null 2>&1
awk -v n="$(grep -c '"position"' alone/shard.json)" '{ printf "one 1-thread task alone:        %.1f s for %d images (%.1f s per image), peak memory %.0f MB\n", $2, n, $2 / n, $1 / 1024 }' task.txt
