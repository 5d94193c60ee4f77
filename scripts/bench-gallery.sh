#!/usr/bin/env bash
# The gallery's background explaining against `featurecam-cli explain` on the same photos
# (Grad-CAM, MobileNetV2, the same threads), alternated twice so that the machine's drift hits
# both; then the gallery with 10,000 generated photos open (memory, scrolling). Not part of ctest.
# Usage: scripts/bench-gallery.sh [THREADS]   (FEATURECAM_MODEL_PATH and FEATURECAM_DATA_PATH set)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
threads="${1:-2}"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}/imagenet-sample"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The set as an image list (file, class_index) with absolute paths.
python3 - "$data" >"$work/list.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/labels.csv")))
print("file,class_index")
for r in rows:
    print(f"{sys.argv[1]}/{r['file']},{r['class_index']}")
PY
photos=$(($(wc -l <"$work/list.csv") - 1))
for round in 1 2; do
    start=$(date +%s.%N)
    "$build/app/featurecam-cli" explain --model mobilenet_v2_1.0_224 --method gradcam --threads "$threads" \
        --out "$work/cli-$round" "$data" >/dev/null 2>&1
    end=$(date +%s.%N)
    python3 -c "import sys; s = $end - $start; print(f'round $round: featurecam-cli explain: $photos photos in {s:.2f} s = {$photos / s:.2f} photos/s')"
    "$build/tests/bench/bench_gallery" --images "$work/list.csv" --model mobilenet_v2_1.0_224 --threads "$threads" 2>/dev/null \
        | sed "s/^/round $round: gallery: /"
done
"$build/tests/bench/bench_gallery" --demo-photos 10000 --threads "$threads" 2>/dev/null | sed "s/^/10,000 demo photos: /"
