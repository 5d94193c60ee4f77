#!/usr/bin/env bash
# `featurecam-cli evaluate --slurm` on a real Slurm: starts a private one-node cluster on this
# machine (its own munge key and socket, slurm.conf, state and ports in a temporary folder),
# submits a 3-shard run of 12 photos with the real MobileNetV2, waits for the merge job and
# compares the merged per_image.csv, summary.json and run.json byte for byte with a
# single-machine run. Then cancels one task mid-run (scancel), runs the same command again, and
# expects only that shard resubmitted and the same files. Every daemon started here is stopped
# by its process id, also when the test fails.
#   usage: test-slurm.sh BUILD_DIR   (exit 77: skipped, with the reason on stderr)
set -uo pipefail

build="$(cd "${1:?usage: test-slurm.sh BUILD_DIR}" && pwd)"
cli="$build/app/featurecam-cli"
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

for program in munged slurmctld slurmd sbatch squeue scancel sinfo; do
    command -v "$program" >/dev/null || skip "$program is not installed (Debian packages slurm-wlm and munge; scripts/install-deps.sh installs them)"
done
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to start jobs; run this test as root (CI does)"
models="${FEATURECAM_MODEL_PATH:-}"
models="${models%%:*}" # the first folder of the path
data="${FEATURECAM_DATA_PATH:-}"
[ -f "$models/mobilenet_v2_1.0_224.json" ] || skip "the real MobileNetV2 is not on FEATURECAM_MODEL_PATH ($models)"
[ -f "$data/imagenet-sample/labels.csv" ] || skip "the sample photos are not in FEATURECAM_DATA_PATH ($data)"

tmp="$(mktemp -d /tmp/featurecam-slurm.XXXXXX)"
source "$(dirname "$0")/private-slurm.sh"
trap 'stop_private_slurm "$tmp"' EXIT
start_private_slurm "$tmp" || exit 1
cd "$tmp"
run=(evaluate --images "$data/imagenet-sample/labels.csv" --limit 12 --model mobilenet_v2_1.0_224
    --edges pidinet_tiny --auc-steps 2)

same_files() {
    for file in per_image.csv summary.json run.json table2_right_classification_hard.csv; do
        cmp "single/$file" "$1/$file" || fail "$1/$file differs from a single-machine run's"
    done
}

start=$SECONDS
"$cli" "${run[@]}" --threads 1 --out single >/dev/null 2>single.err || fail "single run: $(cat single.err)"
single_seconds=$((SECONDS - start))
echo "single-machine run (1 thread): ${single_seconds} s"

# 0. A line break in --out would reach the generated scripts' lines (issue 25): refused, nothing made.
"$cli" "${run[@]}" --out $'bad\nid -u' --slurm 3 >inject.out 2>&1 && fail "a line break in --out was submitted"
grep -q "line break" inject.out || fail "no reason given for the refused --out: $(cat inject.out)"
[ ! -e $'bad\nid -u' ] || fail "the refused --out folder was created"

# 1. The whole run through the one command; each task gets one CPU, as the single run's thread.
# Single-dash spellings (the parser reads them as long options) must not reach the tasks.
start=$SECONDS
"$cli" "${run[@]}" -out cluster -slurm 3 --slurm-option=--cpus-per-task=1 >submit.out 2>&1 \
    || fail "submission: $(cat submit.out)"
cat submit.out
grep -q "Submitted 3 of 3 shard tasks" submit.out || fail "unexpected submission output"
wait_for_empty_queue || fail "the jobs did not end"
echo "sharded run on Slurm, 3 tasks and the merge: $((SECONDS - start)) s"
[ -f cluster/summary.json ] || fail "no merged summary.json; merge log: $(cat cluster/logs/merge.log 2>&1)"
same_files cluster
for shard in 1 2 3; do
    [ -s "cluster/logs/shard-$shard.log" ] || fail "no log of task $shard"
done
"$cli" "${run[@]}" --out cluster --slurm 3 --slurm-option=--cpus-per-task=1 >again.out 2>&1 || fail "$(cat again.out)"
grep -q "have finished and are merged" again.out || fail "a finished run was submitted again: $(cat again.out)"

# 2. A task cancelled mid-run: the merge never runs; the same command resubmits that shard only.
"$cli" "${run[@]}" --out cancelled --slurm 3 --slurm-option=--cpus-per-task=1 >submit2.out 2>&1 \
    || fail "submission: $(cat submit2.out)"
array_job="$(sed -n 's/.*array_job=\([0-9]*\).*/\1/p' cancelled/slurm/jobs.log | tail -1)"
[ -n "$array_job" ] || fail "no array job id in cancelled/slurm/jobs.log"
csv=cancelled/shards/shard-0002/per_image.csv
for _ in $(seq 3000); do
    [ -f "$csv" ] && [ "$(wc -l <"$csv")" -ge 2 ] && break
    sleep 0.1
done
scancel "${array_job}_2" || fail "scancel failed"
echo "cancelled task 2 with $(($(wc -l <"$csv") - 1)) rows written"
wait_for_empty_queue || fail "the jobs did not end"
[ ! -f cancelled/summary.json ] || fail "the merge ran although a task was cancelled"
grep -q '"complete": true' cancelled/shards/shard-0002/shard.json 2>/dev/null \
    && fail "task 2 finished before it could be cancelled; the test proves nothing"
"$cli" "${run[@]}" --out cancelled --slurm 3 --slurm-option=--cpus-per-task=1 >resubmit.out 2>&1 \
    || fail "resubmission: $(cat resubmit.out)"
cat resubmit.out
grep -q "Submitted 1 of 3 shard tasks.*(shards 2)" resubmit.out || fail "expected shard 2 alone resubmitted"
wait_for_empty_queue || fail "the jobs did not end"
same_files cancelled
echo "PASS: merged Slurm runs equal the single-machine run, also after a cancelled task"
